//! Browser tests (wasm-bindgen-test, headless Chromium with `--enable-unsafe-webgpu`): the
//! WebGPU device initialises in a dedicated worker — where the app trains — and a training step
//! on it gives a finite, falling loss. Run by `make test` (scripts/test-wasm.sh).
#![cfg(target_arch = "wasm32")]

use imagelab_core::data::dataset::Dataset;
use imagelab_core::nn::experiment::TrainConfig;
use imagelab_core::nn::train::Trainer;
use imagelab_core::session::protocol::{Backend, DevicePreference};
use std::sync::Arc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// The first `per_class` digits of each class from the built-in asset.
fn digits(per_class: usize) -> Arc<Dataset> {
    let all = Dataset::from_sprite_png(
        include_bytes!("../../www/data/digits.png"),
        include_bytes!("../../www/data/digits.labels"),
        28,
        Dataset::digit_class_names(),
    )
    .unwrap();
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for class in 0..10 {
        for i in (0..all.len()).filter(|&i| all.labels[i] == class).take(per_class) {
            pixels.extend_from_slice(all.image(i));
            labels.push(class);
        }
    }
    Arc::new(Dataset::new(28, 28, 1, pixels, labels, all.class_names.clone()).unwrap())
}

#[wasm_bindgen_test]
async fn webgpu_device_initialises_and_computes() {
    let (device, name, software) = imagelab_worker::webgpu().await.expect("a WebGPU device");
    web_sys_log(&format!("WebGPU adapter: {name:?}, software fallback: {software}"));
    let t = burn::tensor::Tensor::<2>::from_floats([[1.0, 2.0], [3.0, 4.0]], &device);
    let product: Vec<f32> = t.clone().matmul(t).into_data_async().await.unwrap().try_to_vec().unwrap();
    assert_eq!(product, vec![7.0, 10.0, 15.0, 22.0]);
    // A second call reuses the device (burn's runtime initialises once per worker).
    assert!(imagelab_worker::webgpu().await.is_ok());
}

#[wasm_bindgen_test]
async fn training_steps_on_webgpu_give_a_finite_falling_loss() {
    let selected = imagelab_worker::select_device(DevicePreference::WebGpu).await.expect("WebGPU selected");
    assert_eq!(selected.backend, Backend::WebGpu);
    let config = TrainConfig { batch_size: 32, learning_rate: 0.003, evals_per_epoch: 1, ..TrainConfig::default() };
    let data = digits(40);
    let mut trainer = Trainer::new(config, data, &selected.device).unwrap();
    let mut losses = Vec::new();
    for _ in 0..8 {
        let out = trainer.step(|| 0.0).await.unwrap();
        assert!(out.report.loss.is_finite(), "loss {}", out.report.loss);
        losses.push(out.report.loss);
    }
    web_sys_log(&format!("WebGPU losses: {losses:?}"));
    let first = (losses[0] + losses[1]) / 2.0;
    let last = (losses[6] + losses[7]) / 2.0;
    assert!(last < first, "loss fell from {first:.3} to {last:.3}");
    // Evaluation reads logits back asynchronously too.
    let val: Vec<usize> = trainer.split().validation.iter().copied().take(64).collect();
    let eval = trainer.evaluate(&val).await.unwrap();
    assert!(eval.loss.is_finite());
    assert_eq!(eval.confusion.total(), 64);
}

#[wasm_bindgen_test]
async fn auto_prefers_the_cpu_over_a_software_adapter() {
    let (_, _, software) = imagelab_worker::webgpu().await.expect("a WebGPU device");
    let selected = imagelab_worker::select_device(DevicePreference::Auto).await.unwrap();
    if software {
        assert_eq!(selected.backend, Backend::Cpu);
        assert!(selected.fallback_reason.is_some());
    } else {
        assert_eq!(selected.backend, Backend::WebGpu);
    }
}

fn web_sys_log(s: &str) {
    wasm_bindgen_test::console_log!("{s}");
}

/// Why WebGPU is not used reaches a Japanese page in Japanese: each reason the worker words
/// itself, with only a browser's or wgpu's own detail passed on as it is.
#[wasm_bindgen_test]
fn no_webgpu_reasons_are_in_both_languages() {
    use imagelab_worker::NoWebGpu;
    let japanese = |s: &str| s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c));
    for why in [
        NoWebGpu::Missing,
        NoWebGpu::FallbackBuild,
        NoWebGpu::Init("no adapter".into()),
        NoWebGpu::Probe("1 + 2 + 3 = 0".into()),
        NoWebGpu::FailedEarlier("Device lost".into()),
    ] {
        let t = why.text();
        assert!(japanese(&t.ja), "{why:?}: {}", t.ja);
        assert!(!japanese(&t.en), "{why:?}: {}", t.en);
    }
    assert!(NoWebGpu::FailedEarlier("Device lost".into()).text().ja.ends_with("Device lost"));
}
