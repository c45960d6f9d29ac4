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

/// Refuses a JPEG that is cut short: decoders (the browser's and Rust's) fill the missing part
/// with grey and say nothing, so a half-sent photo would become training data. Walks the
/// segments to the image data and looks for the end marker after it; anything after the end
/// (a phone's motion-photo video) is allowed. Other formats pass (their decoders notice a cut).
///
/// A JPEG written without its end marker at all (some old cameras and webcam frames) cannot be
/// told from a cut one and is refused too.
///
/// # Errors
/// [`CoreError::ImageDecode`] when a JPEG's segments run past the end or its end marker is
/// missing.
pub fn check_complete(bytes: &[u8]) -> Result<(), CoreError> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Ok(());
    }
    let cut = || CoreError::ImageDecode("the JPEG file is cut short (its end is missing; was it copied or sent completely?)".into());
    let mut pos = 2;
    loop {
        // A marker: 0xFF (any number of fill bytes), then its code. Stray bytes before it
        // (some editors write them) are skipped, as libjpeg and browsers do.
        while bytes.get(pos).is_some_and(|&b| b != 0xFF) {
            pos += 1;
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else { return Err(cut()) };
        pos += 1;
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => continue,
            0xD9 => return Err(cut()),
            _ => {}
        }
        let (Some(&hi), Some(&lo)) = (bytes.get(pos), bytes.get(pos + 1)) else { return Err(cut()) };
        pos += usize::from(u16::from_be_bytes([hi, lo]));
        if pos > bytes.len() {
            return Err(cut());
        }
        if marker == 0xDA {
            // Image data: a 0xFF in it is followed by 0x00 (a stuffed byte) or a restart
            // marker; progressive files have more segments and scans before the end marker.
            return if bytes[pos..].windows(2).any(|w| w == [0xFF, 0xD9]) { Ok(()) } else { Err(cut()) };
        }
    }
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
    fn a_cut_jpeg_is_refused_and_a_whole_one_passes() {
        // SOI, an APP0 segment, SOS with 2 bytes of header, data with a stuffed 0xFF00, EOI.
        let whole = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2, 0xFF, 0xDA, 0, 2, 9, 0xFF, 0, 7, 0xFF, 0xD9];
        assert!(check_complete(&whole).is_ok());
        // Anything after the end (a motion photo's video) is fine.
        assert!(check_complete(&[&whole[..], b"ftypmp42...."].concat()).is_ok());
        for cut in [4, 7, 10, 14, 16, 17] {
            let e = check_complete(&whole[..cut]).unwrap_err();
            assert!(e.to_string().contains("cut short"), "{cut}: {e}");
        }
        // Stray bytes between segments are skipped (libjpeg warns and goes on).
        let stray = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2, 0x00, 0x0A, 0xFF, 0xDA, 0, 2, 9, 0xFF, 0xD9];
        assert!(check_complete(&stray).is_ok());
        assert!(check_complete(&[0xFF, 0xD8, 0x12]).unwrap_err().to_string().contains("cut short"));
        assert!(check_complete(b"\x89PNG....").is_ok());
    }

    #[test]
    fn a_zero_size_is_refused() {
        assert!(check_header(&png_header(0, 10)).is_err());
    }
}
