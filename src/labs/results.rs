//! What the training lab shows after a run: each fold's accuracies, the confusion matrix and a
//! cell's images, precision and recall per class, the ROC curve of two-class data, the surest
//! mistakes and the inside of the network for one validation image.

use crate::assets::DataState;
use crate::canvas::{PixelCanvas, Rgba};
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::images::filter::Plane;
use imagelab_core::session::run_state::{Phase, RunState};
use std::rc::Rc;
use yew::prelude::*;

/// Each fold's building and validation accuracy, with mean ± sd (hold-out: the one run).
pub fn fold_table(l: Lang, s: &RunState) -> Html {
    let t = |x: T| x.get(l);
    if s.folds.is_empty() {
        return html! {};
    }
    let pct = crate::labs::pct;
    html! {
        <figure class="folds">
            <figcaption>{ if s.fold.1 > 1 { t(text::FOLDS_CAPTION) } else { t(text::HOLDOUT_CAPTION) } }</figcaption>
            <table id="fold-table" class="runs">
                <thead><tr>
                    <th scope="col">{ t(text::FOLD) }</th>
                    <th scope="col">{ t(text::BUILD_ACC) }</th>
                    <th scope="col">{ t(text::VAL_ACC) }</th>
                </tr></thead>
                <tbody>
                { for s.folds.iter().map(|f| html! {
                    <tr>
                        <th scope="row">{ f.fold + 1 }</th>
                        <td>{ pct(f.train_accuracy) }</td>
                        <td>{ pct(f.val_accuracy) }</td>
                    </tr>
                }) }
                </tbody>
                if let (true, Some(((tm, tsd), (vm, vsd)))) = (s.folds.len() > 1, s.fold_summary()) {
                    <tfoot><tr id="fold-mean" data-val-mean={format!("{vm:.4}")} data-val-sd={format!("{vsd:.4}")}>
                        <th scope="row">{ t(text::MEAN_SD) }</th>
                        <td>{ format!("{:.1} ± {:.1}%", tm * 100.0, tsd * 100.0) }</td>
                        <td>{ format!("{:.1} ± {:.1}%", vm * 100.0, vsd * 100.0) }</td>
                    </tr></tfoot>
                }
            </table>
        </figure>
    }
}

/// 適合率 and 再現率 of every class, from the confusion matrix.
pub fn class_table(l: Lang, s: &RunState, names: &[String]) -> Html {
    let t = |x: T| x.get(l);
    let Some(cm) = &s.confusion else { return html! {} };
    let pct = crate::labs::pct_or_dash;
    html! {
        <figure class="per-class">
            <figcaption>{ t(text::PER_CLASS) }</figcaption>
            <table id="class-table" class="runs">
                <thead><tr>
                    <th scope="col">{ t(text::CLASS) }</th>
                    <th scope="col">{ t(text::PRECISION) }</th>
                    <th scope="col">{ t(text::RECALL) }</th>
                </tr></thead>
                <tbody>
                { for (0..cm.num_classes).map(|c| html! {
                    <tr>
                        <th scope="row">{ class_name(names, c) }</th>
                        <td>{ pct(cm.precision(c)) }</td>
                        <td>{ pct(cm.recall(c)) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        </figure>
    }
}

/// Two-class data, after a run: the validation part's ROC curve and AUC (K-fold: every fold's
/// curve and AUC, and their mean ± sd).
pub fn roc_view(l: Lang, s: &RunState, names: &[String]) -> Html {
    let t = |x: T| x.get(l);
    let Some(roc) = s.roc() else { return html! {} };
    let multi = roc.folds.len() > 1;
    let auc = match roc.mean_sd() {
        Some((mean, sd)) => html! {
            <p id="auc" class="auc" data-value={format!("{mean:.4}")} data-sd={format!("{sd:.4}")} data-folds={roc.folds.len().to_string()}>
                { "AUC = " }<b>{ if multi { format!("{mean:.3} ± {sd:.3}") } else { format!("{mean:.3}") } }</b>
                if multi { { format!(" ({})", t(text::ROC_MEAN_OF_FOLDS)) } }
            </p>
        },
        None => html! { <p id="auc" class="auc" data-value="">{ format!("AUC = — ({})", t(text::ROC_ONE_CLASS)) }</p> },
    };
    let chart = imagelab_core::nn::roc::svg(&roc, l, "roc-chart");
    html! {
        <figure class="roc-figure" aria-labelledby="roc-heading">
            <figcaption id="roc-heading">{ t(text::ROC_HEADING) }</figcaption>
            { auc }
            { Html::from_html_unchecked(AttrValue::from(chart)) }
            if multi {
                <table id="fold-auc" class="runs">
                    <caption>{ t(text::ROC_FOLD_AUC) }</caption>
                    <thead><tr>
                        <th scope="col">{ t(text::FOLD) }</th>
                        <th scope="col">{ "AUC" }</th>
                    </tr></thead>
                    <tbody>
                    { for roc.folds.iter().map(|f| html! {
                        <tr data-fold={f.fold.to_string()} data-auc={f.auc.map(|a| format!("{a:.4}")).unwrap_or_default()}>
                            <th scope="row"><span class="key" style={format!("--key: {}", imagelab_core::nn::roc::fold_colour(f.fold))}>{ f.fold + 1 }</span></th>
                            <td>{ f.auc.map_or("—".to_owned(), |a| format!("{a:.3}")) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                if roc.folds.iter().any(|f| f.auc.is_none()) {
                    <p class="note">{ t(text::ROC_ONE_CLASS) }</p>
                }
            }
            <p class="note">{ format!("{}: {}. {}", t(text::ROC_POSITIVE), class_name(names, 1), t(text::ROC_NOTE)) }</p>
        </figure>
    }
}

/// The name of class `c` (its number where the data has no name for it).
pub fn class_name(names: &[String], c: usize) -> String {
    names.get(c).cloned().unwrap_or_else(|| c.to_string())
}

/// 混同行列: rows the truth, columns the prediction; a cell can be chosen to show its images.
pub fn confusion_table(
    l: Lang,
    s: &RunState,
    names: &[String],
    selected: Option<(usize, usize)>,
    on_cell: Callback<(usize, usize)>,
) -> Html {
    let Some(cm) = &s.confusion else { return html! {} };
    let t = |x: T| x.get(l);
    let n = cm.num_classes;
    let max = cm.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    html! {
        <figure class="confusion">
            <figcaption>{ t(text::CONFUSION) }{ t(text::CONFUSION_CLICK) }</figcaption>
            <table>
                <thead><tr><th scope="col"></th>{ for (0..n).map(|p| html!{ <th scope="col">{ class_name(names, p) }</th> }) }</tr></thead>
                <tbody>
                { for (0..n).map(|truth| html! {
                    <tr>
                        <th scope="row">{ class_name(names, truth) }</th>
                        { for (0..n).map(|pred| {
                            let v = cm.get(truth, pred);
                            let alpha = v as f64 / max;
                            let style = if truth == pred {
                                let ink = if alpha > 0.5 { "#fff" } else { "inherit" };
                                format!("background: rgba(30, 120, 200, {alpha:.2}); color: {ink}")
                            } else {
                                format!("background: rgba(220, 60, 60, {:.2})", (alpha * 3.0).min(1.0))
                            };
                            let onclick = { let on = on_cell.clone(); Callback::from(move |_: MouseEvent| on.emit((truth, pred))) };
                            let pressed = selected == Some((truth, pred));
                            html! {
                                <td {style}>
                                    <button class="cell" {onclick} aria-pressed={pressed.to_string()}
                                            aria-label={format!("{} {} / {} {}: {v}", t(text::TRUTH), class_name(names, truth), t(text::PREDICTED), class_name(names, pred))}>{ v }</button>
                                </td>
                            }
                        }) }
                    </tr>
                }) }
                </tbody>
            </table>
        </figure>
    }
}

/// A feature map or filter scaled to 0–255 for a canvas.
fn normalised(p: &Plane) -> Rgba {
    let (lo, hi) = p.data.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let span = (hi - lo).max(1e-12);
    let gray = Plane::new(p.width, p.height, p.data.iter().map(|v| (v - lo) / span * 255.0).collect());
    Rgba::from_plane(&gray, false)
}

/// The inside of the network for one validation image: class probabilities, the first layer's
/// filters and every convolution's feature maps.
pub fn inspection_view(l: Lang, s: &RunState, data: &DataState, on_prev: Callback<MouseEvent>, on_next: Callback<MouseEvent>) -> Html {
    let t = |x: T| x.get(l);
    let (Some(ins), DataState::Ready(d)) = (&s.inspection, data) else { return html! {} };
    if !matches!(s.phase, Phase::Finished { .. }) {
        return html! {};
    }
    let truth = d.labels.get(ins.index).copied().unwrap_or(0);
    let best = imagelab_core::nn::metrics::argmax(&ins.probabilities);
    let filters: Vec<Rgba> = if ins.filter_channels == 3 {
        ins.filters
            .chunks_exact(3)
            .map(|rgb| {
                let all: Vec<f32> = rgb.iter().flat_map(|p| p.data.iter().copied()).collect();
                let (lo, hi) = all.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
                let span = (hi - lo).max(1e-12);
                let scaled = [0, 1, 2]
                    .map(|c| Plane::new(rgb[c].width, rgb[c].height, rgb[c].data.iter().map(|v| (v - lo) / span * 255.0).collect()));
                Rgba::from_planes(&scaled, false)
            })
            .collect()
    } else {
        ins.filters.iter().map(normalised).collect()
    };
    html! {
        <section class="inspect" id="inspect" aria-labelledby="inspect-heading" data-index={ins.index.to_string()}>
            <h3 id="inspect-heading">{ t(text::INSPECT_HEADING) }</h3>
            <div class="actions">
                <button id="inspect-prev" onclick={on_prev}>{ t(text::INSPECT_PREV) }</button>
                <button id="inspect-next" onclick={on_next}>{ t(text::INSPECT_NEXT) }</button>
            </div>
            <div class="inspect-top">
                <figure class="inspect-image">
                    <PixelCanvas pixels={thumb(d, ins.index)} label={format!("#{} {} {truth}", ins.index, t(text::TRUTH))} />
                    <figcaption>{ format!("#{} · {} {} · {} {}", ins.index, t(text::TRUTH), class_name(&d.class_names, truth), t(text::PREDICTED), class_name(&d.class_names, best)) }</figcaption>
                </figure>
                <ol class="probabilities" id="probabilities" aria-label={t(text::PROBABILITIES)}>
                    { for ins.probabilities.iter().enumerate().map(|(c, p)| html! {
                        <li class={classes!((c == best).then_some("best"))}>
                            <span class="class">{ d.class_names.get(c).cloned().unwrap_or_else(|| c.to_string()) }</span>
                            <span class="bar" style={format!("width: {:.1}%", p * 100.0)}></span>
                            <span class="value">{ format!("{:.1}%", p * 100.0) }</span>
                        </li>
                    }) }
                </ol>
            </div>
            if !filters.is_empty() {
                <figure class="maps" id="filters">
                    <figcaption>{ t(text::INSPECT_FILTERS) }</figcaption>
                    <div class="map-grid filters">
                        { for filters.into_iter().enumerate().map(|(k, px)| html! {
                            <PixelCanvas pixels={px} label={format!("{} {}", t(text::FILTER), k + 1)} />
                        }) }
                    </div>
                </figure>
            }
            { for ins.layers.iter().map(|layer| html! {
                <figure class="maps feature-maps">
                    <figcaption>{ format!("{} {} {}", t(text::LAYER), layer.layer + 1, t(text::INSPECT_MAPS)) }</figcaption>
                    <div class="map-grid">
                        { for layer.maps.iter().enumerate().map(|(k, m)| html! {
                            <PixelCanvas pixels={normalised(m)} label={format!("{} {} {} {}", t(text::LAYER), layer.layer + 1, t(text::FILTER), k + 1)} />
                        }) }
                    </div>
                </figure>
            }) }
            if ins.layers.is_empty() {
                <p class="note">{ t(text::INSPECT_NO_CONV) }</p>
            }
        </section>
    }
}

/// A digit (or any dataset image) as canvas pixels.
pub fn thumb(d: &Dataset, i: usize) -> Rgba {
    if i >= d.len() {
        return Rgba { width: 1, height: 1, data: Rc::new(vec![0, 0, 0, 0]) };
    }
    let img = imagelab_core::data::augment::Image::from_hwc(d.width, d.height, d.channels, d.image(i));
    Rgba { width: d.width as u32, height: d.height as u32, data: Rc::new(img.to_rgba()) }
}

/// The images of one confusion-matrix cell.
pub fn cell_images(l: Lang, s: &RunState, data: &DataState, cell: Option<(usize, usize)>) -> Html {
    let t = |x: T| x.get(l);
    let (Some((truth, pred)), DataState::Ready(d)) = (cell, data) else { return html! {} };
    const SHOWN: usize = 60;
    let hits: Vec<_> = s.predictions.iter().filter(|p| p.truth == truth && p.predicted == pred).collect();
    html! {
        <figure class="thumbs" id="cell-images" data-count={hits.len().to_string()}>
            <figcaption>{ format!("{} {} → {} {}: {} {}", t(text::TRUTH), class_name(&d.class_names, truth), t(text::PREDICTED), class_name(&d.class_names, pred), hits.len(), t(text::IMAGES)) }
                { if hits.len() > SHOWN { format!("（{} {SHOWN} {}）", t(text::FIRST), t(text::IMAGES)) } else { String::new() } }
            </figcaption>
            <div class="thumb-grid">
                { for hits.iter().take(SHOWN).map(|p| html! {
                    <PixelCanvas pixels={thumb(d, p.index)}
                                 label={format!("#{} {} {truth} / {} {pred} ({:.0}%)", p.index, t(text::TRUTH), t(text::PREDICTED), p.confidence * 100.0)} />
                }) }
            </div>
        </figure>
    }
}

/// The wrong answers the model was surest of.
pub fn mistakes(l: Lang, s: &RunState, data: &DataState, on_pick: Callback<usize>) -> Html {
    let t = |x: T| x.get(l);
    let DataState::Ready(d) = data else { return html! {} };
    let worst = imagelab_core::nn::metrics::most_confident_mistakes(&s.predictions, 12);
    if worst.is_empty() {
        return html! {};
    }
    html! {
        <figure class="thumbs" id="mistakes">
            <figcaption>{ t(text::MISTAKES) }</figcaption>
            <div class="thumb-grid captioned">
                { for worst.iter().map(|p| {
                    let caption = format!("{} {} → {} {} ({:.0}%)", t(text::TRUTH), class_name(&d.class_names, p.truth), t(text::PREDICTED), class_name(&d.class_names, p.predicted), p.confidence * 100.0);
                    let onclick = { let (on, i) = (on_pick.clone(), p.index); Callback::from(move |_: MouseEvent| on.emit(i)) };
                    html! {
                        <figure>
                            <button class="thumb-button" {onclick} aria-label={format!("{}: {caption}", t(text::INSPECT_THIS))}>
                                <PixelCanvas pixels={thumb(d, p.index)} label={caption.clone()} />
                            </button>
                            <figcaption>{ caption }</figcaption>
                        </figure>
                    }
                }) }
            </div>
        </figure>
    }
}
