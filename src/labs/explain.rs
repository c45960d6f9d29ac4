//! The convolution explainer: the kernel steps across a small image and every product and
//! their sum are shown — the course's worked example, done by the machine. The arithmetic is
//! `imagelab_core::images::filter::explain_at`, the same function family the filters use; the order of
//! the steps and the course-style expression (`10×0+20×1+… = 50`) are `imagelab_core::images::worked`.
//!
//! The input's values can be typed into its cells (3×3 up to 8×8); "the course's example" loads
//! the Day-1 image and kernel. Without padding the kernel stays inside the image, as in the
//! course's hand calculation; with padding it visits every pixel and hangs over the edge.

use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::images::filter::{Border, Kernel, Plane};
use imagelab_core::images::worked::{self, number};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The smallest and largest editable input (square).
pub const MIN_SIDE: usize = 3;
pub const MAX_SIDE: usize = 8;

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
    /// Told the input after a cell was typed in or the size changed. Without it the cells are
    /// read-only.
    #[prop_or_default]
    pub on_edit: Option<Callback<Plane>>,
    /// Told when "the course's example" is pressed: the parent loads the course's image and
    /// kernel (and zero padding). Without it there is no such button.
    #[prop_or_default]
    pub on_course: Option<Callback<()>>,
}

#[function_component(Explainer)]
pub fn explainer(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let p = &props.input;
    let k = &props.kernel;
    let pos = use_state(|| 0usize);
    // Padding on: every pixel is a centre (the output keeps the input's size). Off: the course's
    // hand calculation, the kernel wholly inside.
    let padded = use_state(|| true);
    let walk = worked::positions(p.width, p.height, k.size, *padded);
    let (ow, oh) = worked::output_size(p.width, p.height, k.size, *padded);
    let n = walk.len();
    let at = (*pos).min(n.saturating_sub(1));
    let current = walk.get(at).map(|&(x, y)| worked::step(p, k, props.border, x, y));
    let r = k.size / 2;

    let step = |delta: isize| {
        let pos = pos.clone();
        Callback::from(move |_: MouseEvent| {
            if n > 0 {
                pos.set((at as isize + delta).rem_euclid(n as isize) as usize);
            }
        })
    };
    let on_padded = {
        let (padded, pos) = (padded.clone(), pos.clone());
        Callback::from(move |e: Event| {
            padded.set(e.target_unchecked_into::<HtmlInputElement>().checked());
            pos.set(0);
        })
    };
    let on_course = props.on_course.clone().map(|on_course| {
        let (padded, pos) = (padded.clone(), pos.clone());
        Callback::from(move |_: MouseEvent| {
            // The course works the first step by hand without padding: the top-left window.
            padded.set(false);
            pos.set(0);
            on_course.emit(());
        })
    });
    let on_size = props.on_edit.clone().map(|on_edit| {
        let p = p.clone();
        Callback::from(move |e: Event| {
            if let Ok(side) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<usize>() {
                let side = side.clamp(MIN_SIDE, MAX_SIDE);
                on_edit.emit(worked::resized(&p, side, side));
            }
        })
    });

    // The input grid; with padding, a ring of border cells around it so the padding is visible.
    let (x, y) = current.as_ref().map(|s| (s.x as isize, s.y as isize)).unwrap_or((-100, -100));
    let ring = if *padded { r as isize } else { 0 };
    let ri = r as isize;
    let grid_in = html! {
        <table class="grid" id="explain-input" aria-label={t(text::EXPLAIN_INPUT)}>
        { for (-ring..p.height as isize + ring).map(|gy| html! {
            <tr>
            { for (-ring..p.width as isize + ring).map(|gx| {
                let outside = gx < 0 || gy < 0 || gx >= p.width as isize || gy >= p.height as isize;
                let under = (gx - x).abs() <= ri && (gy - y).abs() <= ri;
                let center = gx == x && gy == y;
                let class = classes!(outside.then_some("outside"), under.then_some("under"), center.then_some("center"));
                if outside {
                    return html! { <td {class}>{ number(p.sample(gx, gy, props.border)) }</td> };
                }
                let (cx, cy) = (gx as usize, gy as usize);
                let value = p.get(cx, cy);
                match props.on_edit.clone() {
                    Some(on_edit) => {
                        let p = p.clone();
                        let onchange = Callback::from(move |e: Event| {
                            let input: HtmlInputElement = e.target_unchecked_into();
                            if let Ok(v) = input.value().trim().replace('\u{2212}', "-").parse::<f32>() && v.is_finite() {
                                on_edit.emit(worked::with_value(&p, cx, cy, v));
                            }
                        });
                        html! {
                            <td {class}>
                                <input type="number" step="any" class="cell" id={format!("explain-cell-{cx}-{cy}")}
                                       aria-label={format!("{} (x={cx}, y={cy})", t(text::EXPLAIN_CELL))}
                                       value={number(value).replace('\u{2212}', "-")} {onchange} />
                            </td>
                        }
                    }
                    None => html! { <td {class}>{ number(value) }</td> },
                }
            }) }
            </tr>
        }) }
        </table>
    };
    let grid_out = html! {
        <table class="grid" id="explain-output" aria-label={t(text::EXPLAIN_OUTPUT)}>
        { for (0..oh).map(|oy| html! {
            <tr>
            { for (0..ow).map(|ox| {
                let i = oy * ow + ox;
                let value = (i <= at).then(|| {
                    let (sx, sy) = walk[i];
                    number(worked::step(p, k, props.border, sx, sy).sum)
                });
                html! { <td class={classes!((i == at).then_some("center"))}>{ value.unwrap_or_default() }</td> }
            }) }
            </tr>
        }) }
        </table>
    };

    let square = p.width == p.height;
    html! {
        <div class="explainer">
            <div class="settings compact explain-controls">
                if let Some(on_size) = on_size {
                    <div class="field">
                        <label for="explain-size">{ t(text::EXPLAIN_SIZE) }</label>
                        <select id="explain-size" onchange={on_size}>
                            if !square {
                                <option value="" selected=true disabled=true>{ format!("{}×{}", p.width, p.height) }</option>
                            }
                            { for (MIN_SIDE..=MAX_SIDE).map(|s| html! {
                                <option value={s.to_string()} selected={square && p.width == s}>{ format!("{s}×{s}") }</option>
                            }) }
                        </select>
                    </div>
                }
                <div class="field checkbox">
                    <label for="explain-pad">
                        <input id="explain-pad" type="checkbox" checked={*padded} onchange={on_padded} />
                        { t(text::EXPLAIN_PAD) }
                    </label>
                </div>
                if let Some(on_course) = on_course {
                    <button id="explain-course" class="primary" onclick={on_course}>{ t(text::EXPLAIN_COURSE) }</button>
                }
            </div>
            <p class="note">{ if *padded { t(text::EXPLAIN_PAD_ON) } else { t(text::EXPLAIN_PAD_OFF) } }</p>
            <div class="actions">
                <button id="explain-prev" onclick={step(-1)} disabled={n == 0}>{ t(text::EXPLAIN_PREV) }</button>
                <button id="explain-next" onclick={step(1)} disabled={n == 0}>{ t(text::EXPLAIN_NEXT) }</button>
                if let Some(s) = &current {
                    <span class="readout" id="explain-position">
                        { format!("{} {}/{n} (x={}, y={})", t(text::EXPLAIN_POSITION), at + 1, s.x, s.y) }
                    </span>
                }
            </div>
            <div class="panels">
                <figure><figcaption>{ t(text::EXPLAIN_INPUT) }</figcaption>{ grid_in }</figure>
                <figure>
                    <figcaption>{ format!("{} — {ow}×{oh}", t(text::EXPLAIN_OUTPUT)) }</figcaption>
                    { grid_out }
                </figure>
            </div>
            <p id="explain-sum" class="readout" aria-live="polite">
                { match &current {
                    Some(s) => html! {
                        <>
                            <span id="explain-expression">{ s.text() }</span>
                            if s.padded {
                                <><br /><span class="note" id="explain-padded">{ t(text::EXPLAIN_PADDED_STEP) }</span></>
                            }
                            <br />
                            <strong>{ format!("{} = {}", t(text::EXPLAIN_SUM), number(s.sum)) }</strong>
                        </>
                    },
                    None => html! { <span class="note">{ t(text::EXPLAIN_TOO_SMALL) }</span> },
                } }
            </p>
        </div>
    }
}
