//! The students' own datasets (自分のデータセット): named collections of labelled photos that
//! persist across visits.
//!
//! A [`DatasetInfo`] is plain data — classes (name, colour) and one [`ImageInfo`] per stored
//! image — edited by pure methods here. The image files themselves live in a [`Store`]: IndexedDB
//! in the browser (the shell implements the trait), [`MemoryStore`] in tests. Every change is
//! one [`Store::commit`] of the new description together with the images it adds and removes,
//! all or nothing: when the browser's quota is hit the commit fails and what was stored before
//! stays exactly as it was.

use crate::data::dataset::Dataset;
use crate::i18n::Text;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The longest side of a stored image: photos are downscaled to this on the way in (the original
/// aspect kept), so thousands fit in the browser's storage.
pub const STORED_LONGEST_SIDE: u32 = 256;

/// The most classes a dataset may have.
pub const MAX_CLASSES: usize = 100;

/// The longest class or dataset name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// Colours given to new classes in turn (distinguishable, also for colour-blind students).
pub const PALETTE: [&str; 10] =
    ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000", "#999999", "#882255"];

/// One class of a dataset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassInfo {
    /// Stable id (kept when the class is renamed or others are removed).
    pub id: u32,
    /// The name the student gave it (Japanese names welcome).
    pub name: String,
    /// `#rrggbb`, used for its thumbnails' frame and its bar.
    pub color: String,
}

/// The stored file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageFormat {
    /// PNG (lossless; kept as it came when already small).
    Png,
    /// JPEG (photos, re-encoded after downscaling).
    Jpeg,
}

impl ImageFormat {
    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
        }
    }
}

/// One stored image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// Stable id within its dataset; the key of its file in the store.
    pub id: u64,
    /// Its class, or `None` for an unlabelled image (a competition's test set).
    pub class: Option<u32>,
    /// Where it came from: the file name, the path inside an imported zip or folder, or
    /// `camera-…` for a webcam frame.
    pub name: String,
    /// Stored width, in pixels.
    pub width: u32,
    /// Stored height, in pixels.
    pub height: u32,
    /// Stored file size, in bytes.
    pub bytes: u64,
    /// Stored file format.
    pub format: ImageFormat,
}

/// A new image on its way into a dataset: what [`DatasetInfo::add_image`] needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewImage {
    /// Its class id, or `None` for unlabelled.
    pub class: Option<u32>,
    /// The file name.
    pub name: String,
    /// Stored width and height.
    pub width: u32,
    /// Stored height.
    pub height: u32,
    /// Stored file size.
    pub bytes: u64,
    /// Stored format.
    pub format: ImageFormat,
}

/// A dataset: its classes and the description of each stored image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetInfo {
    /// Stable id, the store's key (e.g. `ds-1732800000000`).
    pub id: String,
    /// The name the student gave it.
    pub name: String,
    /// Its classes, in the order they are shown and numbered for training.
    pub classes: Vec<ClassInfo>,
    /// Every stored image, in the order added.
    pub images: Vec<ImageInfo>,
    /// The next image id to hand out.
    pub next_image_id: u64,
    /// The next class id to hand out.
    pub next_class_id: u32,
}

/// Why an edit of a dataset was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LibraryError {
    /// An empty (or blank) name.
    EmptyName,
    /// A name longer than [`MAX_NAME_CHARS`].
    LongName,
    /// Another class already has this name.
    DuplicateName(String),
    /// [`MAX_CLASSES`] reached.
    TooManyClasses,
    /// No class with this id.
    NoSuchClass(u32),
    /// Not a colour of the form `#rrggbb`.
    BadColor(String),
}

impl LibraryError {
    /// The message, in both languages.
    pub fn text(&self) -> Text {
        match self {
            LibraryError::EmptyName => Text::new("名前を入力してください。", "Please enter a name."),
            LibraryError::LongName => {
                Text::new(format!("名前は {MAX_NAME_CHARS} 文字までです。"), format!("Names are at most {MAX_NAME_CHARS} characters."))
            }
            LibraryError::DuplicateName(n) => {
                Text::new(format!("「{n}」というクラスはもうあります。"), format!("There is already a class called “{n}”."))
            }
            LibraryError::TooManyClasses => {
                Text::new(format!("クラスは {MAX_CLASSES} 個までです。"), format!("A dataset has at most {MAX_CLASSES} classes."))
            }
            LibraryError::NoSuchClass(id) => Text::new(format!("クラス {id} が見つかりません。"), format!("Class {id} does not exist.")),
            LibraryError::BadColor(c) => {
                Text::new(format!("色「{c}」は #rrggbb の形ではありません。"), format!("The colour “{c}” is not of the form #rrggbb."))
            }
        }
    }
}

/// The English message (the bilingual one is [`LibraryError::text`]).
impl std::fmt::Display for LibraryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for LibraryError {}

/// Trims a name and checks its length.
pub fn clean_name(name: &str) -> Result<String, LibraryError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(LibraryError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(LibraryError::LongName);
    }
    // Control characters (a tab or newline pasted in) would break file names and tables.
    Ok(name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect())
}

impl DatasetInfo {
    /// An empty dataset.
    ///
    /// # Errors
    /// [`LibraryError::EmptyName`] / [`LibraryError::LongName`].
    pub fn new(id: impl Into<String>, name: &str) -> Result<Self, LibraryError> {
        Ok(DatasetInfo {
            id: id.into(),
            name: clean_name(name)?,
            classes: Vec::new(),
            images: Vec::new(),
            next_image_id: 1,
            next_class_id: 1,
        })
    }

    /// Renames the dataset.
    ///
    /// # Errors
    /// As [`clean_name`].
    pub fn rename(&mut self, name: &str) -> Result<(), LibraryError> {
        self.name = clean_name(name)?;
        Ok(())
    }

    /// The class with this id.
    pub fn class(&self, id: u32) -> Option<&ClassInfo> {
        self.classes.iter().find(|c| c.id == id)
    }

    /// The class with this name (exact, after trimming).
    pub fn class_named(&self, name: &str) -> Option<&ClassInfo> {
        let name = name.trim();
        self.classes.iter().find(|c| c.name == name)
    }

    fn check_unique(&self, name: &str, except: Option<u32>) -> Result<(), LibraryError> {
        if self.classes.iter().any(|c| c.name == name && Some(c.id) != except) {
            return Err(LibraryError::DuplicateName(name.to_owned()));
        }
        Ok(())
    }

    /// Adds a class with the next palette colour and returns its id.
    ///
    /// # Errors
    /// A bad or duplicate name, or too many classes.
    pub fn add_class(&mut self, name: &str) -> Result<u32, LibraryError> {
        let name = clean_name(name)?;
        self.check_unique(&name, None)?;
        if self.classes.len() >= MAX_CLASSES {
            return Err(LibraryError::TooManyClasses);
        }
        let id = self.next_class_id;
        self.next_class_id += 1;
        let color = PALETTE[(id as usize - 1) % PALETTE.len()].to_owned();
        self.classes.push(ClassInfo { id, name, color });
        Ok(id)
    }

    /// The id of the class called `name`, adding it if there is none (imports).
    ///
    /// # Errors
    /// As [`DatasetInfo::add_class`].
    pub fn class_id_or_add(&mut self, name: &str) -> Result<u32, LibraryError> {
        match self.class_named(&clean_name(name)?) {
            Some(c) => Ok(c.id),
            None => self.add_class(name),
        }
    }

    /// Renames a class.
    ///
    /// # Errors
    /// No such class; a bad or duplicate name.
    pub fn rename_class(&mut self, id: u32, name: &str) -> Result<(), LibraryError> {
        let name = clean_name(name)?;
        self.check_unique(&name, Some(id))?;
        let class = self.classes.iter_mut().find(|c| c.id == id).ok_or(LibraryError::NoSuchClass(id))?;
        class.name = name;
        Ok(())
    }

    /// Recolours a class.
    ///
    /// # Errors
    /// No such class; not `#rrggbb`.
    pub fn recolor_class(&mut self, id: u32, color: &str) -> Result<(), LibraryError> {
        let ok = color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !ok {
            return Err(LibraryError::BadColor(color.to_owned()));
        }
        let class = self.classes.iter_mut().find(|c| c.id == id).ok_or(LibraryError::NoSuchClass(id))?;
        class.color = color.to_ascii_lowercase();
        Ok(())
    }

    /// Removes a class and its images; returns the removed images' ids (their files are to be
    /// deleted from the store in the same commit).
    ///
    /// # Errors
    /// No such class.
    pub fn remove_class(&mut self, id: u32) -> Result<Vec<u64>, LibraryError> {
        let before = self.classes.len();
        self.classes.retain(|c| c.id != id);
        if self.classes.len() == before {
            return Err(LibraryError::NoSuchClass(id));
        }
        let removed: Vec<u64> = self.images.iter().filter(|i| i.class == Some(id)).map(|i| i.id).collect();
        self.images.retain(|i| i.class != Some(id));
        Ok(removed)
    }

    /// Records a new image and returns its id.
    ///
    /// # Errors
    /// Its class does not exist.
    pub fn add_image(&mut self, image: NewImage) -> Result<u64, LibraryError> {
        if let Some(c) = image.class
            && self.class(c).is_none()
        {
            return Err(LibraryError::NoSuchClass(c));
        }
        let id = self.next_image_id;
        self.next_image_id += 1;
        self.images.push(ImageInfo {
            id,
            class: image.class,
            name: image.name,
            width: image.width,
            height: image.height,
            bytes: image.bytes,
            format: image.format,
        });
        Ok(id)
    }

    /// An import's step: records a new image in the class called `class` (made when there is
    /// none; `None`: unlabelled) and returns its id.
    ///
    /// # Errors
    /// As [`DatasetInfo::add_class`] when the class cannot be made.
    pub fn add_image_to(
        &mut self,
        class: Option<&str>,
        name: String,
        (width, height): (u32, u32),
        bytes: u64,
        format: ImageFormat,
    ) -> Result<u64, LibraryError> {
        let class = class.map(|c| self.class_id_or_add(c)).transpose()?;
        self.add_image(NewImage { class, name, width, height, bytes, format })
    }

    /// Moves images to another class (`None`: unlabelled). Unknown ids are ignored; returns how
    /// many moved.
    ///
    /// # Errors
    /// The target class does not exist.
    pub fn move_images(&mut self, ids: &[u64], class: Option<u32>) -> Result<usize, LibraryError> {
        if let Some(c) = class
            && self.class(c).is_none()
        {
            return Err(LibraryError::NoSuchClass(c));
        }
        let mut moved = 0;
        for img in self.images.iter_mut().filter(|i| ids.contains(&i.id)) {
            img.class = class;
            moved += 1;
        }
        Ok(moved)
    }

    /// Forgets images; returns the ids that were there (to delete their files).
    pub fn remove_images(&mut self, ids: &[u64]) -> Vec<u64> {
        let removed: Vec<u64> = self.images.iter().filter(|i| ids.contains(&i.id)).map(|i| i.id).collect();
        self.images.retain(|i| !ids.contains(&i.id));
        removed
    }

    /// Images per class, in class order.
    pub fn counts(&self) -> Vec<usize> {
        self.classes.iter().map(|c| self.images.iter().filter(|i| i.class == Some(c.id)).count()).collect()
    }

    /// The unlabelled images (a competition's test set).
    pub fn unlabelled(&self) -> impl Iterator<Item = &ImageInfo> {
        self.images.iter().filter(|i| i.class.is_none())
    }

    /// Bytes of all stored files.
    pub fn stored_bytes(&self) -> u64 {
        self.images.iter().map(|i| i.bytes).sum()
    }

    /// The labelled images in training order (class order, then as added) with their class
    /// *index* — what [`to_dataset`] turns into a [`Dataset`] and the split works on. Classes
    /// without images are left out of the numbering so every label has examples.
    pub fn labelled(&self) -> (Vec<&ImageInfo>, Vec<usize>, Vec<String>) {
        let mut images = Vec::new();
        let mut labels = Vec::new();
        let mut names = Vec::new();
        for class in &self.classes {
            let members: Vec<&ImageInfo> = self.images.iter().filter(|i| i.class == Some(class.id)).collect();
            if members.is_empty() {
                continue;
            }
            let label = names.len();
            names.push(class.name.clone());
            labels.extend(std::iter::repeat_n(label, members.len()));
            images.extend(members);
        }
        (images, labels, names)
    }
}

/// Builds a training [`Dataset`] from the labelled images of `info`, each already decoded and
/// resized to `width`×`height`×`channels` by the caller (the browser decodes; natively,
/// [`crate::data::import::decode_resized`]). `pixels(i)` gets the `i`-th image of
/// [`DatasetInfo::labelled`].
///
/// # Errors
/// [`crate::CoreError::BadDataset`] when a decoded image has the wrong size or there are no
/// labelled images.
pub fn to_dataset(
    info: &DatasetInfo,
    width: usize,
    height: usize,
    channels: usize,
    mut pixels: impl FnMut(usize, &ImageInfo) -> Vec<u8>,
) -> Result<Dataset, crate::CoreError> {
    let (images, labels, names) = info.labelled();
    if images.is_empty() {
        return Err(crate::CoreError::dataset("ラベルの付いた画像がありません", "no labelled images"));
    }
    let mut all = Vec::with_capacity(images.len() * width * height * channels);
    for (i, img) in images.iter().enumerate() {
        let p = pixels(i, img);
        if p.len() != width * height * channels {
            let (name, n) = (&img.name, p.len());
            return Err(crate::CoreError::dataset(
                format!("画像「{name}」を読むと値が {n} 個になりました"),
                format!("image “{name}” decoded to {n} values"),
            ));
        }
        all.extend_from_slice(&p);
    }
    Dataset::new(width, height, channels, all, labels, names)
}

/// Turns a decoded image (RGBA bytes, `sw`×`sh`) into the network's input: `w`×`h`, `channels`
/// 1 (grayscale by rgb2gray's weights) or 3 (RGB), HWC bytes. Shrinking averages each output
/// pixel's box of source pixels (area resampling: no aliasing, one pass — fast enough for 5,000
/// photos); enlarging repeats the nearest pixel. The page and the native build share it, so the
/// same photo gives the same input everywhere.
///
/// # Panics
/// If `rgba.len() != sw * sh * 4` or a size is 0.
pub fn input_pixels(rgba: &[u8], sw: usize, sh: usize, w: usize, h: usize, channels: usize) -> Vec<u8> {
    assert_eq!(rgba.len(), sw * sh * 4, "RGBA size mismatch");
    assert!(w > 0 && h > 0 && sw > 0 && sh > 0, "empty image");
    let span = |i: usize, n_out: usize, n_src: usize| {
        let a = i * n_src / n_out;
        let b = ((i + 1) * n_src / n_out).max(a + 1).min(n_src);
        (a, b)
    };
    let [wr, wg, wb] = crate::images::color::GRAY_WEIGHTS;
    let mut out = Vec::with_capacity(w * h * channels);
    for y in 0..h {
        let (y0, y1) = span(y, h, sh);
        for x in 0..w {
            let (x0, x1) = span(x, w, sw);
            let mut sum = [0u64; 3];
            for yy in y0..y1 {
                for p in rgba[(yy * sw + x0) * 4..(yy * sw + x1) * 4].chunks_exact(4) {
                    sum[0] += p[0] as u64;
                    sum[1] += p[1] as u64;
                    sum[2] += p[2] as u64;
                }
            }
            let n = ((y1 - y0) * (x1 - x0)) as f32;
            let [r, g, b] = sum.map(|v| v as f32 / n);
            if channels == 1 {
                out.push((wr * r + wg * g + wb * b).round().clamp(0.0, 255.0) as u8);
            } else {
                out.extend([r, g, b].map(|v| v.round() as u8));
            }
        }
    }
    out
}

/// Why the store failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The browser's storage quota is full; nothing of this commit was written.
    QuotaExceeded,
    /// No image with this id.
    Missing(u64),
    /// Storage cannot be used (private mode, blocked, a browser error): the detail in English.
    Unavailable(String),
}

impl StoreError {
    /// The message, in both languages.
    pub fn text(&self) -> Text {
        match self {
            StoreError::QuotaExceeded => Text::new(
                "ブラウザの保存容量がいっぱいです。この操作は保存されませんでした（それまでのデータはそのまま残っています）。画像を減らすか、使わないデータセットを削除してください。",
                "The browser's storage is full. This change was not saved (everything saved before is intact). Remove some images or a dataset you no longer need.",
            ),
            StoreError::Missing(id) => {
                Text::new(format!("画像 {id} が保存先に見つかりません。"), format!("Image {id} is missing from storage."))
            }
            StoreError::Unavailable(d) => Text::new(
                format!("ブラウザの保存領域を使えません（プライベートモードなど）: {d}"),
                format!("The browser's storage cannot be used (private mode?): {d}"),
            ),
        }
    }
}

/// The English message (the bilingual one is [`StoreError::text`]).
impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for StoreError {}

/// Where datasets persist. Each call is atomic.
#[allow(async_fn_in_trait)] // used with concrete types only (IndexedDB in the shell, memory in tests)
pub trait Store {
    /// A stored image file (a `Blob` in the browser, bytes in memory).
    type File: Clone;

    /// Every dataset's description.
    async fn datasets(&self) -> Result<Vec<DatasetInfo>, StoreError>;

    /// Writes `info` together with the files of the images it adds and deletes the files of the
    /// images it removed — all or nothing.
    async fn commit(&self, info: &DatasetInfo, added: Vec<(u64, Self::File)>, removed: &[u64]) -> Result<(), StoreError>;

    /// One stored image file.
    async fn file(&self, dataset: &str, image: u64) -> Result<Self::File, StoreError>;

    /// Deletes a dataset and all its files.
    async fn delete(&self, dataset: &str) -> Result<(), StoreError>;
}

/// An in-memory [`Store`] with an optional byte quota: the tests' stand-in for IndexedDB.
#[derive(Default)]
pub struct MemoryStore {
    quota: Option<u64>,
    infos: RefCell<BTreeMap<String, DatasetInfo>>,
    files: RefCell<BTreeMap<(String, u64), Vec<u8>>>,
}

impl MemoryStore {
    /// A store refusing commits once the files would exceed `quota` bytes.
    pub fn with_quota(quota: u64) -> Self {
        MemoryStore { quota: Some(quota), ..Default::default() }
    }

    /// Bytes of all files.
    pub fn used(&self) -> u64 {
        self.files.borrow().values().map(|f| f.len() as u64).sum()
    }
}

impl Store for MemoryStore {
    type File = Vec<u8>;

    async fn datasets(&self) -> Result<Vec<DatasetInfo>, StoreError> {
        Ok(self.infos.borrow().values().cloned().collect())
    }

    async fn commit(&self, info: &DatasetInfo, added: Vec<(u64, Vec<u8>)>, removed: &[u64]) -> Result<(), StoreError> {
        let freed: u64 = {
            let files = self.files.borrow();
            removed.iter().filter_map(|&id| files.get(&(info.id.clone(), id))).map(|f| f.len() as u64).sum()
        };
        let adding: u64 = added.iter().map(|(_, f)| f.len() as u64).sum();
        if let Some(q) = self.quota
            && self.used() - freed + adding > q
        {
            return Err(StoreError::QuotaExceeded);
        }
        let mut files = self.files.borrow_mut();
        for id in removed {
            files.remove(&(info.id.clone(), *id));
        }
        for (id, f) in added {
            files.insert((info.id.clone(), id), f);
        }
        self.infos.borrow_mut().insert(info.id.clone(), info.clone());
        Ok(())
    }

    async fn file(&self, dataset: &str, image: u64) -> Result<Vec<u8>, StoreError> {
        self.files.borrow().get(&(dataset.to_owned(), image)).cloned().ok_or(StoreError::Missing(image))
    }

    async fn delete(&self, dataset: &str) -> Result<(), StoreError> {
        self.infos.borrow_mut().remove(dataset);
        self.files.borrow_mut().retain(|(d, _), _| d != dataset);
        Ok(())
    }
}

/// Which part of the split an image falls in, for the data lab's view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// 構築データ (hold-out).
    Train,
    /// 検証データ (hold-out).
    Validation,
    /// Validation fold `n` (0-based) of K-fold.
    Fold(usize),
    /// Unlabelled: not in any split (the test set).
    Test,
}

/// The part of each image of `info` (in `info.images` order) under `config`'s validation
/// settings — the very split the training lab will use.
///
/// # Errors
/// As [`crate::nn::experiment::TrainConfig::splits`] (too few images, bad settings).
pub fn parts(info: &DatasetInfo, config: &crate::nn::experiment::TrainConfig) -> Result<Vec<Part>, crate::CoreError> {
    let (images, labels, names) = info.labelled();
    let splits = config.splits(&labels, names.len())?;
    let mut part_of: BTreeMap<u64, Part> = BTreeMap::new();
    match config.validation {
        crate::nn::experiment::Validation::Holdout => {
            for &i in &splits[0].train {
                part_of.insert(images[i].id, Part::Train);
            }
            for &i in &splits[0].validation {
                part_of.insert(images[i].id, Part::Validation);
            }
        }
        crate::nn::experiment::Validation::KFold { .. } => {
            for (f, s) in splits.iter().enumerate() {
                for &i in &s.validation {
                    part_of.insert(images[i].id, Part::Fold(f));
                }
            }
        }
    }
    Ok(info.images.iter().map(|i| part_of.get(&i.id).copied().unwrap_or(Part::Test)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::experiment::{TrainConfig, Validation};
    use pollster::block_on;

    fn img(class: Option<u32>, bytes: u64) -> NewImage {
        NewImage { class, name: "a.jpg".into(), width: 10, height: 8, bytes, format: ImageFormat::Jpeg }
    }

    #[test]
    fn classes_are_named_coloured_and_unique() {
        let mut d = DatasetInfo::new("ds-1", " 硬貨 ").unwrap();
        assert_eq!(d.name, "硬貨");
        let a = d.add_class("１円玉").unwrap();
        let b = d.add_class("5円玉").unwrap();
        assert_ne!(d.class(a).unwrap().color, d.class(b).unwrap().color);
        assert_eq!(d.add_class(" １円玉"), Err(LibraryError::DuplicateName("１円玉".into())));
        assert_eq!(d.add_class("   "), Err(LibraryError::EmptyName));
        assert_eq!(d.add_class(&"あ".repeat(41)), Err(LibraryError::LongName));
        d.rename_class(a, "一円玉").unwrap();
        assert_eq!(d.rename_class(b, "一円玉"), Err(LibraryError::DuplicateName("一円玉".into())));
        d.rename_class(b, "5円玉").unwrap(); // its own name again is fine
        assert!(d.recolor_class(a, "#FF0000").is_ok());
        assert_eq!(d.class(a).unwrap().color, "#ff0000");
        assert!(matches!(d.recolor_class(a, "red"), Err(LibraryError::BadColor(_))));
        assert!(d.add_class("a\tb").unwrap() > 0);
        assert!(d.class_named("a b").is_some());
        assert!(LibraryError::EmptyName.text().ja.contains("名前"));
    }

    #[test]
    fn images_move_and_go_with_their_class() {
        let mut d = DatasetInfo::new("ds", "d").unwrap();
        let a = d.add_class("a").unwrap();
        let b = d.add_class("b").unwrap();
        let i1 = d.add_image(img(Some(a), 1)).unwrap();
        let i2 = d.add_image(img(Some(a), 1)).unwrap();
        let i3 = d.add_image(img(None, 1)).unwrap();
        assert_eq!(d.counts(), vec![2, 0]);
        assert_eq!(d.unlabelled().count(), 1);
        assert_eq!(d.move_images(&[i2, i3], Some(b)).unwrap(), 2);
        assert_eq!(d.counts(), vec![1, 2]);
        assert_eq!(d.move_images(&[i1], Some(99)), Err(LibraryError::NoSuchClass(99)));
        assert_eq!(d.remove_class(b).unwrap(), vec![i2, i3]);
        assert_eq!(d.images.len(), 1);
        assert_eq!(d.remove_images(&[i1, 1234]), vec![i1]);
        assert!(d.images.is_empty());
        assert_eq!(d.add_image(img(Some(b), 1)), Err(LibraryError::NoSuchClass(b)));
        // Ids are never reused.
        assert!(d.add_image(img(Some(a), 1)).unwrap() > i3);
    }

    #[test]
    fn labelled_skips_empty_classes_and_unlabelled_images() {
        let mut d = DatasetInfo::new("ds", "d").unwrap();
        let a = d.add_class("a").unwrap();
        let _empty = d.add_class("empty").unwrap();
        let c = d.add_class("c").unwrap();
        d.add_image(img(Some(c), 1)).unwrap();
        d.add_image(img(None, 1)).unwrap();
        d.add_image(img(Some(a), 1)).unwrap();
        let (images, labels, names) = d.labelled();
        assert_eq!(names, vec!["a", "c"]);
        assert_eq!(labels, vec![0, 1]);
        assert_eq!(images[0].class, Some(a));
        let ds = to_dataset(&d, 2, 1, 1, |i, _| vec![i as u8; 2]).unwrap();
        assert_eq!(ds.pixels, vec![0, 0, 1, 1]);
        assert_eq!(ds.class_names, vec!["a", "c"]);
        assert!(to_dataset(&d, 2, 1, 1, |_, _| vec![0; 3]).is_err());
    }

    #[test]
    fn input_pixels_average_boxes_and_convert_colour() {
        // 4×2 RGBA: left half red, right half white → 2×1.
        let mut rgba = Vec::new();
        for _ in 0..2 {
            for x in 0..4 {
                rgba.extend(if x < 2 { [255, 0, 0, 255] } else { [255, 255, 255, 255] });
            }
        }
        assert_eq!(input_pixels(&rgba, 4, 2, 2, 1, 3), vec![255, 0, 0, 255, 255, 255]);
        assert_eq!(input_pixels(&rgba, 4, 2, 2, 1, 1), vec![54, 255]); // 0.2125 × 255
        // Enlarging repeats pixels; odd sizes cover every source pixel once.
        assert_eq!(input_pixels(&rgba, 4, 2, 8, 4, 1).len(), 32);
        assert_eq!(input_pixels(&rgba, 4, 2, 3, 1, 1), vec![54, 54, 255]);
    }

    #[test]
    fn a_full_store_refuses_the_commit_and_keeps_what_it_had() {
        let store = MemoryStore::with_quota(100);
        let mut d = DatasetInfo::new("ds", "d").unwrap();
        let a = d.add_class("a").unwrap();
        let i1 = d.add_image(img(Some(a), 60)).unwrap();
        block_on(store.commit(&d, vec![(i1, vec![1; 60])], &[])).unwrap();
        let saved = d.clone();

        let mut next = d.clone();
        let i2 = next.add_image(img(Some(a), 60)).unwrap();
        assert_eq!(block_on(store.commit(&next, vec![(i2, vec![2; 60])], &[])), Err(StoreError::QuotaExceeded));
        assert!(StoreError::QuotaExceeded.text().ja.contains("いっぱい"));
        // Nothing of the failed commit is visible; the first image is intact.
        assert_eq!(block_on(store.datasets()).unwrap(), vec![saved]);
        assert_eq!(block_on(store.file("ds", i1)).unwrap(), vec![1; 60]);
        assert_eq!(block_on(store.file("ds", i2)), Err(StoreError::Missing(i2)));

        // Removing the first image in the same commit frees its room.
        let removed = next.remove_images(&[i1]);
        block_on(store.commit(&next, vec![(i2, vec![2; 60])], &removed)).unwrap();
        assert_eq!(store.used(), 60);
        block_on(store.delete("ds")).unwrap();
        assert!(block_on(store.datasets()).unwrap().is_empty());
        assert_eq!(store.used(), 0);
    }

    #[test]
    fn parts_follow_the_training_split() {
        let mut d = DatasetInfo::new("ds", "d").unwrap();
        let a = d.add_class("a").unwrap();
        let b = d.add_class("b").unwrap();
        for k in 0..20 {
            d.add_image(img(Some(if k % 2 == 0 { a } else { b }), 1)).unwrap();
        }
        d.add_image(img(None, 1)).unwrap();
        let holdout = parts(&d, &TrainConfig::default()).unwrap();
        assert_eq!(holdout.iter().filter(|p| **p == Part::Validation).count(), 6); // 30 % of 10, per class
        assert_eq!(holdout.iter().filter(|p| **p == Part::Train).count(), 14);
        assert_eq!(holdout[20], Part::Test);
        let kfold = parts(&d, &TrainConfig { validation: Validation::KFold { k: 3 }, ..TrainConfig::default() }).unwrap();
        let per_fold: Vec<usize> = (0..3).map(|f| kfold.iter().filter(|p| **p == Part::Fold(f)).count()).collect();
        assert_eq!(per_fold.iter().sum::<usize>(), 20);
        assert!(per_fold.iter().all(|&n| (6..=7).contains(&n)), "{per_fold:?}");
        // Same seed, same parts; another seed, others.
        assert_eq!(parts(&d, &TrainConfig::default()).unwrap(), holdout);
        assert_ne!(parts(&d, &TrainConfig { seed: 7, ..TrainConfig::default() }).unwrap(), holdout);
    }
}
