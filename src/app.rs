//! The page frame: title, language switch, navigation between the labs.

use crate::assets::{DataState, load_digits};
use crate::error::PageError;
use crate::labs::augment::AugmentLab;
use crate::labs::compare::CompareLab;
use crate::labs::concepts::ConceptsLab;
use crate::labs::data::{DataLab, UseEvent};
use crate::labs::share::ShareLab;
use crate::labs::start::StartPage;
use crate::labs::table::TableLab;
use crate::labs::train::TrainLab;
use crate::labs::{Lab, image::ImageLab};
use crate::settings::ConfigHandle;
use crate::storage::prefs;
use crate::store::Store;
use crate::text::{self, T};
use image::RgbImage;
use imagelab_core::Lang;
use imagelab_core::data::augment::Pipeline;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::i18n::Text;
use imagelab_core::session::settings::{Settings, SettingsAction};
use imagelab_core::session::share::{self, DataRef, Experiment};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Reads `?lang=` and the browser's languages.
fn initial_lang() -> Lang {
    let Some(window) = web_sys::window() else { return Lang::default() };
    let query = window.location().search().ok().and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok()).and_then(|p| p.get("lang"));
    let browser: Vec<String> = window.navigator().languages().iter().filter_map(|v| v.as_string()).collect();
    Lang::choose(query.as_deref(), browser.iter().map(String::as_str))
}

/// Reflects the language in `<html lang>`, the title and `?lang=` (without reloading).
fn apply_lang(lang: Lang) {
    let Some(window) = web_sys::window() else { return };
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

/// The lab the URL names; the start page when it names none.
fn lab_from_hash() -> Lab {
    Lab::from_slug(share::parse_hash(&current_hash()).0).unwrap_or(Lab::Start)
}

/// The data the training, augmentation and comparison labs use.
#[derive(Clone)]
enum Choice {
    /// The built-in digits.
    Builtin,
    /// A dataset of the data lab being converted: training waits.
    Preparing {
        id: String,
        name: String,
        done: usize,
        total: usize,
    },
    Ready(Rc<Dataset>, prefs::Choice),
    /// The chosen dataset could not be prepared (training stays off until another is chosen).
    Failed {
        id: String,
        name: String,
        why: Text,
    },
}

impl Choice {
    /// The data the labs get, and its name.
    fn data(&self, digits: &DataState, l: Lang) -> (DataState, String) {
        match self {
            Choice::Builtin => (digits.clone(), text::DS_BUILTIN.get(l).to_owned()),
            Choice::Preparing { name, .. } => (DataState::Loading, name.clone()),
            Choice::Ready(d, c) => (DataState::Ready(d.clone()), c.name.clone()),
            Choice::Failed { name, why, .. } => (DataState::Failed(why.clone()), name.clone()),
        }
    }

    /// What the training lab says while the data is not ready, or why it failed (`true`: an error).
    fn status(&self) -> Option<(Text, bool)> {
        match self {
            Choice::Preparing { name, done, total, .. } => Some((text::preparing(name, (*total > 0).then_some((*done, *total))), false)),
            Choice::Failed { why, .. } => Some((why.clone(), true)),
            _ => None,
        }
    }

    /// The chosen dataset's name (`None`: the built-in digits).
    fn name(&self) -> Option<String> {
        match self {
            Choice::Builtin => None,
            Choice::Preparing { name, .. } | Choice::Failed { name, .. } => Some(name.clone()),
            Choice::Ready(_, c) => Some(c.name.clone()),
        }
    }

    /// The chosen dataset's id (`None`: the built-in digits).
    fn id(&self) -> Option<String> {
        match self {
            Choice::Builtin => None,
            Choice::Ready(_, c) => Some(c.id.clone()),
            Choice::Preparing { id, .. } | Choice::Failed { id, .. } => Some(id.clone()),
        }
    }

    /// The data as an experiment link names it.
    fn data_ref(&self) -> DataRef {
        match self {
            Choice::Ready(d, c) => {
                DataRef::Local { name: c.name.clone(), size: d.width.min(u16::MAX as usize) as u16, channels: d.channels as u8 }
            }
            _ => DataRef::Digits,
        }
    }

    /// The data lab's news of the data in use; the choice is remembered for the next visit.
    fn after(event: UseEvent) -> Choice {
        match event {
            UseEvent::Builtin => {
                prefs::set_choice(None);
                Choice::Builtin
            }
            UseEvent::Preparing { id, name, done, total } => Choice::Preparing { id, name, done, total },
            UseEvent::Ready { data, choice } => {
                prefs::set_choice(Some(&choice));
                Choice::Ready(data, choice)
            }
            UseEvent::Failed { id, name, why } => Choice::Failed { id, name, why },
        }
    }
}

/// The heavy files (the training worker, the digits), fetched when a lab that `needs` them is
/// first opened, with a progress line; then the digits are cut from the sprite.
#[hook]
fn use_heavy_files(needs: bool) -> (UseStateHandle<DataState>, UseStateHandle<Heavy>) {
    let digits = use_state(|| DataState::Loading);
    let heavy = use_state(|| Heavy::NotYet);
    let (data, state) = (digits.clone(), heavy.clone());
    use_effect_with(needs, move |needs| {
        let heavy = state;
        // (A failed download is tried again when such a lab is opened again.)
        if *needs && matches!(*heavy, Heavy::NotYet | Heavy::Failed(_)) {
            heavy.set(Heavy::Loading { loaded: 0.0, total: 0.0 });
            wasm_bindgen_futures::spawn_local(async move {
                let progress = {
                    // Re-render at most once per whole percent (a download comes in many chunks).
                    let (heavy, shown) = (heavy.clone(), std::cell::Cell::new(-1i64));
                    move |loaded: f64, total: f64| {
                        let percent = if total > 0.0 { (loaded / total * 100.0) as i64 } else { 0 };
                        if percent != shown.replace(percent) {
                            heavy.set(Heavy::Loading { loaded, total });
                        }
                    }
                };
                let fetched = fetch_heavy(progress).await;
                heavy.set(match &fetched {
                    Ok(()) => Heavy::Done,
                    Err(e) => Heavy::Failed(e.clone()),
                });
                data.set(match load_digits().await {
                    Ok(d) => DataState::Ready(Rc::new(d)),
                    Err(e) => DataState::Failed(text::DATA_FAILED.with_reason(&e)),
                });
            });
        }
    });
    (digits, heavy)
}

/// The heavy files' download, started when a lab that needs them first opens.
#[derive(Clone, PartialEq)]
enum Heavy {
    NotYet,
    Loading { loaded: f64, total: f64 },
    Done,
    Failed(PageError),
}

/// Downloads the training worker and the digits (www/register-sw.js), telling `progress`.
async fn fetch_heavy(progress: impl Fn(f64, f64) + 'static) -> Result<(), PageError> {
    let window = web_sys::window().ok_or(PageError::NoWindow)?;
    let f = js_sys::Reflect::get(&window, &"imagelabFetchHeavy".into()).map_err(|e| PageError::from_js(&e))?;
    let Ok(f) = f.dyn_into::<js_sys::Function>() else {
        return Err(PageError::NoLoader);
    };
    let cb = wasm_bindgen::closure::Closure::<dyn Fn(f64, f64)>::new(progress);
    let promise = f.call1(&window, cb.as_ref().unchecked_ref()).map_err(|e| PageError::from_js(&e))?;
    let result = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await;
    drop(cb);
    result.map(|_| ()).map_err(|e| PageError::from_js(&e))
}

/// The heavy files' progress line, in the labs that wait for them (`needs`).
fn heavy_line(l: Lang, heavy: &Heavy, needs: bool) -> Html {
    let t = |s: T| s.get(l);
    match (heavy, needs) {
        (Heavy::Loading { loaded, total }, true) => {
            let mb = |b: f64| b / 1_000_000.0;
            let line = text::heavy_loading((*total > 0.0).then_some((mb(*loaded), mb(*total))));
            html! {
                <div id="heavy-progress" class="heavy-progress" role="status">
                    <progress max={total.max(1.0).to_string()} value={loaded.to_string()} aria-label={t(text::HEAVY_PROGRESS_LABEL)}></progress>
                    <span>{ line.get(l).to_owned() }</span>
                </div>
            }
        }
        (Heavy::Failed(e), true) => html! {
            <p id="heavy-progress" class="error" role="alert">{ text::HEAVY_FAILED.with_reason(e).get(l).to_owned() }</p>
        },
        _ => html! {},
    }
}

/// What the page was opened with: an experiment link (`#/train?e=4.…`) read once at start.
#[derive(Clone, PartialEq)]
struct Opened {
    /// The decoded experiment, or why the link could not be used.
    experiment: Option<Result<Experiment, share::LinkError>>,
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

/// The notice shown after opening a link: its words, whether it is an error, and (for an error)
/// the machine-readable reason.
type Notice = Option<(Text, bool, Option<&'static str>)>;

/// The notice for what the page was opened with.
fn link_notice(opened: &Opened) -> Notice {
    match opened.experiment.as_ref()? {
        Err(why) => Some((text::link_unusable(&why.text), true, Some(why.problem.slug()))),
        Ok(e) => {
            let dataset = match &e.data {
                DataRef::Local { name, size, channels } => Some((name.as_str(), usize::from(*size), *channels == 1)),
                _ => None,
            };
            Some((text::link_loaded(dataset, e.model_file.as_deref()), false, None))
        }
    }
}

/// Back/forward and typed URLs change the lab; a link pasted into an open tab applies its
/// experiment as at start.
#[hook]
fn use_hash_changes(lab: &UseStateHandle<Lab>, settings: &UseReducerHandle<Store<Settings>>, notice: &UseStateHandle<Notice>) {
    let (lab, settings, notice) = (lab.clone(), settings.dispatcher(), notice.clone());
    use_effect_with((), move |_| {
        let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            if share::parse_hash(&current_hash()).1.is_some() {
                let opened = opened_with();
                if let Some(Ok(e)) = &opened.experiment {
                    settings.dispatch(SettingsAction::OpenLink(Box::new(e.clone())));
                }
                notice.set(link_notice(&opened));
            }
            lab.set(lab_from_hash());
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = &window {
                let _ = w.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
        }
    });
}

/// The labs' navigation, the open one marked.
fn lab_nav(l: Lang, lab: Lab) -> Html {
    let t = |s: T| s.get(l);
    html! {
        <nav class="labs" aria-label={t(text::NAV_LABEL)}>
            <ul>
            { for Lab::ALL.iter().map(|&each| {
                let current = each == lab;
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
    }
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let opened = use_state(opened_with);
    let link = opened.experiment.clone().and_then(Result::ok);
    // The language, the training settings, the pipeline and whether runs use it: one reducer.
    let settings = use_reducer(|| Store(Settings::new(initial_lang(), link.as_ref())));
    let lab = use_state(|| link.as_ref().and_then(|e| Lab::from_slug(&e.lab)).unwrap_or_else(lab_from_hash));
    let notice = use_state(|| link_notice(&opened));
    // Shared between labs: the built-in digits, the image lab's photo, the augmentation pipeline.
    let (digits, heavy) = use_heavy_files(lab.needs_heavy());
    // The lab the student last had open (before this visit), for the start page's "continue".
    let resume = use_state(|| prefs::last_lab().and_then(|s| Lab::from_slug(&s)).filter(|l| *l != Lab::Start));
    // The data chosen for training: a dataset chosen before a reload is prepared again by the
    // data lab (which reads the same saved choice).
    // A page opened with an experiment link starts from the link's data (its notice says how to
    // open a dataset of one's own), not from the saved choice.
    let choice = use_state(|| match prefs::choice().filter(|_| link.is_none()) {
        Some(c) => Choice::Preparing { id: c.id, name: c.name, done: 0, total: 0 },
        None => Choice::Builtin,
    });
    // The data lab's saved datasets (id, name), for the training lab's switcher, and the last
    // dataset asked for there.
    let datasets = use_state(Vec::<(String, String)>::new);
    let request = use_state(|| None::<(u32, String)>);
    // The training lab's finished runs, for the comparison lab's table.
    let nn_results = use_state(Vec::<crate::labs::NnResult>::new);
    let photo = use_state(|| None::<Rc<RgbImage>>);

    // Remembered for the start page's "continue" (once per change of lab, not on every render).
    use_effect_with(*lab, |lab| {
        if *lab != Lab::Start {
            prefs::set_last_lab(lab.slug());
        }
    });
    let on_photo = {
        let photo = photo.clone();
        Callback::from(move |p: Rc<RgbImage>| photo.set(Some(p)))
    };
    let on_use = {
        let choice = choice.clone();
        Callback::from(move |event: UseEvent| choice.set(Choice::after(event)))
    };
    let on_list = {
        let datasets = datasets.clone();
        Callback::from(move |list: Vec<(String, String)>| datasets.set(list))
    };
    // The training lab's switcher: "" = the built-in digits, else a dataset's id. Either goes
    // through the data lab, which also stops a preparation in flight.
    let on_pick = {
        let request = request.clone();
        Callback::from(move |id: String| {
            let n = request.as_ref().map_or(1, |(n, _)| n + 1);
            request.set(Some((n, id)));
        })
    };
    let (data, data_name) = choice.data(&digits, settings.lang);
    let (data_status, in_use, chosen_id) = (choice.status(), choice.name(), choice.id());
    // The experiment as it stands, for the share lab's link.
    let experiment = settings.experiment(choice.data_ref());
    let link_now = format!("{}{}", crate::labs::share::base_url(), share::hash(&experiment));
    let on_result = {
        let nn_results = nn_results.clone();
        Callback::from(move |r: crate::labs::NnResult| {
            let mut next = (*nn_results).clone();
            next.push(r);
            nn_results.set(next);
        })
    };
    let on_pipeline = {
        let settings = settings.dispatcher();
        Callback::from(move |p: Pipeline| settings.dispatch(SettingsAction::Pipeline(p)))
    };

    {
        let lang = settings.lang;
        use_effect_with(lang, move |_| apply_lang(lang));
    }
    use_hash_changes(&lab, &settings, &notice);

    let l = settings.lang;
    let heavy_line = heavy_line(l, &heavy, lab.needs_heavy());
    let toggle = {
        let settings = settings.dispatcher();
        Callback::from(move |_| settings.dispatch(SettingsAction::ToggleLang))
    };
    let t = |s: T| s.get(l);

    html! {
        <>
            <header class="top">
                <div class="brand">
                    <a class="home" href="#/start" aria-label={t(text::LAB_START)}>
                        <h1>{ t(text::APP_TITLE) }</h1>
                    </a>
                    <p class="tagline">{ t(text::APP_TAGLINE) }</p>
                    <p id="privacy-line" class="privacy-line">{ t(text::PRIVACY_LINE) }</p>
                </div>
                <button id="lang-switch" class="lang" onclick={toggle}
                        aria-label={t(text::SWITCH_LANG_LABEL)} lang={l.other().code()}>
                    { t(text::SWITCH_LANG) }
                </button>
            </header>
            { lab_nav(l, *lab) }
            <main id="main">
                if let Some((message, is_error, reason)) = &*notice {
                    <div id="link-notice" class={classes!("link-notice", is_error.then_some("error"))} data-reason={*reason}
                         role={if *is_error { "alert" } else { "status" }}>
                        <p>{ message.get(l).to_owned() }</p>
                        <button id="link-notice-close" onclick={{ let notice = notice.clone(); Callback::from(move |_| notice.set(None)) }}
                                aria-label={t(text::CLOSE_NOTICE)}>{ "✕" }</button>
                    </div>
                }
                { heavy_line }
                if *lab == Lab::Start {
                    <StartPage lang={l} resume={*resume} data_name={in_use.clone()} />
                }
                // Built labs stay mounted (hidden) so a run or loaded photos survive a visit to
                // another lab.
                <div hidden={*lab != Lab::Train}>
                    <TrainLab lang={l} data={data.clone()} settings={settings.clone()}
                              data_name={data_name.clone()} {on_result} link={link_now}
                              data_status={data_status.clone()}
                              datasets={(*datasets).clone()} chosen={chosen_id.clone()} {on_pick}
                              from_link={link.is_some()} />
                </div>
                <div hidden={*lab != Lab::Image}>
                    <ImageLab lang={l} {on_photo} />
                </div>
                <div hidden={*lab != Lab::Augment}>
                    <AugmentLab lang={l} data={data.clone()} photo={(*photo).clone()}
                                pipeline={settings.pipeline.clone()} {on_pipeline} />
                </div>
                <div hidden={*lab != Lab::Data}>
                    <DataLab lang={l} config={settings.config.clone()} {in_use} in_use_id={chosen_id.clone()} restore={link.is_none()}
                             {on_use} {on_list} request={(*request).clone()}
                             visible={*lab == Lab::Data} />
                </div>
                <div hidden={*lab != Lab::Compare}>
                    <CompareLab lang={l} data={data.clone()} data_name={data_name.clone()} config={settings.config.clone()}
                                nn={(*nn_results).clone()} />
                </div>
                if *lab == Lab::Concepts {
                    <ConceptsLab lang={l} config={ConfigHandle(settings.clone())} digits={(*digits).clone()} />
                }
                if *lab == Lab::Share {
                    <ShareLab lang={l} {experiment} />
                }
                <div hidden={*lab != Lab::Table}>
                    <TableLab lang={l} />
                </div>
            </main>
        </>
    }
}
