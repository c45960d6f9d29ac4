//! Image files in and out: the inputs a command names (files, or folders searched for images),
//! decoded as the image lab decodes them, and PNGs written beside their names.

use crate::fail::{Failure, unreadable, unwritable};
use image::RgbImage;
use imagelab_core::data::import::looks_like_image;
use std::path::{Path, PathBuf};

/// Files larger than this are refused before they are read (the page's limit too).
pub const MAX_FILE_BYTES: u64 = 100_000_000;

/// One input image: where it is and the name its outputs get (its path under the folder it was
/// found in, without extension).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The file.
    pub path: PathBuf,
    /// e.g. `coins/10yen_01` for `DIR/coins/10yen_01.jpg` found under `DIR`.
    pub stem: String,
}

/// A folder's entries, sorted, with each name; hidden files and macOS `__MACOSX` folders left out.
///
/// # Errors
/// The folder cannot be read (exit code 3).
pub fn visible_entries(dir: &Path) -> Result<Vec<(PathBuf, String)>, Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| unreadable(dir, &e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (p, name)
        })
        .filter(|(_, name)| !name.starts_with('.') && name != "__MACOSX")
        .collect())
}

fn walk(dir: &Path, base: &Path, out: &mut Vec<Input>) -> Result<(), Failure> {
    for (p, name) in visible_entries(dir)? {
        if p.is_dir() {
            walk(&p, base, out)?;
        } else if looks_like_image(&name) {
            let rel = p.strip_prefix(base).unwrap_or(&p).with_extension("");
            out.push(Input { stem: rel.to_string_lossy().replace('\\', "/"), path: p });
        }
    }
    Ok(())
}

/// The images named by `paths`: each file as given, and the image files found in each folder
/// (recursively, sorted, hidden files skipped).
///
/// # Errors
/// A path that does not exist, or no image at all (exit code 3).
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, p, &mut out)?;
        } else if p.is_file() {
            let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "image".into());
            out.push(Input { path: p.clone(), stem });
        } else {
            return Err(Failure::input(format!("{} がありません", p.display()), format!("{} does not exist", p.display())));
        }
    }
    if out.is_empty() {
        return Err(Failure::input("画像ファイルが見つかりません", "no image files found"));
    }
    // `a.jpg` and `a.png` would both write `a.png`: a later one keeps its extension in its name.
    let mut used = std::collections::HashSet::new();
    for input in &mut out {
        if !used.insert(input.stem.clone()) {
            let ext = input.path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
            let mut stem = format!("{}_{ext}", input.stem);
            let mut n = 2;
            while !used.insert(stem.clone()) {
                stem = format!("{}_{ext}_{n}", input.stem);
                n += 1;
            }
            input.stem = stem;
        }
    }
    Ok(out)
}

/// Reads a file, refusing one over `limit` bytes before reading it.
///
/// # Errors
/// Missing, unreadable or too large (exit code 3).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let meta = std::fs::metadata(path).map_err(|e| unreadable(path, &e))?;
    if meta.len() > limit {
        return Err(Failure::input(
            format!("{} は大きすぎます（{} MB まで）", path.display(), limit / 1_000_000),
            format!("{} is too large (at most {} MB)", path.display(), limit / 1_000_000),
        ));
    }
    std::fs::read(path).map_err(|e| unreadable(path, &e))
}

/// Decodes a photo as the image lab does: EXIF orientation applied, then scaled so its long side
/// is at most `max_side` (0 keeps the full size).
///
/// # Errors
/// Not an image, damaged, or too many pixels (exit code 3).
pub fn load_photo(path: &Path, max_side: u32) -> Result<RgbImage, Failure> {
    let bytes = read_limited(path, MAX_FILE_BYTES)?;
    let img = imagelab_core::data::import::decode_rgb(&bytes).map_err(|e| Failure::core(&path.display().to_string(), &e))?;
    let (w, h) = img.dimensions();
    if max_side == 0 || w.max(h) <= max_side {
        return Ok(img);
    }
    let scale = max_side as f64 / w.max(h) as f64;
    let (tw, th) = (((w as f64 * scale).round() as u32).max(1), ((h as f64 * scale).round() as u32).max(1));
    Ok(image::imageops::resize(&img, tw, th, image::imageops::FilterType::Triangle))
}

/// Writes RGBA pixels as `dir/stem.png`, creating folders as needed; returns the path.
///
/// # Errors
/// The file cannot be written (exit code 3).
pub fn write_png(dir: &Path, stem: &str, width: usize, height: usize, rgba: Vec<u8>) -> Result<PathBuf, Failure> {
    let path = dir.join(format!("{stem}.png"));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| unwritable(parent, &e))?;
    }
    let img = image::RgbaImage::from_raw(width as u32, height as u32, rgba)
        .ok_or_else(|| Failure::input("画素数が合いません", "pixel count mismatch"))?;
    img.save_with_format(&path, image::ImageFormat::Png).map_err(|e| unwritable(&path, &e))?;
    Ok(path)
}
