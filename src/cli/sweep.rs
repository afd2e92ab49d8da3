//! `postfit sweep SWEEP.json`: a base scenario and its what-if variants, solved exactly and side
//! by side (spec "Sweeps"); `postfit sweep merge FILES...` joins the outputs of shards.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use postfit::error::Error;
use postfit::sweep::{
    load_sweep, merge_lines, read_shards, render_csv, render_jsonl, render_markdown, render_table,
    run_sweep, solves_to_run, Line, Shard, SweepOptions,
};

use super::conventions::whole_number;
use super::output::OutTarget;
use super::usage;

/// Arguments of `postfit sweep`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SweepArgs {
    #[command(subcommand)]
    pub command: Option<SweepCommand>,
    /// The sweep file (JSON: `base`, `variants`, `axes`; see the README).
    #[arg(required = true)]
    pub sweep: Option<PathBuf>,
    /// Write the results here (atomically): JSONL, one line per variant (.jsonl or any other
    /// name); .csv CSV, .md Markdown, .txt the table; other formats' names are refused.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SweepFormat,
    /// Variants solved at once (answers and line order never depend on it).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = whole_number::<usize, 1>)]
    pub threads: Option<usize>,
    /// Add, for each rule of the base, the base without that rule and its price (the
    /// objective the rule costs).
    #[arg(long)]
    pub price_rules: bool,
    /// Run only variants whose index modulo N is I (`I/N`), or take I and N from the scheduler
    /// (`env`: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or
    /// JOB_COMPLETION_INDEX/POSTFIT_SHARDS). The base is always solved.
    #[arg(long, value_name = "I/N|env")]
    pub shard: Option<String>,
    /// Stop each solve after this many seconds (its best plan is `feasible`).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub time_limit: Option<f64>,
}

#[derive(Subcommand)]
pub enum SweepCommand {
    /// Join the JSONL outputs of a sweep's shards into the output one machine would give.
    Merge(MergeArgs),
}

/// Arguments of `postfit sweep merge`.
#[derive(Args)]
pub struct MergeArgs {
    /// The shards' JSONL outputs, in any order.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Write the merged lines here (atomically): JSONL (.jsonl or any other name); .csv CSV,
    /// .md Markdown, .txt the table; other formats' names are refused.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output on stdout.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: SweepFormat,
}

/// What `sweep` prints on stdout.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum SweepFormat {
    /// Base and variants side by side.
    Table,
    /// One JSON object per line (what --out writes).
    Jsonl,
    /// Comma-separated values for spreadsheets.
    Csv,
    /// A Markdown table, for reports.
    Markdown,
}

/// Runs `sweep` or `sweep merge`: exit 0 when every line was produced (invalid and infeasible
/// variants included), 2 on bad input or usage, 5 when a variant hit an internal error.
pub fn run(args: &SweepArgs) -> Result<ExitCode, Error> {
    if let Some(SweepCommand::Merge(m)) = &args.command {
        return merge(m);
    }
    let path = args
        .sweep
        .as_deref()
        .ok_or_else(|| usage("SWEEP", "missing"))?;
    super::conventions::check_time_limit(args.time_limit)?;
    if let Some(n) = args.threads {
        super::conventions::check_threads(n)?;
    }
    let shard = args
        .shard
        .as_deref()
        .map(|s| Shard::parse(s, |k| std::env::var(k).ok()))
        .transpose()?;
    let out_format = out_format(args.out.as_deref())?;
    let sweep = load_sweep(path)?;
    // Checked before the long work: never the sweep file or its base, never a directory.
    let out = args
        .out
        .as_deref()
        .map(|o| OutTarget::check(o, &[path, sweep.base_path.as_path()]))
        .transpose()?;
    let opts = SweepOptions {
        time_limit: args.time_limit,
        price_rules: args.price_rules,
        shard,
        threads: args.threads,
        ..Default::default()
    };
    let bar = progress_bar(solves_to_run(&sweep, &opts) as u64);
    let lines = run_sweep(&sweep, &opts, &|| bar.inc(1));
    bar.finish_and_clear();
    let lines = lines?;
    output(&lines, out.as_ref(), out_format, args.format)?;
    let failed: Vec<&Line> = lines.iter().filter(|l| l.status == "error").collect();
    for l in &failed {
        super::output::say(&format!(
            "variant {}: {}",
            l.variant,
            l.error.as_deref().unwrap_or("internal error")
        ));
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(5)
    })
}

fn merge(m: &MergeArgs) -> Result<ExitCode, Error> {
    let inputs: Vec<&std::path::Path> = m.files.iter().map(|f| f.as_path()).collect();
    let out_format = out_format(m.out.as_deref())?;
    let out = m
        .out
        .as_deref()
        .map(|o| OutTarget::check(o, &inputs))
        .transpose()?;
    let files = read_shards(&m.files)?;
    let lines = merge_lines(&files)?;
    output(&lines, out.as_ref(), out_format, m.format)?;
    Ok(ExitCode::SUCCESS)
}

/// The format `--out` writes, from its extension: `.jsonl` (also `.json`, `.ndjson` and any
/// name of no known format) JSON Lines, `.csv` CSV, `.md` Markdown, `.txt` the table; another
/// format's name (`.xlsx`, `.html`, ...) is refused before any work.
fn out_format(out: Option<&std::path::Path>) -> Result<SweepFormat, Error> {
    let Some(o) = out else {
        return Ok(SweepFormat::Jsonl);
    };
    super::out_format::by_extension(
        "--out",
        o,
        "sweep results are",
        &[
            ("jsonl", SweepFormat::Jsonl),
            ("json", SweepFormat::Jsonl),
            ("ndjson", SweepFormat::Jsonl),
            ("csv", SweepFormat::Csv),
            ("md", SweepFormat::Markdown),
            ("markdown", SweepFormat::Markdown),
            ("txt", SweepFormat::Table),
        ],
        SweepFormat::Jsonl,
    )
}

fn render(lines: &[Line], format: SweepFormat) -> String {
    match format {
        SweepFormat::Jsonl => render_jsonl(lines),
        // A table in a file is read with `cat` too: escaped like the table on stdout.
        SweepFormat::Table => postfit::render::escape_text(&render_table(lines)).into_owned(),
        SweepFormat::Csv => render_csv(lines),
        SweepFormat::Markdown => render_markdown(lines),
    }
}

fn output(
    lines: &[Line],
    out: Option<&OutTarget>,
    out_format: SweepFormat,
    format: SweepFormat,
) -> Result<(), Error> {
    if let Some(out) = out {
        out.write(render(lines, out_format).as_bytes())?;
        if out.is_stdout() {
            return Ok(());
        }
    }
    match format {
        SweepFormat::Jsonl => super::output::print_out(&render_jsonl(lines)),
        SweepFormat::Table => super::output::print_table(&render_table(lines)),
        // CSV keeps the data exact for spreadsheets and pipes; on a terminal its control
        // characters are escaped as tables' are, so a name cannot drive the terminal.
        SweepFormat::Csv if std::io::stdout().is_terminal() => {
            super::output::print_out(&postfit::render::escape_text(&render_csv(lines)))
        }
        SweepFormat::Csv => super::output::print_out(&render_csv(lines)),
        SweepFormat::Markdown => super::output::print_out(&render_markdown(lines)),
    }
}

/// Variants done of total, elapsed and estimated remaining time, on stderr when it is a
/// terminal (hidden otherwise, e.g. in a batch job's log).
fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new(len);
    pb.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "sweep {bar:30} {pos}/{len} solved [{elapsed} elapsed, ~{eta} left]",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb
}
