//! # ImageLab core (画像分類ラボ)
//!
//! Everything ImageLab computes, with no browser in sight: datasets and their splits, the
//! models, the training loop, metrics and the page ⇄ worker protocol. The browser shell
//! (`imagelab` UI crate, `imagelab-worker`) only converts at the boundary, so all of this is
//! tested natively with `cargo test` on `Device::flex()`.
//!
//! Platform needs enter as arguments: randomness as a seed, time as milliseconds passed in.
//!
//! The modules, in the order the data flows through them:
//!
//! - [`images`] — pixels: filters (the hand-written convolution), colour, geometry, the
//!   image lab's operations, ViT's patches, the decompression-bomb probe;
//! - [`data`] — labelled images, the students' datasets and imports, splits, augmentation,
//!   submission files;
//! - [`nn`] — networks as data, the run's settings, training (behind the `nn` feature: burn),
//!   metrics and ROC, the pretrained backbone and transfer learning;
//! - [`classical`] — features a student can see and classical models (the `classical` feature);
//! - [`table`] — the table lab: CSV → get_dummies → models → per-fold scores;
//! - [`lesson`] — the concepts lab's lessons;
//! - [`session`] — the page ⇄ worker protocol, the page's reducers (the shared settings, a run,
//!   the training lab), reports and links;
//! - and the plumbing everything uses: [`i18n`], [`error`], [`rng`].
//!
//! The UI bundle builds the core without `nn` and `classical`, so it stays light.

// Outside input and device failures are errors in words, never panics: no `unwrap`/`expect`
// outside tests, except where an `allow` says why it cannot fail (CODE_STYLE.md).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod classical;
pub mod data;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod images;
pub mod lesson;
pub mod nn;
pub mod rng;
pub mod session;
pub mod table;

pub use error::CoreError;
pub use i18n::Lang;
