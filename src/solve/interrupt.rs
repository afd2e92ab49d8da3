//! Stops HiGHS at a wall-clock instant, also inside a long root node or simplex run where its
//! own `time_limit` is checked too rarely (issue 7 item 3): an interrupt callback (HiGHS C API
//! `Highs_setCallback` with the MIP, simplex and IPM interrupt kinds) that asks HiGHS to stop
//! once the instant has passed. HiGHS then ends with status `ReachedInterrupt`, keeping its
//! incumbent, which the callers read like a time-out.
//!
//! The same callback hands a MIP's incumbent and bound to a progress report when one is set
//! ([`Interrupt::on_mip_progress`]), at most every [`REPORT_EVERY`].

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// No interrupt armed.
const NEVER: u64 = u64::MAX;
/// The least time between two MIP progress reports.
const REPORT_EVERY: Duration = Duration::from_millis(250);

/// Receives a running MIP's (incumbent, bound) in HiGHS's objective; the incumbent is −∞ or +∞
/// while HiGHS has none.
pub(super) type MipReport = Box<dyn Fn(f64, f64) + Send + Sync>;

/// What the callback reads: the armed instant, and the progress report with the instant of
/// its last call.
struct Shared {
    at: AtomicU64,
    /// A running MIP stops once `min(L, max(its bound, floor))` is below `cutoff` (f64 bits;
    /// NEVER: no cutoff): see [`Interrupt::set_cutoff`].
    cutoff: AtomicU64,
    floor: AtomicU64,
    lagrangian: AtomicU64,
    report: Mutex<Option<MipReport>>,
    last_report: AtomicU64,
}

impl Shared {
    fn unarmed() -> Shared {
        Shared {
            at: AtomicU64::new(NEVER),
            cutoff: AtomicU64::new(NEVER),
            floor: AtomicU64::new(0),
            lagrangian: AtomicU64::new(0),
            report: Mutex::new(None),
            last_report: AtomicU64::new(NEVER),
        }
    }
}

/// The clock's origin for the nanosecond instants the callback compares.
fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

fn nanos_since_origin(at: Instant) -> u64 {
    at.saturating_duration_since(origin())
        .as_nanos()
        .min(u128::from(NEVER - 1)) as u64
}

/// An interrupt installed on one HiGHS model. It must live as long as the model may solve (the
/// callback reads it through a raw pointer): keep it beside the model and drop it after.
pub(super) struct Interrupt {
    shared: Box<Shared>,
}

unsafe extern "C" fn on_callback(
    kind: c_int,
    _message: *const c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    input: *mut highs_sys::HighsCallbackDataIn,
    user: *mut c_void,
) {
    if input.is_null() || user.is_null() {
        return;
    }
    // SAFETY: `user` is the `Shared` boxed in the `Interrupt` that outlives every solve of this
    // model; `input` is HiGHS's own writable struct for this call, `out` its readable one.
    let shared = unsafe { &*(user as *const Shared) };
    let now = nanos_since_origin(Instant::now());
    let at = shared.at.load(Ordering::Relaxed);
    if at != NEVER && now >= at {
        unsafe { (*input).user_interrupt = 1 };
    }
    let cutoff = shared.cutoff.load(Ordering::Relaxed);
    if cutoff != NEVER && kind == highs_sys::kHighsCallbackMipInterrupt as c_int && !out.is_null() {
        let dual = unsafe { (*out).mip_dual_bound };
        let floor = f64::from_bits(shared.floor.load(Ordering::Relaxed));
        let lagrangian = f64::from_bits(shared.lagrangian.load(Ordering::Relaxed));
        if dual.is_finite() && dual.max(floor).min(lagrangian) < f64::from_bits(cutoff) {
            unsafe { (*input).user_interrupt = 1 };
        }
    }
    if kind == highs_sys::kHighsCallbackMipInterrupt as c_int && !out.is_null() {
        let last = shared.last_report.load(Ordering::Relaxed);
        if last == NEVER || now.saturating_sub(last) >= REPORT_EVERY.as_nanos() as u64 {
            // Never wait for the lock inside HiGHS: a report in flight skips this one.
            if let Ok(report) = shared.report.try_lock() {
                if let Some(f) = report.as_ref() {
                    shared.last_report.store(now, Ordering::Relaxed);
                    let (primal, dual) =
                        unsafe { ((*out).mip_primal_bound, (*out).mip_dual_bound) };
                    f(primal, dual);
                }
            }
        }
    }
}

impl Interrupt {
    /// Installs the callback on `model` (the pointer of a `highs::Model`), unarmed.
    pub(super) fn install(model: *mut c_void) -> Result<Interrupt, String> {
        let shared = Box::new(Shared::unarmed());
        let user = &*shared as *const Shared as *mut c_void;
        // SAFETY: `model` is a live Highs instance; the callback and its data stay valid while
        // this `Interrupt` lives (the caller keeps it beside the model).
        let ok = unsafe {
            highs_sys::Highs_setCallback(model, Some(on_callback), user) == 0
                && [
                    highs_sys::kHighsCallbackMipInterrupt,
                    highs_sys::kHighsCallbackSimplexInterrupt,
                    highs_sys::kHighsCallbackIpmInterrupt,
                ]
                .iter()
                .all(|&k| highs_sys::Highs_startCallback(model, k) == 0)
        };
        if ok {
            Ok(Interrupt { shared })
        } else {
            Err("HiGHS refused the interrupt callback".to_string())
        }
    }

    /// Arms the interrupt `seconds` from now (`None`: never).
    pub(super) fn arm(&self, seconds: Option<f64>) {
        let at = match seconds {
            Some(s) if s.is_finite() => {
                let s = s.clamp(0.0, 3.15e9);
                nanos_since_origin(Instant::now() + Duration::from_secs_f64(s))
            }
            _ => NEVER,
        };
        self.shared.at.store(at, Ordering::Relaxed);
    }

    /// Stops a running MIP over a restricted column set once every plan is proven worth less
    /// than `cutoff`: the whole model's bound is `min(L, max(MIP bound, floor))`, with
    /// `floor = L − δ` bounding plans that use a column outside the set. `None`: no cutoff.
    pub(super) fn set_cutoff(&self, cutoff: Option<(f64, f64, f64)>) {
        match cutoff {
            Some((cutoff, floor, lagrangian)) => {
                self.shared.floor.store(floor.to_bits(), Ordering::Relaxed);
                self.shared
                    .lagrangian
                    .store(lagrangian.to_bits(), Ordering::Relaxed);
                self.shared
                    .cutoff
                    .store(cutoff.to_bits(), Ordering::Relaxed);
            }
            None => self.shared.cutoff.store(NEVER, Ordering::Relaxed),
        }
    }

    /// Lets go of a model whose run was abandoned ([`super::columns`]'s `watched`): its
    /// callback may still read this state from the solving thread, so the state is leaked (a
    /// few dozen bytes), asked to stop at the next poll, and rid of its progress report; this
    /// `Interrupt` gets a fresh, unused state.
    pub(super) fn abandon(&mut self) {
        self.on_mip_progress(None);
        self.shared.at.store(0, Ordering::Relaxed);
        self.shared.cutoff.store(NEVER, Ordering::Relaxed);
        let fresh = Box::new(Shared::unarmed());
        Box::leak(std::mem::replace(&mut self.shared, fresh));
    }

    /// Sets (or with `None` removes) the report a running MIP's incumbent and bound go to.
    pub(super) fn on_mip_progress(&self, report: Option<MipReport>) {
        if let Ok(mut slot) = self.shared.report.lock() {
            *slot = report;
        }
        // The first callback of the next run reports at once.
        self.shared.last_report.store(NEVER, Ordering::Relaxed);
    }
}
