//! Policy of the fast path's proof MIPs, chosen by measurement: when HiGHS presolve runs,
//! the largest proof MIP built, and the check that a plan found under loose MIP tolerances is
//! a plan of the model.

use super::columns::SubResult;
use super::cuts::Cut;
use super::pricing::{better, expand, objective_of, unproven};
use super::Outcome;
use crate::model::Model;

/// The band row of a widened proof MIP: at least one of its integer columns `cols` with reduced
/// cost below −`reach1` (the narrowed MIP's reach) is placed, `Σ x_j >= 1`.
///
/// Why it is enough: the narrowed MIP over `d_j >= −reach1` proved its optimum, so every plan
/// there is worth at most its bound; the incumbent is at least that good. A better plan must
/// use a column the narrowed MIP did not have. With the row, the widened MIP searches only
/// those plans, and its LP bound starts at most L − reach1 (each such plan loses at least
/// `reach1` against L); with a cutoff at the incumbent it stops once its bound falls below
/// (measured on province-hard: the band MIP over 56,329 columns stopped after 7.5 s with its
/// bound at 1499.9501, below the incumbent 1499.9524; without the row the same widened MIP
/// took 17.2 s to prove the same plan).
pub(super) fn band(m: &Model, d: &[f64], cols: &[u32], reach1: f64) -> Cut {
    Cut {
        lower: 1.0,
        entries: cols
            .iter()
            .filter(|&&j| m.columns[j as usize].integer && d[j as usize] < -reach1)
            .map(|&j| (j, 1.0))
            .collect(),
    }
}

/// What a band MIP ([`band`]) over the reach `delta` proves. Plans in the narrowed set are
/// worth at most `narrowed_bound`, plans outside the widened set at most `lagrangian − delta`,
/// plans using a band column at most the band MIP's bound. `proves`: the widened set is the
/// whole reach the incumbent needs (not capped by the time left), so `lagrangian − delta` is
/// below the incumbent.
pub(super) struct BandMip {
    pub lagrangian: f64,
    pub delta: f64,
    pub narrowed_bound: f64,
    pub proves: bool,
}

impl BandMip {
    /// The answer from the band MIP's `result` (over the model columns `cols`) and the
    /// incumbent (a plan over all model columns, never `None` after a narrowed MIP): optimal
    /// when every plan is proven worth at most the best plan (within the MIP gap tolerance, 1e-7
    /// relative, as any proof MIP), unproven with the best bound otherwise.
    pub(super) fn outcome(
        &self,
        m: &Model,
        result: SubResult,
        cols: &[u32],
        incumbent: Option<Vec<f64>>,
        log: &dyn Fn(&str),
    ) -> Outcome {
        let n = m.columns.len();
        let outside = self.lagrangian - self.delta;
        let (found, band_bound) = match result {
            SubResult::Solved { values, bound, .. } => (Some(values), Some(bound)),
            SubResult::Stopped { values, bound, .. } => (values, bound),
            // No plan uses a band column: the narrowed bound covers every plan in the set.
            SubResult::Infeasible => (None, Some(f64::NEG_INFINITY)),
        };
        let best = better(m, found.map(|v| expand(cols, &v, n)), incumbent);
        let Some(values) = best else {
            return Outcome::NoSolution {
                bound: Some(self.lagrangian),
            };
        };
        let z = objective_of(m, &values);
        let margin = 1e-7 * z.abs().max(1.0);
        let bound = band_bound
            .unwrap_or(self.lagrangian)
            .max(self.narrowed_bound)
            .max(outside)
            .min(self.lagrangian);
        log(&format!(
            "band MIP: best plan {z}, every plan at most {bound} (band {band_bound:?}, narrowed {}, outside {outside})",
            self.narrowed_bound
        ));
        if self.proves && bound <= z + margin {
            Outcome::Optimal {
                values,
                objective: z,
                bound: bound.max(z),
            }
        } else {
            unproven(m, Some(values), bound)
        }
    }
}

/// Whether HiGHS presolve should run on a proof MIP whose incumbent is `gap` below the LP
/// bound, over `columns` columns. Measured (2-core machine, loaded): with a gap of 0.0009 the
/// 11,921-column proof MIP of province-hard without sitting candidates took 16.2 s with presolve
/// and 1.2 s without; with a gap of 0.09 the 3,967-column proof MIP of city-hard took 14.6 s with
/// and 36.7 s without (branching needs presolve's probing and cliques). Presolve also ignores
/// the deadline: on a 748,854-column MIP it overran a 120 s limit by 139 s. So: presolve when
/// the gap needs branching and the MIP is small enough that presolve ends soon.
pub(super) fn presolve_pays(gap: f64, columns: usize) -> bool {
    gap > PRESOLVE_GAP && columns <= PRESOLVE_COLUMNS
}

/// Whether the plan of `values` (over the sub-model columns `cols`), with its integer columns
/// rounded, keeps every model row that holds no continuous column within 1e-9 (rows with a
/// shortfall or relaxation column always hold: that column absorbs any difference, and the
/// checker recomputes it). HiGHS with loose tolerances may accept a plan up to 1e-7 outside a
/// row; this is the test that such a plan is a plan.
pub(super) fn holds_when_rounded(m: &Model, cols: &[u32], values: &[f64]) -> bool {
    let mut x = vec![0.0; m.columns.len()];
    for (&j, &v) in cols.iter().zip(values) {
        let c = &m.columns[j as usize];
        if c.integer {
            if (v - v.round()).abs() > 1e-6 {
                return false;
            }
            x[j as usize] = v.round();
        } else {
            x[j as usize] = f64::NAN;
        }
    }
    m.rows.iter().all(|r| {
        let mut v = 0.0;
        for (j, a) in &r.entries {
            let xj = x[j as usize];
            if xj.is_nan() {
                return true;
            }
            v += a * xj;
        }
        v >= r.lower - crate::eligibility::EPS && v <= r.upper + crate::eligibility::EPS
    })
}

/// The largest proof MIP the fast path builds (columns). HiGHS needs about 1.2 kB per column
/// of such a MIP (national-hard: 19.6 M columns, 23.8 GB); beyond this the solve ends with its
/// best plan and the Lagrangian bound instead (status `feasible`, gap shown), not a crash.
pub(super) const MAX_MIP_COLUMNS: usize = 3_000_000;

/// Seconds per column that HiGHS spends on a proof MIP before its first node can be stopped:
/// its MIP setup and root LP run without the time limit or the interrupt callback (the root LP
/// is solved by an inner HiGHS instance). Measured on a 10,000-candidate hard province
/// (`generate --preset province-hard --candidates 10000`): 1,434,577 columns took 19.8 s of
/// setup and 192 s of root LP, so `--time-limit 90` ended after 254 s.
const ROOT_SECONDS_PER_COLUMN: f64 = 150e-6;

/// The most columns a proof MIP may have when `remaining` seconds are left (`None`: no time
/// limit, only the memory cap [`MAX_MIP_COLUMNS`]): its uninterruptible start may take a third
/// of them, at [`ROOT_SECONDS_PER_COLUMN`].
pub(super) fn column_budget(remaining: Option<f64>) -> usize {
    match remaining {
        None => MAX_MIP_COLUMNS,
        Some(t) => ((t / 3.0 / ROOT_SECONDS_PER_COLUMN).max(0.0) as usize).min(MAX_MIP_COLUMNS),
    }
}

/// The reach of the first proof MIP after a heuristic incumbent: `delta` (what the incumbent
/// needs) narrowed to a third of its columns, at least `min_columns`. The proof MIP's
/// time goes into closing the gap between the LP bound and the optimum, much less into its
/// columns, and a heuristic incumbent is usually short of the optimum, so it asks for far
/// more columns than the optimum does. The narrowed set's optimum then proves itself when
/// `L − z <= δ'`, or sets the next reach from a better plan. Measured on province-hard: the
/// incumbent 1499.8717 needs δ = 0.117, 179,656 columns, 86 s of MIP; narrowed to a third
/// (δ' = 0.040, 61,477 columns) the MIP finds and proves 1499.9524 in 34 s (0.020, 36,823
/// columns: 26 s, then a second MIP of 56,329 columns, 18 s).
///
/// `tight_bound` (this solve's Gomory rounds tightened L): the set keeps `min_columns` only
/// (when that is not 0), whatever the incumbent needs. L then sits close to the optimum, so
/// the optimum's columns (`d_j >= z* − L`) are few, while the heuristic, which steers by the
/// LP before the Gomory rounds, may be far below it. Measured on the 10,000-candidate hard
/// province (L − z* = 0.0018 after the Gomory rounds, heuristic 1712.686): a third of what
/// the incumbent asked for was 299,549 columns; 21,263 columns found and proved the optimum
/// in 51 s (three Gomory rounds: 119 s in all, against session 8's 398 s).
pub(super) fn optimistic_reach(
    m: &Model,
    d: &[f64],
    delta: f64,
    min_columns: usize,
    tight_bound: bool,
) -> f64 {
    let within = m
        .columns
        .iter()
        .zip(d)
        .filter(|(c, &dj)| c.integer && dj >= -delta)
        .count();
    let budget = if tight_bound && min_columns > 0 {
        min_columns
    } else {
        (within / 3).max(min_columns)
    };
    capped_reach(m, d, delta, budget).unwrap_or(delta)
}

/// The reach δ' <= `delta` of reduced costs (`d_j >= −δ'`) that keeps at most `budget` of the
/// integer columns, or `None` when even δ' = 0 keeps more. Ties at the threshold stay in.
pub(super) fn capped_reach(m: &Model, d: &[f64], delta: f64, budget: usize) -> Option<f64> {
    let mut within: Vec<f64> = m
        .columns
        .iter()
        .zip(d)
        .filter(|(c, &dj)| c.integer && dj >= -delta)
        .map(|(_, &dj)| dj.min(0.0))
        .collect();
    if within.len() <= budget {
        return Some(delta);
    }
    if budget == 0 {
        return None;
    }
    // The budget-th largest reduced cost: every column at or above it stays.
    let (_, &mut t, _) = within.select_nth_unstable_by(budget - 1, |a, b| b.total_cmp(a));
    let reach = -t;
    (reach > 0.0 || within.iter().filter(|&&v| v >= 0.0).count() <= budget).then_some(reach)
}

/// See [`presolve_pays`].
const PRESOLVE_GAP: f64 = 1e-2;
const PRESOLVE_COLUMNS: usize = 50_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, ColumnKind, Row, RowKind};

    fn pair(j: u32) -> Column {
        Column {
            kind: ColumnKind::Pair(j),
            objective: 1.0,
            upper: 1.0,
            integer: true,
        }
    }

    /// A plan HiGHS accepts with loose tolerances (a hard row missed by 5e-8, "dust") is not a
    /// plan; rows with a shortfall column absorb any rounding; non-integral values are refused.
    #[test]
    fn rounded_plans_are_checked_against_hard_rows_only() {
        let mut m = Model {
            columns: vec![pair(0), pair(1)],
            ..Default::default()
        };
        m.columns.push(Column {
            kind: ColumnKind::Shortfall {
                rule: 0,
                team: Some(0),
            },
            objective: -1.0,
            upper: 1.0,
            integer: false,
        });
        // Hard: x0 − 0.33333335·(x0 + x1) >= 0 needs x0 when x1 is placed.
        m.rows.push(Row {
            kind: RowKind::RuleMin {
                rule: 1,
                team: None,
            },
            lower: 0.0,
            upper: f64::INFINITY,
            entries: vec![(0, 1.0 - 0.333_333_35), (1, -0.333_333_35)].into(),
        });
        // Soft: x1 + s >= 1.
        m.rows.push(Row {
            kind: RowKind::RuleMin {
                rule: 0,
                team: Some(0),
            },
            lower: 1.0,
            upper: f64::INFINITY,
            entries: vec![(1, 1.0), (2, 1.0)].into(),
        });
        let cols = [0, 1, 2];
        assert!(holds_when_rounded(&m, &cols, &[1.0, 1.0, 0.0]));
        assert!(holds_when_rounded(&m, &cols, &[0.0, 0.0, 0.0]), "s absorbs");
        // x0 = 1e-8 rounds to 0: the hard row then fails by 0.33333335 · 1.
        assert!(!holds_when_rounded(&m, &cols, &[1e-8, 1.0, 0.0]));
        assert!(!holds_when_rounded(&m, &cols, &[0.5, 1.0, 0.0]));
        // Dust: a row whose bound only misses by 5e-8 still fails.
        m.rows[0].lower = 5e-8;
        assert!(!holds_when_rounded(&m, &cols, &[0.0, 0.0, 0.0]));
    }
}

#[cfg(test)]
mod budget_tests {
    use super::*;
    use crate::model::{Column, ColumnKind};

    fn model(n: usize) -> Model {
        let mut m = Model::default();
        for j in 0..n {
            m.columns.push(Column {
                kind: ColumnKind::Pair(j as u32),
                objective: 1.0,
                upper: 1.0,
                integer: true,
            });
        }
        m
    }

    /// No time limit: only the memory cap; less time, fewer columns; no time, none.
    #[test]
    fn the_budget_follows_the_time_left() {
        assert_eq!(column_budget(None), MAX_MIP_COLUMNS);
        assert_eq!(column_budget(Some(0.0)), 0);
        assert!(column_budget(Some(10.0)) < column_budget(Some(60.0)));
        assert_eq!(column_budget(Some(1e9)), MAX_MIP_COLUMNS);
        // 1.43 M columns (measured: 212 s before the first node) need over 10 minutes.
        assert!(column_budget(Some(600.0)) < 1_434_577);
    }

    /// The narrowed first reach keeps a third of the columns the incumbent needs (the best
    /// reduced costs), at least `min_columns`, and never widens.
    #[test]
    fn a_narrowed_reach_keeps_a_third_of_the_columns() {
        let m = model(90);
        let d: Vec<f64> = (0..90).map(|j| -0.01 * j as f64).collect();
        let within = |r: f64| d.iter().filter(|&&dj| dj >= -r).count();
        assert_eq!(within(optimistic_reach(&m, &d, 1.0, 10, false)), 30);
        assert_eq!(within(optimistic_reach(&m, &d, 1.0, 50, false)), 50);
        // Fewer columns than the minimum: the incumbent's reach, unchanged.
        assert_eq!(optimistic_reach(&m, &d, 0.3, 40, false), 0.3);
        assert!(optimistic_reach(&m, &d, 1.0, 0, false) <= 1.0);
        // A tight bound keeps the minimum only, not a third; a minimum of 0 keeps a third.
        assert_eq!(within(optimistic_reach(&m, &d, 1.0, 10, true)), 10);
        assert_eq!(within(optimistic_reach(&m, &d, 1.0, 0, true)), 30);
    }

    /// The reach keeps the columns of largest reduced cost, never more than the budget unless
    /// they tie at 0, and never widens beyond the δ asked for.
    #[test]
    fn a_capped_reach_keeps_the_best_reduced_costs() {
        let m = model(6);
        let d = [0.0, -0.1, -0.2, -0.3, -0.5, -0.05];
        assert_eq!(capped_reach(&m, &d, 0.4, 10), Some(0.4));
        assert_eq!(capped_reach(&m, &d, 0.4, 5), Some(0.4));
        assert_eq!(capped_reach(&m, &d, 0.4, 3), Some(0.1));
        assert_eq!(capped_reach(&m, &d, 0.4, 2), Some(0.05));
        assert_eq!(capped_reach(&m, &d, 0.4, 0), None);
        let kept = |r: f64| d.iter().filter(|&&v| v >= -r).count();
        for budget in 1..6 {
            let r = capped_reach(&m, &d, 0.4, budget).unwrap();
            assert!(
                kept(r) <= budget,
                "budget {budget}: reach {r} keeps {}",
                kept(r)
            );
        }
        // Three columns at reduced cost 0 cannot be cut to two.
        let ties = model(3);
        assert_eq!(capped_reach(&ties, &[0.0, 0.0, 0.0], 0.1, 2), None);
        assert_eq!(capped_reach(&ties, &[0.0, 0.0, -0.2], 0.1, 2), Some(0.1));
    }
}
