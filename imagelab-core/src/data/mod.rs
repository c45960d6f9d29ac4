//! Data: labelled images, the students' datasets and their imports, splits, augmentation, and
//! the competition's submission files.

pub mod augment;
pub mod competition;
pub mod dataset;
pub mod import;
pub mod library;
pub mod split;
