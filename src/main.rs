//! ImageLab's page: the light UI bundle. Training runs in a separate worker bundle
//! (`worker/`), loaded only when the first run starts.

// Natively only the strings compile (the labs are wasm-only), so most of them look unused there.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
// No `unwrap`/`expect` outside tests: the page says what went wrong and goes on (CODE_STYLE.md).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod assets;
#[cfg(target_arch = "wasm32")]
mod blobs;
#[cfg(target_arch = "wasm32")]
mod bridge;
#[cfg(target_arch = "wasm32")]
mod canvas;
#[cfg(target_arch = "wasm32")]
mod chart;
mod error;
#[cfg(target_arch = "wasm32")]
mod labs;
#[cfg(target_arch = "wasm32")]
mod media;
#[cfg(target_arch = "wasm32")]
mod settings;
#[cfg(target_arch = "wasm32")]
mod storage;
#[cfg(target_arch = "wasm32")]
mod store;
mod text;

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The ImageLab page runs in a browser: `make serve` (see README.md).");
}
