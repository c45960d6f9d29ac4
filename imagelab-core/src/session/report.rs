//! The experiment report (レポート): one self-contained HTML file — settings, learning curves,
//! confusion matrix, per-class precision and recall, example predictions — for the final
//! presentation. No script, no outside file: it opens anywhere, offline, and prints.
//!
//! Every text is escaped here. The curves arrive as the page's own SVG charts and the examples as
//! PNG `data:` URLs; both are checked before they go in.

use crate::i18n::{Lang, Text};
use crate::nn::metrics::{ConfusionMatrix, Prediction};
use crate::session::run_state::RunState;

/// One example image with what the model said.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// A `data:image/png;base64,…` URL of the image.
    pub png_data_url: String,
    /// The true class name.
    pub truth: String,
    /// The predicted class name.
    pub predicted: String,
    /// The model's probability for its prediction, 0–1.
    pub confidence: f32,
}

/// What a report shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The language of the headings.
    pub lang: Lang,
    /// e.g. "画像分類ラボ — 実験レポート".
    pub title: String,
    /// When it was made, as the page formats dates.
    pub created: String,
    /// The data's name and size.
    pub data: String,
    /// Setting name → value, in order.
    pub settings: Vec<(String, String)>,
    /// Final building and validation accuracy (K-fold: means), when known.
    pub accuracy: Option<(f64, f64)>,
    /// The learning-curve charts as SVG markup (the page's own `<svg>` elements).
    pub charts: Vec<String>,
    /// Fine-tuning: the curves' validation points before the last were on a sample of this
    /// many images ([`curve_sample_note`]).
    pub curve_sample: Option<usize>,
    /// Class names, the confusion matrix's order.
    pub classes: Vec<String>,
    /// Validation confusion matrix.
    pub confusion: Option<ConfusionMatrix>,
    /// Two-class data: the validation part's ROC curve and AUC, fold by fold.
    pub roc: Option<crate::nn::roc::RocSummary>,
    /// Example predictions (e.g. the most confident mistakes).
    pub examples: Vec<Example>,
    /// A link that reopens the experiment (the share lab's), if any.
    pub link: Option<String>,
}

/// How many example predictions a report shows: the model's surest mistakes.
pub const EXAMPLES: usize = 12;

impl Report {
    /// What the run `run` says in its report, in `lang`: its building and validation accuracy
    /// (K-fold: the folds' means), the validation confusion matrix, the ROC (two classes), and
    /// its [`EXAMPLES`] surest mistakes, each as `png(prediction)` draws its image (one it cannot
    /// draw is left out). The caller adds what only it knows: the title, the date, the data, the
    /// settings, the charts and the link.
    pub fn from_run(lang: Lang, run: &RunState, classes: Vec<String>, mut png: impl FnMut(&Prediction) -> Option<String>) -> Report {
        let name = |c: usize| classes.get(c).cloned().unwrap_or_default();
        let examples = crate::nn::metrics::most_confident_mistakes(&run.predictions, EXAMPLES)
            .iter()
            .filter_map(|p| {
                Some(Example { png_data_url: png(p)?, truth: name(p.truth), predicted: name(p.predicted), confidence: p.confidence })
            })
            .collect();
        Report {
            lang,
            title: String::new(),
            created: String::new(),
            data: String::new(),
            settings: Vec::new(),
            accuracy: run.fold_summary().map(|((train, _), (val, _))| (train, val)),
            charts: Vec::new(),
            curve_sample: run.points.iter().find_map(|p| p.val_sample),
            confusion: run.confusion.clone(),
            roc: run.roc(),
            examples,
            classes,
            link: None,
        }
    }
}

/// What a chart of a fine-tuning run with much validation data must say: its validation points on
/// the way were measured on a sample of `n` images, the last on all of them (the page's chart and
/// the report).
pub fn curve_sample_note(n: usize) -> Text {
    Text::new(
        format!(
            "ファインチューニング中の検証の点は、検証データから選んだ {n} 枚で測っています（時間の節約。最後の点だけは検証データ全部で）。"
        ),
        format!(
            "While fine-tuning, the validation points on the way are measured on a sample of {n} validation images (to save time; the last point on all of them)."
        ),
    )
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `url` is a PNG data URL of plain base64 (nothing that could close the attribute).
fn is_png_data_url(url: &str) -> bool {
    url.strip_prefix("data:image/png;base64,")
        .is_some_and(|b64| !b64.is_empty() && b64.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)))
}

/// Whether `svg` is one SVG element without script, event handlers or outside references: the
/// page's charts pass, anything else is left out.
fn is_plain_svg(svg: &str) -> bool {
    let lower = svg.to_ascii_lowercase();
    lower.starts_with("<svg")
        && lower.trim_end().ends_with("</svg>")
        && !lower.contains("<script")
        && !lower.contains("<foreignobject")
        && !lower.contains("javascript:")
        && !lower.contains("href")
        && !has_event_attribute(&lower)
}

/// Whether markup has an `on…=` attribute (whitespace, `on`, letters, optional spaces, `=`);
/// words such as "one" in the chart's text are fine.
fn has_event_attribute(lower: &str) -> bool {
    let b = lower.as_bytes();
    (1..b.len().saturating_sub(2)).any(|i| {
        if !(b[i - 1].is_ascii_whitespace() || b[i - 1] == b'/') || &b[i..i + 2] != b"on" {
            return false;
        }
        let mut j = i + 2;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        j > i + 2 && j < b.len() && b[j] == b'='
    })
}

fn heading(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// The report as one HTML document.
pub fn html(r: &Report) -> String {
    let h = |ja, en| heading(r.lang, ja, en);
    let mut o = String::new();
    o.push_str(&format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        r.lang.code(),
        escape(&r.title),
        STYLE
    ));
    o.push_str(&format!("<h1>{}</h1>\n<p class=\"meta\">{} · {}</p>\n", escape(&r.title), escape(&r.created), escape(&r.data)));
    if let Some((train, val)) = r.accuracy {
        o.push_str(&format!(
            "<p class=\"big\">{} <b>{:.1}%</b> · {} <b id=\"report-val\" data-value=\"{val:.4}\">{:.1}%</b></p>\n",
            h("学習データの正解率", "Building accuracy"),
            train * 100.0,
            h("検証データの正解率", "Validation accuracy"),
            val * 100.0
        ));
    }
    o.push_str(&format!("<h2>{}</h2>\n<table class=\"settings\">\n", h("設定", "Settings")));
    for (k, v) in &r.settings {
        o.push_str(&format!("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", escape(k), escape(v)));
    }
    o.push_str("</table>\n");
    if let Some(link) = r.link.as_ref().filter(|l| l.starts_with("https://") || l.starts_with("http://")) {
        o.push_str(&format!(
            "<p class=\"link\">{}: <a href=\"{}\">{}</a></p>\n",
            h("この実験を開くリンク", "Link to this experiment"),
            escape(link),
            escape(link)
        ));
    }
    let charts: Vec<&String> = r.charts.iter().filter(|s| is_plain_svg(s)).collect();
    if !charts.is_empty() {
        o.push_str(&format!(
            "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<div class=\"charts\">\n",
            h("学習曲線（損失と正解率）", "Learning curves (loss and accuracy)"),
            // The curves' colours depend on how many runs the page drew (one colour per run when
            // runs are compared), so the legend names the line styles, which never change.
            h(
                "実線: 学習データ、破線: 検証データ（色は実行ごと）。横軸: エポック",
                "Solid: training data; dashed: validation data (one colour per run). Across: epochs"
            )
        ));
        for svg in charts {
            o.push_str(&format!("<figure>{svg}</figure>\n"));
        }
        o.push_str("</div>\n");
        if let Some(n) = r.curve_sample {
            o.push_str(&format!("<p class=\"note\">{}</p>\n", escape(curve_sample_note(n).get(r.lang))));
        }
    }
    if let Some(cm) = &r.confusion {
        let n = r.classes.len().min(cm.num_classes);
        o.push_str(&format!(
            "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table class=\"confusion\" id=\"report-confusion\">\n<tr><th></th>",
            h("混同行列（検証データ）", "Confusion matrix (validation data)"),
            h("行: 正解、列: 予測", "rows: truth, columns: predicted")
        ));
        for c in &r.classes[..n] {
            o.push_str(&format!("<th scope=\"col\">{}</th>", escape(c)));
        }
        o.push_str("</tr>\n");
        let max = (0..n).flat_map(|t| (0..n).map(move |p| (t, p))).map(|(t, p)| cm.get(t, p)).max().unwrap_or(1).max(1);
        for t in 0..n {
            o.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(&r.classes[t])));
            for p in 0..n {
                let v = cm.get(t, p);
                let alpha = v as f64 / max as f64 * 0.6;
                let hue = if t == p { "30,120,200" } else { "179,38,30" };
                o.push_str(&format!("<td style=\"background: rgba({hue},{alpha:.2})\">{v}</td>"));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</table>\n");
        o.push_str(&format!(
            "<h2>{}</h2>\n<table class=\"classes\">\n<tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr>\n",
            h("クラスごとの適合率と再現率", "Precision and recall per class"),
            h("クラス", "Class"),
            h("適合率", "Precision"),
            h("再現率", "Recall")
        ));
        let pct = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{:.1}%", v * 100.0));
        for c in 0..n {
            o.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>\n",
                escape(&r.classes[c]),
                pct(cm.precision(c)),
                pct(cm.recall(c))
            ));
        }
        o.push_str("</table>\n");
    }
    if let Some(roc) = &r.roc
        && let Some((mean, sd)) = roc.mean_sd()
    {
        o.push_str(&format!("<h2>{}</h2>\n", h("ROC曲線と AUC（検証データ）", "ROC curve and AUC (validation data)")));
        let multi = roc.folds.len() > 1;
        let value = if multi { format!("{mean:.3} ± {sd:.3}") } else { format!("{mean:.3}") };
        o.push_str(&format!(
            "<p class=\"big\">AUC = <b id=\"report-auc\" data-value=\"{mean:.4}\">{value}</b>{}</p>\n",
            if multi { h("（分割の平均 ± 標準偏差）", " (mean ± sd of the folds)") } else { "" }
        ));
        o.push_str(&format!(
            "<p class=\"note\">{}</p>\n",
            h(
                "クラス1（2番目のクラス）の確率でしきい値を動かしたときの偽陽性率と真陽性率。AUC 1 は完全に分離、0.5 は偶然と同じ（破線）",
                "False- and true-positive rates as the threshold on the probability of class 1 (the second class) moves. AUC 1: perfectly separated; 0.5: chance (dashed)"
            )
        ));
        if multi {
            o.push_str(&format!(
                "<table class=\"auc\" id=\"report-fold-auc\">\n<tr><th scope=\"col\">{}</th><th scope=\"col\">AUC</th></tr>\n",
                h("分割", "Fold")
            ));
            for f in &roc.folds {
                o.push_str(&format!(
                    "<tr><th scope=\"row\" style=\"color: {}\">{}</th><td>{}</td></tr>\n",
                    crate::nn::roc::fold_colour(f.fold),
                    f.fold + 1,
                    f.auc.map_or("—".to_owned(), |a| format!("{a:.3}"))
                ));
            }
            o.push_str("</table>\n");
        }
        o.push_str(&format!("<div class=\"charts\"><figure>{}</figure></div>\n", crate::nn::roc::svg(roc, r.lang, "report-roc")));
    }
    let examples: Vec<&Example> = r.examples.iter().filter(|e| is_png_data_url(&e.png_data_url)).collect();
    if !examples.is_empty() {
        o.push_str(&format!("<h2>{}</h2>\n<div class=\"examples\">\n", h("自信をもって間違えた例", "The surest mistakes")));
        for e in examples {
            o.push_str(&format!(
                "<figure><img src=\"{}\" alt=\"{}: {} / {}: {}\"><figcaption>{} {}<br>{} {} ({:.0}%)</figcaption></figure>\n",
                e.png_data_url,
                h("正解", "truth"),
                escape(&e.truth),
                h("予測", "predicted"),
                escape(&e.predicted),
                h("正解", "truth"),
                escape(&e.truth),
                h("予測", "predicted"),
                escape(&e.predicted),
                e.confidence * 100.0
            ));
        }
        o.push_str("</div>\n");
    }
    o.push_str(&format!("<footer>{}</footer>\n</body>\n</html>\n", h("画像分類ラボで作成", "Made with ImageLab (画像分類ラボ)")));
    o
}

const STYLE: &str = "body{font-family:system-ui,'Hiragino Sans','Noto Sans CJK JP',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}.meta,.note{color:#57606a}.big{font-size:1.2rem}\
table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:right}\
.settings th,.settings td{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts svg{max-width:100%;height:auto}\
.charts figure{margin:0;flex:1 1 24rem}\
.charts svg .grid line{stroke:#e6e9f0}.charts svg text{font-size:9px;fill:#57606a}.charts svg path{fill:none;stroke-width:2}\
.charts svg path.train{stroke:#e07b1a}.charts svg path.val{stroke:#1e78c8;stroke-dasharray:5 3}.examples{display:flex;flex-wrap:wrap;gap:.75rem}.examples figure{margin:0;text-align:center;font-size:.8rem}\
.examples img{width:84px;height:84px;image-rendering:pixelated;border:1px solid #d0d7de}.link{overflow-wrap:anywhere}\
footer{margin-top:3rem;color:#57606a;font-size:.8rem}@media print{body{margin:0}}";

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let mut cm = ConfusionMatrix::new(2);
        cm.add(0, 0);
        cm.add(0, 1);
        cm.add(1, 1);
        Report {
            lang: Lang::Ja,
            title: "実験 <1>".into(),
            created: "2026/11/28".into(),
            data: "硬貨 & お札".into(),
            settings: vec![("学習率".into(), "0.003".into()), ("<script>".into(), "\"x\"".into())],
            accuracy: Some((0.95, 0.875)),
            charts: vec![
                "<svg viewBox=\"0 0 10 10\"><path d=\"M0 0L10 10\"/></svg>".into(),
                "<svg onload=\"alert(1)\"></svg>".into(),
                "<svg/onload =alert(1)></svg>".into(),
                "<svg><script>alert(1)</script></svg>".into(),
            ],
            curve_sample: None,
            classes: vec!["10円".into(), "<b>100円</b>".into()],
            confusion: Some(cm),
            roc: None,
            examples: vec![
                Example {
                    png_data_url: "data:image/png;base64,iVBORw0KGgo=".into(),
                    truth: "10円".into(),
                    predicted: "100円".into(),
                    confidence: 0.9,
                },
                Example {
                    png_data_url: "data:image/png;base64,AAA\" onerror=\"alert(1)".into(),
                    truth: "a".into(),
                    predicted: "b".into(),
                    confidence: 0.5,
                },
                Example { png_data_url: "https://example.com/x.png".into(), truth: "a".into(), predicted: "b".into(), confidence: 0.5 },
            ],
            link: Some("https://example.org/imagelab/#/train?e=1.abc\"><script>".into()),
        }
    }

    #[test]
    fn a_finished_runs_report_has_its_fold_means_confusion_roc_and_surest_mistakes() {
        use crate::session::protocol::{FoldResult, FromWorker};
        let p = |index, truth, predicted, confidence, fold| Prediction { index, truth, predicted, confidence, fold };
        let predictions = vec![p(0, 0, 0, 0.9, 0), p(1, 1, 0, 0.6, 0), p(2, 1, 1, 0.8, 1), p(3, 0, 1, 0.95, 1), p(4, 1, 0, 0.7, 1)];
        let mut cm = ConfusionMatrix::new(2);
        for q in &predictions {
            cm.add(q.truth, q.predicted);
        }
        let mut run = RunState::starting();
        run.apply(FromWorker::FoldDone(FoldResult { fold: 0, train_accuracy: 1.0, val_accuracy: 0.5, val_loss: 0.5 }));
        run.apply(FromWorker::FoldDone(FoldResult { fold: 1, train_accuracy: 0.8, val_accuracy: 0.25, val_loss: 0.5 }));
        let classes = vec!["表".to_owned(), "裏".to_owned()];
        // Not finished: no ROC yet.
        assert_eq!(Report::from_run(Lang::Ja, &run, classes.clone(), |_| None).roc, None);
        run.apply(FromWorker::Finished { stopped: false, confusion: Some(cm.clone()), predictions, elapsed_ms: 1.0 });
        // The image of prediction 1 cannot be drawn: left out.
        let r = Report::from_run(Lang::En, &run, classes.clone(), |q| (q.index != 1).then(|| format!("data:image/png;base64,{}", q.index)));
        let (train, val) = r.accuracy.unwrap();
        assert!((train - 0.9).abs() < 1e-12 && (val - 0.375).abs() < 1e-12, "{:?}", r.accuracy);
        assert_eq!(r.confusion, Some(cm));
        assert_eq!(r.roc.as_ref().map(|roc| roc.folds.len()), Some(2));
        let shown: Vec<(&str, &str, &str)> =
            r.examples.iter().map(|e| (e.png_data_url.as_str(), e.truth.as_str(), e.predicted.as_str())).collect();
        assert_eq!(shown, vec![("data:image/png;base64,3", "表", "裏"), ("data:image/png;base64,4", "裏", "表")]);
        assert_eq!((r.lang, r.classes), (Lang::En, classes));
    }

    #[test]
    fn reports_hold_everything_escaped_and_no_script() {
        let page = html(&report());
        assert!(page.starts_with("<!doctype html>"));
        assert!(page.contains("<title>実験 &lt;1&gt;</title>"));
        assert!(page.contains("硬貨 &amp; お札"));
        assert!(page.contains("&lt;script&gt;") && page.contains("&quot;x&quot;"));
        assert!(page.contains("&lt;b&gt;100円&lt;/b&gt;"));
        assert!(!page.to_ascii_lowercase().contains("<script"), "{page}");
        assert!(!page.contains("onload=") && !page.contains("onerror="));
        assert!(!page.contains("example.com"), "only data: images");
        assert_eq!(page.matches("<svg").count(), 1, "only the plain chart");
        assert_eq!(page.matches("<img ").count(), 1);
        assert!(page.contains("data-value=\"0.8750\""));
        assert!(page.contains("87.5%") && page.contains("95.0%"));
        // Precision of class 0: 1/1; recall of class 0: 1/2.
        assert!(page.contains("<th scope=\"row\">10円</th><td>100.0%</td><td>50.0%</td>"), "{page}");
        assert!(page.contains("default-src 'none'"));
        assert!(page.contains("この実験を開くリンク"));
        assert!(page.contains("path.val{stroke:#1e78c8"), "the curves keep their colours");
        // The legend names the line styles, not colours a compared run does not have.
        assert!(page.contains("実線: 学習データ、破線: 検証データ") && !page.contains("橙"), "legend");
        assert!(!page.contains("枚で測っています"), "no sample, no note");
    }

    /// A fine-tuning run whose points on the way were on a sample: its report says so under the
    /// curves, in its language.
    #[test]
    fn a_report_says_when_its_curves_were_measured_on_a_sample() {
        use crate::session::protocol::{CurvePoint, FromWorker};
        let point = |step, val_sample| CurvePoint {
            epoch: step as f64,
            step,
            train_loss: 1.0,
            train_accuracy: 0.5,
            val_loss: 1.0,
            val_accuracy: 0.5,
            val_sample,
        };
        let mut run = RunState::starting();
        run.apply(FromWorker::Point(point(1, None)));
        assert_eq!(Report::from_run(Lang::En, &run, Vec::new(), |_| None).curve_sample, None);
        run.apply(FromWorker::Point(point(2, Some(500))));
        run.apply(FromWorker::Point(point(3, None)));
        let r = Report { charts: report().charts, ..Report::from_run(Lang::En, &run, Vec::new(), |_| None) };
        assert_eq!(r.curve_sample, Some(500));
        assert!(html(&r).contains(
            "<p class=\"note\">While fine-tuning, the validation points on the way are measured on a sample of 500 validation images"
        ));
    }

    #[test]
    fn chart_text_with_on_words_is_kept() {
        assert!(is_plain_svg("<svg viewBox=\"0 0 1 1\"><desc>one epoch on the digits</desc></svg>"));
        assert!(!is_plain_svg("<svg><g onclick = \"x()\"></g></svg>"));
    }

    #[test]
    fn two_class_reports_show_the_roc_and_auc() {
        use crate::nn::metrics::Prediction;
        let p = |truth, predicted, confidence, fold| Prediction { index: 0, truth, predicted, confidence, fold };
        // Fold 1: positives score 0.9, 0.6 and negatives 0.2, 0.7 (class 1 at 0.7): 3 of 4 pairs
        // ranked right, AUC 0.75.
        // Fold 2: perfectly separated → 1.
        let predictions = [p(1, 1, 0.9, 0), p(1, 1, 0.6, 0), p(0, 0, 0.8, 0), p(0, 1, 0.7, 0), p(1, 1, 0.9, 1), p(0, 0, 0.9, 1)];
        let roc = crate::nn::roc::RocSummary::from_predictions(&predictions, 2);
        let page = html(&Report { roc: roc.clone(), ..report() });
        assert!(page.contains("ROC曲線と AUC"), "{page}");
        assert!(page.contains("id=\"report-auc\" data-value=\"0.8750\">0.875 ± 0.125</b>"), "{page}");
        assert!(page.contains("<td>0.750</td>") && page.contains("<td>1.000</td>"));
        assert!(page.contains("id=\"report-roc\"") && page.contains("class=\"chance\""));
        assert_eq!(page.matches("class=\"roc-curve\"").count(), 2);
        assert!(!page.to_ascii_lowercase().contains("<script"));
        // Hold-out: one AUC, no fold table.
        let holdout: Vec<Prediction> = predictions[..4].to_vec();
        let page = html(&Report { lang: Lang::En, roc: crate::nn::roc::RocSummary::from_predictions(&holdout, 2), ..report() });
        assert!(page.contains("ROC curve and AUC") && page.contains("data-value=\"0.7500\">0.750</b>"), "{page}");
        assert!(!page.contains("report-fold-auc"));
        // No ROC: no section.
        assert!(!html(&report()).contains("AUC"));
    }

    #[test]
    fn english_headings() {
        let page = html(&Report { lang: Lang::En, ..report() });
        assert!(page.contains("<html lang=\"en\">") && page.contains("Confusion matrix"));
    }
}
