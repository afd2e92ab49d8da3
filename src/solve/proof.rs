//! Policy of the fast path's proof MIPs, chosen by measurement: when HiGHS presolve runs,
//! the largest proof MIP built, and the check that a plan found under loose MIP tolerances is
//! a plan of the model.

use crate::model::Model;

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
        for &(j, a) in &r.entries {
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
            entries: vec![(0, 1.0 - 0.333_333_35), (1, -0.333_333_35)],
        });
        // Soft: x1 + s >= 1.
        m.rows.push(Row {
            kind: RowKind::RuleMin {
                rule: 0,
                team: Some(0),
            },
            lower: 1.0,
            upper: f64::INFINITY,
            entries: vec![(1, 1.0), (2, 1.0)],
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
