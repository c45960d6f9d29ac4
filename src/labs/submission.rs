//! The training lab's competition part: predict a test set chosen as files or a folder → a
//! submission file (file, label) to hand in. The rules — how many images one request holds, one
//! file per name, which answer counts — are the core's (`data::competition`), shared with
//! `imagelab predict`; this component reads the files and talks to the worker through `send`.

use crate::assets::DataState;
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::data::competition::{self, Delimiter, Names, Requests};
use imagelab_core::i18n::Text;
use imagelab_core::session::protocol::ToWorker;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The data the model was trained on: its image size and class names.
    pub data: DataState,
    /// Whether a model is trained or loaded.
    pub has_model: bool,
    /// Whether a run is going (the worker is busy).
    pub running: bool,
    /// The worker's latest answer to a prediction request (its id, each image's class).
    pub answer: Option<(u32, Vec<u32>)>,
    /// Answers so far (a new one is a new answer, even if equal to the last).
    pub answer_count: usize,
    /// The worker's answers to side requests so far (`RunState::answers`): a new one may be a
    /// refusal of this request (e.g. the model's input size differs), so the buttons are free
    /// again; the request itself still counts if its answer comes.
    pub side_answers: u64,
    /// Sends a message to the worker: `false` when it could not be sent (the caller has said why).
    pub send: Callback<ToWorker, bool>,
}

/// What the part says: a message, and whether it reports a problem.
type Message = Option<(Text, bool)>;

#[function_component(Submission)]
pub fn submission(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let requests = use_mut_ref(Requests::default);
    let pending = use_state(|| false);
    let tsv = use_state(|| false);
    let header = use_state(|| true);
    let message = use_state(|| None::<(Text, bool)>);

    let on_files = {
        let (data, send) = (props.data.clone(), props.send.clone());
        let (requests, message, pending) = (requests.clone(), message.clone(), pending.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(list) = input.files() else { return };
            let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            let DataState::Ready(d) = &data else { return };
            let (w, h, c) = (d.width, d.height, d.channels);
            let (send, requests, message, pending) = (send.clone(), requests.clone(), message.clone(), pending.clone());
            pending.set(true);
            message.set(Some((text::SUBMIT_WORKING.into(), false)));
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = read(files, (w, h, c), &requests).await;
                let sent = match outcome {
                    Ok((skipped, pixels, id)) => {
                        message.set(skipped.or(Some((text::SUBMIT_WORKING.into(), false))));
                        send.emit(ToWorker::PredictAll { id, pixels })
                    }
                    Err(why) => {
                        message.set(Some((why, true)));
                        false
                    }
                };
                if !sent {
                    // No worker to ask, or one that could not be reached (the run says why): either
                    // way no model answers now.
                    requests.borrow_mut().fail();
                    pending.set(false);
                    message.set(Some((text::SUBMIT_NEEDS_MODEL.into(), true)));
                }
            });
        })
    };
    {
        // The worker's answer to the pending request becomes the submission file.
        let (answer, data) = (props.answer.clone(), props.data.clone());
        let (requests, message, pending, tsv, header) = (requests.clone(), message.clone(), pending.clone(), *tsv, *header);
        use_effect_with(props.answer_count, move |_| {
            let (Some((id, labels)), DataState::Ready(d)) = (answer, &data) else { return };
            let Some(rows) = requests.borrow_mut().answer(id, &labels, &d.class_names) else { return };
            pending.set(false);
            let delimiter = if tsv { Delimiter::Tab } else { Delimiter::Comma };
            let body = competition::write_submission(&rows, delimiter, header);
            let mime = if tsv { "text/tab-separated-values" } else { "text/csv" };
            crate::blobs::download(body.as_bytes(), &format!("submission.{}", delimiter.extension()), mime);
            let n = rows.len();
            let done = Text::new(format!("{n} {}", text::SUBMIT_DONE.0), format!("{n} {}", text::SUBMIT_DONE.1));
            // What was skipped on the way stays said, after the count.
            message.set(Some(match (*message).clone() {
                Some((skipped, true)) => (Text::new(format!("{} {}", done.ja, skipped.ja), format!("{} {}", done.en, skipped.en)), true),
                _ => (done, false),
            }));
        });
    }
    {
        // A refused request ends the wait too. (Live predictions count as answers as well, so
        // the request is not dropped: its answer, if it comes, still becomes the file.)
        let pending = pending.clone();
        use_effect_with(props.side_answers, move |_| pending.set(false));
    }
    let on_format = {
        let tsv = tsv.clone();
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            tsv.set(sel.value() == "tsv");
        })
    };
    let on_header = {
        let header = header.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            header.set(input.checked());
        })
    };
    let busy = props.running || !props.has_model || *pending;
    html! {
        <details id="submission" class="submission">
            <summary>{ t(text::SUBMIT_HEADING) }</summary>
            <p class="note">{ t(text::SUBMIT_INTRO) }</p>
            <div class="actions">
                <label for="submit-format">{ t(text::SUBMIT_FORMAT) }</label>
                <select id="submit-format" onchange={on_format}>
                    <option value="csv" selected={!*tsv}>{ "CSV (,)" }</option>
                    <option value="tsv" selected={*tsv}>{ "TSV (tab)" }</option>
                </select>
                <input id="submit-header" type="checkbox" checked={*header} onchange={on_header} />
                <label for="submit-header">{ t(text::SUBMIT_HEADER) }</label>
            </div>
            <div class="actions">
                <input id="submit-files" type="file" multiple=true accept="image/*" class="visually-hidden"
                       onchange={on_files.clone()} disabled={busy} />
                <label class={classes!("button", busy.then_some("disabled"))} for="submit-files">{ t(text::SUBMIT_FILES) }</label>
                <input id="submit-folder" type="file" webkitdirectory=true class="visually-hidden"
                       onchange={on_files} disabled={busy} />
                <label class={classes!("button", busy.then_some("disabled"))} for="submit-folder">{ t(text::SUBMIT_FOLDER) }</label>
            </div>
            if !props.has_model { <p class="note">{ t(text::SUBMIT_NEEDS_MODEL) }</p> }
            if let Some((m, is_error)) = &*message {
                <p id="submit-message" class={classes!(is_error.then_some("error"))} role="status">{ m.get(l).to_owned() }</p>
            }
        </details>
    }
}

/// Reads the chosen test images as an import stores them, resized as training saw them: what
/// to say about the files left out, the pixels, and the id of the request they make. Refused
/// in words when too many are chosen for one request or none is readable.
async fn read(
    files: Vec<web_sys::File>,
    (w, h, c): (usize, usize, usize),
    requests: &Rc<RefCell<Requests>>,
) -> Result<(Message, Vec<u8>, u32), Text> {
    let images: Vec<web_sys::File> = files.into_iter().filter(|f| imagelab_core::data::import::looks_like_image(&f.name())).collect();
    let most = competition::most_images(w, h, c);
    if images.len() > most {
        return Err(text::SUBMIT_TOO_MANY.followed_by(most));
    }
    let (mut names, mut pixels, mut unreadable, mut twice) = (Vec::new(), Vec::new(), Vec::new(), Vec::<Text>::new());
    let mut seen = Names::default();
    for file in images {
        let name = file.name();
        if let Err(why) = seen.admit(&name) {
            twice.push(why);
            continue;
        }
        let px = match crate::blobs::prepare(&file, crate::blobs::mime_of(&name)).await {
            Ok(stored) => crate::blobs::input_of(&stored.blob, w, h, c).await.ok(),
            Err(_) => None,
        };
        match px {
            Some(px) => {
                names.push(name);
                pixels.extend(px);
            }
            None => unreadable.push(name),
        }
    }
    if names.is_empty() {
        return Err(text::SUBMIT_NONE.into());
    }
    let mut said: Vec<Text> = Vec::new();
    if !unreadable.is_empty() {
        said.push(text::SUBMIT_SKIPPED.followed_by(unreadable.join(", ")));
    }
    said.extend(twice);
    let message = (!said.is_empty()).then(|| {
        let join = |f: fn(&Text) -> &str, sep| said.iter().map(f).collect::<Vec<_>>().join(sep);
        (Text::new(join(|t| &t.ja, "。"), join(|t| &t.en, ". ")), true)
    });
    let id = requests.borrow_mut().send(names);
    Ok((message, pixels, id))
}
