//! The course's competition: students predict the unlabelled test images and hand in a
//! submission file (file name, label); the teacher scores every submission against the true
//! labels. Both files are read like any label file ([`crate::data::import::parse_labels`]: CSV or TSV,
//! header optional, UTF-8/UTF-16/Shift_JIS).

use crate::data::import::LabelTable;
use crate::i18n::Text;
use crate::nn::metrics::ConfusionMatrix;
use std::collections::{HashMap, HashSet};

/// The column separator of a submission file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Delimiter {
    /// `file,label` (.csv).
    #[default]
    Comma,
    /// `file<TAB>label` (.tsv).
    Tab,
}

impl Delimiter {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Delimiter::Comma => "csv",
            Delimiter::Tab => "tsv",
        }
    }
}

/// Writes a submission file: one `file,label` line per prediction (quoted where a name holds the
/// separator or a quote), after an optional `file,label` header. UTF-8, `\n` line ends.
pub fn write_submission(rows: &[(String, String)], delimiter: Delimiter, header: bool) -> String {
    let sep = match delimiter {
        Delimiter::Comma => ',',
        Delimiter::Tab => '\t',
    };
    let field = |s: &str| {
        if s.contains(sep) || s.contains('"') || s.contains('\n') || s.contains('\r') || s.trim() != s {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut out = String::new();
    if header {
        out.push_str(&format!("file{sep}label\n"));
    }
    for (file, label) in rows {
        out.push_str(&format!("{}{sep}{}\n", field(file), field(label)));
    }
    out
}

/// At most this many bytes of pixels go into one prediction request: the page copies them into
/// the worker, whose WebAssembly memory is 4 GB.
pub const MAX_REQUEST_BYTES: usize = 64 << 20;

/// How many test images of `width` × `height` × `channels` fit in one prediction request.
pub fn most_images(width: usize, height: usize, channels: usize) -> usize {
    MAX_REQUEST_BYTES / (width * height * channels).max(1)
}

/// The files of one submission, by name. A submission tells files apart by name alone, so a
/// second file of a name already seen (from another folder) is refused, in words.
#[derive(Clone, Debug, Default)]
pub struct Names {
    seen: HashSet<String>,
}

impl Names {
    /// Takes `name` in, or says why not: a file of that name came first.
    pub fn admit(&mut self, name: &str) -> Result<(), Text> {
        if self.seen.insert(name.to_owned()) {
            Ok(())
        } else {
            Err(Text::new(
                format!("同じ名前のファイル {name} が先にあります（提出ファイルではファイル名だけで区別します）"),
                format!("a file named {name} came first (a submission tells files apart by name alone)"),
            ))
        }
    }
}

/// A predicted class's name for the submission: the class names the model was trained with, or
/// the class number where the model has no name for it.
pub fn label(class_names: &[String], class: usize) -> String {
    class_names.get(class).cloned().unwrap_or_else(|| class.to_string())
}

/// The page's prediction requests: each is numbered, and only the answer to the latest one, for as
/// many images as it sent, becomes a submission (an older answer arriving late is dropped).
#[derive(Clone, Debug, Default)]
pub struct Requests {
    last_id: u32,
    pending: Option<(u32, Vec<String>)>,
}

impl Requests {
    /// A new request for the images `names` (in the order their pixels are sent): its id.
    pub fn send(&mut self, names: Vec<String>) -> u32 {
        self.last_id = self.last_id.wrapping_add(1);
        self.pending = Some((self.last_id, names));
        self.last_id
    }

    /// Whether a request waits for its answer.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// The request failed (the worker said why): nothing waits any more.
    pub fn fail(&mut self) {
        self.pending = None;
    }

    /// The worker's answer `labels` to request `id`: the submission's rows (file, label) when it
    /// answers the pending request, else `None` and the request still waits.
    pub fn answer(&mut self, id: u32, labels: &[u32], class_names: &[String]) -> Option<Vec<(String, String)>> {
        match &self.pending {
            Some((pending, names)) if *pending == id && names.len() == labels.len() => {
                let rows = names.iter().zip(labels).map(|(n, &c)| (n.clone(), label(class_names, c as usize))).collect();
                self.pending = None;
                Some(rows)
            }
            _ => None,
        }
    }
}

/// One submission's result against the true labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// Correct predictions over all truly labelled files (a missing prediction counts as wrong).
    pub accuracy: f64,
    /// Files predicted right.
    pub correct: usize,
    /// Files in the true labels.
    pub total: usize,
    /// Files in the true labels the submission does not name.
    pub missing: Vec<String>,
    /// Files the submission names that the true labels do not (ignored).
    pub unknown: Vec<String>,
    /// Predictions with a label that no true file has (wrong, and left out of the matrix).
    pub foreign_labels: usize,
    /// The true classes, sorted: the matrix's rows and columns.
    pub classes: Vec<String>,
    /// Truth × prediction over the files matched with a known label.
    pub confusion: ConfusionMatrix,
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// Scores `submission` against `truth`. Files match by name, else by name without extension when
/// one side has none (`img_001` matches `img_001.jpg`; `a.png` does not answer for `a.jpg`); each
/// submitted row answers for one file at most. Labels must match exactly (spaces around them
/// trimmed).
pub fn score(truth: &LabelTable, submission: &LabelTable) -> Score {
    let mut classes: Vec<String> = truth.rows.iter().map(|(_, l)| l.clone()).collect();
    classes.sort();
    classes.dedup();
    let class_index: HashMap<&str, usize> = classes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let by_name: HashMap<&str, usize> = submission.rows.iter().enumerate().map(|(i, (f, _))| (f.as_str(), i)).collect();
    // Name without extension → the one submitted row of that stem (two rows, a.jpg and a.png,
    // make the stem ambiguous: None).
    let mut by_stem: HashMap<&str, Option<usize>> = HashMap::new();
    for (i, (f, _)) in submission.rows.iter().enumerate() {
        by_stem.entry(stem(f)).and_modify(|e| *e = None).or_insert(Some(i));
    }
    let has_extension = |name: &str| name.contains('.');
    let mut used: Vec<bool> = vec![false; submission.rows.len()];
    let mut confusion = ConfusionMatrix::new(classes.len());
    let (mut correct, mut foreign_labels, mut missing) = (0, 0, Vec::new());
    // Exact names first, so a row named exactly for one file is never taken by another file's
    // name without extension (truth `a` and `a.png`, submission `a.png`: the row answers `a.png`).
    let mut matched: Vec<Option<usize>> = truth.rows.iter().map(|(file, _)| by_name.get(file.as_str()).copied()).collect();
    for m in matched.iter().flatten() {
        used[*m] = true;
    }
    for ((file, _), m) in truth.rows.iter().zip(matched.iter_mut()) {
        if m.is_some() {
            continue;
        }
        // Else by name without extension, when one side has none (`img_001` for
        // `img_001.jpg`) — `a.png` never answers for `a.jpg` — and only a row not used yet.
        let Some(i) = by_stem.get(stem(file)).copied().flatten() else { continue };
        let other = &submission.rows[i].0;
        if (!has_extension(file) || !has_extension(other)) && !used[i] {
            used[i] = true;
            *m = Some(i);
        }
    }
    for ((file, label), row) in truth.rows.iter().zip(matched) {
        let Some(i) = row else {
            missing.push(file.clone());
            continue;
        };
        let predicted = submission.rows[i].1.as_str();
        if predicted == label {
            correct += 1;
        }
        match class_index.get(predicted) {
            Some(&p) => confusion.add(class_index[label.as_str()], p),
            None => foreign_labels += 1,
        }
    }
    let unknown = submission.rows.iter().zip(&used).filter(|(_, u)| !**u).map(|((f, _), _)| f.clone()).collect();
    let total = truth.rows.len();
    Score {
        accuracy: if total == 0 { 0.0 } else { correct as f64 / total as f64 },
        correct,
        total,
        missing,
        unknown,
        foreign_labels,
        classes,
        confusion,
    }
}

/// Indices of `scores` from best to worst: higher accuracy first, then the name.
pub fn ranking(scores: &[(String, Score)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].1.accuracy.total_cmp(&scores[a].1.accuracy).then_with(|| scores[a].0.cmp(&scores[b].0)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import::parse_labels;

    fn table(text: &str) -> LabelTable {
        parse_labels(text.as_bytes()).unwrap()
    }

    #[test]
    fn a_second_file_of_a_name_is_refused_and_only_the_latest_answer_counts() {
        let mut names = Names::default();
        assert!(names.admit("a.jpg").is_ok());
        assert!(names.admit("b.jpg").is_ok());
        let twice = names.admit("a.jpg").unwrap_err();
        assert!(twice.ja.contains("a.jpg") && twice.en.contains("came first"), "{twice:?}");

        let classes = vec!["1円".to_owned(), "5円".to_owned()];
        let mut r = Requests::default();
        let first = r.send(vec!["a.jpg".into(), "b.jpg".into()]);
        let second = r.send(vec!["c.jpg".into()]);
        assert_ne!(first, second);
        // The first request's answer arrives after the second was sent: dropped.
        assert_eq!(r.answer(first, &[0, 1], &classes), None);
        assert!(r.is_pending());
        // An answer of the wrong length is not the second's either.
        assert_eq!(r.answer(second, &[0, 1], &classes), None);
        // A class the model has no name for is written as its number.
        assert_eq!(r.answer(second, &[7], &classes), Some(vec![("c.jpg".to_owned(), "7".to_owned())]));
        assert!(!r.is_pending());
        assert_eq!(r.answer(second, &[1], &classes), None, "answered once");
        let third = r.send(vec!["d.jpg".into()]);
        r.fail();
        assert_eq!(r.answer(third, &[1], &classes), None);
    }

    #[test]
    fn a_request_holds_at_most_64_mb_of_pixels() {
        assert_eq!(most_images(28, 28, 1), (64 << 20) / 784);
        assert_eq!(most_images(224, 224, 3), 445);
        assert_eq!(most_images(0, 0, 0), 64 << 20);
    }

    #[test]
    fn written_submissions_read_back_in_both_formats() {
        let rows = vec![
            ("a.jpg".to_owned(), "10円".to_owned()),
            ("b, c.jpg".to_owned(), "say \"hi\"".to_owned()),
            ("d.png".to_owned(), "100円".to_owned()),
        ];
        for delimiter in [Delimiter::Comma, Delimiter::Tab] {
            for header in [true, false] {
                let text = write_submission(&rows, delimiter, header);
                assert_eq!(text.starts_with("file"), header);
                let back = table(&text);
                assert_eq!(back.rows, rows, "{delimiter:?} header={header}: {text}");
                assert_eq!(back.had_header, header);
            }
        }
        assert_eq!(write_submission(&rows[..1], Delimiter::Tab, true), "file\tlabel\na.jpg\t10円\n");
    }

    #[test]
    fn scoring_counts_missing_as_wrong_and_matches_stems() {
        let truth = table("file,label\na.jpg,cat\nb.jpg,dog\nc.jpg,dog\nd.jpg,cat\n");
        let sub = table("b.jpg,cat\na,cat\nc.jpg,dog\nzzz.jpg,dog\n");
        let s = score(&truth, &sub);
        assert_eq!((s.correct, s.total), (2, 4));
        assert_eq!(s.accuracy, 0.5);
        assert_eq!(s.missing, vec!["d.jpg".to_owned()]);
        assert_eq!(s.unknown, vec!["zzz.jpg".to_owned()]);
        assert_eq!(s.classes, vec!["cat".to_owned(), "dog".to_owned()]);
        assert_eq!(s.confusion.get(1, 0), 1, "b: dog predicted cat");
        assert_eq!(s.confusion.total(), 3);
        // Another extension answers for nothing, and one row never answers for two files.
        let two = score(&table("x.jpg,cat\nx.png,cat\n"), &table("x.jpg,cat\n"));
        assert_eq!((two.correct, two.missing.len()), (1, 1));
        let bare = score(&table("y.jpg,cat\ny.png,cat\n"), &table("q.jpg,dog\ny,cat\n"));
        assert_eq!((bare.correct, bare.missing.len()), (1, 1), "the bare name answers once");
        // A row named exactly for one file is not also taken by a bare name: truth `a` and
        // `a.png`, one row `a.png` — it answers `a.png`; `a` is missing.
        let exact = score(&table("file,label\na,cat\na.png,dog\n"), &table("a.png,dog\n"));
        assert_eq!((exact.correct, exact.missing.clone(), exact.unknown.len()), (1, vec!["a".to_owned()], 0));
        let foreign = score(&truth, &table("a.jpg,bird\nb.jpg,dog\nc.jpg,dog\nd.jpg,cat\n"));
        assert_eq!((foreign.correct, foreign.foreign_labels, foreign.confusion.total()), (3, 1, 3));
    }

    #[test]
    fn ranking_is_by_accuracy_then_name() {
        let truth = table("a.jpg,x\nb.jpg,y\n");
        let entries = vec![
            ("carol".to_owned(), score(&truth, &table("a.jpg,x\nb.jpg,x\n"))),
            ("alice".to_owned(), score(&truth, &table("a.jpg,x\nb.jpg,y\n"))),
            ("bob".to_owned(), score(&truth, &table("a.jpg,x\nb.jpg,x\n"))),
        ];
        assert_eq!(ranking(&entries), vec![1, 2, 0]);
    }
}
