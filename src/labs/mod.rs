//! The labs, one module each.

pub mod augment;
pub mod camera;
pub mod compare;
pub mod concepts;
pub mod data;
pub mod explain;
pub mod family;
pub mod image;
pub mod imagenet;
pub mod live;
pub mod model_editor;
pub mod model_files;
pub mod patches;
pub mod report;
pub mod results;
pub mod run;
pub mod share;
pub mod start;
pub mod submission;
pub mod table;
pub mod train;

use crate::text::{self, T};

/// A share as a percentage with one decimal: 0.9123 → "91.2%".
pub fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// [`pct`], or "—" when there is none.
pub fn pct_or_dash(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), pct)
}
use imagelab_core::Lang;
use yew::prelude::*;

/// The ↑ / ↓ / ✕ buttons of item `i` (of `count`) in an editable list: move it, or remove it.
/// `edit` applies a change to the list; `what` ends each button's accessible name.
pub fn order_buttons<Item: 'static>(
    lang: Lang,
    i: usize,
    count: usize,
    what: &str,
    edit: &(impl Fn(Box<dyn Fn(&mut Vec<Item>)>) + Clone + 'static),
) -> Html {
    let t = |s: T| s.get(lang);
    let mv = |delta: isize| {
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| {
            edit(Box::new(move |items: &mut Vec<Item>| {
                let j = i as isize + delta;
                if j >= 0 && (j as usize) < items.len() {
                    items.swap(i, j as usize);
                }
            }))
        })
    };
    let on_remove = {
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| {
            edit(Box::new(move |items: &mut Vec<Item>| {
                if i < items.len() {
                    items.remove(i);
                }
            }))
        })
    };
    html! {
        <div class="order">
            <button onclick={mv(-1)} disabled={i == 0} aria-label={format!("{}: {what}", t(text::AUG_UP))}>{ "↑" }</button>
            <button onclick={mv(1)} disabled={i + 1 == count} aria-label={format!("{}: {what}", t(text::AUG_DOWN))}>{ "↓" }</button>
            <button onclick={on_remove} aria-label={format!("{}: {what}", t(text::AUG_REMOVE))}>{ "✕" }</button>
        </div>
    }
}

/// A lab (tab) of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lab {
    /// The start page: the lesson path and "continue where you left off".
    Start,
    Image,
    Augment,
    Data,
    Concepts,
    Train,
    Compare,
    Share,
    /// 表データ: the course's modelling basics on a CSV.
    Table,
}

impl Lab {
    /// In navigation order.
    pub const ALL: [Lab; 9] =
        [Lab::Start, Lab::Image, Lab::Augment, Lab::Data, Lab::Table, Lab::Concepts, Lab::Train, Lab::Compare, Lab::Share];

    /// The URL fragment, `#/train`.
    pub fn slug(self) -> &'static str {
        match self {
            Lab::Start => "start",
            Lab::Image => "image",
            Lab::Augment => "augment",
            Lab::Data => "data",
            Lab::Concepts => "concepts",
            Lab::Train => "train",
            Lab::Compare => "compare",
            Lab::Share => "share",
            Lab::Table => "table",
        }
    }

    /// The lab for a URL fragment.
    pub fn from_slug(slug: &str) -> Option<Lab> {
        Lab::ALL.into_iter().find(|l| l.slug() == slug)
    }

    /// Whether the lab needs the heavy files (the training worker, the built-in digits): they
    /// are fetched when such a lab is first opened, not on the first visit.
    pub fn needs_heavy(self) -> bool {
        matches!(self, Lab::Augment | Lab::Concepts | Lab::Train | Lab::Compare | Lab::Table)
    }

    /// The tab's name.
    pub fn name(self) -> T {
        match self {
            Lab::Start => text::LAB_START,
            Lab::Image => text::LAB_IMAGE,
            Lab::Augment => text::LAB_AUGMENT,
            Lab::Data => text::LAB_DATA,
            Lab::Concepts => text::LAB_CONCEPTS,
            Lab::Train => text::LAB_TRAIN,
            Lab::Compare => text::LAB_COMPARE,
            Lab::Share => text::LAB_SHARE,
            Lab::Table => text::LAB_TABLE,
        }
    }
}

/// A finished run of the training lab, for the comparison lab's table (passed between the two
/// labs by the app, so neither imports the other).
#[derive(Clone, Debug, PartialEq)]
pub struct NnResult {
    /// The model, e.g. "small CNN".
    pub model: imagelab_core::i18n::Text,
    /// The data's name.
    pub data: String,
    /// The input, e.g. "28×28×1".
    pub input: String,
    /// Building accuracy (K-fold: the mean).
    pub train_accuracy: f64,
    /// Validation accuracy of each fold (hold-out: one).
    pub fold_val: Vec<f64>,
    /// Two-class data: the validation AUC of each fold that has one (empty otherwise).
    pub fold_auc: Vec<f64>,
    /// Training time, ms.
    pub ms: f64,
}
