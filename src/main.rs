//! The `postfit` command line: parses arguments, calls the library, renders. Nothing else.
//!
//! Each command lives in its own file under `src/cli/`; this file only declares the commands
//! and maps errors to exit codes.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use postfit::error::Error;

#[derive(Parser)]
#[command(
    name = "postfit",
    version,
    about = "Places reserve cadres in vacant leadership posts: exact, explained, checked.",
    after_help = cli::conventions::EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find the plan with the highest total fit that keeps every rule, proven optimal.
    Solve(cli::solve::SolveArgs),
    /// Verify any plan against a scenario; exit 1 if it breaks anything
    ///
    /// The plan may come from postfit or be written by hand: only `post` and `candidate` of each
    /// placement are read.
    Check(cli::check::CheckArgs),
    /// Supply check without solving: who can take each post, and what cannot work
    ///
    /// Eligible candidates per post (and per group a rule needs), posts no one can take,
    /// candidates eligible for nothing and why, rules impossible on their face. Exit 3 when it
    /// proves the scenario infeasible.
    Inspect(cli::inspect::InspectArgs),
    /// Why a candidate is placed where they are, and who else could take a post, at what cost
    ///
    /// For a candidate: every post they could or could not take, every eligibility condition
    /// with its values, and the exact cost to the plan of forcing them in. For a post: who holds
    /// it, who else could, at what cost.
    Explain(cli::explain::ExplainArgs),
    /// Fit-rate report of plans beside a greedy baseline: HTML with charts, Markdown, CSV
    ///
    /// With no plan, solves the scenario and reports the optimal plan. With plans, reports each
    /// and compares them side by side. Markdown goes to stdout unless an output is named.
    Report(cli::report::ReportArgs),
    /// Compare two plans: posts that change hands, and the change in objective and rules
    ///
    /// Lists the posts whose holder differs between PLAN_A (before) and PLAN_B (after), with the
    /// fit before and after, and the change in the objective and in each rule's value.
    Diff(cli::diff::DiffArgs),
    /// For each post, the K candidates whose appointment costs the whole plan least, exactly
    ///
    /// Each entry's loss is the optimum minus the optimum with that candidate forced in
    /// (everything else re-optimised, every hard rule kept); the duals of the base solve prove
    /// most candidates out without a re-solve.
    Slate(cli::slate::SlateArgs),
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Write a seeded synthetic scenario shaped by real re-election statistics.
    Generate(cli::generate::GenerateArgs),
    /// Solve a base scenario and its what-if variants side by side (and `sweep merge` shards)
    ///
    /// Variants are JSON Patches over the base, plus the Cartesian product of `axes`; each is
    /// solved exactly, in parallel. `--price-rules` prices each rule; `--shard I/N|env` splits
    /// the work over a cluster's array job, `sweep merge` joins the pieces.
    Sweep(cli::sweep::SweepArgs),
    /// Convert a scenario between JSON and a workbook (.xlsx), both ways, losslessly.
    Convert(cli::convert::ConvertArgs),
    /// Write an empty scenario workbook to fill in (every sheet, one example row each).
    Template(cli::template::TemplateArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cli::conventions::clap_error(e),
    };
    cli::conventions::check_solver_log();
    cli::output::install_signal_handler();
    postfit::render::set_width(postfit::render::terminal_width());
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            cli::output::say(&e.to_string());
            ExitCode::from(match e {
                Error::Input(_) | Error::Write { .. } => 2,
                Error::Solver(_) | Error::PlanRejected(_) => 5,
            })
        }
    };
    if postfit::solve::solver_abandoned() {
        exit_past_abandoned_solver(code);
    }
    code
}

/// Ends the process with `code` at once, without static destructors: a HiGHS run abandoned past
/// its time limit may still be running on its own thread and using HiGHS's static state.
/// Everything the command writes is written and flushed by now.
fn exit_past_abandoned_solver(code: ExitCode) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    let status = (0..=u8::MAX)
        .find(|&k| ExitCode::from(k) == code)
        .unwrap_or(1);
    // SAFETY: `_exit` ends the process; nothing after it runs.
    unsafe { libc::_exit(i32::from(status)) }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Solve(args) => cli::solve::run(&args),
        Command::Check(args) => cli::check::run(&args),
        Command::Inspect(args) => cli::inspect::run(&args),
        Command::Explain(args) => cli::explain::run(&args),
        Command::Report(args) => cli::report::run(&args),
        Command::Diff(args) => cli::diff::run(&args),
        Command::Slate(args) => cli::slate::run(&args),
        Command::Schema => cli::schema::run(),
        Command::Generate(args) => cli::generate::run(args),
        Command::Sweep(args) => cli::sweep::run(&args),
        Command::Convert(args) => cli::convert::run(&args),
        Command::Template(args) => cli::template::run(&args),
    }
}
