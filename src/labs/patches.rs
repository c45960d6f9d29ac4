//! "An image is worth 16×16 words": the current photo cut into P×P patches the way a Vision
//! Transformer reads it — the photo with the patch grid and the patches' numbers in reading
//! order, the patches laid out as the sequence, and the counts ("224×224×3 → 196 patches of 768
//! values") computed for this photo. The cutting is `imagelab_core::images::patches`; this file draws.

use crate::canvas::{PixelCanvas, Rgba};
use crate::text::{self, T};
use image::RgbImage;
use imagelab_core::Lang;
use imagelab_core::images::patches::{PatchGrid, VIT_PATCH, VIT_SIZE, patch_values, resize_rgb};
use std::rc::Rc;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The patch sides offered.
pub const SIDES: [usize; 3] = [8, 16, 32];
/// At most this many patch canvases are laid out (a 640×480 photo at P = 8 has 4,800).
pub const MAX_DRAWN: usize = 300;
/// Values of patch 1 written out.
const FLAT_SHOWN: usize = 12;
/// The grid picture is drawn at least this wide (the photo scaled up by a whole factor), so
/// the numbers are sharp.
const DRAW_WIDTH: f64 = 640.0;
/// Numbers are written in cells at least this many canvas pixels wide.
const MIN_NUMBERED_CELL: f64 = 12.0;

#[derive(Properties)]
pub struct Props {
    pub lang: Lang,
    /// The current photo of the image lab.
    pub photo: Rc<RgbImage>,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang && Rc::ptr_eq(&self.photo, &other.photo)
    }
}

use crate::labs::image::Photo as PhotoRef;

/// The photo cut into patches.
struct Cut {
    /// The image that was cut (the photo, or the photo resized to 224×224).
    image: Rc<RgbImage>,
    grid: PatchGrid,
    /// The first [`MAX_DRAWN`] patches as pictures.
    drawn: Vec<Rgba>,
    /// The first values of patch 1, flattened.
    first: Vec<u8>,
}

fn cut_photo(photo: &Rc<RgbImage>, side: usize, vit: bool) -> Option<Cut> {
    let image = if vit { Rc::new(resize_rgb(photo, VIT_SIZE, VIT_SIZE)) } else { Rc::clone(photo) };
    let grid = PatchGrid::new(image.width() as usize, image.height() as usize, 3, side)?;
    let raw = image.as_raw();
    let drawn = (0..grid.count().min(MAX_DRAWN))
        .map(|i| {
            let values = patch_values(raw, &grid, i);
            let rgba = values.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
            Rgba { width: side as u32, height: side as u32, data: Rc::new(rgba) }
        })
        .collect();
    let first = if grid.count() > 0 { patch_values(raw, &grid, 0).into_iter().take(FLAT_SHOWN).collect() } else { Vec::new() };
    Some(Cut { image, grid, drawn, first })
}

/// "320×240×3 → 300 patches of 768 values".
fn sentence(l: Lang, g: &PatchGrid) -> String {
    format!(
        "{}×{}×{} → {} {} {} {}",
        g.width,
        g.height,
        g.channels,
        g.count(),
        text::PATCH_COUNT_MID.get(l),
        g.flat_len(),
        text::PATCH_COUNT_END.get(l)
    )
}

#[function_component(Patches)]
pub fn patches(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let open = use_state(|| false);
    let side = use_state(|| VIT_PATCH);
    let vit = use_state(|| false);
    // Cut only while the view is open: closed, it costs nothing.
    let cut =
        use_memo(
            (PhotoRef(Rc::clone(&props.photo)), *side, *vit, *open),
            |(photo, side, vit, open)| if *open { cut_photo(&photo.0, *side, *vit) } else { None },
        );

    let on_toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let on_side = {
        let side = side.clone();
        Callback::from(move |e: Event| {
            if let Ok(s) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<usize>()
                && SIDES.contains(&s)
            {
                side.set(s);
            }
        })
    };
    let on_vit = {
        let vit = vit.clone();
        Callback::from(move |e: Event| vit.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };

    let body = (*cut).as_ref().map(|c| {
        let g = &c.grid;
        let vit_ref = PatchGrid::vit();
        let numbered = (g.patch as f64) * draw_scale(c.image.width()) >= MIN_NUMBERED_CELL;
        html! {
            <>
                <p id="patches-count" class="readout big-readout" aria-live="polite">{ sentence(l, g) }</p>
                <p id="patches-grid" class="note">
                    { format!("{}: {} × {} — {} = {p}×{p}×{} = {}", t(text::PATCH_GRID), g.cols, g.rows, t(text::PATCH_ONE), g.channels, g.flat_len(), p = g.patch) }
                </p>
                if *vit {
                    <p id="patches-resized" class="note">
                        { format!("{} {}×{} → {VIT_SIZE}×{VIT_SIZE}", t(text::PATCH_RESIZED), props.photo.width(), props.photo.height()) }
                    </p>
                }
                if g.exact() {
                    <p id="patches-dropped" class="note">{ t(text::PATCH_EXACT) }</p>
                } else {
                    <p id="patches-dropped" class="note">
                        { format!("{} {} {} px, {} {} px", t(text::PATCH_DROPPED), t(text::PATCH_RIGHT), g.dropped_right(), t(text::PATCH_BOTTOM), g.dropped_bottom()) }
                    </p>
                }
                <p class="note">{ format!("{} {}", t(text::PATCH_VIT_REF), sentence(l, &vit_ref)) }</p>
                <figure class="patch-grid">
                    <GridCanvas image={PhotoRef(Rc::clone(&c.image))} grid={*g} numbered={numbered} label={t(text::PATCH_GRID_LABEL)} />
                    <figcaption>
                        { t(text::PATCH_GRID_LABEL) }
                        if !numbered { { format!(" — {}", t(text::PATCH_NO_NUMBERS)) } }
                    </figcaption>
                </figure>
                if !c.first.is_empty() {
                    <p id="patches-flat" class="readout">
                        { format!("{}: [{}, …] ({} {})", t(text::PATCH_FLAT),
                            c.first.iter().map(u8::to_string).collect::<Vec<_>>().join(", "),
                            g.flat_len(), t(text::PATCH_COUNT_END)) }
                    </p>
                }
                if g.count() > c.drawn.len() {
                    <p id="patches-cap" class="note">{ format!("{}: {} / {}", t(text::PATCH_CAP), c.drawn.len(), g.count()) }</p>
                }
                <ol class="patch-strip" id="patches-strip" aria-label={t(text::PATCH_STRIP)}>
                    { for c.drawn.iter().enumerate().map(|(i, px)| html! {
                        <li>
                            <PixelCanvas pixels={px.clone()} label={format!("{} {}", t(text::PATCH_ONE_LABEL), i + 1)} />
                            <span aria-hidden="true">{ i + 1 }</span>
                        </li>
                    }) }
                </ol>
            </>
        }
    });

    html! {
        <div class="patches" id="patches">
            <h3>{ t(text::PATCH_HEADING) }</h3>
            <p class="intro">{ t(text::PATCH_INTRO) }</p>
            <div class="actions">
                <button id="patches-open" aria-expanded={open.to_string()} aria-controls="patches-body" onclick={on_toggle}>
                    { if *open { t(text::PATCH_CLOSE) } else { t(text::PATCH_OPEN) } }
                </button>
            </div>
            if *open {
                <div id="patches-body">
                    <div class="settings compact">
                        <div class="field">
                            <label for="patches-size">{ t(text::PATCH_SIZE) }</label>
                            <select id="patches-size" onchange={on_side}>
                                { for SIDES.iter().map(|&s| html! {
                                    <option value={s.to_string()} selected={s == *side}>{ format!("P = {s} ({s}×{s})") }</option>
                                }) }
                            </select>
                        </div>
                        <div class="field checkbox">
                            <label for="patches-vit">
                                <input id="patches-vit" type="checkbox" checked={*vit} onchange={on_vit} />
                                { t(text::PATCH_VIT) }
                            </label>
                        </div>
                    </div>
                    { for body }
                </div>
            }
        </div>
    }
}

/// The whole factor the grid picture is scaled up by, so it is at least [`DRAW_WIDTH`] wide.
fn draw_scale(width: u32) -> f64 {
    (DRAW_WIDTH / width.max(1) as f64).ceil().clamp(1.0, 8.0)
}

#[derive(Properties, PartialEq)]
struct GridProps {
    image: PhotoRef,
    grid: PatchGrid,
    numbered: bool,
    label: AttrValue,
}

/// The image with the patch grid, the dropped edge shaded and each patch's number.
#[function_component(GridCanvas)]
fn grid_canvas(props: &GridProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((props.image.clone(), props.grid, props.numbered), move |(image, grid, numbered)| {
            if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                draw_grid(&canvas, &image.0, grid, *numbered);
            }
        });
    }
    html! {
        <canvas ref={node} id="patches-picture" class="pixels" role="img" aria-label={props.label.clone()}></canvas>
    }
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

fn draw_grid(canvas: &HtmlCanvasElement, img: &RgbImage, grid: &PatchGrid, numbered: bool) {
    let (w, h) = (img.width(), img.height());
    let scale = draw_scale(w);
    let (cw, ch) = (w as f64 * scale, h as f64 * scale);
    canvas.set_width(cw as u32);
    canvas.set_height(ch as u32);
    let Some(ctx) = context(canvas) else { return };
    // The photo at its own size on a scratch canvas, then scaled up without smoothing.
    let Some(scratch) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
    else {
        return;
    };
    scratch.set_width(w);
    scratch.set_height(h);
    let Some(sctx) = context(&scratch) else { return };
    let rgba = Rgba::from_rgb(img);
    if let Ok(data) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba.data), w, h) {
        let _ = sctx.put_image_data(&data, 0.0, 0.0);
    }
    ctx.set_image_smoothing_enabled(false);
    let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&scratch, 0.0, 0.0, cw, ch);

    let ps = grid.patch as f64 * scale;
    let (used_w, used_h) = (grid.cols as f64 * ps, grid.rows as f64 * ps);
    // The dropped edge, darkened.
    ctx.set_fill_style_str("rgba(0, 0, 0, 0.6)");
    if grid.dropped_right() > 0 {
        ctx.fill_rect(used_w, 0.0, cw - used_w, ch);
    }
    if grid.dropped_bottom() > 0 {
        ctx.fill_rect(0.0, used_h, used_w, ch - used_h);
    }
    // The grid.
    ctx.set_stroke_style_str("rgba(255, 255, 255, 0.9)");
    ctx.set_line_width(scale.clamp(1.0, 2.0));
    ctx.begin_path();
    for c in 0..=grid.cols {
        let x = (c as f64 * ps).clamp(0.5, cw - 0.5);
        ctx.move_to(x, 0.0);
        ctx.line_to(x, used_h);
    }
    for r in 0..=grid.rows {
        let y = (r as f64 * ps).clamp(0.5, ch - 0.5);
        ctx.move_to(0.0, y);
        ctx.line_to(used_w, y);
    }
    ctx.stroke();
    // The numbers, 1.. in reading order: white on a dark outline, readable on any photo.
    if numbered {
        let digits = grid.count().max(1).to_string().len() as f64;
        let size = (ps * 0.9 / (0.62 * digits).max(1.6)).clamp(6.0, 28.0);
        ctx.set_font(&format!("bold {size:.0}px sans-serif"));
        ctx.set_text_baseline("top");
        ctx.set_line_join("round");
        ctx.set_line_width((size / 5.0).max(1.5));
        ctx.set_stroke_style_str("rgba(0, 0, 0, 0.85)");
        ctx.set_fill_style_str("#fff");
        for i in 0..grid.count() {
            let (x, y) = grid.origin(i);
            let (tx, ty) = (x as f64 * scale + 2.0, y as f64 * scale + 2.0);
            let label = (i + 1).to_string();
            let _ = ctx.stroke_text(&label, tx, ty);
            let _ = ctx.fill_text(&label, tx, ty);
        }
    }
}
