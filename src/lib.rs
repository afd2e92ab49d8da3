//! postfit: places reserve cadres in vacant leadership posts.
//!
//! Data flows one way: [`scenario`] (raw serde types -> validated, indexed `Scenario`) ->
//! [`eligibility`] (fit and eligibility, pure) -> `model` (the integer program, solver-free) ->
//! `solve` (HiGHS, behind one module) -> [`check`] (independent plan checker) -> [`render`].
//! See ARCHITECTURE.md.

pub mod eligibility;
pub mod error;
pub mod generate;
pub mod scenario;

pub use error::{Error, InputError};
pub use scenario::{load, Scenario};
pub mod check;
pub mod deadline;
pub mod explain;
pub mod inspect;
pub mod memory;
pub mod model;
pub mod plan;
pub mod render;
pub mod report;
pub mod resolve;
pub mod slate;
pub mod solve;
pub mod sweep;
pub mod workbook;
