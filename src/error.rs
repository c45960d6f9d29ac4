//! Why a step at the browser boundary failed — a file, a canvas, the camera, the worker, one of
//! the app's own files — as one type with its text in both languages. The page shows it after a
//! bilingual prefix ([`crate::text::T::because`]); only the browser's own exception message is
//! passed on as the browser words it.

use imagelab_core::i18n::Text;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::{JsCast, JsValue};

/// A failure at the browser boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageError {
    /// The browser threw: its exception's message (or name), in the browser's own words.
    Browser(String),
    /// No window or document (the code is not running in a page).
    NoWindow,
    /// The browser gave no 2-D canvas.
    NoCanvas,
    /// `navigator.mediaDevices` is missing: browsers offer cameras only on https or localhost.
    NoCameraApi,
    /// The camera was refused, for a reason the browser names.
    Camera(CameraRefusal),
    /// One of the app's own files, refused by the server.
    Http { url: String, status: u16 },
    /// Not decodable as an image (damaged, not an image, or a format the browser cannot read).
    NotAnImage,
    /// Decoded to no pixels, or to more than the app takes.
    ImageSize,
    /// The browser could not encode the picture as JPEG.
    Encode,
    /// The app's start-up script (register-sw.js) is not there.
    NoLoader,
    /// The worker's script failed to load or crashed without a word.
    WorkerSilent,
    /// The worker sent something that is not one of its messages.
    WorkerMessage(String),
    /// A message for the worker could not be encoded.
    Message(String),
    /// A rule of the core refused it (its reason already in both languages).
    Refused(Text),
}

/// Why the browser refused the camera, from the `DOMException`'s name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CameraRefusal {
    /// `NotAllowedError` / `SecurityError`: the user or the browser's settings said no.
    Denied,
    /// `NotFoundError` / `OverconstrainedError`: no camera (or none facing that way).
    NotFound,
    /// `NotReadableError` / `AbortError`: the camera is in use by another app or tab.
    Busy,
}

impl PageError {
    #[cfg(target_arch = "wasm32")]
    /// The error a JavaScript exception or rejection stands for: its message, or its name
    /// when it has none.
    pub fn from_js(value: &JsValue) -> Self {
        let (name, message) = js_name_message(value);
        PageError::Browser(if message.is_empty() { name } else { message })
    }

    #[cfg(target_arch = "wasm32")]
    /// A failed `getUserMedia`: the refusals a student can act on by name, anything else in
    /// the browser's words.
    pub fn from_camera(value: &JsValue) -> Self {
        let (name, message) = js_name_message(value);
        Self::camera(&name, &message)
    }

    /// [`Self::from_camera`] from the exception's name and message.
    pub fn camera(name: &str, message: &str) -> Self {
        match name {
            "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => PageError::Camera(CameraRefusal::Denied),
            "NotFoundError" | "OverconstrainedError" | "DevicesNotFoundError" => PageError::Camera(CameraRefusal::NotFound),
            "NotReadableError" | "AbortError" | "TrackStartError" => PageError::Camera(CameraRefusal::Busy),
            _ => PageError::Browser(if message.is_empty() { name.to_owned() } else { message.to_owned() }),
        }
    }

    /// The reason in both languages.
    pub fn text(&self) -> Text {
        let same = |s: &str| Text::new(s, s);
        match self {
            PageError::Browser(words) => same(words),
            PageError::NoWindow => Text::new("ブラウザのページの中で動いていません", "not running in a browser page"),
            PageError::NoCanvas => {
                Text::new("このブラウザは画像を描けません（canvas がありません）", "this browser gave no canvas to draw on")
            }
            PageError::NoCameraApi => Text::new(
                "カメラは https か localhost で開いたページでしか使えません",
                "cameras are only offered to pages opened over https or on localhost",
            ),
            PageError::Camera(CameraRefusal::Denied) => Text::new(
                "カメラの使用が許可されていません（アドレスバーの鍵のマークやブラウザの設定で許可してください）",
                "the camera was not allowed (allow it from the padlock in the address bar or in the browser's settings)",
            ),
            PageError::Camera(CameraRefusal::NotFound) => Text::new("カメラが見つかりません", "no camera was found"),
            PageError::Camera(CameraRefusal::Busy) => Text::new(
                "カメラをほかのアプリかタブが使っています。そちらを閉じてからもう一度試してください",
                "another app or tab is using the camera; close it and try again",
            ),
            PageError::Http { url, status } => Text::new(
                format!("サーバーが {url} を返しませんでした（HTTP {status}）"),
                format!("the server did not give {url} (HTTP {status})"),
            ),
            PageError::NotAnImage => Text::new(
                "画像として読めません（壊れているか、画像ではないか、このブラウザが読めない形式（HEIC など）です）",
                "cannot be read as an image (damaged, not an image, or a format this browser cannot decode, e.g. HEIC)",
            ),
            PageError::ImageSize => Text::new("画像が空か、大きすぎます", "the image is empty or too large"),
            PageError::Encode => Text::new("ブラウザが画像を JPEG にできませんでした", "the browser could not encode the image as JPEG"),
            PageError::NoLoader => {
                Text::new("起動用のスクリプト（register-sw.js）が読み込まれていません", "the start-up script (register-sw.js) did not load")
            }
            PageError::WorkerSilent => Text::new(
                "理由は不明です（ワーカーのファイルがないのかもしれません）",
                "no reason given (the worker's file may be missing)",
            ),
            PageError::WorkerMessage(detail) => Text::new(
                format!("ワーカーから読めないメッセージが届きました（{detail}）"),
                format!("an unreadable message came from the worker ({detail})"),
            ),
            PageError::Message(detail) => Text::new(
                format!("ワーカーへのメッセージを作れませんでした（{detail}）"),
                format!("the message for the worker could not be encoded ({detail})"),
            ),
            PageError::Refused(why) => why.clone(),
        }
    }
}

impl std::fmt::Display for PageError {
    /// The English text (logs and panics; the page shows [`PageError::text`] in its language).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for PageError {}

impl From<PageError> for Text {
    fn from(e: PageError) -> Text {
        e.text()
    }
}

#[cfg(target_arch = "wasm32")]
/// An exception's name and message: an `Error` (a `DOMException` is one) gives both; a thrown
/// string is the message; anything else is shown as the debugger would.
fn js_name_message(value: &JsValue) -> (String, String) {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return (String::from(e.name()), String::from(e.message()));
    }
    match value.as_string() {
        Some(s) => (String::new(), s),
        None => (String::new(), format!("{value:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_refusals_are_named_by_the_exception() {
        assert_eq!(PageError::camera("NotAllowedError", "Permission denied"), PageError::Camera(CameraRefusal::Denied));
        assert_eq!(PageError::camera("SecurityError", ""), PageError::Camera(CameraRefusal::Denied));
        assert_eq!(PageError::camera("NotFoundError", "Requested device not found"), PageError::Camera(CameraRefusal::NotFound));
        assert_eq!(PageError::camera("OverconstrainedError", ""), PageError::Camera(CameraRefusal::NotFound));
        assert_eq!(PageError::camera("NotReadableError", "Could not start video source"), PageError::Camera(CameraRefusal::Busy));
        // Anything else keeps the browser's words, or its name when it gave none.
        assert_eq!(PageError::camera("TypeError", "bad constraints"), PageError::Browser("bad constraints".into()));
        assert_eq!(PageError::camera("WeirdError", ""), PageError::Browser("WeirdError".into()));
    }

    /// Every reason the page words itself is Japanese in Japanese (not the English passed on),
    /// and the browser's own words are passed on unchanged in both.
    #[test]
    fn the_page_words_its_reasons_in_both_languages() {
        let japanese = |s: &str| s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c));
        let ours = [
            PageError::NoWindow,
            PageError::NoCanvas,
            PageError::NoCameraApi,
            PageError::Camera(CameraRefusal::Denied),
            PageError::Camera(CameraRefusal::NotFound),
            PageError::Camera(CameraRefusal::Busy),
            PageError::Http { url: "data/digits.png".into(), status: 404 },
            PageError::NotAnImage,
            PageError::ImageSize,
            PageError::Encode,
            PageError::NoLoader,
            PageError::WorkerSilent,
            PageError::WorkerMessage("unexpected end".into()),
            PageError::Message("too long".into()),
        ];
        for e in ours {
            let t = e.text();
            assert!(japanese(&t.ja), "{e:?}: {}", t.ja);
            assert!(!japanese(&t.en), "{e:?}: {}", t.en);
            assert_eq!(e.to_string(), t.en);
        }
        let http = PageError::Http { url: "data/digits.png".into(), status: 404 }.text();
        assert!(http.ja.contains("data/digits.png") && http.ja.contains("404"), "{}", http.ja);
        assert_eq!(PageError::Browser("Permission denied".into()).text(), Text::new("Permission denied", "Permission denied"));
        let core = Text::new("二つ以上", "two or more");
        assert_eq!(PageError::Refused(core.clone()).text(), core);
    }
}
