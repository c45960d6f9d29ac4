//! Model files (モデルの保存と読み込み): the trained weights in burn's burnpack format, with
//! ImageLab's metadata — format version, architecture, input size, class names, preprocessing and
//! the settings that trained it — in the pack's metadata under the key `imagelab`.
//!
//! Saving reads every weight back with async reads, so it works on WebGPU as on the CPU (burn's
//! own stores read synchronously, which WebGPU forbids). Loading checks the format and version,
//! rebuilds the network from the stored architecture and checks every tensor's name and shape:
//! a file for another architecture or version is refused with a clear message, never a panic.

use crate::error::CoreError;
use crate::nn::architecture::InputShape;
use crate::nn::architecture::ModelSpec;
use crate::nn::experiment::TrainConfig;
use crate::nn::model::Net;
use burn::module::{ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `format` written into every file.
pub const FORMAT: &str = "imagelab-model";
/// The current file version. Files of other versions are refused.
pub const VERSION: u32 = 1;
/// The burnpack metadata key holding [`ModelMeta`] as JSON.
pub const META_KEY: &str = "imagelab";
/// The largest model file accepted.
pub const MAX_FILE_BYTES: usize = crate::session::protocol::MAX_MODEL_FILE_BYTES;

/// What a model file says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelMeta {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`] when written.
    pub version: u32,
    /// The layers.
    pub architecture: ModelSpec,
    /// Input channels (1 grayscale, 3 RGB).
    pub channels: usize,
    /// Input height.
    pub height: usize,
    /// Input width.
    pub width: usize,
    /// Class names, by output index.
    pub class_names: Vec<String>,
    /// How pixels become inputs.
    pub preprocessing: String,
    /// The settings that trained it.
    pub training: Option<TrainConfig>,
    /// 転移学習: the frozen backbone the network (then a head on its features) needs. Only the
    /// head is stored; the backbone is named by its checksum, and a file naming another
    /// backbone is refused where the backbone is loaded ([`BackboneRef::check`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backbone: Option<BackboneRef>,
}

/// Which pretrained backbone a model file's head was trained on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackboneRef {
    /// The network.
    pub id: crate::nn::experiment::BackboneId,
    /// SHA-256 of the backbone file (hex).
    pub sha256: String,
    /// The square input size the images were resized to.
    pub size: usize,
}

impl BackboneRef {
    /// Refuses, in words, a model whose head was trained on another backbone file than the one
    /// whose checksum is `sha256`.
    ///
    /// # Errors
    /// [`CoreError::BadModelFile`] naming both checksums' first 12 digits.
    pub fn check(&self, sha256: &str) -> Result<(), CoreError> {
        if self.sha256 == sha256 {
            return Ok(());
        }
        let short = |s: &str| s.chars().take(12).collect::<String>();
        Err(bad(
            format!(
                "このモデルは別のバックボーン（{} {}…）で学習されました。このページのバックボーンは {}… です",
                self.id.slug(),
                short(&self.sha256),
                short(sha256)
            ),
            format!(
                "this model was trained on another backbone ({} {}…); this page's backbone is {}…",
                self.id.slug(),
                short(&self.sha256),
                short(sha256)
            ),
        ))
    }
}

impl ModelMeta {
    /// Metadata for a network trained on `class_names` images of `input`'s size.
    pub fn new(architecture: ModelSpec, input: InputShape, class_names: Vec<String>, training: Option<TrainConfig>) -> Self {
        ModelMeta {
            format: FORMAT.into(),
            version: VERSION,
            architecture,
            channels: input.channels,
            height: input.height,
            width: input.width,
            class_names,
            preprocessing: "pixel / 255 → [0, 1], channels first (CHW)".into(),
            training,
            backbone: None,
        }
    }

    /// Metadata for a head trained on a frozen backbone's features of `input`-sized images.
    pub fn with_backbone(mut self, backbone: BackboneRef) -> Self {
        let unfrozen = self.training.as_ref().and_then(|t| t.transfer).map_or(0, |t| t.unfrozen());
        self.preprocessing = if unfrozen == 0 {
            format!(
                "resize to {0}×{0} (bilinear), RGB, (pixel − 127) / 128, channels first; {1} pooled features; this network takes them",
                backbone.size,
                backbone.id.slug()
            )
        } else {
            format!(
                "resize to {0}×{0} (bilinear), RGB, (pixel − 127) / 128, channels first; {1} up to its last {unfrozen} blocks, which this network holds (fine-tuned) and takes from there",
                backbone.size,
                backbone.id.slug()
            )
        };
        self.backbone = Some(backbone);
        self
    }

    /// The size of the images the model is for (with a backbone: before resizing).
    pub fn input(&self) -> InputShape {
        InputShape { channels: self.channels, height: self.height, width: self.width }
    }

    /// What the stored network takes: [`Self::input`], or the backbone's features as channels
    /// of 1×1, or (fine-tuned) the input of its first unfrozen block.
    pub fn network_input(&self) -> InputShape {
        match &self.backbone {
            Some(b) => {
                let [channels, height, width] = crate::nn::lite0::boundary(b.size, self.unfrozen());
                InputShape { channels, height, width }
            }
            None => self.input(),
        }
    }

    /// How many backbone blocks the stored network fine-tuned and holds (0: a head alone).
    pub fn unfrozen(&self) -> usize {
        // Only a file that names its backbone can hold blocks of it (its settings were checked
        // when it was loaded); any other file's fine-tuning record means nothing.
        if self.backbone.is_none() {
            return 0;
        }
        self.training.as_ref().and_then(|t| t.transfer).map_or(0, |t| t.unfrozen())
    }
}

fn bad(ja: impl Into<String>, en: impl Into<String>) -> CoreError {
    CoreError::BadModelFile { ja: ja.into(), en: en.into() }
}

/// Builds burnpack-style paths (`layers.0.weight`) while walking a module; enum variant names
/// are skipped, as burn's own stores do.
#[derive(Default)]
struct Path {
    stack: Vec<String>,
}

impl Path {
    fn enter(&mut self, name: &str, container: &str) {
        self.stack.push(if container.starts_with("Enum:") { String::new() } else { name.to_owned() });
    }
    fn exit(&mut self) {
        self.stack.pop();
    }
    fn current(&self) -> String {
        self.stack.iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(".")
    }
}

/// Collects every float tensor (weights and running statistics) with its path.
struct Collect {
    path: Path,
    tensors: Vec<(String, Tensor<1>, Vec<usize>)>,
}

impl ModuleVisitor for Collect {
    fn enter_module(&mut self, name: &str, container_type: &str) {
        self.path.enter(name, container_type);
    }
    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.exit();
    }
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let t = param.val();
        let shape = t.dims().to_vec();
        self.tensors.push((self.path.current(), t.reshape([-1]), shape));
    }
}

/// Saves `net` with `meta` as burnpack bytes.
///
/// # Errors
/// [`CoreError::Device`] when a read-back fails.
pub async fn save(net: &Net, meta: &ModelMeta) -> Result<Vec<u8>, CoreError> {
    let mut c = Collect { path: Path::default(), tensors: Vec::new() };
    net.visit(&mut c);
    let mut pack = Vec::with_capacity(c.tensors.len());
    for (name, t, shape) in c.tensors {
        let values = t
            .into_data_async()
            .await
            .map_err(|e| CoreError::Device(format!("{e:?}")))?
            .convert::<f32>()
            .try_to_vec::<f32>()
            .map_err(|e| CoreError::Device(format!("{e:?}")))?;
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        pack.push(burn_pack::Tensor::new(name, burn_pack::DType::F32, shape, None, burn_pack::Bytes::from_bytes_vec(bytes)));
    }
    let json = serde_json::to_string(meta).map_err(|e| CoreError::Device(e.to_string()))?;
    let bytes =
        burn_pack::Writer::new(pack).with_metadata(META_KEY, &json).into_bytes().map_err(|e| CoreError::Device(format!("{e:?}")))?;
    Ok(bytes.to_vec())
}

/// Reads only the metadata of a model file.
///
/// # Errors
/// [`CoreError::BadModelFile`] for anything that is not an ImageLab model file of this version.
pub fn read_meta(bytes: &[u8]) -> Result<ModelMeta, CoreError> {
    Ok(open(bytes)?.0)
}

fn open(bytes: &[u8]) -> Result<(ModelMeta, burn_pack::Reader), CoreError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(bad(
            format!("ファイルが大きすぎます（{} MB まで）", MAX_FILE_BYTES / 1024 / 1024),
            format!("the file is too big (at most {} MB)", MAX_FILE_BYTES / 1024 / 1024),
        ));
    }
    let reader = burn_pack::Reader::from_bytes(burn_pack::Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| bad(format!("burnpack 形式ではないか、壊れています（{e:?}）"), format!("not a burnpack file, or damaged ({e:?})")))?;
    let json = reader.metadata().get(META_KEY).ok_or_else(|| {
        bad("画像分類ラボのモデルファイルではありません（メタデータがありません）", "not an ImageLab model file (no ImageLab metadata)")
    })?;
    let value: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| bad(format!("メタデータが読めません（{e}）"), format!("the metadata cannot be read ({e})")))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(bad("画像分類ラボのモデルファイルではありません", "not an ImageLab model file"));
    }
    let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version != VERSION as u64 {
        return Err(bad(
            format!("ファイルの版 {version} は読めません（この画像分類ラボは版 {VERSION}）"),
            format!("file version {version} cannot be read (this ImageLab reads version {VERSION})"),
        ));
    }
    let meta: ModelMeta = serde_json::from_value(value)
        .map_err(|e| bad(format!("メタデータが読めません（{e}）"), format!("the metadata cannot be read ({e})")))?;
    Ok((meta, reader))
}

/// A burnpack's tensors by name: shape and f32 values.
pub(crate) type Values = BTreeMap<String, (Vec<usize>, Vec<f32>)>;

/// The suffix of the per-channel scale that goes with an int8 weight: `w.weight` (I8) is
/// `w.weight.int8_scale` (F32, the weight's shape with 1 on every axis but the channel's) times
/// its stored integers. The backbone file stores its convolution and dense weights so
/// (`imagelab backbone convert --weights int8`).
pub const INT8_SCALE_SUFFIX: &str = ".int8_scale";

/// Every tensor of a burnpack as f32, refusing any that holds NaN or infinity (the model files
/// and the backbone file share this). F32 and F16 tensors are read as they are; an I8 tensor is
/// multiplied by its scale tensor ([`INT8_SCALE_SUFFIX`], broadcast over the axes where it has
/// length 1). Any other type is refused.
///
/// # Errors
/// [`CoreError::BadModelFile`] naming the first bad weight.
pub(crate) fn f32_values(reader: burn_pack::Reader) -> Result<Values, CoreError> {
    let unreadable = |e: &dyn std::fmt::Debug| bad(format!("重みを読めません（{e:?}）"), format!("the weights cannot be read ({e:?})"));
    let mut values = BTreeMap::new();
    let mut int8 = Vec::new();
    for t in reader.into_tensors().map_err(|e| unreadable(&e))? {
        let (name, dtype, shape, _, data) = t.into_parts().map_err(|e| unreadable(&e))?;
        let shape = shape.to_vec();
        let count: usize = shape.iter().product();
        let v: Vec<f32> = match dtype {
            burn_pack::DType::F32 if data.len() == 4 * count => {
                data.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
            }
            burn_pack::DType::F16 if data.len() == 2 * count => {
                data.chunks_exact(2).map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32()).collect()
            }
            burn_pack::DType::I8 if data.len() == count => {
                int8.push(name.clone());
                data.iter().map(|&b| f32::from(b as i8)).collect()
            }
            _ => return Err(bad(format!("重み {name} の型が f32 ではありません"), format!("weight {name} is not f32"))),
        };
        if v.iter().any(|x| !x.is_finite()) {
            return Err(bad(
                format!("重み {name} に NaN か無限大があります（壊れたモデルです）"),
                format!("weight {name} holds NaN or infinity (a broken model)"),
            ));
        }
        values.insert(name, (shape, v));
    }
    for name in int8 {
        let scale_name = format!("{name}{INT8_SCALE_SUFFIX}");
        let Some((scale_shape, scale)) = values.remove(&scale_name) else {
            return Err(bad(format!("int8 の重み {name} の尺度がありません"), format!("the int8 weight {name} has no scale")));
        };
        let Some((shape, v)) = values.get_mut(&name) else { unreachable!("inserted above") };
        if scale_shape.len() != shape.len() || scale_shape.iter().zip(shape.iter()).any(|(&s, &n)| s != 1 && s != n) {
            return Err(bad(
                format!("int8 の重み {name} の尺度の形 {scale_shape:?} が合いません"),
                format!("the scale of int8 weight {name} has shape {scale_shape:?}, which does not fit {shape:?}"),
            ));
        }
        dequantise(v, shape, &scale, &scale_shape);
    }
    Ok(values)
}

/// `v[i] *= scale[i broadcast]`, both row-major.
fn dequantise(v: &mut [f32], shape: &[usize], scale: &[f32], scale_shape: &[usize]) {
    let mut index = vec![0usize; shape.len()];
    for x in v.iter_mut() {
        let mut at = 0;
        for (d, &i) in index.iter().enumerate() {
            at = at * scale_shape[d] + if scale_shape[d] == 1 { 0 } else { i };
        }
        *x *= scale[at];
        // The next index, last axis fastest.
        for d in (0..shape.len()).rev() {
            index[d] += 1;
            if index[d] < shape[d] {
                break;
            }
            index[d] = 0;
        }
    }
}

/// Why a stored value did not fit the network built to receive it.
pub(crate) enum Misfit {
    /// Weight `name` has shape `file` in the file but `want` in the network.
    Shape { name: String, file: Vec<usize>, want: Vec<usize> },
    /// Weight `name` is not in the file.
    Missing(String),
}

/// Puts stored values into a freshly built `module` by path (`layers.0.weight`), taking each value
/// it uses out of `values` (what is left was not used) and checking its shape; the first misfit is
/// the answer.
pub(crate) fn fill<M: burn::module::Module>(module: M, values: &mut Values, device: &Device) -> Result<M, Misfit> {
    let mut fill = Fill { path: Path::default(), values, device: device.clone(), misfit: None };
    let module = module.map(&mut fill);
    fill.misfit.map_or(Ok(module), Err)
}

struct Fill<'a> {
    path: Path,
    values: &'a mut Values,
    device: Device,
    misfit: Option<Misfit>,
}

impl ModuleMapper for Fill<'_> {
    fn enter_module(&mut self, name: &str, container_type: &str) {
        self.path.enter(name, container_type);
    }
    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.exit();
    }
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        if self.misfit.is_some() {
            return param;
        }
        let name = self.path.current();
        let want = param.lazy_shape().to_vec();
        match self.values.remove(&name) {
            Some((shape, values)) if shape == want && values.len() == want.iter().product::<usize>() => {
                let data = TensorData::new(values, shape);
                let device = self.device.clone();
                param.map(move |_| Tensor::from_data(data, &device))
            }
            Some((file, _)) => {
                self.misfit = Some(Misfit::Shape { name, file, want });
                param
            }
            None => {
                self.misfit = Some(Misfit::Missing(name));
                param
            }
        }
    }
}

/// Loads a model file onto `device`.
///
/// # Errors
/// [`CoreError::BadModelFile`] for a file that is not an ImageLab model of this version, whose
/// architecture cannot be built, or whose weights do not fit it (names, shapes, counts, or
/// values that are not finite).
pub fn load(bytes: &[u8], device: &Device) -> Result<(Net, ModelMeta), CoreError> {
    let (meta, reader) = open(bytes)?;
    if meta.class_names.is_empty() {
        return Err(bad("クラスがありません", "the file has no classes"));
    }
    // A head for a backbone: its settings must say the same backbone and size, and be valid.
    if let Some(b) = &meta.backbone {
        let transfer = meta.training.as_ref().and_then(|t| t.transfer);
        let valid = meta.training.as_ref().is_some_and(|t| t.validate().is_ok());
        if !valid || transfer.is_none_or(|t| t.backbone != b.id || t.size != b.size) {
            return Err(bad(
                "転移学習のモデルの設定とバックボーンの記録が合いません（壊れたファイルです）",
                "the transfer-learning model's settings and its backbone record disagree (a damaged file)",
            ));
        }
    }
    let unfrozen = meta.unfrozen();
    let head_input =
        if unfrozen > 0 { InputShape { channels: crate::nn::backbone::FEATURES, height: 1, width: 1 } } else { meta.network_input() };
    let net = Net::new(&meta.architecture, head_input, meta.class_names.len(), device).map_err(|e| {
        bad(format!("構造を組み立てられません: {}", e.text().ja), format!("the architecture cannot be built: {}", e.text().en))
    })?;
    let net = if unfrozen > 0 { net.with_tail(crate::nn::backbone::Tail::new(unfrozen, device)) } else { net };
    let mut values = f32_values(reader)?;
    let count = values.len();
    let net = fill(net, &mut values, device).map_err(|m| match m {
        Misfit::Shape { name, file, want } => bad(
            format!("重み {name} の形が合いません（ファイル {file:?}、モデル {want:?}）。別の構造のモデルです"),
            format!("weight {name} has shape {file:?} in the file but {want:?} in the model: another architecture"),
        ),
        Misfit::Missing(name) => bad(
            format!("重み {name} がファイルにありません。別の構造のモデルです"),
            format!("weight {name} is missing from the file: another architecture"),
        ),
    })?;
    let used = count - values.len();
    if used != count {
        return Err(bad(
            format!("ファイルに余分な重みがあります（{count} 個中 {used} 個を使用）。別の構造のモデルです"),
            format!("the file has extra weights ({used} of {count} used): another architecture"),
        ));
    }
    Ok((net, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGITS: InputShape = InputShape { channels: 1, height: 28, width: 28 };

    fn saved(spec: ModelSpec) -> (Net, Vec<u8>) {
        let device = Device::flex();
        device.seed(5);
        let net = Net::new(&spec, DIGITS, 10, &device).unwrap();
        let meta = ModelMeta::new(spec, DIGITS, (0..10).map(|d| d.to_string()).collect(), None);
        let bytes = pollster::block_on(save(&net, &meta)).unwrap();
        (net, bytes)
    }

    fn outputs(net: &Net) -> Vec<f32> {
        let device = Device::flex();
        let x = Tensor::<4>::from_data(
            TensorData::new((0..2 * 784).map(|i| (i % 97) as f32 / 97.0).collect::<Vec<_>>(), [2, 1, 28, 28]),
            &device,
        );
        net.forward(x).into_data().try_to_vec::<f32>().unwrap()
    }

    #[test]
    fn save_then_load_is_bit_exact_for_every_preset() {
        for spec in [ModelSpec::small_cnn(), ModelSpec::course_mlp(), ModelSpec::deeper_cnn()] {
            let (net, bytes) = saved(spec.clone());
            let (loaded, meta) = load(&bytes, &Device::flex()).unwrap();
            assert_eq!(meta.architecture, spec);
            assert_eq!(meta.class_names.len(), 10);
            assert_eq!(outputs(&net.valid()), outputs(&loaded.valid()), "{spec:?}");
            // Saving the loaded model gives the same bytes.
            assert_eq!(pollster::block_on(save(&loaded, &meta)).unwrap(), bytes);
        }
    }

    #[test]
    fn a_head_whose_backbone_record_disagrees_is_refused() {
        use crate::nn::experiment::{BackboneId, Transfer};
        let device = Device::flex();
        let spec = ModelSpec::transfer_head(None);
        let net = Net::new(&spec, InputShape { channels: 1280, height: 1, width: 1 }, 3, &device).unwrap();
        let config =
            TrainConfig { model: spec.clone(), transfer: Some(Transfer { size: 128, ..Transfer::default() }), ..TrainConfig::default() };
        let record = BackboneRef { id: BackboneId::EfficientNetLite0, sha256: "ab".into(), size: 128 };
        let photos = InputShape { channels: 3, height: 64, width: 64 };
        let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let meta = |training: Option<TrainConfig>, record: BackboneRef| {
            ModelMeta::new(spec.clone(), photos, names.clone(), training).with_backbone(record)
        };
        let bytes = |m: &ModelMeta| pollster::block_on(save(&net, m)).unwrap();
        let (_, loaded) = load(&bytes(&meta(Some(config.clone()), record.clone())), &device).unwrap();
        assert_eq!(loaded.network_input(), InputShape { channels: 1280, height: 1, width: 1 });
        assert_eq!(loaded.input(), photos);
        for wrong in [
            meta(None, record.clone()),
            meta(Some(TrainConfig { transfer: None, ..config.clone() }), record.clone()),
            meta(Some(config.clone()), BackboneRef { size: 160, ..record.clone() }),
            meta(
                Some(TrainConfig { transfer: Some(Transfer { size: 0, ..Transfer::default() }), ..config.clone() }),
                BackboneRef { size: 0, ..record.clone() },
            ),
        ] {
            let err = load(&bytes(&wrong), &device).expect_err("refused");
            assert!(err.text().en.contains("disagree"), "{}", err.text().en);
        }
        // Another backbone file: refused in words by the check.
        assert!(record.check("cd").unwrap_err().text().en.contains("another backbone (efficientnet-lite0 ab…)"));
        record.check("ab").unwrap();
    }

    #[test]
    fn a_sigmoid_network_round_trips_with_its_one_output_unit() {
        let device = Device::flex();
        device.seed(9);
        let spec = ModelSpec { output: crate::nn::architecture::Output::Sigmoid, ..ModelSpec::course_mlp() };
        let net = Net::new(&spec, DIGITS, 2, &device).unwrap();
        let meta = ModelMeta::new(spec.clone(), DIGITS, vec!["no".into(), "yes".into()], None);
        let bytes = pollster::block_on(save(&net, &meta)).unwrap();
        let (loaded, meta) = load(&bytes, &device).unwrap();
        assert_eq!(meta.architecture, spec);
        assert_eq!(outputs(&net.valid()), outputs(&loaded.valid()));
        assert_eq!(outputs(&loaded.valid()).len(), 2 * 2, "two scores per image, [0, z]");
    }

    #[test]
    fn bad_files_are_refused_in_words() {
        let (_, bytes) = saved(ModelSpec::small_cnn());
        let msg = |b: &[u8]| match load(b, &Device::flex()) {
            Err(CoreError::BadModelFile { en, .. }) => en,
            other => panic!("{:?}", other.map(|(_, m)| m)),
        };
        assert!(msg(b"").contains("burnpack"));
        assert!(msg(b"not a model at all").contains("burnpack"));
        assert!(msg(&bytes[..bytes.len() / 2]).len() > 5, "truncated");
        // Another architecture's weights under this architecture's metadata.
        let (_, mlp) = saved(ModelSpec::course_mlp());
        let (mlp_meta, reader) = open(&mlp).unwrap();
        let mut other = mlp_meta.clone();
        other.architecture = ModelSpec::small_cnn();
        let tensors = reader.into_tensors().unwrap();
        let forged =
            burn_pack::Writer::new(tensors).with_metadata(META_KEY, &serde_json::to_string(&other).unwrap()).into_bytes().unwrap().to_vec();
        assert!(msg(&forged).contains("another architecture"), "{}", msg(&forged));
        // Another version.
        let mut future = mlp_meta.clone();
        future.version = 99;
        let (_, reader) = open(&mlp).unwrap();
        let newer = burn_pack::Writer::new(reader.into_tensors().unwrap())
            .with_metadata(META_KEY, &serde_json::to_string(&future).unwrap())
            .into_bytes()
            .unwrap()
            .to_vec();
        assert!(msg(&newer).contains("version 99"));
        // NaN weights.
        let (_, reader) = open(&mlp).unwrap();
        let poisoned: Vec<burn_pack::Tensor> = reader
            .into_tensors()
            .unwrap()
            .into_iter()
            .map(|t| {
                let (name, dtype, shape, id, data) = t.into_parts().unwrap();
                let nan: Vec<u8> = data.chunks_exact(4).flat_map(|_| f32::NAN.to_le_bytes()).collect();
                burn_pack::Tensor::new(name, dtype, shape, id, burn_pack::Bytes::from_bytes_vec(nan))
            })
            .collect();
        let nan = burn_pack::Writer::new(poisoned)
            .with_metadata(META_KEY, &serde_json::to_string(&mlp_meta).unwrap())
            .into_bytes()
            .unwrap()
            .to_vec();
        assert!(msg(&nan).contains("NaN"));
        // A burnpack without ImageLab metadata.
        let (_, reader) = open(&mlp).unwrap();
        let plain = burn_pack::Writer::new(reader.into_tensors().unwrap()).into_bytes().unwrap().to_vec();
        assert!(msg(&plain).contains("not an ImageLab model"));
    }
}
