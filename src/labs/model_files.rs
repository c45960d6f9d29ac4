//! The training lab's model files: save the finished model as a file or in the browser
//! (IndexedDB), load one from a file or from the browser's list, delete from the list, and the
//! report button beside them. The worker makes and reads the files (`send`, `load`); this
//! component decides where a made file goes and keeps the list.

use crate::storage::{IdbStore, SavedModel};
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::data::library::StoreError;
use imagelab_core::i18n::Text;
use imagelab_core::session::protocol::ToWorker;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// Whether a finished run's model can be saved.
    pub can_save: bool,
    /// Whether a model can be loaded now (no run going; `can_load_saved`: and the data is ready).
    pub can_load: bool,
    pub can_load_saved: bool,
    /// Whether the run in view has a report (finished, not stopped).
    pub can_report: bool,
    pub on_report: Callback<MouseEvent>,
    /// The latest model file the worker made, and how many it has made (a new one is news).
    pub file: Option<Rc<Vec<u8>>>,
    pub files: u64,
    /// What a model saved in the browser is listed with: its data's name and accuracy.
    pub data_name: String,
    pub accuracy: f64,
    /// Sends a message to the worker (`false`: it could not be sent, and the caller said why).
    pub send: Callback<ToWorker, bool>,
    /// Loads model-file bytes into the worker.
    pub load: Callback<Vec<u8>>,
    /// A problem to show as the run's failure (a file too big to be a model).
    pub on_fail: Callback<Text>,
}

#[function_component(ModelFiles)]
pub fn model_files(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    // Where the next model file from the worker goes: a download, or the browser's storage.
    let to_browser = use_mut_ref(|| false);
    let saved = use_state(Vec::<SavedModel>::new);
    let message = use_state(|| None::<Text>);
    {
        let saved = saved.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(store) = IdbStore::open().await
                    && let Ok(list) = store.models().await
                {
                    saved.set(list);
                }
            });
        });
    }
    let save = |browser: bool| {
        let (send, to_browser) = (props.send.clone(), to_browser.clone());
        Callback::from(move |_: MouseEvent| {
            *to_browser.borrow_mut() = browser;
            send.emit(ToWorker::SaveModel);
        })
    };
    {
        // A saved model arrives as bytes: a download, or a record in IndexedDB.
        let (file, accuracy, data_name) = (props.file.clone(), props.accuracy, props.data_name.clone());
        let (to_browser, saved, message) = (to_browser.clone(), saved.clone(), message.clone());
        use_effect_with(props.files, move |_| {
            let Some(bytes) = file else { return };
            if !*to_browser.borrow() {
                crate::blobs::download(&bytes, "imagelab-model.bpk", "application/octet-stream");
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let now = js_sys::Date::now();
                let model = SavedModel { id: format!("m-{}", now as u64), data: data_name, accuracy, saved_ms: now, bytes: bytes.to_vec() };
                let result: Result<_, StoreError> = async { IdbStore::open().await?.put_model(&model).await }.await;
                match result {
                    Ok(list) => {
                        saved.set(list);
                        message.set(Some(text::MODEL_SAVED_BROWSER.into()));
                    }
                    Err(e) => message.set(Some(e.text())),
                }
            });
        });
    }
    let on_file = {
        let (load, on_fail) = (props.load.clone(), props.on_fail.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            if file.size() > imagelab_core::session::protocol::MAX_MODEL_FILE_BYTES as f64 {
                on_fail.emit(text::MODEL_TOO_BIG.into());
                return;
            }
            let load = load.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await else { return };
                load.emit(js_sys::Uint8Array::new(&buffer).to_vec());
            });
        })
    };
    let row = |m: &SavedModel| {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(m.saved_ms));
        let when = String::from(date.to_locale_string(l.code(), &wasm_bindgen::JsValue::UNDEFINED));
        let label = format!("{} · {:.1}% · {when}", m.data, m.accuracy * 100.0);
        let on_load = {
            // Found when pressed: the list's bytes are not copied at every render.
            let (id, saved, load) = (m.id.clone(), saved.clone(), props.load.clone());
            Callback::from(move |_: MouseEvent| {
                if let Some(m) = saved.iter().find(|m| m.id == id) {
                    load.emit(m.bytes.clone());
                }
            })
        };
        let on_delete = {
            let (id, saved, message) = (m.id.clone(), saved.clone(), message.clone());
            Callback::from(move |_: MouseEvent| {
                let (id, saved, message) = (id.clone(), saved.clone(), message.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let result: Result<_, StoreError> = async { IdbStore::open().await?.delete_model(&id).await }.await;
                    match result {
                        Ok(list) => saved.set(list),
                        Err(e) => message.set(Some(e.text())),
                    }
                });
            })
        };
        html! {
            <tr class="saved-model">
                <td>{ label.clone() }</td>
                <td><button onclick={on_load} disabled={!props.can_load_saved}
                            aria-label={format!("{}: {label}", t(text::LOAD_SAVED))}>{ t(text::LOAD_SAVED) }</button></td>
                <td><button class="danger" onclick={on_delete}
                            aria-label={format!("{}: {label}", t(text::DELETE_SAVED))}>{ "✕" }</button></td>
            </tr>
        }
    };
    html! {
        <>
            <div class="actions model-file">
                <button id="save-model" onclick={save(false)} disabled={!props.can_save}>{ t(text::SAVE_MODEL) }</button>
                <button id="save-model-browser" onclick={save(true)} disabled={!props.can_save}>{ t(text::SAVE_MODEL_BROWSER) }</button>
                <input id="load-model" type="file" accept=".bpk,application/octet-stream" class="visually-hidden"
                       onchange={on_file} disabled={!props.can_load} />
                <label class="button" for="load-model">{ t(text::LOAD_MODEL) }</label>
                <button id="report" onclick={props.on_report.clone()} disabled={!props.can_report}>{ t(text::REPORT) }</button>
            </div>
            if let Some(m) = &*message { <p id="saved-model-message" role="status">{ m.get(l).to_owned() }</p> }
            if !saved.is_empty() {
                <table id="saved-models" class="runs">
                    <caption>{ t(text::SAVED_MODELS) }</caption>
                    <tbody>{ for saved.iter().map(row) }</tbody>
                </table>
            }
        </>
    }
}
