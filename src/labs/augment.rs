//! データ拡張 — the augmentation lab: build a pipeline (ordered steps, each with a probability
//! and parameters), see 16 seeded draws of it on a built-in digit or on the image lab's photo, and
//! read the torchvision line that does the same. The pipeline is shared with the training lab.
//! All computation is `imagelab_core::data::augment`.

use crate::assets::DataState;
use crate::canvas::{PixelCanvas, Rgba};
use crate::labs::order_buttons;
use crate::text::{self, T};
use image::RgbImage;
use imagelab_core::Lang;
use imagelab_core::data::augment::{Aug, Image, KINDS, Pipeline, Step, preview};
use imagelab_core::images::geometry::resize;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Draws in the preview grid.
const DRAWS: usize = 16;
/// The long side a photo is scaled to for the preview.
const PREVIEW_SIDE: usize = 112;

/// An edit of the pipeline's steps.
type StepsEdit = Box<dyn Fn(&mut Vec<Step>)>;
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub data: DataState,
    /// The image lab's current photo.
    pub photo: Option<Rc<RgbImage>>,
    pub pipeline: Pipeline,
    pub on_pipeline: Callback<Pipeline>,
}

#[derive(Clone, Copy, PartialEq)]
enum Source {
    Digit,
    Photo,
}

/// The picture the grid is drawn from.
fn source_image(source: Source, data: &DataState, digit: usize, photo: Option<&RgbImage>) -> Option<Image> {
    match source {
        Source::Digit => {
            let DataState::Ready(d) = data else { return None };
            let i = digit % d.len().max(1);
            Some(Image::from_hwc(d.width, d.height, d.channels, d.image(i)))
        }
        Source::Photo => {
            let p = photo?;
            let img = Image::from_hwc(p.width() as usize, p.height() as usize, 3, p.as_raw());
            let (w, h) = (img.width(), img.height());
            let scale = PREVIEW_SIDE as f32 / w.max(h) as f32;
            if scale >= 1.0 {
                return Some(img);
            }
            let (nw, nh) = (((w as f32 * scale).round() as usize).max(1), ((h as f32 * scale).round() as usize).max(1));
            Some(Image { planes: img.planes.iter().map(|p| resize(p, nw, nh, true)).collect() })
        }
    }
}

fn to_rgba(img: &Image) -> Rgba {
    Rgba { width: img.width() as u32, height: img.height() as u32, data: Rc::new(img.to_rgba()) }
}

#[function_component(AugmentLab)]
pub fn augment_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let source = use_state(|| Source::Digit);
    let digit = use_state(|| 0usize);
    let seed = use_state(|| 1u64);
    let add_kind = use_state(|| KINDS[0].slug());

    let pipeline = &props.pipeline;
    let valid = pipeline.validate();
    // Memoised: a re-render for another reason must not rescale the photo or redraw 16 images.
    let img = use_memo((*source, *digit, props.photo.clone(), props.data.clone()), |(source, digit, photo, data)| {
        source_image(*source, data, *digit, photo.as_deref())
    });
    let grid = use_memo((img.clone(), pipeline.clone(), *seed, valid.is_ok()), |(img, pipeline, seed, ok)| match (&**img, ok) {
        (Some(img), true) => preview(img, pipeline, *seed, DRAWS).iter().map(to_rgba).collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let img = (*img).clone();

    let set_steps = {
        let (on, pipeline) = (props.on_pipeline.clone(), pipeline.clone());
        move |f: StepsEdit| {
            let mut next = pipeline.clone();
            f(&mut next.steps);
            on.emit(next);
        }
    };
    let on_source = {
        let source = source.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            source.set(if sel.value() == "photo" { Source::Photo } else { Source::Digit });
        })
    };
    let on_next_digit = {
        let digit = digit.clone();
        // Step by 37 so consecutive clicks visit different classes (the sprite is in class runs).
        Callback::from(move |_: MouseEvent| digit.set(*digit + 37))
    };
    let on_seed = {
        let seed = seed.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<u64>() {
                seed.set(v);
            }
        })
    };
    let on_redraw = {
        let seed = seed.clone();
        Callback::from(move |_: MouseEvent| seed.set(seed.wrapping_add(1)))
    };
    let on_add_kind = {
        let add_kind = add_kind.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(k) = Aug::from_slug(&sel.value()) {
                add_kind.set(k.slug());
            }
        })
    };
    let on_add = {
        let (set_steps, add_kind) = (set_steps.clone(), add_kind.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(aug) = Aug::from_slug(*add_kind) {
                set_steps(Box::new(move |steps| steps.push(Step { aug: aug.clone(), p: 0.5 })));
            }
        })
    };
    let on_preset = {
        let on = props.on_pipeline.clone();
        Callback::from(move |_: MouseEvent| on.emit(Pipeline::digits()))
    };
    let on_clear = {
        let on = props.on_pipeline.clone();
        Callback::from(move |_: MouseEvent| on.emit(Pipeline::default()))
    };

    let on_mixup = {
        let (on, pipeline) = (props.on_pipeline.clone(), pipeline.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<f32>() {
                on.emit(Pipeline { mixup: v, ..pipeline.clone() });
            }
        })
    };
    let size = img.as_ref().map(|i| (i.height(), i.width())).unwrap_or((28, 28));
    let photo_missing = *source == Source::Photo && props.photo.is_none();

    html! {
        <section class="lab augment" aria-labelledby="augment-heading">
            <h2 id="augment-heading">{ t(text::AUG_HEADING) }</h2>
            <p class="intro">{ t(text::AUG_INTRO) }</p>

            <div class="actions">
                <div class="field">
                    <label for="aug-source">{ t(text::AUG_SOURCE) }</label>
                    <select id="aug-source" onchange={on_source}>
                        <option value="digit" selected={*source == Source::Digit}>{ t(text::AUG_SOURCE_DIGIT) }</option>
                        <option value="photo" selected={*source == Source::Photo}>{ t(text::AUG_SOURCE_PHOTO) }</option>
                    </select>
                </div>
                if *source == Source::Digit {
                    <button id="aug-next-digit" onclick={on_next_digit}>{ t(text::AUG_NEXT_DIGIT) }</button>
                }
            </div>
            if photo_missing {
                <p class="note">{ t(text::AUG_NO_PHOTO) }</p>
            }

            <h3>{ t(text::AUG_PIPELINE) }</h3>
            if pipeline.steps.is_empty() {
                <p class="note" id="aug-empty">{ t(text::AUG_EMPTY) }</p>
            }
            <ol id="aug-steps" class="aug-steps">
                { for pipeline.steps.iter().enumerate().map(|(i, step)| step_row(l, i, step, pipeline.steps.len(), &set_steps)) }
            </ol>
            <div class="actions">
                <select id="aug-add-kind" aria-label={t(text::AUG_ADD_KIND)} onchange={on_add_kind}>
                    { for KINDS.iter().map(|k| html! {
                        <option value={k.slug()} selected={k.slug() == *add_kind}>{ k.name().get(l).to_owned() }</option>
                    }) }
                </select>
                <button id="aug-add" onclick={on_add}>{ t(text::AUG_ADD) }</button>
                <button id="aug-preset" onclick={on_preset}>{ t(text::AUG_PRESET_DIGITS) }</button>
                <button id="aug-clear" onclick={on_clear}>{ t(text::AUG_CLEAR) }</button>
            </div>
            <div class="field">
                <label for="aug-mixup">{ t(text::AUG_MIXUP) }</label>
                <input id="aug-mixup" type="number" min="0" max="4" step="0.1" inputmode="decimal"
                       value={pipeline.mixup.to_string()} onchange={on_mixup} />
            </div>
            if let Err(e) = &valid {
                <p id="aug-error" class="error" role="alert">{ e.text().get(l).to_owned() }</p>
            }

            <h3>{ t(text::AUG_PREVIEW) }</h3>
            <div class="actions">
                <div class="field">
                    <label for="aug-seed">{ t(text::SEED) }</label>
                    <input id="aug-seed" type="number" min="0" step="1" inputmode="numeric"
                           value={seed.to_string()} onchange={on_seed} />
                </div>
                <button id="aug-redraw" onclick={on_redraw}>{ t(text::AUG_REDRAW) }</button>
            </div>
            <p class="note">{ t(text::AUG_SEED_NOTE) }</p>
            <div class="aug-preview">
                if let Some(img) = &img {
                    <figure class="aug-original">
                        <PixelCanvas pixels={to_rgba(img)} id="aug-original" label={t(text::AUG_ORIGINAL)} />
                        <figcaption>{ t(text::AUG_ORIGINAL) }</figcaption>
                    </figure>
                }
                <div id="aug-grid" class="aug-grid" data-seed={seed.to_string()} data-count={grid.len().to_string()}>
                    { for grid.iter().enumerate().map(|(k, px)| html! {
                        <PixelCanvas pixels={px.clone()} label={format!("{} {}", t(text::AUG_DRAW), k + 1)} />
                    }) }
                </div>
            </div>

            <h3>{ t(text::AUG_CODE) }</h3>
            <pre class="code"><code id="aug-code">{ format!("import torchvision.transforms.v2 as T\ntransform = {}", pipeline.torchvision(size)) }</code></pre>
            <p class="note">{ t(text::AUG_TO_TRAIN) }</p>
        </section>
    }
}

/// One step of the pipeline: its name, probability, parameters and order buttons.
fn step_row(l: Lang, i: usize, step: &Step, count: usize, set_steps: &(impl Fn(Box<dyn Fn(&mut Vec<Step>)>) + Clone + 'static)) -> Html {
    let t = |s: T| s.get(l);
    let name = step.aug.name().get(l).to_owned();
    let on_p = {
        let set_steps = set_steps.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<f32>() {
                set_steps(Box::new(move |steps| steps[i].p = v));
            }
        })
    };
    html! {
        <li class="aug-step" data-kind={step.aug.slug()}>
            <strong>{ name.clone() }</strong>
            <div class="field">
                <label for={format!("aug-p-{i}")}>{ t(text::AUG_PROBABILITY) }</label>
                <input id={format!("aug-p-{i}")} type="number" min="0" max="1" step="0.05" inputmode="decimal"
                       value={step.p.to_string()} onchange={on_p} />
            </div>
            { for step.aug.params().into_iter().map(|param| {
                let id = format!("aug-{i}-{}", param.key);
                let key = param.key;
                let set_steps = set_steps.clone();
                let apply = move |v: f32| set_steps(Box::new(move |steps| steps[i].aug = steps[i].aug.with_param(key, v)));
                if key == "fill" {
                    let onchange = Callback::from(move |e: Event| {
                        let sel: HtmlSelectElement = e.target_unchecked_into();
                        if let Ok(v) = sel.value().parse::<f32>() { apply(v) }
                    });
                    html! {
                        <div class="field">
                            <label for={id.clone()}>{ param.label.get(l).to_owned() }</label>
                            <select {id} {onchange}>
                                { for [(0.0, text::AUG_FILL_ZERO), (1.0, text::AUG_FILL_GRAY), (2.0, text::AUG_FILL_RANDOM)].into_iter().map(|(v, name)| html! {
                                    <option value={v.to_string()} selected={param.value == v}>{ t(name) }</option>
                                }) }
                            </select>
                        </div>
                    }
                } else {
                    let onchange = Callback::from(move |e: Event| {
                        let input: HtmlInputElement = e.target_unchecked_into();
                        if let Ok(v) = input.value().trim().parse::<f32>() { apply(v) }
                    });
                    html! {
                        <div class="field">
                            <label for={id.clone()}>{ param.label.get(l).to_owned() }</label>
                            <input {id} type="number" inputmode="decimal" min={param.min.to_string()} max={param.max.to_string()}
                                   step={param.step.to_string()} value={param.value.to_string()} {onchange} />
                        </div>
                    }
                }
            }) }
            { order_buttons(l, i, count, &name, set_steps) }
        </li>
    }
}
