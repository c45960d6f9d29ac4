//! The webcam: a live view with the current filter applied to every frame (ms per frame shown),
//! a front/back switch, and "use this frame" to load it as the lab's photo.

use crate::canvas::Rgba;
use crate::media::{open_stream, stop_tracks};
use crate::text::{self, T};
use image::RgbImage;
use imagelab_core::Lang;
use imagelab_core::i18n::Text;
use imagelab_core::images::color::{channels_rgba, grayscale_rgba};
use imagelab_core::images::filter::{Border, Kernel, Plane, convolve, sobel_magnitude};
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream};
use yew::prelude::*;

/// Frames are processed at this size.
const W: u32 = 640;
const H: u32 = 480;

/// What the live view applies: a kernel, or the Sobel magnitude when `None`.
#[derive(Clone, PartialEq)]
pub struct LiveFilter {
    pub kernel: Option<Kernel>,
    pub border: Border,
    pub absolute: bool,
    /// Filter R, G and B separately instead of the grayscale.
    pub colour: bool,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub filter: LiveFilter,
    pub on_capture: Callback<RgbImage>,
}

struct Live {
    stream: Option<MediaStream>,
    interval: Option<gloo_timers::callback::Interval>,
}

fn stop(live: &mut Live) {
    live.interval = None;
    if let Some(stream) = live.stream.take() {
        stop_tracks(&stream);
    }
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Grabs the current video frame as RGBA bytes at W×H.
fn grab(video: &HtmlVideoElement, scratch: &HtmlCanvasElement) -> Option<Vec<u8>> {
    if video.video_width() == 0 {
        return None;
    }
    // Frames are read back every time: ask for a CPU-side canvas (no GPU readback per frame).
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into());
    let ctx: CanvasRenderingContext2d = scratch.get_context_with_context_options("2d", &options).ok().flatten()?.dyn_into().ok()?;
    ctx.draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, W as f64, H as f64).ok()?;
    Some(ctx.get_image_data(0.0, 0.0, W as f64, H as f64).ok()?.data().0)
}

fn to_rgb(rgba: &[u8]) -> Option<RgbImage> {
    RgbImage::from_raw(W, H, rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect())
}

fn apply(filter: &LiveFilter, gray: &Plane) -> Plane {
    match &filter.kernel {
        Some(k) => convolve(gray, k, filter.border),
        None => sobel_magnitude(gray, filter.border),
    }
}

#[function_component(Camera)]
pub fn camera(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let video = use_node_ref();
    let out = use_node_ref();
    let scratch = use_node_ref();
    let live = use_mut_ref(|| Live { stream: None, interval: None });
    let running = use_state(|| false);
    let facing_back = use_state(|| false);
    let error = use_state(|| None::<Text>);
    // (whole frame, after the grab) in milliseconds.
    let ms = use_state(|| None::<(f64, f64)>);
    // The interval reads the latest filter through this cell.
    let filter_cell = use_mut_ref(|| props.filter.clone());
    *filter_cell.borrow_mut() = props.filter.clone();

    {
        let live = live.clone();
        use_effect_with((), move |_| move || stop(&mut live.borrow_mut()));
    }

    let start = {
        let (video, out, scratch, live, running, error, ms, filter_cell) =
            (video.clone(), out.clone(), scratch.clone(), live.clone(), running.clone(), error.clone(), ms.clone(), filter_cell.clone());
        move |back: bool| {
            let (video, out, scratch, live, running, error, ms, filter_cell) = (
                video.clone(),
                out.clone(),
                scratch.clone(),
                live.clone(),
                running.clone(),
                error.clone(),
                ms.clone(),
                filter_cell.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                stop(&mut live.borrow_mut());
                let fail = |why: crate::error::PageError| text::CAM_FAILED.because(&why);
                let stream = match open_stream(Some(if back { "environment" } else { "user" })).await {
                    Ok(s) => s,
                    Err(why) => {
                        error.set(Some(fail(why)));
                        running.set(false);
                        return;
                    }
                };
                let Some(v) = video.cast::<HtmlVideoElement>() else { return };
                v.set_src_object(Some(&stream));
                let _ = v.play();
                error.set(None);
                running.set(true);
                let interval = gloo_timers::callback::Interval::new(66, move || {
                    let (Some(v), Some(o), Some(s)) =
                        (video.cast::<HtmlVideoElement>(), out.cast::<HtmlCanvasElement>(), scratch.cast::<HtmlCanvasElement>())
                    else {
                        return;
                    };
                    let perf = web_sys::window().and_then(|w| w.performance());
                    let t0 = perf.as_ref().map(|p| p.now()).unwrap_or_default();
                    let Some(frame) = grab(&v, &s) else { return };
                    let t_grab = perf.as_ref().map(|p| p.now()).unwrap_or_default();
                    let filter = filter_cell.borrow().clone();
                    let px = if filter.colour {
                        let planes = channels_rgba(&frame, W as usize, H as usize).map(|p| apply(&filter, &p));
                        Rgba::from_planes(&planes, filter.absolute)
                    } else {
                        Rgba::from_plane(&apply(&filter, &grayscale_rgba(&frame, W as usize, H as usize)), filter.absolute)
                    };
                    if let (Some(ctx), Ok(data)) =
                        (context(&o), web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px.data), W, H))
                    {
                        let _ = ctx.put_image_data(&data, 0.0, 0.0);
                    }
                    let t1 = perf.as_ref().map(|p| p.now()).unwrap_or_default();
                    ms.set(Some((t1 - t0, t1 - t_grab)));
                });
                let mut l = live.borrow_mut();
                l.stream = Some(stream);
                l.interval = Some(interval);
            });
        }
    };
    let on_start = {
        let (start, facing_back) = (start.clone(), facing_back.clone());
        Callback::from(move |_: MouseEvent| start(*facing_back))
    };
    let on_switch = {
        let (start, facing_back) = (start.clone(), facing_back.clone());
        Callback::from(move |_: MouseEvent| {
            let back = !*facing_back;
            facing_back.set(back);
            start(back);
        })
    };
    let on_stop = {
        let (live, running) = (live.clone(), running.clone());
        Callback::from(move |_: MouseEvent| {
            stop(&mut live.borrow_mut());
            running.set(false);
        })
    };
    let on_capture = {
        let (video, scratch, cb) = (video.clone(), scratch.clone(), props.on_capture.clone());
        Callback::from(move |_: MouseEvent| {
            if let (Some(v), Some(s)) = (video.cast::<HtmlVideoElement>(), scratch.cast::<HtmlCanvasElement>())
                && let Some(frame) = grab(&v, &s).as_deref().and_then(to_rgb)
            {
                cb.emit(frame);
            }
        })
    };

    html! {
        <div class="camera">
            <div class="actions">
                if !*running {
                    <button id="camera-start" onclick={on_start}>{ t(text::CAM_START) }</button>
                } else {
                    <button id="camera-stop" onclick={on_stop}>{ t(text::CAM_STOP) }</button>
                    <button id="camera-switch" onclick={on_switch}>{ t(text::CAM_SWITCH) }</button>
                    <button id="camera-capture" onclick={on_capture}>{ t(text::CAM_CAPTURE) }</button>
                }
            </div>
            if let Some(e) = &*error { <p id="camera-error" class="error" role="alert">{ e.get(l) }</p> }
            <canvas ref={scratch} width={W.to_string()} height={H.to_string()} hidden=true aria-hidden="true"></canvas>
            <div class="panels" hidden={!*running}>
                <figure>
                    <video ref={video} class="pixels" muted=true autoplay=true playsinline=true aria-label={t(text::CAM_VIDEO)}></video>
                    <figcaption>{ t(text::CAM_VIDEO) }</figcaption>
                </figure>
                <figure>
                    <canvas ref={out} id="camera-live" class="pixels" width={W.to_string()} height={H.to_string()} role="img" aria-label={t(text::CAM_LIVE)}></canvas>
                    <figcaption>
                        { t(text::CAM_LIVE) }
                        <span id="camera-ms" data-ms={ms.map(|(m, _)| format!("{m:.2}"))} data-process-ms={ms.map(|(_, p)| format!("{p:.2}"))}>
                            { ms.map(|(m, p)| format!(" — {}: {m:.1} ms ({W}×{H}; {} {p:.1} ms)", t(text::CAM_MS), t(text::CAM_PROCESS))).unwrap_or_default() }
                        </span>
                    </figcaption>
                </figure>
            </div>
        </div>
    }
}
