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
    about = "Places reserve cadres in vacant leadership posts: exact, explained, checked."
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
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Write a seeded synthetic scenario shaped by real re-election statistics.
    Generate(cli::generate::GenerateArgs),
    /// Convert a scenario between JSON and a workbook (.xlsx), both ways, losslessly.
    Convert(cli::convert::ConvertArgs),
    /// Write an empty scenario workbook to fill in (every sheet, one example row each).
    Template(cli::template::TemplateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("postfit: {e}");
            ExitCode::from(match e {
                Error::Input(_) | Error::Write { .. } => 2,
                Error::Solver(_) | Error::PlanRejected(_) => 5,
            })
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Solve(args) => cli::solve::run(&args),
        Command::Check(args) => cli::check::run(&args),
        Command::Inspect(args) => cli::inspect::run(&args),
        Command::Explain(args) => cli::explain::run(&args),
        Command::Schema => cli::schema::run(),
        Command::Generate(args) => cli::generate::run(args),
        Command::Convert(args) => cli::convert::run(&args),
        Command::Template(args) => cli::template::run(&args),
    }
}
