//! # ImageLab core (画像分類ラボ)
//!
//! Everything ImageLab computes, with no browser in sight: datasets and their splits, the
//! models, the training loop, metrics and the page ⇄ worker protocol. The browser shell
//! (`imagelab` UI crate, `imagelab-worker`) only converts at the boundary, so all of this is
//! tested natively with `cargo test` on `Device::flex()`.
//!
//! Platform needs enter as arguments: randomness as a seed, time as milliseconds passed in.
//!
//! The neural-network half (`model`, `train`) sits behind the default `nn` feature so that the
//! UI bundle can use the rest without linking burn.

pub mod architecture;
pub mod augment;
pub mod classical;
pub mod color;
pub mod competition;
pub mod concepts;
pub mod dataset;
pub mod error;
pub mod experiment;
pub mod filter;
#[doc(hidden)]
pub mod fuzzing;
pub mod geometry;
pub mod i18n;
pub mod import;
pub mod library;
pub mod lite0;
pub mod metrics;
pub mod ops;
pub mod patches;
pub mod probe;
pub mod progress;
pub mod protocol;
pub mod report;
pub mod rng;
pub mod roc;
pub mod run_state;
pub mod samples;
pub mod schedule;
pub mod share;
pub mod split;
pub mod table;
pub mod worked;

#[cfg(feature = "nn")]
pub mod backbone;
#[cfg(feature = "nn")]
pub mod inspect;
#[cfg(feature = "nn")]
pub mod model;
#[cfg(feature = "nn")]
pub mod modelfile;
#[cfg(feature = "nn")]
pub mod train;
#[cfg(feature = "nn")]
pub mod transfer;

pub use error::CoreError;
pub use i18n::Lang;
