//! Tests of the untangling: which parts of a re-solved plan go back to the base plan.

use super::*;
use crate::model::{Column, ColumnKind, Row};

/// Posts 0 and 1 are alike (every candidate fits both equally), post 2 is another; candidates
/// 0–3. Pair columns: (candidate, post, fit) below; rows: post-once and candidate-once, plus
/// `extra`. Shortfall columns (continuous, objective −penalty) come after the pairs.
fn model(
    pairs: &[(u32, u32, f64)],
    shortfalls: &[f64],
    extra: Vec<Row>,
) -> (Model, Vec<Pair>, ColumnMatrix) {
    let mut columns: Vec<Column> = pairs
        .iter()
        .enumerate()
        .map(|(i, &(_, _, fit))| Column {
            kind: ColumnKind::Pair(i as u32),
            objective: fit,
            upper: 1.0,
            integer: true,
        })
        .collect();
    columns.extend(shortfalls.iter().map(|&penalty| Column {
        kind: ColumnKind::Shortfall {
            rule: 0,
            team: Some(0),
        },
        objective: -penalty,
        upper: f64::INFINITY,
        integer: false,
    }));
    // At most one placement per post (key: the pair's post) and per candidate (its candidate).
    let once = |kind: fn(usize) -> RowKind, key: fn(&(u32, u32, f64)) -> u32, of: u32| Row {
        kind: kind(of as usize),
        lower: 0.0,
        upper: 1.0,
        entries: (0..pairs.len() as u32)
            .filter(|&j| key(&pairs[j as usize]) == of)
            .map(|j| (j, 1.0))
            .collect::<Vec<_>>()
            .into(),
    };
    let mut rows: Vec<Row> = (0..3)
        .map(|p| once(RowKind::PostOnce, |e| e.1, p))
        .collect();
    rows.extend((0..4).map(|c| once(RowKind::CandidateOnce, |e| e.0, c)));
    rows.extend(extra);
    let m = Model {
        columns,
        rows,
        ..Default::default()
    };
    let pairs = pairs
        .iter()
        .map(|&(candidate, post, fit)| Pair {
            candidate,
            post,
            fit,
        })
        .collect();
    let matrix = ColumnMatrix::new(&m);
    (m, pairs, matrix)
}

/// Columns: 0 = C0→P0, 1 = C0→P1, 2 = C1→P0, 3 = C1→P1 (all fit 1: alike posts), 4 = C2→P2,
/// 5 = C3→P2 (fit 0.5).
const ALIKE: [(u32, u32, f64); 6] = [
    (0, 0, 1.0),
    (0, 1, 1.0),
    (1, 0, 1.0),
    (1, 1, 1.0),
    (2, 2, 1.0),
    (3, 2, 0.5),
];

fn run(m: &Model, pairs: &[Pair], matrix: &ColumnMatrix, plan: &[u32], keep: &Keep) -> Vec<u32> {
    untangle(m, matrix, &Rows::new(m), pairs, &[0, 3, 4], plan, keep)
}

fn forcing_c3() -> Keep<'static> {
    Keep {
        force: &[5],
        forbid: &[],
        fill: None,
    }
}

/// Forcing C3 into P2 came back with C0 and C1 swapped between the alike posts: the swap costs
/// nothing and the forcing does not need it, so it goes back; the forced part stays.
#[test]
fn a_swap_worth_nothing_goes_back() {
    let (m, pairs, matrix) = model(&ALIKE, &[], Vec::new());
    let out = run(&m, &pairs, &matrix, &[1, 2, 5], &forcing_c3());
    assert_eq!(out, vec![0, 3, 5]);
}

/// When the swap gains (C1 fits P0 better), putting it back would cost: it stays.
#[test]
fn a_swap_that_gains_stays() {
    let mut pairs = ALIKE;
    pairs[2].2 = 1.5;
    let (m, pairs, matrix) = model(&pairs, &[], Vec::new());
    let out = run(&m, &pairs, &matrix, &[1, 2, 5], &forcing_c3());
    assert_eq!(out, vec![1, 2, 5]);
}

/// A hard row the swap satisfies (P0 held by C1: column 2 at least 1) keeps it.
#[test]
fn a_swap_a_hard_rule_needs_stays() {
    let hard = Row {
        kind: RowKind::RuleMin {
            rule: 1,
            team: Some(0),
        },
        lower: 1.0,
        upper: f64::INFINITY,
        entries: vec![(2u32, 1.0)].into(),
    };
    let (m, pairs, matrix) = model(&ALIKE, &[], vec![hard]);
    let out = run(&m, &pairs, &matrix, &[1, 2, 5], &forcing_c3());
    assert_eq!(out, vec![1, 2, 5]);
}

/// A soft row (column 2 counts towards a target of 1, penalty 0.25 per unit short): the swap
/// meets it, putting it back costs 0.25, so it stays; with a penalty of 0 it goes back.
#[test]
fn a_swap_that_meets_a_soft_rule_stays() {
    let soft = |s: u32| Row {
        kind: RowKind::RuleMin {
            rule: 0,
            team: Some(0),
        },
        lower: 1.0,
        upper: f64::INFINITY,
        entries: vec![(2u32, 1.0), (s, 1.0)].into(),
    };
    let (m, pairs, matrix) = model(&ALIKE, &[0.25], vec![soft(6)]);
    let out = run(&m, &pairs, &matrix, &[1, 2, 5], &forcing_c3());
    assert_eq!(out, vec![1, 2, 5]);
    let (m, pairs, matrix) = model(&ALIKE, &[0.0], vec![soft(6)]);
    let out = run(&m, &pairs, &matrix, &[1, 2, 5], &forcing_c3());
    assert_eq!(out, vec![0, 3, 5]);
}

/// A part that would put back a forbidden pair, or that holds the post to fill, stays.
#[test]
fn the_fix_is_kept() {
    let (m, pairs, matrix) = model(&ALIKE, &[], Vec::new());
    let forbid = Keep {
        force: &[5],
        forbid: &[0],
        fill: None,
    };
    assert_eq!(run(&m, &pairs, &matrix, &[1, 2, 5], &forbid), vec![1, 2, 5]);
    let fill = Keep {
        force: &[5],
        forbid: &[],
        fill: Some(1),
    };
    assert_eq!(run(&m, &pairs, &matrix, &[1, 2, 5], &fill), vec![1, 2, 5]);
    // The forced part itself never goes back, even when it costs (C3 fits P2 worse than C2).
    assert_eq!(
        run(&m, &pairs, &matrix, &[0, 3, 5], &forcing_c3()),
        vec![0, 3, 5]
    );
}

/// The difference splits into connected parts: the swap is one part, the forced move another,
/// ordered by their first post.
#[test]
fn parts_are_connected_components() {
    let (_, pairs, _) = model(&ALIKE, &[], Vec::new());
    let got = parts(&pairs, &[0, 3, 4], &[1, 2, 5]);
    assert_eq!(
        got,
        vec![
            Part {
                new: vec![1, 2],
                old: vec![0, 3]
            },
            Part {
                new: vec![5],
                old: vec![4]
            },
        ]
    );
    assert!(parts(&pairs, &[0, 3, 4], &[0, 3, 4]).is_empty());
}

/// Two parts tied by a hard row that the plans meet exactly (one outsider, C1 or C2, must be
/// placed: `1 <= x(C2→P0) + x(C1→P1) <= 1`): neither goes back alone (none or two outsiders),
/// both go back together.
#[test]
fn tied_parts_go_back_together() {
    let pairs = [(0, 0, 1.0), (2, 0, 1.0), (1, 1, 1.0), (3, 1, 1.0)];
    let cap = Row {
        kind: RowKind::RuleMax {
            rule: 7,
            team: None,
        },
        lower: 1.0,
        upper: 1.0,
        entries: vec![(1u32, 1.0), (2, 1.0)].into(),
    };
    let (m, pairs, matrix) = model(&pairs, &[], vec![cap]);
    let keep = Keep {
        force: &[],
        forbid: &[],
        fill: None,
    };
    let rows = Rows::new(&m);
    let out = untangle(&m, &matrix, &rows, &pairs, &[0, 2], &[1, 3], &keep);
    assert_eq!(out, vec![0, 2]);
    // Alone, each part breaks the row.
    let mut state = State::new(&m, &matrix, &rows, &[1, 3]);
    for part in parts(&pairs, &[0, 2], &[1, 3]) {
        assert!(!state.try_put_back(&part));
    }
}
