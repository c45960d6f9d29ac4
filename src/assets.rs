//! The app's own files fetched at run time: the built-in digits (every lab that trains or shows
//! them holds a [`DataState`]) and the table lab's built-in tables.

use crate::error::PageError;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::i18n::Text;
use std::rc::Rc;

/// One of the app's own files (a path relative to the page), or why it could not be had.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, PageError> {
    let resp = gloo_net::http::Request::get(url).send().await.map_err(|e| PageError::Browser(e.to_string()))?;
    if !resp.ok() {
        return Err(PageError::Http { url: url.to_owned(), status: resp.status() });
    }
    resp.binary().await.map_err(|e| PageError::Browser(e.to_string()))
}

/// The built-in digits, as loaded.
#[derive(Clone, PartialEq)]
pub enum DataState {
    Loading,
    Ready(Rc<Dataset>),
    Failed(Text),
}

/// Fetches and cuts the built-in digits sprite.
pub async fn load_digits() -> Result<Dataset, PageError> {
    let png = fetch_bytes("data/digits.png").await?;
    let labels = fetch_bytes("data/digits.labels").await?;
    Dataset::from_sprite_png(&png, &labels, 28, Dataset::digit_class_names()).map_err(|e| PageError::Refused(e.text()))
}
