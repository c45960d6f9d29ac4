//! しくみ — the first day's ideas to move by hand: a neuron (inputs, weights, bias, activation),
//! the activation functions with their derivatives and softmax, and gradient descent on 2-D loss
//! surfaces where the optimizers race from one start. The numbers come from the core's `concepts`.

use crate::canvas::{PixelCanvas, Rgba};
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::concepts::{Activation, Path, Surface, descend, neuron, softmax};
use imagelab_core::experiment::{Optimizer, TrainConfig};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The training lab's settings ("try this learning rate on your CNN").
    pub config: UseStateHandle<TrainConfig>,
}

/// The optimizers raced, each with its colour.
const RACERS: [(&str, &str); 5] =
    [("sgd", "#6b6b6b"), ("momentum", "#d9730d"), ("nesterov", "#8b4cc7"), ("rmsprop", "#2e9d4f"), ("adam", "#1f6fb2")];

/// Side of the surface picture, in pixels.
const MAP: usize = 160;

fn optimizer_name(slug: &str) -> T {
    match slug {
        "sgd" => text::OPT_SGD,
        "momentum" => text::OPT_MOMENTUM,
        "nesterov" => text::OPT_NESTEROV,
        "rmsprop" => text::OPT_RMSPROP,
        _ => text::OPT_ADAM,
    }
}

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

#[function_component(ConceptsLab)]
pub fn concepts_lab(props: &Props) -> Html {
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
    let number = |id: &'static str, label: T, value: String, step: &'static str, set: Rc<dyn Fn(f64)>| {
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
    };
    let set_lr: Rc<dyn Fn(f64)> = {
        let lr = lr.clone();
        Rc::new(move |v: f64| lr.set(v.clamp(1e-5, 10.0)))
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
    let on_try = {
        let (config, lr) = (props.config.clone(), *lr);
        Callback::from(move |_: MouseEvent| {
            let mut next = (*config).clone();
            next.learning_rate = lr.clamp(1e-5, 10.0);
            config.set(next);
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash("#/train");
            }
        })
    };
    let (surface_name, formula) =
        Surface::ALL.iter().find(|(s, _, _, _)| *s == *surface).map(|(_, _, n, f)| (T(n.0, n.1), *f)).unwrap_or((T("", ""), ""));

    html! {
        <section class="lab concepts" aria-labelledby="concepts-heading">
            <h2 id="concepts-heading">{ t(text::LAB_CONCEPTS) }</h2>
            <p class="intro">{ t(text::CON_INTRO) }</p>

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
                { number("gd-lr", text::LEARNING_RATE, lr.to_string(), "0.01", set_lr) }
                { number("gd-steps", text::CON_STEPS, steps.to_string(), "10", set_steps) }
                { number("gd-x", text::CON_START_X, format!("{:.2}", start.0), "0.1", set_x) }
                { number("gd-y", text::CON_START_Y, format!("{:.2}", start.1), "0.1", set_y) }
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
            <button id="gd-try" onclick={on_try}>{ format!("{} ({})", t(text::CON_TRY), *lr) }</button>
        </section>
    }
}
