//! One deadline for a whole command: `--time-limit` starts it before loading, and every phase
//! (pairs, model, pricing, each MIP, the diagnosis, explain's re-solves) works against it.
//!
//! A [`Deadline`] is an instant on the monotonic clock. It travels in
//! [`SolveOptions::deadline`](crate::solve::SolveOptions); the solver module turns it into
//! HiGHS's own time limit and an interrupt callback, so HiGHS stops inside a long root node too.

use std::time::{Duration, Instant};

/// A point on the monotonic clock after which a command gives up (issue 7 item 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Deadline {
    at: Instant,
}

impl Deadline {
    /// The deadline `seconds` from now. `seconds` must be finite and positive (the CLI checks);
    /// a value too large for the clock saturates at a century.
    pub fn after_secs(seconds: f64) -> Deadline {
        Deadline::after_secs_from(Instant::now(), seconds)
    }

    /// The deadline `seconds` after `start`: not finite or not positive is `start` itself, and
    /// a value too large for the clock saturates at a century (`--time-limit 1e20` once
    /// panicked in `slate` and `explain`, which converted it themselves).
    pub fn after_secs_from(start: Instant, seconds: f64) -> Deadline {
        let secs = if seconds.is_finite() && seconds > 0.0 {
            seconds.min(3.15e9)
        } else {
            0.0
        };
        Deadline::at(start + Duration::from_secs_f64(secs))
    }

    /// The deadline at a given instant.
    pub fn at(at: Instant) -> Deadline {
        Deadline { at }
    }

    /// The instant itself.
    pub fn instant(self) -> Instant {
        self.at
    }

    /// Seconds left (0 when passed).
    pub fn remaining_secs(self) -> f64 {
        self.at
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    }

    /// Whether the deadline has passed.
    pub fn passed(self) -> bool {
        Instant::now() >= self.at
    }

    /// The tighter of a relative limit (seconds from now) and this deadline, as seconds from
    /// now: what a solver call may still take.
    pub fn clamp_secs(self, limit: Option<f64>) -> f64 {
        let left = self.remaining_secs();
        limit.map_or(left, |t| t.min(left))
    }
}

/// The earlier of two optional deadlines.
pub fn earliest(a: Option<Deadline>, b: Option<Deadline>) -> Option<Deadline> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_and_counts_down() {
        let d = Deadline::after_secs(0.05);
        assert!(!d.passed());
        assert!(d.remaining_secs() <= 0.05);
        std::thread::sleep(Duration::from_millis(60));
        assert!(d.passed());
        assert_eq!(d.remaining_secs(), 0.0);
        assert_eq!(d.clamp_secs(Some(10.0)), 0.0);
    }

    #[test]
    fn clamp_takes_the_tighter() {
        let d = Deadline::after_secs(100.0);
        assert_eq!(d.clamp_secs(Some(1.0)), 1.0);
        assert!(d.clamp_secs(None) > 99.0);
        assert!(Deadline::after_secs(f64::NAN).passed());
        assert!(!Deadline::after_secs(f64::MAX).passed());
    }

    #[test]
    fn earliest_of_two() {
        let a = Deadline::after_secs(1.0);
        let b = Deadline::after_secs(2.0);
        assert_eq!(earliest(Some(a), Some(b)), Some(a));
        assert_eq!(earliest(None, Some(b)), Some(b));
        assert_eq!(earliest(None, None), None);
    }
}
