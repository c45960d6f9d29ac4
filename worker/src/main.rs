//! The training worker's entry point: a dedicated Web Worker that receives postcard-encoded
//! [`ToWorker`] messages and answers with [`FromWorker`] messages (see `docs/PROTOCOL.md`).

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#[cfg(target_arch = "wasm32")]
mod web {
    use burn::prelude::Device;
    use imagelab_core::data::dataset::Dataset;
    use imagelab_core::i18n::Text;
    use imagelab_core::nn::architecture::InputShape;
    use imagelab_core::nn::backbone::{self, EfficientNetLite0, EfficientNetLite0Config};
    use imagelab_core::nn::experiment::TrainConfig;
    use imagelab_core::nn::inspect::{inspect, predict};
    use imagelab_core::nn::metrics::ConfusionMatrix;
    use imagelab_core::nn::metrics::Prediction;
    use imagelab_core::nn::modelfile::BackboneRef;
    use imagelab_core::nn::modelfile::{self, ModelMeta};
    use imagelab_core::nn::train::Trainer;
    use imagelab_core::nn::transfer::{self, FeatureTable};
    use imagelab_core::session::protocol::Preparation;
    use imagelab_core::session::protocol::{Backend, Checkpoint, DevicePreference, FoldResult, FromWorker, ToWorker};
    use imagelab_worker::Selected;
    use imagelab_worker::select_device;
    use std::cell::Cell;
    use std::rc::Rc;
    use std::sync::Arc;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Milliseconds, sub-millisecond where the browser allows (batch preparation takes ~1 ms).
    fn now() -> f64 {
        scope().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
    }

    /// Sends one message to the page as a transferred ArrayBuffer.
    pub fn post(msg: &FromWorker) {
        match postcard::to_allocvec(msg) {
            Ok(bytes) => {
                let array = js_sys::Uint8Array::from(bytes.as_slice());
                let transfer = js_sys::Array::of1(&array.buffer());
                let _ = scope().post_message_with_transfer(&array.buffer(), &transfer);
            }
            Err(e) => web_sys::console::error_1(&format!("cannot encode a message: {e}").into()),
        }
    }

    fn fail(message: Text) {
        post(&FromWorker::Failed { message });
    }

    /// A side request failed: said in words, the training run is untouched.
    fn request_failed(message: Text) {
        post(&FromWorker::RequestFailed { message });
    }

    fn last_model() -> Option<Last> {
        MODELS.with(|m| m.borrow().last().cloned().flatten())
    }

    thread_local! {
        static STOP: Rc<Cell<bool>> = Rc::new(Cell::new(false));
        static RUNNING: Cell<bool> = const { Cell::new(false) };
        /// The trained networks of the latest run, one per fold (hold-out and a loaded file:
        /// one), for `Inspect`, `Predict` and `SaveModel` (which use the last).
        /// Indexed by fold: a fold trained in a worker whose GPU was lost has `None` here.
        static MODELS: std::cell::RefCell<Vec<Option<Last>>> = const { std::cell::RefCell::new(Vec::new()) };
        /// Whether a run is training on the GPU (a panic then is the GPU's loss, not the end).
        static ON_GPU: Cell<bool> = const { Cell::new(false) };
        /// The pretrained backbone, once fetched, checked and loaded (on the CPU).
        static BACKBONE: std::cell::RefCell<Option<EfficientNetLite0>> = const { std::cell::RefCell::new(None) };
        /// The same backbone moved to the WebGPU device of a run, once (see [`backbone_on`]).
        static BACKBONE_GPU: std::cell::RefCell<Option<(Device, EfficientNetLite0)>> = const { std::cell::RefCell::new(None) };
        /// The test hook `LoseDeviceAt`: the step of the next GPU run before which the GPU is
        /// lost, and whether by destroying the device (else the worker crashes).
        static LOSE_AT: Cell<Option<(usize, bool)>> = const { Cell::new(None) };
    }

    pub fn start() {
        // A panic ends the worker; tell the page in words first.
        std::panic::set_hook(Box::new(|info| {
            let detail = info.to_string();
            web_sys::console::error_1(&detail.clone().into());
            let message = Text::new(format!("学習ワーカーが異常終了しました: {detail}"), format!("The training worker crashed: {detail}"));
            // During a GPU run the page continues it on the CPU from its last checkpoint.
            if ON_GPU.with(|g| g.get()) {
                post(&FromWorker::Crashed { message });
            } else {
                fail(message);
            }
        }));
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            match postcard::from_bytes::<ToWorker>(&bytes) {
                Ok(msg) => receive(msg),
                Err(e) => fail(Text::new(
                    format!("ワーカーへのメッセージを読めませんでした: {e}"),
                    format!("A message to the worker could not be read: {e}"),
                )),
            }
        });
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        post(&FromWorker::Loaded);
    }

    /// A network with what is needed to use and save it.
    #[derive(Clone)]
    struct Last {
        net: imagelab_core::nn::model::Net,
        device: burn::prelude::Device,
        meta: ModelMeta,
    }

    fn receive(msg: ToWorker) {
        match msg {
            ToWorker::Stop => STOP.with(|s| s.set(true)),
            ToWorker::LoseDeviceAt { step, destroy } => LOSE_AT.with(|l| l.set(Some((step, destroy)))),
            ToWorker::Continue { config, dataset, checkpoint, reason } => {
                begin(move |stop| continue_on_cpu(config, dataset, checkpoint, reason, stop));
            }
            ToWorker::SaveModel => {
                let Some(last) = last_model() else {
                    request_failed(Text::new(
                        "保存するモデルがありません。先に学習してください。",
                        "There is no model to save; train one first.",
                    ));
                    return;
                };
                wasm_bindgen_futures::spawn_local(async move {
                    match modelfile::save(&last.net, &last.meta).await {
                        Ok(bytes) => post(&FromWorker::ModelFile(bytes)),
                        Err(e) => request_failed(e.text()),
                    }
                });
            }
            ToWorker::LoadModel { bytes, dataset, config } => {
                // Loading may take a while (a transfer model's features): no run starts meanwhile.
                if RUNNING.with(|r| r.replace(true)) {
                    request_failed(Text::new(
                        "学習中は読み込めません。止めてからにしてください。",
                        "Stop training before loading a model.",
                    ));
                    return;
                }
                let stop = STOP.with(|s| {
                    s.set(false);
                    s.clone()
                });
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(message) = load_model(bytes, dataset, config, &stop).await {
                        request_failed(message);
                    }
                    RUNNING.with(|r| r.set(false));
                });
            }
            ToWorker::Predict { pixels } => {
                let Some(last) = last_model() else {
                    request_failed(Text::new("先に学習するか、モデルを読み込んでください。", "Train or load a model first."));
                    return;
                };
                wasm_bindgen_futures::spawn_local(async move {
                    if last.meta.backbone.is_some() {
                        match predict_transfer(&last, &pixels, 1).await {
                            Ok(logits) => post(&FromWorker::Predicted { probabilities: imagelab_core::nn::metrics::softmax(&logits) }),
                            Err(e) => request_failed(e),
                        }
                        return;
                    }
                    match predict(&last.net, last.meta.input(), &pixels, &last.device).await {
                        Ok(probabilities) => post(&FromWorker::Predicted { probabilities }),
                        Err(e) => request_failed(e.text()),
                    }
                });
            }
            ToWorker::Backprop(request) => match imagelab_core::lesson::concepts::backprop(&request) {
                Ok(result) => post(&FromWorker::Backprop(result)),
                Err(e) => request_failed(e.text()),
            },
            ToWorker::PredictAll { id, pixels } => {
                let Some(last) = last_model() else {
                    request_failed(Text::new("先に学習するか、モデルを読み込んでください。", "Train or load a model first."));
                    return;
                };
                wasm_bindgen_futures::spawn_local(async move {
                    if last.meta.backbone.is_some() {
                        let per = last.meta.input();
                        let n = pixels.len() / (per.channels * per.height * per.width).max(1);
                        match predict_transfer(&last, &pixels, n).await {
                            Ok(logits) => {
                                let classes = last.meta.class_names.len();
                                let labels = logits.chunks(classes).map(|r| imagelab_core::nn::metrics::argmax(r) as u32).collect();
                                post(&FromWorker::PredictedAll { id, labels });
                            }
                            Err(e) => request_failed(e),
                        }
                        return;
                    }
                    match imagelab_core::nn::inspect::predict_all(&last.net, last.meta.input(), &pixels, &last.device).await {
                        Ok(labels) => post(&FromWorker::PredictedAll { id, labels }),
                        Err(e) => request_failed(e.text()),
                    }
                });
            }
            ToWorker::Inspect { index, fold, pixels } => {
                // The image is looked at through the model that validated it (K-fold: its fold's).
                let Some(entry) = MODELS.with(|m| m.borrow().get(fold).cloned()) else {
                    request_failed(Text::new("先に学習してください。", "Train a model first."));
                    return;
                };
                let Some(last) = entry else {
                    request_failed(Text::new(
                        format!("第 {} 分割のネットワークは、使えなくなった GPU とともに失われました。", fold + 1),
                        format!("Fold {}'s network was lost with the GPU.", fold + 1),
                    ));
                    return;
                };
                if let Some(b) = last.meta.backbone.clone() {
                    // Inside a transfer model: the backbone's filters and maps, then the head.
                    wasm_bindgen_futures::spawn_local(async move {
                        let s = last.meta.input();
                        let answer = async {
                            let net = backbone_on(&last.device, None).await?;
                            transfer::inspect(&net, &last.net, b.size, (s.width, s.height, s.channels), index, &pixels, &last.device)
                                .await
                                .map_err(|e| e.text())
                        };
                        match answer.await {
                            Ok(inspection) => post(&FromWorker::Inspected(inspection)),
                            Err(message) => request_failed(message),
                        }
                    });
                    return;
                }
                wasm_bindgen_futures::spawn_local(async move {
                    match inspect(&last.net, last.meta.input(), index, &pixels, &last.device).await {
                        Ok(inspection) => post(&FromWorker::Inspected(inspection)),
                        Err(e) => request_failed(e.text()),
                    }
                });
            }
            ToWorker::Table { design, config } => {
                // Synchronous (a table lab has a worker of its own; its stop button ends it).
                let outcome = imagelab_core::table::run::splits(&design, config.validation, config.seed).and_then(|splits| {
                    imagelab_core::table::run::evaluate(&design, &splits, &config.model, config.seed, &mut |fold, point| {
                        post(&FromWorker::TableEpoch { fold, point: *point });
                        true
                    })
                });
                match outcome {
                    Ok(o) => post(&FromWorker::Table(o)),
                    Err(e) => request_failed(e.0),
                }
            }
            ToWorker::Classical { dataset, config, feature, task, sample } => match classical(&dataset, &config, feature, task, sample) {
                Ok(result) => post(&FromWorker::Classical(result)),
                Err(e) => request_failed(e.text()),
            },
            ToWorker::ImageNet { width, height, rgb } => {
                let max = imagelab_core::session::protocol::MAX_IMAGENET_SIDE;
                if width == 0 || height == 0 || width > max || height > max || rgb.len() != width * height * 3 {
                    request_failed(Text::new("写真の大きさが正しくありません。", "The photo's size is wrong."));
                    return;
                }
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = async {
                        let net = backbone_net(None).await?;
                        let img = imagelab_core::data::augment::Image::from_hwc(width, height, 3, &rgb);
                        let top = transfer::imagenet_top(&net, &img, 224, 5, &burn::prelude::Device::flex()).await.map_err(|e| e.text())?;
                        Ok::<_, Text>(top.into_iter().map(|(i, p)| (backbone::imagenet_label(i).to_owned(), p)).collect())
                    };
                    match answer.await {
                        Ok(top) => post(&FromWorker::ImageNet { top }),
                        Err(message) => request_failed(message),
                    }
                });
            }
            ToWorker::Train { config, dataset, device } => begin(|stop| async move { run(config, dataset, device, stop).await }),
            ToWorker::Resume => match PAUSED.with(|p| p.borrow_mut().take()) {
                Some(session) => begin(|stop| async move { drive(session, stop).await }),
                None => fail(Text::new("続きから再開できる学習がありません。", "There is no stopped run to resume.")),
            },
        }
    }

    /// A classical-model request: features of every image, the training lab's splits, then a fit
    /// or a depth sweep (synchronous: the comparison lab has a worker of its own).
    fn classical(
        dataset: &imagelab_core::data::dataset::Dataset,
        config: &imagelab_core::nn::experiment::TrainConfig,
        feature: imagelab_core::classical::FeatureKind,
        task: imagelab_core::session::protocol::ClassicalTask,
        sample: usize,
    ) -> Result<imagelab_core::session::protocol::ClassicalResult, imagelab_core::CoreError> {
        use imagelab_core::classical as c;
        use imagelab_core::session::protocol::{ClassicalResult, ClassicalTask};
        let start = now();
        let (rows, dim) = c::feature_rows(dataset, feature)?;
        let features_ms = now() - start;
        let splits = config.splits(&dataset.labels, dataset.num_classes())?;
        let sample = sample.min(dataset.len().saturating_sub(1));
        let sample_features = rows.get(sample * dim..(sample + 1) * dim).map(<[f32]>::to_vec).unwrap_or_default();
        let mut result = ClassicalResult { feature, task, dim, sample_features, features_ms, outcome: None, sweep: Vec::new() };
        match task {
            ClassicalTask::Fit(model) => {
                result.outcome = Some(c::evaluate_splits(&rows, dim, &dataset.labels, &splits, model, &now)?);
            }
            ClassicalTask::SweepDepth { min_samples_leaf, max_depth } => {
                let depths: Vec<Option<usize>> = (1..=max_depth.clamp(1, 40)).map(Some).chain([None]).collect();
                result.sweep = c::sweep_splits(&rows, dim, &dataset.labels, &splits, &depths, min_samples_leaf)?;
            }
        }
        Ok(result)
    }

    /// Scores of `n` images (HWC pixels of the model's input size, one after another) by a
    /// transfer-learning model: the backbone, then its head.
    async fn predict_transfer(last: &Last, pixels: &[u8], n: usize) -> Result<Vec<f32>, Text> {
        let Some(b) = &last.meta.backbone else { unreachable!("only called for transfer models") };
        let net = backbone_on(&last.device, None).await?;
        let s = last.meta.input();
        let per = s.channels * s.height * s.width;
        if n == 0 || pixels.len() != n * per {
            return Err(Text::new("画像の大きさがモデルと合いません。", "The image size does not fit the model."));
        }
        let images: Vec<&[u8]> = pixels.chunks(per).collect();
        transfer::predict(&net, &last.net, b.size, (s.width, s.height, s.channels), &images, &last.device).await.map_err(|e| e.text())
    }

    /// The shipped backbone on `device`: [`backbone_net`]'s, moved to a WebGPU device the first
    /// time a run there needs it (the model, its images and the backbone must share a device).
    async fn backbone_on(device: &Device, stop: Option<&Cell<bool>>) -> Result<EfficientNetLite0, Text> {
        let net = backbone_net(stop).await?;
        if *device == Device::flex() {
            return Ok(net);
        }
        if let Some(moved) = BACKBONE_GPU.with(|b| b.borrow().as_ref().filter(|(d, _)| d == device).map(|(_, n)| n.clone())) {
            return Ok(moved);
        }
        let moved = burn::module::Module::to_device(net, device);
        BACKBONE_GPU.with(|b| *b.borrow_mut() = Some((device.clone(), moved.clone())));
        Ok(moved)
    }

    /// The shipped backbone, fetched from the app's own origin (`models/…`, beside the worker)
    /// the first time, with its bytes reported as `Preparing`, checked against its checksum and
    /// loaded on the CPU; kept for the worker's life. `stop` ends the download.
    async fn backbone_net(stop: Option<&Cell<bool>>) -> Result<EfficientNetLite0, Text> {
        if let Some(net) = BACKBONE.with(|b| b.borrow().clone()) {
            return Ok(net);
        }
        let bytes = fetch_backbone(stop).await?;
        let net = backbone::load_burnpack(&bytes, &EfficientNetLite0Config::new(), &burn::prelude::Device::flex()).map_err(|e| e.text())?;
        BACKBONE.with(|b| *b.borrow_mut() = Some(net.clone()));
        Ok(net)
    }

    async fn fetch_backbone(stop: Option<&Cell<bool>>) -> Result<Vec<u8>, Text> {
        use wasm_bindgen_futures::JsFuture;
        let total = backbone::SHIPPED_BYTES;
        let unreachable = |detail: String| {
            Text::new(
                format!(
                    "事前学習済みネットワーク（{}、{:.1} MB）を取得できません: {detail}。ネットワークにつないで、もう一度始めてください。ほかのモデルはこのまま使えます。",
                    backbone::SHIPPED_FILE,
                    total as f64 / 1e6
                ),
                format!(
                    "The pretrained network ({}, {:.1} MB) cannot be fetched: {detail}. Connect to the network and start again; the other models still work.",
                    backbone::SHIPPED_FILE,
                    total as f64 / 1e6
                ),
            )
        };
        let js = |e: JsValue| format!("{e:?}");
        let url = format!("models/{}", backbone::SHIPPED_FILE);
        let response: web_sys::Response =
            JsFuture::from(scope().fetch_with_str(&url)).await.map_err(|e| unreachable(js(e)))?.unchecked_into();
        if !response.ok() {
            return Err(unreachable(format!("HTTP {}", response.status())));
        }
        let body = response.body().ok_or_else(|| unreachable("no body".into()))?;
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        let mut bytes = Vec::with_capacity(total);
        let mut posted = 0;
        post(&FromWorker::Preparing { stage: Preparation::Download, done: 0, total });
        loop {
            if stop.is_some_and(Cell::get) {
                let _ = reader.cancel();
                return Err(Text::new(
                    "準備の途中で止めました（学習は始まっていません）。もう一度「学習開始」で始められます。",
                    "Stopped while preparing (training had not begun). Press Train to start again.",
                ));
            }
            let chunk = JsFuture::from(reader.read()).await.map_err(|e| unreachable(js(e)))?;
            if js_sys::Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
                break;
            }
            let value: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into()).map_err(|e| unreachable(js(e)))?.unchecked_into();
            bytes.extend(value.to_vec());
            if bytes.len() > total {
                break;
            }
            if bytes.len() - posted >= 256 * 1024 {
                posted = bytes.len();
                post(&FromWorker::Preparing { stage: Preparation::Download, done: posted, total });
            }
        }
        post(&FromWorker::Preparing { stage: Preparation::Download, done: bytes.len().min(total), total });
        if bytes.len() != total || backbone::sha256_hex(&bytes) != backbone::SHIPPED_SHA256 {
            return Err(Text::new(
                format!(
                    "事前学習済みネットワークのファイルが壊れているか、途中で切れています（{} / {total} バイト、チェックサム不一致）。ページを再読み込みして、もう一度始めてください。ほかのモデルはこのまま使えます。",
                    bytes.len()
                ),
                format!(
                    "The pretrained network's file is damaged or cut short ({} of {total} bytes, checksum mismatch). Reload the page and start again; the other models still work.",
                    bytes.len()
                ),
            ));
        }
        Ok(bytes)
    }

    /// The features of every image and how long they took (ms; the backbone's loading not
    /// included), or why the device failed computing them (its error's words).
    type Features = Result<(Arc<FeatureTable>, f64), String>;

    /// The backbone's features of every image of `data` (and their augmented versions) on
    /// `device`, with progress posted as `Preparing`; `stop` ends it. A failing device is the
    /// inner error, for the caller to decide.
    async fn features_of(data: &Dataset, config: &TrainConfig, stop: &Cell<bool>, device: &Device) -> Result<Features, Text> {
        let Some(t) = config.transfer else { unreachable!("only called for transfer runs") };
        let net = backbone_on(device, Some(stop)).await?;
        // The test hook at step 0: the GPU is lost once the backbone is on it, before the features.
        if *device != Device::flex() {
            lose_gpu_if_due(0);
        }
        let started = now();
        let mut last_yield = now();
        let table = transfer::extract(&net, data, &t, &config.augment, config.seed, device, |done, total| {
            post(&FromWorker::Preparing { stage: Preparation::Features, done, total });
            let due = now() - last_yield > 30.0;
            if due {
                last_yield = now();
            }
            async move {
                if due {
                    gloo_timers::future::TimeoutFuture::new(0).await;
                }
                !stop.get()
            }
        })
        .await;
        match table {
            Ok(table) => Ok(Ok((Arc::new(table), now() - started))),
            Err(imagelab_core::CoreError::Device(detail)) => Ok(Err(detail)),
            Err(imagelab_core::CoreError::BadSetting { name: "stopped", .. }) => Err(Text::new(
                "準備の途中で止めました（学習は始まっていません）。もう一度「学習開始」で始められます。",
                "Stopped while preparing (training had not begun). Press Train to start again.",
            )),
            Err(e) => Err(e.text()),
        }
    }

    /// The features of every image on a run's device, a run's own decision: on the CPU, as
    /// [`features_of`] computes them, the run trains on the CPU; on WebGPU, a failed device is
    /// the GPU's loss before training began, and the features are computed again on the CPU.
    async fn features_for(
        data: &Dataset,
        config: &TrainConfig,
        stop: &Cell<bool>,
        selected: Selected,
    ) -> Result<(Selected, Arc<FeatureTable>, f64), Text> {
        match features_of(data, config, stop, &selected.device).await? {
            Ok((table, ms)) => Ok((selected, table, ms)),
            Err(detail) if selected.backend != Backend::Cpu => {
                // The same worker's later runs must not pick the failed device again.
                imagelab_worker::forget_webgpu(&detail);
                BACKBONE_GPU.with(|b| b.borrow_mut().take());
                let detail = imagelab_core::error::device_detail(&detail);
                let reason = Text::new(
                    format!("WebGPU で特徴を計算できなかったため（{detail}）、CPU で計算して学習します。"),
                    format!("WebGPU failed while computing the features ({detail}), so they are computed and the run trains on the CPU."),
                );
                let cpu = imagelab_worker::cpu(Some(reason));
                let (table, ms) = features_of(data, config, stop, &cpu.device).await?.map_err(device_failed)?;
                Ok((cpu, table, ms))
            }
            Err(detail) => Err(device_failed(detail)),
        }
    }

    /// The test hook `LoseDeviceAt`: when its step is `step`, the GPU is lost now, once — WebGPU's
    /// `device.destroy()` (the device's next work fails: what follows is the worker's own
    /// handling of a lost device), or the worker crashes.
    fn lose_gpu_if_due(step: usize) {
        if LOSE_AT.with(|l| l.get()).is_some_and(|(s, _)| s == step) {
            let destroy = LOSE_AT.with(|l| l.take()).is_some_and(|(_, d)| d);
            if !(destroy && imagelab_worker::destroy_webgpu()) {
                panic!("the GPU was lost (simulated by the test hook LoseDeviceAt)");
            }
        }
    }

    /// A device's failure in both languages, its chain of causes on one line.
    fn device_failed(detail: String) -> Text {
        imagelab_core::CoreError::Device(detail).text()
    }

    /// The metadata of a model trained with `config` on `data`: names the backbone for transfer.
    fn meta_for(config: &TrainConfig, data: &Dataset) -> ModelMeta {
        let input = InputShape { channels: data.channels, height: data.height, width: data.width };
        let meta = ModelMeta::new(config.model.clone(), input, data.class_names.clone(), Some(config.clone()));
        match config.transfer {
            Some(t) => meta.with_backbone(BackboneRef { id: t.backbone, sha256: backbone::SHIPPED_SHA256.into(), size: t.size }),
            None => meta,
        }
    }

    /// Runs one training task, refusing a second at the same time.
    fn begin<F: std::future::Future<Output = Result<(), Text>> + 'static>(task: impl FnOnce(Rc<Cell<bool>>) -> F) {
        if RUNNING.with(|r| r.replace(true)) {
            fail(Text::new(
                "すでに学習中です。止めてからもう一度始めてください。",
                "Training is already running; stop it before starting again.",
            ));
            return;
        }
        let stop = STOP.with(|s| {
            s.set(false);
            s.clone()
        });
        let task = task(stop);
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(message) = task.await {
                fail(message);
            }
            RUNNING.with(|r| r.set(false));
        });
    }

    /// Loads a model file on the CPU, checks it fits the data, measures it on the validation
    /// part and keeps it for `Inspect` and `SaveModel`.
    async fn load_model(bytes: Vec<u8>, dataset: Dataset, config: TrainConfig, stop: &Cell<bool>) -> Result<(), Text> {
        let device = burn::prelude::Device::flex();
        let (net, meta) = modelfile::load(&bytes, &device).map_err(|e| e.text())?;
        let features = match (&meta.backbone, &meta.training) {
            (Some(b), Some(training)) => {
                b.check(backbone::SHIPPED_SHA256).map_err(|e| e.text())?;
                // Validation is on plain images: no augmented versions needed.
                let plain = TrainConfig { augment: Default::default(), ..training.clone() };
                Some(features_of(&dataset, &plain, stop, &device).await?.map_err(device_failed)?.0)
            }
            (Some(_), None) => {
                return Err(Text::new("転移学習のモデルに設定がありません。", "The transfer-learning model has no settings."));
            }
            (None, _) => None,
        };
        let val = imagelab_core::nn::train::evaluate_loaded(&net, &meta, Arc::new(dataset), config, features, &device)
            .await
            .map_err(|e| e.text())?;
        let layers = meta.architecture.layers.len();
        let summary = Text::new(
            format!("{layers} 層 + 出力層、入力 {}×{}×{}、クラス {} 個", meta.height, meta.width, meta.channels, meta.class_names.len()),
            format!("{layers} layers + output, input {}×{}×{}, {} classes", meta.height, meta.width, meta.channels, meta.class_names.len()),
        );
        MODELS.with(|m| *m.borrow_mut() = vec![Some(Last { net, device, meta })]);
        post(&FromWorker::ModelLoaded { summary, val_accuracy: val.accuracy });
        Ok(())
    }

    /// A run between calls: what `Resume` continues after a `Stop`.
    struct Session {
        config: TrainConfig,
        data: Arc<Dataset>,
        selected: Selected,
        folds: usize,
        fold: usize,
        trainer: Trainer,
        /// Confusion matrices and predictions of the folds already finished.
        confusion: Option<ConfusionMatrix>,
        predictions: Vec<Prediction>,
        /// Training time before the latest start or resume.
        elapsed_before: f64,
        /// Transfer learning: the backbone's features of the images, for every fold.
        features: Option<Arc<FeatureTable>>,
        /// How long computing them took, ms.
        features_ms: f64,
    }

    thread_local! {
        /// The stopped run, if any.
        static PAUSED: std::cell::RefCell<Option<Session>> = const { std::cell::RefCell::new(None) };
    }

    fn start_fold(session: &Session, t0: f64) {
        let trainer = &session.trainer;
        post(&FromWorker::Started {
            backend: session.selected.backend,
            detail: session.selected.detail.clone(),
            fallback_reason: session.selected.fallback_reason.clone(),
            fold: session.fold,
            folds: session.folds,
            train_size: trainer.split().train.len(),
            validation_size: trainer.split().validation.len(),
            total_steps: trainer.total_steps(),
            setup_ms: now() - t0,
            features_ms: session.features_ms,
        });
    }

    async fn run(config: TrainConfig, dataset: Dataset, pref: DevicePreference, stop: Rc<Cell<bool>>) -> Result<(), Text> {
        PAUSED.with(|p| p.borrow_mut().take());
        MODELS.with(|m| m.borrow_mut().clear());
        let t0 = now();
        let data = Arc::new(dataset);
        // Hold-out is one fold; K-fold trains K models one after another.
        let folds = config.splits(&data.labels, data.num_classes()).map_err(|e| e.text())?.len();
        // Transfer learning: the backbone's features first (on the run's device), then the head.
        let selected = select_device(pref).await?;
        let (selected, features, features_ms) = if config.transfer.is_some() {
            let (selected, features, ms) = features_for(&data, &config, &stop, selected).await?;
            (selected, Some(features), ms)
        } else {
            (selected, None, 0.0)
        };
        let trainer = Trainer::for_fold_with(config.clone(), data.clone(), features.clone(), 0, &selected.device).map_err(|e| e.text())?;
        let session = Session {
            config,
            data,
            selected,
            folds,
            fold: 0,
            trainer,
            confusion: None,
            predictions: Vec::new(),
            elapsed_before: 0.0,
            features,
            features_ms,
        };
        start_fold(&session, t0);
        drive(session, stop).await
    }

    /// Continues a run whose GPU was lost, on the CPU, from `checkpoint` (see
    /// `ToWorker::Continue`).
    async fn continue_on_cpu(
        config: TrainConfig,
        dataset: Dataset,
        checkpoint: Checkpoint,
        reason: Text,
        stop: Rc<Cell<bool>>,
    ) -> Result<(), Text> {
        PAUSED.with(|p| p.borrow_mut().take());
        let t0 = now();
        let selected = imagelab_worker::cpu(Some(reason));
        let data = Arc::new(dataset);
        let folds = config.splits(&data.labels, data.num_classes()).map_err(|e| e.text())?.len();
        let fold = checkpoint.fold;
        // A transfer run's features stayed with the GPU: computed again, on the CPU, to the end
        // (a Stop is seen at the first step, so the stopped run can still be resumed).
        let (features, features_ms) = match config.transfer {
            Some(_) => {
                let (table, ms) = features_of(&data, &config, &Cell::new(false), &selected.device).await?.map_err(device_failed)?;
                (Some(table), ms)
            }
            None => (None, 0.0),
        };
        let trainer = match &checkpoint.model {
            Some(bytes) => {
                let (net, _) = modelfile::load(bytes, &selected.device).map_err(|e| e.text())?;
                Trainer::resume_after_epoch(
                    config.clone(),
                    data.clone(),
                    features.clone(),
                    fold,
                    &selected.device,
                    net,
                    checkpoint.epochs_done,
                )
            }
            None => Trainer::for_fold_with(config.clone(), data.clone(), features.clone(), fold, &selected.device),
        }
        .map_err(|e| e.text())?;
        // The finished folds' networks stayed with the lost worker (`None` for them: inspecting
        // their images says so); this fold's and later ones are kept.
        MODELS.with(|m| m.borrow_mut().clear());
        let session = Session {
            config,
            data,
            selected,
            folds,
            fold,
            trainer,
            confusion: checkpoint.earlier_confusion,
            predictions: checkpoint.earlier_predictions,
            elapsed_before: checkpoint.elapsed_ms,
            features,
            features_ms,
        };
        start_fold(&session, t0);
        drive(session, stop).await
    }

    /// Sends where the run could continue from if the GPU were lost now (GPU runs only).
    async fn checkpoint(session: &Session, elapsed_ms: f64) -> Result<(), imagelab_core::CoreError> {
        if session.selected.backend == Backend::Cpu {
            return Ok(());
        }
        let trainer = &session.trainer;
        let epochs_done = trainer.epochs_done();
        let model = if epochs_done == 0 {
            None
        } else {
            // A transfer run's head and fine-tuned blocks, naming the backbone.
            Some(modelfile::save(&trainer.model(), &meta_for(&session.config, &session.data)).await?)
        };
        post(&FromWorker::Checkpoint(Checkpoint {
            fold: session.fold,
            epochs_done,
            model,
            earlier_confusion: session.confusion.clone(),
            earlier_predictions: session.predictions.clone(),
            elapsed_ms,
        }));
        Ok(())
    }

    /// Trains from where `session` is until the last fold ends or Stop arrives (then the session
    /// is kept for `Resume`).
    async fn drive(session: Session, stop: Rc<Cell<bool>>) -> Result<(), Text> {
        let on_gpu = session.selected.backend != Backend::Cpu;
        ON_GPU.with(|g| g.set(on_gpu));
        let result = drive_folds(session, stop).await;
        ON_GPU.with(|g| g.set(false));
        match result {
            Ok(()) => Ok(()),
            // The GPU failed (a step, an evaluation, a checkpoint, the next fold's set-up) but
            // the worker lives: the page continues on the CPU from the last checkpoint.
            Err(imagelab_core::CoreError::Device(detail)) if on_gpu => {
                let detail = imagelab_core::error::device_detail(&detail);
                post(&FromWorker::DeviceLost { message: Text::new(detail.clone(), detail) });
                Ok(())
            }
            Err(e) => Err(e.text()),
        }
    }

    async fn drive_folds(mut session: Session, stop: Rc<Cell<bool>>) -> Result<(), imagelab_core::CoreError> {
        let start = now() - session.elapsed_before;
        let mut last_yield = now();
        let on_gpu = session.selected.backend != Backend::Cpu;
        loop {
            let mut stopped = false;
            if session.trainer.steps_done() == 0 {
                checkpoint(&session, now() - start).await?;
            }
            while !session.trainer.is_finished() {
                // Give the event loop a turn (so a Stop message is seen), at most every ~30 ms.
                if now() - last_yield > 30.0 {
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    last_yield = now();
                }
                if stop.get() {
                    stopped = true;
                    break;
                }
                if on_gpu && session.fold == 0 {
                    lose_gpu_if_due(session.trainer.steps_done() + 1);
                }
                let out = session.trainer.step(|| now() - start).await?;
                post(&FromWorker::Step(out.report));
                if let Some(point) = out.point {
                    post(&FromWorker::Point(point));
                }
                let t = &session.trainer;
                if on_gpu && t.steps_done().is_multiple_of(t.steps_per_epoch()) && !t.is_finished() {
                    checkpoint(&session, now() - start).await?;
                }
            }
            // A finished run was just measured at its last step; a stopped one may not have
            // been (and its last point may have been on a sample: then a point on all follows).
            let (val, point) = session.trainer.measure_stopped().await?;
            if let Some(point) = point {
                post(&FromWorker::Point(point));
            }
            let trainer = &session.trainer;
            let meta = meta_for(&session.config, &session.data);
            let last = Last { net: trainer.model(), device: session.selected.device.clone(), meta };
            MODELS.with(|m| {
                let mut m = m.borrow_mut();
                m.resize_with(session.fold, || None);
                m.push(Some(last));
            });
            let mut confusion = session.confusion.clone();
            match &mut confusion {
                Some(c) => c.merge(&val.confusion),
                None => confusion = Some(val.confusion.clone()),
            }
            let mut predictions = session.predictions.clone();
            let fold = session.fold;
            predictions.extend(val.predictions.iter().map(|p| Prediction { fold, ..*p }));
            if stopped {
                let elapsed_ms = now() - start;
                session.elapsed_before = elapsed_ms;
                PAUSED.with(|p| *p.borrow_mut() = Some(session));
                post(&FromWorker::Finished { stopped: true, confusion, predictions, elapsed_ms });
                return Ok(());
            }
            // Building accuracy of the final weights, on the training part without augmentation.
            let train = trainer.evaluate(&trainer.split().train.clone()).await?;
            post(&FromWorker::FoldDone(FoldResult {
                fold: session.fold,
                train_accuracy: train.accuracy,
                val_accuracy: val.accuracy,
                val_loss: val.loss,
            }));
            session.confusion = confusion;
            session.predictions = predictions;
            if session.fold + 1 == session.folds {
                break;
            }
            session.fold += 1;
            let t0 = now();
            session.trainer = Trainer::for_fold_with(
                session.config.clone(),
                session.data.clone(),
                session.features.clone(),
                session.fold,
                &session.selected.device,
            )?;
            start_fold(&session, t0);
        }
        post(&FromWorker::Finished {
            stopped: false,
            confusion: session.confusion,
            predictions: session.predictions,
            elapsed_ms: now() - start,
        });
        Ok(())
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("imagelab-worker runs inside a browser; build it with trunk (see README.md).");
}
