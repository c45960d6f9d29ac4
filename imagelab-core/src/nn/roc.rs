//! ROC曲線と AUC — for two-class data: how well the model's score of class 1 ranks the validation
//! images, over every threshold at once.
//!
//! As scikit-learn's `roc_curve` / `roc_auc_score` (reference numbers by
//! `scripts/classical/make_auc_reference.py`, compared in `tests/auc.rs`): the thresholds are the
//! distinct scores, highest first, after the point (0, 0); images with tied scores cross a
//! threshold together, so the curve moves diagonally through a tie (and a tie between the
//! classes counts half in the AUC). The AUC is the area under that curve — the chance that a
//! random positive scores above a random negative, ties counting half.
//!
//! The page's validation predictions carry the probability of the *predicted* class
//! ([`Prediction::confidence`], float32); [`positive_score`] turns it into the score of class 1.

use crate::i18n::{Lang, Text};
use crate::nn::metrics::{Prediction, mean_sd};
use serde::{Deserialize, Serialize};

/// One point of an ROC curve: (false-positive rate, true-positive rate), both 0–1.
pub type RocPoint = (f64, f64);

/// Cumulative (false positives, true positives) at each distinct score, highest first, after
/// (0, 0); with the numbers of negatives and positives. `None` when the lengths differ or a score
/// is NaN.
/// Cumulative (false positives, true positives) per threshold, the negatives and the positives.
type Counts = (Vec<(usize, usize)>, usize, usize);

fn counts(scores: &[f64], positives: &[bool]) -> Option<Counts> {
    if scores.len() != positives.len() || scores.iter().any(|s| s.is_nan()) {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut out = vec![(0, 0)];
    let (mut fp, mut tp) = (0, 0);
    for (k, &i) in order.iter().enumerate() {
        if positives[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        // A threshold after the last image of each distinct score (== also joins 0.0 and -0.0).
        if order.get(k + 1).is_none_or(|&j| scores[j] != scores[i]) {
            out.push((fp, tp));
        }
    }
    Some((out, fp, tp))
}

/// The ROC curve at every threshold (scikit-learn's `roc_curve(..., drop_intermediate=False)`):
/// (0, 0), then one point per distinct score, highest first, ending at (1, 1). Empty when either
/// class is missing (the rates are not defined), the lengths differ, or a score is NaN.
pub fn roc_curve(scores: &[f64], positives: &[bool]) -> Vec<RocPoint> {
    match counts(scores, positives) {
        Some((c, n, p)) if n > 0 && p > 0 => c.into_iter().map(|(fp, tp)| (fp as f64 / n as f64, tp as f64 / p as f64)).collect(),
        _ => Vec::new(),
    }
}

/// The curve's corners only (scikit-learn's default `drop_intermediate=True`): a threshold in
/// the middle of a straight stretch — where neither count changes its step — is left out; the
/// first and last thresholds stay, and (0, 0) comes first. The same area, fewer points to draw.
pub fn roc_corners(scores: &[f64], positives: &[bool]) -> Vec<RocPoint> {
    let Some((c, n, p)) = counts(scores, positives).filter(|(_, n, p)| *n > 0 && *p > 0) else { return Vec::new() };
    // As scikit-learn: on the thresholds' counts, before (0, 0) is put in front.
    let t = &c[1..];
    let second = |i: usize, f: fn(&(usize, usize)) -> usize| f(&t[i + 1]) as i64 - 2 * f(&t[i]) as i64 + f(&t[i - 1]) as i64;
    let keep = |i: usize| t.len() <= 2 || i == 0 || i + 1 == t.len() || second(i, |x| x.0) != 0 || second(i, |x| x.1) != 0;
    std::iter::once(c[0])
        .chain((0..t.len()).filter(|&i| keep(i)).map(|i| t[i]))
        .map(|(fp, tp)| (fp as f64 / n as f64, tp as f64 / p as f64))
        .collect()
}

/// The area under the ROC curve (scikit-learn's `roc_auc_score` for two classes), 0–1: 1 when
/// every positive scores above every negative, 0.5 for no better than chance. `None` when either
/// class is missing (scikit-learn warns and answers nan), the lengths differ, or a score is NaN.
pub fn roc_auc(scores: &[f64], positives: &[bool]) -> Option<f64> {
    let (c, n, p) = counts(scores, positives)?;
    if n == 0 || p == 0 {
        return None;
    }
    // Trapezoids on the counts, doubled so that everything stays an integer (exact; u64, as
    // usize is 32 bits in the browser).
    let twice: u64 = c.windows(2).map(|w| (w[1].0 - w[0].0) as u64 * (w[1].1 + w[0].1) as u64).sum();
    Some(twice as f64 / (2.0 * n as f64 * p as f64))
}

/// The score of class 1 in a two-class prediction: the probability of class 1, from the
/// probability of the predicted class. Both output kinds give it: a softmax over two logits, and
/// a sigmoid output (its logit `z` arrives as `[0, z]`, whose softmax is `[1 − σ(z), σ(z)]`, so
/// this is `σ(z)`). The confidence is a float32 rounded to ~6e-8, so scores closer than that to 0
/// or 1 (logits more than ~16 apart) tie.
pub fn positive_score(p: &Prediction) -> f64 {
    if p.predicted == 1 { p.confidence as f64 } else { 1.0 - p.confidence as f64 }
}

/// One fold's ROC (hold-out: the one validation part).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoldRoc {
    /// The fold (0-based).
    pub fold: usize,
    /// Its AUC; `None` when its validation part held one class only.
    pub auc: Option<f64>,
    /// Its curve, corners only (empty without an AUC).
    pub curve: Vec<RocPoint>,
}

/// The ROC of a finished two-class run: each fold's curve and AUC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RocSummary {
    /// One per fold that has predictions, in fold order (hold-out: one).
    pub folds: Vec<FoldRoc>,
}

impl RocSummary {
    /// The ROC of the validation predictions, fold by fold; `None` unless the data has two
    /// classes and there are predictions.
    pub fn from_predictions(predictions: &[Prediction], num_classes: usize) -> Option<RocSummary> {
        if num_classes != 2 || predictions.is_empty() {
            return None;
        }
        let mut fold_ids: Vec<usize> = predictions.iter().map(|p| p.fold).collect();
        fold_ids.sort_unstable();
        fold_ids.dedup();
        let folds = fold_ids
            .into_iter()
            .map(|fold| {
                let (scores, positives): (Vec<f64>, Vec<bool>) =
                    predictions.iter().filter(|p| p.fold == fold).map(|p| (positive_score(p), p.truth == 1)).unzip();
                FoldRoc { fold, auc: roc_auc(&scores, &positives), curve: roc_corners(&scores, &positives) }
            })
            .collect();
        Some(RocSummary { folds })
    }

    /// The AUCs of the folds that have one.
    pub fn aucs(&self) -> Vec<f64> {
        self.folds.iter().filter_map(|f| f.auc).collect()
    }

    /// Mean and population sd of the folds' AUCs (hold-out: the AUC and 0); `None` when no fold
    /// has one.
    pub fn mean_sd(&self) -> Option<(f64, f64)> {
        mean_sd(&self.aucs())
    }
}

/// An SVG path (`M fpr tpr L fpr tpr …`) of `curve` in the curve's own units (0–1, to 4
/// decimals): the chart scales it into its plot square, and a test can read the rates back.
pub fn path_data(curve: &[RocPoint]) -> String {
    let num = |v: f64| {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".to_owned() } else { s.to_owned() }
    };
    curve
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| format!("{}{} {}", if i == 0 { "M" } else { "L" }, num(x), num(y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each fold's line colour (the learning curves' run colours); hold-out draws in the first.
pub const FOLD_COLOURS: [&str; 7] = ["#1f6fb2", "#d9730d", "#2e9d4f", "#8b4cc7", "#c23b6b", "#6b6b6b", "#111111"];

/// The colour of fold `fold`'s line.
pub fn fold_colour(fold: usize) -> &'static str {
    FOLD_COLOURS[fold % FOLD_COLOURS.len()]
}

/// Side of the chart's plot square, and the whole chart's size (a 390 px phone shows it whole).
const PLOT: f64 = 180.0;
const SVG_W: f64 = 232.0;
const SVG_H: f64 = 228.0;
const LEFT: f64 = 40.0;
const TOP: f64 = 10.0;

/// The ROC chart as one plain SVG element (no script, no links, colours as attributes): every
/// fold's curve over the chance diagonal, FPR across and TPR up, with a title and a text
/// description of the AUCs for screen readers. For the page (`id` e.g. "roc-chart") and the
/// report alike.
pub fn svg(summary: &RocSummary, lang: Lang, id: &str) -> String {
    let h = |ja: &'static str, en: &'static str| Text::new(ja, en).get(lang).to_owned();
    let esc = crate::session::report::escape;
    let id = esc(id);
    let (right, bottom) = (LEFT + PLOT, TOP + PLOT);
    let mut o = format!(
        "<svg id=\"{id}\" class=\"roc\" viewBox=\"0 0 {SVG_W} {SVG_H}\" width=\"{SVG_W}\" height=\"{SVG_H}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    o.push_str(&format!("<title id=\"{id}-title\">{}</title>", esc(&h("ROC曲線（検証データ）", "ROC curve (validation data)"))));
    let multi = summary.folds.len() > 1;
    let aucs: Vec<String> = summary
        .folds
        .iter()
        .map(|f| {
            let auc = f.auc.map_or("—".to_owned(), |a| format!("{a:.3}"));
            if multi { format!("{} {}: AUC {auc}", h("分割", "fold"), f.fold + 1) } else { format!("AUC {auc}") }
        })
        .collect();
    o.push_str(&format!("<desc id=\"{id}-desc\">{}</desc>", esc(&aucs.join(", "))));
    o.push_str(&format!("<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{PLOT}\" height=\"{PLOT}\" fill=\"#ffffff\" stroke=\"#8c959f\"/>"));
    for v in [0.25, 0.5, 0.75] {
        let (x, y) = (LEFT + v * PLOT, TOP + (1.0 - v) * PLOT);
        o.push_str(&format!(
            "<path d=\"M{x:.1} {TOP} L{x:.1} {bottom} M{LEFT} {y:.1} L{right} {y:.1}\" stroke=\"#e6e9f0\" fill=\"none\"/>"
        ));
    }
    // Chance: the diagonal.
    o.push_str(&format!(
        "<path class=\"chance\" d=\"M{LEFT} {bottom} L{right} {TOP}\" stroke=\"#8c959f\" stroke-dasharray=\"4 3\" fill=\"none\"/>"
    ));
    // The curves in their own units: FPR across, TPR up, the plot square 0–1.
    o.push_str(&format!("<g transform=\"translate({LEFT} {bottom}) scale({PLOT} -{PLOT})\">"));
    for f in summary.folds.iter().filter(|f| !f.curve.is_empty()) {
        o.push_str(&format!(
            "<path class=\"roc-curve\" data-fold=\"{}\" d=\"{}\" stroke=\"{}\" stroke-width=\"2\" vector-effect=\"non-scaling-stroke\" \
             fill=\"none\" stroke-linejoin=\"round\"/>",
            f.fold,
            path_data(&f.curve),
            fold_colour(f.fold)
        ));
    }
    o.push_str("</g>");
    let text = |x: f64, y: f64, anchor: &str, s: &str| {
        format!(
            "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" font-size=\"10\" font-family=\"sans-serif\" fill=\"#57606a\">{}</text>",
            esc(s)
        )
    };
    for (v, s) in [(0.0, "0"), (0.5, "0.5"), (1.0, "1")] {
        o.push_str(&text(LEFT + v * PLOT, bottom + 12.0, "middle", s));
        o.push_str(&text(LEFT - 4.0, TOP + (1.0 - v) * PLOT + 3.5, "end", s));
    }
    o.push_str(&text(LEFT + PLOT / 2.0, bottom + 28.0, "middle", &h("偽陽性率 (FPR)", "False-positive rate (FPR)")));
    let y_mid = TOP + PLOT / 2.0;
    o.push_str(&format!(
        "<text x=\"12\" y=\"{y_mid:.1}\" transform=\"rotate(-90 12 {y_mid:.1})\" text-anchor=\"middle\" font-size=\"10\" font-family=\"sans-serif\" fill=\"#57606a\">{}</text>",
        esc(&h("真陽性率 (TPR)", "True-positive rate (TPR)"))
    ));
    o.push_str("</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pred(truth: usize, predicted: usize, confidence: f32, fold: usize) -> Prediction {
        Prediction { index: 0, truth, predicted, confidence, fold }
    }

    #[test]
    fn ties_move_diagonally_and_count_half() {
        // One positive and one negative tied: the curve goes straight from (0,0) to (1,1).
        assert_eq!(roc_curve(&[0.5, 0.5], &[true, false]), vec![(0.0, 0.0), (1.0, 1.0)]);
        assert_eq!(roc_auc(&[0.5, 0.5], &[true, false]), Some(0.5));
        assert_eq!(roc_auc(&[0.9, 0.1], &[true, false]), Some(1.0));
        assert_eq!(roc_auc(&[0.1, 0.9], &[true, false]), Some(0.0));
        // 0.0 and -0.0 are one score.
        assert_eq!(roc_curve(&[0.0, -0.0], &[true, false]).len(), 2);
    }

    #[test]
    fn undefined_without_both_classes() {
        assert_eq!(roc_auc(&[0.1, 0.2], &[true, true]), None);
        assert_eq!(roc_auc(&[], &[]), None);
        assert!(roc_curve(&[0.1], &[false]).is_empty());
        assert_eq!(roc_auc(&[0.1, f64::NAN], &[true, false]), None);
        assert_eq!(roc_auc(&[0.1], &[true, false]), None);
    }

    #[test]
    fn positive_score_is_the_probability_of_class_one() {
        assert_eq!(positive_score(&pred(0, 1, 0.75, 0)), 0.75);
        assert_eq!(positive_score(&pred(0, 0, 0.75, 0)), 0.25);
        // A sigmoid output: logits [0, z] → predicted 1 with σ(z), or 0 with 1 − σ(z).
        let e = crate::nn::metrics::Evaluation::from_logits(&[0.0, 2.0, 0.0, -2.0, 0.0, 0.0], &[1, 0, 1], 2);
        let sigma = |z: f64| 1.0 / (1.0 + (-z).exp());
        for (p, z) in e.predictions.iter().zip([2.0, -2.0, 0.0]) {
            assert!((positive_score(p) - sigma(z)).abs() < 1e-7, "{p:?}");
        }
    }

    #[test]
    fn summaries_go_fold_by_fold() {
        let p = [pred(1, 1, 0.9, 0), pred(0, 0, 0.8, 0), pred(1, 0, 0.6, 1), pred(0, 0, 0.9, 1), pred(1, 1, 0.7, 2), pred(1, 1, 0.8, 2)];
        let s = RocSummary::from_predictions(&p, 2).unwrap();
        assert_eq!(s.folds.iter().map(|f| f.auc).collect::<Vec<_>>(), vec![Some(1.0), Some(1.0), None]);
        assert!(s.folds[2].curve.is_empty());
        assert_eq!(s.mean_sd(), Some((1.0, 0.0)));
        assert_eq!(RocSummary::from_predictions(&p, 3), None);
        assert_eq!(RocSummary::from_predictions(&[], 2), None);
    }

    #[test]
    fn charts_are_plain_svg_with_every_fold() {
        let p = [pred(1, 1, 0.9, 0), pred(0, 0, 0.8, 0), pred(1, 0, 0.6, 1), pred(0, 0, 0.9, 1), pred(1, 1, 0.7, 2)];
        let s = RocSummary::from_predictions(&p, 2).unwrap();
        let chart = svg(&s, Lang::En, "roc\"x");
        assert!(chart.starts_with("<svg id=\"roc&quot;x\"") && chart.ends_with("</svg>"));
        // Two folds have both classes: two curves, and the diagonal.
        assert_eq!(chart.matches("class=\"roc-curve\"").count(), 2);
        assert!(chart.contains("class=\"chance\""));
        assert!(chart.contains("fold 1: AUC 1.000, fold 2: AUC 1.000, fold 3: AUC —"), "{chart}");
        assert!(!chart.contains("<script") && !chart.contains("href"));
        assert!(svg(&s, Lang::Ja, "r").contains("ROC曲線"));
    }

    #[test]
    fn paths_are_in_the_curves_own_units() {
        assert_eq!(path_data(&[(0.0, 0.0), (1.0 / 3.0, 0.5), (1.0, 1.0)]), "M0 0 L0.3333 0.5 L1 1");
    }
}
