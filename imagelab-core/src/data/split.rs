//! Splitting data honestly: stratified, seeded hold-out (ホールドアウト法).
//!
//! "Stratified" keeps each class's share the same in both parts, so a small class is not left
//! out of validation by bad luck; "seeded" makes the cut reproducible from a shared URL.

use crate::error::CoreError;
use crate::i18n::Text;
use crate::rng::SplitMix64;
use serde::{Deserialize, Serialize};

/// Indices into a dataset: the part the model learns from and the part that judges it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// 構築データ: used to fit the weights.
    pub train: Vec<usize>,
    /// 検証データ: never seen by the optimizer.
    pub validation: Vec<usize>,
}

/// The image indices of each class, in order.
fn by_class(labels: &[usize], num_classes: usize) -> Result<Vec<Vec<usize>>, CoreError> {
    let mut by_class = vec![Vec::new(); num_classes];
    for (i, &l) in labels.iter().enumerate() {
        if l >= num_classes {
            return Err(CoreError::dataset(
                format!("ラベル {l} はクラス数 {num_classes} 以上です"),
                format!("label {l} ≥ {num_classes} classes"),
            ));
        }
        by_class[l].push(i);
    }
    Ok(by_class)
}

/// Splits `labels` into train and validation, class by class: in each class
/// `round(n * validation_fraction)` images go to validation (at least one when the class has two
/// or more), chosen by a shuffle seeded with `seed`. Both lists come back sorted.
///
/// # Errors
/// [`CoreError::BadSetting`] unless `0 < validation_fraction < 1`;
/// [`CoreError::NotEnoughData`] when a part would be empty.
pub fn stratified_holdout(labels: &[usize], num_classes: usize, validation_fraction: f64, seed: u64) -> Result<Split, CoreError> {
    if !(validation_fraction > 0.0 && validation_fraction < 1.0) {
        return Err(CoreError::out_of_range("validation_fraction", validation_fraction, "(0, 1)"));
    }
    let by_class = by_class(labels, num_classes)?;
    let mut rng = SplitMix64::new(seed);
    let mut split = Split { train: Vec::new(), validation: Vec::new() };
    for mut members in by_class {
        rng.shuffle(&mut members);
        let n = members.len();
        let mut n_val = (n as f64 * validation_fraction).round() as usize;
        if n >= 2 {
            n_val = n_val.clamp(1, n - 1);
        } else {
            n_val = 0;
        }
        split.validation.extend_from_slice(&members[..n_val]);
        split.train.extend_from_slice(&members[n_val..]);
    }
    if split.train.is_empty() || split.validation.is_empty() {
        return Err(CoreError::NotEnoughData(Text::new(
            format!("{} 枚では構築データと検証データに分けられません", labels.len()),
            format!("{} images cannot be split into training and validation", labels.len()),
        )));
    }
    split.train.sort_unstable();
    split.validation.sort_unstable();
    Ok(split)
}

/// K 分割交差検証: `k` splits in which every image is validation data exactly once. Each class
/// is shuffled (seeded) and dealt round-robin to the folds, continuing where the previous class
/// stopped, so every fold gets its share of every class and the fold sizes differ by at most one.
///
/// # Errors
/// [`CoreError::BadSetting`] unless `2 ≤ k ≤ 20`; [`CoreError::NotEnoughData`] when a fold
/// would be empty (fewer images than folds).
pub fn stratified_k_fold(labels: &[usize], num_classes: usize, k: usize, seed: u64) -> Result<Vec<Split>, CoreError> {
    if !(2..=20).contains(&k) {
        return Err(CoreError::out_of_range("k", k, "2..=20"));
    }
    if labels.len() < k {
        return Err(CoreError::NotEnoughData(Text::new(
            format!("{} 枚では {k} 分割にできません", labels.len()),
            format!("{} images cannot make {k} folds", labels.len()),
        )));
    }
    let by_class = by_class(labels, num_classes)?;
    let mut rng = SplitMix64::new(seed);
    let mut fold_of = vec![0usize; labels.len()];
    let mut next = 0;
    for mut members in by_class {
        rng.shuffle(&mut members);
        for i in members {
            fold_of[i] = next;
            next = (next + 1) % k;
        }
    }
    Ok((0..k)
        .map(|f| {
            let (validation, train) = (0..labels.len()).partition(|&i| fold_of[i] == f);
            Split { train, validation }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(per_class: &[usize]) -> Vec<usize> {
        per_class.iter().enumerate().flat_map(|(c, &n)| std::iter::repeat_n(c, n)).collect()
    }

    #[test]
    fn seventy_thirty_per_class() {
        let l = labels(&[100, 50, 10]);
        let s = stratified_holdout(&l, 3, 0.3, 1).unwrap();
        let count = |idx: &[usize], c| idx.iter().filter(|&&i| l[i] == c).count();
        assert_eq!(count(&s.validation, 0), 30);
        assert_eq!(count(&s.validation, 1), 15);
        assert_eq!(count(&s.validation, 2), 3);
        assert_eq!(s.train.len() + s.validation.len(), l.len());
    }

    #[test]
    fn parts_are_disjoint_and_cover_everything() {
        let l = labels(&[37, 41, 5, 2]);
        let s = stratified_holdout(&l, 4, 0.3, 99).unwrap();
        let mut all: Vec<usize> = s.train.iter().chain(&s.validation).copied().collect();
        all.sort();
        assert_eq!(all, (0..l.len()).collect::<Vec<_>>());
    }

    #[test]
    fn same_seed_same_split_other_seed_other_split() {
        let l = labels(&[50, 50]);
        let a = stratified_holdout(&l, 2, 0.3, 5).unwrap();
        assert_eq!(a, stratified_holdout(&l, 2, 0.3, 5).unwrap());
        assert_ne!(a, stratified_holdout(&l, 2, 0.3, 6).unwrap());
    }

    #[test]
    fn tiny_classes_keep_one_each_side() {
        let l = labels(&[2, 1]);
        let s = stratified_holdout(&l, 2, 0.3, 0).unwrap();
        assert_eq!(s.validation.len(), 1);
        assert_eq!(s.train.len(), 2);
    }

    #[test]
    fn k_folds_cover_every_image_once_and_keep_class_shares() {
        let l = labels(&[30, 12, 7]);
        let folds = stratified_k_fold(&l, 3, 3, 4).unwrap();
        assert_eq!(folds.len(), 3);
        let mut seen = vec![0; l.len()];
        for f in &folds {
            for &i in &f.validation {
                seen[i] += 1;
            }
            assert_eq!(f.train.len() + f.validation.len(), l.len());
            assert!(f.train.iter().all(|i| !f.validation.contains(i)));
            let count = |c| f.validation.iter().filter(|&&i| l[i] == c).count();
            assert_eq!(count(0), 10);
            assert!((4..=4).contains(&count(1)));
            assert!((2..=3).contains(&count(2)));
        }
        assert!(seen.iter().all(|&n| n == 1), "every image is validation exactly once");
        let sizes: Vec<usize> = folds.iter().map(|f| f.validation.len()).collect();
        assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "{sizes:?}");
        assert_eq!(folds, stratified_k_fold(&l, 3, 3, 4).unwrap());
        assert_ne!(folds, stratified_k_fold(&l, 3, 3, 5).unwrap());
        assert!(matches!(stratified_k_fold(&l, 3, 1, 0), Err(CoreError::BadSetting { .. })));
        assert!(matches!(stratified_k_fold(&[0, 0], 1, 3, 0), Err(CoreError::NotEnoughData(_))));
    }

    #[test]
    fn bad_fraction_and_too_little_data_are_errors() {
        assert!(matches!(stratified_holdout(&[0, 1], 2, 1.5, 0), Err(CoreError::BadSetting { .. })));
        assert!(matches!(stratified_holdout(&[0], 1, 0.3, 0), Err(CoreError::NotEnoughData(_))));
    }
}
