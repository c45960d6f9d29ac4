//! Picks the fastest device burn finds on this machine: a hardware GPU through wgpu (Vulkan,
//! Metal or DirectX 12), else the flex CPU backend. Without the `gpu` feature (as `make test`
//! builds it) there is only the CPU, and asking for the GPU says so.

use crate::fail::Failure;
use burn::prelude::Device;
use clap::ValueEnum;

/// The device a command asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Choice {
    /// A hardware wgpu adapter if there is one, else the CPU.
    #[default]
    Auto,
    /// burn's flex CPU backend.
    Cpu,
    /// A GPU through wgpu (Vulkan / Metal / DirectX 12).
    Wgpu,
}

/// The chosen device and what it is, for the user.
pub struct Chosen {
    /// The burn device.
    pub device: Device,
    /// `cpu` or `wgpu`.
    pub backend: &'static str,
    /// e.g. "NVIDIA H200 (Vulkan)".
    pub detail: String,
}

fn cpu() -> Chosen {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    Chosen { device: Device::flex(), backend: "cpu", detail: format!("flex CPU backend, {threads} hardware threads") }
}

/// Runs a tiny computation, so a device that cannot compute is found before a run relies on it.
#[cfg(feature = "gpu")]
fn works(device: &Device) -> Result<(), String> {
    use burn::prelude::Tensor;
    let device = device.clone();
    let probe = std::panic::catch_unwind(move || {
        let sum: f32 = Tensor::<1>::from_floats([1.0, 2.0, 3.0], &device).sum().into_scalar();
        sum
    });
    match probe {
        Ok(sum) if (sum - 6.0).abs() < 1e-4 => Ok(()),
        Ok(sum) => Err(format!("a test computation gave {sum} instead of 6")),
        Err(_) => Err("a test computation failed".into()),
    }
}

/// A hardware wgpu adapter, or why there is none. Software adapters (llvmpipe, SwiftShader)
/// count as none: the flex backend is faster than them.
#[cfg(feature = "gpu")]
fn wgpu(allow_software: bool) -> Result<Chosen, String> {
    let (device, setup) = Device::wgpu_options().init_with_setup().map_err(|e| e.to_string())?;
    let info = setup.adapter.get_info();
    let software = info.device_type == burn::tensor::wgpu::wgpu::DeviceType::Cpu;
    if software && !allow_software {
        return Err(format!("the only adapter is a software one ({})", info.name));
    }
    works(&device)?;
    Ok(Chosen { device, backend: "wgpu", detail: format!("{} ({:?})", info.name, info.backend) })
}

/// Built without the `gpu` feature: why there is no adapter.
#[cfg(not(feature = "gpu"))]
fn wgpu(_allow_software: bool) -> Result<Chosen, String> {
    Err("this build of imagelab has no GPU backend (built without the `gpu` feature)".into())
}

/// The device for `choice`; `Auto` falls back to the CPU and says why on stderr.
///
/// # Errors
/// When an explicitly asked-for GPU is unavailable (exit code 4).
pub fn select(choice: Choice) -> Result<Chosen, Failure> {
    let unavailable = |why: String| {
        Failure::device(
            format!("wgpu の GPU が使えません（{why}）。--device cpu で CPU を使えます"),
            format!("the wgpu GPU is unavailable ({why}); --device cpu uses the CPU"),
        )
    };
    match choice {
        Choice::Cpu => Ok(cpu()),
        Choice::Wgpu => wgpu(true).map_err(unavailable),
        Choice::Auto => match wgpu(false) {
            Ok(c) => Ok(c),
            Err(why) => {
                eprintln!("GPU が見つからないため CPU を使います / no GPU found, using the CPU (wgpu: {why})");
                Ok(cpu())
            }
        },
    }
}
