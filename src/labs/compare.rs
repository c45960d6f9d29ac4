//! 比較 — classical machine learning beside the neural network: pick features (and see them),
//! pick a model and its hyperparameters, fit on the training lab's split, and collect every fit in
//! one table; sweep a decision tree's depth for the model-complexity chart (overfitting made
//! visible); read the top of the tree. The work runs in a worker of its own (the same bundle as
//! the training worker), so training and comparing can go on side by side.

use crate::assets::DataState;
use crate::bridge::{WorkerEvent, WorkerHandle};
use crate::canvas::{PixelCanvas, Rgba};
use crate::labs::{NnResult, pct};
use crate::store::Store;
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::classical::{FeatureKind, Outcome, SweepPoint, TreeNodeView, best};
use imagelab_core::nn::experiment::{TrainConfig, Validation};
use imagelab_core::session::comparison::{Comparison, ComparisonAction, FeatureChoice, ModelChoice, Param, Row, Sweep};
use imagelab_core::session::protocol::{ClassicalResult, ToWorker};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The data (the built-in digits or the data lab's dataset).
    pub data: DataState,
    /// The training lab's finished runs, shown in the same table.
    #[prop_or_default]
    pub nn: Vec<NnResult>,
    pub data_name: String,
    /// The training lab's settings: the split is the same.
    pub config: TrainConfig,
}

type ComparisonHandle = UseReducerHandle<Store<Comparison>>;

/// The comparison worker (the training worker's bundle, a second instance): sends a request,
/// starting a worker on first use or after one failed; its answers go to the lab's reducer.
#[hook]
fn use_classical(state: &ComparisonHandle, props: &Props) -> Rc<dyn Fn(bool)> {
    let worker = use_mut_ref(|| None::<WorkerHandle>);
    let (state, worker) = (state.clone(), worker.clone());
    let (data, config, data_name) = (props.data.clone(), props.config.clone(), props.data_name.clone());
    Rc::new(move |sweep: bool| {
        let DataState::Ready(d) = &data else { return };
        let (feature, task) = match state.request(sweep) {
            Ok(request) => request,
            Err(why) => return state.dispatch(ComparisonAction::Refused(why)),
        };
        if state.worker_failed {
            *worker.borrow_mut() = None; // terminates the crashed worker
        }
        if worker.borrow().is_none() {
            let dispatch = state.dispatcher();
            let on_event = move |ev: WorkerEvent| {
                dispatch.dispatch(match ev {
                    WorkerEvent::Message(msg) => ComparisonAction::Answer(Box::new(msg)),
                    WorkerEvent::Crashed(why) => ComparisonAction::Crashed(text::WORKER_FAILED.because(&why)),
                })
            };
            match WorkerHandle::spawn(on_event) {
                Ok(h) => *worker.borrow_mut() = Some(h),
                Err(e) => return state.dispatch(ComparisonAction::Refused(text::WORKER_UNSUPPORTED.because(&e))),
            }
        }
        // The dataset's first image is the one whose features are shown.
        let msg = ToWorker::Classical { dataset: (**d).clone(), config: config.clone(), feature, task, sample: 0 };
        let sent = worker.borrow().as_ref().map(|w| w.send(&msg));
        match sent {
            Some(Err(e)) => {
                state.dispatch(ComparisonAction::Refused(text::WORKER_FAILED.because(&e)));
                *worker.borrow_mut() = None;
            }
            _ => state.dispatch(ComparisonAction::Sent { data: data_name.clone(), validation: config.validation }),
        }
    })
}

/// The features' and the model's settings: two selects and the fields the choices have.
fn settings_form(l: Lang, state: &ComparisonHandle) -> Html {
    let t = |s: T| s.get(l);
    let form = &state.form;
    let select = |id: &'static str, label: T, options: Vec<(&'static str, String, bool)>, action: fn(&str) -> ComparisonAction| {
        let dispatch = state.dispatcher();
        let onchange = Callback::from(move |e: Event| dispatch.dispatch(action(&e.target_unchecked_into::<HtmlSelectElement>().value())));
        html! {
            <div class="field">
                <label for={id}>{ t(label) }</label>
                <select {id} {onchange}>
                    { for options.into_iter().map(|(value, name, selected)| html! { <option {value} {selected}>{ name }</option> }) }
                </select>
            </div>
        }
    };
    let num = |id: &'static str, label: T, param: Param| {
        let dispatch = state.dispatcher();
        let onchange = Callback::from(move |e: Event| {
            dispatch.dispatch(ComparisonAction::Set(param, e.target_unchecked_into::<HtmlInputElement>().value()))
        });
        let step = if param == Param::C { "any" } else { "1" };
        html! {
            <div class="field">
                <label for={id}>{ label.get(l) }</label>
                <input {id} type="number" inputmode="decimal" {step} min="0" value={form.value(param)} {onchange} />
            </div>
        }
    };
    let feature_name = |f: FeatureChoice| match f {
        FeatureChoice::Pixels => t(text::CMP_F_PIXELS).to_owned(),
        FeatureChoice::ColorHistogram => t(text::CMP_F_HIST).to_owned(),
        FeatureChoice::Hog => "HOG".to_owned(),
        FeatureChoice::EdgeHistogram => t(text::CMP_F_EDGE).to_owned(),
    };
    let model_name = |m: ModelChoice| match m {
        ModelChoice::Tree => t(text::CMP_M_TREE),
        ModelChoice::Forest => t(text::CMP_M_FOREST),
        ModelChoice::Knn => t(text::CMP_M_KNN),
        ModelChoice::Logistic => t(text::CMP_M_LOGISTIC),
    };
    let features = FeatureChoice::ALL.map(|f| (f.slug(), feature_name(f), form.feature == f)).to_vec();
    let models = ModelChoice::ALL.map(|m| (m.slug(), model_name(m).to_owned(), form.model == m)).to_vec();
    html! {
        <div class="settings">
            { select("cmp-feature", text::CMP_FEATURE, features, |v| ComparisonAction::Feature(FeatureChoice::from_slug(v))) }
            { match form.feature {
                FeatureChoice::Pixels => num("cmp-size", text::CMP_SIZE, Param::Size),
                FeatureChoice::ColorHistogram | FeatureChoice::EdgeHistogram => num("cmp-bins", text::CMP_BINS, Param::Bins),
                FeatureChoice::Hog => num("cmp-cell", text::CMP_CELL, Param::Cell),
            } }
            { select("cmp-model", text::CMP_MODEL, models, |v| ComparisonAction::Model(ModelChoice::from_slug(v))) }
            { match form.model {
                ModelChoice::Tree => html! { <>
                    { num("cmp-depth", text::CMP_DEPTH, Param::MaxDepth) }
                    { num("cmp-leaf", text::CMP_LEAF, Param::MinLeaf) }
                </> },
                ModelChoice::Forest => html! { <>
                    { num("cmp-trees", text::CMP_TREES, Param::Trees) }
                    { num("cmp-depth", text::CMP_DEPTH, Param::MaxDepth) }
                </> },
                ModelChoice::Knn => num("cmp-k", text::CMP_K, Param::K),
                ModelChoice::Logistic => num("cmp-c", text::CMP_C, Param::C),
            } }
        </div>
    }
}

#[function_component(CompareLab)]
pub fn compare_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    // `_eq`: a field's text that is not a number changes nothing, so the field keeps it.
    let state = use_reducer_eq(Store::<Comparison>::default);
    let send = use_classical(&state, props);
    let on_fit = {
        let send = send.clone();
        Callback::from(move |_: MouseEvent| send(false))
    };
    let on_sweep = Callback::from(move |_: MouseEvent| send(true));
    let on_clear = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(ComparisonAction::Clear))
    };

    let s = &**state;
    let ready = matches!(props.data, DataState::Ready(_));
    let dims = match &props.data {
        DataState::Ready(d) => Some((d.width, d.height, d.channels, d.class_names.clone())),
        _ => None,
    };

    html! {
        <section class="lab compare" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{ t(text::CMP_HEADING) }</h2>
            <p class="intro">{ t(text::CMP_INTRO) }</p>
            <p class="note" id="compare-data">{ format!("{}: {} — {}", t(text::DS_DATA_NAME), props.data_name, split_text(l, &props.config)) }</p>
            { settings_form(l, &state) }
            <div class="actions">
                <button id="cmp-fit" class="primary" onclick={on_fit} disabled={!ready || s.busy}>{ t(text::CMP_FIT) }</button>
                <button id="cmp-sweep" onclick={on_sweep} disabled={!ready || s.busy}>{ t(text::CMP_SWEEP) }</button>
                if !s.rows.is_empty() || !s.sweeps.is_empty() { <button onclick={on_clear} disabled={s.busy}>{ t(text::CMP_CLEAR) }</button> }
            </div>
            if s.busy { <p id="cmp-busy" role="status">{ t(text::CMP_BUSY) }</p> }
            if let Some(m) = &s.message { <p id="cmp-message" class="error" role="alert">{ m.get(l).to_owned() }</p> }

            { results_table(l, &s.rows, &props.nn, matches!(&props.data, DataState::Ready(d) if d.num_classes() == 2)) }
            if let (Some(r), Some((w, h, ch, _))) = (&s.last, &dims) { { feature_view(l, r, *w, *h, *ch) } }
            { complexity_chart(l, &s.sweeps) }
            if let (Some(r), Some((w, h, ch, names))) = (&s.last, &dims) {
                if let Some(o) = &r.outcome { { tree_view(l, r.feature, o, *w, *h, *ch, names) } }
            }
        </section>
    }
}

fn split_text(l: Lang, config: &TrainConfig) -> String {
    match config.validation {
        Validation::Holdout => format!(
            "{} {:.0}:{:.0}, seed {}",
            text::VALIDATION_HOLDOUT.get(l),
            (1.0 - config.validation_fraction) * 100.0,
            config.validation_fraction * 100.0,
            config.seed
        ),
        Validation::KFold { k } => format!("{} K = {k}, seed {}", text::VALIDATION_KFOLD.get(l), config.seed),
    }
}

/// The comparison table; with two-class data (`two_class`, or any row that has one) an AUC column.
fn results_table(l: Lang, rows: &[Row], nn: &[NnResult], two_class: bool) -> Html {
    if rows.is_empty() && nn.is_empty() {
        return html! {};
    }
    let t = |s: T| s.get(l);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let best_val = rows.iter().map(|r| r.outcome.val_accuracy).chain(nn.iter().map(|n| mean(&n.fold_val))).fold(0.0, f64::max);
    let val_text = |fold_val: &[f64]| match imagelab_core::nn::metrics::mean_sd(fold_val) {
        Some((m, sd)) if fold_val.len() > 1 => format!("{} ± {:.1}", pct(m), sd * 100.0),
        _ => pct(mean(fold_val)),
    };
    // AUC: the folds' mean (± sd with K-fold); "—" where there is none.
    let row_auc = |r: &Row| -> Vec<f64> { r.outcome.fold_auc.iter().flatten().copied().collect() };
    let show_auc = two_class || nn.iter().any(|n| !n.fold_auc.is_empty()) || rows.iter().any(|r| !row_auc(r).is_empty());
    let auc_cell = |aucs: &[f64]| match imagelab_core::nn::metrics::mean_sd(aucs) {
        Some((m, sd)) if aucs.len() > 1 => (format!("{m:.3} ± {sd:.3}"), format!("{m:.4}")),
        Some((m, _)) => (format!("{m:.3}"), format!("{m:.4}")),
        None => ("—".to_owned(), String::new()),
    };
    html! {
        // Wider than a phone: it scrolls inside its own box.
        <div class="table-scroll">
        <table id="cmp-table" class="runs">
            <caption>{ t(text::CMP_TABLE) }</caption>
            <thead><tr>
                <th scope="col">{ t(text::CMP_MODEL) }</th>
                <th scope="col">{ t(text::CMP_FEATURE) }</th>
                <th scope="col">{ t(text::DS_DATA_NAME) }</th>
                <th scope="col">{ t(text::CMP_TRAIN_ACC) }</th>
                <th scope="col">{ t(text::CMP_VAL_ACC) }</th>
                if show_auc {
                    <th scope="col" class="auc-col">{ t(text::CMP_AUC) }</th>
                }
                <th scope="col">{ t(text::CMP_TIME) }</th>
            </tr></thead>
            <tbody>
            { for nn.iter().map(|n| {
                let val = mean(&n.fold_val);
                let (auc, auc_value) = auc_cell(&n.fold_auc);
                html! {
                    <tr class={classes!("nn-row", (val == best_val).then_some("best"))}
                        data-val={format!("{val:.4}")} data-train={format!("{:.4}", n.train_accuracy)} data-auc={auc_value}>
                        <td>{ format!("{}: {}", t(text::CMP_NN), n.model.get(l)) }</td>
                        <td>{ format!("{} {}", t(text::CMP_IMAGE_ITSELF), n.input) }</td>
                        <td>{ n.data.clone() }</td>
                        <td>{ pct(n.train_accuracy) }</td>
                        <td>{ val_text(&n.fold_val) }</td>
                        if show_auc {
                            <td class="auc-col">{ auc }</td>
                        }
                        <td>{ format!("{:.0} ms", n.ms) }</td>
                    </tr>
                }
            }) }
            { for rows.iter().map(|r| {
                let o = &r.outcome;
                let val = if r.kfold.is_some() { val_text(&o.fold_val) } else { pct(o.val_accuracy) };
                let (auc, auc_value) = auc_cell(&row_auc(r));
                html! {
                    <tr class={classes!("cmp-row", (o.val_accuracy == best_val).then_some("best"))}
                        data-val={format!("{:.4}", o.val_accuracy)} data-train={format!("{:.4}", o.train_accuracy)} data-auc={auc_value}>
                        <td>{ r.model.get(l).to_owned() }</td>
                        <td>{ r.feature.get(l).to_owned() }</td>
                        <td>{ r.data.clone() }</td>
                        <td>{ pct(o.train_accuracy) }</td>
                        <td>{ val }</td>
                        if show_auc {
                            <td class="auc-col">{ auc }</td>
                        }
                        <td>{ format!("{:.0} ms", o.fit_ms + r.features_ms) }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
        </div>
    }
}

/// The sample image's feature vector: a picture for pixels, bars for the rest.
fn feature_view(l: Lang, r: &ClassicalResult, _w: usize, _h: usize, ch: usize) -> Html {
    let t = |s: T| s.get(l);
    let v = &r.sample_features;
    if v.is_empty() {
        return html! {};
    }
    let picture = match r.feature {
        FeatureKind::Pixels { size } if v.len() == size * size * ch => {
            let data: Vec<u8> = (0..size * size)
                .flat_map(|p| {
                    let px = |c: usize| (v[p * ch + c.min(ch - 1)] * 255.0).round().clamp(0.0, 255.0) as u8;
                    [px(0), px(1), px(2), 255]
                })
                .collect();
            Some(html! {
                <PixelCanvas pixels={Rgba { width: size as u32, height: size as u32, data: Rc::new(data) }}
                             label={format!("{} ({size}×{size})", t(text::CMP_FEATURE_VIEW))} />
            })
        }
        _ => None,
    };
    let max = v.iter().copied().fold(1e-9f32, f32::max);
    let (w, h) = (600.0, 120.0);
    let bar = w / v.len() as f64;
    let path: String = v
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let bh = (x / max) as f64 * (h - 4.0);
            format!("M{:.2},{h}V{:.2}", i as f64 * bar + bar / 2.0, h - bh)
        })
        .collect();
    html! {
        <figure class="feature-view" id="cmp-feature-view" data-dim={r.dim.to_string()}>
            <figcaption>{ format!("{} — {}: {} {}", t(text::CMP_FEATURE_VIEW), r.feature.name().get(l), r.dim, t(text::CMP_VALUES)) }</figcaption>
            { picture.unwrap_or_default() }
            <svg viewBox={format!("0 0 {w} {h}")} role="img" class="bars"
                 aria-label={format!("{}: {} {}", t(text::CMP_FEATURE_VIEW), r.dim, t(text::CMP_VALUES))}>
                <path d={path} stroke-width={format!("{:.2}", (bar * 0.8).max(0.5))} />
            </svg>
        </figure>
    }
}

/// Building vs validation accuracy against the depth limit, the best depth marked; several
/// sweeps (other features or min_samples_leaf) drawn together.
fn complexity_chart(l: Lang, sweeps: &[Sweep]) -> Html {
    let t = |s: T| s.get(l);
    let Some(Sweep { points: last, .. }) = sweeps.last() else { return html! {} };
    if last.is_empty() {
        return html! {};
    }
    let (w, h, pad_l, pad_b, pad_t, pad_r) = (480.0, 220.0, 44.0, 30.0, 10.0, 10.0);
    let n = last.len();
    let x = |i: usize| pad_l + i as f64 / (n - 1).max(1) as f64 * (w - pad_l - pad_r);
    let y = |v: f64| pad_t + (1.0 - v) * (h - pad_t - pad_b);
    let line = |points: &[SweepPoint], f: &dyn Fn(&SweepPoint) -> f64| -> String {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x(i), y(f(p))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let label = |p: &SweepPoint| p.max_depth.map_or("∞".to_owned(), |d| d.to_string());
    let b = best(last).unwrap_or(0);
    let describe = |Sweep { feature: f, min_samples_leaf: leaf, points }: &Sweep| {
        let b = best(points).unwrap_or(0);
        format!(
            "{}, min_samples_leaf = {leaf}: {} max_depth = {} ({} {}, {} {})",
            f.name().get(l),
            t(text::CMP_BEST),
            label(&points[b]),
            t(text::CMP_VAL_ACC),
            pct(points[b].val_accuracy),
            t(text::CMP_TRAIN_ACC),
            pct(points[b].train_accuracy)
        )
    };
    let summary = sweeps.iter().map(describe).collect::<Vec<_>>().join("; ");
    let first = sweeps.len() - 1;
    html! {
        <figure class="chart complexity" id="cmp-sweep-chart" data-best={label(&last[b])} data-sweeps={sweeps.len().to_string()}>
            <figcaption>{ t(text::CMP_SWEEP_TITLE) }</figcaption>
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-label={summary}>
                { for [0.0, 0.25, 0.5, 0.75, 1.0].iter().map(|&v| html! { <>
                    <line class="grid" x1={pad_l.to_string()} x2={(w - pad_r).to_string()} y1={format!("{:.1}", y(v))} y2={format!("{:.1}", y(v))} />
                    <text class="tick" x={(pad_l - 4.0).to_string()} y={format!("{:.1}", y(v) + 4.0)} text-anchor="end">{ format!("{:.0}%", v * 100.0) }</text>
                </> }) }
                { for last.iter().enumerate().map(|(i, p)| html! {
                    <text class="tick" x={format!("{:.1}", x(i))} y={(h - 12.0).to_string()} text-anchor="middle">{ label(p) }</text>
                }) }
                <text class="axis" x={((w + pad_l) / 2.0).to_string()} y={(h - 1.0).to_string()} text-anchor="middle">{ "max_depth" }</text>
                <line class="best" x1={format!("{:.1}", x(b))} x2={format!("{:.1}", x(b))} y1={pad_t.to_string()} y2={(h - pad_b).to_string()} />
                { for sweeps.iter().enumerate().filter(|(_, sw)| sw.points.len() == n).map(|(i, Sweep { points, .. })| {
                    // The newest sweep is run0 (the strongest colour), older ones after it.
                    let run = format!("run{}", first - i);
                    html! { <>
                        <path class={classes!("train", run.clone())} d={line(points, &|p| p.train_accuracy)} />
                        <path class={classes!("val", run)} d={line(points, &|p| p.val_accuracy)} />
                    </> }
                }) }
            </svg>
            <p class="legend">
                <span class="key train">{ t(text::CMP_TRAIN_ACC) }</span>{ " " }
                <span class="key val">{ t(text::CMP_VAL_ACC) }</span>
            </p>
            <ul class="sweeps">
                { for sweeps.iter().enumerate().rev().map(|(i, sw)| html! {
                    <li class={format!("run{}", first - i)} id={(i == first).then_some("cmp-best")}>{ describe(sw) }</li>
                }) }
            </ul>
        </figure>
    }
}

/// The top of the tree, as nested lists: the question at each node, its samples and answer.
fn tree_view(l: Lang, feature: FeatureKind, o: &Outcome, w: usize, _h: usize, ch: usize, names: &[String]) -> Html {
    let t = |s: T| s.get(l);
    if o.tree.is_empty() {
        return html! {};
    }
    let question = |n: &TreeNodeView| -> String {
        let Some(f) = n.feature else { return String::new() };
        match feature {
            FeatureKind::Pixels { size } => {
                let (p, c) = (f / ch, f % ch);
                let channel = if ch == 3 { ["R", "G", "B"][c] } else { "" };
                let _ = w;
                format!("{} (x={}, y={}){channel} ≤ {:.3}", t(text::CMP_PIXEL), p % size, p / size, n.threshold)
            }
            _ => format!("{} #{f} ≤ {:.3}", t(text::CMP_FEATURE), n.threshold),
        }
    };
    // Pre-order with depths → nested lists.
    fn build(nodes: &[TreeNodeView], at: &mut usize, l: Lang, names: &[String], question: &dyn Fn(&TreeNodeView) -> String) -> Html {
        let n = &nodes[*at];
        *at += 1;
        let class = names.get(n.prediction).cloned().unwrap_or_else(|| n.prediction.to_string());
        let info = format!("gini = {:.3}, samples = {}, {} = {class}", n.gini, n.samples, text::CMP_CLASS.get(l));
        let children = if n.feature.is_some() && !n.cut && *at < nodes.len() {
            let left = build(nodes, at, l, names, question);
            let right = if *at < nodes.len() && nodes[*at].depth == n.depth + 1 {
                build(nodes, at, l, names, question)
            } else {
                html! {}
            };
            html! { <ul><li class="yes">{ "✔ " }{ left }</li><li class="no">{ "✘ " }{ right }</li></ul> }
        } else {
            html! {}
        };
        html! {
            <div class="node">
                if n.feature.is_some() { <strong>{ question(n) }</strong><br /> }
                <span class="info">{ info }</span>
                if n.cut { <span class="cut">{ " …" }</span> }
                { children }
            </div>
        }
    }
    let mut at = 0;
    let (depth, leaves) = o.tree_size.unwrap_or((0, 0));
    html! {
        <figure class="tree-view" id="cmp-tree">
            <figcaption>{ format!("{} ({} {depth}, {} {leaves})", t(text::CMP_TREE), t(text::CMP_TREE_DEPTH), t(text::CMP_TREE_LEAVES)) }</figcaption>
            { build(&o.tree, &mut at, l, names, &question) }
        </figure>
    }
}
