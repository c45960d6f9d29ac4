//! The labs, one module each. The image, augmentation and training labs are built; the others
//! say so.

pub mod augment;
pub mod camera;
pub mod explain;
pub mod image;
pub mod live;
pub mod model_editor;
pub mod train;

use crate::text::{self, T};

/// A lab (tab) of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lab {
    Image,
    Augment,
    Data,
    Train,
    Compare,
    Share,
}

impl Lab {
    /// In navigation order.
    pub const ALL: [Lab; 6] = [Lab::Image, Lab::Augment, Lab::Data, Lab::Train, Lab::Compare, Lab::Share];

    /// The URL fragment, `#/train`.
    pub fn slug(self) -> &'static str {
        match self {
            Lab::Image => "image",
            Lab::Augment => "augment",
            Lab::Data => "data",
            Lab::Train => "train",
            Lab::Compare => "compare",
            Lab::Share => "share",
        }
    }

    /// The lab for a URL fragment.
    pub fn from_slug(slug: &str) -> Option<Lab> {
        Lab::ALL.into_iter().find(|l| l.slug() == slug)
    }

    /// The tab's name.
    pub fn name(self) -> T {
        match self {
            Lab::Image => text::LAB_IMAGE,
            Lab::Augment => text::LAB_AUGMENT,
            Lab::Data => text::LAB_DATA,
            Lab::Train => text::LAB_TRAIN,
            Lab::Compare => text::LAB_COMPARE,
            Lab::Share => text::LAB_SHARE,
        }
    }
}
