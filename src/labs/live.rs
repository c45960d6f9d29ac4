//! ライブ予測 — live prediction: webcam frames, cut to the model's input size, go to the worker;
//! the class probabilities come back as bars. One frame is in flight at a time, so a slow device
//! lowers the rate instead of queueing frames.

use crate::canvas::{PixelCanvas, Rgba};
use crate::media::{open_stream, stop_tracks};
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::images::color::grayscale_rgba;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, HtmlVideoElement, MediaStream};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub class_names: Vec<String>,
    /// The model's input: channels, height, width.
    pub input: (usize, usize, usize),
    /// The latest probabilities and how many predictions have arrived.
    pub probabilities: Option<Vec<f32>>,
    pub count: u64,
    /// Answers to side requests so far (predictions and refusals): a frame is in flight until
    /// this grows.
    pub answers: u64,
    /// Whether a model is ready in the worker.
    pub ready: bool,
    /// Sends one frame (HWC pixels of the input size) for prediction.
    pub on_frame: Callback<Vec<u8>>,
}

struct Live {
    stream: Option<MediaStream>,
    interval: Option<gloo_timers::callback::Interval>,
    /// The prediction count when the last frame was sent (one frame in flight at a time).
    sent_at: Option<u64>,
    /// (time ms, count) when measuring started, for predictions per second.
    since: Option<(f64, u64)>,
}

fn stop(live: &mut Live) {
    live.interval = None;
    if let Some(stream) = live.stream.take() {
        stop_tracks(&stream);
    }
    live.sent_at = None;
    live.since = None;
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_default()
}

/// The centre square of the frame, scaled to the input size, as HWC bytes: grayscale (inverted
/// and contrast-stretched, like the white-on-black digits) or RGB.
fn frame(video: &HtmlVideoElement, scratch: &HtmlCanvasElement, (c, h, w): (usize, usize, usize), invert: bool) -> Option<Vec<u8>> {
    let (vw, vh) = (video.video_width() as f64, video.video_height() as f64);
    if vw == 0.0 {
        return None;
    }
    scratch.set_width(w as u32);
    scratch.set_height(h as u32);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into());
    let ctx: CanvasRenderingContext2d = scratch.get_context_with_context_options("2d", &options).ok().flatten()?.dyn_into().ok()?;
    let side = vw.min(vh);
    ctx.draw_image_with_html_video_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        video,
        (vw - side) / 2.0,
        (vh - side) / 2.0,
        side,
        side,
        0.0,
        0.0,
        w as f64,
        h as f64,
    )
    .ok()?;
    let rgba = ctx.get_image_data(0.0, 0.0, w as f64, h as f64).ok()?.data().0;
    if c == 3 {
        return Some(rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect());
    }
    let gray = grayscale_rgba(&rgba, w, h).data;
    let gray: Vec<f32> = if invert { gray.iter().map(|g| 255.0 - g).collect() } else { gray };
    let (lo, hi) = gray.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let span = (hi - lo).max(1.0);
    Some(gray.iter().map(|v| ((v - lo) / span * 255.0).round() as u8).collect())
}

#[function_component(LivePredict)]
pub fn live_predict(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let video = use_node_ref();
    let scratch = use_node_ref();
    let live = use_mut_ref(|| Live { stream: None, interval: None, sent_at: None, since: None });
    let running = use_state(|| false);
    // Between the click and the camera's answer (a second click must not open a second stream).
    let starting = use_state(|| false);
    let invert = use_state(|| true);
    let error = use_state(|| None::<crate::error::PageError>);
    let last_input = use_state(|| None::<Rgba>);
    // The latest number of answers, read by the interval.
    let count = use_mut_ref(|| props.answers);
    *count.borrow_mut() = props.answers;
    let invert_cell = use_mut_ref(|| *invert);
    *invert_cell.borrow_mut() = *invert;
    {
        let live = live.clone();
        use_effect_with((), move |_| move || stop(&mut live.borrow_mut()));
    }
    {
        // No model (a new run started): the camera stops.
        let (live, running) = (live.clone(), running.clone());
        use_effect_with(props.ready, move |ready| {
            if !*ready {
                stop(&mut live.borrow_mut());
                running.set(false);
            }
        });
    }

    let on_start = {
        let (video, scratch, live, running, starting, error, last_input, count, invert_cell, on_frame, input) = (
            video.clone(),
            scratch.clone(),
            live.clone(),
            running.clone(),
            starting.clone(),
            error.clone(),
            last_input.clone(),
            count.clone(),
            invert_cell.clone(),
            props.on_frame.clone(),
            props.input,
        );
        Callback::from(move |_: MouseEvent| {
            let (video, scratch, live, running, starting, error, last_input, count, invert_cell, on_frame) = (
                video.clone(),
                scratch.clone(),
                live.clone(),
                running.clone(),
                starting.clone(),
                error.clone(),
                last_input.clone(),
                count.clone(),
                invert_cell.clone(),
                on_frame.clone(),
            );
            if *running || *starting {
                return;
            }
            starting.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                stop(&mut live.borrow_mut());
                let stream = match open_stream(None).await {
                    Ok(s) => s,
                    Err(why) => {
                        error.set(Some(why));
                        starting.set(false);
                        return;
                    }
                };
                starting.set(false);
                let Some(v) = video.cast::<HtmlVideoElement>() else {
                    stop_tracks(&stream);
                    return;
                };
                v.set_src_object(Some(&stream));
                let _ = v.play();
                error.set(None);
                running.set(true);
                let live_for_tick = live.clone();
                let interval = gloo_timers::callback::Interval::new(20, move || {
                    let mut l = live_for_tick.borrow_mut();
                    let n = *count.borrow();
                    // One frame in flight: wait for its answer.
                    if l.sent_at.is_some_and(|s| s == n) {
                        return;
                    }
                    let (Some(v), Some(s)) = (video.cast::<HtmlVideoElement>(), scratch.cast::<HtmlCanvasElement>()) else { return };
                    let Some(px) = frame(&v, &s, input, *invert_cell.borrow()) else { return };
                    if l.since.is_none() {
                        l.since = Some((now(), n));
                    }
                    l.sent_at = Some(n);
                    let (c, h, w) = input;
                    let rgba: Vec<u8> = if c == 3 {
                        px.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect()
                    } else {
                        px.iter().flat_map(|&g| [g, g, g, 255]).collect()
                    };
                    last_input.set(Some(Rgba { width: w as u32, height: h as u32, data: Rc::new(rgba) }));
                    on_frame.emit(px);
                });
                let mut l = live.borrow_mut();
                l.stream = Some(stream);
                l.interval = Some(interval);
            });
        })
    };
    let on_stop = {
        let (live, running) = (live.clone(), running.clone());
        Callback::from(move |_: MouseEvent| {
            stop(&mut live.borrow_mut());
            running.set(false);
        })
    };
    let on_invert = {
        let invert = invert.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            invert.set(input.checked());
        })
    };
    let rate = live.borrow().since.and_then(|(t0, n0)| {
        let dt = (now() - t0) / 1000.0;
        (dt > 0.5).then(|| (props.answers.saturating_sub(n0)) as f64 / dt)
    });
    let best = props.probabilities.as_ref().map(|p| imagelab_core::nn::metrics::argmax(p));
    // The built-in digits' hint (write a digit on paper) only for a model of the digits.
    let digits = props.class_names.len() == 10 && props.class_names.iter().enumerate().all(|(i, n)| *n == i.to_string());

    html! {
        <section class="live" aria-labelledby="live-heading">
            <h3 id="live-heading">{ t(text::LIVE_HEADING) }</h3>
            <p class="note">
                if digits { { t(text::LIVE_INTRO) } } else { { format!("{}{}", t(text::LIVE_INTRO_OWN), props.class_names.join("、")) } }
            </p>
            <div class="actions">
                if !*running {
                    <button id="live-start" onclick={on_start} disabled={!props.ready || *starting}>{ t(text::LIVE_START) }</button>
                } else {
                    <button id="live-stop" onclick={on_stop}>{ t(text::CAM_STOP) }</button>
                }
                if props.input.0 == 1 {
                    <div class="field checkbox">
                        <label for="live-invert">
                            <input id="live-invert" type="checkbox" checked={*invert} onchange={on_invert} />
                            { t(text::LIVE_INVERT) }
                        </label>
                    </div>
                }
            </div>
            if let Some(e) = &*error {
                <p class="error" role="alert">{ text::CAM_FAILED.because(e).get(l).to_owned() }</p>
            }
            <canvas ref={scratch} hidden=true aria-hidden="true"></canvas>
            <div class="live-panels" hidden={!*running}>
                <video ref={video} class="live-video" muted=true autoplay=true playsinline=true aria-label={t(text::CAM_VIDEO)}></video>
                if let Some(px) = &*last_input {
                    <figure class="inspect-image">
                        <PixelCanvas pixels={px.clone()} label={t(text::LIVE_INPUT)} id="live-input" />
                        <figcaption>{ t(text::LIVE_INPUT) }</figcaption>
                    </figure>
                }
                if let Some(p) = &props.probabilities {
                    <div>
                        <ol class="probabilities" id="live-probabilities" aria-label={t(text::PROBABILITIES)}
                            data-count={props.count.to_string()}>
                            { for p.iter().enumerate().map(|(c, v)| html! {
                                <li class={classes!((Some(c) == best).then_some("best"))}>
                                    <span class="class">{ props.class_names.get(c).cloned().unwrap_or_else(|| c.to_string()) }</span>
                                    <span class="bar" style={format!("width: {:.1}%", v * 100.0)}></span>
                                    <span class="value">{ format!("{:.1}%", v * 100.0) }</span>
                                </li>
                            }) }
                        </ol>
                        <p id="live-rate" data-rate={rate.map(|r| format!("{r:.2}"))}>
                            { rate.map(|r| format!("{}: {r:.1} / s", t(text::LIVE_RATE))).unwrap_or_default() }
                        </p>
                    </div>
                }
            </div>
        </section>
    }
}
