//! Why a step at the browser boundary failed — a file, a canvas, the camera, the worker, one of
//! the app's own files — as one type with its text in both languages. The page shows it after a
//! bilingual prefix ([`crate::text::T::because`]). What the page can name it words itself; only
//! a message it cannot name (an exception's, the worker loader's) is passed on as it came.

use imagelab_core::i18n::Text;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::JsValue;

/// A failure at the browser boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageError {
    /// Something the page cannot name: the exception's message (or name) as it came — the
    /// browser's, the worker loader's or a library's words.
    Browser(String),
    /// An exception with neither a name nor a message.
    Unknown,
    /// No window or document (the code is not running in a page).
    NoWindow,
    /// The browser gave no 2-D canvas.
    NoCanvas,
    /// `navigator.mediaDevices` is missing: browsers offer cameras only to secure pages (https or
    /// localhost), so a page opened as `http://192.168.…` has none.
    NoCameraApi,
    /// The camera was refused, for a reason the browser names.
    Camera(CameraRefusal),
    /// One of the app's own files, refused by the server (a fetch's status, or the `HttpError`
    /// that `www/register-sw.js` throws).
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
    /// The worker sent bytes that are not one of its messages (the decoder's words).
    WorkerMessage(String),
    /// The worker sent something other than bytes or a load error.
    WorkerUnexpected,
    /// A message for the worker could not be encoded.
    Message(String),
    /// A rule of the core refused it (its reason already in both languages).
    Refused(Text),
}

/// Why the browser refused the camera, from the `DOMException`'s name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CameraRefusal {
    /// `NotAllowedError` (`PermissionDeniedError` in old Chrome): the user or the browser's
    /// settings said no.
    Denied,
    /// `NotFoundError` / `OverconstrainedError` (`DevicesNotFoundError`): no camera, or none
    /// facing that way.
    NotFound,
    /// `NotReadableError` (`TrackStartError`): allowed, but the camera would not start — most
    /// often because another app or tab holds it.
    Busy,
}

impl PageError {
    #[cfg(target_arch = "wasm32")]
    /// The error a JavaScript exception or rejection stands for: its message, or its name
    /// when it has none.
    pub fn from_js(value: &JsValue) -> Self {
        let (name, message) = js_name_message(value);
        if name == "HttpError" {
            let url = js_field(value, "url").and_then(|v| v.as_string()).unwrap_or_default();
            let status = js_field(value, "status").and_then(|v| v.as_f64()).unwrap_or(0.0) as u16;
            return PageError::Http { url, status };
        }
        Self::named(&name, &message)
    }

    /// An exception the page has no name for: its message, else its name, else [`Self::Unknown`].
    pub fn named(name: &str, message: &str) -> Self {
        match (name.is_empty(), message.is_empty()) {
            (_, false) => PageError::Browser(message.to_owned()),
            (false, true) => PageError::Browser(name.to_owned()),
            (true, true) => PageError::Unknown,
        }
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
            "NotAllowedError" | "PermissionDeniedError" => PageError::Camera(CameraRefusal::Denied),
            "NotFoundError" | "OverconstrainedError" | "DevicesNotFoundError" => PageError::Camera(CameraRefusal::NotFound),
            "NotReadableError" | "TrackStartError" => PageError::Camera(CameraRefusal::Busy),
            // SecurityError (camera blocked by the page's embedding), AbortError…: as the browser says.
            _ => Self::named(name, message),
        }
    }

    /// The reason in both languages.
    pub fn text(&self) -> Text {
        let same = |s: &str| Text::new(s, s);
        match self {
            PageError::Browser(words) => same(words),
            PageError::Unknown => Text::new("理由は分かりません", "no reason was given"),
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
                "カメラを起動できません。ほかのアプリかタブが使っていたら閉じて、もう一度試してください",
                "the camera would not start; if another app or tab is using it, close that and try again",
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
            PageError::WorkerUnexpected => Text::new("ワーカーから思わぬものが届きました", "something unexpected came from the worker"),
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
/// An exception's name and message: read from any object that has them (an `Error`, a
/// `DOMException`, old Chrome's `NavigatorUserMediaError`); a thrown string is the message;
/// anything else has neither.
fn js_name_message(value: &JsValue) -> (String, String) {
    if let Some(s) = value.as_string() {
        return (String::new(), s);
    }
    if !value.is_object() {
        return (String::new(), String::new());
    }
    let text = |key: &str| js_field(value, key).and_then(|v| v.as_string()).unwrap_or_default();
    (text("name"), text("message"))
}

#[cfg(target_arch = "wasm32")]
/// A property of a JavaScript object, if reading it does not throw.
fn js_field(value: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(value, &key.into()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_refusals_are_named_by_the_exception() {
        assert_eq!(PageError::camera("NotAllowedError", "Permission denied"), PageError::Camera(CameraRefusal::Denied));
        assert_eq!(PageError::camera("PermissionDeniedError", ""), PageError::Camera(CameraRefusal::Denied));
        assert_eq!(PageError::camera("NotFoundError", "Requested device not found"), PageError::Camera(CameraRefusal::NotFound));
        assert_eq!(PageError::camera("OverconstrainedError", ""), PageError::Camera(CameraRefusal::NotFound));
        assert_eq!(PageError::camera("NotReadableError", "Could not start video source"), PageError::Camera(CameraRefusal::Busy));
        assert_eq!(PageError::camera("TrackStartError", ""), PageError::Camera(CameraRefusal::Busy));
        // A camera blocked by how the page is embedded is not the student's to allow.
        assert_eq!(
            PageError::camera("SecurityError", "blocked by permissions policy"),
            PageError::Browser("blocked by permissions policy".into())
        );
        // Anything else keeps the browser's words, or its name when it gave none.
        assert_eq!(PageError::camera("TypeError", "bad constraints"), PageError::Browser("bad constraints".into()));
        assert_eq!(PageError::camera("WeirdError", ""), PageError::Browser("WeirdError".into()));
        assert_eq!(PageError::camera("", ""), PageError::Unknown);
    }

    /// Every reason the page words itself is Japanese in Japanese (not the English passed on),
    /// and the browser's own words are passed on unchanged in both.
    #[test]
    fn the_page_words_its_reasons_in_both_languages() {
        let japanese = |s: &str| s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c));
        // Every variant the page words itself; the match below (no wildcard) stops a new variant
        // from compiling until it is sorted here.
        let ours = [
            PageError::Unknown,
            PageError::WorkerUnexpected,
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
            match &e {
                PageError::Browser(_) | PageError::Refused(_) => unreachable!("passed on, not worded by the page"),
                PageError::Unknown
                | PageError::NoWindow
                | PageError::NoCanvas
                | PageError::NoCameraApi
                | PageError::Camera(_)
                | PageError::Http { .. }
                | PageError::NotAnImage
                | PageError::ImageSize
                | PageError::Encode
                | PageError::NoLoader
                | PageError::WorkerSilent
                | PageError::WorkerMessage(_)
                | PageError::WorkerUnexpected
                | PageError::Message(_) => {}
            }
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
