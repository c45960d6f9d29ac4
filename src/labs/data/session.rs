//! The data lab's session: the open dataset as edited and stored (commits one at a time, each
//! whole), its files as blobs and thumbnail URLs, the camera, imports (files, folders, zips, the
//! sample photos) with their report, and the conversion for training. `Ctx` is the handle the
//! lab's callbacks carry; the view it keeps current re-renders the lab.

use super::UseEvent;
use crate::blobs;
use crate::storage::{self, IdbStore};
use crate::text;
use imagelab_core::data::import::{self, Archive, Entry, Intake, Limits, Report, SourceFile, plan};
use imagelab_core::data::library::{self, DatasetInfo, NewImage, Store};
use imagelab_core::i18n::Text;
use imagelab_core::session::Reducer;
use imagelab_core::session::data_lab::{DataLabAction, DataLabView};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, HtmlInputElement, MediaStream};
use yew::prelude::*;

/// Images stored per commit during an import: a full quota loses at most this batch.
const BATCH: usize = 40;
/// The built-in sample photos: brick, grass and gravel, 20 close-ups each (www/data/README.md).
const SAMPLE_ZIP: &str = "data/materials.zip";

/// The open dataset's files, as blobs and object URLs for the thumbnails.
#[derive(Default)]
pub(super) struct Files {
    pub(super) blobs: HashMap<u64, Blob>,
    pub(super) urls: HashMap<u64, String>,
}

impl Files {
    pub(super) fn insert(&mut self, id: u64, blob: Blob) {
        self.remove(id);
        if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
            self.urls.insert(id, url);
        }
        self.blobs.insert(id, blob);
    }

    pub(super) fn remove(&mut self, id: u64) {
        self.blobs.remove(&id);
        if let Some(url) = self.urls.remove(&id) {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }

    pub(super) fn clear(&mut self) {
        for url in self.urls.values() {
            let _ = web_sys::Url::revoke_object_url(url);
        }
        self.urls.clear();
        self.blobs.clear();
    }
}

/// Everything the lab's async work shares.
#[derive(Default)]
pub(super) struct Shared {
    pub(super) store: Option<Rc<IdbStore>>,
    /// The open dataset, as edited (commits carry it whole).
    pub(super) info: Option<DatasetInfo>,
    pub(super) files: Files,
    /// The camera's stream and burst timer.
    pub(super) stream: Option<MediaStream>,
    pub(super) burst: Option<gloo_timers::callback::Interval>,
    /// Counts changes of `info` (drives re-rendering).
    pub(super) tick: u32,
    /// A commit is in flight (they run one at a time).
    pub(super) committing: bool,
    /// Counts `open` calls: only the latest one's result is applied.
    pub(super) opening: u32,
    /// Counts preparations for training: only the latest one may tell the page anything (a
    /// dataset picked, the digits chosen or a deletion meanwhile supersedes it).
    pub(super) preparing: u32,
}

pub(super) type SharedRef = Rc<RefCell<Shared>>;

/// A small handle the callbacks carry: shared data plus the view to refresh.
#[derive(Clone)]
pub(super) struct Ctx {
    pub(super) shared: SharedRef,
    pub(super) view: UseStateHandle<DataLabView>,
    /// Bumped whenever `shared.info` changes (the grid re-renders).
    pub(super) version: UseStateHandle<u32>,
    /// A copy of the view kept current for async work (the state handle's value is a snapshot).
    pub(super) latest: Rc<RefCell<DataLabView>>,
}

/// The same session (what a component's props compare).
impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }
}

impl Ctx {
    /// Applies `action` to the lab's view (the core's [`DataLabView`]), kept current for async
    /// work in `latest`.
    pub(super) fn dispatch(&self, action: DataLabAction) {
        let mut v = self.latest.borrow().clone();
        v.apply(action);
        *self.latest.borrow_mut() = v.clone();
        self.view.set(v);
    }

    pub(super) fn bump(&self) {
        // `version` is a snapshot inside async work: count in the shared state instead.
        let tick = {
            let mut s = self.shared.borrow_mut();
            s.tick = s.tick.wrapping_add(1);
            s.tick
        };
        self.version.set(tick);
    }

    /// Starts a new preparation (superseding any in flight) and gives its number.
    pub(super) fn next_preparation(&self) -> u32 {
        let mut s = self.shared.borrow_mut();
        s.preparing = s.preparing.wrapping_add(1);
        s.preparing
    }

    /// Whether preparation `n` is still the latest.
    pub(super) fn is_current(&self, n: u32) -> bool {
        self.shared.borrow().preparing == n
    }

    pub(super) fn say(&self, t: Text) {
        self.dispatch(DataLabAction::Failed(t));
    }

    pub(super) fn store(&self) -> Option<Rc<IdbStore>> {
        self.shared.borrow().store.clone()
    }

    pub(super) async fn refresh_list(&self) {
        let Some(store) = self.store() else { return };
        match store.datasets().await {
            Ok(list) => {
                self.dispatch(DataLabAction::Listed(list.into_iter().map(|d| (d.id, d.name)).collect()));
            }
            Err(e) => self.say(e.text()),
        }
        let usage = storage::estimate().await;
        self.dispatch(DataLabAction::Usage(usage));
    }

    /// Opens a dataset: its description and every file (one request).
    pub(super) async fn open(&self, id: Option<String>) {
        self.stop_camera();
        let generation = {
            let mut s = self.shared.borrow_mut();
            s.files.clear();
            s.info = None;
            s.opening = s.opening.wrapping_add(1);
            s.opening
        };
        self.dispatch(DataLabAction::Opened(id.clone()));
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
    pub(super) async fn commit(&self, edit: impl FnOnce(&mut DatasetInfo) -> Result<(Vec<(u64, Blob)>, Vec<u64>), Text>) -> bool {
        let Some(id) = self.open_id() else { return false };
        self.commit_to(&id, edit).await
    }

    /// The open dataset's id.
    pub(super) fn open_id(&self) -> Option<String> {
        self.shared.borrow().info.as_ref().map(|i| i.id.clone())
    }

    /// [`Ctx::commit`] into dataset `id` only (an import or a burst keeps going into the dataset
    /// it started in; if another is open now, the edit is dropped, said in words). Commits run
    /// one at a time, each on the state the previous one left, so a failed commit never leaks
    /// into the next.
    pub(super) async fn commit_to(
        &self,
        id: &str,
        edit: impl FnOnce(&mut DatasetInfo) -> Result<(Vec<(u64, Blob)>, Vec<u64>), Text>,
    ) -> bool {
        while self.shared.borrow().committing {
            gloo_timers::future::TimeoutFuture::new(5).await;
        }
        self.shared.borrow_mut().committing = true;
        let done = self.commit_now(id, edit).await;
        self.shared.borrow_mut().committing = false;
        done
    }

    pub(super) async fn commit_now(
        &self,
        id: &str,
        edit: impl FnOnce(&mut DatasetInfo) -> Result<(Vec<(u64, Blob)>, Vec<u64>), Text>,
    ) -> bool {
        let Some(store) = self.store() else { return false };
        if self.open_id().as_deref() != Some(id) {
            self.say(text::DS_SWITCHED_STOPPED.into());
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
                self.dispatch(DataLabAction::Usage(usage));
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

    pub(super) fn stop_camera(&self) {
        let mut s = self.shared.borrow_mut();
        s.burst = None;
        if let Some(stream) = s.stream.take() {
            crate::media::stop_tracks(&stream);
        }
        drop(s);
        self.dispatch(DataLabAction::Camera(false));
    }

    /// Stores images (already prepared) into dataset `id`, `BATCH` per commit. A file whose class
    /// cannot be made (a name too long, too many classes) is skipped with the reason.
    pub(super) async fn add_prepared(
        &self,
        id: &str,
        items: Vec<(Option<String>, String, blobs::StoredBlob)>,
        report: &mut Report,
    ) -> bool {
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
                    report.skip(name, text::DS_NOT_SAVED.into());
                }
                report.stopped = Some(text::DS_STORE_STOPPED.into());
                return false;
            }
            for (name, class) in done {
                report.imported(name, class);
            }
        }
        true
    }

    /// Imports files with relative paths (a folder, a zip's entries) by the core's plan.
    pub(super) async fn import_sources(&self, id: &str, sources: Vec<SourceFile>, mut report: Report) {
        let planned = plan(sources, None, &mut report);
        let total = planned.len();
        let mut ready = Vec::new();
        for (n, p) in planned.into_iter().enumerate() {
            if n % 10 == 0 {
                self.dispatch(DataLabAction::Busy(progress(n, total)));
            }
            let mime = blobs::mime_of(&p.name);
            let prepared = match blobs::blob_of(&p.bytes, mime) {
                Ok(blob) => blobs::prepare(&blob, mime).await,
                Err(_) => Err(crate::error::PageError::NotAnImage.text()),
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
    pub(super) async fn unpack(&self, path: String, bytes: Vec<u8>, sources: &mut Vec<SourceFile>, report: &mut Report) {
        let mut archive = match Archive::open(bytes, Limits::default()) {
            Ok(a) => a,
            Err(e) => return report.skip(path, e.text()),
        };
        let mut n = 0usize;
        while let Some(entry) = archive.next_file() {
            n += 1;
            if n.is_multiple_of(100) {
                // Let the page breathe (and show progress) while a big zip unpacks.
                self.dispatch(DataLabAction::Busy(progress(n, archive.len())));
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
    pub(super) async fn import_sample(&self, name: String) {
        let names = [text::DS_SAMPLE_NAME.0, text::DS_SAMPLE_NAME.1];
        let existing = self.latest.borrow().datasets.iter().find(|(_, n)| names.contains(&n.as_str())).map(|(id, _)| id.clone());
        if let Some(id) = existing {
            self.open(Some(id)).await;
            return self.dispatch(DataLabAction::Note(text::DS_SAMPLE_THERE.into()));
        }
        self.dispatch(DataLabAction::Began(text::DS_SAMPLE_FETCHING.into()));
        let bytes = match crate::assets::fetch_bytes(SAMPLE_ZIP).await {
            Ok(b) => b,
            Err(e) => {
                self.dispatch(DataLabAction::Idle);
                return self.say(text::sample_failed(&e));
            }
        };
        let created = self.create(&name).await;
        let Some(id) = self.open_id().filter(|_| created) else { return self.dispatch(DataLabAction::Idle) };
        let (mut sources, mut report) = (Vec::new(), Report::default());
        self.unpack(SAMPLE_ZIP.to_owned(), bytes, &mut sources, &mut report).await;
        self.import_sources(&id, sources, report).await;
    }

    pub(super) fn finish_import(&self, report: Report) {
        self.dispatch(DataLabAction::Imported(Box::new(report)));
    }

    /// Makes sure a dataset is open to import into, creating one named `name` if not.
    pub(super) async fn ensure_open(&self, name: &str) -> bool {
        if self.shared.borrow().info.is_some() {
            return true;
        }
        let short: String = name.chars().take(library::MAX_NAME_CHARS).collect();
        self.create(if short.trim().is_empty() { "dataset" } else { &short }).await
    }

    /// Opens the browser's store once the lab is first shown and lists the datasets; the dataset
    /// chosen for training before a reload is prepared again through `restore` (`None`: the
    /// page was opened with a link, which says which data). Without a store, says so — in the
    /// training lab too, for a dataset it was waiting for.
    pub(super) async fn connect(&self, restore: Option<Callback<storage::prefs::Choice>>, on_use: &Callback<UseEvent>) {
        match IdbStore::open().await {
            Ok(store) => {
                self.shared.borrow_mut().store = Some(Rc::new(store));
                storage::request_persistence();
                self.refresh_list().await;
                if let (Some(choice), Some(restore)) = (storage::prefs::choice(), restore) {
                    restore.emit(choice);
                }
            }
            Err(e) => {
                self.dispatch(DataLabAction::NoStore);
                // A dataset chosen before cannot be read back: say so in the training lab
                // rather than leave it waiting.
                if let Some(choice) = storage::prefs::choice().filter(|_| restore.is_some()) {
                    storage::prefs::set_choice(None);
                    on_use.emit(UseEvent::Failed { id: choice.id, name: choice.name, why: e.text() });
                }
                self.say(e.text());
            }
        }
    }

    /// The lab goes: the camera stops and the thumbnails' URLs are released.
    pub(super) fn release(&self) {
        let mut s = self.shared.borrow_mut();
        s.burst = None;
        if let Some(stream) = s.stream.take() {
            crate::media::stop_tracks(&stream);
        }
        s.files.clear();
    }

    /// Prepares the saved dataset `choice` for training (a reload's saved choice, or the training
    /// lab's switcher): opened, then converted; one deleted since is said to be missing.
    pub(super) async fn prepare_saved(&self, choice: storage::prefs::Choice, on_use: &Callback<UseEvent>) {
        let n = self.next_preparation();
        on_use.emit(UseEvent::Preparing { id: choice.id.clone(), name: choice.name.clone(), done: 0, total: 0 });
        self.open(Some(choice.id.clone())).await;
        if !self.is_current(n) {
            return; // another dataset (or the digits) was chosen meanwhile
        }
        if self.open_id().as_deref() != Some(choice.id.as_str()) {
            // Deleted since (or storage failed): say so rather than train other data.
            storage::prefs::set_choice(None);
            let why = text::dataset_missing(&choice.name);
            return on_use.emit(UseEvent::Failed { id: choice.id, name: choice.name, why });
        }
        prepare(self, n, choice.size, choice.channels, on_use).await;
    }

    /// Deletes the open dataset; the training lab returns to the digits if it used it
    /// (`in_use`: the id of the dataset it uses).
    pub(super) async fn delete_open(&self, in_use: Option<String>, on_use: &Callback<UseEvent>) {
        let Some(store) = self.store() else { return };
        let Some(id) = self.open_id() else { return };
        match store.delete(&id).await {
            Ok(()) => {
                if in_use.as_deref() == Some(id.as_str()) || storage::prefs::choice().is_some_and(|c| c.id == id) {
                    self.next_preparation();
                    on_use.emit(UseEvent::Builtin);
                }
                self.open(None).await;
                self.refresh_list().await;
            }
            Err(e) => self.say(e.text()),
        }
    }

    /// Imports what was dropped on the lab (files and folders, read through their entries),
    /// unless an import is already going on.
    pub(super) fn import_dropped(&self, dt: &web_sys::DataTransfer) {
        if self.latest.borrow().busy.is_some() {
            return; // one import at a time
        }
        let items = dt.items();
        let entries: Vec<web_sys::FileSystemEntry> =
            (0..items.length()).filter_map(|i| items.get(i)).filter_map(|it| it.webkit_get_as_entry().ok().flatten()).collect();
        let ctx = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let mut files = Vec::new();
            for entry in entries {
                read_entry(entry, String::new(), &mut files).await;
            }
            let fallback = files.first().map(|(p, _)| dataset_name_from(p)).unwrap_or_default();
            import_files(ctx, files, None, fallback).await;
        });
    }

    /// The open dataset as a zip (a folder per class, the label file), downloaded.
    pub(super) async fn export(&self) {
        let Some(info) = self.shared.borrow().info.clone() else { return };
        let blobs_now = self.shared.borrow().files.blobs.clone();
        self.dispatch(DataLabAction::Busy(progress(0, info.images.len())));
        let mut bytes = HashMap::new();
        for (n, img) in info.images.iter().enumerate() {
            if let Some(b) = blobs_now.get(&img.id)
                && let Ok(data) = blobs::bytes_of(b).await
            {
                bytes.insert(img.id, data);
            }
            if n % 50 == 0 {
                self.dispatch(DataLabAction::Busy(progress(n, info.images.len())));
            }
        }
        let zip = import::export_zip(&info, |img| bytes.remove(&img.id));
        self.dispatch(DataLabAction::Idle);
        match zip {
            Ok(zip) => blobs::download(&zip, &format!("{}.zip", import::safe_file_name(&info.name)), "application/zip"),
            Err(e) => self.say(e.text()),
        }
    }

    /// Opens the camera into `video`, or stops it when it is on.
    pub(super) fn toggle_camera(&self, video: &NodeRef) {
        if self.latest.borrow().camera {
            return self.stop_camera();
        }
        let (ctx, video) = (self.clone(), video.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match crate::media::open_stream(None).await {
                Ok(stream) => {
                    ctx.dispatch(DataLabAction::Camera(true));
                    if let Some(el) = video.cast::<web_sys::HtmlVideoElement>() {
                        el.set_src_object(Some(&stream));
                        let _ = el.play();
                    }
                    ctx.shared.borrow_mut().stream = Some(stream);
                }
                Err(e) => ctx.say(text::DS_CAMERA_FAILED.because(&e)),
            }
        });
    }

    /// Hold to record: frames of `video` at `fps` into `class` of the open dataset, until
    /// `shared.burst` is dropped (released); the frames keep going into the dataset they
    /// started in.
    pub(super) fn start_burst(&self, video: &NodeRef, fps: u32, class: u32) {
        if self.shared.borrow().burst.is_some() {
            return;
        }
        let Some(el) = video.cast::<web_sys::HtmlVideoElement>() else { return };
        let Some(dataset) = self.open_id() else { return };
        let ctx = self.clone();
        let capture = move || {
            let (ctx, el, dataset) = (ctx.clone(), el.clone(), dataset.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let (w, h) = (el.video_width(), el.video_height());
                if w == 0 || h == 0 {
                    return;
                }
                let Ok(stored) = blobs::store_source(blobs::Source::Video(&el), w, h).await else { return };
                let name = format!("camera-{}.jpg", js_sys::Date::now() as u64);
                ctx.commit_to(&dataset, move |i| {
                    let image = NewImage {
                        class: Some(class),
                        name,
                        width: stored.width,
                        height: stored.height,
                        bytes: stored.blob.size() as u64,
                        format: stored.format,
                    };
                    let id = i.add_image(image).map_err(|e| e.text())?;
                    Ok((vec![(id, stored.blob)], Vec::new()))
                })
                .await;
            });
        };
        capture();
        let interval = gloo_timers::callback::Interval::new(1000 / fps.max(1), capture);
        self.shared.borrow_mut().burst = Some(interval);
    }

    pub(super) async fn create(&self, name: &str) -> bool {
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
pub(super) fn dataset_name_from(path: &str) -> String {
    let top = path.split('/').next().unwrap_or(path);
    match top.len().checked_sub(4) {
        Some(cut) if top.is_char_boundary(cut) && top[cut..].eq_ignore_ascii_case(".zip") => top[..cut].to_owned(),
        _ => top.to_owned(),
    }
}

pub(super) fn progress(done: usize, total: usize) -> Text {
    Text::new(format!("{} {done} / {total}", text::DS_WORKING.0), format!("{} {done} / {total}", text::DS_WORKING.1))
}

pub(super) fn files_of(input: &HtmlInputElement) -> Vec<File> {
    let Some(list) = input.files() else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads a dropped folder tree (`webkitGetAsEntry`) into files with relative paths.
pub(super) async fn read_entry(entry: web_sys::FileSystemEntry, prefix: String, out: &mut Vec<(String, File)>) {
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
pub(super) async fn import_files(ctx: Ctx, files: Vec<(String, File)>, class: Option<u32>, fallback_name: String) {
    if files.is_empty() {
        return;
    }
    if !ctx.ensure_open(&fallback_name).await {
        return;
    }
    let Some(id) = ctx.open_id() else { return };
    ctx.dispatch(DataLabAction::Began(progress(0, files.len())));
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
                Err(e) => report.skip(path, text::DS_CANNOT_READ.with_reason(&e)),
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
            ctx.dispatch(DataLabAction::Busy(progress(n, total)));
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

/// Converts the open dataset for training at `size`×`size`×`ch` and tells the page: preparing
/// (with progress), then ready or failed. The page keeps training disabled meanwhile. Preparation
/// `n` stops, silent, as soon as a later one (or the digits) is chosen.
pub(super) async fn prepare(ctx: &Ctx, n: u32, size: usize, ch: usize, on_use: &Callback<UseEvent>) {
    let Some(info) = ctx.shared.borrow().info.clone() else { return };
    let (id, name) = (info.id.clone(), info.name.clone());
    let fail = |why: Text| {
        ctx.dispatch(DataLabAction::Idle);
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
            ctx.dispatch(DataLabAction::Idle);
            return;
        }
        if i % 25 == 0 {
            let p = progress(i, images.len());
            ctx.dispatch(DataLabAction::Busy(Text::new(
                format!("{} — {}", text::DS_CONVERTING.0, p.ja),
                format!("{} — {}", text::DS_CONVERTING.1, p.en),
            )));
            on_use.emit(UseEvent::Preparing { id: id.clone(), name: name.clone(), done: i, total: images.len() });
        }
        let Some(blob) = blobs_now.get(&img.id) else {
            return fail(library::StoreError::Missing(img.id).text());
        };
        match blobs::input_of(blob, size, size, ch).await {
            Ok(px) => inputs.push(px),
            Err(e) => return fail(text::bad_image(&img.name, &e)),
        }
    }
    ctx.dispatch(DataLabAction::Idle);
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
