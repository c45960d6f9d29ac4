//! 古典的な機械学習 — classical models beside the neural network: features a student can see
//! (downsampled pixels, colour histogram, HOG, edge-direction histogram) and models whose
//! hyperparameters the course teaches (a decision tree's `max_depth` and `min_samples_leaf`,
//! k-nearest neighbours, logistic regression), judged on the same splits as the training lab.
//!
//! k-NN and logistic regression are linfa's (`linfa-nn`, `linfa-logistic`; they build for
//! wasm32), HOG is imageproc's. The decision tree is written here: `linfa-trees` 0.8.1 skips
//! valid thresholds inside child nodes when feature values repeat (its "next value is equal"
//! test looks at the next sample of the whole data, not of the node), which on scikit-learn's
//! digits gave 0.738 building accuracy at depth 6 where scikit-learn's CART gives 0.819. This
//! CART (Gini, midpoint thresholds, `max_depth`, `min_samples_leaf`) matches scikit-learn, keeps
//! each node's samples and class counts for the students' tree view, and grows once for the whole
//! depth sweep (a depth limit only cuts the same greedy tree). Time is passed in as a clock
//! (`now()` in ms), so the same code runs in the worker and in tests.

//!
//! The settings and results (plain data, in the page ⇄ worker protocol) are always compiled; the
//! algorithms need the `classical` feature (the worker and native builds have it, the page not).

#[cfg(feature = "classical")]
use crate::data::dataset::Dataset;
#[cfg(feature = "classical")]
use crate::data::split::Split;
use crate::error::CoreError;
use crate::i18n::Text;
#[cfg(feature = "classical")]
use linfa::prelude::*;
#[cfg(feature = "classical")]
use linfa_nn::{NearestNeighbour, distance::L2Dist};
#[cfg(feature = "classical")]
use ndarray::{Array2, ArrayView1};
use serde::{Deserialize, Serialize};

/// The most values a feature vector may have: beyond this the matrices outgrow a browser tab
/// (4,000 images × 4,096 values is 64 MB as f32) and fits take minutes.
pub const MAX_FEATURES: usize = 4096;

/// How an image becomes a feature vector (特徴量).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum FeatureKind {
    /// The image shrunk to `size`×`size` (area average), its values / 255, channels kept.
    Pixels {
        /// Side length, 2–64.
        size: usize,
    },
    /// Per channel, how many pixels fall in each of `bins` brightness ranges (shares).
    ColorHistogram {
        /// Bins per channel, 2–64.
        bins: usize,
    },
    /// Histograms of oriented gradients (imageproc): 9 unsigned directions per `cell`×`cell`
    /// cell, normalised over 2×2-cell blocks, on the grayscale image.
    Hog {
        /// Cell side in pixels, 2–16.
        cell: usize,
    },
    /// Edge directions over the whole image: Sobel gradient angle (0–180°) in `bins` bins,
    /// weighted by edge strength, plus the mean strength.
    EdgeHistogram {
        /// Direction bins, 2–36.
        bins: usize,
    },
}

impl FeatureKind {
    /// The name shown in the table.
    pub fn name(&self) -> Text {
        match *self {
            FeatureKind::Pixels { size } => Text::new(format!("画素 {size}×{size}"), format!("pixels {size}×{size}")),
            FeatureKind::ColorHistogram { bins } => {
                Text::new(format!("色ヒストグラム（{bins} 区間）"), format!("colour histogram ({bins} bins)"))
            }
            FeatureKind::Hog { cell } => Text::new(format!("HOG（セル {cell}px）"), format!("HOG ({cell}px cells)")),
            FeatureKind::EdgeHistogram { bins } => {
                Text::new(format!("エッジ方向ヒストグラム（{bins} 区間）"), format!("edge-direction histogram ({bins} bins)"))
            }
        }
    }

    /// Checks the parameter's range.
    ///
    /// # Errors
    /// [`CoreError::BadSetting`] naming it.
    pub fn validate(&self) -> Result<(), CoreError> {
        let (name, v, lo, hi) = match *self {
            FeatureKind::Pixels { size } => ("size", size, 2, 64),
            FeatureKind::ColorHistogram { bins } => ("bins", bins, 2, 64),
            FeatureKind::Hog { cell } => ("cell", cell, 2, 16),
            FeatureKind::EdgeHistogram { bins } => ("bins", bins, 2, 36),
        };
        if !(lo..=hi).contains(&v) {
            return Err(CoreError::out_of_range(name, v, format!("{lo}..={hi}")));
        }
        Ok(())
    }
}

#[cfg(feature = "classical")]
fn to_rgba(img: &[u8], channels: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(img.len() / channels * 4);
    for p in img.chunks_exact(channels) {
        if channels == 1 {
            out.extend([p[0], p[0], p[0], 255]);
        } else {
            out.extend([p[0], p[1], p[2], 255]);
        }
    }
    out
}

#[cfg(feature = "classical")]
fn gray(img: &[u8], channels: usize) -> Vec<f32> {
    let [wr, wg, wb] = crate::images::color::GRAY_WEIGHTS;
    img.chunks_exact(channels)
        .map(|p| if channels == 1 { p[0] as f32 } else { wr * p[0] as f32 + wg * p[1] as f32 + wb * p[2] as f32 })
        .collect()
}

#[cfg(feature = "classical")]
/// The feature vector of one image (`w`×`h`, `channels`, HWC bytes).
///
/// # Errors
/// [`CoreError::BadSetting`] for a parameter out of range or an image too small for HOG's
/// blocks.
pub fn feature_vector(img: &[u8], w: usize, h: usize, channels: usize, kind: FeatureKind) -> Result<Vec<f32>, CoreError> {
    kind.validate()?;
    Ok(match kind {
        FeatureKind::Pixels { size } => crate::data::library::input_pixels(&to_rgba(img, channels), w, h, size, size, channels)
            .into_iter()
            .map(|v| v as f32 / 255.0)
            .collect(),
        FeatureKind::ColorHistogram { bins } => {
            let n = (w * h) as f32;
            let mut hist = vec![0f32; bins * channels];
            for p in img.chunks_exact(channels) {
                for (c, &v) in p.iter().enumerate() {
                    hist[c * bins + (v as usize * bins / 256)] += 1.0 / n;
                }
            }
            hist
        }
        FeatureKind::Hog { cell } => {
            // HOG needs whole cells and at least 2×2 of them: shrink to the nearest multiple.
            let (cw, ch) = (w / cell * cell, h / cell * cell);
            if cw < 2 * cell || ch < 2 * cell {
                return Err(CoreError::setting(
                    "cell",
                    format!("{cell} px のセルには {}×{} 画素以上の画像が必要です", 2 * cell, 2 * cell),
                    format!("{cell}px cells need images of at least {}×{} pixels", 2 * cell, 2 * cell),
                ));
            }
            let small = crate::data::library::input_pixels(&to_rgba(img, channels), w, h, cw, ch, 1);
            let image = image::GrayImage::from_fn(cw as u32, ch as u32, |x, y| image::Luma([small[y as usize * cw + x as usize]]));
            let options = imageproc::hog::HogOptions::new(9, false, cell, 2, 1);
            imageproc::hog::hog(&image, options).map_err(|e| CoreError::setting("cell", format!("HOG を計算できません（{e}）"), e))?
        }
        FeatureKind::EdgeHistogram { bins } => {
            let g = gray(img, channels);
            let at = |x: usize, y: usize| g[y.min(h - 1) * w + x.min(w - 1)];
            let mut hist = vec![0f32; bins + 1];
            let mut total = 0f32;
            for y in 0..h {
                for x in 0..w {
                    let (xl, yu) = (x.saturating_sub(1), y.saturating_sub(1));
                    let gx = at(x + 1, yu) + 2.0 * at(x + 1, y) + at(x + 1, y + 1) - at(xl, yu) - 2.0 * at(xl, y) - at(xl, y + 1);
                    let gy = at(xl, y + 1) + 2.0 * at(x, y + 1) + at(x + 1, y + 1) - at(xl, yu) - 2.0 * at(x, yu) - at(x + 1, yu);
                    let m = (gx * gx + gy * gy).sqrt();
                    if m > 0.0 {
                        let angle = gy.atan2(gx).to_degrees().rem_euclid(180.0);
                        hist[((angle / 180.0 * bins as f32) as usize).min(bins - 1)] += m;
                        total += m;
                    }
                }
            }
            if total > 0.0 {
                for v in &mut hist[..bins] {
                    *v /= total;
                }
            }
            // The mean strength, on the scale of a full-contrast edge (4 × 255).
            hist[bins] = total / (w * h) as f32 / 1020.0;
            hist
        }
    })
}

#[cfg(feature = "classical")]
/// Feature rows for the images at `indices`: row-major, `dim` values each.
///
/// # Errors
/// As [`feature_vector`].
pub fn feature_rows(ds: &Dataset, kind: FeatureKind) -> Result<(Vec<f32>, usize), CoreError> {
    let mut rows = Vec::new();
    let mut dim = 0;
    for i in 0..ds.len() {
        let v = feature_vector(ds.image(i), ds.width, ds.height, ds.channels, kind)?;
        if v.len() > MAX_FEATURES {
            return Err(CoreError::setting(
                "features",
                format!("1 枚あたり {} 個の値です（{MAX_FEATURES} 個まで。画素を小さくするか、セルを大きくしてください）", v.len()),
                format!("{} values per image (at most {MAX_FEATURES}: shrink the pixels or use larger cells)", v.len()),
            ));
        }
        if v.iter().any(|x| !x.is_finite()) {
            return Err(CoreError::dataset(
                format!("画像 {i} の特徴に数でない値があります"),
                format!("image {i} gave a feature that is not a number"),
            ));
        }
        dim = v.len();
        rows.extend(v);
    }
    Ok((rows, dim))
}

/// A classical model and its hyperparameters (ハイパーパラメータ).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ModelKind {
    /// 決定木 (CART, Gini impurity).
    Tree {
        /// 木の深さの上限 (`None`: grow until pure).
        max_depth: Option<usize>,
        /// 葉に残す最小サンプル数.
        min_samples_leaf: usize,
    },
    /// k 近傍法 (Euclidean distance, majority vote; a tie goes to the smallest class number, as
    /// in scikit-learn).
    Knn {
        /// Neighbours asked.
        k: usize,
    },
    /// ロジスティック回帰 (softmax over classes, L2 penalty; `c` as scikit-learn's C).
    Logistic {
        /// Inverse regularisation strength.
        c: f64,
    },
    /// ランダムフォレスト: `trees` CART trees, each on a bootstrap sample of the building data and
    /// choosing each question among √(features) features drawn at random; the trees' class shares
    /// are averaged (scikit-learn's `RandomForestClassifier`). Seeded (42): the same forest every
    /// time.
    Forest {
        /// Number of trees, 1–200.
        trees: usize,
        /// Depth limit of each tree (`None`: unlimited).
        max_depth: Option<usize>,
    },
}

impl ModelKind {
    /// The name with its settings, for the table.
    pub fn name(&self) -> Text {
        match *self {
            ModelKind::Tree { max_depth, min_samples_leaf } => {
                let d = max_depth.map_or("∞".to_owned(), |d| d.to_string());
                Text::new(
                    format!("決定木（max_depth={d}, min_samples_leaf={min_samples_leaf}）"),
                    format!("decision tree (max_depth={d}, min_samples_leaf={min_samples_leaf})"),
                )
            }
            ModelKind::Knn { k } => Text::new(format!("k 近傍法（k={k}）"), format!("k-nearest neighbours (k={k})")),
            ModelKind::Logistic { c } => Text::new(format!("ロジスティック回帰（C={c}）"), format!("logistic regression (C={c})")),
            ModelKind::Forest { trees, max_depth } => {
                let d = max_depth.map_or("∞".to_owned(), |d| d.to_string());
                Text::new(
                    format!("ランダムフォレスト（木 {trees} 本, max_depth={d}）"),
                    format!("random forest ({trees} trees, max_depth={d})"),
                )
            }
        }
    }

    /// Checks the ranges.
    ///
    /// # Errors
    /// [`CoreError::BadSetting`] naming the value.
    pub fn validate(&self) -> Result<(), CoreError> {
        match *self {
            ModelKind::Tree { max_depth: Some(0), .. } => Err(CoreError::out_of_range("max_depth", 0, "1..")),
            ModelKind::Tree { min_samples_leaf: 0, .. } => Err(CoreError::out_of_range("min_samples_leaf", 0, "1..")),
            ModelKind::Knn { k: 0 } => Err(CoreError::out_of_range("k", 0, "1..")),
            ModelKind::Forest { trees, .. } if !(1..=200).contains(&trees) => Err(CoreError::out_of_range("trees", trees, "1..=200")),
            ModelKind::Forest { max_depth: Some(0), .. } => Err(CoreError::out_of_range("max_depth", 0, "1..")),
            ModelKind::Logistic { c } if !(c > 0.0 && c.is_finite()) => Err(CoreError::out_of_range("C", c, "(0, ∞)")),
            _ => Ok(()),
        }
    }
}

/// One node of the top of a fitted tree, in pre-order (as scikit-learn's `plot_tree` shows it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeNodeView {
    /// 0 at the root.
    pub depth: usize,
    /// The feature tested (`None` for a leaf).
    pub feature: Option<usize>,
    /// Goes left when the feature's value is ≤ this.
    pub threshold: f32,
    /// Gini impurity of the node's samples.
    pub gini: f64,
    /// How many building samples reach it.
    pub samples: usize,
    /// Samples per class.
    pub counts: Vec<usize>,
    /// Its majority class (what a leaf answers).
    pub prediction: usize,
    /// Whether deeper nodes were cut from the view.
    pub cut: bool,
}

#[cfg(feature = "classical")]
/// A node of a [`Tree`].
#[derive(Clone, Debug, PartialEq)]
struct Node {
    depth: usize,
    /// `Some((feature, threshold, left, right))` for a split node.
    split: Option<(usize, f32, usize, usize)>,
    counts: Vec<usize>,
    gini: f64,
}

#[cfg(feature = "classical")]
fn gini_of(counts: &[usize], n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let sq: f64 = counts.iter().map(|&c| (c * c) as f64).sum();
    1.0 - sq / (n * n) as f64
}

#[cfg(feature = "classical")]
fn majority(counts: &[usize]) -> usize {
    let best = counts.iter().copied().max().unwrap_or(0);
    counts.iter().position(|&c| c == best).unwrap_or(0)
}

#[cfg(feature = "classical")]
/// A CART decision tree (Gini impurity), grown greedily like scikit-learn's
/// `DecisionTreeClassifier`: every feature, every threshold halfway between two neighbouring
/// values of the node's samples, the lowest weighted impurity wins (the first feature of equals).
#[derive(Clone, Debug, PartialEq)]
pub struct Tree {
    nodes: Vec<Node>,
    dim: usize,
    classes: usize,
}

#[cfg(feature = "classical")]
impl Tree {
    /// Grows a tree on the rows at `idx`.
    pub fn fit(rows: &[f32], dim: usize, labels: &[usize], idx: &[usize], max_depth: Option<usize>, min_samples_leaf: usize) -> Tree {
        Self::grow(rows, dim, labels, idx, max_depth, min_samples_leaf, None)
    }

    /// [`Tree::fit`], optionally asking each question among `m` features drawn with `rng` (a
    /// random forest's tree). `classes` is at least the largest label + 1 in `idx`.
    fn grow(
        rows: &[f32],
        dim: usize,
        labels: &[usize],
        idx: &[usize],
        max_depth: Option<usize>,
        min_samples_leaf: usize,
        mut subset: Option<(usize, usize, &mut crate::rng::SplitMix64)>,
    ) -> Tree {
        let classes = subset.as_ref().map_or(0, |s| s.1).max(idx.iter().map(|&i| labels[i] + 1).max().unwrap_or(1));
        let min_leaf = min_samples_leaf.max(1);
        let mut tree = Tree { nodes: Vec::new(), dim, classes };
        let mut stack: Vec<(usize, Vec<usize>)> = Vec::new();
        let counts_of = |members: &[usize]| {
            let mut c = vec![0usize; classes];
            for &i in members {
                c[labels[i]] += 1;
            }
            c
        };
        let root_counts = counts_of(idx);
        tree.nodes.push(Node { depth: 0, split: None, gini: gini_of(&root_counts, idx.len()), counts: root_counts });
        stack.push((0, idx.to_vec()));
        let mut sorted: Vec<(f32, usize)> = Vec::with_capacity(idx.len());
        while let Some((at, members)) = stack.pop() {
            let n = members.len();
            let node = &tree.nodes[at];
            if node.gini <= 1e-12 || n < 2 * min_leaf || n < 2 || max_depth.is_some_and(|d| node.depth >= d) {
                continue;
            }
            let parent_counts = node.counts.clone();
            let depth = node.depth;
            // (weighted impurity, feature, threshold)
            let mut best: Option<(f64, usize, f32)> = None;
            let features: Vec<usize> = match subset.as_mut() {
                Some((m, _, rng)) => {
                    let mut all: Vec<usize> = (0..dim).collect();
                    for k in 0..(*m).min(dim) {
                        let j = k + rng.below(dim - k);
                        all.swap(k, j);
                    }
                    all.truncate((*m).min(dim));
                    all
                }
                None => (0..dim).collect(),
            };
            for f in features {
                sorted.clear();
                sorted.extend(members.iter().map(|&i| (rows[i * dim + f], i)));
                sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
                if sorted[0].0 == sorted[n - 1].0 {
                    continue; // constant in this node
                }
                let mut left = vec![0usize; classes];
                let (mut sq_left, mut sq_right): (f64, f64) = (0.0, parent_counts.iter().map(|&c| (c * c) as f64).sum());
                let mut right = parent_counts.clone();
                for pos in 1..n {
                    let c = labels[sorted[pos - 1].1];
                    sq_left += (2 * left[c] + 1) as f64;
                    left[c] += 1;
                    sq_right -= (2 * right[c] - 1) as f64;
                    right[c] -= 1;
                    if sorted[pos].0 <= sorted[pos - 1].0 || pos < min_leaf || n - pos < min_leaf {
                        continue;
                    }
                    let (nl, nr) = (pos as f64, (n - pos) as f64);
                    let impurity = (nl * (1.0 - sq_left / (nl * nl)) + nr * (1.0 - sq_right / (nr * nr))) / n as f64;
                    if best.is_none_or(|(b, _, _)| impurity < b - 1e-12) {
                        let mid = sorted[pos - 1].0 / 2.0 + sorted[pos].0 / 2.0;
                        // Halfway can round up to the right value; then the left one is the cut.
                        let threshold = if mid >= sorted[pos].0 { sorted[pos - 1].0 } else { mid };
                        best = Some((impurity, f, threshold));
                    }
                }
            }
            let Some((_, feature, threshold)) = best else { continue };
            let (l, r): (Vec<usize>, Vec<usize>) = members.iter().partition(|&&i| rows[i * dim + feature] <= threshold);
            let (lc, rc) = (counts_of(&l), counts_of(&r));
            let (li, ri) = (tree.nodes.len(), tree.nodes.len() + 1);
            tree.nodes.push(Node { depth: depth + 1, split: None, gini: gini_of(&lc, l.len()), counts: lc });
            tree.nodes.push(Node { depth: depth + 1, split: None, gini: gini_of(&rc, r.len()), counts: rc });
            tree.nodes[at].split = Some((feature, threshold, li, ri));
            stack.push((ri, r));
            stack.push((li, l));
        }
        tree
    }

    /// The class for one feature row, looking no deeper than `depth_limit`.
    pub fn predict(&self, row: &[f32], depth_limit: Option<usize>) -> usize {
        majority(self.leaf(row, depth_limit))
    }

    /// The class counts of the node a row ends in.
    fn leaf(&self, row: &[f32], depth_limit: Option<usize>) -> &[usize] {
        let mut at = 0;
        loop {
            let node = &self.nodes[at];
            match node.split {
                Some((f, t, l, r)) if depth_limit.is_none_or(|d| node.depth < d) => at = if row[f] <= t { l } else { r },
                _ => return &node.counts,
            }
        }
    }

    /// The deepest leaf's depth and the number of leaves.
    pub fn size(&self) -> (usize, usize) {
        let depth = self.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
        (depth, self.nodes.iter().filter(|n| n.split.is_none()).count())
    }

    /// Each feature's share of the total impurity decrease (scikit-learn's
    /// `feature_importances_`).
    pub fn importance(&self) -> Vec<f64> {
        let mut imp = vec![0.0; self.dim];
        for node in &self.nodes {
            if let Some((f, _, l, r)) = node.split {
                let n = |i: usize| self.nodes[i].counts.iter().sum::<usize>() as f64;
                let (left, right) = (&self.nodes[l], &self.nodes[r]);
                let nn = node.counts.iter().sum::<usize>() as f64;
                imp[f] += nn * node.gini - n(l) * left.gini - n(r) * right.gini;
            }
        }
        let total: f64 = imp.iter().sum();
        if total > 0.0 {
            for v in &mut imp {
                *v /= total;
            }
        }
        imp
    }

    /// The nodes down to `levels` deep, in pre-order.
    pub fn view(&self, levels: usize) -> Vec<TreeNodeView> {
        let mut out = Vec::new();
        let mut stack = vec![0usize];
        while let Some(at) = stack.pop() {
            let node = &self.nodes[at];
            let cut = node.split.is_some() && node.depth >= levels;
            out.push(TreeNodeView {
                depth: node.depth,
                feature: node.split.map(|(f, ..)| f),
                threshold: node.split.map_or(0.0, |(_, t, ..)| t),
                gini: node.gini,
                samples: node.counts.iter().sum(),
                counts: node.counts.clone(),
                prediction: majority(&node.counts),
                cut,
            });
            if let (Some((_, _, l, r)), false) = (node.split, cut) {
                stack.push(r);
                stack.push(l);
            }
        }
        out
    }

    /// The number of classes it knows.
    pub fn classes(&self) -> usize {
        self.classes
    }
}

/// What a fit gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// 構築データの正解率.
    pub train_accuracy: f64,
    /// 検証データの正解率.
    pub val_accuracy: f64,
    /// Fitting time, ms.
    pub fit_ms: f64,
    /// A tree's top three levels (trees only): the root, its children and grandchildren.
    pub tree: Vec<TreeNodeView>,
    /// A tree's depth and leaves (trees only).
    pub tree_size: Option<(usize, usize)>,
    /// Each feature's share of the impurity decrease (trees only).
    pub importance: Vec<f64>,
    /// Validation accuracy of each fold (K-fold; one value for hold-out).
    pub fold_val: Vec<f64>,
    /// Two-class data: the validation AUC of each fold (`None` where its validation part held
    /// one class), from the model's probability of class 1 (a tree's leaf share, the forest's
    /// mean leaf share, the share of the k neighbours, logistic regression's probability).
    /// Empty for more classes.
    #[serde(default)]
    pub fold_auc: Vec<Option<f64>>,
    /// The class predicted for each validation image, in the split's order (the first fold's
    /// with K-fold).
    #[serde(default)]
    pub val_predictions: Vec<usize>,
    /// Two-class data: each validation image's score of class 1 (as for [`Outcome::fold_auc`]),
    /// in the split's order (the first fold's with K-fold). Empty for more classes.
    #[serde(default)]
    pub val_scores: Vec<f64>,
}

#[cfg(feature = "classical")]
fn matrix(rows: &[f32], dim: usize, idx: &[usize]) -> Array2<f64> {
    let mut m = Array2::zeros((idx.len(), dim));
    for (r, &i) in idx.iter().enumerate() {
        for (c, v) in rows[i * dim..(i + 1) * dim].iter().enumerate() {
            m[[r, c]] = *v as f64;
        }
    }
    m
}

#[cfg(feature = "classical")]
fn accuracy(predicted: &[usize], truth: &[usize]) -> f64 {
    if truth.is_empty() {
        return 0.0;
    }
    predicted.iter().zip(truth).filter(|(p, t)| p == t).count() as f64 / truth.len() as f64
}

#[cfg(feature = "classical")]
fn failed(e: impl std::fmt::Display) -> CoreError {
    CoreError::setting("model", format!("このデータでは学習できません（{e}）"), e.to_string())
}

#[cfg(feature = "classical")]
/// Fits `model` on the training part of `split` and scores both parts. `rows` holds one feature
/// row of `dim` values per image, `labels` its class.
///
/// # Errors
/// [`CoreError::BadSetting`] for settings out of range (or a model the data cannot fit, e.g.
/// logistic regression on one class); [`CoreError::NotEnoughData`] for an empty part.
pub fn evaluate(
    rows: &[f32],
    dim: usize,
    labels: &[usize],
    split: &Split,
    model: ModelKind,
    now: &dyn Fn() -> f64,
) -> Result<Outcome, CoreError> {
    model.validate()?;
    if split.train.is_empty() || split.validation.is_empty() || dim == 0 {
        return Err(CoreError::NotEnoughData(Text::new("構築データか検証データが空です", "a part of the split is empty")));
    }
    let train_y: Vec<usize> = split.train.iter().map(|&i| labels[i]).collect();
    let val_y: Vec<usize> = split.validation.iter().map(|&i| labels[i]).collect();
    let start = now();
    let mut outcome = Outcome {
        train_accuracy: 0.0,
        val_accuracy: 0.0,
        fit_ms: 0.0,
        tree: Vec::new(),
        tree_size: None,
        importance: Vec::new(),
        fold_val: Vec::new(),
        fold_auc: Vec::new(),
        val_predictions: Vec::new(),
        val_scores: Vec::new(),
    };
    // Two-class data: the validation images' probability of class 1, for the AUC.
    let two_class = labels.iter().all(|&y| y < 2);
    let positive_share = |counts: &[f64]| {
        let total: f64 = counts.iter().sum();
        if total > 0.0 { counts.get(1).copied().unwrap_or(0.0) / total } else { 0.0 }
    };
    let mut val_scores: Vec<f64> = Vec::new();
    let (train_pred, val_pred): (Vec<usize>, Vec<usize>) = match model {
        ModelKind::Tree { max_depth, min_samples_leaf } => {
            let tree = Tree::fit(rows, dim, labels, &split.train, max_depth, min_samples_leaf);
            outcome.fit_ms = now() - start;
            outcome.tree = tree.view(2);
            outcome.tree_size = Some(tree.size());
            outcome.importance = tree.importance();
            let predict = |idx: &[usize]| idx.iter().map(|&i| tree.predict(&rows[i * dim..(i + 1) * dim], None)).collect();
            if two_class {
                val_scores = split
                    .validation
                    .iter()
                    .map(|&i| positive_share(&tree.leaf(&rows[i * dim..(i + 1) * dim], None).iter().map(|&c| c as f64).collect::<Vec<_>>()))
                    .collect();
            }
            (predict(&split.train), predict(&split.validation))
        }
        ModelKind::Forest { trees, max_depth } => {
            let mut rng = crate::rng::SplitMix64::new(42);
            let classes = train_y.iter().max().map_or(1, |m| m + 1);
            let m = ((dim as f64).sqrt().round() as usize).max(1);
            let forest: Vec<Tree> = (0..trees)
                .map(|_| {
                    let n = split.train.len();
                    let sample: Vec<usize> = (0..n).map(|_| split.train[rng.below(n)]).collect();
                    Tree::grow(rows, dim, labels, &sample, max_depth, 1, Some((m, classes, &mut rng)))
                })
                .collect();
            outcome.fit_ms = now() - start;
            let shares = |i: usize| {
                let row = &rows[i * dim..(i + 1) * dim];
                let mut share = vec![0f64; classes];
                for tree in &forest {
                    let counts = tree.leaf(row, None);
                    let n = counts.iter().sum::<usize>().max(1) as f64;
                    for (c, &k) in counts.iter().enumerate() {
                        share[c] += k as f64 / n;
                    }
                }
                share
            };
            let vote = |i: usize| {
                let share = shares(i);
                let best = share.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                share.iter().position(|&v| v == best).unwrap_or(0)
            };
            if two_class {
                val_scores = split.validation.iter().map(|&i| positive_share(&shares(i))).collect();
            }
            (split.train.iter().map(|&i| vote(i)).collect(), split.validation.iter().map(|&i| vote(i)).collect())
        }
        ModelKind::Knn { k } => {
            let train_x = matrix(rows, dim, &split.train);
            let index = linfa_nn::CommonNearestNeighbour::LinearSearch.from_batch(&train_x, L2Dist).map_err(failed)?;
            let classes = train_y.iter().max().map_or(0, |m| m + 1);
            let votes_of = |point: ArrayView1<f64>| -> Result<Vec<usize>, CoreError> {
                let near = index.k_nearest(point, k.min(train_y.len())).map_err(failed)?;
                let mut votes = vec![0usize; classes];
                for (_, i) in near {
                    votes[train_y[i]] += 1;
                }
                Ok(votes)
            };
            let winner = |votes: &[usize]| {
                let best = votes.iter().copied().max().unwrap_or(0);
                votes.iter().position(|&v| v == best).unwrap_or(0)
            };
            let vote = |point: ArrayView1<f64>| -> Result<usize, CoreError> { Ok(winner(&votes_of(point)?)) };
            // k-NN's "fit" is answering: every query compares with every training image, so its
            // time is the whole prediction. Building accuracy is measured on at most
            // KNN_TRAIN_SAMPLE training images, evenly spaced (all of them would cost n²).
            let step = split.train.len().div_ceil(KNN_TRAIN_SAMPLE).max(1);
            let sample: Vec<usize> = (0..split.train.len()).step_by(step).collect();
            let train_pred = sample.iter().map(|&r| vote(train_x.row(r))).collect::<Result<Vec<_>, _>>()?;
            let val_x = matrix(rows, dim, &split.validation);
            let val_votes = val_x.rows().into_iter().map(votes_of).collect::<Result<Vec<_>, _>>()?;
            let val_pred: Vec<usize> = val_votes.iter().map(|v| winner(v)).collect();
            outcome.fit_ms = now() - start;
            if two_class {
                // The share of the k neighbours in class 1 (scikit-learn's predict_proba).
                val_scores = val_votes.iter().map(|v| positive_share(&v.iter().map(|&c| c as f64).collect::<Vec<_>>())).collect();
            }
            let sample_y: Vec<usize> = sample.iter().map(|&r| train_y[r]).collect();
            outcome.train_accuracy = accuracy(&train_pred, &sample_y);
            outcome.val_accuracy = accuracy(&val_pred, &val_y);
            outcome.fold_val = vec![outcome.val_accuracy];
            if two_class {
                outcome.fold_auc = vec![val_auc(&val_scores, &val_y)];
            }
            outcome.val_predictions = val_pred;
            outcome.val_scores = val_scores;
            return Ok(outcome);
        }
        ModelKind::Logistic { c } => {
            let train_x = matrix(rows, dim, &split.train);
            let data = linfa::DatasetView::new(train_x.view(), ndarray::ArrayView1::from(&train_y[..]));
            // scikit-learn minimises sum(log-loss) + ||W||² / 2C, as linfa does with alpha = 1/C
            // — but for two classes scikit-learn fits one weight vector w, while the softmax
            // here fits two (w = W₁ − W₀, and at the optimum W₀ = −W₁ = −w/2): their penalty
            // alpha/2 (|w/2|² + |w/2|²) = alpha/4 |w|² equals scikit-learn's with alpha = 2/C.
            let classes = train_y.iter().copied().collect::<std::collections::BTreeSet<_>>().len();
            let alpha = if classes == 2 { 2.0 / c } else { 1.0 / c };
            let fitted = linfa_logistic::MultiLogisticRegression::default().alpha(alpha).max_iterations(300).fit(&data).map_err(failed)?;
            outcome.fit_ms = now() - start;
            let val_x = matrix(rows, dim, &split.validation);
            if two_class {
                // The column of class 1 (linfa numbers the classes it saw in order); without
                // class 1 in the training part, its probability is 0.
                let column = fitted.classes().iter().position(|&c| c == 1);
                let p = fitted.predict_probabilities(&val_x);
                val_scores = p.rows().into_iter().map(|r| column.map_or(0.0, |c| r[c])).collect();
            }
            (fitted.predict(&train_x).to_vec(), fitted.predict(&val_x).to_vec())
        }
    };
    outcome.train_accuracy = accuracy(&train_pred, &train_y);
    outcome.val_accuracy = accuracy(&val_pred, &val_y);
    outcome.fold_val = vec![outcome.val_accuracy];
    if two_class {
        outcome.fold_auc = vec![val_auc(&val_scores, &val_y)];
    }
    outcome.val_predictions = val_pred;
    outcome.val_scores = val_scores;
    Ok(outcome)
}

/// The validation AUC of scores of class 1 against the labels (`None` with one class).
#[cfg(feature = "classical")]
fn val_auc(scores: &[f64], labels: &[usize]) -> Option<f64> {
    let positives: Vec<bool> = labels.iter().map(|&y| y == 1).collect();
    crate::nn::roc::roc_auc(scores, &positives)
}

/// [`evaluate`] on each split (hold-out: one; K-fold: K) — the same splits as the training lab —
/// with the accuracies averaged, the times added and the first fold's tree shown.
///
/// # Errors
/// As [`evaluate`]; [`CoreError::NotEnoughData`] without splits.
#[cfg(feature = "classical")]
pub fn evaluate_splits(
    rows: &[f32],
    dim: usize,
    labels: &[usize],
    splits: &[Split],
    model: ModelKind,
    now: &dyn Fn() -> f64,
) -> Result<Outcome, CoreError> {
    let outcomes = splits.iter().map(|s| evaluate(rows, dim, labels, s, model, now)).collect::<Result<Vec<_>, _>>()?;
    let Some(first) = outcomes.first() else { return Err(CoreError::NotEnoughData(Text::new("分割がありません", "no split"))) };
    let n = outcomes.len() as f64;
    Ok(Outcome {
        train_accuracy: outcomes.iter().map(|o| o.train_accuracy).sum::<f64>() / n,
        val_accuracy: outcomes.iter().map(|o| o.val_accuracy).sum::<f64>() / n,
        fit_ms: outcomes.iter().map(|o| o.fit_ms).sum(),
        fold_val: outcomes.iter().map(|o| o.val_accuracy).collect(),
        fold_auc: outcomes.iter().flat_map(|o| o.fold_auc.iter().copied()).collect(),
        ..first.clone()
    })
}

/// Training images k-NN's building accuracy is measured on (see [`evaluate`]).
pub const KNN_TRAIN_SAMPLE: usize = 1000;

/// One point of the model-complexity chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The tree depth limit (`None`: unlimited).
    pub max_depth: Option<usize>,
    /// Building accuracy.
    pub train_accuracy: f64,
    /// Validation accuracy.
    pub val_accuracy: f64,
}

#[cfg(feature = "classical")]
/// A tree for each depth limit (same `min_samples_leaf`): the course's model-complexity
/// chart, where building accuracy keeps rising and validation accuracy peaks — overfitting made
/// visible.
///
/// # Errors
/// As [`evaluate`].
pub fn sweep_depth(
    rows: &[f32],
    dim: usize,
    labels: &[usize],
    split: &Split,
    depths: &[Option<usize>],
    min_samples_leaf: usize,
) -> Result<Vec<SweepPoint>, CoreError> {
    ModelKind::Tree { max_depth: None, min_samples_leaf }.validate()?;
    if depths.contains(&Some(0)) {
        return Err(CoreError::out_of_range("max_depth", 0, "1.."));
    }
    if split.train.is_empty() || split.validation.is_empty() {
        return Err(CoreError::NotEnoughData(Text::new("構築データか検証データが空です", "a part of the split is empty")));
    }
    // One full tree: a depth limit only stops the same greedy growth earlier.
    let tree = Tree::fit(rows, dim, labels, &split.train, None, min_samples_leaf);
    let score = |idx: &[usize], limit: Option<usize>| {
        let right = idx.iter().filter(|&&i| tree.predict(&rows[i * dim..(i + 1) * dim], limit) == labels[i]).count();
        right as f64 / idx.len() as f64
    };
    Ok(depths
        .iter()
        .map(|&max_depth| SweepPoint {
            max_depth,
            train_accuracy: score(&split.train, max_depth),
            val_accuracy: score(&split.validation, max_depth),
        })
        .collect())
}

/// [`sweep_depth`] on each split, averaged (K-fold: the mean over the folds).
///
/// # Errors
/// As [`sweep_depth`].
#[cfg(feature = "classical")]
pub fn sweep_splits(
    rows: &[f32],
    dim: usize,
    labels: &[usize],
    splits: &[Split],
    depths: &[Option<usize>],
    min_samples_leaf: usize,
) -> Result<Vec<SweepPoint>, CoreError> {
    if splits.is_empty() {
        return Err(CoreError::NotEnoughData(Text::new("分割がありません", "no split")));
    }
    let all = splits.iter().map(|s| sweep_depth(rows, dim, labels, s, depths, min_samples_leaf)).collect::<Result<Vec<_>, _>>()?;
    let n = all.len() as f64;
    Ok(depths
        .iter()
        .enumerate()
        .map(|(i, &max_depth)| SweepPoint {
            max_depth,
            train_accuracy: all.iter().map(|p| p[i].train_accuracy).sum::<f64>() / n,
            val_accuracy: all.iter().map(|p| p[i].val_accuracy).sum::<f64>() / n,
        })
        .collect())
}

/// The sweep point with the best validation accuracy (the first of equals: the simpler tree).
pub fn best(points: &[SweepPoint]) -> Option<usize> {
    let top = points.iter().map(|p| p.val_accuracy).fold(f64::NEG_INFINITY, f64::max);
    points.iter().position(|p| p.val_accuracy == top)
}

#[cfg(all(test, feature = "classical"))]
mod tests {
    use super::*;

    fn img(w: usize, h: usize, f: impl Fn(usize, usize) -> u8) -> Vec<u8> {
        (0..h).flat_map(|y| (0..w).map(move |x| (x, y))).map(|(x, y)| f(x, y)).collect()
    }

    #[test]
    fn features_have_their_sizes_and_meanings() {
        let half = img(16, 16, |x, _| if x < 8 { 0 } else { 255 });
        let px = feature_vector(&half, 16, 16, 1, FeatureKind::Pixels { size: 4 }).unwrap();
        assert_eq!(px, [0.0, 0.0, 1.0, 1.0].repeat(4));
        let hist = feature_vector(&half, 16, 16, 1, FeatureKind::ColorHistogram { bins: 4 }).unwrap();
        assert_eq!(hist, [0.5, 0.0, 0.0, 0.5]);
        // A vertical edge: every gradient is horizontal, angle 0°.
        let edges = feature_vector(&half, 16, 16, 1, FeatureKind::EdgeHistogram { bins: 4 }).unwrap();
        assert_eq!(edges.len(), 5);
        assert!((edges[0] - 1.0).abs() < 1e-6, "{edges:?}");
        let hog = feature_vector(&half, 16, 16, 1, FeatureKind::Hog { cell: 4 }).unwrap();
        assert_eq!(hog.len(), 3 * 3 * 2 * 2 * 9);
        assert!(hog.iter().all(|v| v.is_finite()));
        // RGB images keep their channels as pixels.
        let rgb: Vec<u8> = [255, 0, 0].repeat(64);
        assert_eq!(feature_vector(&rgb, 8, 8, 3, FeatureKind::Pixels { size: 2 }).unwrap(), [1.0, 0.0, 0.0].repeat(4));
        // Refusals in words.
        assert!(feature_vector(&half, 16, 16, 1, FeatureKind::Hog { cell: 16 }).is_err());
        assert!(FeatureKind::Pixels { size: 1 }.validate().is_err());
        assert!(ModelKind::Tree { max_depth: Some(0), min_samples_leaf: 1 }.validate().is_err());
        assert!(ModelKind::Logistic { c: -1.0 }.validate().is_err());
    }

    #[test]
    fn a_tree_separates_two_clusters_and_shows_its_split() {
        // Feature 1 decides the class; feature 0 is noise.
        let mut rows = Vec::new();
        let mut labels = Vec::new();
        for i in 0..40 {
            rows.extend([(i * 7 % 10) as f32, if i % 2 == 0 { 0.2 } else { 0.8 }]);
            labels.push(i % 2);
        }
        let split = crate::data::split::stratified_holdout(&labels, 2, 0.3, 1).unwrap();
        let now = || 0.0;
        let o = evaluate(&rows, 2, &labels, &split, ModelKind::Tree { max_depth: Some(3), min_samples_leaf: 1 }, &now).unwrap();
        assert_eq!((o.train_accuracy, o.val_accuracy), (1.0, 1.0));
        assert_eq!(o.tree[0].feature, Some(1));
        assert!(o.tree[0].threshold > 0.2 && o.tree[0].threshold < 0.8);
        for model in [ModelKind::Knn { k: 3 }, ModelKind::Logistic { c: 10.0 }] {
            assert_eq!(evaluate(&rows, 2, &labels, &split, model, &now).unwrap().val_accuracy, 1.0, "{model:?}");
        }
        let sweep = sweep_depth(&rows, 2, &labels, &split, &[Some(1), Some(2), None], 1).unwrap();
        assert_eq!(sweep.len(), 3);
        assert_eq!(best(&sweep), Some(0));
    }
}
