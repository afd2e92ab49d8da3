//! The workbook layout: every sheet and column of a scenario workbook, with its English name
//! and Chinese alias, and how a header cell is matched to a column.
//!
//! One table drives the reader, the writer, the template and docs/workbook.md, so they cannot
//! drift apart. Map fields (specialty, experience, attributes) are prefixed columns such as
//! `specialty.agriculture`; their prefixes are listed in [`Prefix`].

/// Which scenario part a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SheetKind {
    Settings,
    Ranks,
    Teams,
    Members,
    Posts,
    Candidates,
    Groups,
    Rules,
    Decided,
    Vetoed,
}

/// The value a column takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Text; a number typed into the cell (1001) reads as its text ("1001").
    Text,
    /// A finite number; text holding a number (" 3.0 ") reads as the number.
    Number,
    /// A non-negative integer.
    Integer,
    /// yes/no/true/false/1/0/是/否.
    YesNo,
    /// Text items separated by `;`, `；` or `、`; an item may be double-quoted.
    List,
    /// A string or a number (attribute values, setting values).
    Any,
}

/// One fixed column of a sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// English name: the scenario key it fills.
    pub en: &'static str,
    /// Chinese alias.
    pub zh: &'static str,
    pub ty: ColType,
    /// A row with other cells filled must fill this one.
    pub required: bool,
}

/// A family of prefixed columns (`specialty.agriculture`, `专长.agriculture`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    Specialty,
    Experience,
    Attr,
}

impl Prefix {
    pub const ALL: [Prefix; 3] = [Prefix::Specialty, Prefix::Experience, Prefix::Attr];
    pub fn en(self) -> &'static str {
        match self {
            Prefix::Specialty => "specialty",
            Prefix::Experience => "experience",
            Prefix::Attr => "attr",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Prefix::Specialty => "专长",
            Prefix::Experience => "经历",
            Prefix::Attr => "属性",
        }
    }
}

/// A sheet: its names, fixed columns and which prefixed columns it takes.
#[derive(Debug, Clone, Copy)]
pub struct SheetDef {
    pub kind: SheetKind,
    pub en: &'static str,
    pub zh: &'static str,
    pub required: bool,
    pub columns: &'static [Column],
    pub prefixes: &'static [Prefix],
    /// What one row is, for docs and the instructions sheet.
    pub row_is: &'static str,
}

const fn col(en: &'static str, zh: &'static str, ty: ColType, required: bool) -> Column {
    Column {
        en,
        zh,
        ty,
        required,
    }
}

use ColType::*;

/// Every sheet, in the order the writer emits them.
pub const SHEETS: &[SheetDef] = &[
    SheetDef {
        kind: SheetKind::Settings,
        en: "settings",
        zh: "设置",
        required: true,
        columns: &[
            col("key", "项目", Text, true),
            col("value", "值", Any, false),
        ],
        prefixes: &[],
        row_is: "one setting (keys: name, max_step, specialty_weight, experience_weight, threshold, min_fit)",
    },
    SheetDef {
        kind: SheetKind::Ranks,
        en: "ranks",
        zh: "职级序列",
        required: true,
        columns: &[
            col("rank", "职级", Text, true),
            col("min_years", "晋升最低年限", Number, false),
        ],
        prefixes: &[Prefix::Experience],
        row_is: "one rank, lowest first; experience.X = years of X needed to be promoted into a post of this rank",
    },
    SheetDef {
        kind: SheetKind::Teams,
        en: "teams",
        zh: "班子",
        required: true,
        columns: &[
            col("id", "班子编号", Text, true),
            col("name", "班子名称", Text, false),
            col("tags", "标签", List, false),
        ],
        prefixes: &[],
        row_is: "one leadership team",
    },
    SheetDef {
        kind: SheetKind::Members,
        en: "members",
        zh: "班子成员",
        required: false,
        columns: &[col("team", "班子", Text, true)],
        prefixes: &[Prefix::Attr],
        row_is: "one incumbent who stays on a team (not a candidate); attr.X = attribute X",
    },
    SheetDef {
        kind: SheetKind::Posts,
        en: "posts",
        zh: "职位",
        required: true,
        columns: &[
            col("id", "职位编号", Text, true),
            col("title", "职位名称", Text, false),
            col("team", "班子", Text, true),
            col("rank", "职级", Text, true),
            col("kind", "类别", Text, false),
            col("must_fill", "必须补缺", YesNo, false),
            col("open_to", "限定群体", Text, false),
        ],
        prefixes: &[Prefix::Specialty, Prefix::Experience],
        row_is: "one vacant post; specialty.X = weight of tag X, experience.X = years of X required",
    },
    SheetDef {
        kind: SheetKind::Candidates,
        en: "candidates",
        zh: "候选人",
        required: true,
        columns: &[
            col("id", "编号", Text, true),
            col("name", "姓名", Text, false),
            col("rank", "职级", Text, true),
            col("years_at_rank", "任现职级年限", Number, true),
            col("available", "可用", YesNo, false),
            col("note", "备注", Text, false),
            col("team", "现任班子", Text, false),
            col("avoid_teams", "回避班子", List, false),
        ],
        prefixes: &[Prefix::Attr, Prefix::Specialty, Prefix::Experience],
        row_is: "one person in the reserve pool; attr.X, specialty.X, experience.X as for posts",
    },
    SheetDef {
        kind: SheetKind::Groups,
        en: "groups",
        zh: "群体",
        required: false,
        columns: &[
            col("group", "群体", Text, true),
            col("attribute", "属性", Text, true),
            col("in", "属于", List, false),
            col("not_in", "不属于", List, false),
            col("min", "最小值", Number, false),
            col("max", "最大值", Number, false),
        ],
        prefixes: &[],
        row_is: "one condition of a group; a person is in the group when every condition of it holds",
    },
    SheetDef {
        kind: SheetKind::Rules,
        en: "rules",
        zh: "规则",
        required: false,
        columns: &[
            col("name", "名称", Text, false),
            col("type", "类型", Text, true),
            col("scope", "范围", Text, true),
            col("group", "群体", Text, false),
            col("where.team", "限定班子", List, false),
            col("where.tag", "限定标签", List, false),
            col("where.kind", "限定类别", List, false),
            col("where.rank", "限定职级", List, false),
            col("min", "下限", Number, false),
            col("max", "上限", Number, false),
            col("penalty", "罚分", Number, false),
        ],
        prefixes: &[],
        row_is: "one share, count or fit_rate rule",
    },
    SheetDef {
        kind: SheetKind::Decided,
        en: "decided",
        zh: "已定",
        required: false,
        columns: &[
            col("post", "职位", Text, true),
            col("candidate", "候选人", Text, true),
            col("note", "备注", Text, false),
        ],
        prefixes: &[],
        row_is: "a placement already decided (the plan must contain it)",
    },
    SheetDef {
        kind: SheetKind::Vetoed,
        en: "vetoed",
        zh: "否决",
        required: false,
        columns: &[
            col("post", "职位", Text, true),
            col("candidate", "候选人", Text, true),
            col("note", "备注", Text, false),
        ],
        prefixes: &[],
        row_is: "a placement ruled out (the plan must not contain it)",
    },
];

/// Keys of the settings sheet: (English, Chinese, type).
pub const SETTINGS: &[(&str, &str, ColType)] = &[
    ("name", "名称", Text),
    ("max_step", "最大晋升级数", Integer),
    ("specialty_weight", "专长权重", Number),
    ("experience_weight", "经历权重", Number),
    ("threshold", "适配阈值", Number),
    ("min_fit", "最低适配度", Number),
];

/// The names of the instructions sheet the template writes (ignored when reading).
pub const INSTRUCTIONS: (&str, &str) = ("instructions", "说明");

pub fn sheet(kind: SheetKind) -> &'static SheetDef {
    SHEETS
        .iter()
        .find(|s| s.kind == kind)
        .expect("every kind has a sheet")
}

/// A header or sheet name as written, normalised for matching: trimmed, lower case, full-width
/// parentheses and separators folded.
fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The parts of a bilingual name such as `rank / 职级`, `职级(rank)` or `candidates 候选人`.
fn parts(s: &str) -> Vec<String> {
    let whole = norm(s);
    let mut out = vec![whole.clone()];
    for p in whole.split(['/', '|', '\n', '(', ')', '（', '）', ' ', '｜']) {
        let p = p.trim();
        if !p.is_empty() && !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    out
}

/// Whether `written` names the thing called `en` / `zh`.
pub fn names(written: &str, en: &str, zh: &str) -> bool {
    parts(written).iter().any(|p| p == en || p == zh)
}

/// The sheet a sheet name (or CSV file stem) stands for, if any.
pub fn sheet_of(written: &str) -> Option<&'static SheetDef> {
    SHEETS.iter().find(|s| names(written, s.en, s.zh))
}

/// What a header cell names.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderMatch {
    Fixed(usize),
    Prefixed(Prefix, String),
}

/// Match one header cell of a sheet: a fixed column (English or Chinese, or both written
/// together), or `prefix.key` with the English or Chinese prefix (`.` or `．`).
pub fn match_header(def: &SheetDef, written: &str) -> Option<HeaderMatch> {
    if let Some(i) = def.columns.iter().position(|c| names(written, c.en, c.zh)) {
        return Some(HeaderMatch::Fixed(i));
    }
    let t = written.trim();
    for &p in def.prefixes {
        for pre in [p.en(), p.zh()] {
            for dot in ['.', '．'] {
                if let Some(rest) = t.strip_prefix(pre).and_then(|r| r.strip_prefix(dot)) {
                    let key = rest.trim();
                    if !key.is_empty() {
                        return Some(HeaderMatch::Prefixed(p, key.to_string()));
                    }
                }
            }
        }
    }
    None
}

/// A bilingual header as the writer and template emit it: `rank / 职级`.
pub fn bilingual(en: &str, zh: &str) -> String {
    format!("{en} / {zh}")
}

/// A bilingual sheet name: `candidates 候选人` (sheet names cannot hold `/`).
pub fn sheet_name(def: &SheetDef) -> String {
    format!("{} {}", def.en, def.zh)
}

/// The separators of a list cell: `;`, `；` and `、`.
pub const LIST_SEPARATORS: [char; 3] = [';', '；', '、'];

/// A list cell read: its items, and whether a separator stood outside quotes (in a `where`
/// cell one item with a separator, `a;`, is a one-item list; without one, a single value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCell {
    pub items: Vec<String>,
    pub separated: bool,
}

/// Split a list cell on `;`, `；` or `、`. An item written in double quotes is taken literally
/// (separators, spaces, an empty item; `""` inside is one quote): `"cppcc;2027"、plain` is two
/// items. Other items are trimmed and dropped when empty, and a quote not at an item's start is
/// an ordinary character. The reason when a quoted item is not closed or text follows it.
pub fn split_list(s: &str) -> Result<ListCell, String> {
    let mut out = ListCell {
        items: Vec::new(),
        separated: false,
    };
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next_if_eq(&'"').is_some() {
            let mut item = String::new();
            loop {
                match chars.next() {
                    None => {
                        return Err(format!(
                            "a list item opens a double quote that is not closed, in {}",
                            crate::scenario::quoted(s)
                        ))
                    }
                    Some('"') if chars.next_if_eq(&'"').is_some() => item.push('"'),
                    Some('"') => break,
                    Some(c) => item.push(c),
                }
            }
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            match chars.peek() {
                None => {}
                Some(c) if LIST_SEPARATORS.contains(c) => {}
                Some(_) => {
                    return Err(format!(
                        "text after the closing quote of a list item, in {}: quote the whole item and write \"\" for a quote inside it",
                        crate::scenario::quoted(s)
                    ))
                }
            }
            out.items.push(item);
        } else {
            let mut item = String::new();
            while let Some(c) = chars.next_if(|c| !LIST_SEPARATORS.contains(c)) {
                item.push(c);
            }
            let item = item.trim();
            if !item.is_empty() {
                out.items.push(item.to_string());
            }
        }
        if chars.next().is_none() {
            return Ok(out);
        }
        out.separated = true;
    }
}

/// One list item as [`split_list`] reads it back: in double quotes (a quote inside doubled)
/// when it holds a separator, starts with a quote, has surrounding spaces or is empty.
pub fn list_item(item: &str) -> String {
    let plain = !item.is_empty()
        && item.trim() == item
        && !item.starts_with('"')
        && !item.contains(LIST_SEPARATORS);
    if plain {
        item.to_string()
    } else {
        format!("\"{}\"", item.replace('"', "\"\""))
    }
}

/// A list cell [`split_list`] reads back as `items`: items joined with `;`, quoted where
/// needed; an empty list is a lone `;` (a blank cell is no list at all).
pub fn join_list(items: &[String]) -> String {
    if items.is_empty() {
        return ";".to_string();
    }
    items
        .iter()
        .map(|i| list_item(i))
        .collect::<Vec<_>>()
        .join(";")
}

/// A yes/no cell: yes/no/true/false/y/n/1/0/是/否 (case-insensitive).
pub fn parse_yes_no(s: &str) -> Option<bool> {
    match norm(s).as_str() {
        "yes" | "y" | "true" | "1" | "是" | "1.0" => Some(true),
        "no" | "n" | "false" | "0" | "否" | "0.0" => Some(false),
        _ => None,
    }
}
