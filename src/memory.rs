//! Giving freed memory back to the operating system after the large, short-lived allocations of
//! building pairs and models (issue 14 item 5: national-hard's peak memory).
//!
//! glibc's allocator keeps memory freed by the worker threads (per-candidate pair lists, the
//! team move lists, each row's list of entries before it is stored compactly) in its arenas:
//! measured on national-hard, 0.46 GB after the pairs and 0.31 GB more after the model stayed
//! resident for the whole solve although nothing used it. `malloc_trim` returns the free pages
//! of every arena. Elsewhere (other C libraries, other systems) this does nothing.

/// Below this many items (pairs, matrix entries) freed temporaries are small and the allocator
/// reuses them soon: trimming would only cost page faults later (county and city solves, and
/// the many small re-solves of slates and sweeps).
const LARGE: usize = 1 << 20;

/// Returns the allocator's free pages to the system (glibc on Linux; a no-op elsewhere) when
/// the structure just built holds at least [`LARGE`] `items`. Costs a walk over the free
/// lists: call it after large temporary structures are dropped, not in loops.
pub fn give_back_after(items: usize) {
    if items < LARGE {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases memory the allocator holds free; it touches no live
    // allocation and is thread-safe (it takes each arena's lock).
    unsafe {
        libc::malloc_trim(0);
    }
}
