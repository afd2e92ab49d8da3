//! `postfit diff SCENARIO PLAN_A PLAN_B`: what changes between two plans of one scenario.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use postfit::error::Error;
use postfit::plan::{diff_markdown, diff_plans, diff_table, read_plan};

/// What `diff` prints on stdout.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum DiffFormat {
    /// Readable tables.
    Table,
    /// JSON for programs.
    Json,
    /// Markdown tables, to paste into a note.
    Markdown,
}

/// Arguments of `postfit diff`.
#[derive(clap::Args)]
pub struct DiffArgs {
    /// The scenario file both plans belong to.
    pub scenario: PathBuf,
    /// The plan before (e.g. the circulated plan).
    pub plan_a: PathBuf,
    /// The plan after (e.g. the re-plan).
    pub plan_b: PathBuf,
    /// Output on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: DiffFormat,
}

/// Runs `diff`: exit 0 (2 on bad input).
pub fn run(args: &DiffArgs) -> Result<ExitCode, Error> {
    super::conventions::one_stdin(&[&args.scenario, &args.plan_a, &args.plan_b])?;
    let (scenario, _raw, _sha) = postfit::load(&args.scenario)?;
    let a = read_plan(&args.plan_a, &scenario)?;
    let b = read_plan(&args.plan_b, &scenario)?;
    let d = diff_plans(&scenario, &a, &b);
    match args.format {
        DiffFormat::Table => super::output::print_table(&diff_table(&d))?,
        DiffFormat::Markdown => super::output::print_out(&diff_markdown(&d))?,
        DiffFormat::Json => super::output::print_out(
            &(serde_json::to_string_pretty(&d).expect("diffs serialise") + "\n"),
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
