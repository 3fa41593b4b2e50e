//! Labels read by what their words mean (`schemas/labels/<REG>.toml`): whose value follows
//! (person words) and which of that person's fields (a concept), in any order, with spelling
//! variants. Used where a label is in none of the edition files; the edition wordings stay the
//! stronger evidence.
//!
//! A label's words are folded (marks dropped), mapped through the spelling variants and the
//! words that change nothing are dropped; then each reading (no person, or one person whose
//! words stand in the label) is scored against every concept phrase by how many words the two
//! share (Dice's coefficient over words, a word one letter off counting less). The reading
//! with the best score wins; a near tie between two fields is no reading.

use crate::schema::{LabelVocabulary, RegisterSchema, ValueStyle};
use crate::text::fold;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a label is taken to introduce.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The person the label names, when it names a person of the register.
    pub person: Option<String>,
    /// The register column's `(person, role)`: `person` is `register` for the register's own
    /// fields, the named person, or, when the label names none, the first person with the
    /// role (the section or the order of persons decide).
    pub role: (String, String),
    pub style: ValueStyle,
    pub page_scope: bool,
    /// 0..=1: how well the label's words fit the reading.
    pub score: f32,
}

/// A person's words, or someone the register knows only through fields of their own.
#[derive(Debug, Clone)]
struct Marker {
    person: String,
    words: Vec<String>,
    /// Role -> field, for someone who is not a person of the register.
    fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
enum Target {
    Role(String),
    Field(String),
}

#[derive(Debug, Clone)]
struct Phrase {
    target: Target,
    /// As written: what a label run together is compared with, letter by letter.
    words: Vec<String>,
    /// As a label's words are compared: words that change nothing dropped, and for a
    /// relation to someone else, the persons' words too.
    canon: Vec<String>,
    style: ValueStyle,
    page: bool,
    other_party: bool,
}

/// The meaning vocabulary of one register, ready to score labels.
#[derive(Debug, Clone)]
pub struct Meaning {
    spellings: HashMap<String, Vec<String>>,
    ignore: Vec<Vec<String>>,
    about_other: Vec<Vec<String>>,
    markers: Vec<Marker>,
    phrases: Vec<Phrase>,
    alone_role: String,
    /// Every word the vocabulary uses, to tell label words from value words.
    words: HashSet<String>,
    /// Words of personal names (folded): never a label standing alone without its colon.
    name_words: HashSet<String>,
    /// The vocabulary's words with their marks, lower-case ("tư", not "tu"): a word of
    /// personal names is a label word only where its marks are a label word's too.
    marked_words: HashSet<String>,
    /// Register facts the readings need.
    persons: Vec<String>,
    subject: String,
    /// `(person, role)` of every column, and each field's.
    columns: HashSet<(String, String)>,
    field_roles: HashMap<String, (String, String)>,
    /// Every wording the vocabulary makes (a concept's phrase, alone or followed by a
    /// person's words; a person's words alone), letters only, with its reading: what a label
    /// OCR ran together and garbled ("Họtênmce") is compared with, letter by letter.
    compact_forms: Vec<(String, Reading)>,
}

/// A label run together and garbled must match a wording's letters this well.
pub const COMPACT_SIMILARITY: f32 = 0.8;
/// Fewest letters compared letter by letter: in shorter spans one letter is a fifth of the
/// word and wordings of other fields are as close ("namnh" is one letter from "nam nữ" and
/// two from "năm sinh").
const LETTERS_LEAST: usize = 7;

/// A reading must fit this well to be taken.
pub const MEANING_SIMILARITY: f32 = 0.8;
/// Two readings of different fields closer than this are a tie: no reading.
const TIE: f32 = 0.04;
/// A word one letter off a vocabulary word (four letters or more) counts this much.
const NEAR_WORD: f32 = 0.75;
/// A three-letter word one letter off a vocabulary word counts this much.
const SHORT_NEAR_WORD: f32 = 0.5;
/// Fit of a label that is the first words of a longer phrase ("Giới" for "Giới tính"), as
/// forms copied by hand shorten them; a beginning several fields share is no reading.
const SHORTENED: f32 = 0.85;
/// Longest label in words, once folded and split.
pub const MAX_LABEL_WORDS: usize = 9;

/// Words of a text, folded, split at anything that is not a letter or digit.
pub fn folded_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A word lower-cased in composed form, its marks kept.
fn marked(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    word.nfc().flat_map(char::to_lowercase).collect()
}

/// Every word of the vocabulary's persons, phrases and register person words, marks kept.
fn marked_words(vocabulary: &LabelVocabulary, register: &RegisterSchema) -> HashSet<String> {
    let texts = vocabulary
        .persons
        .iter()
        .flat_map(|p| p.words.iter())
        .chain(vocabulary.concepts.iter().flat_map(|c| c.phrases.iter()))
        .chain(vocabulary.ignore.iter())
        .chain(vocabulary.about_other.iter())
        .chain(register.person_words.values().flatten());
    texts
        .flat_map(|t| {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(marked)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn word_similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.min(lb) >= 4 && la.abs_diff(lb) <= 1 && strsim::levenshtein(a, b) == 1 {
        NEAR_WORD
    } else if la == 3 && lb == 3 && strsim::hamming(a, b) == Ok(1) {
        // "tôn" for "tên": a short word with one letter misread is weak evidence.
        SHORT_NEAR_WORD
    } else {
        0.0
    }
}

/// Sum of the best one-to-one word similarities between `span` and `phrase`, and which span
/// words were used.
fn shared(span: &[&str], phrase: &[String]) -> (f32, Vec<bool>) {
    let mut used = vec![false; span.len()];
    let mut total = 0.0;
    for p in phrase {
        let best = span
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, w)| (i, word_similarity(w, p)))
            .filter(|(_, s)| *s > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, s)) = best {
            used[i] = true;
            total += s;
        }
    }
    (total, used)
}

impl Meaning {
    pub fn new(vocabulary: &LabelVocabulary, register: &RegisterSchema) -> Meaning {
        let split = |text: &str| folded_words(text);
        let spellings = vocabulary
            .spellings
            .iter()
            .map(|(k, v)| (fold(k), split(v)))
            .collect();
        let mut markers: Vec<Marker> = Vec::new();
        for p in &vocabulary.persons {
            for w in &p.words {
                markers.push(Marker {
                    person: p.person.clone(),
                    words: split(w),
                    fields: p.fields.clone(),
                });
            }
        }
        // Register person words too, so both lists agree.
        for (person, words) in &register.person_words {
            for w in words {
                let words = split(w);
                if !markers.iter().any(|m| m.words == words) {
                    markers.push(Marker {
                        person: person.clone(),
                        words,
                        fields: BTreeMap::new(),
                    });
                }
            }
        }
        markers.sort_by_key(|m| std::cmp::Reverse(m.words.len()));
        let mut phrases = Vec::new();
        for c in &vocabulary.concepts {
            let target = match (&c.role, &c.field) {
                (Some(role), _) => Target::Role(role.clone()),
                (None, Some(field)) => Target::Field(field.clone()),
                (None, None) => continue,
            };
            for p in &c.phrases {
                phrases.push(Phrase {
                    target: target.clone(),
                    words: split(p),
                    canon: Vec::new(),
                    style: c.style,
                    page: c.page,
                    other_party: c.other_party,
                });
            }
        }
        let mut meaning = Meaning {
            spellings,
            ignore: vocabulary.ignore.iter().map(|w| split(w)).collect(),
            about_other: vocabulary.about_other.iter().map(|w| split(w)).collect(),
            markers,
            phrases,
            alone_role: vocabulary.alone_role.clone(),
            words: HashSet::new(),
            name_words: HashSet::new(),
            marked_words: marked_words(vocabulary, register),
            persons: register.persons.clone(),
            subject: register.subject.clone(),
            columns: register
                .columns
                .iter()
                .map(|c| (c.person.clone(), c.role.clone()))
                .collect(),
            field_roles: register
                .columns
                .iter()
                .map(|c| (c.key.clone(), (c.person.clone(), c.role.clone())))
                .collect(),
            compact_forms: Vec::new(),
        };
        let words: HashSet<String> = meaning
            .markers
            .iter()
            .flat_map(|m| m.words.iter())
            .chain(meaning.phrases.iter().flat_map(|p| p.words.iter()))
            .chain(meaning.ignore.iter().flatten())
            .chain(meaning.about_other.iter().flatten())
            .cloned()
            .collect();
        meaning.words = words;
        let canon: Vec<Vec<String>> = meaning
            .phrases
            .iter()
            .map(|p| {
                let mut kept = meaning.without_ignored(p.words.clone());
                // As in a label, words after "với" name the other party.
                if let Some(at) = (0..kept.len()).find(|&i| {
                    meaning
                        .about_other
                        .iter()
                        .any(|o| !o.is_empty() && kept[i..].starts_with(o))
                }) {
                    kept.truncate(at);
                }
                if p.other_party {
                    meaning.without_persons(&kept)
                } else {
                    kept
                }
            })
            .collect();
        for (phrase, canon) in meaning.phrases.iter_mut().zip(canon) {
            phrase.canon = canon;
        }
        meaning.compact_forms = meaning.wordings();
        meaning
    }

    /// The wordings the vocabulary makes, letters only, each with its reading; a wording two
    /// readings share is dropped.
    fn wordings(&self) -> Vec<(String, Reading)> {
        let mut forms: HashMap<String, Option<Reading>> = HashMap::new();
        let mut add = |words: Vec<&String>, reading: Reading| {
            let compact: String = words.into_iter().map(String::as_str).collect();
            match forms.get(&compact) {
                Some(Some(known)) if known.role != reading.role => {
                    forms.insert(compact, None);
                }
                Some(_) => {}
                None => {
                    forms.insert(compact, Some(reading));
                }
            }
        };
        for phrase in &self.phrases {
            let reading = |marker: Option<&Marker>| {
                self.resolve(marker, &phrase.target).map(|role| Reading {
                    person: marker
                        .filter(|m| self.persons.contains(&m.person))
                        .map(|m| m.person.clone()),
                    role,
                    style: phrase.style,
                    page_scope: phrase.page,
                    score: 1.0,
                })
            };
            if let Some(r) = reading(None) {
                add(phrase.words.iter().collect(), r);
            }
            if matches!(phrase.target, Target::Field(_)) {
                continue;
            }
            for m in &self.markers {
                if let Some(r) = reading(Some(m)) {
                    add(phrase.words.iter().chain(&m.words).collect(), r);
                }
            }
        }
        for m in &self.markers {
            if let Some(role) = self.resolve(Some(m), &Target::Role(self.alone_role.clone())) {
                let reading = Reading {
                    person: self.persons.contains(&m.person).then(|| m.person.clone()),
                    role,
                    style: ValueStyle::Plain,
                    page_scope: false,
                    score: 1.0,
                };
                add(m.words.iter().collect(), reading);
            }
        }
        let mut out: Vec<(String, Reading)> = forms
            .into_iter()
            .filter_map(|(k, r)| r.map(|r| (k, r)))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// A label's letters compared with every wording's ("hotenmce" is "họ tên mẹ" with a
    /// letter misread): the closest, when close enough and no wording of another field is
    /// about as close. For labels OCR ran together, whose words cannot be told apart.
    pub fn read_letters(&self, compact: &str) -> Option<Reading> {
        let n = compact.chars().count();
        if n < LETTERS_LEAST {
            return None;
        }
        let mut best: Option<(f32, &Reading)> = None;
        let mut rival = 0.0f32;
        for (form, reading) in &self.compact_forms {
            let m = form.chars().count();
            if (n.min(m) as f32) < 0.7 * n.max(m) as f32 {
                continue;
            }
            let sim = strsim::normalized_levenshtein(form, compact) as f32;
            match best {
                Some((b, r)) if sim > b => {
                    if r.role != reading.role {
                        rival = rival.max(b);
                    }
                    best = Some((sim, reading));
                }
                Some((_, r)) if r.role != reading.role => rival = rival.max(sim),
                None => best = Some((sim, reading)),
                _ => {}
            }
        }
        let (sim, reading) = best?;
        (sim >= COMPACT_SIMILARITY && sim - rival >= TIE).then(|| Reading {
            score: sim,
            ..reading.clone()
        })
    }

    /// With the words of personal names, which a label without its colon never is alone
    /// ("Trang" is a name before it is "trang số").
    pub fn with_name_words<'a>(mut self, words: impl IntoIterator<Item = &'a String>) -> Self {
        self.name_words = words.into_iter().map(|w| fold(w)).collect();
        self
    }

    /// Whether a word, as read, is a word of the vocabulary (a label word spelled right).
    pub fn is_vocabulary_word(&self, word: &str) -> bool {
        let folded = fold(word);
        self.words.contains(&folded) || self.spellings.contains_key(&folded)
    }

    /// Whether a word is a vocabulary word as written, marks and all ("Tú" is not the "tư"
    /// of "tư pháp"); an abbreviation or older spelling counts whatever its marks.
    pub fn is_marked_vocabulary_word(&self, word: &str) -> bool {
        self.marked_words.contains(&marked(word)) || self.spellings.contains_key(&fold(word))
    }

    /// Whether a word is a word of personal names.
    pub fn is_name_word(&self, word: &str) -> bool {
        self.name_words.contains(&fold(word))
    }

    /// Whether the text is an abbreviation the spellings spell out ("NS" is "năm sinh").
    pub fn is_abbreviation(&self, text: &str) -> bool {
        let folded = folded_words(text);
        folded.len() == 1
            && text.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
            && self.spellings.get(&folded[0]).is_some_and(|s| s.len() > 1)
    }

    /// A reading of a label standing without its colon: every word a vocabulary word as
    /// spelled, the whole of a phrase, and not a lone word of personal names.
    pub fn read_bare(&self, label: &str) -> Option<Reading> {
        // Words OCR ran together ("Tuổingườicha") are taken apart first.
        let folded = self.canonical(label);
        if folded.is_empty() || !folded.iter().all(|w| self.words.contains(w)) {
            return None;
        }
        if folded.len() == 1 && self.name_words.contains(&folded[0]) {
            return None;
        }
        // A title in capitals ("BỘ KHAI SANH") is no label; nor are a person's words alone
        // ("Bố"), which a value could hold.
        let shouted = label.chars().filter(|c| c.is_alphabetic()).count() > 1
            && label
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        if shouted {
            return None;
        }
        let reading = self.read(label).filter(|r| r.score >= 1.0)?;
        let words = self.canonical(label);
        let person_only = self.markers.iter().any(|m| m.words == words);
        (!person_only).then_some(reading)
    }

    /// A label's words, canonical: folded, spelling variants replaced.
    pub fn canonical(&self, text: &str) -> Vec<String> {
        folded_words(text)
            .into_iter()
            .flat_map(|w| {
                // Label words OCR read without their spaces ("Tênhọngườicha", "Nơiở").
                let pieces = if self.words.contains(&w) || self.spellings.contains_key(&w) {
                    vec![w]
                } else {
                    self.unglue(&w).unwrap_or_else(|| vec![w])
                };
                pieces
                    .into_iter()
                    .flat_map(|p| match self.spellings.get(&p) {
                        Some(canon) => canon.clone(),
                        None => vec![p],
                    })
            })
            .collect()
    }

    /// A folded word made of vocabulary words run together, split into the fewest of them;
    /// `None` when it is not.
    fn unglue(&self, word: &str) -> Option<Vec<String>> {
        let chars: Vec<char> = word.chars().collect();
        let n = chars.len();
        if !(4..=40).contains(&n) {
            return None;
        }
        let known = |piece: &str| self.words.contains(piece) || self.spellings.contains_key(piece);
        // best[i]: fewest pieces covering chars[..i], and where the last piece starts.
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0));
        for end in 1..=n {
            for start in 0..end {
                let Some((count, _)) = best[start] else {
                    continue;
                };
                let piece: String = chars[start..end].iter().collect();
                if known(&piece) && best[end].is_none_or(|(c, _)| count + 1 < c) {
                    best[end] = Some((count + 1, start));
                }
            }
        }
        let (count, _) = best[n]?;
        if count < 2 {
            return None;
        }
        let mut pieces = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, start) = best[end]?;
            pieces.push(chars[start..end].iter().collect());
            end = start;
        }
        pieces.reverse();
        Some(pieces)
    }

    /// Whether a folded word may belong to a label: a vocabulary word, one letter off one
    /// of four letters or more, or a spelling variant of one.
    pub fn is_label_word(&self, text: &str) -> bool {
        let words = self.canonical(text);
        !words.is_empty()
            && words.iter().all(|w| {
                self.words.contains(w) || self.words.iter().any(|v| word_similarity(w, v) > 0.0)
            })
    }

    /// The register's `(person, role)` a reading of `role` for `person` gives: the register's
    /// own field, the person's field, or the field of someone known through fields.
    /// A label of a person's words alone names that person (the register's `alone_role`).
    fn person_alone(&self, m: &Marker, score: f32) -> Option<Reading> {
        let role = self.resolve(Some(m), &Target::Role(self.alone_role.clone()))?;
        Some(Reading {
            person: self.persons.contains(&m.person).then(|| m.person.clone()),
            role,
            style: ValueStyle::Plain,
            page_scope: false,
            score,
        })
    }

    fn resolve(&self, marker: Option<&Marker>, target: &Target) -> Option<(String, String)> {
        match target {
            Target::Field(field) => self.field_roles.get(field).cloned(),
            Target::Role(role) => {
                if let Some(m) = marker.filter(|m| !m.fields.is_empty()) {
                    let field = m.fields.get(role)?;
                    return self.field_roles.get(field).cloned();
                }
                // A register field belongs to no person: a label naming one is not about it
                // ("bộ ghi" is no "ghi chú" of the father's).
                let register_level = self.columns.contains(&("register".into(), role.clone()));
                if register_level {
                    return marker.is_none().then(|| ("register".into(), role.clone()));
                }
                let has = |p: &str| self.columns.contains(&(p.to_string(), role.clone()));
                let person = match marker {
                    Some(m) => Some(m.person.as_str()).filter(|p| has(p)),
                    // No person named: the first of the register's persons with the role
                    // (extraction then lets the section or the order of persons decide).
                    None => std::iter::once(&self.subject)
                        .chain(&self.persons)
                        .map(String::as_str)
                        .find(|p| has(p)),
                };
                person.map(|p| (p.to_string(), role.clone()))
            }
        }
    }

    /// The words without those that change nothing in a label's meaning.
    fn without_ignored(&self, mut words: Vec<String>) -> Vec<String> {
        for ignored in &self.ignore {
            let n = ignored.len();
            let mut i = 0;
            while n > 0 && i + n <= words.len() {
                if words[i..i + n] == ignored[..] {
                    words.drain(i..i + n);
                } else {
                    i += 1;
                }
            }
        }
        words
    }

    /// The words without any person's words (the longest first, as the markers are sorted).
    fn without_persons<S: AsRef<str>>(&self, words: &[S]) -> Vec<String> {
        let mut words: Vec<String> = words.iter().map(|w| w.as_ref().to_string()).collect();
        for m in &self.markers {
            let n = m.words.len();
            let mut i = 0;
            while n > 0 && i + n <= words.len() {
                if words[i..i + n] == m.words[..] {
                    words.drain(i..i + n);
                } else {
                    i += 1;
                }
            }
        }
        words
    }

    /// Every reading of the label, best first, with the fields' `(person, role)`.
    pub fn readings(&self, label: &str) -> Vec<Reading> {
        let words = self.without_ignored(self.canonical(label));
        // Words after "với" name the other party: not the label's person, not its concept.
        let other_at = (0..words.len()).find(|&i| {
            self.about_other
                .iter()
                .any(|o| !o.is_empty() && words[i..].starts_with(o))
        });
        let own: Vec<&str> = words[..other_at.unwrap_or(words.len())]
            .iter()
            .map(String::as_str)
            .collect();
        if own.is_empty() || own.len() > MAX_LABEL_WORDS {
            return Vec::new();
        }
        let mut out: Vec<Reading> = Vec::new();
        let mut push = |reading: Reading| {
            if let Some(r) = out.iter_mut().find(|r| r.role == reading.role) {
                if reading.score > r.score {
                    *r = reading;
                }
            } else {
                out.push(reading);
            }
        };
        // Readings with no person, then with each person whose words stand in the label.
        let mut choices: Vec<(Option<&Marker>, Vec<&str>, f32)> = vec![(None, own.clone(), 0.0)];
        for m in &self.markers {
            let n = m.words.len();
            if n == 0 || n > own.len() {
                continue;
            }
            for start in 0..=own.len() - n {
                let sims: Vec<f32> = own[start..start + n]
                    .iter()
                    .zip(&m.words)
                    .map(|(w, p)| word_similarity(w, p))
                    .collect();
                // Person words are short ("con", "mẹ"): only whole or long ones count.
                if sims.iter().all(|s| *s >= NEAR_WORD) {
                    let mut rest = own.clone();
                    rest.drain(start..start + n);
                    choices.push((Some(m), rest, sims.iter().sum()));
                }
            }
        }
        // The label as a person's words in other order or shortened ("Ủy viên hộ tịch" for
        // "hộ tịch viên", "Cán bộ ghi" for "cán bộ ghi sổ"): that person's name.
        for m in &self.markers {
            let (common, _) = shared(&own, &m.words);
            if common == 0.0 || m.words.len() < 2 {
                continue;
            }
            let mut score = 2.0 * common / (own.len() + m.words.len()) as f32;
            let shortened = own.len() >= 2
                && own.len() < m.words.len()
                && own.iter().zip(&m.words).all(|(w, p)| *w == p);
            if shortened {
                score = score.max(SHORTENED);
            }
            if let Some(reading) = self.person_alone(m, score) {
                push(reading);
            }
        }
        // A relation's person words name the other party: such a concept is read on the
        // label's other words, for no person of its own.
        let without_persons = self.without_persons(&own);
        for (marker, rest, marker_sum) in choices {
            let marker_words = marker.map_or(0, |m| m.words.len()) as f32;
            if rest.is_empty() {
                if let Some(reading) =
                    marker.and_then(|m| self.person_alone(m, marker_sum / marker_words))
                {
                    push(reading);
                }
                continue;
            }
            for phrase in &self.phrases {
                if phrase.other_party && marker.is_some() {
                    continue;
                }
                let rest: Vec<&str> = if phrase.other_party {
                    without_persons.iter().map(String::as_str).collect()
                } else {
                    rest.clone()
                };
                if rest.is_empty() {
                    continue;
                }
                let (common, _) = shared(&rest, &phrase.canon);
                if common == 0.0 {
                    continue;
                }
                let mut score = 2.0 * (common + marker_sum)
                    / (rest.len() as f32 + phrase.canon.len() as f32 + 2.0 * marker_words);
                // The phrase's first words alone, as a hand-copied form shortens it.
                let shortened = rest.len() < phrase.canon.len()
                    && rest.iter().zip(&phrase.canon).all(|(w, p)| *w == p)
                    && rest.iter().all(|w| w.chars().count() >= 3);
                if shortened {
                    score = score.max(SHORTENED);
                }
                let Some(role) = self.resolve(marker, &phrase.target) else {
                    continue;
                };
                let person = marker
                    .filter(|m| self.persons.contains(&m.person))
                    .map(|m| m.person.clone());
                push(Reading {
                    person,
                    role,
                    style: phrase.style,
                    page_scope: phrase.page,
                    score,
                });
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out
    }

    /// The one reading a label has: the best, when it fits well enough and no reading of
    /// another field comes close.
    pub fn read(&self, label: &str) -> Option<Reading> {
        let readings = self.readings(label);
        let best = readings.first()?;
        if best.score < MEANING_SIMILARITY {
            return None;
        }
        let rival = readings.get(1).filter(|r| best.score - r.score < TIE);
        if rival.is_some() {
            return None;
        }
        Some(best.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schemas;

    fn meaning() -> Meaning {
        let s =
            Schemas::load(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas"))
                .unwrap();
        Meaning::new(&s.labels["KS"], s.register("KS").unwrap())
    }

    fn read(label: &str) -> Option<(Option<String>, String, String)> {
        meaning()
            .read(label)
            .map(|r| (r.person, r.role.0, r.role.1))
    }

    fn role(label: &str) -> Option<(String, String)> {
        meaning().read(label).map(|r| r.role)
    }

    fn pair(person: &str, role: &str) -> Option<(String, String)> {
        Some((person.to_string(), role.to_string()))
    }

    #[test]
    fn persons_and_concepts_in_any_order_and_spelling() {
        assert_eq!(role("Họ và tên người được khai sanh"), pair("nks", "HoTen"));
        assert_eq!(role("Tên họ của cha"), pair("cha", "HoTen"));
        assert_eq!(role("Nơi thường trú của mẹ"), pair("me", "NoiCuTru"));
        assert_eq!(role("Sinh ngày"), pair("nks", "NgaySinh"));
        assert_eq!(role("Ngày sinh"), pair("nks", "NgaySinh"));
        assert_eq!(role("Đăng ký ngày"), pair("register", "NgayDangKy"));
        assert_eq!(role("Nam hay nữ"), pair("nks", "GioiTinh"));
        assert_eq!(role("Quê quán"), pair("nks", "QueQuan"));
        assert_eq!(role("Chỗ ở hiện nay"), pair("me", "NoiCuTru"));
        // The person a label names explicitly is kept apart from the subject.
        let (person, _, _) = read("Họ tên mẹ").unwrap();
        assert_eq!(person.as_deref(), Some("me"));
        assert_eq!(read("Dân tộc").unwrap().0, None);
    }

    #[test]
    fn officers_and_signers_have_fields_of_their_own() {
        assert_eq!(
            role("Cán bộ Tư pháp - Hộ tịch"),
            pair("register", "NguoiThucHien")
        );
        assert_eq!(
            role("Họ tên cán bộ hộ tịch"),
            pair("register", "NguoiThucHien")
        );
        assert_eq!(role("Người ký"), pair("register", "NguoiKy"));
        assert_eq!(role("Chức vụ người ký"), pair("register", "ChucVuNguoiKy"));
    }

    #[test]
    fn the_other_party_is_not_the_labels_person() {
        // The requester's relation to the child: no person of its own, so the order of
        // persons (the requester is the one with a relation) decides.
        let r = meaning().read("Quan hệ với người được khai sinh").unwrap();
        assert_eq!(r.person, None);
        assert_eq!(r.role.1, "QuanHe");
    }

    #[test]
    fn a_relations_person_words_name_the_other_party() {
        for label in [
            "Là gì của cháu",
            "Quan hệ với trẻ",
            "Là gì của trẻ",
            "Quan hệ với con",
        ] {
            let r = meaning().read(label).unwrap_or_else(|| panic!("{label}"));
            assert_eq!(
                (r.person, r.role),
                (None, pair("nyc", "QuanHe").unwrap()),
                "{label}"
            );
        }
        // Elsewhere a person's words say whose value follows.
        assert_eq!(role("Họ tên cháu"), pair("nks", "HoTen"));
    }

    #[test]
    fn a_persons_words_in_another_order_or_shortened_name_that_person() {
        assert_eq!(role("Hộ tịch cán bộ"), pair("register", "NguoiThucHien"));
        assert_eq!(role("Người lập"), pair("register", "NguoiThucHien"));
        assert_eq!(role("Người đứng ra khai"), pair("nyc", "HoTen"));
        // A person's word beside a register field is no reading of it: "bộ" folds as "bố".
        assert_eq!(role("bộ ghi"), None);
    }

    #[test]
    fn ages_and_page_numbers_carry_their_style() {
        let m = meaning();
        let age = m.read("Tuổi của mẹ").unwrap();
        assert_eq!(age.role, ("me".to_string(), "NgaySinh".to_string()));
        assert_eq!(age.style, ValueStyle::Age);
        assert!(m.read("Trang số").unwrap().page_scope);
    }

    #[test]
    fn words_that_mean_nothing_known_are_no_reading() {
        assert_eq!(read("Nghề nghiệp"), None);
        assert_eq!(read("Nguyễn Văn An"), None);
        assert_eq!(read("Tôn giáo"), None);
        // A family name that folds like a person word is no person: "Mã" is not "má".
        assert_eq!(role("Mã định danh"), pair("nks", "SoDinhDanh"));
    }

    #[test]
    fn labels_run_together_and_garbled_are_read_by_their_letters() {
        let m = meaning();
        let r = m.read_letters("hotenmce").unwrap();
        assert_eq!(r.role, ("me".to_string(), "HoTen".to_string()));
        let r = m.read_letters("soddangky").unwrap();
        assert_eq!(r.role, ("register".to_string(), "So".to_string()));
        assert_eq!(m.read_letters("nguyenvanan"), None);
        // Too short to tell "năm sinh" from "nam nữ" by letters.
        assert_eq!(m.read_letters("namnh"), None);
    }

    #[test]
    fn label_words_are_told_from_value_words() {
        let m = meaning();
        assert!(m.is_label_word("Họ"));
        assert!(m.is_label_word("sanh"));
        assert!(m.is_label_word("thường"));
        assert!(!m.is_label_word("1987"));
    }
}
