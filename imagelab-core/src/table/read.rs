//! A table file: named columns of text, one row per line.
//!
//! The same reader as the label files ([`crate::data::import::parse_labels`]): the encoding from a
//! BOM, else UTF-8 when valid, else Shift_JIS (Excel's "CSV" on a Japanese PC); quotes as Excel
//! writes them; blank lines ignored. The separator is whichever of tab, comma and semicolon the
//! header line uses most (outside quotes), so UCI's `"age";"job";…` reads as it is. The first
//! line names the columns.

use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// The largest table file read (a class's CSV is kilobytes; this is a spreadsheet's worth).
pub const MAX_TABLE_BYTES: usize = 20 * 1024 * 1024;
/// The most rows kept.
pub const MAX_ROWS: usize = 100_000;
/// The most columns.
pub const MAX_COLUMNS: usize = 500;
/// The most distinct values a categorical column may have (more is an ID or free text, whose
/// dummies would be one column per row).
pub const MAX_CATEGORIES: usize = 100;

/// Why a table cannot be used, in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableError(pub Text);

impl TableError {
    pub(crate) fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        TableError(Text::new(ja, en))
    }
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for TableError {}

/// A table as read: column names and rows of trimmed text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The header line's names (an empty one becomes `列N` / its number).
    pub columns: Vec<String>,
    /// The rows, each with one value per column.
    pub rows: Vec<Vec<String>>,
    /// The line of the file each row came from (1-based; the header is line 1), for messages.
    pub lines: Vec<usize>,
    /// The encoding it was read in (`UTF-8`, `UTF-8 (BOM)`, `Shift_JIS`, …).
    pub encoding: String,
    /// The separator found: `,`, `\t` or `;`.
    pub delimiter: char,
}

/// What a column holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ColumnKind {
    /// Every value is a number.
    Numeric,
    /// Text: its distinct values, sorted (the dummies' order, as pandas sorts them).
    Categorical(Vec<String>),
    /// Mostly numbers, with some text: a typing mistake, named by its line and value.
    Broken {
        /// The first line holding text.
        line: usize,
        /// What it holds.
        value: String,
    },
}

/// A number as a table holds it: decimal or scientific, finite (`NaN`, `inf` are text).
pub fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() || s.chars().any(|c| c.is_alphabetic() && !matches!(c, 'e' | 'E')) {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The separator the header line uses most outside quotes (tab, comma, semicolon; a tie goes
/// in that order).
fn sniff(line: &str) -> u8 {
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '\t' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            ';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(1);
    [b'\t', b',', b';'][best]
}

/// Reads a table file.
///
/// # Errors
/// [`TableError`] for a file too large, not text, empty, with a repeated column name, a row
/// with a different number of values than the header (named by its line), or too many rows or
/// columns.
pub fn parse(bytes: &[u8]) -> Result<Table, TableError> {
    if bytes.len() > MAX_TABLE_BYTES {
        return Err(TableError::new(
            format!("ファイルが大きすぎます（{:.1} MB、上限 {} MB）", bytes.len() as f64 / 1e6, MAX_TABLE_BYTES / 1024 / 1024),
            format!("the file is too large ({:.1} MB; the limit is {} MB)", bytes.len() as f64 / 1e6, MAX_TABLE_BYTES / 1024 / 1024),
        ));
    }
    let (text, encoding, had_errors) = crate::data::import::decode_text_checked(bytes);
    if had_errors || text.contains('\0') {
        return Err(TableError::new(
            "テキストのファイルではありません（UTF-8 でも Shift_JIS でもありません）。CSV か TSV で保存してください",
            "this is not a text file (neither UTF-8 nor Shift_JIS). Save it as CSV or TSV",
        ));
    }
    let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else {
        return Err(TableError::new("ファイルが空です", "the file is empty"));
    };
    let delimiter = sniff(first);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut columns: Option<Vec<String>> = None;
    let (mut rows, mut lines) = (Vec::new(), Vec::new());
    // (byte offset, newlines before it) of the last record's start.
    let mut counted = (0usize, 0usize);
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            TableError::new(format!("{line} 行目が読めません（{e}）"), format!("line {line} cannot be read ({e})"))
        })?;
        // The file's own line (csv's line count skips blank lines): the newlines before the
        // record, counted on from the previous record's start (a record after blank lines
        // starts, for csv, at the first of them).
        let line = rec.position().map_or(0, |p| {
            let bytes = text.as_bytes();
            let mut at = (p.byte() as usize).min(bytes.len());
            while bytes.get(at).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                at += 1;
            }
            let (from, before) = counted;
            let at = at.max(from);
            let line = before + bytes[from..at].iter().filter(|&&b| b == b'\n').count();
            counted = (at, line);
            line + 1
        });
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let Some(names) = &columns else {
            if rec.len() > MAX_COLUMNS {
                return Err(TableError::new(
                    format!("列が多すぎます（{} 列、上限 {MAX_COLUMNS}）", rec.len()),
                    format!("too many columns ({}; the limit is {MAX_COLUMNS})", rec.len()),
                ));
            }
            let names: Vec<String> =
                rec.iter().enumerate().map(|(i, n)| if n.is_empty() { format!("列{}", i + 1) } else { n.to_owned() }).collect();
            for (i, n) in names.iter().enumerate() {
                if names[..i].contains(n) {
                    return Err(TableError::new(
                        format!("1 行目（列名）に「{n}」が 2 回あります。列名は別々にしてください"),
                        format!("the header names “{n}” twice; each column needs its own name"),
                    ));
                }
            }
            columns = Some(names);
            continue;
        };
        if rec.len() != names.len() {
            return Err(TableError::new(
                format!("{line} 行目の値が {} 個です（列名は {} 個）。区切りや引用符を確かめてください", rec.len(), names.len()),
                format!(
                    "line {line} has {} values but the header names {} columns; check its separators and quotes",
                    rec.len(),
                    names.len()
                ),
            ));
        }
        if rows.len() == MAX_ROWS {
            return Err(TableError::new(
                format!("行が多すぎます（上限 {MAX_ROWS} 行）"),
                format!("too many rows (the limit is {MAX_ROWS})"),
            ));
        }
        rows.push(rec.iter().map(str::to_owned).collect());
        lines.push(line);
    }
    let columns = columns.unwrap_or_default();
    if rows.is_empty() {
        return Err(TableError::new("列名の行のほかにデータの行がありません", "there is no data row below the header"));
    }
    if columns.len() < 2 {
        return Err(TableError::new(
            "列が 1 つしかありません。区切り文字（カンマ・タブ・セミコロン）で列を分けてください",
            "there is only one column; separate the columns with commas, tabs or semicolons",
        ));
    }
    Ok(Table { columns, rows, lines, encoding: encoding.to_owned(), delimiter: delimiter as char })
}

impl Table {
    /// The values of column `c`, in row order.
    pub fn column(&self, c: usize) -> impl Iterator<Item = &str> {
        self.rows.iter().map(move |r| r[c].as_str())
    }

    /// What column `c` holds: numbers when every non-empty value is one; text when fewer than
    /// 80 % are; otherwise the first line whose value is not a number (a typing mistake in a
    /// column of numbers).
    pub fn kind(&self, c: usize) -> ColumnKind {
        let filled: Vec<(usize, &str)> = self.column(c).enumerate().filter(|(_, v)| !v.is_empty()).collect();
        let bad: Vec<(usize, &str)> = filled.iter().copied().filter(|(_, v)| number(v).is_none()).collect();
        if bad.is_empty() {
            return ColumnKind::Numeric;
        }
        if (bad.len() as f64) < 0.2 * filled.len() as f64 {
            let (row, value) = bad[0];
            return ColumnKind::Broken { line: self.lines[row], value: value.to_owned() };
        }
        let mut values: Vec<String> = filled.iter().map(|(_, v)| (*v).to_owned()).collect();
        values.sort();
        values.dedup();
        ColumnKind::Categorical(values)
    }

    /// The number of distinct non-empty values in column `c`.
    pub fn distinct(&self, c: usize) -> usize {
        let mut v: Vec<&str> = self.column(c).filter(|v| !v.is_empty()).collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    }

    /// The column named `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_excel_and_uci_and_pandas_files() {
        // UCI's bank.csv: semicolons, every field quoted.
        let t = parse(b"\"age\";\"job\";\"y\"\n30;\"admin.\";\"no\"\n\n41;\"blue-collar\";\"yes\"\n").unwrap();
        assert_eq!(t.columns, ["age", "job", "y"]);
        assert_eq!(t.rows, [["30", "admin.", "no"], ["41", "blue-collar", "yes"]]);
        assert_eq!(t.lines, [2, 4]);
        assert_eq!(t.delimiter, ';');
        // Excel on a Japanese PC: Shift_JIS, CRLF; a comma inside quotes is a value's.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("身長,体重,血液型\r\n170.5,60,\"A,Rh+\"\r\n");
        let t = parse(&sjis).unwrap();
        assert_eq!((t.encoding.as_str(), t.columns[2].as_str(), t.rows[0][2].as_str()), ("Shift_JIS", "血液型", "A,Rh+"));
        // UTF-8 with a BOM and tabs (a pandas `to_csv(sep='\t')`, Excel's "Unicode text").
        let t = parse("\u{feff}x\ty\n1\t2\n".as_bytes()).unwrap();
        assert_eq!((t.encoding.as_str(), t.delimiter, t.columns[0].as_str()), ("UTF-8 (BOM)", '\t', "x"));
    }

    #[test]
    fn line_numbers_count_blank_lines_and_crlf() {
        let t = parse(b"\r\na,b\r\n1,2\r\n\r\n\r\n3,4\r\n5,6\n\n7,\"x\ny\"\n8,9\n").unwrap();
        assert_eq!(t.lines, [3, 6, 7, 9, 11], "a quoted newline moves the next line on");
        let e = parse(b"a,b\n\n\n1,2\n3\n").unwrap_err();
        assert!(e.0.en.starts_with("line 5 has 1 values"), "{e:?}");
    }

    #[test]
    fn refuses_bad_files_in_words_naming_the_line() {
        let e = parse(b"a,b,c\n1,2,3\n4,5\n").unwrap_err();
        assert!(e.0.ja.contains("3 行目") && e.0.en.contains("line 3 has 2 values"), "{e:?}");
        assert!(parse(b"").unwrap_err().0.en.contains("empty"));
        assert!(parse(b"a,b\n").unwrap_err().0.en.contains("no data row"));
        assert!(parse(b"a,a\n1,2\n").unwrap_err().0.en.contains("“a” twice"));
        assert!(parse(b"just one column\n1\n").unwrap_err().0.en.contains("only one column"));
        assert!(parse(&[0x89, b'P', b'N', b'G', 0, 0, 0x0d, 0xff, 0xfe, 0x80]).unwrap_err().0.en.contains("not a text file"));
    }

    #[test]
    fn column_kinds() {
        let t = parse(b"n,c,typo,e\n1,x,1,2\n2.5,y,2,\n-3e2,x,3,4\n4,z,4,5\n5,x,5,6\n6,x,6,7\n7,x,abc,8\n").unwrap();
        assert_eq!(t.kind(0), ColumnKind::Numeric);
        assert_eq!(t.kind(1), ColumnKind::Categorical(vec!["x".into(), "y".into(), "z".into()]));
        assert_eq!(t.kind(2), ColumnKind::Broken { line: 8, value: "abc".into() });
        assert_eq!(t.kind(3), ColumnKind::Numeric, "an empty cell is missing, not text");
        assert_eq!(number(" 1e3 "), Some(1000.0));
        assert_eq!((number("NaN"), number("inf"), number("1,5")), (None, None, None));
    }
}
