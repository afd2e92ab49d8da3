//! `postfit generate`: writes a seeded synthetic scenario.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::error::Error;

use super::conventions::whole_number;
use super::output::{print_out, OutTarget};
use super::usage;

/// Arguments of `postfit generate`.
#[derive(clap::Args)]
pub struct GenerateArgs {
    /// Start from the options of a preset: county (400 candidates), city (900), province
    /// (5,000), or the hard instances province-hard (5,000) and national-hard (20,000); the flags
    /// below override its values.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(postfit::generate::PRESETS))]
    pub preset: Option<String>,
    /// Reserve pool size [default: 900].
    #[arg(long, allow_negative_numbers = true, value_parser = whole_number::<usize, 0>)]
    pub candidates: Option<usize>,
    /// Jurisdictions (the first is the city) [default: 12].
    #[arg(long, allow_negative_numbers = true, value_parser = whole_number::<usize, 1>)]
    pub jurisdictions: Option<usize>,
    /// Department teams per jurisdiction [default: 10].
    #[arg(long, allow_negative_numbers = true, value_parser = whole_number::<usize, 0>)]
    pub departments: Option<usize>,
    /// Random seed [default: 1].
    #[arg(long, allow_negative_numbers = true, value_parser = whole_number::<u64, 0>)]
    pub seed: Option<u64>,
    /// The scenario's name.
    #[arg(long)]
    pub name: Option<String>,
    /// A hard instance: soft team share rules, a cap on outside appointees, binding fit-rate
    /// targets, uneven supply (fractional LP relaxations). Implied by the `-hard` presets.
    #[arg(long)]
    pub hard: bool,
    /// Write the scenario to this file (atomically; - for stdout) instead of stdout: JSON, or a
    /// scenario workbook when the name ends in .xlsx.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `generate`.
pub fn run(args: GenerateArgs) -> Result<ExitCode, Error> {
    let GenerateArgs {
        preset,
        candidates,
        jurisdictions,
        departments,
        seed,
        name,
        hard,
        out,
    } = args;
    // `.xlsx` writes the scenario as a workbook (as `convert` does), `.json` or any name of no
    // known format JSON; another format's name (`.csv`, `.ods`, ...) is refused at once.
    let as_book = match &out {
        Some(o) => super::out_format::by_extension(
            "--out",
            o,
            "a scenario is",
            &[("json", false), ("xlsx", true)],
            false,
        )?,
        None => false,
    };
    let out = out.map(|o| OutTarget::check(&o, &[])).transpose()?;
    let mut opts = match preset.as_deref() {
        Some(p) => postfit::generate::preset(p).expect("clap checks preset names"),
        None => postfit::generate::GenerateOptions::default(),
    };
    opts.candidates = candidates.unwrap_or(opts.candidates);
    opts.jurisdictions = jurisdictions.unwrap_or(opts.jurisdictions);
    opts.departments = departments.unwrap_or(opts.departments);
    opts.seed = seed.unwrap_or(opts.seed);
    opts.name = name.unwrap_or(opts.name);
    opts.hard |= hard;
    if opts.jurisdictions == 0 {
        return Err(usage("--jurisdictions", "must be at least 1"));
    }
    // Far beyond any real re-election; bounds keep a typo from eating the machine.
    for (flag, value, most) in [
        ("--candidates", opts.candidates, 1_000_000),
        ("--jurisdictions", opts.jurisdictions, 10_000),
        ("--departments", opts.departments, 1_000),
    ] {
        if value > most {
            return Err(usage(flag, &format!("must be at most {most}, got {value}")));
        }
    }
    let teams = opts.jurisdictions * (opts.departments + 3);
    if teams > 200_000 {
        return Err(usage(
            "--jurisdictions",
            &format!("{teams} teams in all (jurisdictions x (departments + 3)); at most 200000"),
        ));
    }
    let raw = postfit::generate::generate(&opts);
    match out {
        Some(target) if as_book => {
            let path = match &target {
                OutTarget::File { named, .. } => named.clone(),
                OutTarget::Stdout => "stdout".to_string(),
            };
            let bytes = postfit::workbook::scenario_xlsx(&raw)
                .map_err(|reason| Error::Write { path, reason })?;
            target.write(&bytes)?
        }
        Some(target) => target.write(postfit::generate::to_json(&raw).as_bytes())?,
        None => print_out(&postfit::generate::to_json(&raw))?,
    }
    Ok(ExitCode::SUCCESS)
}
