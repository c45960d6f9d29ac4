//! Images: the pixel operations the image lab teaches, on `Plane`s and 8-bit images.

pub mod color;
pub mod filter;
pub mod geometry;
pub mod ops;
pub mod patches;
pub mod probe;
pub mod samples;
pub mod worked;
