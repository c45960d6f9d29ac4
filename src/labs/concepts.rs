//! しくみ — the first day's ideas to move by hand: a neuron (inputs, weights, bias, activation),
//! the activation functions with their derivatives and softmax, and gradient descent on 2-D loss
//! surfaces where the optimizers race from one start. The numbers come from the core's `concepts`.
//! Each part is a component of its own, with its own state: `NeuronSection` (with the activation
//! functions and softmax), `BackpropSection` (the stepper, `lesson::stepper`), `DescentSection`
//! and `MiniBatchSection`.

use crate::bridge::{WorkerEvent, WorkerHandle};
use crate::canvas::{PixelCanvas, Rgba};
use crate::store::Store;
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::lesson::concepts::{
    Activation, BackpropResult, BatchRun, Loss, Path, Surface, TinyNet, compare_batches, descend, neuron, softmax,
};
use imagelab_core::lesson::stepper::{Stepper, StepperAction};
use imagelab_core::nn::experiment::{MAX_LEARNING_RATE, MIN_LEARNING_RATE, Optimizer, TrainConfig};
use imagelab_core::session::protocol::{FromWorker, ToWorker};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The built-in digits (the mini-batch comparison learns 0 vs 1 from them).
    pub digits: crate::assets::DataState,
    /// The training lab's settings ("try this learning rate on your CNN").
    pub config: crate::settings::ConfigHandle,
}

/// The optimizers raced, each with its colour.
const RACERS: [(&str, &str); 5] =
    [("sgd", "#6b6b6b"), ("momentum", "#d9730d"), ("nesterov", "#8b4cc7"), ("rmsprop", "#2e9d4f"), ("adam", "#1f6fb2")];

/// Side of the surface picture, in pixels.
const MAP: usize = 160;

use text::optimizer_name;

/// The loss surface as a picture: low loss dark blue, high loss pale (on a log scale).
fn surface_picture(surface: Surface) -> Rgba {
    let r = surface.radius();
    let mut values = Vec::with_capacity(MAP * MAP);
    for j in 0..MAP {
        for i in 0..MAP {
            let x = -r + 2.0 * r * (i as f64 + 0.5) / MAP as f64;
            let y = r - 2.0 * r * (j as f64 + 0.5) / MAP as f64;
            values.push(surface.loss(x, y));
        }
    }
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut data = Vec::with_capacity(MAP * MAP * 4);
    for v in values {
        let t = ((v - min).ln_1p() / (max - min).ln_1p()).clamp(0.0, 1.0);
        // Contour bands every tenth, so the shape reads like a map.
        let band = if ((t * 10.0).fract() - 0.5).abs() > 0.46 { 0.85 } else { 1.0 };
        let (r0, g0, b0) = (20.0, 60.0, 130.0);
        let (r1, g1, b1) = (235.0, 242.0, 250.0);
        let mix = |a: f64, b: f64| ((a + (b - a) * t) * band) as u8;
        data.extend([mix(r0, r1), mix(g0, g1), mix(b0, b1), 255]);
    }
    Rgba { width: MAP as u32, height: MAP as u32, data: Rc::new(data) }
}

/// A path as SVG points in the picture's 0–100 square.
fn svg_points(path: &Path, radius: f64) -> String {
    path.points
        .iter()
        .map(|(x, y, _)| {
            let px = ((x + radius) / (2.0 * radius) * 100.0).clamp(-50.0, 150.0);
            let py = ((radius - y) / (2.0 * radius) * 100.0).clamp(-50.0, 150.0);
            format!("{px:.2},{py:.2}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A small chart of f (solid) and f′ (dashed) on −4…4.
fn activation_chart(a: Activation, label: String) -> Html {
    let xs: Vec<f64> = (0..=160).map(|i| -4.0 + 8.0 * i as f64 / 160.0).collect();
    let to = |x: f64, y: f64| format!("{:.2},{:.2}", (x + 4.0) / 8.0 * 100.0, (1.5 - y) / 3.0 * 60.0);
    let f: Vec<String> = xs.iter().map(|&x| to(x, a.value(x).clamp(-1.5, 1.5))).collect();
    let d: Vec<String> = xs.iter().map(|&x| to(x, a.derivative(x).clamp(-1.5, 1.5))).collect();
    html! {
        <svg viewBox="0 0 100 60" role="img" aria-label={label} class="act-chart" data-activation={a.slug()}>
            <line x1="0" x2="100" y1="30" y2="30" class="axis" />
            <line x1="50" x2="50" y1="0" y2="60" class="axis" />
            <polyline points={f.join(" ")} class="f" />
            <polyline points={d.join(" ")} class="df" />
        </svg>
    }
}

fn slider(id: &'static str, label: String, value: f64, min: f64, max: f64, step: f64, set: Callback<f64>) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        if let Ok(v) = input.value().parse::<f64>() {
            set.emit(v);
        }
    });
    html! {
        <div class="slider">
            <label for={id}>{ format!("{label} = {value:.2}") }</label>
            <input id={id} type="range" min={min.to_string()} max={max.to_string()} step={step.to_string()}
                   value={value.to_string()} {oninput} />
        </div>
    }
}

/// The digits 0 and 1 (the first 100 of each) as 7×7 averages in [0, 1]: rows of 49 values, and
/// labels 0/1.
fn zeros_and_ones(d: &imagelab_core::data::dataset::Dataset) -> (Vec<f64>, Vec<f64>) {
    let (mut x, mut y, mut taken) = (Vec::new(), Vec::new(), [0usize; 2]);
    if (d.width, d.height, d.channels) != (28, 28, 1) {
        return (x, y);
    }
    for i in 0..d.len() {
        let label = d.labels[i];
        if label > 1 || taken[label] == 100 {
            continue;
        }
        taken[label] += 1;
        let img = d.image(i);
        for by in 0..7 {
            for bx in 0..7 {
                let sum: u32 =
                    (0..4).flat_map(|dy| (0..4).map(move |dx| (dy, dx))).map(|(dy, dx)| img[(by * 4 + dy) * 28 + bx * 4 + dx] as u32).sum();
                x.push(sum as f64 / (16.0 * 255.0));
            }
        }
        y.push(label as f64);
    }
    (x, y)
}

/// The mini-batch runs drawn against epochs or steps.
fn batch_chart(runs: &[BatchRun], by_steps: bool, label: String) -> Html {
    let max_loss = runs.iter().flat_map(|r| r.points.iter().map(|p| p.2)).fold(0.0f64, f64::max).max(1e-9);
    let max_x = runs.iter().flat_map(|r| r.points.iter().map(|p| if by_steps { p.1 as f64 } else { p.0 })).fold(0.0f64, f64::max).max(1e-9);
    html! {
        <svg id="mb-chart" viewBox="0 0 100 60" role="img" aria-label={label} preserveAspectRatio="none">
            <line x1="0" x2="100" y1="59.5" y2="59.5" class="axis" />
            { for runs.iter().enumerate().map(|(i, r)| {
                let points: Vec<String> = r.points.iter().map(|p| {
                    let x = if by_steps { p.1 as f64 } else { p.0 };
                    format!("{:.2},{:.2}", x / max_x * 100.0, 58.0 - p.2 / max_loss * 56.0)
                }).collect();
                html! { <polyline points={points.join(" ")} stroke={BATCH_COLOURS[i % 3]} class="mb-line" data-batch={r.batch.to_string()} /> }
            }) }
        </svg>
    }
}

const BATCH_COLOURS: [&str; 3] = ["#d9730d", "#2e9d4f", "#1f6fb2"];

fn num(v: f32) -> String {
    format!("{v:.4}")
}

/// The stepper's tables: forward values, then every gradient and its update.
fn backprop_view(l: Lang, before: &TinyNet, r: &BackpropResult) -> Html {
    let t = |s: T| s.get(l);
    let row = |name: String, w: f32, g: f32, after: f32| {
        html! {
            <tr><th scope="row">{ name }</th><td>{ num(w) }</td><td class="grad">{ num(g) }</td><td>{ num(after) }</td></tr>
        }
    };
    html! {
        <div class="backprop">
            <table id="bp-forward" class="runs">
                <caption>{ t(text::CON_FORWARD) }</caption>
                <tbody>
                    <tr><th scope="row">{ "z₁ = W₁x + b₁" }</th>{ for r.z1.iter().map(|v| html! { <td>{ num(*v) }</td> }) }</tr>
                    <tr><th scope="row">{ "a₁ = f(z₁)" }</th>{ for r.a1.iter().map(|v| html! { <td>{ num(*v) }</td> }) }</tr>
                    <tr><th scope="row">{ "z₂ = W₂a₁ + b₂" }</th>{ for r.z2.iter().map(|v| html! { <td>{ num(*v) }</td> }) }</tr>
                    <tr><th scope="row">{ "y" }</th>{ for r.y.iter().map(|v| html! { <td>{ num(*v) }</td> }) }</tr>
                    <tr><th scope="row">{ t(text::CON_LOSS) }</th><td id="bp-loss-value" data-value={r.loss.to_string()}>{ num(r.loss) }</td></tr>
                </tbody>
            </table>
            <table id="bp-grads" class="runs">
                <caption>{ t(text::CON_BACKWARD) }</caption>
                <thead><tr><th></th><th scope="col">{ t(text::CON_WEIGHT) }</th><th scope="col">{ "∂L/∂w" }</th><th scope="col">{ t(text::CON_UPDATED) }</th></tr></thead>
                <tbody>
                    { for (0..3).flat_map(|j| (0..2).map(move |i| (j, i))).map(|(j, i)| row(format!("W₁[{}][{}]", j + 1, i + 1), before.w1[j][i], r.grads.w1[j][i], r.updated.w1[j][i])) }
                    { for (0..3).map(|j| row(format!("b₁[{}]", j + 1), before.b1[j], r.grads.b1[j], r.updated.b1[j])) }
                    { for (0..2).flat_map(|k| (0..3).map(move |j| (k, j))).map(|(k, j)| row(format!("W₂[{}][{}]", k + 1, j + 1), before.w2[k][j], r.grads.w2[k][j], r.updated.w2[k][j])) }
                    { for (0..2).map(|k| row(format!("b₂[{}]", k + 1), before.b2[k], r.grads.b2[k], r.updated.b2[k])) }
                </tbody>
            </table>
        </div>
    }
}

#[function_component(ConceptsLab)]
pub fn concepts_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let section = SectionProps { lang: l, config: props.config.clone() };
    html! {
        <section class="lab concepts" aria-labelledby="concepts-heading">
            <h2 id="concepts-heading">{ t(text::LAB_CONCEPTS) }</h2>
            <p class="intro">{ t(text::CON_INTRO) }</p>
            <NeuronSection ..section.clone() />
            <BackpropSection ..section.clone() />
            <DescentSection ..section />
            <MiniBatchSection lang={l} digits={props.digits.clone()} config={props.config.clone()} />
        </section>
    }
}

/// What a section of the lab needs: the language, and the training lab's settings to try a value in.
#[derive(Properties, PartialEq, Clone)]
struct SectionProps {
    lang: Lang,
    config: crate::settings::ConfigHandle,
}

/// A number field that calls `set` with each finite value typed.
fn number(l: Lang, id: &'static str, label: T, value: String, step: &'static str, set: Rc<dyn Fn(f64)>) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        if let Ok(v) = input.value().trim().parse::<f64>()
            && v.is_finite()
        {
            set(v);
        }
    });
    html! {
        <div class="field">
            <label for={id}>{ label.get(l) }</label>
            <input id={id} type="number" inputmode="decimal" step={step} value={value} {onchange} />
        </div>
    }
}

/// "Try it in the training lab": changes the training lab's settings and opens it.
fn try_in_training(config: &crate::settings::ConfigHandle, change: Rc<dyn Fn(&mut TrainConfig)>) -> Callback<MouseEvent> {
    let config = config.clone();
    Callback::from(move |_: MouseEvent| {
        let mut next = (*config).clone();
        change(&mut next);
        config.set(next);
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash("#/train");
        }
    })
}

/// A neuron with three inputs (sliders, the activation chosen, z and y), the activation functions
/// with their derivatives (the chosen one tried in the training lab's network), and softmax.
#[function_component(NeuronSection)]
fn neuron_section(props: &SectionProps) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    // A neuron with three inputs.
    let xs = use_state(|| [1.0, 0.5, -1.0]);
    let ws = use_state(|| [0.8, -0.4, 0.3]);
    let bias = use_state(|| 0.1);
    let act = use_state(|| Activation::Sigmoid);
    let (z, y) = neuron(&*xs, &*ws, *bias, *act);
    let set_in = |state: &UseStateHandle<[f64; 3]>, i: usize| {
        let state = state.clone();
        Callback::from(move |v: f64| {
            let mut next = *state;
            next[i] = v;
            state.set(next);
        })
    };
    let on_act = {
        let act = act.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(a) = Activation::from_slug(&sel.value()) {
                act.set(a);
            }
        })
    };

    // Softmax over three scores.
    let scores = use_state(|| [2.0, 1.0, 0.1]);
    let probs = softmax(&*scores);

    // The neuron's activation on every layer of the training lab's network (where it has one).
    let network_activation = match *act {
        Activation::Identity => Some(imagelab_core::nn::architecture::Activation::Identity),
        Activation::Sigmoid => Some(imagelab_core::nn::architecture::Activation::Sigmoid),
        Activation::Tanh => Some(imagelab_core::nn::architecture::Activation::Tanh),
        Activation::Relu => Some(imagelab_core::nn::architecture::Activation::Relu),
        Activation::Step | Activation::LeakyRelu => None,
    };
    let on_try_activation = try_in_training(
        &props.config,
        Rc::new(move |c: &mut TrainConfig| {
            let Some(a) = network_activation else { return };
            for layer in &mut c.model.layers {
                if let imagelab_core::nn::architecture::LayerSpec::Conv { activation, .. }
                | imagelab_core::nn::architecture::LayerSpec::Dense { activation, .. } = layer
                {
                    *activation = a;
                }
            }
        }),
    );

    html! {
        <>
            <h3>{ t(text::CON_NEURON) }</h3>
            <div class="neuron">
                <div class="sliders">
                    { for (0..3).map(|i| slider(["x1", "x2", "x3"][i], format!("x{}", i + 1), xs[i], -2.0, 2.0, 0.1, set_in(&xs, i))) }
                    { for (0..3).map(|i| slider(["w1", "w2", "w3"][i], format!("w{}", i + 1), ws[i], -2.0, 2.0, 0.1, set_in(&ws, i))) }
                    { slider("bias", t(text::CON_BIAS).to_owned(), *bias, -2.0, 2.0, 0.1, { let b = bias.clone(); Callback::from(move |v| b.set(v)) }) }
                    <div class="field">
                        <label for="neuron-activation">{ t(text::CON_ACTIVATION) }</label>
                        <select id="neuron-activation" onchange={on_act}>
                            { for Activation::ALL.iter().map(|(a, slug, (ja, en), _)| html! {
                                <option value={*slug} selected={*a == *act}>{ T(ja, en).get(l) }</option>
                            }) }
                        </select>
                    </div>
                </div>
                <p id="neuron-z" class="formula" data-value={format!("{z:.4}")}>
                    { format!("z = {:.2}×{:.2} + {:.2}×{:.2} + {:.2}×{:.2} + {:.2} = {z:.3}", ws[0], xs[0], ws[1], xs[1], ws[2], xs[2], *bias) }
                </p>
                <p id="neuron-y" class="formula big" data-value={format!("{y:.4}")}>{ format!("y = f(z) = {y:.3}") }</p>
            </div>

            <h3>{ t(text::CON_ACTIVATIONS) }</h3>
            <p class="note">{ t(text::CON_ACT_NOTE) }</p>
            <div class="activations">
                { for Activation::ALL.iter().map(|(a, _, (ja, en), formula)| html! {
                    <figure>
                        { activation_chart(*a, format!("{} — {formula}", T(ja, en).get(l))) }
                        <figcaption><b>{ T(ja, en).get(l) }</b><br />{ *formula }</figcaption>
                    </figure>
                }) }
            </div>
            <button id="act-try" onclick={on_try_activation} disabled={network_activation.is_none()}>
                { format!("{} ({})", t(text::CON_TRY_ACTIVATION), act.slug()) }
            </button>
            <h4>{ t(text::CON_SOFTMAX) }</h4>
            <div class="softmax">
                { for (0..3).map(|i| {
                    let set = { let s = scores.clone(); Callback::from(move |v: f64| { let mut n = *s; n[i] = v; s.set(n); }) };
                    slider(["score1", "score2", "score3"][i], format!("{} {}", t(text::CON_SCORE), i + 1), scores[i], -4.0, 4.0, 0.1, set)
                }) }
                <ol id="softmax-bars" class="bars">
                    { for probs.iter().enumerate().map(|(i, p)| html! {
                        <li data-value={format!("{p:.4}")}>
                            <span class="bar" style={format!("width: {:.1}%", p * 100.0)}></span>
                            { format!("{} {}: {:.1}%", t(text::CON_CLASS), i + 1, p * 100.0) }
                        </li>
                    }) }
                </ol>
            </div>

        </>
    }
}

/// Forward and backward propagation on a 2-3-2 network, one step at a time.
#[function_component(BackpropSection)]
fn backprop_section(props: &SectionProps) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    // Forward and backward propagation on a 2-3-2 network, computed by burn's autodiff in the
    // training worker (the page itself carries no burn).
    let stepper = use_reducer(Store::<Stepper>::default);
    let bp_worker = use_mut_ref(|| None::<WorkerHandle>);
    // Set when the worker crashed: the next pass starts a fresh one.
    let bp_dead = use_mut_ref(|| false);
    {
        // A pass the stepper put in its outbox goes to the worker, once.
        let (stepper, bp_worker, bp_dead) = (stepper.clone(), bp_worker.clone(), bp_dead.clone());
        use_effect_with(stepper.serial, move |_| {
            let Some(request) = stepper.outbox.clone() else { return };
            if bp_dead.replace(false) {
                *bp_worker.borrow_mut() = None;
            }
            if bp_worker.borrow().is_none() {
                let (dispatch, dead) = (stepper.dispatcher(), bp_dead.clone());
                let on_event = move |ev: WorkerEvent| match ev {
                    WorkerEvent::Message(FromWorker::Backprop(result)) => dispatch.dispatch(StepperAction::Answer(result)),
                    WorkerEvent::Message(FromWorker::RequestFailed { message } | FromWorker::Failed { message }) => {
                        dispatch.dispatch(StepperAction::Failed(message))
                    }
                    WorkerEvent::Crashed(e) => {
                        *dead.borrow_mut() = true;
                        dispatch.dispatch(StepperAction::Lost(text::WORKER_FAILED.because(&e)));
                    }
                    _ => {}
                };
                match WorkerHandle::spawn(on_event) {
                    Ok(h) => *bp_worker.borrow_mut() = Some(h),
                    Err(e) => return stepper.dispatch(StepperAction::Lost(text::WORKER_UNSUPPORTED.because(&e))),
                }
            }
            if let Some(Err(e)) = bp_worker.borrow().as_ref().map(|w| w.send(&ToWorker::Backprop(request))) {
                stepper.dispatch(StepperAction::Lost(text::WORKER_FAILED.because(&e)));
            }
        });
    }
    let on_click = |action: StepperAction| {
        let dispatch = stepper.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()))
    };
    let (on_bp_step, on_bp_reset) = (on_click(StepperAction::Step), on_click(StepperAction::Reset));
    let bp_select = |id: &'static str, label: T, options: Vec<(&'static str, T, bool)>, set: Callback<String>| {
        let onchange = Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            set.emit(sel.value());
        });
        html! {
            <div class="field">
                <label for={id}>{ label.get(l) }</label>
                <select {id} {onchange}>
                    { for options.into_iter().map(|(v, name, selected)| html! { <option value={v} {selected}>{ name.get(l) }</option> }) }
                </select>
            </div>
        }
    };
    let set_loss = {
        let dispatch = stepper.dispatcher();
        Callback::from(move |v: String| {
            dispatch.dispatch(StepperAction::Loss(match v.as_str() {
                "mse" => Loss::Mse,
                "bce" => Loss::BinaryCrossEntropy,
                _ => Loss::CrossEntropy,
            }))
        })
    };
    let set_hidden = {
        let dispatch = stepper.dispatcher();
        Callback::from(move |v: String| {
            if let Some(a) = Activation::from_slug(&v) {
                dispatch.dispatch(StepperAction::Hidden(a));
            }
        })
    };
    let set_target = {
        let dispatch = stepper.dispatcher();
        Callback::from(move |v: String| dispatch.dispatch(StepperAction::Target(if v == "0" { 0 } else { 1 })))
    };
    let set_bp_x = |i: usize| {
        let dispatch = stepper.dispatcher();
        Callback::from(move |v: f64| dispatch.dispatch(StepperAction::Input(i, v as f32)))
    };
    let set_bp_lr: Rc<dyn Fn(f64)> = {
        let dispatch = stepper.dispatcher();
        Rc::new(move |v: f64| dispatch.dispatch(StepperAction::LearningRate(v)))
    };
    let on_try_backprop = {
        let lr = stepper.lr;
        try_in_training(
            &props.config,
            Rc::new(move |c: &mut TrainConfig| {
                c.learning_rate = lr.clamp(MIN_LEARNING_RATE, MAX_LEARNING_RATE);
                c.optimizer = Optimizer::Sgd;
            }),
        )
    };
    let bp = &stepper.0;
    let bp_steps = bp.last.as_ref().map_or(0, |r| r.2);

    html! {
        <>
            <h3>{ t(text::CON_BACKPROP) }</h3>
            <p class="note">{ t(text::CON_BACKPROP_NOTE) }</p>
            <div class="gd-controls">
                { slider("bp-x1", "x₁".into(), f64::from(bp.x[0]), -2.0, 2.0, 0.1, set_bp_x(0)) }
                { slider("bp-x2", "x₂".into(), f64::from(bp.x[1]), -2.0, 2.0, 0.1, set_bp_x(1)) }
                { bp_select("bp-target", text::CON_TARGET, vec![("0", text::CON_CLASS_1, bp.target == 0), ("1", text::CON_CLASS_2, bp.target == 1)], set_target) }
                { bp_select("bp-hidden", text::CON_ACTIVATION, Activation::ALL.iter()
                    .filter(|(a, _, _, _)| matches!(a, Activation::Sigmoid | Activation::Tanh | Activation::Relu))
                    .map(|&(a, slug, (ja, en), _)| (slug, T(ja, en), bp.hidden == a))
                    .collect(), set_hidden) }
                { bp_select("bp-loss", text::CON_LOSS, vec![
                    ("mse", text::CON_LOSS_MSE, bp.loss == Loss::Mse),
                    ("bce", text::CON_LOSS_BCE, bp.loss == Loss::BinaryCrossEntropy),
                    ("ce", text::CON_LOSS_CE, bp.loss == Loss::CrossEntropy),
                ], set_loss) }
                { number(l, "bp-lr", text::LEARNING_RATE, bp.lr.to_string(), "0.1", set_bp_lr) }
            </div>
            <div class="actions">
                <button id="bp-step" class="primary" onclick={on_bp_step} disabled={bp.busy()}>
                    { if bp.busy() { t(text::CON_COMPUTING) } else { t(text::CON_STEP) } }
                </button>
                <button id="bp-reset" onclick={on_bp_reset}>{ t(text::CON_RESET) }</button>
                <span id="bp-steps" data-value={bp_steps.to_string()} role="status">{ format!("{}: {bp_steps}", t(text::CON_STEPS_DONE)) }</span>
            </div>
            if let Some(e) = &bp.error { <p id="bp-error" class="error" role="alert">{ e.get(l).to_owned() }</p> }
            if let Some((before, r, _)) = &bp.last { { backprop_view(l, before, r) } }
            <button id="bp-try" onclick={on_try_backprop}>{ format!("{} (SGD, {})", t(text::CON_TRY), bp.lr) }</button>

        </>
    }
}

/// Gradient descent on a 2-D loss surface, the optimizers racing from one start.
#[function_component(DescentSection)]
fn descent_section(props: &SectionProps) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    // Gradient descent.
    let surface = use_state(|| Surface::TwoMinima);
    let start = use_state(|| Surface::TwoMinima.default_start());
    let lr = use_state(|| 0.05f64);
    let steps = use_state(|| 100usize);
    let racing = use_state(|| vec![true; RACERS.len()]);
    let picture = use_memo(*surface, |s| surface_picture(*s));
    let paths: Vec<(usize, Path)> = RACERS
        .iter()
        .enumerate()
        .filter(|(i, _)| racing[*i])
        .filter_map(|(i, (slug, _))| Optimizer::from_slug(slug).map(|o| (i, descend(*surface, o, *start, *lr, *steps))))
        .collect();
    let radius = surface.radius();
    let on_surface = {
        let (surface, start) = (surface.clone(), start.clone());
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(s) = Surface::from_slug(&sel.value()) {
                surface.set(s);
                start.set(s.default_start());
            }
        })
    };
    let set_lr: Rc<dyn Fn(f64)> = {
        let lr = lr.clone();
        Rc::new(move |v: f64| lr.set(v.clamp(MIN_LEARNING_RATE, MAX_LEARNING_RATE)))
    };
    let set_steps: Rc<dyn Fn(f64)> = {
        let steps = steps.clone();
        Rc::new(move |v: f64| steps.set(v.clamp(1.0, 1000.0) as usize))
    };
    let set_x: Rc<dyn Fn(f64)> = {
        let start = start.clone();
        Rc::new(move |v: f64| start.set((v.clamp(-radius, radius), start.1)))
    };
    let set_y: Rc<dyn Fn(f64)> = {
        let start = start.clone();
        Rc::new(move |v: f64| start.set((start.0, v.clamp(-radius, radius))))
    };
    // The optimizer goes along only when exactly one racer is chosen.
    let only_racer: Option<&str> = match racing.iter().filter(|r| **r).count() {
        1 => RACERS.iter().enumerate().find(|(i, _)| racing[*i]).map(|(_, (slug, _))| *slug),
        _ => None,
    };
    let on_try = {
        let (lr, optimizer) = (*lr, only_racer.and_then(Optimizer::from_slug));
        try_in_training(
            &props.config,
            Rc::new(move |c: &mut TrainConfig| {
                c.learning_rate = lr.clamp(MIN_LEARNING_RATE, MAX_LEARNING_RATE);
                if let Some(o) = optimizer {
                    c.optimizer = o;
                }
            }),
        )
    };
    let (surface_name, formula) =
        Surface::ALL.iter().find(|(s, _, _, _)| *s == *surface).map(|(_, _, n, f)| (T(n.0, n.1), *f)).unwrap_or((T("", ""), ""));

    html! {
        <>
            <h3>{ t(text::CON_GD) }</h3>
            <p class="note">{ t(text::CON_GD_NOTE) }</p>
            <div class="gd-controls">
                <div class="field">
                    <label for="gd-surface">{ t(text::CON_SURFACE) }</label>
                    <select id="gd-surface" onchange={on_surface}>
                        { for Surface::ALL.iter().map(|(s, slug, (ja, en), _)| html! {
                            <option value={*slug} selected={*s == *surface}>{ T(ja, en).get(l) }</option>
                        }) }
                    </select>
                </div>
                { number(l, "gd-lr", text::LEARNING_RATE, lr.to_string(), "0.01", set_lr) }
                { number(l, "gd-steps", text::CON_STEPS, steps.to_string(), "10", set_steps) }
                { number(l, "gd-x", text::CON_START_X, format!("{:.2}", start.0), "0.1", set_x) }
                { number(l, "gd-y", text::CON_START_Y, format!("{:.2}", start.1), "0.1", set_y) }
            </div>
            <fieldset class="racers">
                <legend>{ t(text::OPTIMIZER) }</legend>
                { for RACERS.iter().enumerate().map(|(i, (slug, colour))| {
                    let onchange = { let r = racing.clone(); Callback::from(move |_: Event| { let mut n = (*r).clone(); n[i] = !n[i]; r.set(n); }) };
                    let id = format!("race-{slug}");
                    html! {
                        <span class="racer">
                            <input id={id.clone()} type="checkbox" checked={racing[i]} {onchange} />
                            <label for={id} style={format!("border-bottom: 3px solid {colour}")}>{ t(optimizer_name(slug)) }</label>
                        </span>
                    }
                }) }
            </fieldset>
            <p class="formula">{ format!("{}: {formula}", surface_name.get(l)) }</p>
            <div class="gd-map">
                <PixelCanvas pixels={(*picture).clone()} label={format!("{}: {formula}", surface_name.get(l))} />
                <svg id="gd-paths" viewBox="0 0 100 100" role="img" aria-label={t(text::CON_PATHS).to_owned()} preserveAspectRatio="none">
                    { for paths.iter().map(|(i, p)| html! {
                        <polyline points={svg_points(p, radius)} stroke={RACERS[*i].1} class="gd-path" data-optimizer={RACERS[*i].0} />
                    }) }
                    <circle cx={format!("{:.2}", (start.0 + radius) / (2.0 * radius) * 100.0)}
                            cy={format!("{:.2}", (radius - start.1) / (2.0 * radius) * 100.0)} r="1.8" class="gd-start" />
                </svg>
            </div>
            <table id="gd-table" class="runs">
                <thead><tr>
                    <th scope="col">{ t(text::OPTIMIZER) }</th>
                    <th scope="col">{ t(text::CON_END) }</th>
                    <th scope="col">{ t(text::CON_END_LOSS) }</th>
                </tr></thead>
                <tbody>
                { for paths.iter().map(|(i, p)| {
                    let (x, y, loss) = p.points.last().copied().unwrap_or_default();
                    html! {
                        <tr data-optimizer={RACERS[*i].0} data-x={format!("{x:.4}")} data-y={format!("{y:.4}")} data-loss={format!("{loss:.6}")}
                            data-diverged={p.diverged.to_string()}>
                            <th scope="row" style={format!("color: {}", RACERS[*i].1)}>{ t(optimizer_name(RACERS[*i].0)) }</th>
                            <td>{ if p.diverged { t(text::CON_DIVERGED).to_owned() } else { format!("({x:.3}, {y:.3})") } }</td>
                            <td>{ if p.diverged { "—".to_owned() } else { format!("{loss:.4}") } }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            <button id="gd-try" onclick={on_try}>
                { match only_racer {
                    Some(slug) => format!("{} ({}, {})", t(text::CON_TRY), t(optimizer_name(slug)), *lr),
                    None => format!("{} ({})", t(text::CON_TRY), *lr),
                } }
            </button>

        </>
    }
}

/// One sample, a mini-batch of 16 and the full batch, learning digits 0 vs 1 by logistic regression.
#[function_component(MiniBatchSection)]
fn mini_batch_section(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    // Mini-batch vs full batch vs one sample at a time: logistic regression on digits 0 vs 1.
    let mb_lr = use_state(|| 0.5f64);
    let mb_epochs = use_state(|| 5usize);
    let mb_by_steps = use_state(|| false);
    let digits = match &props.digits {
        crate::assets::DataState::Ready(d) => Some(d.clone()),
        _ => None,
    };
    let mb_runs = use_memo((digits.is_some(), *mb_lr, *mb_epochs), {
        let digits = digits.clone();
        move |(_, lr, epochs)| {
            let Some(d) = digits else { return Vec::new() };
            let (x, y) = zeros_and_ones(&d);
            if y.is_empty() {
                return Vec::new();
            }
            compare_batches(&x, &y, 49, &[1, 16, y.len()], *epochs, *lr, 42)
        }
    });
    let set_mb_lr: Rc<dyn Fn(f64)> = {
        let mb_lr = mb_lr.clone();
        Rc::new(move |v: f64| mb_lr.set(v.clamp(1e-4, MAX_LEARNING_RATE)))
    };
    let set_mb_epochs: Rc<dyn Fn(f64)> = {
        let mb_epochs = mb_epochs.clone();
        Rc::new(move |v: f64| mb_epochs.set(v.clamp(1.0, 50.0) as usize))
    };
    let on_try_batch = {
        let lr = *mb_lr;
        try_in_training(
            &props.config,
            Rc::new(move |c: &mut TrainConfig| {
                c.batch_size = 16;
                c.learning_rate = lr.clamp(MIN_LEARNING_RATE, MAX_LEARNING_RATE);
                c.optimizer = Optimizer::Sgd;
            }),
        )
    };
    let on_mb_axis = {
        let mb_by_steps = mb_by_steps.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            mb_by_steps.set(sel.value() == "steps");
        })
    };

    html! {
        <>
            <h3>{ t(text::CON_MINIBATCH) }</h3>
            <p class="note">{ t(text::CON_MINIBATCH_NOTE) }</p>
            <div class="gd-controls">
                { number(l, "mb-lr", text::LEARNING_RATE, mb_lr.to_string(), "0.1", set_mb_lr) }
                { number(l, "mb-epochs", text::EPOCHS, mb_epochs.to_string(), "1", set_mb_epochs) }
                <div class="field">
                    <label for="mb-axis">{ t(text::CON_AXIS) }</label>
                    <select id="mb-axis" onchange={on_mb_axis}>
                        <option value="epochs" selected={!*mb_by_steps}>{ t(text::CON_AXIS_EPOCHS) }</option>
                        <option value="steps" selected={*mb_by_steps}>{ t(text::CON_AXIS_STEPS) }</option>
                    </select>
                </div>
            </div>
            if mb_runs.is_empty() {
                <p class="note">{ match &props.digits {
                    crate::assets::DataState::Loading => t(text::CON_MB_WAIT),
                    _ => t(text::CON_MB_NO_DIGITS),
                } }</p>
            } else {
                { batch_chart(&mb_runs, *mb_by_steps, t(text::CON_MINIBATCH).to_owned()) }
                <table id="mb-table" class="runs">
                    <thead><tr>
                        <th scope="col">{ t(text::CON_BATCH) }</th>
                        <th scope="col">{ t(text::CON_STEPS) }</th>
                        <th scope="col">{ t(text::CON_END_LOSS) }</th>
                    </tr></thead>
                    <tbody>
                    { for mb_runs.iter().enumerate().map(|(i, r)| {
                        let (_, steps, loss) = r.points.last().copied().unwrap_or_default();
                        let rises = r.points.windows(2).filter(|w| w[1].2 > w[0].2 + 1e-12).count();
                        html! {
                            <tr data-batch={r.batch.to_string()} data-steps={steps.to_string()} data-loss={format!("{loss:.6}")} data-rises={rises.to_string()}>
                                <th scope="row" style={format!("color: {}", BATCH_COLOURS[i % 3])}>{ r.batch }</th>
                                <td>{ steps }</td>
                                <td>{ format!("{loss:.4}") }</td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
                <button id="mb-try" onclick={on_try_batch}>{ format!("{} (SGD, {}, {})", t(text::CON_TRY_BATCH), 16, *mb_lr) }</button>
            }
        </>
    }
}
