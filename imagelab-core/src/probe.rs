//! Checks an image file's size from its first bytes, before anything decodes it: a
//! "decompression bomb" (a small file that claims 100,000 × 100,000 pixels) is refused without
//! allocating its pixels.

use crate::error::CoreError;

/// The most pixels ImageLab accepts in one photo (100 megapixels; phones take 12–48).
pub const MAX_PIXELS: u64 = 100_000_000;

/// How many leading bytes [`check_header`] needs at most (JPEG can put its size after EXIF).
pub const HEADER_BYTES: usize = 256 * 1024;

/// What the header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    /// A known format within the limit: width and height.
    Fits(u32, u32),
    /// A format the probe does not know, or a header cut short: let the decoder decide.
    Unknown,
}

/// Reads the dimensions from the first bytes of an image file (PNG, JPEG, GIF, WebP, BMP, HEIF,
/// …) and refuses more than [`MAX_PIXELS`] or a zero size.
///
/// # Errors
/// [`CoreError::ImageDecode`] naming the claimed size when it is too large or empty.
pub fn check_header(header: &[u8]) -> Result<Probe, CoreError> {
    let Ok(size) = imagesize::blob_size(header) else { return Ok(Probe::Unknown) };
    let (w, h) = (size.width as u64, size.height as u64);
    if w == 0 || h == 0 {
        return Err(CoreError::ImageDecode(format!("the file claims a {w}×{h} image")));
    }
    if w * h > MAX_PIXELS {
        return Err(CoreError::ImageDecode(format!(
            "the file claims {w}×{h} pixels ({} megapixels; at most {} are accepted)",
            w * h / 1_000_000,
            MAX_PIXELS / 1_000_000
        )));
    }
    Ok(Probe::Fits(w as u32, h as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start of a PNG whose header claims `w`×`h` (the pixel data need not exist).
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut v = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
        v.extend_from_slice(b"IHDR");
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        v
    }

    #[test]
    fn a_bomb_is_refused_from_its_header() {
        let err = check_header(&png_header(100_000, 100_000)).unwrap_err();
        assert!(err.to_string().contains("100000×100000"));
        assert!(err.message(crate::Lang::Ja).contains("画像を読み込めません"));
    }

    #[test]
    fn a_phone_photo_fits() {
        assert_eq!(check_header(&png_header(8000, 6000)).unwrap(), Probe::Fits(8000, 6000));
    }

    #[test]
    fn unknown_bytes_are_left_to_the_decoder() {
        assert_eq!(check_header(b"hello, not an image").unwrap(), Probe::Unknown);
        assert_eq!(check_header(&[]).unwrap(), Probe::Unknown);
    }

    #[test]
    fn a_zero_size_is_refused() {
        assert!(check_header(&png_header(0, 10)).is_err());
    }
}
