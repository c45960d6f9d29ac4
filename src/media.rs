//! The browser's cameras, for every lab that films: the image lab's live view, the data lab's
//! hold-to-record, the training lab's live prediction.

use crate::error::PageError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::MediaStream;

/// Ends a camera stream (the camera light goes off).
pub fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// Asks for a camera stream (`facing`: "user", "environment", or `None` for any camera); the
/// error names the refusals a student can act on (not allowed, none found, in use).
pub async fn open_stream(facing: Option<&str>) -> Result<MediaStream, PageError> {
    // On an insecure page (http://192.168.…) `navigator.mediaDevices` is undefined, which the
    // getter hands back as a value, not an error.
    let Some(devices) = web_sys::window().and_then(|w| w.navigator().media_devices().ok()).filter(|d| !d.is_undefined()) else {
        return Err(PageError::NoCameraApi);
    };
    let constraints = web_sys::MediaStreamConstraints::new();
    match facing {
        Some(facing) => {
            let video = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&video, &"facingMode".into(), &facing.into());
            constraints.set_video(&video);
        }
        None => constraints.set_video(&true.into()),
    }
    let stream = match devices.get_user_media_with_constraints(&constraints) {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    stream.map(|s| s.unchecked_into()).map_err(|e| PageError::from_camera(&e))
}
