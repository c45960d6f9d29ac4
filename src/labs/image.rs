//! 画像 — the image lab: a photo as pixels, channels, grayscale, histograms, filters and
//! geometry. All computation is `imagelab_core` (`color`, `filter`, `geometry`); this file loads
//! photos through the browser's decoder and draws.

use crate::blobs;
use crate::canvas::{PixelCanvas, Rgba};
use crate::error::PageError;
use crate::labs::camera::{Camera, LiveFilter};
use crate::labs::explain::{self, Explainer};
use crate::labs::patches::Patches;
use crate::text::{self, T};
use image::RgbImage;
use imagelab_core::Lang;
use imagelab_core::i18n::Text;
use imagelab_core::images::color::{channel, equalize, grayscale, histogram};
use imagelab_core::images::filter::{Border, Kernel, Plane};
use imagelab_core::images::geometry::crop;
use imagelab_core::images::ops::{Filter, Geo, GeoParams};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The long side photos are scaled to.
const MAX_SIDE: u32 = 640;
const MAX_FILE_BYTES: f64 = 100e6;
/// Files taken from one pick or drop, and photos kept in the gallery.
const MAX_FILES: usize = 50;
const MAX_GALLERY: usize = 50;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// Told the current photo whenever it changes (the augmentation lab previews it).
    #[prop_or_default]
    pub on_photo: Callback<Rc<RgbImage>>,
}

/// Decodes an image file with the browser's decoder (EXIF orientation applied), scaled so the
/// long side is at most [`MAX_SIDE`].
async fn decode_file(file: web_sys::File) -> Result<RgbImage, Text> {
    let name = file.name();
    let bad = |e: PageError| {
        let e = e.text();
        Text::new(format!("{}{name} — {}", text::IMG_BAD_FILE.0, e.ja), format!("{}{name} — {}", text::IMG_BAD_FILE.1, e.en))
    };
    if file.size() > MAX_FILE_BYTES {
        return Err(Text::new(text::IMG_TOO_BIG_FILE.0, text::IMG_TOO_BIG_FILE.1));
    }
    // The header is checked first (a decompression bomb is refused before the browser allocates
    // its pixels), then the browser decodes.
    let bitmap = blobs::decode(&file).await.map_err(|e| match e {
        PageError::Refused(why) => Text::new(
            format!("{}{name} — {}", text::IMG_TOO_MANY_PIXELS.0, why.ja),
            format!("{}{name} — {}", text::IMG_TOO_MANY_PIXELS.1, why.en),
        ),
        PageError::ImageSize => text::IMG_TOO_MANY_PIXELS.followed_by(&name),
        other => bad(other),
    })?;
    let (w, h) = (bitmap.width(), bitmap.height());
    let scale = (MAX_SIDE as f64 / w.max(h) as f64).min(1.0);
    let (tw, th) = (((w as f64 * scale).round() as u32).max(1), ((h as f64 * scale).round() as u32).max(1));
    let drawn = blobs::canvas(tw, th).and_then(|(_canvas, ctx)| {
        ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw as f64, th as f64).map_err(|e| PageError::from_js(&e))?;
        ctx.get_image_data(0.0, 0.0, tw as f64, th as f64).map_err(|e| PageError::from_js(&e))
    });
    bitmap.close();
    let rgba = drawn.map_err(bad)?.data().0;
    let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    RgbImage::from_raw(tw, th, rgb).ok_or_else(|| bad(PageError::ImageSize))
}

/// The pixel under a mouse or pointer event on a canvas showing a `w`×`h` image.
fn pixel_at(e: &MouseEvent, w: u32, h: u32) -> Option<(usize, usize)> {
    let canvas: HtmlCanvasElement = e.target()?.dyn_into().ok()?;
    let rect = canvas.get_bounding_client_rect();
    if rect.width() <= 0.0 || rect.height() <= 0.0 {
        return None;
    }
    let x = ((e.client_x() as f64 - rect.left()) / rect.width() * w as f64).clamp(0.0, w as f64 - 1.0);
    let y = ((e.client_y() as f64 - rect.top()) / rect.height() * h as f64).clamp(0.0, h as f64 - 1.0);
    Some((x as usize, y as usize))
}

/// A photo compared by identity, so memos recompute only when a new photo arrives (also the
/// patches view's).
#[derive(Clone)]
pub(crate) struct Photo(pub(crate) Rc<RgbImage>);

impl PartialEq for Photo {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The views that depend on the photo alone.
struct Views {
    original: Rgba,
    gray: Plane,
    gray_px: Rgba,
    channels: [Rgba; 3],
    /// R, G, B and gray.
    histograms: [[u32; 256]; 4],
    equalized: Rgba,
}

impl Views {
    fn of(img: &RgbImage) -> Self {
        let gray = grayscale(img);
        let gray_u8 = gray.to_u8();
        let tints = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        let channel_values = |c: usize| img.pixels().map(|p| p[c]).collect::<Vec<u8>>();
        Views {
            original: Rgba::from_rgb(img),
            gray_px: Rgba::from_plane(&gray, false),
            channels: [0, 1, 2].map(|c| Rgba::from_plane_tinted(&channel(img, c), false, tints[c])),
            histograms: [histogram(&channel_values(0)), histogram(&channel_values(1)), histogram(&channel_values(2)), histogram(&gray_u8)],
            equalized: Rgba::from_plane(&Plane::new(gray.width, gray.height, equalize(&gray_u8)), false),
            gray,
        }
    }
}

/// A histogram as an SVG polyline per series.
fn histogram_svg(lang: Lang, series: &[(&'static str, [u32; 256])]) -> Html {
    let max = series.iter().flat_map(|(_, h)| h.iter()).copied().max().unwrap_or(1).max(1) as f64;
    html! {
        <svg class="histogram" viewBox="0 0 256 100" preserveAspectRatio="none" role="img"
             aria-label={text::IMG_HIST.get(lang)}>
            { for series.iter().map(|(class, h)| {
                let points: String = h.iter().enumerate()
                    .map(|(v, &c)| format!("{v},{:.1} ", 100.0 - c as f64 / max * 98.0))
                    .collect();
                html! { <polyline class={*class} points={points} /> }
            }) }
        </svg>
    }
}

#[function_component(ImageLab)]
pub fn image_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let img = use_state(|| Rc::new(imagelab_core::images::samples::scene(320, 240)));
    let error = use_state(|| None::<Text>);
    let loading = use_state(|| false);
    let gallery = use_state(Vec::<(String, Rc<RgbImage>)>::new);
    let filter = use_state(|| Filter::Mean3);
    let border = use_state(Border::default);
    let geo = use_state(|| Geo::Rotate);
    let params = use_state(GeoParams::default);
    let drag_from = use_state(|| None::<(usize, usize)>);
    let pixel = use_state(|| None::<(u32, u32, [u8; 3])>);
    // The kernel editor starts from the identity: output = input.
    let custom = use_state(|| Kernel { size: 3, weights: vec![0., 0., 0., 0., 1., 0., 0., 0., 0.] });
    let explain_patch = use_state(|| false);
    // The explainer's input once its cells were edited or the course's example was loaded.
    let explain_grid = use_state(|| None::<Plane>);
    let in_colour = use_state(|| false);
    {
        let on_photo = props.on_photo.clone();
        use_effect_with(img.clone(), move |img| on_photo.emit(Rc::clone(img)));
    }

    let PhotoInputs { on_files, on_dragover, on_drop, on_capture, on_sample } = use_photo_inputs(&img, &error, &loading, &gallery);
    let on_move = {
        let (img, pixel) = (img.clone(), pixel.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some((x, y)) = pixel_at(&e, img.width(), img.height()) {
                let p = img.get_pixel(x as u32, y as u32);
                pixel.set(Some((x as u32, y as u32, [p[0], p[1], p[2]])));
            }
        })
    };

    // Everything derived from the photo is memoised: hovering re-renders on every mouse move,
    // and must not redo filters or geometry on a 640-pixel photo each time.
    let photo = Photo(Rc::clone(&img));
    let views = use_memo(photo.clone(), |p| Views::of(&p.0));
    let gray = &views.gray;
    let kernel_now = filter.kernel(&custom);
    let filtered_px = use_memo(
        (photo.clone(), *filter, *border, (*custom).clone(), *in_colour),
        // `views` belongs to the same photo, which is in the dependencies.
        |(p, filter, border, custom, colour)| {
            if *colour {
                let planes = [0, 1, 2].map(|c| filter.apply(&channel(&p.0, c), *border, custom));
                Rgba::from_planes(&planes, filter.signed())
            } else {
                Rgba::from_plane(&filter.apply(&views.gray, *border, custom), filter.signed())
            }
        },
    );
    let transformed = use_memo((photo, *geo, *params), |(_, geo, params)| Rgba::from_plane(&geo.apply(&views.gray, params), false));

    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some((f, _, _)) = Filter::ALL.iter().find(|(_, id, _)| *id == v) {
                filter.set(*f);
            }
        })
    };
    let on_border = {
        let border = border.clone();
        Callback::from(move |e: Event| {
            border.set(match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "edge" => Border::Edge,
                "reflect" => Border::Reflect,
                _ => Border::Zero,
            })
        })
    };
    let (iw, ih) = (img.width(), img.height());
    let Crop { on_down, on_drag, on_up, style: crop_style } = crop_drag(&drag_from, &params, &geo, &on_move, (iw, ih));
    let on_colour = {
        let in_colour = in_colour.clone();
        Callback::from(move |e: Event| in_colour.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let on_explain_source = {
        let (explain_patch, explain_grid) = (explain_patch.clone(), explain_grid.clone());
        Callback::from(move |e: Event| {
            let source = e.target_unchecked_into::<HtmlSelectElement>().value();
            if source != "own" {
                explain_grid.set(None);
                explain_patch.set(source == "patch");
            }
        })
    };
    let on_explain_edit = {
        let explain_grid = explain_grid.clone();
        Callback::from(move |p: Plane| explain_grid.set(Some(p)))
    };
    // The course's Day-1 example: its image, its kernel (as the custom kernel) and zero padding.
    let on_explain_course = {
        let (explain_grid, filter, custom, border) = (explain_grid.clone(), filter.clone(), custom.clone(), border.clone());
        Callback::from(move |()| {
            explain_grid.set(Some(imagelab_core::images::worked::course_image()));
            custom.set(imagelab_core::images::worked::course_kernel());
            filter.set(Filter::Custom);
            border.set(Border::Zero);
        })
    };
    let explain_input = explain_input(explain_grid.as_ref(), *explain_patch, *pixel, gray);
    let kernel_table = kernel_now.clone().filter(|_| *filter != Filter::Custom).map(|k| kernel_view(l, &k));

    html! {
        <section class="lab image" aria-labelledby="image-heading" ondragover={on_dragover} ondrop={on_drop}>
            <h2 id="image-heading">{ t(text::IMG_HEADING) }</h2>
            <p class="intro">{ t(text::IMG_INTRO) }</p>
            <div class="actions">
                <label class="button" for="image-file">{ t(text::IMG_PICK) }</label>
                <input id="image-file" class="visually-hidden" type="file" accept="image/*" multiple=true onchange={on_files.clone()} />
                <label class="button" for="image-camera">{ t(text::IMG_CAMERA) }</label>
                <input id="image-camera" class="visually-hidden" type="file" accept="image/*" capture="environment" onchange={on_files} />
                <button id="image-sample" onclick={on_sample}>{ t(text::IMG_SAMPLE) }</button>
            </div>
            <p class="note">{ t(text::IMG_DROP) }</p>
            if !gallery.is_empty() {
                <ul class="gallery" aria-label={t(text::IMG_GALLERY)}>
                { for gallery.iter().enumerate().map(|(i, (name, photo))| {
                    let (img, photo) = (img.clone(), photo.clone());
                    let current = Rc::ptr_eq(&photo, &*img);
                    let onclick = Callback::from(move |_: MouseEvent| img.set(photo.clone()));
                    html! {
                        <li><button class={classes!("thumb", current.then_some("current"))} id={format!("photo-{i}")}
                                    aria-pressed={current.to_string()} {onclick}>{ name.clone() }</button></li>
                    }
                }) }
                </ul>
            }
            if *loading { <p role="status">{ t(text::IMG_LOADING) }</p> }
            if let Some(e) = &*error { <p id="image-error" class="error" role="alert">{ e.get(l) }</p> }

            <div class="panels">
                <figure>
                    <div class="crop-area" onpointerdown={on_down} onpointermove={on_drag} onpointerup={on_up}>
                        <PixelCanvas id="image-original" pixels={views.original.clone()} label={t(text::IMG_ORIGINAL)} onmousemove={on_move} />
                        if let Some(style) = crop_style { <div class="crop-rect" {style}></div> }
                    </div>
                    <figcaption>
                        { format!("{} — {}: {} × {}", t(text::IMG_ORIGINAL), t(text::IMG_SIZE), img.width(), img.height()) }
                    </figcaption>
                    <p id="pixel-readout" class="readout" aria-live="polite">
                        { match *pixel {
                            Some((x, y, [r, g, b])) => format!("(x={x}, y={y})  R={r}  G={g}  B={b}"),
                            None => t(text::IMG_PIXEL_HINT).to_owned(),
                        } }
                    </p>
                </figure>
                <figure>
                    <PixelCanvas pixels={views.gray_px.clone()} label={t(text::IMG_GRAY)} />
                    <figcaption>{ t(text::IMG_GRAY) }<br /><small>{ t(text::IMG_GRAY_FORMULA) }</small></figcaption>
                </figure>
            </div>

            <figure class="zoom">
                <figcaption>{ t(text::IMG_ZOOM) }</figcaption>
                { zoom_grid(l, gray, pixel.map(|(x, y, _)| (x as usize, y as usize))) }
            </figure>

            <h3>{ t(text::CAM_HEADING) }</h3>
            <Camera lang={l} on_capture={on_capture}
                    filter={LiveFilter { kernel: kernel_now.clone(), border: *border, absolute: filter.signed(), colour: *in_colour }} />

            { channels_and_histograms(l, &views) }

            <h3>{ t(text::IMG_FILTER) }</h3>
            <div class="settings compact">
                <div class="field">
                    <label for="filter-kind">{ t(text::IMG_FILTER) }</label>
                    <select id="filter-kind" onchange={on_filter}>
                        { for Filter::ALL.iter().map(|(f, id, (ja, en))| html! { <option value={*id} selected={*f == *filter}>{ T(ja, en).get(l) }</option> }) }
                    </select>
                </div>
                <div class="field checkbox">
                    <label for="filter-colour">
                        <input id="filter-colour" type="checkbox" checked={*in_colour} onchange={on_colour} />
                        { t(text::IMG_IN_COLOUR) }
                    </label>
                </div>
                <div class="field">
                    <label for="filter-border">{ t(text::IMG_BORDER) }</label>
                    <select id="filter-border" onchange={on_border}>
                        <option value="zero" selected={*border == Border::Zero}>{ t(text::IMG_BORDER_ZERO) }</option>
                        <option value="edge" selected={*border == Border::Edge}>{ t(text::IMG_BORDER_EDGE) }</option>
                        <option value="reflect" selected={*border == Border::Reflect}>{ t(text::IMG_BORDER_REFLECT) }</option>
                    </select>
                </div>
            </div>
            <div class="panels">
                <figure>
                    <PixelCanvas id="image-filtered" pixels={(*filtered_px).clone()} label={t(text::IMG_FILTERED)} />
                    <figcaption>{ t(text::IMG_FILTERED) }{ if filter.signed() { t(text::IMG_ABSOLUTE) } else { "" } }</figcaption>
                </figure>
                if let Some(table) = kernel_table {
                    <figure><figcaption>{ t(text::IMG_KERNEL) }</figcaption>{ table }</figure>
                }
            </div>

            if *filter == Filter::Custom {
                { kernel_editor(l, &custom) }
            }

            <h3>{ t(text::EXPLAIN_HEADING) }</h3>
            <p class="intro">{ t(text::EXPLAIN_INTRO) }</p>
            <div class="settings compact">
                <div class="field">
                    <label for="explain-source">{ t(text::EXPLAIN_SOURCE) }</label>
                    <select id="explain-source" onchange={on_explain_source}>
                        <option value="example" selected={explain_grid.is_none() && !*explain_patch}>{ t(text::EXPLAIN_EXAMPLE) }</option>
                        <option value="patch" selected={explain_grid.is_none() && *explain_patch}>{ t(text::EXPLAIN_PATCH) }</option>
                        if explain_grid.is_some() {
                            <option value="own" selected=true>{ t(text::EXPLAIN_OWN) }</option>
                        }
                    </select>
                </div>
            </div>
            <Explainer lang={l} input={explain_input} kernel={kernel_now.clone().unwrap_or_else(Kernel::sobel_x)} border={*border}
                       on_edit={on_explain_edit} on_course={on_explain_course} />

            <Patches lang={l} photo={Rc::clone(&img)} />
            <crate::labs::imagenet::ImageNetTop lang={l} photo={Rc::clone(&img)} />

            <h3>{ t(text::IMG_GEOMETRY) }</h3>
            { geometry_settings(l, &geo, &params) }
            <div class="panels">
                <figure>
                    <PixelCanvas id="image-transformed" pixels={(*transformed).clone()} label={t(text::IMG_TRANSFORMED)} />
                    <figcaption>{ format!("{} — {} × {}", t(text::IMG_TRANSFORMED), transformed.width, transformed.height) }</figcaption>
                </figure>
                <figure>
                    <figcaption>{ t(text::IMG_CODE) }</figcaption>
                    <pre><code id="geo-code">{ geo.code(&params) }</code></pre>
                </figure>
            </div>
        </section>
    }
}

/// The kernel editor: a size (3 or 5) and one number field per weight.
fn kernel_editor(l: Lang, custom: &UseStateHandle<Kernel>) -> Html {
    let k = (**custom).clone();
    let on_size = {
        let custom = custom.clone();
        Callback::from(move |e: Event| {
            let size: usize = e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(3);
            let mut weights = vec![0.0; size * size];
            weights[size * size / 2] = 1.0;
            if let Some(k) = Kernel::new(size, weights) {
                custom.set(k);
            }
        })
    };
    html! {
        <div class="kernel-editor">
            <div class="field">
                <label for="kernel-size">{ text::KERNEL_SIZE.get(l) }</label>
                <select id="kernel-size" onchange={on_size}>
                    <option value="3" selected={k.size == 3}>{ "3×3" }</option>
                    <option value="5" selected={k.size == 5}>{ "5×5" }</option>
                </select>
            </div>
            <table class="kernel" aria-label={text::IMG_KERNEL.get(l)}>
            { for (0..k.size).map(|y| html! {
                <tr>
                { for (0..k.size).map(|x| {
                    let custom = custom.clone();
                    let onchange = Callback::from(move |e: Event| {
                        let input: HtmlInputElement = e.target_unchecked_into();
                        if let Ok(v) = input.value().trim().parse::<f32>() && v.is_finite() {
                            let mut next = (*custom).clone();
                            next.weights[y * next.size + x] = v;
                            custom.set(next);
                        }
                    });
                    html! {
                        <td><input type="number" step="0.1" class="weight" id={format!("kernel-{x}-{y}")}
                                   aria-label={format!("{} ({x}, {y})", text::KERNEL_CELL.get(l))}
                                   value={k.at(x, y).to_string()} {onchange} /></td>
                    }
                }) }
                </tr>
            }) }
            </table>
        </div>
    }
}

/// The grayscale values of the 7×7 block around (x, y) (or the centre), the pointed pixel marked.
fn zoom_grid(l: Lang, gray: &Plane, at: Option<(usize, usize)>) -> Html {
    let (cx, cy) = at.unwrap_or((gray.width / 2, gray.height / 2));
    let x0 = cx.saturating_sub(3).min(gray.width.saturating_sub(7));
    let y0 = cy.saturating_sub(3).min(gray.height.saturating_sub(7));
    html! {
        <table class="grid" id="zoom-grid" aria-label={text::IMG_ZOOM.get(l)}>
        { for (y0..(y0 + 7).min(gray.height)).map(|y| html! {
            <tr>
            { for (x0..(x0 + 7).min(gray.width)).map(|x| html! {
                <td class={classes!((x == cx && y == cy).then_some("center"))}>{ gray.get(x, y).round() as i32 }</td>
            }) }
            </tr>
        }) }
        </table>
    }
}

/// How photos come into the lab, as callbacks for its controls.
struct PhotoInputs {
    /// Files chosen (each decoded in turn).
    on_files: Callback<Event>,
    on_dragover: Callback<DragEvent>,
    /// A file dropped on the lab.
    on_drop: Callback<DragEvent>,
    /// A webcam frame.
    on_capture: Callback<RgbImage>,
    /// The built-in sample scene.
    on_sample: Callback<MouseEvent>,
}

/// Photos in: files chosen or dropped, an image pasted anywhere while the lab is open, a webcam
/// frame, or the built-in sample. Files are decoded one after another into the `gallery`, the
/// first shown as `img`; a bad file gets a message in `error` and the others (and everything loaded
/// before) stay.
#[hook]
fn use_photo_inputs(
    img: &UseStateHandle<Rc<RgbImage>>,
    error: &UseStateHandle<Option<Text>>,
    loading: &UseStateHandle<bool>,
    gallery: &UseStateHandle<Vec<(String, Rc<RgbImage>)>>,
) -> PhotoInputs {
    let load_many = {
        let (img, error, loading, gallery) = (img.clone(), error.clone(), loading.clone(), gallery.clone());
        Rc::new(move |files: Vec<web_sys::File>| {
            let (img, error, loading, gallery) = (img.clone(), error.clone(), loading.clone(), gallery.clone());
            loading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let mut added: Vec<(String, Rc<RgbImage>)> = Vec::new();
                let mut failures: Vec<Text> = Vec::new();
                for file in files.into_iter().take(MAX_FILES) {
                    let name = file.name();
                    match decode_file(file).await {
                        Ok(decoded) => added.push((name, Rc::new(decoded))),
                        Err(message) => failures.push(message),
                    }
                }
                if let Some((_, first)) = added.first() {
                    img.set(first.clone());
                }
                let mut next = (*gallery).clone();
                next.extend(added);
                let overflow = next.len().saturating_sub(MAX_GALLERY);
                next.drain(..overflow);
                gallery.set(next);
                error.set(match failures.len() {
                    0 => None,
                    _ => Some(Text::new(
                        failures.iter().map(|f| f.ja.clone()).collect::<Vec<_>>().join(" / "),
                        failures.iter().map(|f| f.en.clone()).collect::<Vec<_>>().join(" / "),
                    )),
                });
                loading.set(false);
            });
        })
    };
    let load = {
        let load_many = load_many.clone();
        Rc::new(move |file: web_sys::File| load_many(vec![file]))
    };
    let on_files = {
        let load_many = load_many.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(list) = input.files() {
                load_many((0..list.length()).filter_map(|i| list.get(i)).collect());
            }
            // Choosing the same file again must fire `change` again.
            input.set_value("");
        })
    };
    let on_dragover = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = {
        let load = load.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                load(file);
            }
        })
    };
    {
        // Paste an image from the clipboard anywhere while this lab is open.
        let load = load.clone();
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::ClipboardEvent)>::new(move |e: web_sys::ClipboardEvent| {
                if let Some(file) = e.clipboard_data().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                    e.prevent_default();
                    load(file);
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("paste", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback("paste", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    let on_capture = {
        let (img, error) = (img.clone(), error.clone());
        Callback::from(move |frame: RgbImage| {
            img.set(Rc::new(frame));
            error.set(None);
        })
    };
    let on_sample = {
        let (img, error) = (img.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            img.set(Rc::new(imagelab_core::images::samples::scene(320, 240)));
            error.set(None);
        })
    };
    PhotoInputs { on_files, on_dragover, on_drop, on_capture, on_sample }
}

/// Dragging on the photo to crop it, as callbacks, and the crop's rectangle as CSS.
struct Crop {
    on_down: Callback<web_sys::PointerEvent>,
    on_drag: Callback<web_sys::PointerEvent>,
    on_up: Callback<web_sys::PointerEvent>,
    /// Where the crop is, in percent of the photo (`None`: no crop).
    style: Option<String>,
}

/// Press, drag and let go on an `iw`×`ih` photo: the rectangle between becomes the crop (and the
/// transform shown); a tap reads the pixel (`on_move`) and crops nothing.
fn crop_drag(
    drag_from: &UseStateHandle<Option<(usize, usize)>>,
    params: &UseStateHandle<GeoParams>,
    geo: &UseStateHandle<Geo>,
    on_move: &Callback<MouseEvent>,
    (iw, ih): (u32, u32),
) -> Crop {
    let on_down = {
        let (drag_from, on_move) = (drag_from.clone(), on_move.clone());
        Callback::from(move |e: web_sys::PointerEvent| {
            if let Some(p) = pixel_at(&e, iw, ih) {
                e.prevent_default();
                drag_from.set(Some(p));
                // A tap reads the pixel as hovering does (touch screens have no hover, and the
                // prevented pointer-down suppresses the emulated mouse events).
                on_move.emit(e.clone().into());
            }
        })
    };
    let update_crop = {
        let (drag_from, params, geo) = (drag_from.clone(), params.clone(), geo.clone());
        move |e: &web_sys::PointerEvent, done: bool| {
            let (Some(start), Some(end)) = (*drag_from, pixel_at(e, iw, ih)) else { return };
            if start == end {
                // A tap, not a drag: it reads a pixel and crops nothing.
                if done {
                    drag_from.set(None);
                }
                return;
            }
            let (x0, x1) = (start.0.min(end.0), start.0.max(end.0));
            let (y0, y1) = (start.1.min(end.1), start.1.max(end.1));
            let mut next = *params;
            next.crop = Some((x0, y0, x1 - x0 + 1, y1 - y0 + 1));
            params.set(next);
            geo.set(Geo::Crop);
            if done {
                drag_from.set(None);
            }
        }
    };
    let on_drag = {
        let (update_crop, dragging) = (update_crop.clone(), drag_from.is_some());
        Callback::from(move |e: web_sys::PointerEvent| {
            if dragging {
                update_crop(&e, false)
            }
        })
    };
    let on_up = Callback::from(move |e: web_sys::PointerEvent| update_crop(&e, true));
    let style = params.crop.map(|(x, y, w, h)| {
        format!(
            "left:{:.2}%;top:{:.2}%;width:{:.2}%;height:{:.2}%",
            x as f64 / iw as f64 * 100.0,
            y as f64 / ih as f64 * 100.0,
            w as f64 / iw as f64 * 100.0,
            h as f64 / ih as f64 * 100.0
        )
    });
    Crop { on_down, on_drag, on_up, style }
}

/// What the convolution explainer works on: the student's own grid (edited, or the course's
/// example), an 8×8 patch of the photo around the pixel last pointed at (`use_patch`), or the
/// built-in example.
fn explain_input(own: Option<&Plane>, use_patch: bool, pixel: Option<(u32, u32, [u8; 3])>, gray: &Plane) -> Plane {
    if let Some(own) = own {
        own.clone()
    } else if use_patch {
        let (cx, cy) = pixel.map(|(x, y, _)| (x as usize, y as usize)).unwrap_or((gray.width / 2, gray.height / 2));
        let x0 = cx.saturating_sub(4).min(gray.width.saturating_sub(8));
        let y0 = cy.saturating_sub(4).min(gray.height.saturating_sub(8));
        let patch = crop(gray, x0, y0, 8, 8).unwrap_or_else(explain::example);
        Plane::new(patch.width, patch.height, patch.data.iter().map(|v| v.round()).collect())
    } else {
        explain::example()
    }
}

/// A filter's kernel as a table of its weights.
fn kernel_view(l: Lang, k: &Kernel) -> Html {
    let t = |s: T| s.get(l);
    html! {
        <table class="kernel" aria-label={t(text::IMG_KERNEL)}>
            { for (0..k.size).map(|y| html! {
                <tr>{ for (0..k.size).map(|x| html! { <td>{ format!("{:.3}", k.at(x, y)).trim_end_matches('0').trim_end_matches('.').to_string() }</td> }) }</tr>
            }) }
        </table>
    }
}

/// The photo's three channels, and the histograms of R, G, B and gray with the equalised photo.
fn channels_and_histograms(l: Lang, views: &Views) -> Html {
    let t = |s: T| s.get(l);
    html! {
        <>
            <h3>{ t(text::IMG_CHANNELS) }</h3>
            <div class="panels three">
                <figure><PixelCanvas pixels={views.channels[0].clone()} label={t(text::IMG_CH_R)} /><figcaption>{ t(text::IMG_CH_R) }{ " — img[:, :, 0]" }</figcaption></figure>
                <figure><PixelCanvas pixels={views.channels[1].clone()} label={t(text::IMG_CH_G)} /><figcaption>{ t(text::IMG_CH_G) }{ " — img[:, :, 1]" }</figcaption></figure>
                <figure><PixelCanvas pixels={views.channels[2].clone()} label={t(text::IMG_CH_B)} /><figcaption>{ t(text::IMG_CH_B) }{ " — img[:, :, 2]" }</figcaption></figure>
            </div>

            <h3>{ t(text::IMG_HIST) }</h3>
            <div class="panels">
                <figure>
                    { histogram_svg(l, &[("r", views.histograms[0]), ("g", views.histograms[1]), ("b", views.histograms[2]), ("k", views.histograms[3])]) }
                    <figcaption>{ "R · G · B · " }{ t(text::IMG_GRAY) }</figcaption>
                </figure>
                <figure>
                    <PixelCanvas pixels={views.equalized.clone()} label={t(text::IMG_EQUALIZED)} />
                    <figcaption>{ t(text::IMG_EQUALIZED) }{ " — exposure.equalize_hist(img)" }</figcaption>
                </figure>
            </div>
        </>
    }
}

/// The transform and its settings (angle, shift, size and anti-aliasing; a hint to drag for a
/// crop).
fn geometry_settings(l: Lang, geo_state: &UseStateHandle<Geo>, params_state: &UseStateHandle<GeoParams>) -> Html {
    let t = |s: T| s.get(l);
    let on_geo = {
        let geo = geo_state.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some((g, _, _)) = Geo::ALL.iter().find(|(_, id, _)| *id == v) {
                geo.set(*g);
            }
        })
    };
    let set_param = |f: fn(&mut GeoParams, f64)| {
        let params = params_state.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let value = if input.type_() == "checkbox" {
                if input.checked() { 1.0 } else { 0.0 }
            } else {
                match input.value().trim().parse::<f64>() {
                    Ok(v) if v.is_finite() => v,
                    _ => return,
                }
            };
            let mut next = *params;
            f(&mut next, value);
            params.set(next);
        })
    };
    let (geo, params): (&Geo, &GeoParams) = (geo_state, params_state);
    html! {
            <div class="settings compact">
                <div class="field">
                    <label for="geo-kind">{ t(text::IMG_GEOMETRY) }</label>
                    <select id="geo-kind" onchange={on_geo}>
                        { for Geo::ALL.iter().map(|(g, id, (ja, en))| html! { <option value={*id} selected={*g == *geo}>{ T(ja, en).get(l) }</option> }) }
                    </select>
                </div>
                if *geo == Geo::Rotate {
                    <div class="field">
                        <label for="geo-angle">{ format!("{}: {}", t(text::IMG_ANGLE), params.angle) }</label>
                        <input id="geo-angle" type="range" min="-180" max="180" step="1" value={params.angle.to_string()}
                               onchange={set_param(|g, v| g.angle = v as f32)} />
                    </div>
                }
                if *geo == Geo::Translate {
                    <div class="field">
                        <label for="geo-tx">{ t(text::GEO_TX) }</label>
                        <input id="geo-tx" type="number" step="1" value={params.tx.to_string()} onchange={set_param(|g, v| g.tx = v as f32)} />
                    </div>
                    <div class="field">
                        <label for="geo-ty">{ t(text::GEO_TY) }</label>
                        <input id="geo-ty" type="number" step="1" value={params.ty.to_string()} onchange={set_param(|g, v| g.ty = v as f32)} />
                    </div>
                }
                if *geo == Geo::Resize {
                    <div class="field">
                        <label for="geo-w">{ t(text::GEO_W) }</label>
                        <input id="geo-w" type="number" min="1" max="2048" step="1" value={params.width.to_string()} onchange={set_param(|g, v| g.width = v.clamp(1.0, 2048.0) as usize)} />
                    </div>
                    <div class="field">
                        <label for="geo-h">{ t(text::GEO_H) }</label>
                        <input id="geo-h" type="number" min="1" max="2048" step="1" value={params.height.to_string()} onchange={set_param(|g, v| g.height = v.clamp(1.0, 2048.0) as usize)} />
                    </div>
                    <div class="field checkbox">
                        <label for="geo-aa">
                            <input id="geo-aa" type="checkbox" checked={params.anti_aliasing} onchange={set_param(|g, v| g.anti_aliasing = v > 0.5)} />
                            { t(text::GEO_AA) }
                        </label>
                    </div>
                }
                if *geo == Geo::Crop && params.crop.is_none() {
                    <p class="note">{ t(text::GEO_CROP_HINT) }</p>
                }
            </div>
    }
}
