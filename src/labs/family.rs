//! The training lab's choice of network family: from scratch, or 転移学習 with the pretrained
//! EfficientNet-Lite0 — its input size, how many of its last blocks are fine-tuned and at what
//! rate, how many passes the preparation makes, and the backbone's layers (frozen or not).

use crate::assets::DataState;
use crate::settings::{ConfigHandle, SettingsHandle};
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::nn::architecture::ModelSpec;
use imagelab_core::nn::experiment::{FineTune, MAX_UNFROZEN, TrainConfig, Transfer};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The shared settings: the family is part of the training form's.
    pub settings: SettingsHandle,
    /// A run is on: the choice waits.
    pub active: bool,
    /// The data in use (how many images the preparation passes through the backbone).
    pub data: DataState,
}

/// The family select and, for transfer learning, its settings and the backbone's layers.
#[function_component(Family)]
pub fn family(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let (active, data) = (props.active, &props.data);
    let config = ConfigHandle(props.settings.clone());
    let use_augment = props.settings.use_augment;
    let on_family = on_select(&config, |next, value| match (value, next.transfer) {
        ("transfer", None) => {
            next.transfer = Some(Transfer::default());
            next.model = ModelSpec::transfer_head(None);
            true
        }
        ("scratch", Some(_)) => {
            next.transfer = None;
            next.model = ModelSpec::default();
            true
        }
        _ => false,
    });
    let on_transfer_size = on_select(&config, |next, value| match (&mut next.transfer, value.parse::<usize>()) {
        (Some(t), Ok(size)) => {
            t.size = size;
            true
        }
        _ => false,
    });
    let on_unfreeze = on_select(&config, |next, value| match (&mut next.transfer, value.parse::<usize>()) {
        (Some(t), Ok(k)) => {
            t.fine_tune = (k > 0).then(|| FineTune { blocks: k, ..t.fine_tune.unwrap_or_default() });
            true
        }
        _ => false,
    });
    let on_unfrozen_rate = on_select(&config, |next, value| match (&mut next.transfer, value.parse::<usize>()) {
        (Some(Transfer { fine_tune: Some(f), .. }), Ok(d)) => {
            f.rate_divisor = d;
            true
        }
        _ => false,
    });
    html! {
        <div class="family">
            <div class="field">
                <label for="model-family">{ t(text::FAMILY) }</label>
                <select id="model-family" onchange={on_family} disabled={active}>
                    <option value="scratch" selected={config.transfer.is_none()}>{ t(text::FAMILY_SCRATCH) }</option>
                    <option value="transfer" selected={config.transfer.is_some()}>{ t(text::FAMILY_TRANSFER) }</option>
                </select>
            </div>
            if let Some(tr) = config.transfer {
                <div class="field">
                    <label for="transfer-size">{ t(text::TRANSFER_SIZE) }</label>
                    <select id="transfer-size" onchange={on_transfer_size} disabled={active}>
                        { for [224usize, 160, 128].iter().map(|s| html! {
                            <option value={s.to_string()} selected={tr.size == *s}>{ format!("{s}×{s}") }</option>
                        }) }
                    </select>
                </div>
                <p id="transfer-note" class="note">{ t(text::TRANSFER_NOTE) }</p>
                <div class="field">
                    <label for="transfer-unfreeze">{ t(text::UNFREEZE) }</label>
                    <select id="transfer-unfreeze" onchange={on_unfreeze} disabled={active}>
                        { for (0..=MAX_UNFROZEN).map(|k| html! {
                            <option value={k.to_string()} selected={tr.unfrozen() == k}>{ match (k, l) {
                                (0, _) => t(text::UNFREEZE_NONE).to_owned(),
                                (k, l) => text::unfreeze_blocks(k).get(l).to_owned(),
                            } }</option>
                        }) }
                    </select>
                </div>
                if let Some(f) = tr.fine_tune {
                    <div class="field">
                        <label for="unfrozen-rate">{ t(text::UNFROZEN_RATE) }</label>
                        <select id="unfrozen-rate" onchange={on_unfrozen_rate} disabled={active}>
                            // A link or the CLI may have set another divisor: offered too, so the
                            // select shows what trains.
                            { for [1usize, 10, 100].into_iter().chain((![1, 10, 100].contains(&f.rate_divisor)).then_some(f.rate_divisor)).collect::<Vec<_>>().iter().map(|d| html! {
                                <option value={d.to_string()} selected={f.rate_divisor == *d}>{ text::unfrozen_rate(*d).get(l).to_owned() }</option>
                            }) }
                        </select>
                    </div>
                    <p id="unfreeze-note" class="note">{ t(text::UNFREEZE_NOTE) }</p>
                }
                if let DataState::Ready(d) = data {
                    // What the preparation will compute: every image once, and its augmented
                    // versions when augmentation is on.
                    {{
                        let versions = if use_augment { tr.versions(&props.settings.pipeline) } else { 1 };
                        let n = d.len() * versions;
                        html! {
                            <p id="transfer-count" class="note" data-count={n.to_string()}>
                                { text::transfer_passes(d.len(), versions).get(l).to_owned() }
                            </p>
                        }
                    }}
                }
                <details class="backbone-layers">
                    <summary>{{
                        // Rows 18 − k … 17 train when the last k blocks are fine-tuned.
                        let rows = imagelab_core::nn::lite0::rows(tr.size);
                        let first_unfrozen = 18 - tr.unfrozen();
                        let frozen: usize = rows[..first_unfrozen.min(rows.len())].iter().map(|r| r.params).sum();
                        let tuned: usize = rows[first_unfrozen.min(rows.len())..].iter().map(|r| r.params).sum();
                        if tuned == 0 {
                            format!("{} ({frozen} {})", t(text::BACKBONE_LAYERS), t(text::BACKBONE_FROZEN_PARAMS))
                        } else {
                            format!("{} ({frozen} {} · {tuned} {} {})", t(text::BACKBONE_LAYERS), t(text::BACKBONE_FROZEN_PARAMS), t(text::MODEL_PARAMS), t(text::UNFROZEN))
                        }
                    }}</summary>
                    <ol id="backbone-layers" class="layers">
                        <li class="layer input">
                            <strong>{ t(text::MODEL_INPUT) }</strong>
                            <span class="shape">{ format!("{0}×{0}×3", tr.size) }</span>
                        </li>
                        { for imagelab_core::nn::lite0::rows(tr.size).iter().enumerate().map(|(i, r)| {
                            let tuned = tr.unfrozen() > 0 && (18 - tr.unfrozen()..18).contains(&i);
                            html! {
                                <li class={classes!("layer", if tuned { "unfrozen" } else { "frozen" })}>
                                    <strong>{ r.name.get(l).to_owned() }</strong>
                                    <span class="shape">{ format!("{}×{}×{}", r.output[1], r.output[2], r.output[0]) }</span>
                                    <span class="params">{ format!("{} {} · {}", r.params, t(text::MODEL_PARAMS), t(if tuned { text::UNFROZEN } else { text::FROZEN })) }</span>
                                </li>
                            }
                        }) }
                    </ol>
                </details>
                <p class="note">{ t(text::TRANSFER_HEAD_NOTE) }</p>
            }
        </div>
    }
}

/// A `<select>`'s change applied to the settings: `apply` edits a copy with the chosen value
/// and says whether it changed anything (only then are the settings replaced).
fn on_select(config: &ConfigHandle, apply: impl Fn(&mut TrainConfig, &str) -> bool + 'static) -> Callback<Event> {
    let config = config.clone();
    Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        let mut next = (*config).clone();
        if apply(&mut next, &value) {
            config.set(next);
        }
    })
}
