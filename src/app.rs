//! The page frame: title, language switch, navigation between the labs.

use crate::labs::augment::AugmentLab;
use crate::labs::compare::CompareLab;
use crate::labs::data::DataLab;
use imagelab_core::dataset::Dataset;
use crate::labs::train::{DataState, TrainLab, load_digits};
use crate::labs::concepts::ConceptsLab;
use crate::labs::share::ShareLab;
use crate::labs::{Lab, image::ImageLab};
use imagelab_core::i18n::Text;
use imagelab_core::share::{self, DataRef, Experiment};
use image::RgbImage;
use imagelab_core::augment::Pipeline;
use imagelab_core::experiment::TrainConfig;
use std::rc::Rc;
use crate::text::{self, T};
use imagelab_core::Lang;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Reads `?lang=` and the browser's languages.
fn initial_lang() -> Lang {
    let window = web_sys::window().expect("window");
    let query = window
        .location()
        .search()
        .ok()
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("lang"));
    let browser: Vec<String> = window
        .navigator()
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    Lang::choose(query.as_deref(), browser.iter().map(String::as_str))
}

/// Reflects the language in `<html lang>`, the title and `?lang=` (without reloading).
fn apply_lang(lang: Lang) {
    let window = web_sys::window().expect("window");
    if let Some(doc) = window.document() {
        if let Some(html) = doc.document_element() {
            let _ = html.set_attribute("lang", lang.code());
        }
        doc.set_title(&format!("{} — {}", text::APP_TITLE.get(lang), text::APP_TAGLINE.get(lang)));
    }
    if let Ok(url) = web_sys::Url::new(&window.location().href().unwrap_or_default()) {
        url.search_params().set("lang", lang.code());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
        }
    }
}

fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

fn lab_from_hash() -> Lab {
    Lab::from_slug(share::parse_hash(&current_hash()).0).unwrap_or(Lab::Train)
}

/// What the page was opened with: an experiment link (`#/train?e=2.…`) read once at start.
#[derive(Clone, PartialEq)]
struct Opened {
    /// The decoded experiment, or why the link could not be used.
    experiment: Option<Result<Experiment, Text>>,
}

fn opened_with() -> Opened {
    let hash = current_hash();
    let (lab, value) = share::parse_hash(&hash);
    let Some(value) = value else { return Opened { experiment: None } };
    let experiment = share::decode(value);
    // The settings now live in the page: leave a plain `#/lab` behind, so the lab navigation and
    // a reload work as usual.
    let lab = match &experiment {
        Ok(e) => e.lab.clone(),
        Err(_) => Lab::from_slug(lab).unwrap_or(Lab::Train).slug().to_owned(),
    };
    if let Some(window) = web_sys::window()
        && let Ok(history) = window.history()
    {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#/{lab}")));
    }
    Opened { experiment: Some(experiment) }
}

/// The notice shown after opening a link.
fn link_notice(opened: &Opened) -> Option<(Text, bool)> {
    match opened.experiment.as_ref()? {
        Err(why) => Some((
            Text::new(
                format!("リンクを読めませんでした（{}）。既定の設定で始めます。", why.ja),
                format!("The link could not be used ({}); starting with the default settings.", why.en),
            ),
            true,
        )),
        Ok(e) => {
            let mut ja = String::from("リンクの実験の設定を読み込みました。");
            let mut en = String::from("The link's experiment settings are loaded.");
            if let DataRef::Local { name, size, channels } = &e.data {
                let kind = if *channels == 1 { ("グレースケール", "grayscale") } else { ("カラー", "colour") };
                ja.push_str(&format!(
                    "この実験はデータセット「{name}」（{size}×{size}、{}）を使います。データ画面でそのデータセットを開き「このデータで学習」を押してください。",
                    kind.0
                ));
                en.push_str(&format!(
                    " It uses the dataset “{name}” ({size}×{size}, {}): open it in the data lab and press “Train on this dataset”.",
                    kind.1
                ));
            }
            if let Some(file) = &e.model_file {
                ja.push_str(&format!("モデルファイル「{file}」を受け取ったら、学習画面の「モデルを読み込む」で開けます。"));
                en.push_str(&format!(" If you received the model file “{file}”, open it with “Load a model” in the training lab."));
            }
            Some((Text::new(ja, en), false))
        }
    }
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let opened = use_state(opened_with);
    let link = opened.experiment.clone().and_then(Result::ok);
    let lang = use_state(|| link.as_ref().map_or_else(initial_lang, |e| e.lang));
    let lab = use_state(|| link.as_ref().and_then(|e| Lab::from_slug(&e.lab)).unwrap_or_else(lab_from_hash));
    let notice = use_state(|| link_notice(&opened));
    // Shared between labs: the built-in digits, the image lab's photo, the augmentation pipeline.
    let digits = use_state(|| DataState::Loading);
    // The data lab's dataset chosen for training, if any (else the digits).
    let own = use_state(|| None::<(Rc<Dataset>, String)>);
    let config = use_state(|| link.as_ref().map(|e| e.config.clone()).unwrap_or_default());
    // The training lab's finished runs, for the comparison lab's table.
    let nn_results = use_state(Vec::<crate::labs::compare::NnResult>::new);
    let photo = use_state(|| None::<Rc<RgbImage>>);
    let pipeline = use_state(|| link.as_ref().map_or_else(Pipeline::digits, |e| e.pipeline.clone()));
    // Whether the training lab trains with the pipeline: a link carries it as a non-empty
    // `config.augment`.
    let use_augment = use_state(|| link.as_ref().is_some_and(|e| !e.config.augment.is_identity()));

    {
        let data = digits.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(match load_digits().await {
                    Ok(d) => DataState::Ready(Rc::new(d)),
                    Err(e) => DataState::Failed(e),
                });
            });
        });
    }
    let on_photo = {
        let photo = photo.clone();
        Callback::from(move |p: Rc<RgbImage>| photo.set(Some(p)))
    };
    let on_use = {
        let own = own.clone();
        Callback::from(move |choice: Option<(Rc<Dataset>, String)>| own.set(choice))
    };
    let (data, data_name) = match &*own {
        Some((d, name)) => (DataState::Ready(d.clone()), name.clone()),
        None => ((*digits).clone(), text::DS_BUILTIN.get(*lang).to_owned()),
    };
    let in_use = own.as_ref().map(|(_, n)| n.clone());
    // The experiment as it stands, for the share lab's link.
    let experiment = Experiment {
        lab: Lab::Train.slug().to_owned(),
        lang: *lang,
        data: match &*own {
            Some((d, name)) => DataRef::Local { name: name.clone(), size: d.width.min(u16::MAX as usize) as u16, channels: d.channels as u8 },
            None => DataRef::Digits,
        },
        config: TrainConfig {
            augment: if *use_augment { (*pipeline).clone() } else { Pipeline::default() },
            ..(*config).clone()
        },
        pipeline: (*pipeline).clone(),
        model_file: None,
    };
    let link_now = format!("{}{}", crate::labs::share::base_url(), share::hash(&experiment));
    let on_result = {
        let nn_results = nn_results.clone();
        Callback::from(move |r: crate::labs::compare::NnResult| {
            let mut next = (*nn_results).clone();
            next.push(r);
            nn_results.set(next);
        })
    };
    let on_pipeline = {
        let pipeline = pipeline.clone();
        Callback::from(move |p: Pipeline| pipeline.set(p))
    };

    {
        let lang = *lang;
        use_effect_with(lang, move |_| apply_lang(lang));
    }
    {
        // Back/forward and typed URLs change the lab; a link pasted into an open tab applies its
        // experiment as at start.
        let (lab, lang, config, pipeline, use_augment, notice) =
            (lab.clone(), lang.clone(), config.clone(), pipeline.clone(), use_augment.clone(), notice.clone());
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                if share::parse_hash(&current_hash()).1.is_some() {
                    let opened = opened_with();
                    if let Some(Ok(e)) = &opened.experiment {
                        lang.set(e.lang);
                        config.set(e.config.clone());
                        pipeline.set(e.pipeline.clone());
                        use_augment.set(!e.config.augment.is_identity());
                    }
                    notice.set(link_notice(&opened));
                }
                lab.set(lab_from_hash());
            });
            let window = web_sys::window().expect("window");
            let _ = window.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            move || {
                let _ = window.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
        });
    }

    let l = *lang;
    let toggle = {
        let lang = lang.clone();
        Callback::from(move |_| lang.set(lang.other()))
    };
    let t = |s: T| s.get(l);

    html! {
        <>
            <header class="top">
                <div class="brand">
                    <h1>{ t(text::APP_TITLE) }</h1>
                    <p class="tagline">{ t(text::APP_TAGLINE) }</p>
                    <p id="privacy-line" class="privacy-line">{ t(text::PRIVACY_LINE) }</p>
                </div>
                <button id="lang-switch" class="lang" onclick={toggle}
                        aria-label={t(text::SWITCH_LANG_LABEL)} lang={l.other().code()}>
                    { t(text::SWITCH_LANG) }
                </button>
            </header>
            <nav class="labs" aria-label={t(text::NAV_LABEL)}>
                <ul>
                { for Lab::ALL.iter().map(|&each| {
                    let current = each == *lab;
                    html! {
                        <li>
                            <a href={format!("#/{}", each.slug())}
                               aria-current={current.then_some("page")}
                               class={classes!(current.then_some("current"))}>
                                { t(each.name()) }
                            </a>
                        </li>
                    }
                }) }
                </ul>
            </nav>
            <main id="main">
                if let Some((message, is_error)) = &*notice {
                    <div id="link-notice" class={classes!("link-notice", is_error.then_some("error"))}
                         role={if *is_error { "alert" } else { "status" }}>
                        <p>{ message.get(l).to_owned() }</p>
                        <button id="link-notice-close" onclick={{ let notice = notice.clone(); Callback::from(move |_| notice.set(None)) }}
                                aria-label={t(text::CLOSE_NOTICE)}>{ "✕" }</button>
                    </div>
                }
                // Built labs stay mounted (hidden) so a run or loaded photos survive a visit to
                // another lab.
                <div hidden={*lab != Lab::Train}>
                    <TrainLab lang={l} data={data.clone()} pipeline={(*pipeline).clone()} config={config.clone()}
                              data_name={data_name.clone()} {on_result} link={link_now}
                              use_augment={use_augment.clone()} />
                </div>
                <div hidden={*lab != Lab::Image}>
                    <ImageLab lang={l} {on_photo} />
                </div>
                <div hidden={*lab != Lab::Augment}>
                    <AugmentLab lang={l} data={data.clone()} photo={(*photo).clone()}
                                pipeline={(*pipeline).clone()} {on_pipeline} />
                </div>
                <div hidden={*lab != Lab::Data}>
                    <DataLab lang={l} config={config.clone()} {in_use} {on_use} visible={*lab == Lab::Data} />
                </div>
                <div hidden={*lab != Lab::Compare}>
                    <CompareLab lang={l} data={data.clone()} data_name={data_name.clone()} config={config.clone()}
                                nn={(*nn_results).clone()} />
                </div>
                if *lab == Lab::Concepts {
                    <ConceptsLab lang={l} config={config.clone()} digits={(*digits).clone()} />
                }
                if *lab == Lab::Share {
                    <ShareLab lang={l} {experiment} />
                }
            </main>
        </>
    }
}
