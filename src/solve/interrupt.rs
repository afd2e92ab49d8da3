//! Stops HiGHS at a wall-clock instant, also inside a long root node or simplex run where its
//! own `time_limit` is checked too rarely (issue 7 item 3): an interrupt callback (HiGHS C API
//! `Highs_setCallback` with the MIP, simplex and IPM interrupt kinds) that asks HiGHS to stop
//! once the instant has passed. HiGHS then ends with status `ReachedInterrupt`, keeping its
//! incumbent, which the callers read like a time-out.

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// No interrupt armed.
const NEVER: u64 = u64::MAX;

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
    at: Box<AtomicU64>,
}

unsafe extern "C" fn on_callback(
    _kind: c_int,
    _message: *const c_char,
    _out: *const highs_sys::HighsCallbackDataOut,
    input: *mut highs_sys::HighsCallbackDataIn,
    user: *mut c_void,
) {
    if input.is_null() || user.is_null() {
        return;
    }
    // SAFETY: `user` is the `AtomicU64` boxed in the `Interrupt` that outlives every solve of
    // this model; `input` is HiGHS's own writable struct for this call.
    let at = unsafe { &*(user as *const AtomicU64) }.load(Ordering::Relaxed);
    if at != NEVER && nanos_since_origin(Instant::now()) >= at {
        unsafe { (*input).user_interrupt = 1 };
    }
}

impl Interrupt {
    /// Installs the callback on `model` (the pointer of a `highs::Model`), unarmed.
    pub(super) fn install(model: *mut c_void) -> Result<Interrupt, String> {
        let at = Box::new(AtomicU64::new(NEVER));
        let user = &*at as *const AtomicU64 as *mut c_void;
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
            Ok(Interrupt { at })
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
        self.at.store(at, Ordering::Relaxed);
    }
}
