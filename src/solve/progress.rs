//! What a long solve reports while it runs: its phase, the proven bound and the best plan so far
//! (the incumbent), so a user watching a hard instance sees the gap close (or not) instead of a
//! bare spinner.
//!
//! The fast path reports after every LP pricing round, every round of hull cuts, the
//! heuristic's incumbent, the start of each proof MIP and, while HiGHS runs a proof MIP, its
//! incumbent and bound (read in HiGHS's MIP callback, at most four times a second). Values are
//! in the plan's objective (the model's plus its constant part C), so they compare with what
//! `solve` prints at the end.

use std::fmt;
use std::sync::Arc;

/// Where the fast path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// LP column generation: no bound yet (the restricted LP's value bounds nothing until no
    /// column prices in).
    Pricing,
    /// Rounds of hull cuts at the priced-out LP: `bound` is that LP's value.
    Cuts,
    /// The LP-guided heuristic found a plan.
    Incumbent,
    /// A restricted MIP proving the best plan optimal (or finding a better one).
    Proof,
}

/// One report: the phase, columns in play (the LP's or the proof MIP's), and the best proven
/// bound and best plan so far, both in the plan's objective (`None` while unknown).
#[derive(Debug, Clone, PartialEq)]
pub struct SolveProgress {
    pub phase: Phase,
    pub columns: usize,
    pub bound: Option<f64>,
    pub best: Option<f64>,
}

impl SolveProgress {
    /// One line for a progress display, e.g. `proof MIP on 713887 columns · best plan
    /// 1499.7563 · bound 1500.1345 · gap 0.3782`.
    pub fn describe(&self) -> String {
        let mut parts = vec![match self.phase {
            Phase::Pricing => format!("pricing columns ({} in the LP)", self.columns),
            Phase::Cuts => format!("hull cuts ({} columns in the LP)", self.columns),
            Phase::Incumbent => "heuristic plan found".to_string(),
            Phase::Proof => format!("proof MIP on {} columns", self.columns),
        }];
        if let Some(b) = self.best {
            parts.push(format!("best plan {b:.4}"));
        }
        if let Some(b) = self.bound {
            parts.push(format!("bound {b:.4}"));
        }
        if let (Some(z), Some(b)) = (self.best, self.bound) {
            parts.push(format!("gap {:.4}", (b - z).max(0.0)));
        }
        parts.join(" · ")
    }
}

/// Where reports go: a callback shared by the solver's threads (HiGHS calls it from inside its
/// MIP), so it must be cheap and must not block. Two sinks are equal when they are the same
/// callback.
#[derive(Clone)]
pub struct ProgressSink(Arc<dyn Fn(&SolveProgress) + Send + Sync>);

impl ProgressSink {
    /// A sink calling `f` with every report.
    pub fn new(f: impl Fn(&SolveProgress) + Send + Sync + 'static) -> ProgressSink {
        ProgressSink(Arc::new(f))
    }

    pub(crate) fn report(&self, p: &SolveProgress) {
        (self.0)(p)
    }
}

impl fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressSink")
    }
}

impl PartialEq for ProgressSink {
    fn eq(&self, other: &ProgressSink) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The report of a proof MIP over a restricted column set, for [`super::interrupt`]: HiGHS's
/// incumbent (or `best`, the plan it started from, if better) and the bound that holds for the
/// whole model, `min(L, max(restricted bound, L − δ))` (plans using a column outside the
/// restricted set are worth at most `L − δ`). `None` without a sink.
pub(super) fn mip_reporter(
    sink: &Option<ProgressSink>,
    columns: usize,
    lagrangian: f64,
    delta: f64,
    best: Option<f64>,
    constant: f64,
) -> Option<super::interrupt::MipReport> {
    let sink = sink.clone()?;
    Some(Box::new(move |primal: f64, dual: f64| {
        let found = primal.is_finite().then_some(primal);
        let best = match (found, best) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let bound = if dual.is_finite() {
            dual.max(lagrangian - delta).min(lagrangian)
        } else {
            lagrangian
        };
        sink.report(&SolveProgress {
            phase: Phase::Proof,
            columns,
            bound: Some(bound + constant),
            best: best.map(|b| b + constant),
        });
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_the_gap_only_when_both_ends_are_known() {
        let mut p = SolveProgress {
            phase: Phase::Proof,
            columns: 713_887,
            bound: Some(1500.13449),
            best: Some(1499.7563),
        };
        assert_eq!(
            p.describe(),
            "proof MIP on 713887 columns · best plan 1499.7563 · bound 1500.1345 · gap 0.3782"
        );
        p.best = None;
        p.phase = Phase::Cuts;
        assert_eq!(
            p.describe(),
            "hull cuts (713887 columns in the LP) · bound 1500.1345"
        );
    }
}
