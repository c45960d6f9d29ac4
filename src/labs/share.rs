//! 共有 — share an experiment as a link and a QR code, and score a competition (the teacher's
//! side). The link's encoding, its checks and the scoring live in the core (`share`,
//! `competition`); this lab shows them.

use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::data::competition::{self, Score};
use imagelab_core::data::import::parse_labels;
use imagelab_core::i18n::Text;
use imagelab_core::session::share::{self, DataRef, Experiment};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The experiment as the page has it now (the model-file name is added here).
    pub experiment: Experiment,
}

/// The page's address without its query and `#` part, for links.
pub fn base_url() -> String {
    let Some(window) = web_sys::window() else { return String::new() };
    let href = window.location().href().unwrap_or_default();
    let end = href.find(['?', '#']).unwrap_or(href.len());
    href[..end].to_owned()
}

/// The QR code of `text` as an SVG path of its dark modules (one 1×1 square each), and its
/// size in modules; `None` when the text is too long for a QR code.
fn qr_path(text: &str) -> Option<(String, usize)> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L).ok()?;
    let width = code.width();
    let mut d = String::new();
    for (i, colour) in code.to_colors().iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            // +4: the quiet zone around the code.
            d.push_str(&format!("M{} {}h1v1h-1z", i % width + 4, i / width + 4));
        }
    }
    Some((d, width + 8))
}

/// What the link carries, in words.
fn summary(e: &Experiment, lang: Lang) -> Vec<(T, String)> {
    let c = &e.config;
    let data = match &e.data {
        DataRef::Digits => text::DS_BUILTIN.get(lang).to_owned(),
        DataRef::Local { name, size, channels } => {
            format!("{name} ({size}×{size}×{channels})")
        }
    };
    let kfold = match c.validation {
        imagelab_core::nn::experiment::Validation::Holdout => None,
        imagelab_core::nn::experiment::Validation::KFold { k } => Some(k),
    };
    let validation = text::share_validation(kfold, c.validation_fraction * 100.0, c.seed);
    let training = text::share_training(c.optimizer.slug(), c.learning_rate, c.epochs, c.batch_size, c.weight_decay);
    let output = text::share_output(c.model.output.slug());
    vec![
        (text::SH_DATA, data),
        (text::SH_NETWORK, format!("{} {} + {}", c.model.layers.len(), text::SH_LAYERS.get(lang), output.get(lang))),
        (text::SH_TRAINING, training.get(lang).to_owned()),
        (text::SH_VALIDATION, validation.get(lang).to_owned()),
        (text::SH_AUGMENT, format!("{} / {}", e.pipeline.steps.len(), c.augment.steps.len())),
    ]
}

/// A scored submission, or the reason its file could not be read.
#[derive(Clone, PartialEq)]
enum Scored {
    Ok(String, Score),
    Failed(String, Text),
}

async fn read_file(file: web_sys::File) -> Result<Vec<u8>, Text> {
    if file.size() > 50e6 {
        return Err(text::FILE_TOO_LARGE_50MB.into());
    }
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|_| Text::from(text::FILE_UNREADABLE))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn files_of(e: &Event) -> Vec<web_sys::File> {
    let input: HtmlInputElement = e.target_unchecked_into();
    let list = input.files();

    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default()
}

#[function_component(ShareLab)]
pub fn share_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let model_file = use_state(String::new);
    let copied = use_state(|| false);
    let truth = use_state(|| None::<Result<(String, imagelab_core::data::import::LabelTable), Text>>);
    let scored = use_state(Vec::<Scored>::new);

    let experiment = Experiment { model_file: Some(model_file.trim().to_owned()).filter(|s| !s.is_empty()), ..props.experiment.clone() };
    let valid = experiment.validate();
    let url = format!("{}{}", base_url(), share::hash(&experiment));
    let qr = qr_path(&url);

    let on_model_file = {
        let model_file = model_file.clone();
        let copied = copied.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            model_file.set(input.value().chars().take(120).collect());
            copied.set(false);
        })
    };
    let on_copy = {
        let url = url.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            let Some(window) = web_sys::window() else { return };
            let clipboard = window.navigator().clipboard();
            let copied = copied.clone();
            let url = url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = JsFuture::from(clipboard.write_text(&url)).await.is_ok();
                if !ok {
                    // No clipboard permission: select the field so Ctrl+C copies it.
                    if let Some(input) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("share-url"))
                        .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
                    {
                        input.select();
                    }
                }
                copied.set(ok);
            });
        })
    };
    let on_truth = {
        let truth = truth.clone();
        let scored = scored.clone();
        Callback::from(move |e: Event| {
            let Some(file) = files_of(&e).into_iter().next() else { return };
            let truth = truth.clone();
            let scored = scored.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let table = read_file(file).await.and_then(|b| parse_labels(&b).map_err(|e| e.text()));
                truth.set(Some(table.map(|t| (name, t))));
                scored.set(Vec::new());
            });
        })
    };
    let on_submissions = {
        let truth = truth.clone();
        let scored = scored.clone();
        Callback::from(move |e: Event| {
            let Some(Ok((_, table))) = (*truth).clone() else { return };
            let files = files_of(&e);
            let scored = scored.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut out = Vec::new();
                for file in files.into_iter().take(500) {
                    let name = file.name();
                    let stem = name.rsplit_once('.').map_or(name.clone(), |(s, _)| s.to_owned());
                    match read_file(file).await.and_then(|b| parse_labels(&b).map_err(|e| e.text())) {
                        Ok(sub) => out.push(Scored::Ok(stem, competition::score(&table, &sub))),
                        Err(why) => out.push(Scored::Failed(name, why)),
                    }
                }
                scored.set(out);
            });
        })
    };

    let ranked: Vec<(String, Score)> =
        scored.iter().filter_map(|s| if let Scored::Ok(n, sc) = s { Some((n.clone(), sc.clone())) } else { None }).collect();
    let order = competition::ranking(&ranked);
    let mut rank = 0;
    let mut previous = None;
    let rows: Vec<Html> = order
        .iter()
        .enumerate()
        .map(|(position, &i)| {
            let (name, s) = &ranked[i];
            if previous != Some(s.accuracy) {
                rank = position + 1;
                previous = Some(s.accuracy);
            }
            html! {
                <tr class="score-row" data-name={name.clone()} data-accuracy={s.accuracy.to_string()}>
                    <td>{ rank }</td>
                    <td>{ name.clone() }</td>
                    <td>{ format!("{:.1} %", s.accuracy * 100.0) }</td>
                    <td>{ format!("{}/{}", s.correct, s.total) }</td>
                    <td>{ s.missing.len() }</td>
                    <td>{ s.unknown.len() }</td>
                </tr>
            }
        })
        .collect();

    html! {
        <section class="lab share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ t(text::LAB_SHARE) }</h2>
            <p class="intro">{ t(text::SH_INTRO) }</p>

            <h3>{ t(text::SH_LINK_HEADING) }</h3>
            <div class="share-link">
                <label for="share-model-file">{ t(text::SH_MODEL_FILE) }</label>
                <input id="share-model-file" type="text" maxlength="120" value={(*model_file).clone()} oninput={on_model_file}
                       placeholder="imagelab-model.bpk" />
                <label for="share-url">{ t(text::SH_URL) }</label>
                <input id="share-url" type="text" readonly=true value={url.clone()} />
                <button id="share-copy" onclick={on_copy} disabled={valid.is_err()}>{ t(text::SH_COPY) }</button>
                <span id="share-copied" role="status">{ if *copied { t(text::SH_COPIED) } else { "" } }</span>
                if let Err(why) = &valid {
                    <p id="share-invalid" class="error" role="alert">{ why.get(l).to_owned() }</p>
                }
            </div>
            <dl id="share-summary" class="share-summary">
                { for summary(&experiment, l).into_iter().map(|(k, v)| html! { <><dt>{ t(k) }</dt><dd>{ v }</dd></> }) }
            </dl>
            {
                match qr {
                    Some((d, size)) => html! {
                        <figure class="qr">
                            <svg id="share-qr" role="img" aria-label={t(text::SH_QR)} viewBox={format!("0 0 {size} {size}")}
                                 width="240" height="240" shape-rendering="crispEdges" data-modules={(size - 8).to_string()}>
                                <rect width={size.to_string()} height={size.to_string()} fill="#fff" />
                                <path d={d} fill="#000" />
                            </svg>
                            <figcaption>{ t(text::SH_QR_CAPTION) }</figcaption>
                        </figure>
                    },
                    None => html! { <p id="share-qr-too-long" class="note">{ t(text::SH_QR_TOO_LONG) }</p> },
                }
            }

            <h3>{ t(text::SH_SCORE_HEADING) }</h3>
            <p>{ t(text::SH_SCORE_INTRO) }</p>
            <div class="score-inputs">
                <label for="score-truth">{ t(text::SH_TRUTH) }</label>
                <input id="score-truth" type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" onchange={on_truth} />
                <label for="score-submissions">{ t(text::SH_SUBMISSIONS) }</label>
                <input id="score-submissions" type="file" multiple=true accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
                       onchange={on_submissions} disabled={!matches!(*truth, Some(Ok(_)))} />
            </div>
            {
                match &*truth {
                    Some(Ok((name, table))) => html! {
                        <p id="score-truth-info" class="note" role="status">
                            { format!("{name}: {} {} ({})", table.rows.len(), t(text::SH_TRUTH_ROWS), table.encoding) }
                        </p>
                    },
                    Some(Err(why)) => html! { <p id="score-truth-error" class="error" role="alert">{ why.get(l).to_owned() }</p> },
                    None => html! {},
                }
            }
            if !rows.is_empty() {
                <div class="table-scroll">
                    <table id="score-table">
                        <caption>{ t(text::SH_RANKING) }</caption>
                        <thead><tr>
                            <th scope="col">{ t(text::SH_RANK) }</th>
                            <th scope="col">{ t(text::SH_SUBMISSION) }</th>
                            <th scope="col">{ t(text::SH_ACCURACY) }</th>
                            <th scope="col">{ t(text::SH_CORRECT) }</th>
                            <th scope="col">{ t(text::SH_MISSING) }</th>
                            <th scope="col">{ t(text::SH_UNKNOWN) }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            { for scored.iter().filter_map(|s| if let Scored::Failed(name, why) = s {
                Some(html! { <p class="error score-failed" role="alert">{ format!("{name}: {}", why.get(l)) }</p> })
            } else { None }) }
        </section>
    }
}
