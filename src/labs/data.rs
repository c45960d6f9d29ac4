//! データ — the data lab: the students' own datasets. Classes (name, colour), images from files,
//! folders, zips and the webcam (hold to record), a thumbnail grid per class with select, delete
//! and move, storage used / quota, zip export, the split the training lab will use, and "train
//! on this dataset". The rules live in `imagelab_core::{library, import}`; IndexedDB in
//! `crate::storage`; the browser's image decoder in `crate::blobs`.

use crate::blobs;
use crate::storage::{self, IdbStore};
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::data::import::{self, Archive, Entry, Intake, Limits, Outcome, Report, SourceFile, plan};
use imagelab_core::data::library::{self, DatasetInfo, NewImage, Part, Store};
use imagelab_core::i18n::Text;
use imagelab_core::nn::experiment::{TrainConfig, Validation};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{Blob, File, HtmlInputElement, HtmlSelectElement, HtmlVideoElement, MediaStream};
use yew::prelude::*;

/// Thumbnails shown per class before "show more" (the grid stays light with thousands).
const PAGE: usize = 60;
/// Images stored per commit during an import: a full quota loses at most this batch.
const BATCH: usize = 40;
/// The built-in sample photos: brick, grass and gravel, 20 close-ups each (www/data/README.md).
const SAMPLE_ZIP: &str = "data/materials.zip";

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

/// The open dataset's files, as blobs and object URLs for the thumbnails.
#[derive(Default)]
struct Files {
    blobs: HashMap<u64, Blob>,
    urls: HashMap<u64, String>,
}

impl Files {
    fn insert(&mut self, id: u64, blob: Blob) {
        self.remove(id);
        if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
            self.urls.insert(id, url);
        }
        self.blobs.insert(id, blob);
    }

    fn remove(&mut self, id: u64) {
        self.blobs.remove(&id);
        if let Some(url) = self.urls.remove(&id) {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }

    fn clear(&mut self) {
        for url in self.urls.values() {
            let _ = web_sys::Url::revoke_object_url(url);
        }
        self.urls.clear();
        self.blobs.clear();
    }
}

/// Everything the lab's async work shares.
#[derive(Default)]
struct Shared {
    store: Option<Rc<IdbStore>>,
    /// The open dataset, as edited (commits carry it whole).
    info: Option<DatasetInfo>,
    files: Files,
    /// The camera's stream and burst timer.
    stream: Option<MediaStream>,
    burst: Option<gloo_timers::callback::Interval>,
    /// Counts changes of `info` (drives re-rendering).
    tick: u32,
    /// A commit is in flight (they run one at a time).
    committing: bool,
    /// Counts `open` calls: only the latest one's result is applied.
    opening: u32,
    /// Counts preparations for training: only the latest one may tell the page anything (a
    /// dataset picked, the digits chosen or a deletion meanwhile supersedes it).
    preparing: u32,
}

type SharedRef = Rc<RefCell<Shared>>;

/// The lab's visible state, re-rendered on change.
#[derive(Clone, PartialEq, Default)]
struct View {
    datasets: Vec<(String, String)>,
    open: Option<String>,
    message: Option<Text>,
    /// Information, not an error (the sample photos were there already).
    note: Option<Text>,
    busy: Option<Text>,
    report: Option<ReportView>,
    usage: Option<(f64, f64)>,
    camera: bool,
    no_store: bool,
}

#[derive(Clone, PartialEq)]
struct ReportView {
    summary: Text,
    notes: Vec<Text>,
    skipped: Vec<(String, Text)>,
    stopped: Option<Text>,
}

impl From<&Report> for ReportView {
    fn from(r: &Report) -> Self {
        ReportView {
            summary: r.summary(),
            notes: r.notes.clone(),
            skipped: r
                .files
                .iter()
                .filter_map(|f| match &f.outcome {
                    Outcome::Skipped(why) => Some((f.path.clone(), why.clone())),
                    Outcome::Imported(_) => None,
                })
                .collect(),
            stopped: r.stopped.clone(),
        }
    }
}

/// A small handle the callbacks carry: shared data plus the view to refresh.
#[derive(Clone)]
struct Ctx {
    shared: SharedRef,
    view: UseStateHandle<View>,
    /// Bumped whenever `shared.info` changes (the grid re-renders).
    version: UseStateHandle<u32>,
    /// A copy of the view kept current for async work (the state handle's value is a snapshot).
    latest: Rc<RefCell<View>>,
}

impl Ctx {
    fn update(&self, f: impl FnOnce(&mut View)) {
        let mut v = self.latest.borrow().clone();
        f(&mut v);
        *self.latest.borrow_mut() = v.clone();
        self.view.set(v);
    }

    fn bump(&self) {
        // `version` is a snapshot inside async work: count in the shared state instead.
        let tick = {
            let mut s = self.shared.borrow_mut();
            s.tick = s.tick.wrapping_add(1);
            s.tick
        };
        self.version.set(tick);
    }

    /// Starts a new preparation (superseding any in flight) and gives its number.
    fn next_preparation(&self) -> u32 {
        let mut s = self.shared.borrow_mut();
        s.preparing = s.preparing.wrapping_add(1);
        s.preparing
    }

    /// Whether preparation `n` is still the latest.
    fn is_current(&self, n: u32) -> bool {
        self.shared.borrow().preparing == n
    }

    fn say(&self, t: Text) {
        self.update(|v| v.message = Some(t));
    }

    fn store(&self) -> Option<Rc<IdbStore>> {
        self.shared.borrow().store.clone()
    }

    async fn refresh_list(&self) {
        let Some(store) = self.store() else { return };
        match store.datasets().await {
            Ok(list) => {
                let mut list: Vec<(String, String)> = list.into_iter().map(|d| (d.id, d.name)).collect();
                list.sort();
                self.update(|v| v.datasets = list);
            }
            Err(e) => self.say(e.text()),
        }
        let usage = storage::estimate().await;
        self.update(|v| v.usage = usage);
    }

    /// Opens a dataset: its description and every file (one request).
    async fn open(&self, id: Option<String>) {
        self.stop_camera();
        let generation = {
            let mut s = self.shared.borrow_mut();
            s.files.clear();
            s.info = None;
            s.opening = s.opening.wrapping_add(1);
            s.opening
        };
        self.update(|v| {
            v.open = id.clone();
            v.report = None;
            v.message = None;
            v.note = None;
        });
        let (Some(id), Some(store)) = (id, self.store()) else {
            self.bump();
            return;
        };
        let info = match store.datasets().await {
            Ok(list) => list.into_iter().find(|d| d.id == id),
            Err(e) => return self.say(e.text()),
        };
        let files = store.files(&id).await;
        {
            let mut s = self.shared.borrow_mut();
            if s.opening != generation {
                return; // another dataset was chosen meanwhile
            }
            s.info = info;
            match files {
                Ok(files) => {
                    for (image, blob) in files {
                        s.files.insert(image, blob);
                    }
                }
                Err(e) => {
                    drop(s);
                    self.say(e.text());
                }
            }
        }
        self.bump();
    }

    /// Applies an edit to the open dataset and stores it with the files it adds and removes.
    /// On failure the dataset is read back from storage, so the page shows what is kept.
    async fn commit(&self, edit: impl FnOnce(&mut DatasetInfo) -> Result<(Vec<(u64, Blob)>, Vec<u64>), Text>) -> bool {
        let Some(id) = self.open_id() else { return false };
        self.commit_to(&id, edit).await
    }

    /// The open dataset's id.
    fn open_id(&self) -> Option<String> {
        self.shared.borrow().info.as_ref().map(|i| i.id.clone())
    }

    /// [`Ctx::commit`] into dataset `id` only (an import or a burst keeps going into the dataset
    /// it started in; if another is open now, the edit is dropped, said in words). Commits run
    /// one at a time, each on the state the previous one left, so a failed commit never leaks
    /// into the next.
    async fn commit_to(&self, id: &str, edit: impl FnOnce(&mut DatasetInfo) -> Result<(Vec<(u64, Blob)>, Vec<u64>), Text>) -> bool {
        while self.shared.borrow().committing {
            gloo_timers::future::TimeoutFuture::new(5).await;
        }
        self.shared.borrow_mut().committing = true;
        let done = self.commit_now(id, edit).await;
        self.shared.borrow_mut().committing = false;
        done
    }

    async fn commit_now(&self, id: &str, edit: impl FnOnce(&mut DatasetInfo) -> Result<(Vec<(u64, Blob)>, Vec<u64>), Text>) -> bool {
        let Some(store) = self.store() else { return false };
        if self.open_id().as_deref() != Some(id) {
            self.say(Text::new(
                "別のデータセットに切り替えたので、前のデータセットへの追加を止めました。",
                "Another dataset was opened, so adding to the previous one stopped.",
            ));
            return false;
        }
        let (info, added, removed) = {
            let mut s = self.shared.borrow_mut();
            let Some(info) = s.info.as_mut() else { return false };
            let mut next = info.clone();
            let (added, removed) = match edit(&mut next) {
                Ok(x) => x,
                Err(t) => {
                    drop(s);
                    self.say(t);
                    return false;
                }
            };
            *info = next.clone();
            for &id in &removed {
                s.files.remove(id);
            }
            for (id, blob) in &added {
                s.files.insert(*id, blob.clone());
            }
            (next, added, removed)
        };
        self.bump();
        match store.commit(&info, added, &removed).await {
            Ok(()) => {
                let usage = storage::estimate().await;
                self.update(|v| v.usage = usage);
                true
            }
            Err(e) => {
                // Show what is really kept (unless another dataset was opened meanwhile), then
                // say why (opening clears old messages).
                if self.open_id().as_deref() == Some(info.id.as_str()) {
                    self.open(Some(info.id.clone())).await;
                }
                self.say(e.text());
                false
            }
        }
    }

    fn stop_camera(&self) {
        let mut s = self.shared.borrow_mut();
        s.burst = None;
        if let Some(stream) = s.stream.take() {
            crate::media::stop_tracks(&stream);
        }
        drop(s);
        self.update(|v| v.camera = false);
    }

    /// Stores images (already prepared) into dataset `id`, `BATCH` per commit. A file whose class
    /// cannot be made (a name too long, too many classes) is skipped with the reason.
    async fn add_prepared(&self, id: &str, items: Vec<(Option<String>, String, blobs::StoredBlob)>, report: &mut Report) -> bool {
        for batch in items.chunks(BATCH) {
            let batch = batch.to_vec();
            let outcome = Rc::new(RefCell::new((Vec::new(), Vec::new())));
            let out = outcome.clone();
            let ok = self
                .commit_to(id, move |info| {
                    let mut added = Vec::new();
                    let (mut done, mut skipped) = (Vec::new(), Vec::new());
                    for (class, name, stored) in batch {
                        let size = stored.blob.size() as u64;
                        match info.add_image_to(class.as_deref(), name.clone(), (stored.width, stored.height), size, stored.format) {
                            Ok(id) => {
                                added.push((id, stored.blob));
                                done.push((name, class));
                            }
                            Err(e) => skipped.push((name, e.text())),
                        }
                    }
                    *out.borrow_mut() = (done, skipped);
                    Ok((added, Vec::new()))
                })
                .await;
            let (done, skipped) = std::mem::take(&mut *outcome.borrow_mut());
            for (name, why) in skipped {
                report.skip(name, why);
            }
            if !ok {
                for (name, _) in done {
                    report.skip(name, Text::new("保存できませんでした", "not saved"));
                }
                report.stopped = Some(Text::new(
                    "保存できなかったので、取り込みをここで止めました（それまでの画像は保存されています）。",
                    "Storing failed, so the import stopped here (the images before are saved).",
                ));
                return false;
            }
            for (name, class) in done {
                report.imported(name, class);
            }
        }
        true
    }

    /// Imports files with relative paths (a folder, a zip's entries) by the core's plan.
    async fn import_sources(&self, id: &str, sources: Vec<SourceFile>, mut report: Report) {
        let planned = plan(sources, None, &mut report);
        let total = planned.len();
        let mut ready = Vec::new();
        for (n, p) in planned.into_iter().enumerate() {
            if n % 10 == 0 {
                self.update(|v| v.busy = Some(progress(n, total)));
            }
            let mime = blobs::mime_of(&p.name);
            let prepared = match blobs::blob_of(&p.bytes, mime) {
                Ok(blob) => blobs::prepare(&blob, mime).await,
                Err(_) => Err(blobs::not_an_image()),
            };
            match prepared {
                Ok(stored) => ready.push((p.class, p.path, stored)),
                Err(why) => report.skip(p.path, why),
            }
            if ready.len() >= BATCH && !self.add_prepared(id, std::mem::take(&mut ready), &mut report).await {
                return self.finish_import(report);
            }
        }
        self.add_prepared(id, ready, &mut report).await;
        self.finish_import(report);
    }

    /// Unpacks a zip's files into `sources` by the core's rules (caps, skipped entries into the
    /// report); an unreadable zip is skipped by its `path`.
    async fn unpack(&self, path: String, bytes: Vec<u8>, sources: &mut Vec<SourceFile>, report: &mut Report) {
        let mut archive = match Archive::open(bytes, Limits::default()) {
            Ok(a) => a,
            Err(e) => return report.skip(path, e.text()),
        };
        let mut n = 0usize;
        while let Some(entry) = archive.next_file() {
            n += 1;
            if n.is_multiple_of(100) {
                // Let the page breathe (and show progress) while a big zip unpacks.
                self.update(|v| v.busy = Some(progress(n, archive.len())));
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
            match entry {
                Ok(Entry::File(f)) => sources.push(f),
                Ok(Entry::Skipped(r)) => report.files.push(r),
                Ok(Entry::Quiet) => {}
                Err(e) => {
                    report.stopped = Some(e.text());
                    break;
                }
            }
        }
    }

    /// Imports the built-in sample photos (`www/data/materials.zip`, scripts/make-materials.py)
    /// into a new dataset of their own, as a zip the student chose would be. A dataset already
    /// named so, in either language (imported before), is opened instead of a second copy, and
    /// the page says so: to import afresh (after an import cut short), delete it first.
    async fn import_sample(&self, name: String) {
        let names = [text::DS_SAMPLE_NAME.0, text::DS_SAMPLE_NAME.1];
        let existing = self.latest.borrow().datasets.iter().find(|(_, n)| names.contains(&n.as_str())).map(|(id, _)| id.clone());
        if let Some(id) = existing {
            self.open(Some(id)).await;
            return self.update(|v| v.note = Some(text::DS_SAMPLE_THERE.into()));
        }
        self.update(|v| {
            v.message = None;
            v.note = None;
            v.report = None;
            v.busy = Some(text::DS_SAMPLE_FETCHING.into());
        });
        let bytes = match crate::assets::fetch_bytes(SAMPLE_ZIP).await {
            Ok(b) => b,
            Err(e) => {
                self.update(|v| v.busy = None);
                return self.say(text::sample_failed(&e));
            }
        };
        let created = self.create(&name).await;
        let Some(id) = self.open_id().filter(|_| created) else { return self.update(|v| v.busy = None) };
        let (mut sources, mut report) = (Vec::new(), Report::default());
        self.unpack(SAMPLE_ZIP.to_owned(), bytes, &mut sources, &mut report).await;
        self.import_sources(&id, sources, report).await;
    }

    fn finish_import(&self, report: Report) {
        let view = ReportView::from(&report);
        self.update(|v| {
            v.busy = None;
            v.report = Some(view);
        });
    }

    /// Makes sure a dataset is open to import into, creating one named `name` if not.
    async fn ensure_open(&self, name: &str) -> bool {
        if self.shared.borrow().info.is_some() {
            return true;
        }
        let short: String = name.chars().take(library::MAX_NAME_CHARS).collect();
        self.create(if short.trim().is_empty() { "dataset" } else { &short }).await
    }

    async fn create(&self, name: &str) -> bool {
        let Some(store) = self.store() else { return false };
        let id = format!("ds-{}", js_sys::Date::now() as u64);
        let info = match DatasetInfo::new(id.clone(), name) {
            Ok(i) => i,
            Err(e) => {
                self.say(e.text());
                return false;
            }
        };
        if let Err(e) = store.commit(&info, Vec::new(), &[]).await {
            self.say(e.text());
            return false;
        }
        self.refresh_list().await;
        self.open(Some(id)).await;
        true
    }
}

/// A new dataset's name from the first imported path: its top folder, or the zip's name.
fn dataset_name_from(path: &str) -> String {
    let top = path.split('/').next().unwrap_or(path);
    match top.len().checked_sub(4) {
        Some(cut) if top.is_char_boundary(cut) && top[cut..].eq_ignore_ascii_case(".zip") => top[..cut].to_owned(),
        _ => top.to_owned(),
    }
}

fn progress(done: usize, total: usize) -> Text {
    Text::new(format!("{} {done} / {total}", text::DS_WORKING.0), format!("{} {done} / {total}", text::DS_WORKING.1))
}

fn files_of(input: &HtmlInputElement) -> Vec<File> {
    let Some(list) = input.files() else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads a dropped folder tree (`webkitGetAsEntry`) into files with relative paths.
async fn read_entry(entry: web_sys::FileSystemEntry, prefix: String, out: &mut Vec<(String, File)>) {
    let mut stack = vec![(entry, prefix)];
    while let Some((entry, prefix)) = stack.pop() {
        let path = if prefix.is_empty() { entry.name() } else { format!("{prefix}/{}", entry.name()) };
        if entry.is_file() {
            let file_entry: web_sys::FileSystemFileEntry = entry.unchecked_into();
            let promise = js_sys::Promise::new(&mut |resolve, reject| {
                let ok = Closure::once_into_js(move |f: File| {
                    let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &f);
                });
                let err = Closure::once_into_js(move |e: wasm_bindgen::JsValue| {
                    let _ = reject.call1(&wasm_bindgen::JsValue::NULL, &e);
                });
                file_entry.file_with_callback_and_callback(ok.unchecked_ref(), err.unchecked_ref());
            });
            if let Ok(f) = JsFuture::from(promise).await {
                out.push((path, f.unchecked_into()));
            }
        } else if entry.is_directory() {
            let dir: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
            let reader = dir.create_reader();
            // readEntries hands out the children in chunks until it returns none.
            loop {
                let promise = js_sys::Promise::new(&mut |resolve, reject| {
                    let ok = Closure::once_into_js(move |list: wasm_bindgen::JsValue| {
                        let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &list);
                    });
                    let err = Closure::once_into_js(move |e: wasm_bindgen::JsValue| {
                        let _ = reject.call1(&wasm_bindgen::JsValue::NULL, &e);
                    });
                    let _ = reader.read_entries_with_callback_and_callback(ok.unchecked_ref(), err.unchecked_ref());
                });
                let Ok(list) = JsFuture::from(promise).await else { break };
                let list = js_sys::Array::from(&list);
                if list.length() == 0 {
                    break;
                }
                for child in list.iter() {
                    stack.push((child.unchecked_into(), path.clone()));
                }
            }
        }
    }
}

/// Imports files chosen or dropped: zips are unpacked, other files keep their relative paths
/// (a folder's tree) — or, for loose images with no folder, go into `class` when given.
async fn import_files(ctx: Ctx, files: Vec<(String, File)>, class: Option<u32>, fallback_name: String) {
    if files.is_empty() {
        return;
    }
    if !ctx.ensure_open(&fallback_name).await {
        return;
    }
    let Some(id) = ctx.open_id() else { return };
    ctx.update(|v| {
        v.message = None;
        v.note = None;
        v.report = None;
        v.busy = Some(progress(0, files.len()));
    });
    let mut report = Report::default();
    let mut sources = Vec::new();
    let mut loose = Vec::new();
    let sizes: Vec<(&str, u64)> = files.iter().map(|(path, file)| (path.as_str(), file.size() as u64)).collect();
    let (intake, stopped) = import::intake(&sizes, class.is_some(), &Limits::default());
    for ((path, file), what) in files.into_iter().zip(intake) {
        match what {
            Intake::Skip(why) => report.skip(path, why),
            Intake::IntoClass => loose.push((path, file)),
            Intake::Zip | Intake::AtPath => match blobs::bytes_of(&file).await {
                Ok(bytes) if what == Intake::Zip => ctx.unpack(path, bytes, &mut sources, &mut report).await,
                Ok(bytes) => sources.push(SourceFile { path, bytes }),
                Err(e) => report.skip(path, Text::new(format!("読めません（{e}）"), format!("cannot be read ({e})"))),
            },
        }
    }
    // Where the whole import stopped says more than a zip's own stop inside it.
    if stopped.is_some() {
        report.stopped = stopped;
    }
    // Loose images go into the chosen class.
    if !loose.is_empty() {
        let class_name = ctx.shared.borrow().info.as_ref().and_then(|i| class.and_then(|c| i.class(c)).map(|c| c.name.clone()));
        let total = loose.len();
        let mut ready = Vec::new();
        for (n, (path, file)) in loose.into_iter().enumerate() {
            ctx.update(|v| v.busy = Some(progress(n, total)));
            match blobs::prepare(&file, &file.type_()).await {
                Ok(stored) => ready.push((class_name.clone(), path, stored)),
                Err(why) => report.skip(path, why),
            }
            if ready.len() >= BATCH && !ctx.add_prepared(&id, std::mem::take(&mut ready), &mut report).await {
                return ctx.finish_import(report);
            }
        }
        if !ctx.add_prepared(&id, ready, &mut report).await {
            return ctx.finish_import(report);
        }
    }
    if sources.is_empty() {
        return ctx.finish_import(report);
    }
    ctx.import_sources(&id, sources, report).await;
}

#[function_component(DataLab)]
pub fn data_lab(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let shared = use_mut_ref(Shared::default);
    let view = use_state(View::default);
    let latest = use_mut_ref(View::default);
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
    let drag_over = use_state(|| false);

    // Prepares dataset `id` for training at the given size (a reload's saved choice, or the
    // training lab's switcher).
    let prepare_saved = {
        let (ctx, on_use, input_size, channels) = (ctx.clone(), props.on_use.clone(), input_size.clone(), channels.clone());
        Callback::from(move |choice: storage::prefs::Choice| {
            let (ctx, on_use) = (ctx.clone(), on_use.clone());
            input_size.set(choice.size);
            channels.set(choice.channels);
            spawn_local(async move {
                let n = ctx.next_preparation();
                on_use.emit(UseEvent::Preparing { id: choice.id.clone(), name: choice.name.clone(), done: 0, total: 0 });
                ctx.open(Some(choice.id.clone())).await;
                if !ctx.is_current(n) {
                    return; // another dataset (or the digits) was chosen meanwhile
                }
                if ctx.open_id().as_deref() != Some(choice.id.as_str()) {
                    // Deleted since (or storage failed): say so rather than train other data.
                    storage::prefs::set_choice(None);
                    let why = Text::new(
                        format!("データセット「{}」が見つかりません。データ画面で選び直してください。", choice.name),
                        format!("The dataset “{}” was not found; choose one again in the data lab.", choice.name),
                    );
                    return on_use.emit(UseEvent::Failed { id: choice.id, name: choice.name, why });
                }
                prepare(&ctx, n, choice.size, choice.channels, &on_use).await;
            });
        })
    };
    {
        // The training lab's switcher asks for a dataset by id.
        let (prepare_saved, input_size, channels) = (prepare_saved.clone(), *input_size, *channels);
        let list = view.datasets.clone();
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
        use_effect_with(view.datasets.clone(), move |list| on_list.emit(list.clone()));
    }
    {
        let ctx = ctx.clone();
        let restore = prepare_saved.clone();
        let (on_use_now, restore_now) = (props.on_use.clone(), props.restore);
        use_effect_with((), move |_| {
            let shared = ctx.shared.clone();
            spawn_local(async move {
                match IdbStore::open().await {
                    Ok(store) => {
                        ctx.shared.borrow_mut().store = Some(Rc::new(store));
                        storage::request_persistence();
                        ctx.refresh_list().await;
                        // The dataset chosen for training before a reload is prepared again.
                        if let Some(choice) = storage::prefs::choice().filter(|_| restore_now) {
                            restore.emit(choice);
                        }
                    }
                    Err(e) => {
                        ctx.update(|v| v.no_store = true);
                        // A dataset chosen before cannot be read back: say so in the training lab
                        // rather than leave it waiting.
                        if let Some(choice) = storage::prefs::choice().filter(|_| restore_now) {
                            storage::prefs::set_choice(None);
                            on_use_now.emit(UseEvent::Failed { id: choice.id, name: choice.name, why: e.text() });
                        }
                        ctx.say(e.text());
                    }
                }
            });
            move || {
                let mut s = shared.borrow_mut();
                s.burst = None;
                if let Some(stream) = s.stream.take() {
                    crate::media::stop_tracks(&stream);
                }
                s.files.clear();
            }
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
            if !confirmed {
                return;
            }
            let ctx = ctx.clone();
            let (on_use, in_use) = (on_use.clone(), in_use.clone());
            spawn_local(async move {
                let Some(store) = ctx.store() else { return };
                let Some(id) = ctx.shared.borrow().info.as_ref().map(|i| i.id.clone()) else { return };
                match store.delete(&id).await {
                    Ok(()) => {
                        if in_use.as_deref() == Some(id.as_str()) || storage::prefs::choice().is_some_and(|c| c.id == id) {
                            ctx.next_preparation();
                            on_use.emit(UseEvent::Builtin);
                        }
                        ctx.open(None).await;
                        ctx.refresh_list().await;
                    }
                    Err(e) => ctx.say(e.text()),
                }
            });
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
    let on_import = {
        let ctx = ctx.clone();
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
        let (ctx, lang) = (ctx.clone(), props.lang);
        Callback::from(move |_| {
            let ctx = ctx.clone();
            spawn_local(async move { ctx.import_sample(text::DS_SAMPLE_NAME.get(lang).to_owned()).await });
        })
    };
    let on_drop = {
        let (ctx, drag_over) = (ctx.clone(), drag_over.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            drag_over.set(false);
            if ctx.latest.borrow().busy.is_some() {
                return; // one import at a time
            }
            let Some(dt) = e.data_transfer() else { return };
            let items = dt.items();
            let entries: Vec<web_sys::FileSystemEntry> =
                (0..items.length()).filter_map(|i| items.get(i)).filter_map(|it| it.webkit_get_as_entry().ok().flatten()).collect();
            let ctx = ctx.clone();
            spawn_local(async move {
                let mut files = Vec::new();
                for entry in entries {
                    read_entry(entry, String::new(), &mut files).await;
                }
                let fallback = files.first().map(|(p, _)| dataset_name_from(p)).unwrap_or_default();
                import_files(ctx, files, None, fallback).await;
            });
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
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let ctx = ctx.clone();
            spawn_local(async move {
                let Some(info) = ctx.shared.borrow().info.clone() else { return };
                let blobs_now = ctx.shared.borrow().files.blobs.clone();
                ctx.update(|v| v.busy = Some(progress(0, info.images.len())));
                let mut bytes = HashMap::new();
                for (n, img) in info.images.iter().enumerate() {
                    if let Some(b) = blobs_now.get(&img.id)
                        && let Ok(data) = blobs::bytes_of(b).await
                    {
                        bytes.insert(img.id, data);
                    }
                    if n % 50 == 0 {
                        ctx.update(|v| v.busy = Some(progress(n, info.images.len())));
                    }
                }
                let zip = imagelab_core::data::import::export_zip(&info, |img| bytes.remove(&img.id));
                ctx.update(|v| v.busy = None);
                match zip {
                    Ok(zip) => blobs::download(
                        &zip,
                        &format!("{}.zip", imagelab_core::data::import::safe_file_name(&info.name)),
                        "application/zip",
                    ),
                    Err(e) => ctx.say(e.text()),
                }
            });
        })
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
    let on_delete_selected = {
        let (ctx, selected) = (ctx.clone(), selected.clone());
        Callback::from(move |_: MouseEvent| {
            let ids: Vec<u64> = selected.iter().copied().collect();
            selected.set(BTreeSet::new());
            let ctx = ctx.clone();
            spawn_local(async move {
                ctx.commit(move |i| Ok((Vec::new(), i.remove_images(&ids)))).await;
            });
        })
    };
    let move_target = use_node_ref();
    let on_move_selected = {
        let (ctx, selected, move_target) = (ctx.clone(), selected.clone(), move_target.clone());
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
    let on_clear_selection = {
        let selected = selected.clone();
        Callback::from(move |_: MouseEvent| selected.set(BTreeSet::new()))
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
        Callback::from(move |_: MouseEvent| {
            if ctx.latest.borrow().camera {
                ctx.stop_camera();
                return;
            }
            let (ctx, video) = (ctx.clone(), video.clone());
            spawn_local(async move {
                match crate::media::open_stream(None).await {
                    Ok(stream) => {
                        ctx.update(|v| v.camera = true);
                        if let Some(el) = video.cast::<HtmlVideoElement>() {
                            el.set_src_object(Some(&stream));
                            let _ = el.play();
                        }
                        ctx.shared.borrow_mut().stream = Some(stream);
                    }
                    Err(e) => ctx.say(text::DS_CAMERA_FAILED.followed_by(e)),
                }
            });
        })
    };
    // Hold to record: frames at `fps` into `class` until released.
    let start_burst = {
        let (ctx, video, fps) = (ctx.clone(), video.clone(), fps.clone());
        move |class: u32| {
            let (ctx, video, fps) = (ctx.clone(), video.clone(), *fps);
            Rc::new(move || {
                if ctx.shared.borrow().burst.is_some() {
                    return;
                }
                let Some(el) = video.cast::<HtmlVideoElement>() else { return };
                let Some(dataset) = ctx.open_id() else { return };
                let (ctx2, el2) = (ctx.clone(), el.clone());
                let capture = move || {
                    let (ctx, el, dataset) = (ctx2.clone(), el2.clone(), dataset.clone());
                    spawn_local(async move {
                        let (w, h) = (el.video_width(), el.video_height());
                        if w == 0 || h == 0 {
                            return;
                        }
                        let Ok(stored) = blobs::store_source(blobs::Source::Video(&el), w, h).await else { return };
                        let name = format!("camera-{}.jpg", js_sys::Date::now() as u64);
                        ctx.commit_to(&dataset, move |i| {
                            let id = i
                                .add_image(NewImage {
                                    class: Some(class),
                                    name,
                                    width: stored.width,
                                    height: stored.height,
                                    bytes: stored.blob.size() as u64,
                                    format: stored.format,
                                })
                                .map_err(|e| e.text())?;
                            Ok((vec![(id, stored.blob)], Vec::new()))
                        })
                        .await;
                    });
                };
                capture();
                let interval = gloo_timers::callback::Interval::new(1000 / fps.max(1), capture);
                ctx.shared.borrow_mut().burst = Some(interval);
            })
        }
    };
    let stop_burst = {
        let ctx = ctx.clone();
        Callback::from(move |_: ()| ctx.shared.borrow_mut().burst = None)
    };
    let on_fps = {
        let fps = fps.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = e.target_unchecked_into::<HtmlSelectElement>().value().parse() {
                fps.set(v);
            }
        })
    };
    let on_size = {
        let input_size = input_size.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = e.target_unchecked_into::<HtmlSelectElement>().value().parse() {
                input_size.set(v);
            }
        })
    };
    let on_channels = {
        let channels = channels.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = e.target_unchecked_into::<HtmlSelectElement>().value().parse() {
                channels.set(v);
            }
        })
    };

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
    let usage_line = v.usage.map(|(used, quota)| format!("{}: {:.1} MB / {:.0} MB", t(text::DS_STORAGE), used / 1e6, quota / 1e6));

    let grid = |class: Option<u32>, title: String, color: String| -> Html {
        let Some(info) = &info else { return html! {} };
        let members: Vec<&library::ImageInfo> = info.images.iter().filter(|i| i.class == class).collect();
        let limit = shown.get(&class).copied().unwrap_or(PAGE);
        let more = members.len() > limit;
        let key = class.map_or("none".to_owned(), |c| c.to_string());
        html! {
            <div class="thumbs" data-class={key.clone()} style={format!("--class-color: {color}")}>
                { for members.iter().take(limit).map(|img| {
                    let sel = selected.contains(&img.id);
                    let badge = parts.as_ref().and_then(|p| p.get(&img.id)).map(|p| match p {
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
                                }} onclick={on_toggle(img.id)}
                                data-id={img.id.to_string()}>
                            <img src={urls.get(&img.id).cloned().unwrap_or_default()} alt="" loading="lazy" decoding="async"
                                 width={img.width.to_string()} height={img.height.to_string()} />
                            if let Some((label, class)) = badge {
                                if !label.is_empty() { <span class={classes!("part", class)}>{ label }</span> }
                            }
                        </button>
                    }
                }) }
                if more {
                    <button class="more" onclick={on_show_more(class)}>
                        { format!("{} ({} / {})", t(text::DS_MORE), limit, members.len()) }
                    </button>
                }
            </div>
        }
    };

    html! {
        <section class="lab data" aria-labelledby="data-heading">
            <h2 id="data-heading">{ t(text::DS_HEADING) }</h2>
            <p class="intro">{ t(text::DS_INTRO) }</p>
            <p class="privacy">{ t(text::DS_PRIVACY) }</p>

            <div class="dataset-bar">
                <div class="field">
                    <label for="dataset-pick">{ t(text::DS_DATASET) }</label>
                    <select id="dataset-pick" onchange={on_pick_dataset} disabled={busy}>
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
                if let Some(u) = &usage_line { <p id="storage-usage" class="note">{ u.clone() }</p> }
            </div>
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

            <div class={classes!("dropzone", drag_over.then_some("over"))} ondrop={on_drop} ondragover={on_drag_over}
                 ondragleave={on_drag_leave} role="region" aria-label={t(text::DS_DROP)}>
                <p class="note">{ t(text::DS_IMPORT_HELP) }</p>
                <div class="actions">
                    <input id="import-zip" type="file" accept=".zip,application/zip" class="visually-hidden"
                           onchange={on_import.clone()} disabled={v.no_store || busy} />
                    <label class="button" for="import-zip">{ t(text::DS_IMPORT_ZIP) }</label>
                    <input id="import-folder" type="file" webkitdirectory=true multiple=true class="visually-hidden"
                           onchange={on_import} disabled={v.no_store || busy} />
                    <label class="button" for="import-folder">{ t(text::DS_IMPORT_FOLDER) }</label>
                    if info.is_some() {
                        <button id="export-zip" onclick={on_export} disabled={busy}>{ t(text::DS_EXPORT) }</button>
                    }
                </div>
            </div>
            <div class="sample-set">
                <button id="import-sample" onclick={on_sample} disabled={v.no_store || busy}>{ t(text::DS_SAMPLE) }</button>
                <p class="note">{ t(text::DS_SAMPLE_NOTE) }</p>
            </div>

            if let Some(r) = &v.report {
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

            if let Some(i) = &info {
                <div class="dataset-edit">
                    <div class="field">
                        <label for="dataset-name">{ t(text::DS_RENAME) }</label>
                        <input id="dataset-name" value={i.name.clone()} maxlength="40" onchange={on_rename} disabled={busy} />
                    </div>
                    <button id="dataset-delete" class="danger" onclick={on_delete_dataset} disabled={busy}>{ t(text::DS_DELETE) }</button>
                </div>

                // The main action near the top: a phone need not scroll past every photo to it.
                <div class="use-bar">
                    <div class="field">
                        <label for="input-size">{ t(text::DS_INPUT_SIZE) }</label>
                        <select id="input-size" onchange={on_size}>
                            { for [16usize, 28, 32, 48, 64, 96, 128, 160, 224].iter().map(|s| html! { <option value={s.to_string()} selected={*input_size == *s}>{ format!("{s}×{s}") }</option> }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="input-color">{ t(text::DS_INPUT_COLOR) }</label>
                        <select id="input-color" onchange={on_channels}>
                            <option value="1" selected={*channels == 1}>{ t(text::DS_GRAY) }</option>
                            <option value="3" selected={*channels == 3}>{ t(text::DS_RGB) }</option>
                        </select>
                    </div>
                    <button id="use-dataset" class="primary" onclick={on_use} disabled={busy}>{ t(text::DS_USE) }</button>
                </div>

                <div class="camera-bar">
                    <button id="camera-toggle" onclick={on_camera} aria-pressed={v.camera.to_string()}>
                        { if v.camera { t(text::DS_CAMERA_STOP) } else { t(text::DS_CAMERA) } }
                    </button>
                    <div class="field">
                        <label for="burst-fps">{ t(text::DS_FPS) }</label>
                        <select id="burst-fps" onchange={on_fps}>
                            { for [1u32, 2, 5, 10].iter().map(|f| html! { <option value={f.to_string()} selected={*fps == *f}>{ f.to_string() }</option> }) }
                        </select>
                    </div>
                </div>
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
                    <div class="selection-bar" role="group" aria-label={t(text::DS_SELECTED)}>
                        <span id="selected-count">{ format!("{}: {}", t(text::DS_SELECTED), selected.len()) }</span>
                        <button id="delete-selected" class="danger" onclick={on_delete_selected}>{ t(text::DS_DELETE_SELECTED) }</button>
                        <label for="move-target" class="visually-hidden">{ t(text::DS_MOVE_TO) }</label>
                        <select id="move-target" ref={move_target} aria-label={t(text::DS_MOVE_TO)}>
                            { for i.classes.iter().map(|c| html! { <option value={c.id.to_string()}>{ c.name.clone() }</option> }) }
                            <option value="none">{ t(text::DS_UNLABELLED) }</option>
                        </select>
                        <button id="move-selected" onclick={on_move_selected}>{ t(text::DS_MOVE) }</button>
                        <button onclick={on_clear_selection}>{ t(text::DS_CLEAR_SELECTION) }</button>
                    </div>
                }

                <div class="field checkbox">
                    <label for="show-split">
                        <input id="show-split" type="checkbox" checked={*show_split} onchange={on_split} />
                        { t(text::DS_SHOW_SPLIT) }
                    </label>
                </div>
                if *show_split {
                    <p class="note" id="split-legend">
                        { match config.validation {
                            Validation::Holdout => format!("{} ({:.0}:{:.0}, seed {})", t(text::DS_SPLIT_LEGEND_HOLDOUT),
                                (1.0 - config.validation_fraction) * 100.0, config.validation_fraction * 100.0, config.seed),
                            Validation::KFold { k } => format!("{} (K = {k}, seed {})", t(text::DS_SPLIT_LEGEND_KFOLD), config.seed),
                        } }
                    </p>
                    if let Some(e) = &split_error { <p class="error" role="alert">{ e.get(l).to_owned() }</p> }
                }

                { for i.classes.iter().zip(i.counts()).map(|(c, n)| {
                    let id = c.id;
                    let hold = start_burst(id);
                    let (h1, h2) = (hold.clone(), hold.clone());
                    let (s1, s2, s3, s4) = (stop_burst.clone(), stop_burst.clone(), stop_burst.clone(), stop_burst.clone());
                    let rename: ClassEdit =
                        Rc::new(move |info, name| info.rename_class(id, &name).map(|_| Vec::new()).map_err(|e| e.text()));
                    let recolor: ClassEdit =
                        Rc::new(move |info, color| info.recolor_class(id, &color).map(|_| Vec::new()).map_err(|e| e.text()));
                    let on_remove = {
                        let ctx = ctx.clone();
                        Callback::from(move |_: MouseEvent| {
                            let ok = web_sys::window()
                                .and_then(|w| w.confirm_with_message(text::DS_CONFIRM_DELETE_CLASS.get(l)).ok())
                                .unwrap_or(false);
                            if ok {
                                let ctx = ctx.clone();
                                spawn_local(async move {
                                    ctx.commit(move |i| i.remove_class(id).map(|removed| (Vec::new(), removed)).map_err(|e| e.text())).await;
                                });
                            }
                        })
                    };
                    let file_id = format!("class-files-{id}");
                    html! {
                        <section class="class-block" aria-label={c.name.clone()} data-class-name={c.name.clone()}>
                            <div class="class-head" style={format!("border-color: {}", c.color)}>
                                <input type="color" value={c.color.clone()} aria-label={format!("{}: {}", t(text::DS_CLASS_COLOR), c.name)}
                                       onchange={edit_class(recolor)} />
                                <input class="class-name" value={c.name.clone()} maxlength="40"
                                       aria-label={format!("{}: {}", t(text::DS_CLASS_NAME), c.name)} onchange={edit_class(rename)} />
                                <span class="count" data-count={n.to_string()}>{ format!("{n} {}", t(text::DS_IMAGES)) }</span>
                                <input id={file_id.clone()} type="file" accept="image/*" multiple=true class="visually-hidden"
                                       aria-label={format!("{}: {}", t(text::DS_ADD_FILES), c.name)}
                                       onchange={on_files_for(id)} disabled={busy} />
                                <label class="button" for={file_id}>{ t(text::DS_ADD_FILES) }</label>
                                // On a phone this opens the back camera straight away.
                                <input id={format!("class-shoot-{id}")} type="file" accept="image/*" capture="environment"
                                       aria-label={format!("{}: {}", t(text::DS_SHOOT), c.name)}
                                       class="visually-hidden" onchange={on_files_for(id)} disabled={busy} />
                                <label class="button" for={format!("class-shoot-{id}")}>{ t(text::DS_SHOOT) }</label>
                                if v.camera {
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
                            { grid(Some(id), c.name.clone(), c.color.clone()) }
                        </section>
                    }
                }) }
                if i.unlabelled().next().is_some() {
                    <section class="class-block" aria-label={t(text::DS_UNLABELLED)}>
                        <div class="class-head">
                            <span class="class-name">{ t(text::DS_UNLABELLED) }</span>
                            <span class="count" data-count={i.unlabelled().count().to_string()}>{ format!("{} {}", i.unlabelled().count(), t(text::DS_IMAGES)) }</span>
                        </div>
                        { grid(None, t(text::DS_UNLABELLED).to_owned(), "#999999".to_owned()) }
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

/// Converts the open dataset for training at `size`×`size`×`ch` and tells the page: preparing
/// (with progress), then ready or failed. The page keeps training disabled meanwhile. Preparation
/// `n` stops, silent, as soon as a later one (or the digits) is chosen.
async fn prepare(ctx: &Ctx, n: u32, size: usize, ch: usize, on_use: &Callback<UseEvent>) {
    let Some(info) = ctx.shared.borrow().info.clone() else { return };
    let (id, name) = (info.id.clone(), info.name.clone());
    let fail = |why: Text| {
        ctx.update(|v| v.busy = None);
        if ctx.is_current(n) {
            on_use.emit(UseEvent::Failed { id: id.clone(), name: name.clone(), why: why.clone() });
        }
        ctx.say(why);
    };
    let (images, labels, names) = info.labelled();
    // The core's rule, as the command line applies it: 2 classes, 2 images each.
    if let Err(e) = imagelab_core::data::dataset::trainable(&labels, &names) {
        return fail(e.text());
    }
    let blobs_now = ctx.shared.borrow().files.blobs.clone();
    let mut inputs = Vec::with_capacity(images.len());
    for (i, img) in images.iter().enumerate() {
        if !ctx.is_current(n) {
            ctx.update(|v| v.busy = None);
            return;
        }
        if i % 25 == 0 {
            let p = progress(i, images.len());
            ctx.update(|v| {
                v.busy = Some(Text::new(format!("{} — {}", text::DS_CONVERTING.0, p.ja), format!("{} — {}", text::DS_CONVERTING.1, p.en)))
            });
            on_use.emit(UseEvent::Preparing { id: id.clone(), name: name.clone(), done: i, total: images.len() });
        }
        let Some(blob) = blobs_now.get(&img.id) else {
            return fail(library::StoreError::Missing(img.id).text());
        };
        match blobs::input_of(blob, size, size, ch).await {
            Ok(px) => inputs.push(px),
            Err(e) => {
                return fail(Text::new(
                    format!("{}{} ({e})", text::DS_BAD_IMAGE.0, img.name),
                    format!("{}{} ({e})", text::DS_BAD_IMAGE.1, img.name),
                ));
            }
        }
    }
    ctx.update(|v| v.busy = None);
    if !ctx.is_current(n) {
        return;
    }
    match library::to_dataset(&info, size, size, ch, |i, _| std::mem::take(&mut inputs[i])) {
        Ok(d) => {
            let choice = storage::prefs::Choice { id: id.clone(), name: name.clone(), size, channels: ch };
            on_use.emit(UseEvent::Ready { data: Rc::new(d), choice });
        }
        Err(e) => fail(e.text()),
    }
}
