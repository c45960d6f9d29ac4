//! Bringing datasets in and out: zip archives in the usual image-folder layout, the competition
//! layout (training images + a label file + unlabelled test images), label files as Excel writes
//! them (CSV or TSV, UTF-8 with or without BOM, Shift_JIS), and the zip export.
//!
//! Nothing here trusts its input. A zip is read entry by entry with caps on the file count and on
//! the bytes actually inflated (not the sizes the headers claim), nested archives are never
//! opened, paths that climb out (`../`) or are absolute are refused. Every file gets a line in the
//! [`Report`]: imported, or skipped and why, in Japanese and English. The good part is imported.

use crate::data::library::{DatasetInfo, ImageFormat, ImageInfo, STORED_LONGEST_SIDE};
use crate::error::CoreError;
use crate::i18n::Text;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read, Write};

/// Limits on what an import may unpack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// At most this many entries in an archive.
    pub max_files: usize,
    /// At most this many bytes inflated in total.
    pub max_total_bytes: u64,
    /// At most this many bytes in one file.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_files: 20_000, max_total_bytes: 1 << 30, max_file_bytes: 64 << 20 }
    }
}

/// What happened to one file of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored, in this class (`None`: unlabelled test image).
    Imported(Option<String>),
    /// Not imported, and why.
    Skipped(Text),
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// The path inside the archive or folder (or the file name).
    pub path: String,
    /// What happened.
    pub outcome: Outcome,
}

/// Everything an import did, file by file, plus notes about the whole (e.g. the label file's
/// encoding).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// One line per file, in the order met.
    pub files: Vec<FileReport>,
    /// Remarks about the import as a whole.
    pub notes: Vec<Text>,
    /// Set when the import stopped early (a cap reached, storage full): why.
    pub stopped: Option<Text>,
}

impl Report {
    /// Records a skipped file.
    pub fn skip(&mut self, path: impl Into<String>, why: Text) {
        self.files.push(FileReport { path: path.into(), outcome: Outcome::Skipped(why) });
    }

    /// Records an imported file.
    pub fn imported(&mut self, path: impl Into<String>, class: Option<String>) {
        self.files.push(FileReport { path: path.into(), outcome: Outcome::Imported(class) });
    }

    /// How many files were imported.
    pub fn imported_count(&self) -> usize {
        self.files.iter().filter(|f| matches!(f.outcome, Outcome::Imported(_))).count()
    }

    /// How many were skipped.
    pub fn skipped_count(&self) -> usize {
        self.files.len() - self.imported_count()
    }

    /// One line: "120 imported, 3 skipped".
    pub fn summary(&self) -> Text {
        let (i, s) = (self.imported_count(), self.skipped_count());
        Text::new(format!("{i} 枚を取り込み、{s} 件をスキップしました。"), format!("{i} imported, {s} skipped."))
    }
}

/// A file from an archive or a dropped folder: its relative path and contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path with `/` separators, relative to the archive or folder root.
    pub path: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// What an import does with one file the student chose or dropped, before reading it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intake {
    /// Read it and unpack it as a zip.
    Zip,
    /// A loose image (no folder) while a class is chosen: it goes into that class.
    IntoClass,
    /// Read it as a file at its path: part of a folder's tree, or loose with no class chosen
    /// (then [`plan`] decides, as for a zip's top level).
    AtPath,
    /// Not imported, and why.
    Skip(Text),
}

/// How an import takes the files chosen or dropped, each `(path, size in bytes)` (the path with
/// `/` separators; a file chosen alone is its name): in order, one [`Intake`] each, until the
/// import as a whole would pass `limits`' count or total size — a folder is read into memory
/// before it is planned, so it is capped like a zip — with why it stopped (a zip over the total
/// cap stops it there). A file over the one-file cap is skipped unless it is a zip (its entries
/// are capped when it is unpacked). `class_chosen`: loose images go into the chosen class.
pub fn intake(files: &[(&str, u64)], class_chosen: bool, limits: &Limits) -> (Vec<Intake>, Option<Text>) {
    let mut out = Vec::with_capacity(files.len());
    let mut read = 0u64;
    for (n, &(path, size)) in files.iter().enumerate() {
        if n >= limits.max_files || read.saturating_add(size) > limits.max_total_bytes {
            let (files, mb) = (limits.max_files, limits.max_total_bytes >> 20);
            return (
                out,
                Some(why(
                    format!("一度に取り込めるのは {files} ファイル・{mb} MB までです。残りは分けて取り込んでください。"),
                    format!("One import takes at most {files} files and {mb} MB; import the rest separately."),
                )),
            );
        }
        read += size;
        let zip = path.to_lowercase().ends_with(".zip");
        out.push(if zip {
            Intake::Zip
        } else if size > limits.max_file_bytes {
            let cap = size_text(limits.max_file_bytes);
            Intake::Skip(why(format!("{cap} を超えるので取り込みません"), format!("larger than {cap}: not imported")))
        } else if class_chosen && !path.contains('/') {
            Intake::IntoClass
        } else {
            Intake::AtPath
        });
    }
    (out, None)
}

/// A size cap in words: whole gigabytes, else megabytes.
fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) { format!("{} GB", bytes >> 30) } else { format!("{} MB", bytes >> 20) }
}

fn why(ja: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(ja, en)
}

/// Splits a path into its components, refusing absolute paths, drive letters, `..` and NUL.
fn safe_components(path: &str) -> Option<Vec<&str>> {
    if path.starts_with('/') || path.starts_with('\\') || path.contains('\0') {
        return None;
    }
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty() && *p != ".").collect();
    if parts.is_empty() || parts.iter().any(|p| *p == ".." || p.contains(':')) {
        return None;
    }
    Some(parts)
}

/// Files a system leaves behind (macOS resource forks, Windows thumbnails): skipped quietly.
fn is_system_file(parts: &[&str]) -> bool {
    parts.iter().any(|p| *p == "__MACOSX" || p.starts_with('.'))
        || matches!(parts.last().map(|p| p.to_ascii_lowercase()).as_deref(), Some("thumbs.db" | "desktop.ini"))
}

fn extension(name: &str) -> String {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

/// File extensions taken as images (the decoder has the last word).
pub const IMAGE_EXTENSIONS: [&str; 7] = ["png", "jpg", "jpeg", "gif", "bmp", "webp", "jfif"];

/// Whether the name says image.
pub fn looks_like_image(name: &str) -> bool {
    IMAGE_EXTENSIONS.contains(&extension(name).as_str())
}

fn is_label_file(name: &str) -> bool {
    matches!(extension(name).as_str(), "csv" | "tsv" | "txt")
}

/// A zip archive opened for reading, entry by entry (so the page can breathe between entries).
pub struct Archive {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    next: usize,
    inflated: u64,
    limits: Limits,
}

/// What [`Archive::next_file`] found.
pub enum Entry {
    /// A file to consider.
    File(SourceFile),
    /// Skipped, with its report line.
    Skipped(FileReport),
    /// Skipped without a word (a folder, a system file).
    Quiet,
}

impl Archive {
    /// Opens a zip.
    ///
    /// # Errors
    /// [`CoreError::BadDataset`] when the bytes are not a readable zip or it has more than
    /// `limits.max_files` entries.
    pub fn open(bytes: Vec<u8>, limits: Limits) -> Result<Archive, CoreError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| CoreError::dataset("読める zip ファイルではありません", format!("not a readable zip file ({e})")))?;
        if zip.len() > limits.max_files {
            let (n, most) = (zip.len(), limits.max_files);
            return Err(CoreError::dataset(
                format!("zip の中身が {n} 個あります。取り込めるのは {most} 個までです"),
                format!("the zip has {n} entries; at most {most} are accepted"),
            ));
        }
        Ok(Archive { zip, next: 0, inflated: 0, limits })
    }

    /// Entries in the archive (folders included).
    pub fn len(&self) -> usize {
        self.zip.len()
    }

    /// Whether the archive has no entries.
    pub fn is_empty(&self) -> bool {
        self.zip.len() == 0
    }

    /// Reads every entry (what [`Self::next_file`] gives, one after another): the files to
    /// consider, with a report line for each skipped entry, and `report.stopped` set when a cap
    /// stopped the reading (a zip bomb; what came before is kept). The native import's way; the
    /// page calls `next_file` itself so that it can breathe between entries.
    pub fn read_all(mut self, report: &mut Report) -> Vec<SourceFile> {
        let mut files = Vec::new();
        while let Some(entry) = self.next_file() {
            match entry {
                Ok(Entry::File(f)) => files.push(f),
                Ok(Entry::Skipped(line)) => report.files.push(line),
                Ok(Entry::Quiet) => {}
                Err(e) => {
                    report.stopped = Some(e.text());
                    break;
                }
            }
        }
        files
    }

    /// The next entry, `None` at the end.
    ///
    /// # Errors
    /// [`CoreError::BadDataset`] when the total inflated size passes the cap: the import stops
    /// there (a zip bomb) and keeps what came before.
    pub fn next_file(&mut self) -> Option<Result<Entry, CoreError>> {
        if self.next >= self.zip.len() {
            return None;
        }
        let index = self.next;
        self.next += 1;
        let limits = self.limits;
        let left = limits.max_total_bytes.saturating_sub(self.inflated);
        let mut file = match self.zip.by_index(index) {
            Ok(f) => f,
            Err(e) => {
                return Some(Ok(Entry::Skipped(FileReport {
                    path: format!("#{}", index + 1),
                    outcome: Outcome::Skipped(why(
                        format!("zip の中のこのファイルは読めません（{e}）"),
                        format!("this entry of the zip cannot be read ({e})"),
                    )),
                })));
            }
        };
        // Japanese Windows writes names in Shift_JIS without the UTF-8 flag (zip would read them
        // as CP437): take UTF-8 when the bytes are UTF-8, else Shift_JIS.
        let raw = match std::str::from_utf8(file.name_raw()) {
            Ok(s) => s.to_owned(),
            Err(_) => encoding_rs::SHIFT_JIS.decode(file.name_raw()).0.into_owned(),
        };
        if file.is_dir() {
            return Some(Ok(Entry::Quiet));
        }
        let Some(parts) = safe_components(&raw) else {
            return Some(Ok(Entry::Skipped(FileReport {
                path: raw,
                outcome: Outcome::Skipped(why(
                    "危険なパス（../ や絶対パス）なので取り込みません",
                    "unsafe path (../ or absolute): not imported",
                )),
            })));
        };
        if is_system_file(&parts) {
            return Some(Ok(Entry::Quiet));
        }
        let path = parts.join("/");
        if file.encrypted() {
            return Some(Ok(Entry::Skipped(FileReport {
                path,
                outcome: Outcome::Skipped(why("パスワード付きのファイルは読めません", "password-protected: cannot be read")),
            })));
        }
        // Read at most one byte past the cap, whatever the header claims.
        let cap = limits.max_file_bytes.min(left);
        let mut bytes = Vec::new();
        let read = (&mut file).take(cap + 1).read_to_end(&mut bytes);
        drop(file);
        if let Err(e) = read {
            self.inflated += bytes.len() as u64;
            return Some(Ok(Entry::Skipped(FileReport {
                path,
                outcome: Outcome::Skipped(why(format!("壊れています（{e}）"), format!("damaged ({e})"))),
            })));
        }
        self.inflated += bytes.len() as u64;
        if bytes.len() as u64 > cap {
            if cap == limits.max_file_bytes && left > limits.max_file_bytes {
                return Some(Ok(Entry::Skipped(FileReport {
                    path,
                    outcome: Outcome::Skipped(why(
                        format!("{} MB を超えるので取り込みません", limits.max_file_bytes >> 20),
                        format!("larger than {} MB: not imported", limits.max_file_bytes >> 20),
                    )),
                })));
            }
            let mb = limits.max_total_bytes >> 20;
            return Some(Err(CoreError::dataset(
                format!("zip を展開すると {mb} MB を超えます（zip 爆弾？）。「{path}」で取り込みを止めました"),
                format!("the zip unpacks to more than {mb} MB (a zip bomb?); the import stopped at “{path}”"),
            )));
        }
        Some(Ok(Entry::File(SourceFile { path, bytes })))
    }
}

/// A label file: file name → class name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelTable {
    /// File name (as written, path stripped) → label, in file order.
    pub rows: Vec<(String, String)>,
    /// Whether a header line was found and skipped.
    pub had_header: bool,
    /// The encoding it was read in (`UTF-8`, `UTF-8 (BOM)`, `Shift_JIS`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// Lines that could not be used, with why.
    pub problems: Vec<Text>,
}

/// Decodes text as a Windows/Excel user may have saved it: a BOM decides; else UTF-8 if it is
/// valid; else Shift_JIS (Excel's "CSV" on a Japanese PC).
pub fn decode_text(bytes: &[u8]) -> (String, &'static str) {
    let (text, name, _) = decode_text_checked(bytes);
    (text, name)
}

/// [`decode_text`], also saying whether bytes had to be replaced (not text in that encoding).
pub(crate) fn decode_text_checked(bytes: &[u8]) -> (String, &'static str, bool) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        let name = if enc == encoding_rs::UTF_8 { "UTF-8 (BOM)" } else { enc.name() };
        return (text.into_owned(), name, had_errors);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), "UTF-8", false),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
            (text.into_owned(), "Shift_JIS", had_errors)
        }
    }
}

/// Words a header's first column may hold.
const HEADER_WORDS: [&str; 12] =
    ["file", "filename", "file_name", "name", "id", "image", "path", "ファイル", "ファイル名", "画像", "名前", "img"];

/// The file-name part of a path written in a label file.
fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Parses a label file: two columns, file and label; comma or tab separated (whichever the first
/// line uses); quotes as Excel writes them; an optional header line; blank lines ignored.
///
/// # Errors
/// [`CoreError::BadDataset`] when no line holds a file and a label.
pub fn parse_labels(bytes: &[u8]) -> Result<LabelTable, CoreError> {
    let (text, encoding, had_errors) = decode_text_checked(bytes);
    if had_errors {
        return Err(CoreError::dataset(
            format!(
                "ラベルファイルがテキストファイルではありません（UTF-8 でも Shift_JIS でもなく、{encoding} として読むと意味のないバイトがあります）"
            ),
            format!("the label file is not text (it is neither UTF-8 nor Shift_JIS; read as {encoding}, some bytes mean nothing)"),
        ));
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.contains('\t') {
        b'\t'
    } else if first.contains(',') {
        b','
    } else {
        b';'
    };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut table = LabelTable { encoding, ..LabelTable::default() };
    let mut records = Vec::new();
    for (n, rec) in reader.records().enumerate() {
        match rec {
            Ok(r) => records.push((n + 1, r)),
            Err(e) => {
                table.problems.push(why(format!("{} 行目が読めません（{e}）", n + 1), format!("line {} cannot be read ({e})", n + 1)))
            }
        }
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, (line, rec)) in records.iter().enumerate() {
        let file = rec.get(0).unwrap_or("").trim();
        let label = rec.get(1).unwrap_or("").trim();
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if i == 0
            && (HEADER_WORDS.contains(&file.to_lowercase().as_str())
                || (!looks_like_image(file) && records.iter().skip(1).any(|(_, r)| r.get(0).is_some_and(looks_like_image))))
        {
            table.had_header = true;
            continue;
        }
        if file.chars().chain(label.chars()).any(char::is_control) {
            table.problems.push(why(
                format!("{line} 行目: 制御文字が入っています（テキストのファイルですか？）"),
                format!("line {line}: holds control characters (is this a text file?)"),
            ));
            continue;
        }
        // The file's name without its folders (a path ending in a separator names no file).
        let file = base_name(file).trim().to_owned();
        if file.is_empty() || label.is_empty() {
            table.problems.push(why(
                format!("{line} 行目: ファイル名とラベルの 2 つが必要です"),
                format!("line {line}: needs a file name and a label"),
            ));
            continue;
        }
        match seen.get(&file) {
            Some(prev) if prev == label => continue,
            Some(prev) => {
                table.problems.push(why(
                    format!("{line} 行目: 「{file}」は前に「{prev}」とされています。最初のラベルを使います"),
                    format!("line {line}: “{file}” was already labelled “{prev}”; the first label is used"),
                ));
                continue;
            }
            None => {
                seen.insert(file.clone(), label.to_owned());
                table.rows.push((file, label.to_owned()));
            }
        }
    }
    if table.rows.is_empty() {
        return Err(CoreError::dataset(
            "ラベルファイルに「ファイル名,ラベル」の行がありません",
            "the label file has no line with a file name and a label",
        ));
    }
    Ok(table)
}

/// Where a planned image goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// The path it came from.
    pub path: String,
    /// Its file name.
    pub name: String,
    /// Its class name; `None` = unlabelled test image.
    pub class: Option<String>,
    /// The file's bytes (still to be decoded and downscaled).
    pub bytes: Vec<u8>,
}

fn is_test_folder(name: &str) -> bool {
    matches!(name.to_lowercase().as_str(), "test" | "tests" | "テスト" | "unlabelled" | "unlabeled")
}

/// Decides where each file goes.
///
/// - With a label file (given, or the one `.csv`/`.tsv`/`.txt` among `files`): the competition
///   layout. An image listed in it gets its label (matched by file name, then by name without
///   extension); an unlisted image inside a `test/` folder is an unlabelled test image; other
///   unlisted images are skipped. Listed files that are missing are reported.
/// - Without one: the image-folder layout; the folder an image sits in names its class (`test/`
///   gives unlabelled images); images at the top level have no class and are skipped.
pub fn plan(files: Vec<SourceFile>, labels: Option<LabelTable>, report: &mut Report) -> Vec<Planned> {
    let (label_files, mut images): (Vec<SourceFile>, Vec<SourceFile>) =
        files.into_iter().partition(|f| is_label_file(&f.path) && !looks_like_image(&f.path));
    images.retain(|f| {
        if looks_like_image(&f.path) || matches!(crate::images::probe::check_header(&f.bytes), Ok(crate::images::probe::Probe::Fits(..))) {
            true
        } else {
            report.skip(f.path.clone(), why("画像ファイルではありません", "not an image file"));
            false
        }
    });
    let stem = |n: &str| n.rsplit_once('.').map_or(n.to_owned(), |(s, _)| s.to_owned());
    let image_names: HashSet<String> = images.iter().map(|f| base_name(&f.path).to_owned()).collect();
    let image_stems: HashSet<String> = image_names.iter().map(|n| stem(n)).collect();
    // A label file names training images (a submission file names the test images instead).
    let in_test = |path: &str| {
        let parts: Vec<&str> = path.split('/').collect();
        parts[..parts.len() - 1].iter().any(|p| is_test_folder(p))
    };
    let train_names: HashSet<String> = images.iter().filter(|f| !in_test(&f.path)).map(|f| base_name(&f.path).to_owned()).collect();
    let train_stems: HashSet<String> = train_names.iter().map(|n| stem(n)).collect();
    // Several candidates (a README.txt, sample_submission.csv, train.csv …): the one naming the
    // most of the images is the label file; CSV/TSV before TXT on equal terms.
    let mut candidates: Vec<(usize, bool, String, LabelTable)> = Vec::new();
    for f in label_files {
        match parse_labels(&f.bytes) {
            Ok(t) => {
                let hits = t.rows.iter().filter(|(n, _)| train_names.contains(n) || train_stems.contains(&stem(n))).count();
                candidates.push((hits, extension(&f.path) != "txt", f.path, t));
            }
            Err(_) if extension(&f.path) == "txt" => {
                report.skip(f.path, why("画像でもラベルファイルでもありません", "neither an image nor a label file"))
            }
            Err(_) => report.skip(
                f.path,
                why(
                    "ラベルファイルとして読めません（1 行に「ファイル名,ラベル」が必要です）",
                    "cannot be read as a label file (each line needs “file name, label”)",
                ),
            ),
        }
    }
    candidates.sort_by_key(|c| std::cmp::Reverse((c.0, c.1)));
    let mut table = labels;
    for (hits, _, path, t) in candidates {
        if table.is_none() && hits > 0 {
            report.notes.push(why(
                format!("ラベルファイル「{path}」を {} として読みました（{} 件）", t.encoding, t.rows.len()),
                format!("Label file “{path}” read as {} ({} rows)", t.encoding, t.rows.len()),
            ));
            table = Some(t);
        } else {
            report.skip(
                path,
                why(
                    "ラベルファイルとしては使いませんでした（画像の名前と合いません）",
                    "not used as the label file (it does not name the images)",
                ),
            );
        }
    }
    if let Some(t) = &table {
        report.notes.extend(t.problems.iter().cloned());
    }
    let mut planned = Vec::new();
    match table {
        Some(table) => {
            let by_name: HashMap<&str, &str> = table.rows.iter().map(|(f, l)| (f.as_str(), l.as_str())).collect();
            let by_stem: HashMap<String, &str> = table.rows.iter().map(|(f, l)| (stem(f), l.as_str())).collect();
            let mut used: BTreeMap<String, String> = BTreeMap::new();
            for f in images {
                let parts: Vec<&str> = f.path.split('/').collect();
                let name = parts.last().copied().unwrap_or_default().to_owned();
                let in_test = parts[..parts.len() - 1].iter().any(|p| is_test_folder(p));
                let label = by_name.get(name.as_str()).copied().or_else(|| by_stem.get(&stem(&name)).copied());
                match (label, in_test) {
                    (_, true) => planned.push(Planned { path: f.path, name, class: None, bytes: f.bytes }),
                    (Some(label), false) => {
                        if let Some(first) = used.get(&name) {
                            report.skip(
                                f.path,
                                why(
                                    format!("同じ名前のファイルが「{first}」にもあります（ラベルファイルでは区別できません）"),
                                    format!("a file of the same name is at “{first}” (the label file cannot tell them apart)"),
                                ),
                            );
                            continue;
                        }
                        used.insert(name.clone(), f.path.clone());
                        planned.push(Planned { path: f.path, name, class: Some(label.to_owned()), bytes: f.bytes });
                    }
                    (None, false) => report.skip(
                        f.path,
                        why(
                            "ラベルファイルに載っていません（テスト画像なら test フォルダに入れてください）",
                            "not in the label file (put test images in a test folder)",
                        ),
                    ),
                }
            }
            for (file, _) in &table.rows {
                if !image_names.contains(file) && !image_stems.contains(&stem(file)) {
                    report.skip(
                        file.clone(),
                        why("ラベルファイルに載っていますが、画像が見つかりません", "listed in the label file but no such image was found"),
                    );
                }
            }
        }
        None => {
            for f in images {
                let parts: Vec<&str> = f.path.split('/').collect();
                let name = parts.last().copied().unwrap_or_default().to_owned();
                if parts.len() < 2 {
                    report.skip(
                        f.path,
                        why(
                            "クラスのフォルダに入っていません（フォルダ名がクラス名になります）",
                            "not inside a class folder (the folder names the class)",
                        ),
                    );
                    continue;
                }
                let folder = parts[parts.len() - 2];
                let class = (!is_test_folder(folder)).then(|| folder.to_owned());
                planned.push(Planned { path: f.path, name, class, bytes: f.bytes });
            }
        }
    }
    planned
}

/// An image ready to store: the file bytes and what they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// The file to store.
    pub bytes: Vec<u8>,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// Its format.
    pub format: ImageFormat,
}

/// The size an image of `w`×`h` is stored at: longest side at most [`STORED_LONGEST_SIDE`],
/// aspect kept.
pub fn stored_size(w: u32, h: u32) -> (u32, u32) {
    let longest = w.max(h);
    if longest <= STORED_LONGEST_SIDE {
        return (w.max(1), h.max(1));
    }
    let scale = STORED_LONGEST_SIDE as f64 / longest as f64;
    (((w as f64 * scale).round() as u32).max(1), ((h as f64 * scale).round() as u32).max(1))
}

#[cfg(feature = "decoders")]
/// Decodes with the pixel cap; also says whether EXIF turned the image.
fn decode(bytes: &[u8]) -> Result<(image::DynamicImage, Option<image::ImageFormat>, bool), CoreError> {
    use image::ImageDecoder;
    crate::images::probe::check_header(bytes)?;
    crate::images::probe::check_complete(bytes)?;
    let reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| CoreError::ImageDecode(e.to_string()))?;
    let format = reader.format();
    let mut decoder = reader.into_decoder().map_err(|e| CoreError::ImageDecode(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(crate::data::dataset::MAX_DECODED_BYTES);
    decoder.set_limits(limits).map_err(|e| CoreError::ImageDecode(e.to_string()))?;
    let orientation = decoder.orientation().ok();
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(|e| CoreError::ImageDecode(e.to_string()))?;
    let rotated = orientation.is_some_and(|o| o != image::metadata::Orientation::NoTransforms);
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok((img, format, rotated))
}

#[cfg(feature = "decoders")]
/// Decodes any supported image (EXIF orientation applied), downscales it to
/// [`STORED_LONGEST_SIDE`] and gives the file to store: a small PNG or JPEG is kept as it came,
/// anything else becomes a JPEG (quality 90). The native twin of what the page does with the
/// browser's decoder.
///
/// # Errors
/// [`CoreError::ImageDecode`] for a file that is not an image, is damaged or claims too many
/// pixels.
pub fn prepare_for_storage(bytes: &[u8]) -> Result<Stored, CoreError> {
    let (img, format, rotated) = decode(bytes)?;
    let (w, h) = (img.width(), img.height());
    let (sw, sh) = stored_size(w, h);
    let keep = (sw, sh) == (w, h) && !rotated;
    let simple = img.as_rgb8().is_some() || img.as_luma8().is_some();
    match format {
        Some(image::ImageFormat::Png) if keep => {
            return Ok(Stored { bytes: bytes.to_vec(), width: w, height: h, format: ImageFormat::Png });
        }
        Some(image::ImageFormat::Jpeg) if keep && simple => {
            return Ok(Stored { bytes: bytes.to_vec(), width: w, height: h, format: ImageFormat::Jpeg });
        }
        _ => {}
    }
    let small = if keep { img } else { img.resize_exact(sw, sh, image::imageops::FilterType::Triangle) };
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    if small.color().has_color() { small.to_rgb8().write_with_encoder(encoder) } else { small.to_luma8().write_with_encoder(encoder) }
        .map_err(|e| CoreError::ImageDecode(e.to_string()))?;
    Ok(Stored { bytes: out, width: sw, height: sh, format: ImageFormat::Jpeg })
}

#[cfg(feature = "decoders")]
/// Decodes, downscales ([`prepare_for_storage`]) and adds each planned image to `info`, making
/// its class when new: the native twin of the page's import (the command line's `train` and the
/// bad-input corpus test use it). Gives the files to commit under their new ids; a file that
/// does not decode, or whose class cannot be made, gets its report line and the rest go in.
/// `info` changes only in memory: nothing is stored until the caller commits.
pub fn add_planned(info: &mut DatasetInfo, planned: Vec<Planned>, report: &mut Report) -> Vec<(u64, Vec<u8>)> {
    let mut added = Vec::new();
    for p in planned {
        let file = match prepare_for_storage(&p.bytes) {
            Ok(f) => f,
            Err(e) => {
                report.skip(p.path, e.text());
                continue;
            }
        };
        let size = file.bytes.len() as u64;
        match info.add_image_to(p.class.as_deref(), p.name.clone(), (file.width, file.height), size, file.format) {
            Ok(id) => {
                added.push((id, file.bytes));
                report.imported(p.path, p.class);
            }
            Err(e) => report.skip(p.path, e.text()),
        }
    }
    added
}

#[cfg(feature = "decoders")]
/// Decodes a photo (EXIF orientation applied, the same pixel cap as imports) to RGB at its full
/// size: what the image lab works on. Natively; the page decodes with the browser.
///
/// # Errors
/// [`CoreError::ImageDecode`] for a file that is not an image, is damaged or claims too many
/// pixels.
pub fn decode_rgb(bytes: &[u8]) -> Result<image::RgbImage, CoreError> {
    decode(bytes).map(|(img, _, _)| img.to_rgb8())
}

#[cfg(feature = "decoders")]
/// Decodes a stored image and resizes it (anti-aliased) to exactly `width`×`height` with
/// `channels` (1 = grayscale by rgb2gray's weights, 3 = RGB): the network's input. Natively;
/// the page does the same with the browser's decoder.
///
/// # Errors
/// [`CoreError::ImageDecode`] when the file does not decode.
pub fn decode_resized(bytes: &[u8], width: usize, height: usize, channels: usize) -> Result<Vec<u8>, CoreError> {
    let (img, _, _) = decode(bytes)?;
    let rgba = img.to_rgba8();
    Ok(crate::data::library::input_pixels(rgba.as_raw(), img.width() as usize, img.height() as usize, width, height, channels))
}

/// Makes a name safe as a folder or file name in a zip on any OS.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name.trim().chars().map(|c| if c.is_control() || r#"/\:*?"<>|"#.contains(c) { '_' } else { c }).collect();
    let cleaned = cleaned.trim_start_matches('.').to_owned();
    if cleaned.is_empty() { "_".to_owned() } else { cleaned }
}

/// Writes `info`'s images as a zip in the image-folder layout: one folder per class (in class
/// order), unlabelled images in `test/`. `file(image)` gives each stored file.
///
/// # Errors
/// [`CoreError::BadDataset`] when the zip cannot be written (it is built in memory, so only a
/// library failure).
pub fn export_zip(info: &DatasetInfo, mut file: impl FnMut(&ImageInfo) -> Option<Vec<u8>>) -> Result<Vec<u8>, CoreError> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // Photos are compressed already: store them as they are.
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let bad = |e: zip::result::ZipError| CoreError::dataset("zip を書き出せませんでした", format!("the zip could not be written ({e})"));
    // Every path once, compared without case (Windows and macOS would merge `A/` and `a/`); a
    // class folder never takes a name the importer reads as the unlabelled `test/` folder.
    let mut taken: HashSet<String> = HashSet::new();
    let unique = |wanted: &str, ext: &str, taken: &mut HashSet<String>| -> String {
        let mut n = 1;
        loop {
            let candidate = if n == 1 { format!("{wanted}{ext}") } else { format!("{wanted}-{n}{ext}") };
            if taken.insert(candidate.to_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    };
    taken.insert("test".to_owned());
    let mut folders: Vec<(Option<u32>, String)> = Vec::new();
    for c in &info.classes {
        let mut name = safe_file_name(&c.name);
        if is_test_folder(&name) {
            name = format!("{name}_class");
        }
        folders.push((Some(c.id), unique(&name, "", &mut taken)));
    }
    folders.push((None, "test".to_owned()));
    for (class, folder) in folders {
        let mut in_folder: HashSet<String> = HashSet::new();
        for img in info.images.iter().filter(|i| i.class == class) {
            let Some(bytes) = file(img) else { continue };
            let base = img.name.rsplit('/').next().unwrap_or(&img.name);
            let stem = safe_file_name(base.rsplit_once('.').map_or(base, |(s, _)| s));
            let name = unique(&stem, &format!(".{}", img.format.extension()), &mut in_folder);
            zip.start_file(format!("{folder}/{name}"), options).map_err(bad)?;
            zip.write_all(&bytes)
                .map_err(|e| CoreError::dataset("zip を書き出せませんでした", format!("the zip could not be written ({e})")))?;
        }
    }
    Ok(zip.finish().map_err(bad)?.into_inner())
}
