//! Image files at the browser boundary: the browser's decoder (fast, off the main thread, EXIF
//! applied) turns files and camera frames into the stored, downscaled files and into the
//! network's input; the sizes and the pixel conversion come from the core.

use crate::error::PageError;
use imagelab_core::data::import::stored_size;
use imagelab_core::data::library::{ImageFormat, STORED_LONGEST_SIDE, input_pixels};
use imagelab_core::i18n::Text;
use imagelab_core::images::probe::{HEADER_BYTES, MAX_PIXELS, check_complete, check_header};
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, ImageBitmap};

/// A file ready for the store.
#[derive(Clone)]
pub struct StoredBlob {
    pub blob: Blob,
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
}

/// A blob of `bytes` with a MIME type.
pub fn blob_of(bytes: &[u8], mime: &str) -> Result<Blob, PageError> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(|e| PageError::from_js(&e))
}

/// The bytes of a blob.
pub async fn bytes_of(blob: &Blob) -> Result<Vec<u8>, PageError> {
    let buf = JsFuture::from(blob.array_buffer()).await.map_err(|e| PageError::from_js(&e))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// A 2-D canvas of this size (not in the page).
pub fn canvas(w: u32, h: u32) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), PageError> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or(PageError::NoWindow)?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").map_err(|e| PageError::from_js(&e))?.unchecked_into();
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok().flatten().ok_or(PageError::NoCanvas)?.unchecked_into();
    ctx.set_image_smoothing_enabled(true);
    Ok((canvas, ctx))
}

/// Decodes with the browser (EXIF orientation applied), after refusing a decompression bomb
/// from the file's header and a JPEG cut short; anything unreadable is [`PageError::NotAnImage`].
pub async fn decode_checked(blob: &Blob) -> Result<ImageBitmap, PageError> {
    let head = header(blob).await.map_err(|_| PageError::NotAnImage)?;
    check_header(&head).map_err(|e| PageError::Refused(e.text()))?;
    // A JPEG cut short decodes to a half-grey picture without a word: refuse it (whole file read).
    if head.starts_with(&[0xFF, 0xD8]) {
        check_complete(&bytes_of(blob).await.map_err(|_| PageError::NotAnImage)?).map_err(|e| PageError::Refused(e.text()))?;
    }
    bitmap(blob).await.map_err(|e| if e == PageError::ImageSize { e } else { PageError::NotAnImage })
}

/// Decodes with the browser (EXIF orientation applied), after refusing a decompression bomb
/// from the file's header.
pub async fn decode(blob: &Blob) -> Result<ImageBitmap, PageError> {
    check_header(&header(blob).await?).map_err(|e| PageError::Refused(e.text()))?;
    bitmap(blob).await
}

/// The first [`HEADER_BYTES`] of a file, where its size is written.
async fn header(blob: &Blob) -> Result<Vec<u8>, PageError> {
    bytes_of(&blob.slice_with_f64_and_f64(0.0, HEADER_BYTES as f64).map_err(|e| PageError::from_js(&e))?).await
}

/// The browser's decoding of a file whose header has been checked, refused when it gives no
/// pixels or more than [`MAX_PIXELS`].
async fn bitmap(blob: &Blob) -> Result<ImageBitmap, PageError> {
    let options = web_sys::ImageBitmapOptions::new();
    options.set_image_orientation(web_sys::ImageOrientation::FromImage);
    let promise = web_sys::window()
        .ok_or(PageError::NoWindow)?
        .create_image_bitmap_with_blob_and_image_bitmap_options(blob, &options)
        .map_err(|e| PageError::from_js(&e))?;
    let bitmap: ImageBitmap = JsFuture::from(promise).await.map_err(|_| PageError::NotAnImage)?.unchecked_into();
    if bitmap.width() == 0 || bitmap.height() == 0 || bitmap.width() as u64 * bitmap.height() as u64 > MAX_PIXELS {
        bitmap.close();
        return Err(PageError::ImageSize);
    }
    Ok(bitmap)
}

/// The canvas as a JPEG (quality 0.9).
pub async fn to_jpeg(canvas: &HtmlCanvasElement) -> Result<Blob, PageError> {
    let mut result: Result<(), PageError> = Ok(());
    let promise = Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            if blob.is_null() {
                let _ = reject.call1(&JsValue::NULL, &JsValue::NULL);
            } else {
                let _ = resolve.call1(&JsValue::NULL, &blob);
            }
        });
        if let Err(e) = canvas.to_blob_with_type_and_encoder_options(done.unchecked_ref(), "image/jpeg", &JsValue::from_f64(0.9)) {
            result = Err(PageError::from_js(&e));
        }
    });
    result?;
    JsFuture::from(promise).await.map(|b| b.unchecked_into()).map_err(|_| PageError::Encode)
}

/// What [`store_source`] draws.
pub enum Source<'a> {
    Bitmap(&'a ImageBitmap),
    Video(&'a HtmlVideoElement),
}

/// Draws `source` (`w`×`h`) at the stored size and encodes it.
pub async fn store_source(source: Source<'_>, w: u32, h: u32) -> Result<StoredBlob, PageError> {
    let (sw, sh) = stored_size(w, h);
    let (canvas, ctx) = canvas(sw, sh)?;
    let (dw, dh) = (sw as f64, sh as f64);
    match source {
        Source::Bitmap(b) => ctx.draw_image_with_image_bitmap_and_dw_and_dh(b, 0.0, 0.0, dw, dh),
        Source::Video(v) => ctx.draw_image_with_html_video_element_and_dw_and_dh(v, 0.0, 0.0, dw, dh),
    }
    .map_err(|e| PageError::from_js(&e))?;
    Ok(StoredBlob { blob: to_jpeg(&canvas).await?, width: sw, height: sh, format: ImageFormat::Jpeg })
}

/// Prepares an image file for the store: decoded (refused in words if it is not an image),
/// downscaled to the stored size and re-encoded as JPEG — or kept as it is when it is already
/// a small PNG or JPEG.
pub async fn prepare(blob: &Blob, mime_hint: &str) -> Result<StoredBlob, Text> {
    let bitmap = decode_checked(blob).await.map_err(|e| e.text())?;
    let (w, h) = (bitmap.width(), bitmap.height());
    let kind = if mime_hint.is_empty() { blob.type_() } else { mime_hint.to_owned() };
    let small = w.max(h) <= STORED_LONGEST_SIDE;
    let keep = |format: ImageFormat| async move {
        let bytes = bytes_of(blob).await?;
        Ok::<_, PageError>(StoredBlob { blob: blob_of(&bytes, format.mime())?, width: w, height: h, format })
    };
    let out = match kind.as_str() {
        "image/png" if small => keep(ImageFormat::Png).await,
        "image/jpeg" if small => keep(ImageFormat::Jpeg).await,
        _ => store_source(Source::Bitmap(&bitmap), w, h).await,
    };
    bitmap.close();
    out.map_err(|e| crate::text::DS_NOT_STORABLE.with_reason(&e))
}

/// The MIME type a file name suggests.
pub fn mime_of(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg" | "jfif") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("bmp") => "image/bmp",
        Some("webp") => "image/webp",
        _ => "",
    }
}

/// The network's input for a stored image: `w`×`h`, `channels` 1 or 3 (see
/// `imagelab_core::data::library::input_pixels`).
pub async fn input_of(blob: &Blob, w: usize, h: usize, channels: usize) -> Result<Vec<u8>, PageError> {
    let bitmap = decode(blob).await?;
    let (bw, bh) = (bitmap.width(), bitmap.height());
    let (_canvas, ctx) = canvas(bw, bh)?;
    ctx.draw_image_with_image_bitmap(&bitmap, 0.0, 0.0).map_err(|e| PageError::from_js(&e))?;
    bitmap.close();
    let rgba = ctx.get_image_data(0.0, 0.0, bw as f64, bh as f64).map_err(|e| PageError::from_js(&e))?.data().0;
    Ok(input_pixels(&rgba, bw as usize, bh as usize, w, h, channels))
}

/// Offers a blob to the user as a downloaded file.
pub fn download_blob(blob: &Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // The click has started the download; the URL can go after this task.
    let _ = gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// Offers `bytes` to the user as a downloaded file.
pub fn download(bytes: &[u8], name: &str, mime: &str) {
    if let Ok(blob) = blob_of(bytes, mime) {
        download_blob(&blob, name);
    }
}
