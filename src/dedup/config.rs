//! The linkage model as data: which columns are compared and how, the blocking keys, the
//! thresholds and the estimation parameters. Defaults per register live in
//! `schemas/matching/<REG>.toml`; any CSV with a header can be linked with a file of this shape.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How a field is compared; each kind has its own ordered levels (see `compare`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComparisonKind {
    /// A personal name: family, middle and given parts, folded and phonetic forms.
    Name,
    /// A full or partial date.
    Date,
    /// A code or short value (sex, ethnicity) compared exactly after folding.
    Exact,
    /// A place written as free text.
    Place,
    /// An identification number: exact, one keying slip, different.
    Id,
    /// Any other text: exact, folded, similar.
    Text,
}

/// What a capped decision may be at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Distinct,
    Possible,
    Duplicate,
}

impl Decision {
    pub fn as_str(&self) -> &'static str {
        match self {
            Decision::Distinct => "distinct",
            Decision::Possible => "possible",
            Decision::Duplicate => "duplicate",
        }
    }
}

/// One compared field.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Name used in explanations and blocking keys; defaults to the first column.
    #[serde(default)]
    pub name: String,
    /// Column keys (template keys or plain CSV headers, matched case-insensitively); several
    /// columns are joined with a space (e.g. `ho`, `ten`).
    pub columns: Vec<String>,
    pub kind: ComparisonKind,
    /// Jaro-Winkler similarity (0..1) from which folded values count as `similar`.
    #[serde(default = "default_similar")]
    pub similar: f64,
    /// When this field reaches its `different` level the decision is at most this one, whatever
    /// the score: the conditional independence of the model overcounts families (twins share
    /// parents, birth date and place; only their given names differ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_when_different: Option<Decision>,
    /// The same for the name level `garbled` (a given name garbled past recognition against a
    /// well-formed one): not evidence of another person, but not of the same one either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_when_garbled: Option<Decision>,
    /// The caps apply only when at least one of these fields agrees (twins and siblings share
    /// their parents): with the parents' columns empty, a different given name is weighed like
    /// any other disagreement, not a veto. Empty: the caps always apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cap_only_if_agree: Vec<String>,
    /// Fields of `cap_only_if_agree` as a bit mask (filled on load).
    #[serde(skip)]
    pub cap_agree_mask: u32,
    /// The caps are lifted when one of these `field:level` reaches that level or a closer
    /// one: `nksSoDinhDanh:exact` (twins and siblings never share an identification number),
    /// `nksHoTen:folded` (no family gives two children the very same name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cap_unless: Vec<String>,
    /// `cap_unless` resolved to (field, level) (filled on load).
    #[serde(skip)]
    pub cap_unless_levels: Vec<(usize, u8)>,
    /// Whether agreement weights are adjusted by how common the value is.
    #[serde(default = "yes")]
    pub term_frequencies: bool,
}

fn default_similar() -> f64 {
    0.90
}
fn yes() -> bool {
    true
}

/// One blocking rule: records sharing every part of the key become candidate pairs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingRule {
    pub name: String,
    /// `field:transform` parts, e.g. `nksHoTen:given`, `nksNgaySinh:year`. Transforms by kind:
    /// name `given`, `family`, `phonetic`, `sorted` (the words' phonetic keys in any order:
    /// a family and a given name swapped meet), `folded`; date `year`, `month_year`, `date`;
    /// exact/id `value`; place and text `folded`. A part ending in `?` is optional: a record
    /// missing it still has the key, with the part blank (`nksGioiTinh:value?`: records
    /// without a sex column meet on the other parts).
    pub keys: Vec<String>,
    /// Blocks of more records than this are skipped for this rule (default: the model's
    /// `max_block_size`): a rule that only rescues a few badly garbled records should not
    /// pair every child of a common mother's name born the same year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_block: Option<usize>,
}

/// An EM training session (Splink's recipe): pairs sharing the session's keys train the m
/// probabilities of the listed fields only. Within such pairs, agreement on the keys, and on
/// fields that follow from them (a child's birth year and the parents'), is no evidence, so
/// those fields are left out; each field should be trained where it is independent of the keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSession {
    pub name: String,
    /// `field:transform` parts, as in blocking rules.
    pub keys: Vec<String>,
    /// Fields whose m this session estimates.
    pub train: Vec<String>,
}

/// Decision thresholds on the posterior match weight (log2 odds: 0 is 50 %, 6.6 is 99 %,
/// 10 is 99.9 %).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub upper: f64,
    pub lower: f64,
    /// The registry holds each person once: when an input record is a duplicate of several
    /// registry records, those scoring this many bits below its best are demoted to `possible`
    /// (a sibling, a namesake); the rest stay and make a conflict.
    #[serde(default = "default_margin")]
    pub margin: f64,
}

fn default_margin() -> f64 {
    10.0
}

/// Estimation parameters.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelParams {
    /// EM iterations for the m probabilities (stops earlier when they settle).
    pub em_iterations: usize,
    /// Fewer candidate pairs than this and EM is not run: the default m probabilities stay
    /// (a handful of pairs cannot tell matches from non-matches).
    pub em_min_pairs: usize,
    /// Random pairs drawn to estimate the u probabilities.
    pub u_sample_pairs: usize,
    /// Blocks with more records than this on one side are skipped and reported: a key shared
    /// by thousands of records says nothing and would swamp the comparison.
    pub max_block_size: usize,
    /// Input records sampled for each training session (enough for stable m, cheap).
    pub training_records: usize,
    /// Training blocks larger than this are skipped (common names add namesakes, not signal).
    pub training_max_block: usize,
    /// Expected share of input records that have a duplicate, used when EM cannot estimate it.
    pub duplicate_share: f64,
    /// Bound on a term-frequency adjustment, in bits, so one rare value cannot decide alone.
    pub tf_max_bits: f64,
    /// Seed of the random pair sample, so reruns give the same model.
    pub seed: u64,
    /// How many matches' worth of weight the starting m of each level keeps in EM (a
    /// Dirichlet prior): a training session that finds few matches stays near the defaults.
    pub m_prior_strength: f64,
    /// A field read with a confidence below this (input column `<column>__conf`, or the
    /// pipeline's field confidence) is doubtful: a given name so read that disagrees is
    /// `garbled`, not `different`.
    pub low_confidence: f64,
    /// A word seen at least this often in a name field of the data is a known name, as if it
    /// were in the lexicon (FEBRL's English names, a province's own names).
    pub lexicon_min_count: u32,
}

impl Default for ModelParams {
    fn default() -> Self {
        Self {
            em_iterations: 30,
            em_min_pairs: 2_000,
            u_sample_pairs: 1_000_000,
            max_block_size: 1_000,
            training_records: 15_000,
            training_max_block: 300,
            duplicate_share: 0.05,
            tf_max_bits: 8.0,
            seed: 20_240_601,
            m_prior_strength: 100.0,
            low_confidence: 0.6,
            lexicon_min_count: 5,
        }
    }
}

/// A complete matching configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchConfig {
    /// Register code this model is for (informational).
    #[serde(default)]
    pub register: String,
    pub fields: Vec<FieldSpec>,
    pub blocking: Vec<BlockingRule>,
    /// EM training sessions; fields no session trains keep their default m.
    #[serde(default)]
    pub training: Vec<TrainingSession>,
    pub thresholds: Thresholds,
    #[serde(default)]
    pub model: ModelParams,
    /// Name lists (TOML arrays of words, e.g. `../codes/names.toml`), relative to this file: a
    /// word of a name found there is a known name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<String>,
    /// Every word of the lexicon files (filled on load).
    #[serde(skip)]
    pub lexicon_words: Vec<String>,
    /// Registry column holding the person (cluster) id of earlier links: registry records
    /// sharing it are one person, so a batch record matching several of them is that person,
    /// and one matching records of two persons is a conflict for review.
    #[serde(default = "default_person_column")]
    pub person_column: String,
}

fn default_person_column() -> String {
    "person_id".into()
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the matching configuration: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Most fields one model compares: levels are packed 4 bits per field into a u64 whose top 4
/// bits name the blocking rule that produced the pair.
pub const MAX_FIELDS: usize = 15;
/// Most blocking rules.
pub const MAX_RULES: usize = 16;

impl MatchConfig {
    /// Reads and checks a configuration file, and the lexicon files it names.
    pub fn load(path: &Path) -> Result<MatchConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Self::parse(&text).map_err(|message| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        if let Some(lexicon) = &config.lexicon {
            let file = path.parent().unwrap_or(Path::new(".")).join(lexicon);
            let text = std::fs::read_to_string(&file).map_err(|source| ConfigError::Read {
                path: file.clone(),
                source,
            })?;
            config.lexicon_words =
                lexicon_words(&text).map_err(|message| ConfigError::Invalid {
                    path: file.clone(),
                    message,
                })?;
        }
        Ok(config)
    }

    /// The default configuration of a register: `<schemas>/matching/<REG>.toml`.
    pub fn for_register(schemas_dir: &Path, register: &str) -> Result<MatchConfig, ConfigError> {
        Self::load(
            &schemas_dir
                .join("matching")
                .join(format!("{register}.toml")),
        )
    }

    pub fn parse(text: &str) -> Result<MatchConfig, String> {
        let mut config: MatchConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        config.check()?;
        Ok(config)
    }

    /// Fills default names and reports every problem at once.
    fn check(&mut self) -> Result<(), String> {
        let mut problems = Vec::new();
        if self.fields.is_empty() {
            problems.push("no [[fields]] to compare".to_string());
        }
        if self.fields.len() > MAX_FIELDS {
            problems.push(format!("at most {MAX_FIELDS} fields can be compared"));
        }
        for f in &mut self.fields {
            if f.columns.is_empty() {
                problems.push("a field has no columns".into());
                continue;
            }
            if f.name.is_empty() {
                f.name = f.columns[0].clone();
            }
            if !(0.0..=1.0).contains(&f.similar) {
                problems.push(format!("field {}: similar must be within 0..1", f.name));
            }
        }
        for (i, f) in self.fields.iter().enumerate() {
            if self.fields[..i].iter().any(|g| g.name == f.name) {
                problems.push(format!("field {} is listed twice", f.name));
            }
        }
        let names: Vec<String> = self.fields.iter().map(|f| f.name.clone()).collect();
        let kinds: Vec<ComparisonKind> = self.fields.iter().map(|f| f.kind).collect();
        for f in &mut self.fields {
            f.cap_agree_mask = 0;
            for other in &f.cap_only_if_agree {
                match names.iter().position(|n| n == other) {
                    Some(i) => f.cap_agree_mask |= 1 << i,
                    None => problems.push(format!(
                        "field {}: cap_only_if_agree names no field {other}",
                        f.name
                    )),
                }
            }
            f.cap_unless_levels.clear();
            for item in &f.cap_unless {
                let resolved = item.split_once(':').and_then(|(field, level)| {
                    let g = names.iter().position(|n| n == field)?;
                    let l = super::compare::level_names(kinds[g])
                        .iter()
                        .position(|x| *x == level)
                        .filter(|&l| l > 0)?;
                    Some((g, l as u8))
                });
                match resolved {
                    Some(x) => f.cap_unless_levels.push(x),
                    None => problems.push(format!(
                        "field {}: cap_unless \"{item}\" is not field:level of a compared field",
                        f.name
                    )),
                }
            }
            if f.cap_when_garbled.is_some() && f.kind != ComparisonKind::Name {
                problems.push(format!(
                    "field {}: only names have a garbled level (cap_when_garbled)",
                    f.name
                ));
            }
        }
        if self.blocking.is_empty() {
            problems.push("no [[blocking]] rule".into());
        }
        if self.blocking.len() > MAX_RULES {
            problems.push(format!("at most {MAX_RULES} blocking rules"));
        }
        for rule in &self.blocking {
            if rule.keys.is_empty() {
                problems.push(format!("blocking rule {} has no keys", rule.name));
            }
            for key in &rule.keys {
                if let Err(e) = self.parse_key(key) {
                    problems.push(format!("blocking rule {}: {e}", rule.name));
                }
            }
        }
        if self.training.len() > MAX_RULES {
            problems.push(format!("at most {MAX_RULES} training sessions"));
        }
        for s in &self.training {
            for key in &s.keys {
                if let Err(e) = self.parse_key(key) {
                    problems.push(format!("training session {}: {e}", s.name));
                }
            }
            for f in &s.train {
                if !self.fields.iter().any(|x| &x.name == f) {
                    problems.push(format!("training session {}: no field {f}", s.name));
                }
                if s.keys
                    .iter()
                    .any(|k| k.split(':').next() == Some(f.as_str()))
                {
                    problems.push(format!(
                        "training session {}: {f} is one of its keys and cannot be trained by it",
                        s.name
                    ));
                }
            }
        }
        if self.thresholds.lower > self.thresholds.upper {
            problems.push("thresholds: lower is above upper".into());
        }
        if !(0.0..1.0).contains(&self.model.duplicate_share) {
            problems.push("model.duplicate_share must be within 0..1".into());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// Resolves `field:transform` to the field index and its transform; a trailing `?` makes
    /// the part optional (see [`BlockingRule::keys`]).
    pub fn parse_key(&self, key: &str) -> Result<(usize, KeyTransform, bool), String> {
        let (key, optional) = match key.strip_suffix('?') {
            Some(k) => (k, true),
            None => (key, false),
        };
        let (field, transform) = key
            .split_once(':')
            .ok_or_else(|| format!("key \"{key}\" is not field:transform"))?;
        let index = self
            .fields
            .iter()
            .position(|f| f.name == field)
            .ok_or_else(|| format!("key \"{key}\" names no field"))?;
        let kind = self.fields[index].kind;
        let t = KeyTransform::parse(kind, transform)
            .ok_or_else(|| format!("key \"{key}\": no transform {transform} for a {kind:?}"))?;
        Ok((index, t, optional))
    }
}

/// Every word of every string array of a TOML file (a name list such as
/// `schemas/codes/names.toml`), in NFC lower case.
pub fn lexicon_words(text: &str) -> Result<Vec<String>, String> {
    use unicode_normalization::UnicodeNormalization;
    let value: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut words = Vec::new();
    if let toml::Value::Table(t) = value {
        for v in t.values() {
            if let toml::Value::Array(items) = v {
                for item in items {
                    if let toml::Value::String(s) = item {
                        for w in s.split_whitespace() {
                            words.push(w.nfc().flat_map(char::to_lowercase).collect());
                        }
                    }
                }
            }
        }
    }
    words.sort();
    words.dedup();
    Ok(words)
}

/// How a field becomes part of a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTransform {
    GivenPhonetic,
    FamilyPhonetic,
    NamePhonetic,
    NameSorted,
    NameFolded,
    Year,
    MonthYear,
    FullDate,
    Value,
    Folded,
}

impl KeyTransform {
    fn parse(kind: ComparisonKind, s: &str) -> Option<KeyTransform> {
        use ComparisonKind as K;
        Some(match (kind, s) {
            (K::Name, "given") => KeyTransform::GivenPhonetic,
            (K::Name, "family") => KeyTransform::FamilyPhonetic,
            (K::Name, "phonetic") => KeyTransform::NamePhonetic,
            (K::Name, "sorted") => KeyTransform::NameSorted,
            (K::Name, "folded") => KeyTransform::NameFolded,
            (K::Date, "year") => KeyTransform::Year,
            (K::Date, "month_year") => KeyTransform::MonthYear,
            (K::Date, "date") => KeyTransform::FullDate,
            (K::Exact | K::Id, "value") => KeyTransform::Value,
            (K::Place | K::Text, "folded") => KeyTransform::Folded,
            _ => return None,
        })
    }
}

#[cfg(test)]
impl MatchConfig {
    /// The smallest useful model for unit tests: one name column blocked on the given name.
    pub(crate) fn one_name_column() -> Self {
        Self::parse(
            r#"
            [[fields]]
            columns = ["name"]
            kind = "name"
            [[blocking]]
            name = "b"
            keys = ["name:given"]
            [thresholds]
            upper = 1
            lower = 0
        "#,
        )
        .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_default_parses() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas/matching/KS.toml");
        let c = MatchConfig::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.fields.iter().any(|f| f.name == "nksHoTen"));
        assert!(c.blocking.len() >= 3);
        assert!(
            c.lexicon_words.iter().any(|w| w == "hằng"),
            "names.toml read"
        );
    }

    #[test]
    fn problems_are_reported_together() {
        let text = r#"
            [[fields]]
            columns = ["a"]
            kind = "name"
            [[blocking]]
            name = "b"
            keys = ["a:year", "zz:given"]
            [thresholds]
            upper = 1
            lower = 2
        "#;
        let e = MatchConfig::parse(text).unwrap_err();
        assert!(e.contains("no transform year"), "{e}");
        assert!(e.contains("names no field"), "{e}");
        assert!(e.contains("lower is above upper"), "{e}");
    }
}
