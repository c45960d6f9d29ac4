//! A canvas that shows RGBA pixels, and conversions from the core's planes to RGBA.

use imagelab_core::images::filter::Plane;
use std::rc::Rc;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

/// RGBA pixels of a width × height picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Rgba {
    pub width: u32,
    pub height: u32,
    pub data: Rc<Vec<u8>>,
}

impl Rgba {
    /// An RGB image as RGBA.
    pub fn from_rgb(img: &image::RgbImage) -> Self {
        let mut data = Vec::with_capacity(img.as_raw().len() / 3 * 4);
        for p in img.pixels() {
            data.extend_from_slice(&[p[0], p[1], p[2], 255]);
        }
        Rgba { width: img.width(), height: img.height(), data: Rc::new(data) }
    }

    /// Three planes (R, G, B) as colour pixels, clamped (or `|v|` when `absolute`).
    pub fn from_planes(planes: &[Plane; 3], absolute: bool) -> Self {
        let (w, h) = (planes[0].width, planes[0].height);
        Rgba { width: w as u32, height: h as u32, data: Rc::new(imagelab_core::images::color::planes_to_rgba(planes, absolute)) }
    }

    /// A plane as gray pixels: values clamped to 0–255, or `|v|` when `absolute` (Sobel).
    pub fn from_plane(p: &Plane, absolute: bool) -> Self {
        Self::from_plane_tinted(p, absolute, [1.0, 1.0, 1.0])
    }

    /// A plane drawn in one colour (a channel shown in red, green or blue).
    pub fn from_plane_tinted(p: &Plane, absolute: bool, tint: [f32; 3]) -> Self {
        let data = imagelab_core::images::color::plane_to_rgba(p, absolute, tint);
        Rgba { width: p.width as u32, height: p.height as u32, data: Rc::new(data) }
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub pixels: Rgba,
    /// The accessible name (what the picture shows).
    pub label: AttrValue,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub onmousemove: Option<Callback<MouseEvent>>,
}

/// Draws `pixels` at their own size; CSS scales the canvas to the layout.
#[function_component(PixelCanvas)]
pub fn pixel_canvas(props: &Props) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.pixels.clone(), move |px| {
            if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                draw(&canvas, px);
            }
        });
    }
    html! {
        <canvas ref={node} id={props.id.clone()} class="pixels" role="img" aria-label={props.label.clone()}
                width={props.pixels.width.to_string()} height={props.pixels.height.to_string()}
                onmousemove={props.onmousemove.clone()}></canvas>
    }
}

fn draw(canvas: &HtmlCanvasElement, px: &Rgba) {
    canvas.set_width(px.width);
    canvas.set_height(px.height);
    let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
    let Ok(ctx) = ctx.dyn_into::<CanvasRenderingContext2d>() else { return };
    if let Ok(data) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px.data), px.width, px.height) {
        let _ = ctx.put_image_data(&data, 0.0, 0.0);
    }
}
