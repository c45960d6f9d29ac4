//! The page's end of the training worker: spawns `worker-loader.js` as a dedicated Web Worker,
//! sends postcard-encoded [`ToWorker`] messages and turns everything that comes back — answers,
//! load failures, crashes — into [`WorkerEvent`]s, so the page can always say what happened.
//!
//! (yew-agent's bridge was the plan, but it exposes no `onerror` and panics when a worker
//! cannot be created, so a crashed or missing worker would leave the page waiting forever.)

use crate::error::PageError;
use imagelab_core::session::protocol::{FromWorker, ToWorker};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The worker's script, next to `index.html`.
pub const WORKER_URL: &str = "./worker-loader.js";

/// The URL the worker is started from: [`WORKER_URL`], with the page's `?simd=0` passed on (it
/// makes the loader take the build without WebAssembly SIMD; tests and benchmarks run the
/// fallback with it in a browser that has SIMD).
fn worker_url() -> String {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let plain = search.trim_start_matches('?').split('&').any(|kv| kv == "simd=0");
    if plain { format!("{WORKER_URL}?simd=0") } else { WORKER_URL.to_string() }
}

/// What the worker did.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerEvent {
    /// A protocol message.
    Message(FromWorker),
    /// The worker failed to load or crashed.
    Crashed(PageError),
}

/// A running worker. Dropping it terminates the worker.
pub struct WorkerHandle {
    worker: Worker,
    /// Encoded messages waiting for the worker's `Loaded`; `None` once it has arrived.
    pending: Rc<RefCell<Option<Vec<Vec<u8>>>>>,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(ErrorEvent)>,
}

impl WorkerHandle {
    /// Starts the worker; `on_event` receives everything it does.
    pub fn spawn(on_event: impl Fn(WorkerEvent) + Clone + 'static) -> Result<Self, PageError> {
        let worker = Worker::new(&worker_url()).map_err(|e| PageError::from_js(&e))?;
        let pending: Rc<RefCell<Option<Vec<Vec<u8>>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let emit = on_event.clone();
        let (queue, target) = (pending.clone(), worker.clone());
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| match decode(event.data()) {
            WorkerEvent::Message(FromWorker::Loaded) => {
                let queued: Vec<Vec<u8>> = queue.borrow_mut().take().unwrap_or_default();
                for bytes in queued {
                    if let Err(e) = post_bytes(&target, &bytes) {
                        emit(WorkerEvent::Crashed(e));
                    }
                }
            }
            other => emit(other),
        });
        let emit = on_event;
        let onerror = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let msg = event.message();
            emit(WorkerEvent::Crashed(if msg.is_empty() { PageError::WorkerSilent } else { PageError::Browser(msg) }));
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        Ok(WorkerHandle { worker, pending, _onmessage: onmessage, _onerror: onerror })
    }

    /// Sends a message, or queues it until the worker has loaded.
    pub fn send(&self, msg: &ToWorker) -> Result<(), PageError> {
        let bytes = postcard::to_allocvec(msg).map_err(|e| PageError::Message(e.to_string()))?;
        if let Some(queue) = self.pending.borrow_mut().as_mut() {
            queue.push(bytes);
            return Ok(());
        }
        post_bytes(&self.worker, &bytes)
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        // Unhook first: an event of this worker already queued (a crash report) must not reach
        // the closures freed with this handle.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// Posts bytes as a transferred ArrayBuffer (moved, not copied).
fn post_bytes(worker: &Worker, bytes: &[u8]) -> Result<(), PageError> {
    let array = js_sys::Uint8Array::from(bytes);
    let transfer = js_sys::Array::of1(&array.buffer());
    worker.post_message_with_transfer(&array.buffer(), &transfer).map_err(|e| PageError::from_js(&e))
}

fn decode(data: JsValue) -> WorkerEvent {
    if data.is_instance_of::<js_sys::ArrayBuffer>() {
        let bytes = js_sys::Uint8Array::new(&data).to_vec();
        return match postcard::from_bytes::<FromWorker>(&bytes) {
            Ok(msg) => WorkerEvent::Message(msg),
            Err(e) => WorkerEvent::Crashed(PageError::WorkerMessage(e.to_string())),
        };
    }
    // The loader script reports a failed wasm start as `{ loadError: "..." }`.
    let load_error = js_sys::Reflect::get(&data, &"loadError".into()).ok();
    match load_error.and_then(|v| v.as_string()) {
        Some(text) => WorkerEvent::Crashed(PageError::Browser(text)),
        None => WorkerEvent::Crashed(PageError::WorkerUnexpected),
    }
}
