//! The convolution explainer: the kernel steps across a small image and every product and
//! their sum are shown — the course's worked example, done by the machine. The arithmetic is
//! `imagelab_core::filter::explain_at`, the same function family the filters use.

use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::filter::{Border, Kernel, Plane, convolve, explain_at};
use yew::prelude::*;

/// The 6×6 example: a bright blob on a dark background.
pub fn example() -> Plane {
    #[rustfmt::skip]
    let v = [
        10., 10., 10., 10., 10., 10.,
        10., 10., 80., 80., 10., 10.,
        10., 80., 200., 200., 80., 10.,
        10., 80., 200., 200., 80., 10.,
        10., 10., 80., 80., 10., 10.,
        10., 10., 10., 10., 10., 10.,
    ];
    Plane::new(6, 6, v.to_vec())
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The small image to step over.
    pub input: Plane,
    pub kernel: Kernel,
    pub border: Border,
}

fn fmt(v: f32) -> String {
    if (v - v.round()).abs() < 1e-3 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}")
    }
}

#[function_component(Explainer)]
pub fn explainer(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let p = &props.input;
    let n = p.width * p.height;
    let pos = use_state(|| 0usize);
    let at = (*pos).min(n.saturating_sub(1));
    let (x, y) = (at % p.width, at / p.width);
    let (terms, sum) = explain_at(p, &props.kernel, props.border, x, y);
    let out = convolve(p, &props.kernel, props.border);
    let r = props.kernel.size / 2;

    let step = |delta: isize| {
        let pos = pos.clone();
        Callback::from(move |_: MouseEvent| {
            let next = (at as isize + delta).rem_euclid(n as isize) as usize;
            pos.set(next);
        })
    };

    // The input grid with a ring of border cells, so padding is visible.
    let grid_in = {
        let ri = r as isize;
        html! {
            <table class="grid" aria-label={t(text::EXPLAIN_INPUT)}>
            { for (-ri..p.height as isize + ri).map(|gy| html! {
                <tr>
                { for (-ri..p.width as isize + ri).map(|gx| {
                    let outside = gx < 0 || gy < 0 || gx >= p.width as isize || gy >= p.height as isize;
                    let under = (gx - x as isize).abs() <= ri && (gy - y as isize).abs() <= ri;
                    let value = if under {
                        let k = ((gy - y as isize + ri) as usize) * props.kernel.size + (gx - x as isize + ri) as usize;
                        terms[k].pixel
                    } else if outside {
                        p.sample(gx, gy, props.border)
                    } else {
                        p.get(gx as usize, gy as usize)
                    };
                    let center = gx == x as isize && gy == y as isize;
                    html! {
                        <td class={classes!(outside.then_some("outside"), under.then_some("under"), center.then_some("center"))}>
                            { fmt(value) }
                        </td>
                    }
                }) }
                </tr>
            }) }
            </table>
        }
    };
    let grid_out = html! {
        <table class="grid" aria-label={t(text::EXPLAIN_OUTPUT)}>
        { for (0..p.height).map(|oy| html! {
            <tr>
            { for (0..p.width).map(|ox| {
                let i = oy * p.width + ox;
                let done = i <= at;
                html! { <td class={classes!((i == at).then_some("center"))}>{ if done { fmt(out.get(ox, oy)) } else { String::new() } }</td> }
            }) }
            </tr>
        }) }
        </table>
    };
    let sum_text = terms
        .iter()
        .map(|term| format!("{}×{}", fmt(term.pixel), fmt(term.weight)))
        .collect::<Vec<_>>()
        .join(" + ");

    html! {
        <div class="explainer">
            <div class="actions">
                <button id="explain-prev" onclick={step(-1)}>{ t(text::EXPLAIN_PREV) }</button>
                <button id="explain-next" onclick={step(1)}>{ t(text::EXPLAIN_NEXT) }</button>
                <span class="readout">{ format!("{} (x={x}, y={y})", t(text::EXPLAIN_POSITION)) }</span>
            </div>
            <div class="panels">
                <figure><figcaption>{ t(text::EXPLAIN_INPUT) }</figcaption>{ grid_in }</figure>
                <figure><figcaption>{ t(text::EXPLAIN_OUTPUT) }</figcaption>{ grid_out }</figure>
            </div>
            <p id="explain-sum" class="readout" aria-live="polite">
                { format!("{sum_text} = {}", fmt(sum)) }
                <br />
                <strong>{ format!("{} = {}", t(text::EXPLAIN_SUM), fmt(sum)) }</strong>
            </p>
        </div>
    }
}
