//! From text to numbers: the target, `pd.get_dummies`, and `StandardScaler`.

use super::read::{ColumnKind, MAX_CATEGORIES, Table, TableError, number};
use serde::{Deserialize, Serialize};

/// What is predicted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    /// 回帰: a number (judged by RMSE).
    Regression,
    /// 分類: one of the classes (judged by accuracy, and AUC with two classes).
    Classification,
}

/// The most classes a classification target may have.
pub const MAX_CLASSES: usize = 50;

/// The most inputs after `get_dummies` (linear regression solves a system of this many
/// unknowns; a network's first layer has this many weights per unit).
pub const MAX_INPUTS: usize = 1000;

/// The task a target column suggests: numbers with more than 10 distinct values are a quantity
/// (regression); anything else names classes.
pub fn suggest_task(table: &Table, target: usize) -> Task {
    if table.kind(target) == ColumnKind::Numeric && table.distinct(target) > 10 { Task::Regression } else { Task::Classification }
}

/// The target, as numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// Regression: each row's value.
    Values(Vec<f64>),
    /// Classification: each row's class, numbered as scikit-learn's `LabelEncoder` numbers them
    /// (the names sorted: numbers by value, text by code point), with the names.
    Classes {
        /// Each row's class.
        labels: Vec<usize>,
        /// The classes' names.
        names: Vec<String>,
    },
}

impl Target {
    /// The task.
    pub fn task(&self) -> Task {
        match self {
            Target::Values(_) => Task::Regression,
            Target::Classes { .. } => Task::Classification,
        }
    }

    /// The class of every row (all 0 for regression: the split is then plain random).
    pub fn strata(&self) -> (Vec<usize>, usize) {
        match self {
            Target::Values(v) => (vec![0; v.len()], 1),
            Target::Classes { labels, names } => (labels.clone(), names.len()),
        }
    }
}

/// The table as a model takes it: input columns after `get_dummies`, not yet standardised (the
/// statistics come from each split's training part, [`Scaler`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// The inputs' names: numeric columns first in table order, then each categorical column's
    /// dummies `column_value`, values sorted (pandas' order).
    pub names: Vec<String>,
    /// Row-major values, `rows × names.len()`.
    pub x: Vec<f64>,
    /// The number of rows.
    pub rows: usize,
    /// How many of the inputs are dummies.
    pub dummies: usize,
    /// The target's name.
    pub target_name: String,
    /// The target.
    pub target: Target,
}

impl Design {
    /// The number of inputs.
    pub fn dim(&self) -> usize {
        self.names.len()
    }

    /// Row `i`'s inputs.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.dim()..(i + 1) * self.dim()]
    }
}

/// The numbers of a table: `target` predicted from `inputs` (column indices, not the target),
/// for `task`.
///
/// # Errors
/// [`TableError`] naming the column and, where one is to blame, the line: no inputs, an empty
/// or non-numeric target value, a target of one class or too many, an empty input value, text in
/// a column of numbers, a constant input column, a categorical column with too many values.
pub fn design(table: &Table, target: usize, task: Task, inputs: &[usize]) -> Result<Design, TableError> {
    let target_name = table.columns[target].clone();
    // In table order, each once (pandas keeps the columns' order).
    let mut inputs: Vec<usize> = inputs.iter().copied().filter(|&c| c != target && c < table.columns.len()).collect();
    inputs.sort_unstable();
    inputs.dedup();
    if inputs.is_empty() {
        return Err(TableError::new(
            "入力に使う列がありません。目的変数のほかに 1 列以上選んでください",
            "no input column: choose at least one besides the target",
        ));
    }
    let empty = table.column(target).position(str::is_empty);
    if let Some(r) = empty {
        return Err(TableError::new(
            format!("{} 行目の目的変数「{target_name}」が空欄です。その行を消すか値を入れてください", table.lines[r]),
            format!("line {}: the target “{target_name}” is empty; delete the row or fill it in", table.lines[r]),
        ));
    }
    let target_values = match task {
        Task::Regression => {
            let mut v = Vec::with_capacity(table.rows.len());
            for (r, s) in table.column(target).enumerate() {
                let Some(x) = number(s) else {
                    return Err(TableError::new(
                        format!("回帰の目的変数は数です。{} 行目の「{target_name}」は「{s}」です（分類にしますか？）", table.lines[r]),
                        format!(
                            "a regression target is a number; line {} holds “{s}” in “{target_name}” (classification instead?)",
                            table.lines[r]
                        ),
                    ));
                };
                v.push(x);
            }
            Target::Values(v)
        }
        Task::Classification => {
            let mut names: Vec<String> = table.column(target).map(str::to_owned).collect();
            let numeric = names.iter().all(|s| number(s).is_some());
            names.sort_by(|a, b| if numeric { number(a).unwrap_or(0.0).total_cmp(&number(b).unwrap_or(0.0)) } else { a.cmp(b) });
            names.dedup_by(|a, b| if numeric { number(a) == number(b) } else { a == b });
            if names.len() < 2 {
                return Err(TableError::new(
                    format!("目的変数「{target_name}」の値が 1 種類だけです。分類には 2 クラス以上が必要です"),
                    format!("the target “{target_name}” holds one value only; classification needs two classes or more"),
                ));
            }
            if names.len() > MAX_CLASSES {
                return Err(TableError::new(
                    format!(
                        "目的変数「{target_name}」に {} 種類の値があります（分類の上限は {MAX_CLASSES}）。数なら回帰を選んでください",
                        names.len()
                    ),
                    format!(
                        "the target “{target_name}” has {} distinct values (classification allows {MAX_CLASSES}); if it is a quantity, choose regression",
                        names.len()
                    ),
                ));
            }
            let labels = table
                .column(target)
                .map(|s| names.iter().position(|n| if numeric { number(n) == number(s) } else { n == s }).unwrap_or(0))
                .collect();
            Target::Classes { labels, names }
        }
    };
    let mut numeric = Vec::new();
    let mut categorical = Vec::new();
    for &c in &inputs {
        let name = &table.columns[c];
        if let Some(r) = table.column(c).position(str::is_empty) {
            return Err(TableError::new(
                format!(
                    "{} 行目の「{name}」が空欄です（欠損値）。その行を消すか、値を入れるか、この列を使わないでください",
                    table.lines[r]
                ),
                format!(
                    "line {}: “{name}” is empty (a missing value); delete the row, fill it in, or leave the column out",
                    table.lines[r]
                ),
            ));
        }
        if table.distinct(c) < 2 {
            return Err(TableError::new(
                format!("列「{name}」はどの行も同じ値です（定数の列）。何も教えないので、使わないでください"),
                format!("the column “{name}” holds the same value in every row (a constant column): it tells nothing; leave it out"),
            ));
        }
        match table.kind(c) {
            ColumnKind::Numeric => numeric.push(c),
            ColumnKind::Broken { line, value } => {
                return Err(TableError::new(
                    format!("列「{name}」は数の列ですが、{line} 行目が「{value}」です。直すか、この列を使わないでください"),
                    format!("the column “{name}” holds numbers, but line {line} holds “{value}”; correct it or leave the column out"),
                ));
            }
            ColumnKind::Categorical(values) if values.len() > MAX_CATEGORIES => {
                return Err(TableError::new(
                    format!(
                        "列「{name}」には {} 種類の文字の値があります（上限 {MAX_CATEGORIES}）。ID や自由記述の列なら使わないでください",
                        values.len()
                    ),
                    format!(
                        "the column “{name}” has {} distinct text values (the limit is {MAX_CATEGORIES}); if it is an ID or free text, leave it out",
                        values.len()
                    ),
                ));
            }
            ColumnKind::Categorical(values) => categorical.push((c, values)),
        }
    }
    let inputs_after = numeric.len() + categorical.iter().map(|(_, v)| v.len()).sum::<usize>();
    if inputs_after > MAX_INPUTS {
        return Err(TableError::new(
            format!("get_dummies のあとの入力が {inputs_after} 列になります（上限 {MAX_INPUTS}）。値の種類が多い文字の列を外してください"),
            format!(
                "get_dummies would make {inputs_after} inputs (the limit is {MAX_INPUTS}); leave out text columns with many distinct values"
            ),
        ));
    }
    let mut names: Vec<String> = numeric.iter().map(|&c| table.columns[c].clone()).collect();
    let mut dummies = 0;
    for (c, values) in &categorical {
        for v in values {
            names.push(format!("{}_{v}", table.columns[*c]));
            dummies += 1;
        }
    }
    let dim = names.len();
    let mut x = Vec::with_capacity(table.rows.len() * dim);
    for row in &table.rows {
        x.extend(numeric.iter().map(|&c| number(&row[c]).unwrap_or(0.0)));
        for (c, values) in &categorical {
            x.extend(values.iter().map(|v| if *v == row[*c] { 1.0 } else { 0.0 }));
        }
    }
    Ok(Design { names, x, rows: table.rows.len(), dummies, target_name, target: target_values })
}

/// `StandardScaler`: each column's mean and population standard deviation over the rows it is
/// fitted on (a column with none keeps scale 1, as scikit-learn does).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    /// Each column's mean.
    pub mean: Vec<f64>,
    /// Each column's standard deviation (1 where it is 0).
    pub scale: Vec<f64>,
}

impl Scaler {
    /// Fits on `rows` of the row-major `x` with `dim` columns (the training part only: the
    /// validation part must not leak into the statistics).
    pub fn fit(x: &[f64], dim: usize, rows: &[usize]) -> Scaler {
        let n = rows.len().max(1) as f64;
        let mut mean = vec![0.0; dim];
        for &r in rows {
            for (m, v) in mean.iter_mut().zip(&x[r * dim..(r + 1) * dim]) {
                *m += v;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut var = vec![0.0; dim];
        for &r in rows {
            for ((s, v), m) in var.iter_mut().zip(&x[r * dim..(r + 1) * dim]).zip(&mean) {
                *s += (v - m) * (v - m);
            }
        }
        // A standard deviation at rounding level (a constant column in this part) counts as
        // zero and keeps scale 1, as scikit-learn's `_handle_zeros_in_scale` does.
        let scale: Vec<f64> = var
            .iter()
            .zip(&mean)
            .map(|(s, m)| {
                let sd = (s / n).sqrt();
                if sd <= 10.0 * f64::EPSILON * m.abs().max(1.0) { 1.0 } else { sd }
            })
            .collect();
        Scaler { mean, scale }
    }

    /// Every row of `x` standardised: (value − mean) / scale.
    pub fn transform(&self, x: &[f64]) -> Vec<f64> {
        let dim = self.mean.len();
        x.chunks(dim.max(1)).flat_map(|row| row.iter().zip(&self.mean).zip(&self.scale).map(|((v, m), s)| (v - m) / s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::read::parse;

    fn table() -> Table {
        parse(b"age,job,city,y\n30,admin.,b,no\n41,blue-collar,a,yes\n35,admin.,a,no\n52,retired,b,yes\n").unwrap()
    }

    #[test]
    fn get_dummies_order_and_names() {
        let d = design(&table(), 3, Task::Classification, &[0, 1, 2]).unwrap();
        assert_eq!(d.names, ["age", "job_admin.", "job_blue-collar", "job_retired", "city_a", "city_b"]);
        assert_eq!((d.dim(), d.dummies, d.rows), (6, 5, 4));
        assert_eq!(d.row(1), [41.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
        assert_eq!(d.target, Target::Classes { labels: vec![0, 1, 0, 1], names: vec!["no".into(), "yes".into()] });
    }

    #[test]
    fn numeric_classes_sort_by_value() {
        let t = parse(b"x,y\n1,10\n2,9\n3,10\n4,2\n").unwrap();
        let d = design(&t, 1, Task::Classification, &[0]).unwrap();
        assert_eq!(d.target, Target::Classes { labels: vec![2, 1, 2, 0], names: vec!["2".into(), "9".into(), "10".into()] });
        assert_eq!(suggest_task(&t, 1), Task::Classification);
    }

    #[test]
    fn refusals_name_the_line_and_column() {
        let t = parse(b"a,b,c,y\n1,x,5,1\n2,y,5,\n3,x,5,2\n").unwrap();
        let e = design(&t, 3, Task::Regression, &[0, 1]).unwrap_err();
        assert!(e.0.ja.contains("3 行目") && e.0.en.contains("line 3: the target “y” is empty"), "{e:?}");
        let t = parse(b"a,b,c,y\n1,x,5,1\n2,y,5,2\n3,x,5,3\n").unwrap();
        let e = design(&t, 3, Task::Regression, &[0, 2]).unwrap_err();
        assert!(e.0.en.contains("“c” holds the same value in every row"), "{e:?}");
        let t = parse(b"a,y\n1,1\n2,2\n3,3\n4,4\n5,5\n6,1\n,2\n").unwrap();
        assert!(design(&t, 1, Task::Regression, &[0]).unwrap_err().0.en.contains("line 8: “a” is empty"));
        let t = parse(b"a,y\n1,low\n2,high\n").unwrap();
        assert!(design(&t, 1, Task::Regression, &[0]).unwrap_err().0.en.contains("line 2 holds “low”"));
        assert!(design(&t, 1, Task::Classification, &[1]).unwrap_err().0.en.contains("no input column"));
        let t = parse(b"a,y\n1,k\n2,k\n").unwrap();
        assert!(design(&t, 1, Task::Classification, &[0]).unwrap_err().0.en.contains("one value only"));
    }

    #[test]
    fn scaler_uses_the_rows_it_is_given() {
        let x = [1.0, 5.0, 3.0, 5.0, 100.0, 5.0];
        let s = Scaler::fit(&x, 2, &[0, 1]);
        assert_eq!((s.mean.clone(), s.scale.clone()), (vec![2.0, 5.0], vec![1.0, 1.0]));
        assert_eq!(s.transform(&x), [-1.0, 0.0, 1.0, 0.0, 98.0, 0.0]);
    }
}
