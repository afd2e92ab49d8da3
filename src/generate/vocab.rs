//! The generator's vocabulary and dice: fields, experience domains, departments, parties and
//! names, plus a seeded random source that uses only exact IEEE arithmetic.
//!
//! Every draw goes through [`Dice`], which reads raw `u64`s from ChaCha8 and turns them into
//! numbers with `+ - * /` only (no `ln`, `exp` or `cos`, whose last bit may differ between
//! platforms' math libraries), so a seed gives the same scenario everywhere.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Seeded random draws built on ChaCha8's raw output.
pub(super) struct Dice(ChaCha8Rng);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Uniform in [0, 1), 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in [0, n); `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.0.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform integer in [lo, hi], inclusive.
    pub fn int(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly normal (sum of 12 uniforms), clamped to [lo, hi].
    pub fn normal(&mut self, mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
        let z: f64 = (0..12).map(|_| self.unit()).sum::<f64>() - 6.0;
        (mean + sd * z).clamp(lo, hi)
    }

    /// An index drawn with the given non-negative weights (not all zero).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Rounds to a multiple of `step` (e.g. 0.5 years, 0.05 weight).
pub(super) fn round_to(x: f64, step: f64) -> f64 {
    let r = (x / step).round() * step;
    // Tidy binary noise such as 0.30000000000000004 so the JSON reads as written.
    (r * 1e6).round() / 1e6
}

/// The seniority ladder, lowest first.
pub(super) const RANKS: [&str; 6] = [
    "clerk",
    "deputy-section",
    "section",
    "deputy-division",
    "division",
    "deputy-bureau",
];
pub(super) const DEPUTY_SECTION: usize = 1;
pub(super) const DEPUTY_DIVISION: usize = 3;

/// Specialty fields with their share of the reserve's home fields, per 900 people. The first
/// four are Leshan's reported counts (tourism 32, transport 20, agriculture 55, high
/// technology 15); the rest share the remainder.
pub(super) const FIELDS: [(&str, f64); 14] = [
    ("tourism", 32.0),
    ("transport", 20.0),
    ("agriculture", 55.0),
    ("high-tech", 15.0),
    ("education", 110.0),
    ("economics", 100.0),
    ("law", 70.0),
    ("health", 80.0),
    ("culture", 70.0),
    ("social-work", 90.0),
    ("environment", 50.0),
    ("finance", 70.0),
    ("urban-planning", 50.0),
    ("industry", 88.0),
];

/// Fields that go together (a tourism specialist often knows culture and transport).
pub(super) fn related_fields(field: &str) -> &'static [&'static str] {
    match field {
        "tourism" => &["culture", "transport", "economics"],
        "transport" => &["urban-planning", "tourism", "industry"],
        "agriculture" => &["environment", "economics", "social-work"],
        "high-tech" => &["industry", "education", "economics"],
        "education" => &["culture", "social-work", "high-tech"],
        "economics" => &["finance", "industry", "agriculture"],
        "law" => &["social-work", "finance", "economics"],
        "health" => &["social-work", "education", "environment"],
        "culture" => &["tourism", "education", "social-work"],
        "social-work" => &["health", "education", "law"],
        "environment" => &["agriculture", "urban-planning", "health"],
        "finance" => &["economics", "law", "industry"],
        "urban-planning" => &["transport", "environment", "economics"],
        _ => &["economics", "high-tech", "finance"],
    }
}

/// Kinds of working experience (years are counted per domain).
pub(super) const GRASSROOTS: &str = "grassroots";
pub(super) const ADMINISTRATION: &str = "administration";
pub(super) const ECONOMIC: &str = "economic-management";
pub(super) const TECHNICAL: &str = "technical";
pub(super) const LEGAL: &str = "legal";
pub(super) const SOCIAL: &str = "social-services";
pub(super) const DOMAINS: [&str; 6] = [
    GRASSROOTS,
    ADMINISTRATION,
    ECONOMIC,
    TECHNICAL,
    LEGAL,
    SOCIAL,
];

/// The experience domain a field's work builds.
pub(super) fn field_domain(field: &str) -> &'static str {
    match field {
        "tourism" | "economics" | "finance" | "industry" => ECONOMIC,
        "law" => LEGAL,
        "education" | "culture" => ADMINISTRATION,
        "social-work" | "health" => SOCIAL,
        _ => TECHNICAL,
    }
}

/// A government department: its name, the fields it needs (main field first), the experience
/// domains its posts ask for, and how likely a post is "technical" rather than "comprehensive".
pub(super) struct Department {
    pub name: &'static str,
    pub fields: &'static [&'static str],
    pub domains: &'static [&'static str],
    pub technical: f64,
}

const fn dept(
    name: &'static str,
    fields: &'static [&'static str],
    domains: &'static [&'static str],
    technical: f64,
) -> Department {
    Department {
        name,
        fields,
        domains,
        technical,
    }
}

pub(super) const DEPARTMENTS: [Department; 20] = [
    dept(
        "Development and Reform Bureau",
        &["economics", "finance", "industry"],
        &[ECONOMIC, ADMINISTRATION],
        0.3,
    ),
    dept(
        "Education Bureau",
        &["education", "culture", "social-work"],
        &[ADMINISTRATION, GRASSROOTS],
        0.4,
    ),
    dept(
        "Science and Technology Bureau",
        &["high-tech", "industry", "education"],
        &[TECHNICAL],
        0.8,
    ),
    dept(
        "Industry and Information Technology Bureau",
        &["industry", "high-tech", "economics"],
        &[ECONOMIC, TECHNICAL],
        0.6,
    ),
    dept(
        "Civil Affairs Bureau",
        &["social-work", "law", "health"],
        &[SOCIAL, GRASSROOTS],
        0.2,
    ),
    dept("Justice Bureau", &["law", "social-work"], &[LEGAL], 0.7),
    dept(
        "Finance Bureau",
        &["finance", "economics"],
        &[ECONOMIC],
        0.7,
    ),
    dept(
        "Human Resources and Social Security Bureau",
        &["social-work", "economics", "law"],
        &[ADMINISTRATION, SOCIAL],
        0.3,
    ),
    dept(
        "Natural Resources and Planning Bureau",
        &["urban-planning", "environment", "agriculture"],
        &[TECHNICAL, ADMINISTRATION],
        0.7,
    ),
    dept(
        "Ecology and Environment Bureau",
        &["environment", "health", "urban-planning"],
        &[TECHNICAL],
        0.8,
    ),
    dept(
        "Housing and Urban-Rural Development Bureau",
        &["urban-planning", "transport", "economics"],
        &[TECHNICAL, ECONOMIC],
        0.6,
    ),
    dept(
        "Transport Bureau",
        &["transport", "urban-planning", "tourism"],
        &[TECHNICAL, ECONOMIC],
        0.7,
    ),
    dept(
        "Agriculture and Rural Affairs Bureau",
        &["agriculture", "environment", "economics"],
        &[GRASSROOTS, TECHNICAL],
        0.6,
    ),
    dept(
        "Commerce Bureau",
        &["economics", "tourism", "industry"],
        &[ECONOMIC],
        0.3,
    ),
    dept(
        "Culture, Radio, Television and Tourism Bureau",
        &["tourism", "culture"],
        &[ECONOMIC, ADMINISTRATION],
        0.4,
    ),
    dept(
        "Health Commission",
        &["health", "social-work"],
        &[TECHNICAL, SOCIAL],
        0.8,
    ),
    dept(
        "Market Regulation Bureau",
        &["law", "economics", "health"],
        &[LEGAL, ADMINISTRATION],
        0.5,
    ),
    dept("Audit Bureau", &["finance", "law"], &[ECONOMIC, LEGAL], 0.8),
    dept(
        "Water Resources Bureau",
        &["environment", "agriculture"],
        &[TECHNICAL, GRASSROOTS],
        0.8,
    ),
    dept(
        "Statistics Bureau",
        &["economics", "finance"],
        &[TECHNICAL, ECONOMIC],
        0.6,
    ),
];

/// Party affiliations of the reserve and their weights: the eight democratic parties, no
/// party ("none") and the CPC. Most of the reserve is non-party.
pub(super) const AFFILIATIONS: [(&str, f64); 10] = [
    ("Minge", 6.0),
    ("Minmeng", 10.0),
    ("Minjian", 7.0),
    ("Minjin", 8.0),
    ("Nonggong", 6.0),
    ("Zhigong", 4.0),
    ("Jiusan", 8.0),
    ("Taimeng", 1.0),
    ("none", 28.0),
    ("CPC", 22.0),
];

/// Ethnic minorities of a Sichuan-like city (Leshan: 48 of 900 reserves).
pub(super) const MINORITIES: [&str; 4] = ["Yi", "Tibetan", "Hui", "Qiang"];

/// Employer sectors and their weights (Leshan: 650 party and government organs, 150 public
/// institutions, 100 outside the state system).
pub(super) const SECTORS: [(&str, f64); 3] = [
    ("party-government", 650.0),
    ("public-institution", 150.0),
    ("outside", 100.0),
];

/// Readiness and weights (Leshan: 100 of 900 usable now, 500 medium/long-term trainees).
pub(super) const READINESS: [(&str, f64); 3] = [("now", 100.0), ("medium", 420.0), ("long", 380.0)];

pub(super) const SURNAMES: [&str; 24] = [
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu",
    "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo", "Liang", "Song", "Zheng", "Xie",
];
pub(super) const GIVEN_F: [&str; 16] = [
    "Fang", "Min", "Jing", "Li", "Yan", "Ting", "Xia", "Hong", "Lan", "Mei", "Juan", "Ying", "Hui",
    "Qing", "Yun", "Xue",
];
pub(super) const GIVEN_M: [&str; 16] = [
    "Qiang", "Wei", "Lei", "Jun", "Yang", "Gang", "Hao", "Tao", "Ming", "Jie", "Bin", "Peng",
    "Feng", "Chao", "Hua", "Kai",
];

/// Reasons a reserve is not available this round.
pub(super) const UNAVAILABLE_NOTES: [&str; 4] = [
    "on the negative list: conduct under review",
    "not ready: in training until next year",
    "not ready: on secondment outside the jurisdiction",
    "on the negative list: failed the annual assessment",
];
