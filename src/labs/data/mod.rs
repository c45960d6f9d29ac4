//! データ — the data lab: the students' own datasets. Classes (name, colour), images from files,
//! folders, zips and the webcam (hold to record), a thumbnail grid per class with select, delete
//! and move, storage used / quota, zip export, the split the training lab will use, and "train
//! on this dataset". The rules live in `imagelab_core::{library, import}`; IndexedDB in
//! `crate::storage`; the browser's image decoder in `crate::blobs`.

use crate::storage;
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::data::library::{self, DatasetInfo, Part};
use imagelab_core::i18n::Text;
use imagelab_core::nn::experiment::{TrainConfig, Validation};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::{File, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

mod session;
use imagelab_core::session::data_lab::{DataLabView, ReportView};
use session::{Ctx, Shared, dataset_name_from, files_of, import_files, prepare};

/// Thumbnails shown per class before "show more" (the grid stays light with thousands).
const PAGE: usize = 60;

/// An edit of a class (rename, recolour): the images whose files to drop, or why it cannot be.
type ClassEdit = Rc<dyn Fn(&mut DatasetInfo, String) -> Result<Vec<u64>, Text>>;
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The training lab's settings (the split shown here is the one it will use).
    pub config: TrainConfig,
    /// The name of the dataset the training lab uses now (`None`: the built-in digits).
    pub in_use: Option<String>,
    /// Its id (a deletion of that dataset returns the training lab to the digits).
    #[prop_or_default]
    pub in_use_id: Option<String>,
    /// Whether to prepare the dataset chosen before a reload (not when the page was opened with
    /// an experiment link: the link says which data).
    #[prop_or(true)]
    pub restore: bool,
    /// "Train on this dataset": preparing, ready, failed, or back to the digits.
    pub on_use: Callback<UseEvent>,
    /// The saved datasets (id, name), told whenever the list changes (the training lab's
    /// switcher lists them).
    #[prop_or_default]
    pub on_list: Callback<Vec<(String, String)>>,
    /// A dataset to prepare for training, asked for elsewhere (the training lab's switcher):
    /// a request number (each new number is one request) and the dataset's id.
    #[prop_or_default]
    pub request: Option<(u32, String)>,
    /// Whether the lab is on screen (the camera stops when it is not).
    pub visible: bool,
}

/// What the data lab tells the page about the data the training lab should use.
#[derive(Clone)]
pub enum UseEvent {
    /// Back to the built-in digits.
    Builtin,
    /// Dataset `id` (`name`) is being converted for training (`done` of `total` images).
    /// Training waits until it is ready.
    Preparing { id: String, name: String, done: usize, total: usize },
    /// Converted and ready to train on.
    Ready { data: Rc<Dataset>, choice: storage::prefs::Choice },
    /// It could not be prepared; the reason in words.
    Failed { id: String, name: String, why: Text },
}
#[function_component(DataLab)]
pub fn data_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let shared = use_mut_ref(Shared::default);
    let view = use_state(DataLabView::default);
    let latest = use_mut_ref(DataLabView::default);
    let version = use_state(|| 0u32);
    let ctx = Ctx { shared: shared.clone(), view: view.clone(), version: version.clone(), latest: latest.clone() };
    let selected = use_state(BTreeSet::<u64>::new);
    let shown = use_state(HashMap::<Option<u32>, usize>::new);
    let show_split = use_state(|| false);
    let input_size = use_state(|| 32usize);
    let channels = use_state(|| 3usize);
    let fps = use_state(|| 5u32);
    let new_name = use_node_ref();
    let new_class = use_node_ref();
    let video = use_node_ref();

    // Prepares dataset `id` for training at the given size (a reload's saved choice, or the
    // training lab's switcher).
    let prepare_saved = {
        let (ctx, on_use, input_size, channels) = (ctx.clone(), props.on_use.clone(), input_size.clone(), channels.clone());
        Callback::from(move |choice: storage::prefs::Choice| {
            input_size.set(choice.size);
            channels.set(choice.channels);
            let (ctx, on_use) = (ctx.clone(), on_use.clone());
            spawn_local(async move { ctx.prepare_saved(choice, &on_use).await });
        })
    };
    use_session_effects(props, &ctx, &view.datasets, &prepare_saved, (*input_size, *channels));

    let v = (*view).clone();
    let s = shared.borrow();
    let info = s.info.clone();
    let urls = s.files.urls.clone();
    drop(s);

    let on_pick_dataset = {
        let (ctx, selected, shown) = (ctx.clone(), selected.clone(), shown.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let ctx = ctx.clone();
            selected.set(BTreeSet::new());
            shown.set(HashMap::new());
            spawn_local(async move { ctx.open((!value.is_empty()).then_some(value)).await });
        })
    };
    let on_create = {
        let (ctx, new_name) = (ctx.clone(), new_name.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = new_name.cast::<HtmlInputElement>() else { return };
            let name = input.value();
            input.set_value("");
            let ctx = ctx.clone();
            spawn_local(async move {
                ctx.create(&name).await;
            });
        })
    };
    let on_rename = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlInputElement>().value();
            let ctx = ctx.clone();
            spawn_local(async move {
                if ctx.commit(|i| i.rename(&name).map(|_| (Vec::new(), Vec::new())).map_err(|e| e.text())).await {
                    ctx.refresh_list().await;
                }
            });
        })
    };
    let on_delete_dataset = {
        let (ctx, on_use, in_use) = (ctx.clone(), props.on_use.clone(), props.in_use_id.clone());
        Callback::from(move |_: MouseEvent| {
            let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(text::DS_CONFIRM_DELETE.get(l)).ok()).unwrap_or(false);
            if confirmed {
                let (ctx, on_use, in_use) = (ctx.clone(), on_use.clone(), in_use.clone());
                spawn_local(async move { ctx.delete_open(in_use, &on_use).await });
            }
        })
    };
    let on_add_class = {
        let (ctx, new_class) = (ctx.clone(), new_class.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = new_class.cast::<HtmlInputElement>() else { return };
            let name = input.value();
            let ctx = ctx.clone();
            let input = input.clone();
            spawn_local(async move {
                if ctx.commit(|i| i.add_class(&name).map(|_| (Vec::new(), Vec::new())).map_err(|e| e.text())).await {
                    input.set_value("");
                }
            });
        })
    };
    let edit_class = {
        let ctx = ctx.clone();
        move |f: ClassEdit| {
            let ctx = ctx.clone();
            Callback::from(move |e: Event| {
                let value = e.target_unchecked_into::<HtmlInputElement>().value();
                let (ctx, f) = (ctx.clone(), f.clone());
                spawn_local(async move {
                    ctx.commit(move |i| f(i, value).map(|removed| (Vec::new(), removed))).await;
                });
            })
        }
    };
    let on_files_for = {
        let ctx = ctx.clone();
        move |class: u32| {
            let ctx = ctx.clone();
            Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let files: Vec<(String, File)> = files_of(&input).into_iter().map(|f| (f.name(), f)).collect();
                input.set_value("");
                spawn_local(import_files(ctx.clone(), files, Some(class), String::new()));
            })
        }
    };
    let on_toggle = {
        let selected = selected.clone();
        move |id: u64| {
            let selected = selected.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*selected).clone();
                if !next.remove(&id) {
                    next.insert(id);
                }
                selected.set(next);
            })
        }
    };
    let on_show_more = {
        let shown = shown.clone();
        move |class: Option<u32>| {
            let shown = shown.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*shown).clone();
                *next.entry(class).or_insert(PAGE) += PAGE * 4;
                shown.set(next);
            })
        }
    };
    let on_split = {
        let show_split = show_split.clone();
        Callback::from(move |e: Event| show_split.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let on_use = {
        let (ctx, on_use, input_size, channels) = (ctx.clone(), props.on_use.clone(), input_size.clone(), channels.clone());
        Callback::from(move |_: MouseEvent| {
            let (ctx, on_use, size, ch) = (ctx.clone(), on_use.clone(), *input_size, *channels);
            spawn_local(async move {
                if ctx.shared.borrow().info.is_some() {
                    // The training lab shows the preparation and waits for it.
                    go_to_lab("train");
                }
                let n = ctx.next_preparation();
                prepare(&ctx, n, size, ch, &on_use).await;
            });
        })
    };
    let on_use_builtin = {
        let (ctx, on_use) = (ctx.clone(), props.on_use.clone());
        Callback::from(move |_: MouseEvent| {
            ctx.next_preparation();
            on_use.emit(UseEvent::Builtin)
        })
    };
    let on_camera = {
        let (ctx, video) = (ctx.clone(), video.clone());
        Callback::from(move |_: MouseEvent| ctx.toggle_camera(&video))
    };
    // Hold to record: frames at `fps` into `class` until released.
    let start_burst = {
        let (ctx, video, fps) = (ctx.clone(), video.clone(), *fps);
        move |class: u32| {
            let (ctx, video) = (ctx.clone(), video.clone());
            Rc::new(move || ctx.start_burst(&video, fps, class)) as Rc<dyn Fn()>
        }
    };
    let stop_burst = {
        let ctx = ctx.clone();
        Callback::from(move |_: ()| ctx.shared.borrow_mut().burst = None)
    };
    let (on_fps, on_size, on_channels) = (set_from_select(&fps), set_from_select(&input_size), set_from_select(&channels));

    let busy = v.busy.is_some();
    let config = props.config.clone();
    // The split is computed once per render (it shuffles every image) and gives badges or a reason.
    let (parts, split_error): (Option<HashMap<u64, Part>>, Option<Text>) = match (&info, *show_split) {
        (Some(i), true) => match library::parts(i, &config) {
            Ok(p) => (Some(i.images.iter().map(|img| img.id).zip(p).collect()), None),
            Err(e) => (None, Some(e.text())),
        },
        _ => (None, None),
    };

    html! {
        <section class="lab data" aria-labelledby="data-heading">
            <h2 id="data-heading">{ t(text::DS_HEADING) }</h2>
            <p class="intro">{ t(text::DS_INTRO) }</p>
            <p class="privacy">{ t(text::DS_PRIVACY) }</p>

            { dataset_bar(l, &v, on_pick_dataset, on_create, new_name, busy) }
            <p id="data-in-use" class="note" role="status">
                { format!("{}: {}", t(text::DS_USING), props.in_use.clone().unwrap_or_else(|| t(text::DS_BUILTIN).to_owned())) }
            </p>
            if let Some(m) = &v.message { <p id="data-message" class="error" role="alert">{ m.get(l).to_owned() }</p> }
            if let Some(b) = &v.busy { <p id="data-busy" role="status">{ b.get(l).to_owned() }</p> }
            if let Some(n) = &v.note { <p id="data-note" class="note" role="status">{ n.get(l).to_owned() }</p> }

            if info.is_none() {
                <div class="actions">
                    <button id="use-builtin" onclick={on_use_builtin} disabled={props.in_use.is_none()}>{ t(text::DS_USE) }</button>
                </div>
            }

            <ImportPanel lang={l} ctx={ctx.clone()} no_store={v.no_store} {busy} has_dataset={info.is_some()} />

            if let Some(r) = &v.report {
                { import_report(l, r) }
            }

            if let Some(i) = &info {
                <div class="dataset-edit">
                    <div class="field">
                        <label for="dataset-name">{ t(text::DS_RENAME) }</label>
                        <input id="dataset-name" value={i.name.clone()} maxlength="40" onchange={on_rename} disabled={busy} />
                    </div>
                    <button id="dataset-delete" class="danger" onclick={on_delete_dataset} disabled={busy}>{ t(text::DS_DELETE) }</button>
                </div>

                // The main action near the top: a phone need not scroll past every photo to it.
                { use_bar(l, *input_size, *channels, on_size, on_channels, on_use, busy) }
                { camera_bar(l, v.camera, *fps, on_camera, on_fps) }
                <video ref={video} class="burst-video" autoplay=true muted=true playsinline=true hidden={!v.camera}
                       aria-label={t(text::DS_CAMERA)}></video>

                <h3>{ format!("{} ({})", t(text::DS_CLASSES), i.classes.len()) }</h3>
                <form class="inline" onsubmit={on_add_class}>
                    <label for="class-new" class="visually-hidden">{ t(text::DS_NEW_CLASS) }</label>
                    <input id="class-new" ref={new_class} placeholder={t(text::DS_NEW_CLASS)} maxlength="40" disabled={busy} />
                    <button type="submit" id="class-add" disabled={busy}>{ t(text::DS_ADD_CLASS) }</button>
                </form>
                if i.classes.is_empty() { <p class="note">{ t(text::DS_NEED_CLASS) }</p> }

                if !selected.is_empty() {
                    <SelectionBar lang={l} ctx={ctx.clone()} selected={selected.clone()}
                                  classes={i.classes.iter().map(|c| (c.id, c.name.clone())).collect::<Vec<_>>()} />
                }

                <div class="field checkbox">
                    <label for="show-split">
                        <input id="show-split" type="checkbox" checked={*show_split} onchange={on_split} />
                        { t(text::DS_SHOW_SPLIT) }
                    </label>
                </div>
                if *show_split {
                    { split_legend(l, &config, split_error.as_ref()) }
                }

                {{
                    let page = Page { l, info: i, busy, camera: v.camera, shown: &shown, selected: &selected, parts: parts.as_ref(), urls: &urls,
                                      on_toggle: &on_toggle, on_show_more: &on_show_more };
                    let actions = ClassActions { ctx: &ctx, edit: &edit_class, files: &on_files_for, hold: &start_burst, release: &stop_burst };
                    i.classes.iter().zip(i.counts()).map(|(c, n)| class_block(&page, &actions, c, n)).collect::<Html>()
                }}
                if i.unlabelled().next().is_some() {
                    <section class="class-block" aria-label={t(text::DS_UNLABELLED)}>
                        <div class="class-head">
                            <span class="class-name">{ t(text::DS_UNLABELLED) }</span>
                            <span class="count" data-count={i.unlabelled().count().to_string()}>{ format!("{} {}", i.unlabelled().count(), t(text::DS_IMAGES)) }</span>
                        </div>
                        {{
                            let page = Page { l, info: i, busy, camera: v.camera, shown: &shown, selected: &selected, parts: parts.as_ref(), urls: &urls,
                                              on_toggle: &on_toggle, on_show_more: &on_show_more };
                            thumbs(&page, None, t(text::DS_UNLABELLED).to_owned(), "#999999".to_owned())
                        }}
                    </section>
                }

            }
        </section>
    }
}

/// Shows another lab (as the navigation does: the page follows the hash).
fn go_to_lab(slug: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&format!("#/{slug}"));
    }
}

/// What the thumbnail grids and the class blocks draw from, in one render.
struct Page<'a> {
    l: Lang,
    info: &'a DatasetInfo,
    busy: bool,
    /// The camera is on (the hold-to-record buttons show).
    camera: bool,
    /// Thumbnails shown per class (more after "show more").
    shown: &'a HashMap<Option<u32>, usize>,
    selected: &'a BTreeSet<u64>,
    /// Each image's part of the split, when shown.
    parts: Option<&'a HashMap<u64, Part>>,
    urls: &'a HashMap<u64, String>,
    on_toggle: &'a dyn Fn(u64) -> Callback<MouseEvent>,
    on_show_more: &'a dyn Fn(Option<u32>) -> Callback<MouseEvent>,
}

/// What a class block's controls do.
struct ClassActions<'a> {
    ctx: &'a Ctx,
    /// An edit of the class (rename, recolour) from an input's value.
    edit: &'a dyn Fn(ClassEdit) -> Callback<Event>,
    /// Files chosen (or shot) into the class.
    files: &'a dyn Fn(u32) -> Callback<Event>,
    /// Hold to record into the class, and let go.
    hold: &'a dyn Fn(u32) -> Rc<dyn Fn()>,
    release: &'a Callback<()>,
}

/// The thumbnails of `class` (`None`: the unlabelled images), selectable, with their part of the
/// split when shown, `PAGE` at a time.
fn thumbs(p: &Page, class: Option<u32>, title: String, color: String) -> Html {
    let t = |s: T| s.get(p.l);
    let members: Vec<&library::ImageInfo> = p.info.images.iter().filter(|i| i.class == class).collect();
    let limit = p.shown.get(&class).copied().unwrap_or(PAGE);
    let more = members.len() > limit;
    let key = class.map_or("none".to_owned(), |c| c.to_string());
    html! {
        <div class="thumbs" data-class={key.clone()} style={format!("--class-color: {color}")}>
            { for members.iter().take(limit).map(|img| {
                let sel = p.selected.contains(&img.id);
                let badge = p.parts.and_then(|parts| parts.get(&img.id)).map(|part| match part {
                    Part::Train => (t(text::DS_PART_TRAIN).to_owned(), "part-train"),
                    Part::Validation => (t(text::DS_PART_VAL).to_owned(), "part-val"),
                    Part::Fold(f) => (format!("F{}", f + 1), "part-fold"),
                    Part::Test => (String::new(), ""),
                });
                html! {
                    <button class={classes!("thumb", sel.then_some("selected"))} aria-pressed={sel.to_string()}
                            aria-label={match &badge {
                                Some((part, _)) if !part.is_empty() => format!("{} — {} ({part})", title, img.name),
                                _ => format!("{} — {}", title, img.name),
                            }} onclick={(p.on_toggle)(img.id)}
                            data-id={img.id.to_string()}>
                        <img src={p.urls.get(&img.id).cloned().unwrap_or_default()} alt="" loading="lazy" decoding="async"
                             width={img.width.to_string()} height={img.height.to_string()} />
                        if let Some((label, class)) = badge {
                            if !label.is_empty() { <span class={classes!("part", class)}>{ label }</span> }
                        }
                    </button>
                }
            }) }
            if more {
                <button class="more" onclick={(p.on_show_more)(class)}>
                    { format!("{} ({} / {})", t(text::DS_MORE), limit, members.len()) }
                </button>
            }
        </div>
    }
}

/// One class: its colour and name (editable), its count, files and the camera into it, hold to
/// record (when the camera is on), remove, and its thumbnails.
fn class_block(p: &Page, a: &ClassActions, c: &library::ClassInfo, n: usize) -> Html {
    let (l, t) = (p.l, |s: T| s.get(p.l));
    let id = c.id;
    let hold = (a.hold)(id);
    let (h1, h2) = (hold.clone(), hold.clone());
    let (s1, s2, s3, s4) = (a.release.clone(), a.release.clone(), a.release.clone(), a.release.clone());
    let rename: ClassEdit = Rc::new(move |info, name| info.rename_class(id, &name).map(|_| Vec::new()).map_err(|e| e.text()));
    let recolor: ClassEdit = Rc::new(move |info, color| info.recolor_class(id, &color).map(|_| Vec::new()).map_err(|e| e.text()));
    let on_remove = {
        let ctx = a.ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let ok = web_sys::window().and_then(|w| w.confirm_with_message(text::DS_CONFIRM_DELETE_CLASS.get(l)).ok()).unwrap_or(false);
            if ok {
                let ctx = ctx.clone();
                spawn_local(async move {
                    ctx.commit(move |i| i.remove_class(id).map(|removed| (Vec::new(), removed)).map_err(|e| e.text())).await;
                });
            }
        })
    };
    let file_id = format!("class-files-{id}");
    let busy = p.busy;
    html! {
        <section class="class-block" aria-label={c.name.clone()} data-class-name={c.name.clone()}>
            <div class="class-head" style={format!("border-color: {}", c.color)}>
                <input type="color" value={c.color.clone()} aria-label={format!("{}: {}", t(text::DS_CLASS_COLOR), c.name)}
                       onchange={(a.edit)(recolor)} />
                <input class="class-name" value={c.name.clone()} maxlength="40"
                       aria-label={format!("{}: {}", t(text::DS_CLASS_NAME), c.name)} onchange={(a.edit)(rename)} />
                <span class="count" data-count={n.to_string()}>{ format!("{n} {}", t(text::DS_IMAGES)) }</span>
                <input id={file_id.clone()} type="file" accept="image/*" multiple=true class="visually-hidden"
                       aria-label={format!("{}: {}", t(text::DS_ADD_FILES), c.name)}
                       onchange={(a.files)(id)} disabled={busy} />
                <label class="button" for={file_id}>{ t(text::DS_ADD_FILES) }</label>
                // On a phone this opens the back camera straight away.
                <input id={format!("class-shoot-{id}")} type="file" accept="image/*" capture="environment"
                       aria-label={format!("{}: {}", t(text::DS_SHOOT), c.name)}
                       class="visually-hidden" onchange={(a.files)(id)} disabled={busy} />
                <label class="button" for={format!("class-shoot-{id}")}>{ t(text::DS_SHOOT) }</label>
                if p.camera {
                    <button class="hold" aria-label={format!("{}: {}", t(text::DS_HOLD), c.name)}
                            onpointerdown={Callback::from(move |e: PointerEvent| { e.prevent_default(); h1() })}
                            onpointerup={Callback::from(move |_: PointerEvent| s1.emit(()))}
                            onpointerleave={Callback::from(move |_: PointerEvent| s2.emit(()))}
                            onpointercancel={Callback::from(move |_: PointerEvent| s3.emit(()))}
                            onkeydown={Callback::from(move |e: KeyboardEvent| if (e.key() == " " || e.key() == "Enter") && !e.repeat() { h2() })}
                            onkeyup={Callback::from(move |_: KeyboardEvent| s4.emit(()))}>
                        { format!("● {}", t(text::DS_HOLD)) }
                    </button>
                }
                <button class="danger" aria-label={format!("{}: {}", t(text::DS_DELETE_CLASS), c.name)} onclick={on_remove}>{ "✕" }</button>
            </div>
            { thumbs(p, Some(id), c.name.clone(), c.color.clone()) }
        </section>
    }
}

/// What an import did: its summary, notes, where it stopped, and every file skipped with why.
fn import_report(l: Lang, r: &ReportView) -> Html {
    let t = |s: T| s.get(l);
    html! {
        <details id="import-report" class="report" open=true>
            <summary>{ format!("{}: {}", t(text::DS_REPORT), r.summary.get(l)) }</summary>
            if let Some(s) = &r.stopped { <p class="error" role="alert">{ s.get(l).to_owned() }</p> }
            <ul class="notes">{ for r.notes.iter().map(|n| html! { <li>{ n.get(l).to_owned() }</li> }) }</ul>
            if !r.skipped.is_empty() {
                <table class="skipped">
                    <caption>{ t(text::DS_SKIPPED) }</caption>
                    <tbody>
                    { for r.skipped.iter().map(|(path, why)| html! {
                        <tr><td class="path">{ path.clone() }</td><td>{ why.get(l).to_owned() }</td></tr>
                    }) }
                    </tbody>
                </table>
            }
        </details>
    }
}

/// The select's value parsed into `state` (a value that does not parse is ignored).
fn set_from_select<V: std::str::FromStr + 'static>(state: &UseStateHandle<V>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        if let Ok(v) = e.target_unchecked_into::<HtmlSelectElement>().value().parse() {
            state.set(v);
        }
    })
}

/// "Train on this dataset", with the input size and colour it is converted to.
fn use_bar(
    l: Lang,
    size: usize,
    channels: usize,
    on_size: Callback<Event>,
    on_channels: Callback<Event>,
    on_use: Callback<MouseEvent>,
    busy: bool,
) -> Html {
    let t = |s: T| s.get(l);
    html! {
        <div class="use-bar">
            <div class="field">
                <label for="input-size">{ t(text::DS_INPUT_SIZE) }</label>
                <select id="input-size" onchange={on_size}>
                    { for [16usize, 28, 32, 48, 64, 96, 128, 160, 224].iter().map(|s| html! { <option value={s.to_string()} selected={size == *s}>{ format!("{s}×{s}") }</option> }) }
                </select>
            </div>
            <div class="field">
                <label for="input-color">{ t(text::DS_INPUT_COLOR) }</label>
                <select id="input-color" onchange={on_channels}>
                    <option value="1" selected={channels == 1}>{ t(text::DS_GRAY) }</option>
                    <option value="3" selected={channels == 3}>{ t(text::DS_RGB) }</option>
                </select>
            </div>
            <button id="use-dataset" class="primary" onclick={on_use} disabled={busy}>{ t(text::DS_USE) }</button>
        </div>
    }
}

/// The camera's switch and the frames per second of hold-to-record.
fn camera_bar(l: Lang, camera: bool, fps: u32, on_camera: Callback<MouseEvent>, on_fps: Callback<Event>) -> Html {
    let t = |s: T| s.get(l);
    html! {
        <div class="camera-bar">
            <button id="camera-toggle" onclick={on_camera} aria-pressed={camera.to_string()}>
                { if camera { t(text::DS_CAMERA_STOP) } else { t(text::DS_CAMERA) } }
            </button>
            <div class="field">
                <label for="burst-fps">{ t(text::DS_FPS) }</label>
                <select id="burst-fps" onchange={on_fps}>
                    { for [1u32, 2, 5, 10].iter().map(|f| html! { <option value={f.to_string()} selected={fps == *f}>{ f.to_string() }</option> }) }
                </select>
            </div>
        </div>
    }
}

/// Which split the badges show (the training lab's), or why there is none.
fn split_legend(l: Lang, config: &TrainConfig, error: Option<&Text>) -> Html {
    let t = |s: T| s.get(l);
    html! {
        <>
            <p class="note" id="split-legend">
                { match config.validation {
                    Validation::Holdout => format!("{} ({:.0}:{:.0}, seed {})", t(text::DS_SPLIT_LEGEND_HOLDOUT),
                        (1.0 - config.validation_fraction) * 100.0, config.validation_fraction * 100.0, config.seed),
                    Validation::KFold { k } => format!("{} (K = {k}, seed {})", t(text::DS_SPLIT_LEGEND_KFOLD), config.seed),
                } }
            </p>
            if let Some(e) = error { <p class="error" role="alert">{ e.get(l).to_owned() }</p> }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ImportProps {
    lang: Lang,
    ctx: Ctx,
    /// The browser's store could not be opened.
    no_store: bool,
    /// An import, export or conversion is going on.
    busy: bool,
    /// A dataset is open (it can be exported).
    has_dataset: bool,
}

/// Imports into the open dataset (a new one when none is): a zip, a folder, or files and
/// folders dropped here; the open dataset as a zip; the built-in sample photos.
#[function_component(ImportPanel)]
fn import_panel(props: &ImportProps) -> Html {
    let t = |s: T| s.get(props.lang);
    let drag_over = use_state(|| false);
    let on_import = {
        let ctx = props.ctx.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files: Vec<(String, File)> = files_of(&input)
                .into_iter()
                .map(|f| {
                    let rel = js_sys::Reflect::get(&f, &"webkitRelativePath".into())
                        .ok()
                        .and_then(|v| v.as_string())
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| f.name());
                    (rel, f)
                })
                .collect();
            input.set_value("");
            let fallback = files.first().map(|(p, _)| dataset_name_from(p)).unwrap_or_default();
            spawn_local(import_files(ctx.clone(), files, None, fallback));
        })
    };
    let on_sample = {
        let (ctx, lang) = (props.ctx.clone(), props.lang);
        Callback::from(move |_| {
            let ctx = ctx.clone();
            spawn_local(async move { ctx.import_sample(text::DS_SAMPLE_NAME.get(lang).to_owned()).await });
        })
    };
    let on_drop = {
        let (ctx, drag_over) = (props.ctx.clone(), drag_over.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            drag_over.set(false);
            if let Some(dt) = e.data_transfer() {
                ctx.import_dropped(&dt);
            }
        })
    };
    let on_drag_over = {
        let drag_over = drag_over.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            drag_over.set(true);
        })
    };
    let on_drag_leave = {
        let drag_over = drag_over.clone();
        Callback::from(move |_: DragEvent| drag_over.set(false))
    };
    let on_export = {
        let ctx = props.ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let ctx = ctx.clone();
            spawn_local(async move { ctx.export().await });
        })
    };
    let disabled = props.no_store || props.busy;
    html! {
        <>
            <div class={classes!("dropzone", drag_over.then_some("over"))} ondrop={on_drop} ondragover={on_drag_over}
                 ondragleave={on_drag_leave} role="region" aria-label={t(text::DS_DROP)}>
                <p class="note">{ t(text::DS_IMPORT_HELP) }</p>
                <div class="actions">
                    <input id="import-zip" type="file" accept=".zip,application/zip" class="visually-hidden"
                           onchange={on_import.clone()} {disabled} />
                    <label class="button" for="import-zip">{ t(text::DS_IMPORT_ZIP) }</label>
                    <input id="import-folder" type="file" webkitdirectory=true multiple=true class="visually-hidden"
                           onchange={on_import} {disabled} />
                    <label class="button" for="import-folder">{ t(text::DS_IMPORT_FOLDER) }</label>
                    if props.has_dataset {
                        <button id="export-zip" onclick={on_export} disabled={props.busy}>{ t(text::DS_EXPORT) }</button>
                    }
                </div>
            </div>
            <div class="sample-set">
                <button id="import-sample" onclick={on_sample} {disabled}>{ t(text::DS_SAMPLE) }</button>
                <p class="note">{ t(text::DS_SAMPLE_NOTE) }</p>
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SelectionProps {
    lang: Lang,
    ctx: Ctx,
    /// The thumbnails chosen (emptied after a delete or move).
    selected: UseStateHandle<BTreeSet<u64>>,
    /// The classes to move them into (id, name).
    classes: Vec<(u32, String)>,
}

/// What to do with the chosen thumbnails: delete them, move them to a class (or unlabelled), or
/// let them go.
#[function_component(SelectionBar)]
fn selection_bar(props: &SelectionProps) -> Html {
    let t = |s: T| s.get(props.lang);
    let move_target = use_node_ref();
    let selected = &props.selected;
    let on_delete = {
        let (ctx, selected) = (props.ctx.clone(), selected.clone());
        Callback::from(move |_: MouseEvent| {
            let ids: Vec<u64> = selected.iter().copied().collect();
            selected.set(BTreeSet::new());
            let ctx = ctx.clone();
            spawn_local(async move {
                ctx.commit(move |i| Ok((Vec::new(), i.remove_images(&ids)))).await;
            });
        })
    };
    let on_move = {
        let (ctx, selected, move_target) = (props.ctx.clone(), selected.clone(), move_target.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(sel) = move_target.cast::<HtmlSelectElement>() else { return };
            let target = sel.value().parse::<u32>().ok();
            let ids: Vec<u64> = selected.iter().copied().collect();
            selected.set(BTreeSet::new());
            let ctx = ctx.clone();
            spawn_local(async move {
                ctx.commit(move |i| i.move_images(&ids, target).map(|_| (Vec::new(), Vec::new())).map_err(|e| e.text())).await;
            });
        })
    };
    let on_clear = {
        let selected = selected.clone();
        Callback::from(move |_: MouseEvent| selected.set(BTreeSet::new()))
    };
    html! {
        <div class="selection-bar" role="group" aria-label={t(text::DS_SELECTED)}>
            <span id="selected-count">{ format!("{}: {}", t(text::DS_SELECTED), selected.len()) }</span>
            <button id="delete-selected" class="danger" onclick={on_delete}>{ t(text::DS_DELETE_SELECTED) }</button>
            <label for="move-target" class="visually-hidden">{ t(text::DS_MOVE_TO) }</label>
            <select id="move-target" ref={move_target} aria-label={t(text::DS_MOVE_TO)}>
                { for props.classes.iter().map(|(id, name)| html! { <option value={id.to_string()}>{ name.clone() }</option> }) }
                <option value="none">{ t(text::DS_UNLABELLED) }</option>
            </select>
            <button id="move-selected" onclick={on_move}>{ t(text::DS_MOVE) }</button>
            <button onclick={on_clear}>{ t(text::DS_CLEAR_SELECTION) }</button>
        </div>
    }
}

/// The lab's session joined to the page: a dataset the training lab's switcher asks for is
/// prepared (at `size`: input size and channels), the list of datasets is told to the page, the
/// store is opened once (the lab's release when it goes), and the camera stops when the lab is
/// hidden.
#[hook]
fn use_session_effects(
    props: &Props,
    ctx: &Ctx,
    datasets: &[(String, String)],
    prepare_saved: &Callback<storage::prefs::Choice>,
    size: (usize, usize),
) {
    {
        // The training lab's switcher asks for a dataset by id.
        let (prepare_saved, (input_size, channels)) = (prepare_saved.clone(), size);
        let list = datasets.to_vec();
        let (ctx, on_use) = (ctx.clone(), props.on_use.clone());
        use_effect_with(props.request.clone(), move |request| match request {
            Some((_, id)) if id.is_empty() => {
                ctx.next_preparation();
                on_use.emit(UseEvent::Builtin);
            }
            Some((_, id)) => {
                let name = list.iter().find(|(i, _)| i == id).map(|(_, n)| n.clone()).unwrap_or_default();
                prepare_saved.emit(storage::prefs::Choice { id: id.clone(), name, size: input_size, channels });
            }
            None => {}
        });
    }
    {
        let on_list = props.on_list.clone();
        use_effect_with(datasets.to_vec(), move |list| on_list.emit(list.clone()));
    }
    {
        // The store opened (and the dataset chosen before a reload prepared again) once; the
        // camera and the thumbnails' URLs released when the lab goes.
        let (ctx, restore, on_use, restore_now) = (ctx.clone(), prepare_saved.clone(), props.on_use.clone(), props.restore);
        use_effect_with((), move |_| {
            let session = ctx.clone();
            spawn_local(async move { session.connect(restore_now.then_some(restore), &on_use).await });
            move || ctx.release()
        });
    }

    {
        let ctx = ctx.clone();
        use_effect_with(props.visible, move |visible| {
            if !*visible && ctx.latest.borrow().camera {
                ctx.stop_camera();
            }
        });
    }
}

/// The dataset in the lab (or the built-in digits), a new one by name, and the storage used.
fn dataset_bar(
    l: Lang,
    v: &DataLabView,
    on_pick: Callback<Event>,
    on_create: Callback<SubmitEvent>,
    new_name: NodeRef,
    busy: bool,
) -> Html {
    let t = |s: T| s.get(l);
    let usage = v.usage.map(|(used, quota)| format!("{}: {:.1} MB / {:.0} MB", t(text::DS_STORAGE), used / 1e6, quota / 1e6));
    html! {
        <div class="dataset-bar">
            <div class="field">
                <label for="dataset-pick">{ t(text::DS_DATASET) }</label>
                <select id="dataset-pick" onchange={on_pick} disabled={busy}>
                    <option value="" selected={v.open.is_none()}>{ t(text::DS_BUILTIN) }</option>
                    { for v.datasets.iter().map(|(id, name)| html! {
                        <option value={id.clone()} selected={v.open.as_deref() == Some(id.as_str())}>{ name.clone() }</option>
                    }) }
                </select>
            </div>
            <form class="inline" onsubmit={on_create}>
                <label for="dataset-new" class="visually-hidden">{ t(text::DS_NEW_NAME) }</label>
                <input id="dataset-new" ref={new_name} placeholder={t(text::DS_NEW_NAME)} maxlength="40" disabled={v.no_store || busy} />
                <button type="submit" id="dataset-create" disabled={v.no_store || busy}>{ t(text::DS_CREATE) }</button>
            </form>
            if let Some(u) = usage { <p id="storage-usage" class="note">{ u }</p> }
        </div>
    }
}
