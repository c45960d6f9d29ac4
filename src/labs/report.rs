//! The training lab's report (レポート): the run in view as one self-contained HTML file, from
//! the core's `Report::from_run` plus what only the page has — its words for the settings, the
//! charts as drawn, the images of the surest mistakes, the date and the share link.

use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::nn::experiment::{TrainConfig, Validation};
use imagelab_core::nn::metrics::Prediction;
use imagelab_core::session::report::{self, Report};
use imagelab_core::session::run_state::RunState;
use wasm_bindgen::Clamped;

/// Downloads the report of `run`, trained with `c` on `d` (named `data_name`), in `l`.
pub fn download(l: Lang, run: &RunState, c: &TrainConfig, d: &Dataset, data_name: &str, link: &str) {
    let tl = |x: T| x.get(l).to_owned();
    let document = web_sys::window().and_then(|w| w.document());
    let charts =
        ["loss-chart", "acc-chart"].iter().filter_map(|id| document.as_ref()?.get_element_by_id(id).map(|e| e.outer_html())).collect();
    let png = |p: &Prediction| {
        let px = crate::labs::results::thumb(d, p.index);
        let (canvas, ctx) = crate::blobs::canvas(px.width, px.height).ok()?;
        let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px.data), px.width, px.height).ok()?;
        ctx.put_image_data(&image, 0.0, 0.0).ok()?;
        canvas.to_data_url().ok()
    };
    let created = String::from(js_sys::Date::new_0().to_locale_string(l.code(), &wasm_bindgen::JsValue::UNDEFINED));
    let report = Report {
        title: format!("{} — {}", tl(text::APP_TITLE), tl(text::REPORT_TITLE)),
        created,
        data: format!("{data_name} ({}×{}×{}, {})", d.width, d.height, d.channels, d.len()),
        settings: settings(l, c, d),
        charts,
        link: Some(link.to_owned()).filter(|l| !l.is_empty()),
        ..Report::from_run(l, run, d.class_names.clone(), png)
    };
    crate::blobs::download(report::html(&report).as_bytes(), "imagelab-report.html", "text/html");
}

/// The run's settings as the report lists them: the network (the backbone first), the optimizer
/// and its numbers, the augmentation as torchvision writes it, the validation and the seed.
fn settings(l: Lang, c: &TrainConfig, d: &Dataset) -> Vec<(String, String)> {
    let tl = |x: T| x.get(l).to_owned();
    let validation = match c.validation {
        Validation::Holdout => format!("{} {:.0}%", tl(text::VALIDATION_HOLDOUT), c.validation_fraction * 100.0),
        Validation::KFold { k } => format!("{} (K = {k})", tl(text::VALIDATION_KFOLD)),
    };
    let mut layers: Vec<String> = c.model.layers.iter().map(|layer| layer.keras()).collect();
    if let Some(tr) = c.transfer {
        let how = match (tr.fine_tune, l) {
            (None, _) => tl(text::FROZEN),
            (Some(f), l) => text::fine_tuned(f.blocks, f.rate_divisor).get(l).to_owned(),
        };
        layers.insert(0, format!("{} {s}×{s} ({how})", tr.backbone.slug(), s = tr.size));
    }
    vec![
        (tl(text::HISTORY_MODEL), layers.join(" → ")),
        (tl(text::OPTIMIZER), tl(text::optimizer_name(c.optimizer.slug()))),
        (tl(text::LEARNING_RATE), c.learning_rate.to_string()),
        (tl(text::EPOCHS), c.epochs.to_string()),
        (tl(text::BATCH), c.batch_size.to_string()),
        (tl(text::WEIGHT_DECAY), c.weight_decay.to_string()),
        (tl(text::HISTORY_AUGMENT), if c.augment.is_identity() { "—".into() } else { c.augment.torchvision((d.height, d.width)) }),
        (tl(text::VALIDATION), validation),
        (tl(text::SEED), c.seed.to_string()),
    ]
}
