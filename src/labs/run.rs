//! The training lab's run and the worker that trains it: the run's state
//! (`imagelab_core::session::run_state::RunState`, tested natively) as a reducer fed by the
//! worker's messages, and [`RunHandle`], the one way the lab talks to the worker — start, stop,
//! resume, load a model, ask it to predict or look inside. A GPU run whose worker crashes (or
//! whose device fails) continues on the CPU in a new worker here, out of the lab's sight.

use crate::assets::DataState;
use crate::bridge::{WorkerEvent, WorkerHandle};
use crate::error::PageError;
use crate::text;
use imagelab_core::data::dataset::Dataset;
use imagelab_core::i18n::Text;
use imagelab_core::nn::architecture::{InputShape, Shape};
use imagelab_core::nn::experiment::TrainConfig;
use imagelab_core::session::protocol::{DevicePreference, ToWorker};
use imagelab_core::session::run_state::{Phase, RunState};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Actions on the run state.
pub enum RunAction {
    Start,
    Resume,
    StopRequested,
    /// An event of worker number `.0` (events of a worker since replaced are dropped).
    Worker(u64, WorkerEvent),
    /// Worker number `.0` is now the one in use.
    UseWorker(u64),
    /// A message could not be sent to the worker in use.
    SendFailed(PageError),
    Fail(Text),
    /// Other data: the finished run's predictions point into the old data.
    Reset,
}

/// The run's state, and the number of the worker whose events count.
#[derive(Clone, PartialEq, Default)]
pub struct Run(pub RunState, u64);

impl Reducible for Run {
    type Action = RunAction;
    fn reduce(self: Rc<Self>, action: RunAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            RunAction::Start => s.0 = RunState::starting(),
            RunAction::Resume => s.0.resume(),
            RunAction::StopRequested => s.0.stop_requested(),
            RunAction::Worker(id, _) if id != s.1 => return self,
            RunAction::Worker(_, WorkerEvent::Message(msg)) => s.0.apply(msg),
            // A crashed worker: a GPU run continues on the CPU (see [`use_run`]).
            RunAction::Worker(_, WorkerEvent::Crashed(why)) | RunAction::SendFailed(why) => {
                s.0.device_lost(why.text(), Text::new(text::WORKER_FAILED.0, text::WORKER_FAILED.1));
            }
            RunAction::UseWorker(id) => {
                s.1 = id;
                s.0.worker_replaced();
            }
            RunAction::Fail(t) => s.0.fail(t),
            RunAction::Reset => {
                if matches!(s.0.phase, Phase::Idle | Phase::Finished { .. }) {
                    s.0 = RunState::default();
                }
            }
        }
        Rc::new(s)
    }
}

/// Starts a worker whose events reach `run` under a new number, so that news of a worker it
/// replaces (a crash reported after its last message) is dropped.
fn spawn_worker(run: &UseReducerHandle<Run>) -> Result<WorkerHandle, PageError> {
    thread_local! {
        static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
    }
    let id = NEXT.with(|n| n.replace(n.get() + 1));
    run.dispatch(RunAction::UseWorker(id));
    let dispatcher = run.dispatcher();
    WorkerHandle::spawn(move |ev| dispatcher.dispatch(RunAction::Worker(id, ev)))
}

/// The test hook `?lose-gpu-at=N` (tests and demonstrations): a WebGPU run's worker crashes
/// before step N, as when the browser's GPU process dies, and the run continues on the CPU; with
/// `&lose-gpu-by=destroy`, WebGPU's `device.destroy()` is called on its device instead. N = 0: a
/// transfer-learning run's device, once its backbone is there and before its features.
fn lose_gpu_at() -> Option<(usize, bool)> {
    let search = web_sys::window()?.location().search().ok()?;
    let query = search.trim_start_matches('?');
    let step = query.split('&').find_map(|kv| kv.strip_prefix("lose-gpu-at=")?.parse().ok())?;
    Some((step, query.split('&').any(|kv| kv == "lose-gpu-by=destroy")))
}

/// The run in view and its worker, as the lab holds them (cloned into callbacks).
#[derive(Clone)]
pub struct RunHandle {
    run: UseReducerHandle<Run>,
    worker: Rc<RefCell<Option<WorkerHandle>>>,
    /// The data the run (or loaded model) in view was judged on: its predictions index into it,
    /// even if other data is chosen meanwhile.
    data: Rc<RefCell<Option<Rc<Dataset>>>>,
    /// The name and input size of the data the running run trains on (for the comparison table).
    name: Rc<RefCell<Option<(String, String)>>>,
}

impl std::ops::Deref for RunHandle {
    type Target = RunState;
    fn deref(&self) -> &RunState {
        &self.run.0
    }
}

impl RunHandle {
    /// Sends a message to the worker: `false` when there is none or it could not be sent (the
    /// run then says why).
    pub fn send(&self, msg: ToWorker) -> bool {
        match self.worker.borrow().as_ref().map(|w| w.send(&msg)) {
            Some(Ok(())) => true,
            Some(Err(e)) => {
                self.run.dispatch(RunAction::SendFailed(e));
                false
            }
            None => false,
        }
    }

    /// [`Self::send`] as a callback, for the components that ask the worker themselves.
    pub fn sender(&self) -> Callback<ToWorker, bool> {
        let this = self.clone();
        Callback::from(move |msg| this.send(msg))
    }

    /// Sends without caring whether it arrives (live frames, looks inside, a stop): a missing
    /// worker has nothing to answer, and a dead one is reported by its crash.
    pub fn tell(&self, msg: ToWorker) {
        if let Some(w) = self.worker.borrow().as_ref() {
            let _ = w.send(&msg);
        }
    }

    /// The run fails with `why` (shown in the run's notice).
    pub fn fail(&self, why: Text) {
        self.run.dispatch(RunAction::Fail(why));
    }

    /// A worker to talk to: the current one, or a new one (`replace`: always new, as when a
    /// run is still going or a worker crashed). `false` when none could be started (the run
    /// says why).
    fn ensure_worker(&self, replace: bool) -> bool {
        if !replace && self.worker.borrow().is_some() {
            return true;
        }
        match spawn_worker(&self.run) {
            Ok(h) => {
                *self.worker.borrow_mut() = Some(h);
                true
            }
            Err(e) => {
                self.fail(text::WORKER_UNSUPPORTED.because(&e));
                false
            }
        }
    }

    /// Starts one run with `config` on `d` (named `name`) and `device`: a crashed worker is
    /// replaced, a healthy idle one reused; `started` is called once there is a worker, before
    /// the run is sent to it. Nothing starts when the settings do not fit the data or no worker
    /// can be started (the run says why).
    pub fn start(&self, config: TrainConfig, d: &Rc<Dataset>, name: &str, device: DevicePreference, started: impl FnOnce()) {
        let input = Shape::Image(InputShape { channels: d.channels, height: d.height, width: d.width });
        if let Err(e) = config.validate().and_then(|_| config.model.summary(input, d.num_classes()).map(|_| ())) {
            self.fail(e.text());
            return;
        }
        let needs_new = !matches!(self.run.0.phase, Phase::Idle | Phase::Finished { .. });
        self.run.dispatch(RunAction::Start);
        if !self.ensure_worker(needs_new) {
            return;
        }
        started();
        *self.data.borrow_mut() = Some(d.clone());
        *self.name.borrow_mut() = Some((name.to_owned(), format!("{}×{}×{}", d.width, d.height, d.channels)));
        if let Some((step, destroy)) = lose_gpu_at() {
            self.tell(ToWorker::LoseDeviceAt { step, destroy });
        }
        self.send(ToWorker::Train { config, dataset: (**d).clone(), device });
    }

    /// Loads model-file bytes into the worker (starting one if there is none), to be judged on `d`.
    pub fn load(&self, bytes: Vec<u8>, d: &Rc<Dataset>, config: TrainConfig) {
        *self.data.borrow_mut() = Some(d.clone());
        if self.ensure_worker(false) {
            self.send(ToWorker::LoadModel { bytes, dataset: (**d).clone(), config });
        }
    }

    /// Asks the run to stop (it ends at the worker's next step).
    pub fn stop(&self) {
        self.run.dispatch(RunAction::StopRequested);
        self.tell(ToWorker::Stop);
    }

    /// Resumes a stopped run in its worker (nothing without one); `resumed` is called first.
    pub fn resume(&self, resumed: impl FnOnce()) {
        if self.worker.borrow().is_none() {
            return;
        }
        resumed();
        self.run.dispatch(RunAction::Resume);
        self.send(ToWorker::Resume);
    }

    /// The data the results in view were judged on, else `current`.
    pub fn shown(&self, current: &DataState) -> DataState {
        self.data.borrow().clone().map(DataState::Ready).unwrap_or_else(|| current.clone())
    }

    /// The data the results in view were judged on, if any.
    pub fn data(&self) -> Option<Rc<Dataset>> {
        self.data.borrow().clone()
    }

    /// The name and input size of the data the last run started on.
    pub fn data_name(&self) -> (String, String) {
        self.name.borrow().clone().unwrap_or_default()
    }
}

/// The run and its worker for the training lab on `data`. Other data resets a finished run
/// (its predictions point into the old data). `running` is the configuration of the run in
/// progress: a GPU run whose worker crashes or whose device fails continues with it on the CPU,
/// from the last checkpoint, in a new worker.
#[hook]
pub fn use_run(data: &DataState, running: Option<TrainConfig>) -> RunHandle {
    let run = use_reducer(Run::default);
    let handle = RunHandle {
        run: run.clone(),
        worker: use_mut_ref(|| None::<WorkerHandle>),
        data: use_mut_ref(|| None::<Rc<Dataset>>),
        name: use_mut_ref(|| None::<(String, String)>),
    };
    {
        let handle = handle.clone();
        let idle = matches!(run.0.phase, Phase::Idle | Phase::Finished { .. } | Phase::Failed(_));
        use_effect_with(data.clone(), move |_| {
            if idle {
                *handle.data.borrow_mut() = None;
            }
            handle.run.dispatch(RunAction::Reset)
        });
    }
    {
        let handle = handle.clone();
        let pending = run.0.continuation.clone();
        use_effect_with(pending.as_ref().map(|(n, _, _)| *n), move |_| {
            let Some((_, checkpoint, reason)) = pending else { return };
            let (Some(config), Some(data)) = (running, handle.data()) else { return };
            let stopping = handle.run.0.phase == Phase::Stopping;
            // Dropping the old handle ends the old worker.
            *handle.worker.borrow_mut() = None;
            if handle.ensure_worker(true) {
                let msg = ToWorker::Continue { config, dataset: (*data).clone(), checkpoint: (*checkpoint).clone(), reason };
                // Stop was pressed before the GPU went: the new worker stops at once.
                if handle.send(msg) && stopping {
                    handle.send(ToWorker::Stop);
                }
            }
        });
    }
    handle
}
