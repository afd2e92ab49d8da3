//! Hard instances (`GenerateOptions::hard`): rules shaped like real re-elections whose LP
//! relaxations come out fractional, as issue 14 describes. Off by default, so the presets
//! `county`, `city` and `province` generate exactly what they always did.
//!
//! On top of the ordinary scenario: every candidate gets a `system` attribute (`state` or
//! `outside`, about a quarter outside); soft team-scope share rules whose targets cannot be met
//! exactly (at least 40% women in every team, penalty 2 per person short; at least a quarter
//! under 41 in every leadership team, penalty 1.5); a hard placement-scope cap (at most 20% of
//! appointees from outside the state system); binding fit-rate targets (90% and 85% instead of
//! 80% and 75%). Supply is made uneven where candidates are drawn (`people::build`): some
//! counties get a sixth of the reserve others get.

use super::vocab::Dice;
use crate::scenario::raw::{
    AttrValue, OneOrMany, RawPredicate, RawRule, RawScenario, RawWhere, RuleScope, RuleType,
};

/// The group of candidates from outside the state system.
pub(super) const OUTSIDE: &str = "outside";

/// Home-jurisdiction weight of county `j` in a hard scenario (the city keeps 3): counties cycle
/// through 1, 0.4, 1.6 and 0.25, so that supply per post differs sixfold between them.
pub(super) fn county_weight(j: usize) -> f64 {
    [1.0, 0.4, 1.6, 0.25][j % 4]
}

/// Adds the hard features to a generated scenario. Draws from its own random source (seeded
/// from `seed`), so the ordinary part of the scenario is drawn exactly as without them.
pub(super) fn harden(raw: &mut RawScenario, seed: u64) {
    let mut dice = Dice::new(seed ^ 0x6861_7264_6861_7264);
    for c in &mut raw.candidates {
        let outside = dice.chance(0.25);
        c.attributes.insert(
            "system".to_string(),
            AttrValue::Str(if outside { "outside" } else { "state" }.to_string()),
        );
    }
    let mut pred = std::collections::BTreeMap::new();
    pred.insert(
        "system".to_string(),
        RawPredicate {
            in_: Some(vec!["outside".to_string()]),
            ..Default::default()
        },
    );
    raw.groups.insert(OUTSIDE.to_string(), pred);
    for r in &mut raw.rules {
        if r.type_ == RuleType::FitRate {
            r.min = r.min.map(|m| ((m + 0.1) * 100.0).round() / 100.0);
            // The name states the target: "technical posts fit rate 80%" becomes "… 90%".
            if let (Some(name), Some(m)) = (r.name.as_mut(), r.min) {
                if let Some(at) = name.rfind(' ') {
                    name.truncate(at);
                    name.push_str(&format!(" {:.0}%", m * 100.0));
                }
            }
        }
    }
    let rule = |name: &str, type_: RuleType, scope: RuleScope, group: &str| RawRule {
        name: Some(name.to_string()),
        type_,
        scope,
        group: Some(group.to_string()),
        where_: None,
        min: None,
        max: None,
        penalty: None,
    };
    raw.rules.push(RawRule {
        min: Some(0.4),
        penalty: Some(2.0),
        ..rule(
            "women at least 40% of every team",
            RuleType::Share,
            RuleScope::Team,
            "women",
        )
    });
    raw.rules.push(RawRule {
        where_: Some(RawWhere {
            tag: Some(OneOrMany::Many(vec![
                "congress".to_string(),
                "government".to_string(),
                "cppcc".to_string(),
            ])),
            ..Default::default()
        }),
        min: Some(0.25),
        penalty: Some(1.5),
        ..rule(
            "a quarter of every leadership team young",
            RuleType::Share,
            RuleScope::Team,
            "young",
        )
    });
    raw.rules.push(RawRule {
        max: Some(0.2),
        ..rule(
            "at most 20% of appointees from outside the state system",
            RuleType::Share,
            RuleScope::Placements,
            OUTSIDE,
        )
    });
}
