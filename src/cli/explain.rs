//! `postfit explain SCENARIO --candidate ID | --post ID`: why a placement is what it is, and
//! what forcing another would cost.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::error::Error;
use postfit::solve::SolveOptions;

use super::{usage, Format};

/// Arguments of `postfit explain`.
#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The scenario: a JSON file (see `postfit schema`), a workbook (.xlsx/.xls/.ods) or a folder of CSV files (docs/workbook.md).
    pub scenario: PathBuf,
    /// The candidate to explain (with --post: only that post).
    #[arg(long, value_name = "ID")]
    pub candidate: Option<String>,
    /// The post to explain (with --candidate: the pair).
    #[arg(long, value_name = "ID")]
    pub post: Option<String>,
    /// Output on stdout: readable tables, or JSON.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Runs `explain`.
pub fn run(args: &ExplainArgs) -> Result<ExitCode, Error> {
    let path = &args.scenario;
    let format = args.format;
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
    let opts = SolveOptions::default();
    let text = match (args.candidate.as_deref(), post) {
        (Some(id), post) => {
            let c = scenario
                .candidate_by_id(id)
                .ok_or_else(|| unknown("candidate", id))?;
            let e = postfit::explain::explain_candidate(&scenario, c, post, &opts)?;
            match format {
                Format::Table => postfit::explain::render_candidate(&scenario, &e),
                Format::Json => serde_json::to_string_pretty(&e).expect("serialises") + "\n",
            }
        }
        (None, Some(p)) => {
            let e = postfit::explain::explain_post(&scenario, p, &opts)?;
            match format {
                Format::Table => postfit::explain::render_post(&scenario, &e),
                Format::Json => serde_json::to_string_pretty(&e).expect("serialises") + "\n",
            }
        }
        (None, None) => return Err(usage("explain", "give --candidate ID, --post ID, or both")),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
