//! `postfit slate SCENARIO --k K`: for each post, the K candidates whose appointment costs the
//! whole plan least, each with its exact loss.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use postfit::error::Error;
use postfit::plan::Status;
use postfit::slate::{render_markdown, render_table, slates, SlateDocument, SlateOptions};
use postfit::solve::SolveOptions;

use super::conventions::{id_list, whole_number};
use super::output::{print_out, print_table, OutTarget};
use super::usage;

/// What `slate` prints on stdout.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq, Debug)]
pub enum SlateFormat {
    /// Readable tables.
    Table,
    /// JSON for programs.
    Json,
    /// A Markdown document for a decision body: a section per team, a table per post.
    Markdown,
}

/// Arguments of `postfit slate`.
#[derive(clap::Args)]
pub struct SlateArgs {
    /// The scenario file (JSON, see `postfit schema`).
    pub scenario: PathBuf,
    /// Candidates per post (at least 1).
    #[arg(long, value_name = "K", allow_negative_numbers = true, value_parser = whole_number::<usize, 1>)]
    pub k: usize,
    /// Only these posts (ids, comma-separated); default every post.
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub posts: Option<Vec<String>>,
    /// Also write the slates here (atomically; - for stdout); `.json` writes JSON, `.md`
    /// Markdown, `.txt` the table, another format's name (.csv, .xlsx, ...) is refused, any
    /// other name gets the --format. Never an input of the command.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SlateFormat,
    /// Stop after this many seconds (base solve and re-solves together) and output what is
    /// proven so far, each slate marked complete or not.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub time_limit: Option<f64>,
    /// Worker threads for parallel re-solves, 1 to 4 x the cores (answers never depend on it).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = whole_number::<usize, 1>)]
    pub threads: Option<usize>,
}

fn render(doc: &SlateDocument, format: SlateFormat) -> String {
    match format {
        SlateFormat::Table => render_table(doc),
        SlateFormat::Json => serde_json::to_string_pretty(doc).expect("slates serialise") + "\n",
        SlateFormat::Markdown => render_markdown(doc),
    }
}

/// Runs `slate`: exit 0 with slates, 3 when the scenario is infeasible, 4 when the time limit
/// ran out before the base plan.
pub fn run(args: &SlateArgs) -> Result<ExitCode, Error> {
    if args.k == 0 {
        return Err(usage("--k", "must be at least 1"));
    }
    super::conventions::check_time_limit(args.time_limit)?;
    if let Some(n) = args.threads {
        super::conventions::check_threads(n)?;
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let started = Instant::now();
    // Checked before any long work: a bad --out (e.g. the scenario itself) fails at once.
    let out_format = match &args.out {
        Some(o) => super::out_format::by_extension(
            "--out",
            o,
            "slates are",
            &[
                ("json", SlateFormat::Json),
                ("md", SlateFormat::Markdown),
                ("markdown", SlateFormat::Markdown),
                ("txt", SlateFormat::Table),
            ],
            args.format,
        )?,
        None => args.format,
    };
    let out = args
        .out
        .as_deref()
        .map(|o| OutTarget::check(o, &[args.scenario.as_path()]))
        .transpose()?;
    let ids = args
        .posts
        .as_deref()
        .map(|ids| id_list("--posts", ids))
        .transpose()?;
    let (scenario, _raw, _sha) = postfit::load(&args.scenario)?;
    let file = args.scenario.display().to_string();
    let posts = ids
        .as_ref()
        .map(|ids| {
            ids.iter()
                .map(|id| {
                    // Exact first (ids may have spaces around them), then as trimmed.
                    let found = scenario
                        .post_by_id(id)
                        .or_else(|| scenario.post_by_id(id.trim()));
                    found.ok_or_else(|| {
                        Error::Input(postfit::InputError::new(
                            &file,
                            "",
                            format!("unknown post \"{id}\" (--posts)"),
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let opts = SlateOptions {
        k: args.k,
        posts,
        solve: SolveOptions {
            time_limit: args.time_limit,
            ..Default::default()
        },
    };
    let bar = progress_bar();
    let tick = |done: usize, total: usize| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let doc = slates(&scenario, &opts, started, &tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let doc = doc?;
    // Exit 4 writes no file (`postfit --help`): a time-out before the base plan has no slates.
    let written = out.as_ref().filter(|_| doc.status != Status::NoSolution);
    if let Some(target) = written {
        let text = render(&doc, out_format);
        // A table in a file is read with `cat` too: escaped like the table on stdout.
        let text = match out_format {
            SlateFormat::Table => postfit::render::escape_text(&text).into_owned(),
            _ => text,
        };
        target.write(text.as_bytes())?;
    }
    if !out.as_ref().is_some_and(OutTarget::is_stdout) {
        let text = render(&doc, args.format);
        match args.format {
            SlateFormat::Table => print_table(&text)?,
            SlateFormat::Json | SlateFormat::Markdown => print_out(&text)?,
        }
    }
    Ok(match doc.status {
        Status::Infeasible => {
            super::output::say(&format!(
                "{file}: hard rules and must-fill posts cannot all hold: no slates \
                 (postfit solve shows the diagnosis)"
            ));
            ExitCode::from(3)
        }
        Status::NoSolution => {
            super::output::say(&format!(
                "{file}: no plan found within the time limit; no slates{}",
                if out.as_ref().is_some_and(|o| !o.is_stdout()) {
                    " (no file written)"
                } else {
                    ""
                }
            ));
            ExitCode::from(4)
        }
        _ => ExitCode::SUCCESS,
    })
}

/// Posts done of total with elapsed time, only when stderr is a terminal.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new(0);
    pb.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    pb.set_style(
        indicatif::ProgressStyle::with_template("slates: {pos}/{len} posts [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(pb)
}
