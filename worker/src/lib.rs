//! The training worker's device selection and run loop. The message plumbing is in `main.rs`
//! (wasm only); this part is shared with the browser tests in `tests/`.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
use burn::prelude::Device;
use imagelab_core::i18n::Text;
use imagelab_core::session::protocol::{Backend, DevicePreference};

/// The device a run will use, and why.
pub struct Selected {
    /// The burn device (plain; the trainer adds autodiff).
    pub device: Device,
    /// Which backend it is.
    pub backend: Backend,
    /// Adapter name or "flex".
    pub detail: String,
    /// Why WebGPU was not used, when it was considered.
    pub fallback_reason: Option<Text>,
}

/// Which build of the worker this is, for the page's device line: the one with WebAssembly SIMD
/// (burn's SIMD kernels) or the fallback for browsers without it (`www/worker-loader.js` picks).
pub const CPU_DETAIL: &str = if cfg!(all(target_feature = "simd128", feature = "simd")) {
    "WebAssembly SIMD"
} else {
    "WebAssembly, no SIMD (SIMD なし: fallback build)"
};

/// The flex CPU device, with why it was chosen over WebGPU (if it was).
pub fn cpu(reason: Option<Text>) -> Selected {
    Selected { device: Device::flex(), backend: Backend::Cpu, detail: CPU_DETAIL.into(), fallback_reason: reason }
}

/// Why this worker has no WebGPU device.
#[derive(Clone, Debug, PartialEq)]
pub enum NoWebGpu {
    /// `navigator.gpu` is missing: the browser has no WebGPU (or it is switched off).
    Missing,
    /// The fallback build (for browsers without WebAssembly SIMD) has no WebGPU backend.
    FallbackBuild,
    /// The browser gave no adapter or device (its words, technical).
    Init(String),
    /// The device was there but a test computation failed or gave a wrong sum.
    Probe(String),
    /// The GPU failed earlier in this worker (its error's words).
    FailedEarlier(String),
}

impl NoWebGpu {
    /// The reason in both languages (a browser's or wgpu's own words stay as they are).
    pub fn text(&self) -> Text {
        match self {
            NoWebGpu::Missing => Text::new("このブラウザには WebGPU がありません", "this browser has no WebGPU (navigator.gpu is missing)"),
            NoWebGpu::FallbackBuild => Text::new(
                "WebAssembly SIMD のないブラウザ向けの版には WebGPU がありません",
                "this build of the worker (for browsers without WebAssembly SIMD) has no WebGPU backend",
            ),
            NoWebGpu::Init(detail) => {
                Text::new(format!("GPU を準備できませんでした: {detail}"), format!("no GPU device could be set up: {detail}"))
            }
            NoWebGpu::Probe(detail) => Text::new(
                format!("GPU での試しの計算が合いませんでした: {detail}"),
                format!("a test computation on the GPU failed: {detail}"),
            ),
            NoWebGpu::FailedEarlier(detail) => Text::new(
                format!("この学習ワーカーでは GPU が先ほど止まりました: {detail}"),
                format!("the GPU failed earlier in this worker: {detail}"),
            ),
        }
    }
}

/// The device picked, its description and whether its adapter is software (SwiftShader); or
/// why none could be.
#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
type Picked = Result<(Device, String, bool), NoWebGpu>;

#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
thread_local! {
    /// What [`webgpu`] found, once per worker.
    static CACHED: std::cell::RefCell<Option<Picked>> = const { std::cell::RefCell::new(None) };
}

/// A WebGPU device, initialised once per worker (burn's runtime cannot be initialised twice).
/// Returns the device, the adapter's description and whether it is a software fallback adapter
/// (SwiftShader), or the reason WebGPU is unavailable.
#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
pub async fn webgpu() -> Result<(Device, String, bool), NoWebGpu> {
    if let Some(cached) = CACHED.with(|c| c.borrow().clone()) {
        return cached;
    }
    let result = init_webgpu().await;
    CACHED.with(|c| *c.borrow_mut() = Some(result.clone()));
    result
}

/// The WebGPU device failed (`why`, its error's words) and this worker goes on: later runs in it
/// are told WebGPU is unavailable instead of being given the failed device again.
#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
pub fn forget_webgpu(why: &str) {
    let why = NoWebGpu::FailedEarlier(imagelab_core::error::device_detail(why));
    CACHED.with(|c| *c.borrow_mut() = Some(Err(why)));
}

/// The fallback build has no WebGPU device to forget.
#[cfg(not(all(target_arch = "wasm32", feature = "webgpu")))]
pub fn forget_webgpu(_why: &str) {}

/// The fallback build (for browsers without WebAssembly SIMD, none of which has WebGPU unless
/// SIMD was switched off) has no WebGPU backend: why, as [`webgpu`] says it.
#[cfg(all(target_arch = "wasm32", not(feature = "webgpu")))]
pub async fn webgpu() -> Result<(Device, String, bool), NoWebGpu> {
    Err(NoWebGpu::FallbackBuild)
}

#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
thread_local! {
    /// The WebGPU device burn's runtime uses, for the test hook [`destroy_webgpu`].
    static WGPU_DEVICE: std::cell::RefCell<Option<burn::tensor::wgpu::wgpu::Device>> = const { std::cell::RefCell::new(None) };
}

/// The test hook `LoseDeviceAt { destroy: true }`: calls WebGPU's `device.destroy()` on the
/// device burn's runtime uses, as when the browser takes it away; later work on it fails.
/// `false` when this worker has no WebGPU device.
#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
pub fn destroy_webgpu() -> bool {
    WGPU_DEVICE.with(|d| d.borrow().as_ref().map(|device| device.destroy()).is_some())
}

/// The fallback build has no WebGPU device to destroy.
#[cfg(all(target_arch = "wasm32", not(feature = "webgpu")))]
pub fn destroy_webgpu() -> bool {
    false
}

#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
async fn init_webgpu() -> Result<(Device, String, bool), NoWebGpu> {
    use wasm_bindgen::JsCast;
    let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let gpu = js_sys::Reflect::get(&global.navigator(), &"gpu".into()).unwrap_or_default();
    if gpu.is_undefined() || gpu.is_null() {
        return Err(NoWebGpu::Missing);
    }
    let (device, setup) = Device::wgpu_options().init_with_setup_async().await.map_err(|e| NoWebGpu::Init(e.to_string()))?;
    WGPU_DEVICE.with(|d| *d.borrow_mut() = Some(setup.device.clone()));
    let info = setup.adapter.get_info();
    let software = info.device_type == burn::tensor::wgpu::wgpu::DeviceType::Cpu || info.name.to_ascii_lowercase().contains("swiftshader");
    let name = match (info.name.is_empty(), software) {
        (false, _) => info.name,
        (true, true) => "software adapter".to_owned(),
        (true, false) => "GPU".to_owned(),
    };
    // Prove the device computes before trusting it with a run.
    let probe = burn::tensor::Tensor::<1>::from_floats([1.0, 2.0, 3.0], &device).sum();
    let sum: f32 = probe.into_scalar_async().await.map_err(|e| NoWebGpu::Probe(format!("{e:?}")))?;
    if (sum - 6.0).abs() > 1e-4 {
        return Err(NoWebGpu::Probe(format!("1 + 2 + 3 = {sum}")));
    }
    Ok((device, name, software))
}

/// Picks the device for `pref`. `Auto` takes a hardware WebGPU adapter and otherwise the CPU —
/// including when the only adapter is a software one (SwiftShader), which measured 50–100×
/// slower than flex for our CNN. `WebGpu` insists (and fails with a message without it).
///
/// # Errors
/// Only for `DevicePreference::WebGpu` without a working WebGPU device.
pub async fn select_device(pref: DevicePreference) -> Result<Selected, Text> {
    match pref {
        DevicePreference::Cpu => Ok(cpu(None)),
        #[cfg(target_arch = "wasm32")]
        DevicePreference::Auto => Ok(match webgpu().await {
            Ok((device, name, false)) => Selected { device, backend: Backend::WebGpu, detail: name, fallback_reason: None },
            Ok((_, name, true)) => cpu(Some(Text::new(
                // The adapter's name (English, technical) stays out of the Japanese sentence; the
                // device line's details name it.
                "この端末の WebGPU は GPU ではなくソフトウェアで動いていて CPU より遅いので、CPU で学習します。".to_owned(),
                format!("WebGPU here is a software fallback ({name}), slower than the CPU, so training runs on the CPU."),
            ))),
            Err(why) => {
                let why = why.text();
                cpu(Some(Text::new(
                    format!("WebGPU が使えないため CPU で学習します（{}）。", why.ja),
                    format!("WebGPU is unavailable, so training runs on the CPU ({}).", why.en),
                )))
            }
        }),
        #[cfg(target_arch = "wasm32")]
        DevicePreference::WebGpu => match webgpu().await {
            Ok((device, name, _)) => Ok(Selected { device, backend: Backend::WebGpu, detail: name, fallback_reason: None }),
            Err(why) => {
                let why = why.text();
                Err(Text::new(format!("WebGPU を使えませんでした: {}", why.ja), format!("WebGPU could not be used: {}", why.en)))
            }
        },
        #[cfg(not(target_arch = "wasm32"))]
        DevicePreference::Auto | DevicePreference::WebGpu => Ok(cpu(None)),
    }
}
