//! The organisation side of a generated scenario: jurisdictions, their leadership and department
//! teams with incumbent members, and the vacant posts with ranks, needs and flags.

use std::collections::BTreeMap;

use super::vocab::{
    field_domain, related_fields, round_to, Department, Dice, ADMINISTRATION, DEPARTMENTS,
    DEPUTY_DIVISION, DEPUTY_SECTION, ECONOMIC, FIELDS, GRASSROOTS, MINORITIES, RANKS,
};
use crate::scenario::raw::{AttrValue, RawPost, RawTeam};

/// The three leadership bodies of every jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Body {
    Congress,
    Government,
    Cppcc,
}

impl Body {
    pub const ALL: [Body; 3] = [Body::Congress, Body::Government, Body::Cppcc];

    /// Team tag and id suffix.
    pub fn tag(self) -> &'static str {
        match self {
            Body::Congress => "congress",
            Body::Government => "government",
            Body::Cppcc => "cppcc",
        }
    }
}

/// One city or county.
pub(super) struct Jurisdiction {
    pub is_city: bool,
    /// Indices into `Org::teams` of the congress, government and CPPCC teams.
    pub leadership: [usize; 3],
    /// Indices into `Org::teams` of the department teams.
    pub departments: Vec<usize>,
}

/// Teams and posts, before candidates exist.
pub(super) struct Org {
    pub jurisdictions: Vec<Jurisdiction>,
    pub teams: Vec<RawTeam>,
    pub posts: Vec<RawPost>,
}

/// Builds `jurisdictions` jurisdictions, each with three leadership teams and `departments`
/// department teams. With more than one jurisdiction, jurisdiction 0 is the city and its teams
/// sit one rank above the counties'.
pub(super) fn build(dice: &mut Dice, jurisdictions: usize, departments: usize) -> Org {
    let mut org = Org {
        jurisdictions: Vec::new(),
        teams: Vec::new(),
        posts: Vec::new(),
    };
    for j in 0..jurisdictions {
        let is_city = jurisdictions > 1 && j == 0;
        let label = match (jurisdictions, j) {
            (1, _) => "County".to_string(),
            (_, 0) => "City".to_string(),
            _ => format!("County {j}"),
        };
        let lift = usize::from(is_city);
        let mut leadership = [0; 3];
        for (b, body) in Body::ALL.into_iter().enumerate() {
            leadership[b] = org.teams.len();
            let id = format!("J{j:02}-{}", body.tag());
            org.teams.push(leadership_team(dice, &id, &label, body));
            leadership_posts(dice, &mut org.posts, &id, &label, body, is_city, lift);
        }
        let mut depts = Vec::new();
        for (d, catalog) in department_choice(dice, departments).into_iter().enumerate() {
            let dep = &DEPARTMENTS[catalog];
            let id = format!("J{j:02}-D{:02}", d + 1);
            let repeat = d / DEPARTMENTS.len();
            let name = if repeat == 0 {
                format!("{label} {}", dep.name)
            } else {
                format!("{label} {} (office {})", dep.name, repeat + 1)
            };
            depts.push(org.teams.len());
            org.teams.push(department_team(dice, &id, &name));
            department_posts(dice, &mut org.posts, &id, &name, dep, lift);
        }
        org.jurisdictions.push(Jurisdiction {
            is_city,
            leadership,
            departments: depts,
        });
    }
    org
}

/// Which catalog departments a jurisdiction has: a seeded subset in catalog order, cycling
/// through the catalog again when more departments are asked for than it lists.
fn department_choice(dice: &mut Dice, n: usize) -> Vec<usize> {
    let k = DEPARTMENTS.len();
    let mut order: Vec<usize> = (0..k).collect();
    dice.shuffle(&mut order);
    let mut first: Vec<usize> = order[..n.min(k)].to_vec();
    first.sort_unstable();
    first.extend((k..n).map(|i| i % k));
    first
}

/// An incumbent: a serving leader who is not in the reserve.
pub(super) fn member(dice: &mut Dice, non_party: bool) -> BTreeMap<String, AttrValue> {
    let affiliation = if non_party {
        *dice.pick(&[
            "Minmeng", "Jiusan", "Minjian", "Minjin", "Nonggong", "Zhigong", "Minge", "none",
        ])
    } else {
        "CPC"
    };
    let gender = if dice.chance(0.3) { "F" } else { "M" };
    let age = dice.normal(51.0, 4.0, 40.0, 59.0).round();
    let ethnicity = if dice.chance(0.05) {
        *dice.pick(&MINORITIES)
    } else {
        "Han"
    };
    let mut m = BTreeMap::new();
    m.insert(
        "affiliation".to_string(),
        AttrValue::Str(affiliation.to_string()),
    );
    m.insert("age".to_string(), AttrValue::Num(age));
    m.insert(
        "ethnicity".to_string(),
        AttrValue::Str(ethnicity.to_string()),
    );
    m.insert("gender".to_string(), AttrValue::Str(gender.to_string()));
    m
}

fn leadership_team(dice: &mut Dice, id: &str, label: &str, body: Body) -> RawTeam {
    // Incumbents who stay. Congress and government teams are mostly CPC, about half with one
    // non-party member already; CPPCC teams hold Leshan's three non-party deputies, more than
    // half of the team, before any vacancy is filled.
    let (cpc, non_party) = match body {
        Body::Congress => (dice.int(4, 6), usize::from(dice.chance(0.5))),
        Body::Government => (dice.int(5, 7), usize::from(dice.chance(0.4))),
        Body::Cppcc => {
            let cpc = dice.int(2, 3);
            (cpc, cpc + 1)
        }
    };
    let mut members: Vec<_> = (0..cpc).map(|_| member(dice, false)).collect();
    members.extend((0..non_party).map(|_| member(dice, true)));
    let name = match body {
        Body::Congress => format!("{label} people's congress leadership"),
        Body::Government => format!("{label} government leadership"),
        Body::Cppcc => format!("{label} CPPCC leadership"),
    };
    RawTeam {
        id: id.to_string(),
        name: Some(name),
        tags: vec![body.tag().to_string()],
        members,
    }
}

fn department_team(dice: &mut Dice, id: &str, name: &str) -> RawTeam {
    let n = dice.int(2, 4);
    let members = (0..n)
        .map(|_| {
            let non_party = dice.chance(0.15);
            member(dice, non_party)
        })
        .collect();
    RawTeam {
        id: id.to_string(),
        name: Some(name.to_string()),
        tags: vec!["department".to_string()],
        members,
    }
}

/// How many vacancies a team has: leadership teams 2.15 on average, departments 1.85, so that
/// a jurisdiction with 3 + 10 teams has about 25 and the whole scenario about 1.9 per team.
fn vacancies(dice: &mut Dice, leadership: bool) -> usize {
    let w: &[f64] = if leadership {
        &[0.2, 0.45, 0.35]
    } else {
        &[0.3, 0.55, 0.15]
    };
    1 + dice.weighted(w)
}

#[allow(clippy::too_many_arguments)]
fn post(
    id: String,
    title: String,
    team: &str,
    rank: usize,
    technical: bool,
    specialty: BTreeMap<String, f64>,
    experience: BTreeMap<String, f64>,
    must_fill: bool,
    open_to: Option<&str>,
) -> RawPost {
    RawPost {
        id,
        title: Some(title),
        team: team.to_string(),
        rank: RANKS[rank].to_string(),
        kind: Some(
            if technical {
                "technical"
            } else {
                "comprehensive"
            }
            .to_string(),
        ),
        specialty,
        experience,
        must_fill,
        open_to: open_to.map(str::to_string),
    }
}

fn leadership_posts(
    dice: &mut Dice,
    posts: &mut Vec<RawPost>,
    team: &str,
    label: &str,
    body: Body,
    is_city: bool,
    lift: usize,
) {
    let n = vacancies(dice, true);
    for k in 0..n {
        let head = k == 0 && dice.chance(0.1);
        let rank = DEPUTY_DIVISION + lift + usize::from(head);
        let p_technical = if body == Body::Government { 0.4 } else { 0.15 };
        let technical = !head && dice.chance(p_technical);
        let (specialty, main) = if technical {
            technical_needs(dice)
        } else {
            broad_needs(dice)
        };
        let mut experience = BTreeMap::new();
        experience.insert(GRASSROOTS.to_string(), dice.int(2, 5) as f64);
        if technical {
            experience.insert(field_domain(&main).to_string(), dice.int(3, 6) as f64);
        } else {
            let d = if dice.chance(0.6) {
                ADMINISTRATION
            } else {
                ECONOMIC
            };
            experience.insert(d.to_string(), dice.int(3, 6) as f64);
        }
        let open_to = (body == Body::Cppcc && !head && dice.chance(0.4)).then_some("non-party");
        // Must-fill wishes; `supply` keeps a wish only where enough candidates can fill it.
        // A CPPCC post is must-fill only when open to non-party people, so that filling it
        // never lowers the team's non-party share.
        let must_fill = match body {
            Body::Government => dice.chance(if head { 0.5 } else { 0.35 }),
            Body::Congress => dice.chance(0.2),
            Body::Cppcc => open_to.is_some() && dice.chance(0.4),
        };
        let role = match (body, head, is_city) {
            (Body::Congress, false, _) => "Vice-chair of the people's congress standing committee",
            (Body::Congress, true, _) => "Chair of the people's congress standing committee",
            (Body::Government, false, false) => "Deputy county head",
            (Body::Government, true, false) => "County head",
            (Body::Government, false, true) => "Vice-mayor",
            (Body::Government, true, true) => "Mayor",
            (Body::Cppcc, false, _) => "CPPCC vice-chair",
            (Body::Cppcc, true, _) => "CPPCC chair",
        };
        let title = if technical {
            format!("{role}, {label} ({main})")
        } else {
            format!("{role}, {label}")
        };
        let id = format!("{team}-{}", k + 1);
        posts.push(post(
            id, title, team, rank, technical, specialty, experience, must_fill, open_to,
        ));
    }
}

fn department_posts(
    dice: &mut Dice,
    posts: &mut Vec<RawPost>,
    team: &str,
    name: &str,
    dep: &Department,
    lift: usize,
) {
    let n = vacancies(dice, false);
    let mut has_director = false;
    for k in 0..n {
        let director = !has_director && dice.chance(0.4);
        has_director |= director;
        let rank = DEPUTY_SECTION + lift + usize::from(director);
        let technical = dice.chance(dep.technical);
        let mut specialty = BTreeMap::new();
        specialty.insert(dep.fields[0].to_string(), 1.0);
        if technical {
            let second = dice.pick(&dep.fields[1..]);
            specialty.insert(second.to_string(), round_to(dice.range(0.2, 0.6), 0.1));
        } else {
            for f in &dep.fields[1..] {
                specialty.insert(f.to_string(), round_to(dice.range(0.4, 0.9), 0.1));
            }
        }
        let mut experience = BTreeMap::new();
        let lo = if director { 3 } else { 2 };
        for (i, d) in dep.domains.iter().enumerate() {
            if i == 0 || !technical {
                experience.insert(d.to_string(), dice.int(lo, lo + 3) as f64);
            }
        }
        let must_fill = dice.chance(if director { 0.25 } else { 0.05 });
        let role = if director {
            "Director"
        } else {
            "Deputy director"
        };
        let title = format!("{role}, {name}");
        let id = format!("{team}-{}", k + 1);
        posts.push(post(
            id, title, team, rank, technical, specialty, experience, must_fill, None,
        ));
    }
}

/// A technical leadership portfolio: one main field (any field, equally likely) and a related
/// one.
fn technical_needs(dice: &mut Dice) -> (BTreeMap<String, f64>, String) {
    let main = dice.pick(&FIELDS).0;
    let second = dice.pick(related_fields(main));
    let mut m = BTreeMap::new();
    m.insert(main.to_string(), 1.0);
    m.insert(second.to_string(), round_to(dice.range(0.3, 0.8), 0.1));
    (m, main.to_string())
}

/// A comprehensive leadership post: two or three fields of broad public work.
fn broad_needs(dice: &mut Dice) -> (BTreeMap<String, f64>, String) {
    const BROAD: [&str; 7] = [
        "economics",
        "social-work",
        "culture",
        "education",
        "law",
        "agriculture",
        "health",
    ];
    let main = *dice.pick(&BROAD);
    let mut m = BTreeMap::new();
    m.insert(main.to_string(), 1.0);
    let extra = dice.int(1, 2);
    for _ in 0..extra {
        let f = dice.pick(&BROAD);
        m.entry(f.to_string())
            .or_insert(round_to(dice.range(0.4, 0.9), 0.1));
    }
    (m, main.to_string())
}
