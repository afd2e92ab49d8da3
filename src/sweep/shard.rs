//! Shards of a sweep: `--shard I/N` runs the work-list items whose position modulo N is I;
//! `--shard env` reads I and N from the cluster scheduler (Slurm array jobs, Kubernetes Indexed
//! Jobs) so that one job script serves every task.

use crate::error::InputError;

/// Shard `index` of `count` (0 <= index < count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Whether this shard runs work-list item `i` (0-based position after the base).
    pub fn runs(&self, i: usize) -> bool {
        i % self.count == self.index
    }

    /// Parses `I/N` (e.g. `0/3`), or `env` to read the scheduler's variables through `var`
    /// (pass `|k| std::env::var(k).ok()`):
    ///
    /// - Slurm array job: `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT` (the array must
    ///   be `0-(N-1)`: Slurm numbers tasks by the `--array` range);
    /// - Kubernetes Indexed Job: `JOB_COMPLETION_INDEX` and `POSTFIT_SHARDS` (set it to the
    ///   Job's `completions`).
    ///
    /// Errors (exit 2, flag `--shard`): not `I/N` or `env`, N = 0, I >= N, a variable missing,
    /// not a number, or only one of a pair set.
    pub fn parse(text: &str, var: impl Fn(&str) -> Option<String>) -> Result<Shard, InputError> {
        let err = |reason: String| InputError::new("--shard", "", reason);
        if text == "env" {
            let pairs = [
                ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"),
                ("JOB_COMPLETION_INDEX", "POSTFIT_SHARDS"),
            ];
            // Both schedulers' pairs are read: set together they must agree (a job launched by
            // one scheduler inside the other's environment), or the shard is ambiguous.
            let mut found: Option<(Shard, String)> = None;
            for (iv, nv) in pairs {
                let shard = match (var(iv), var(nv)) {
                    (None, None) => continue,
                    (Some(_), None) => {
                        return Err(err(format!("{iv} is set but {nv} is not")));
                    }
                    (None, Some(_)) => {
                        return Err(err(format!("{nv} is set but {iv} is not")));
                    }
                    (Some(i), Some(n)) => {
                        let num = |name: &str, v: &str| {
                            v.trim().parse::<usize>().map_err(|_| {
                                err(format!(
                                    "{name}={} is not a non-negative integer",
                                    serde_json::Value::from(v)
                                ))
                            })
                        };
                        let shard = Shard::new(num(iv, &i)?, num(nv, &n)?)
                            .map_err(|r| err(format!("{iv}={i}, {nv}={n}: {r}")))?;
                        (shard, format!("{iv}={i}, {nv}={n}"))
                    }
                };
                match &found {
                    Some((first, said)) if *first != shard.0 => {
                        return Err(err(format!(
                            "{said} and {} name different shards; unset one pair",
                            shard.1
                        )));
                    }
                    Some(_) => {}
                    None => found = Some(shard),
                }
            }
            if let Some((shard, _)) = found {
                return Ok(shard);
            }
            return Err(err(
                "env: no shard in the environment: expected SLURM_ARRAY_TASK_ID and \
                 SLURM_ARRAY_TASK_COUNT (Slurm array job) or JOB_COMPLETION_INDEX and \
                 POSTFIT_SHARDS (Kubernetes Indexed Job)"
                    .to_string(),
            ));
        }
        let bad = || {
            err(format!(
                "expected I/N (e.g. 0/3) or env, got {}",
                serde_json::Value::from(text)
            ))
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let i = i.trim().parse::<usize>().map_err(|_| bad())?;
        let n = n.trim().parse::<usize>().map_err(|_| bad())?;
        Shard::new(i, n).map_err(|r| err(format!("{text}: {r}")))
    }

    fn new(index: usize, count: usize) -> Result<Shard, String> {
        if count == 0 {
            return Err("the number of shards must be at least 1".to_string());
        }
        if index >= count {
            return Err(format!(
                "shard index {index} is out of range 0..{count} (indices start at 0)"
            ));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn parses_i_of_n() {
        assert_eq!(
            Shard::parse("1/3", env(&[])).unwrap(),
            Shard { index: 1, count: 3 }
        );
        for bad in ["3/3", "1/0", "x/2", "1", "", "-1/2", "1/2/3"] {
            assert!(
                Shard::parse(bad, env(&[])).is_err(),
                "{bad} must be refused"
            );
        }
    }

    #[test]
    fn reads_slurm_and_kubernetes_variables() {
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ];
        assert_eq!(
            Shard::parse("env", env(&slurm)).unwrap(),
            Shard { index: 2, count: 3 }
        );
        let k8s = [("JOB_COMPLETION_INDEX", "0"), ("POSTFIT_SHARDS", "4")];
        assert_eq!(
            Shard::parse("env", env(&k8s)).unwrap(),
            Shard { index: 0, count: 4 }
        );
        // Both pairs set and agreeing: that shard.
        let both = [
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
            ("JOB_COMPLETION_INDEX", "1"),
            ("POSTFIT_SHARDS", "2"),
        ];
        assert_eq!(
            Shard::parse("env", env(&both)).unwrap(),
            Shard { index: 1, count: 2 }
        );
    }

    #[test]
    fn refuses_missing_or_inconsistent_variables() {
        let cases: [&[(&str, &str)]; 6] = [
            &[],
            // Both schedulers' pairs, naming different shards.
            &[
                ("SLURM_ARRAY_TASK_ID", "0"),
                ("SLURM_ARRAY_TASK_COUNT", "2"),
                ("JOB_COMPLETION_INDEX", "1"),
                ("POSTFIT_SHARDS", "2"),
            ],
            &[("SLURM_ARRAY_TASK_ID", "1")],
            &[("POSTFIT_SHARDS", "3")],
            &[
                ("SLURM_ARRAY_TASK_ID", "3"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
            &[("JOB_COMPLETION_INDEX", "a"), ("POSTFIT_SHARDS", "3")],
        ];
        for vars in cases {
            let e = Shard::parse("env", env(vars)).unwrap_err();
            assert_eq!(e.file, "--shard", "{vars:?}: {e}");
        }
    }

    #[test]
    fn shards_cover_every_item_once() {
        for n in 1..5 {
            for i in 0..20 {
                let owners = (0..n)
                    .filter(|&k| Shard { index: k, count: n }.runs(i))
                    .count();
                assert_eq!(owners, 1);
            }
        }
    }
}
