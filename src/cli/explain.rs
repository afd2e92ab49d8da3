//! `postfit explain SCENARIO --candidate ID | --post ID`: why a placement is what it is, and
//! what forcing another would cost.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::plan::Status;

use postfit::error::Error;
use postfit::solve::SolveOptions;

use postfit::deadline::Deadline;

use super::output::{print_out, print_table};
use super::{progress, usage, Format};

/// Arguments of `postfit explain`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("subject").required(true).multiple(true).args(["candidate", "post"])))]
pub struct ExplainArgs {
    /// The scenario: a JSON file (see `postfit schema`), a workbook (.xlsx/.xls/.ods) or a
    /// folder of CSV files (docs/workbook.md); - reads JSON from stdin.
    pub scenario: PathBuf,
    /// The candidate to explain (with --post: only that post).
    #[arg(long, value_name = "ID")]
    pub candidate: Option<String>,
    /// The post to explain (with --candidate: the pair).
    #[arg(long, value_name = "ID")]
    pub post: Option<String>,
    /// Output on stdout: readable tables, JSON, or tables as tab-separated values.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// One deadline for the whole command (loading, the base solve, every forced re-solve);
    /// re-solves cut short are reported as such.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub time_limit: Option<f64>,
}

/// Runs `explain`.
pub fn run(args: &ExplainArgs) -> Result<ExitCode, Error> {
    let deadline = args.time_limit.map(Deadline::after_secs);
    super::conventions::check_time_limit(args.time_limit)?;
    let path = &args.scenario;
    let format = args.format.apply();
    let (scenario, _raw, _sha) = postfit::load(path)?;
    let file = path.display().to_string();
    let unknown = |what: &str, id: &str| {
        Error::Input(postfit::InputError::new(
            &file,
            "",
            format!("unknown {what} \"{id}\" (--{what})"),
        ))
    };
    let post = args
        .post
        .as_deref()
        .map(|id| scenario.post_by_id(id).ok_or_else(|| unknown("post", id)))
        .transpose()?;
    let opts = SolveOptions {
        time_limit: args.time_limit,
        deadline,
        ..Default::default()
    };
    let (text, status) = match (args.candidate.as_deref(), post) {
        (Some(id), post) => {
            let c = scenario
                .candidate_by_id(id)
                .ok_or_else(|| unknown("candidate", id))?;
            let spinner = progress(&format!("explaining {id}: solving"));
            let tick = |done: usize, total: usize| {
                spinner.set_message(
                    postfit::render::escape(&format!(
                        "explaining {id}: {done} of at most {total} re-solves"
                    ))
                    .into_owned(),
                )
            };
            let e = postfit::explain::explain_candidate_with(&scenario, c, post, &opts, &tick);
            spinner.finish_and_clear();
            let e = e?;
            let text = match format {
                Format::Table | Format::Tsv => postfit::explain::render_candidate(&scenario, &e),
                Format::Json => serde_json::to_string_pretty(&e).expect("serialises") + "\n",
            };
            (text, e.status)
        }
        (None, Some(p)) => {
            let spinner = progress(&format!("explaining post {}", scenario.posts[p].id));
            let e = postfit::explain::explain_post(&scenario, p, &opts);
            spinner.finish_and_clear();
            let e = e?;
            let text = match format {
                Format::Table | Format::Tsv => postfit::explain::render_post(&scenario, &e),
                Format::Json => serde_json::to_string_pretty(&e).expect("serialises") + "\n",
            };
            (text, e.status)
        }
        (None, None) => return Err(usage("explain", "give --candidate ID, --post ID, or both")),
    };
    match format {
        Format::Json => print_out(&text)?,
        Format::Table | Format::Tsv => print_table(&text)?,
    }
    // Without the optimal plan there are no costs: the exit code says why, as `slate`'s does.
    Ok(match status {
        Status::Infeasible => {
            super::output::say(&format!(
                "{file}: hard rules and must-fill posts cannot all hold: eligibility only, no \
                 costs (postfit solve shows the diagnosis)"
            ));
            ExitCode::from(3)
        }
        Status::NoSolution => {
            super::output::say(&format!(
                "{file}: no plan found within the time limit: eligibility only, no costs"
            ));
            ExitCode::from(4)
        }
        _ => ExitCode::SUCCESS,
    })
}
