//! "An image is worth 16×16 words" (Dosovitskiy et al., ICLR 2021): a Vision Transformer (ViT)
//! cuts the image into P×P patches and reads them as a sequence of words.
//!
//! - **Order of the patches**: reading order (row-major) — the top row of patches left to right,
//!   then the next row. Patch `i` sits in column `i % cols`, row `i / cols`.
//! - **Order inside a patch** (its flattened vector): channel-last, as ViT's
//!   `rearrange(x, 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)')` — for each pixel row of the patch,
//!   for each pixel in it left to right, every channel (R, G, B). A patch of an RGB image is
//!   `[R, G, B, R, G, B, …]`, P·P·C values: 16 × 16 × 3 = 768.
//! - **Sizes that are not a multiple of P**: ViT resizes every image to 224×224 first, so the
//!   patches tile it exactly (14 × 14 = 196). Here an image of any size is cut as it is and the
//!   incomplete strip at the right and the bottom — narrower than P — is **dropped** (counted by
//!   [`PatchGrid::dropped_right`] and [`PatchGrid::dropped_bottom`], so the page can say so);
//!   [`resize_rgb`] makes a photo 224×224 the ViT way first.

use crate::CoreError;
use crate::images::filter::Plane;
use crate::images::geometry::resize;
use image::RgbImage;

/// The image side ViT-Base/16 reads.
pub const VIT_SIZE: usize = 224;
/// ViT-Base/16's patch side.
pub const VIT_PATCH: usize = 16;

/// How a `width × height × channels` image is cut into `patch × patch` patches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PatchGrid {
    /// The image's width in pixels.
    pub width: usize,
    /// The image's height in pixels.
    pub height: usize,
    /// Values per pixel (3 for RGB).
    pub channels: usize,
    /// The patch side P.
    pub patch: usize,
    /// Whole patches across: `width / patch`.
    pub cols: usize,
    /// Whole patches down: `height / patch`.
    pub rows: usize,
}

impl PatchGrid {
    /// The grid, or `None` when `patch` or `channels` is 0. A patch larger than the image gives
    /// no patches at all (everything is dropped).
    pub fn new(width: usize, height: usize, channels: usize, patch: usize) -> Option<Self> {
        (patch > 0 && channels > 0).then(|| PatchGrid { width, height, channels, patch, cols: width / patch, rows: height / patch })
    }

    /// ViT-Base/16's grid: a 224×224 RGB image in 16×16 patches, 14 × 14 = 196 of them.
    pub fn vit() -> Self {
        PatchGrid {
            width: VIT_SIZE,
            height: VIT_SIZE,
            channels: 3,
            patch: VIT_PATCH,
            cols: VIT_SIZE / VIT_PATCH,
            rows: VIT_SIZE / VIT_PATCH,
        }
    }

    /// The number of patches: the length of the sequence ViT reads (196 for 224×224, P = 16).
    pub fn count(&self) -> usize {
        self.cols * self.rows
    }

    /// The length of one flattened patch, P·P·C (768 for 16×16×3).
    pub fn flat_len(&self) -> usize {
        self.patch * self.patch * self.channels
    }

    /// Pixel columns at the right that do not fill a whole patch, and are dropped.
    pub fn dropped_right(&self) -> usize {
        self.width - self.cols * self.patch
    }

    /// Pixel rows at the bottom that do not fill a whole patch, and are dropped.
    pub fn dropped_bottom(&self) -> usize {
        self.height - self.rows * self.patch
    }

    /// Whether the patches tile the image exactly (nothing dropped).
    pub fn exact(&self) -> bool {
        self.dropped_right() == 0 && self.dropped_bottom() == 0
    }

    /// Patch `index`'s column and row in the grid (reading order).
    pub fn cell(&self, index: usize) -> (usize, usize) {
        (index % self.cols.max(1), index / self.cols.max(1))
    }

    /// The top-left pixel (x, y) of patch `index`.
    pub fn origin(&self, index: usize) -> (usize, usize) {
        let (col, row) = self.cell(index);
        (col * self.patch, row * self.patch)
    }
}

/// One patch: where it is, and its values flattened channel-last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patch<V> {
    /// Its place in the sequence, from 0 (the page numbers them from 1).
    pub index: usize,
    /// Its column in the grid.
    pub col: usize,
    /// Its row in the grid.
    pub row: usize,
    /// Its top-left pixel's x.
    pub x: usize,
    /// Its top-left pixel's y.
    pub y: usize,
    /// P·P·C values: for each pixel row, each pixel, each channel.
    pub values: Vec<V>,
}

/// The flattened values of patch `index` of `data` (row-major, channel-last, the grid's size).
///
/// # Panics
/// If `index >= grid.count()` or `data` is shorter than the grid's image.
pub fn patch_values<V: Copy>(data: &[V], grid: &PatchGrid, index: usize) -> Vec<V> {
    assert!(index < grid.count(), "patch {index} of {}", grid.count());
    let (p, c) = (grid.patch, grid.channels);
    let (x0, y0) = grid.origin(index);
    let mut out = Vec::with_capacity(grid.flat_len());
    for y in y0..y0 + p {
        let start = (y * grid.width + x0) * c;
        out.extend_from_slice(&data[start..start + p * c]);
    }
    out
}

/// Cuts a `width × height × channels` image (row-major, channel-last:
/// `data[(y·width + x)·channels + c]`) into `patch × patch` patches in reading order. The incomplete right and bottom strips
/// are dropped (see the module's notes).
pub fn patchify<V: Copy>(
    data: &[V],
    width: usize,
    height: usize,
    channels: usize,
    patch: usize,
) -> Result<(PatchGrid, Vec<Patch<V>>), CoreError> {
    let grid = PatchGrid::new(width, height, channels, patch).ok_or_else(|| {
        CoreError::setting(
            "patch",
            format!("パッチの一辺 {patch} とチャンネル数 {channels} は 1 以上にしてください"),
            format!("patch side {patch} and channels {channels} must be at least 1"),
        )
    })?;
    if data.len() != width * height * channels {
        return Err(CoreError::setting(
            "patch",
            format!("{width}×{height}×{channels} の画像に値が {} 個あります", data.len()),
            format!("{} values for a {width}×{height}×{channels} image", data.len()),
        ));
    }
    let patches = (0..grid.count())
        .map(|index| {
            let (col, row) = grid.cell(index);
            let (x, y) = grid.origin(index);
            Patch { index, col, row, x, y, values: patch_values(data, &grid, index) }
        })
        .collect();
    Ok((grid, patches))
}

/// [`patchify`] for an 8-bit RGB image.
pub fn patchify_rgb(img: &RgbImage, patch: usize) -> Result<(PatchGrid, Vec<Patch<u8>>), CoreError> {
    patchify(img.as_raw(), img.width() as usize, img.height() as usize, 3, patch)
}

/// An RGB image resized to `w × h` the way the image lab resizes (bilinear, anti-aliased when
/// shrinking; [`crate::images::geometry::resize`] on each channel) — ViT's 224×224 before the cut.
///
/// # Panics
/// If `w` or `h` is 0.
pub fn resize_rgb(img: &RgbImage, w: usize, h: usize) -> RgbImage {
    let (iw, ih) = (img.width() as usize, img.height() as usize);
    let planes: Vec<Vec<u8>> = (0..3)
        .map(|c| {
            let plane = Plane::new(iw, ih, img.pixels().map(|p| p[c] as f32).collect());
            resize(&plane, w, h, true).to_u8()
        })
        .collect();
    RgbImage::from_fn(w as u32, h as u32, |x, y| {
        let i = y as usize * w + x as usize;
        image::Rgb([planes[0][i], planes[1][i], planes[2][i]])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 4×4 RGB image whose values count up in memory order: pixel (x, y) has
    /// R, G, B = 3·(4y + x) + 1, + 2, + 3.
    #[rustfmt::skip]
    const IMAGE_4X4X3: [u8; 48] = [
        // y = 0: (0,0)       (1,0)       (2,0)       (3,0)
         1,  2,  3,   4,  5,  6,   7,  8,  9,  10, 11, 12,
        // y = 1
        13, 14, 15,  16, 17, 18,  19, 20, 21,  22, 23, 24,
        // y = 2
        25, 26, 27,  28, 29, 30,  31, 32, 33,  34, 35, 36,
        // y = 3
        37, 38, 39,  40, 41, 42,  43, 44, 45,  46, 47, 48,
    ];

    #[test]
    fn a_4x4x3_image_cut_into_2x2_patches_by_hand() {
        let (grid, patches) = patchify(&IMAGE_4X4X3, 4, 4, 3, 2).unwrap();
        assert_eq!((grid.cols, grid.rows, grid.count(), grid.flat_len()), (2, 2, 4, 12));
        assert!(grid.exact());
        // Reading order: top-left, top-right, bottom-left, bottom-right. Inside each: the top
        // pixel row (left pixel R G B, right pixel R G B), then the second pixel row.
        let expected: [(usize, usize, usize, usize, [u8; 12]); 4] = [
            (0, 0, 0, 0, [1, 2, 3, 4, 5, 6, 13, 14, 15, 16, 17, 18]),
            (1, 0, 2, 0, [7, 8, 9, 10, 11, 12, 19, 20, 21, 22, 23, 24]),
            (0, 1, 0, 2, [25, 26, 27, 28, 29, 30, 37, 38, 39, 40, 41, 42]),
            (1, 1, 2, 2, [31, 32, 33, 34, 35, 36, 43, 44, 45, 46, 47, 48]),
        ];
        assert_eq!(patches.len(), 4);
        for (i, (p, (col, row, x, y, values))) in patches.iter().zip(expected).enumerate() {
            assert_eq!(p.index, i);
            assert_eq!((p.col, p.row, p.x, p.y), (col, row, x, y), "patch {i}'s place");
            assert_eq!(p.values, values.to_vec(), "patch {i}'s values");
        }
    }

    #[test]
    fn an_rgb_image_gives_the_same_patches() {
        let img = RgbImage::from_raw(4, 4, IMAGE_4X4X3.to_vec()).unwrap();
        let (_, from_rgb) = patchify_rgb(&img, 2).unwrap();
        let (_, from_slice) = patchify(&IMAGE_4X4X3, 4, 4, 3, 2).unwrap();
        assert_eq!(from_rgb, from_slice);
    }

    #[test]
    fn vit_224x224x3_with_p16_is_196_patches_of_768() {
        let grid = PatchGrid::vit();
        assert_eq!(Some(grid), PatchGrid::new(VIT_SIZE, VIT_SIZE, 3, VIT_PATCH));
        assert_eq!((grid.cols, grid.rows, grid.count(), grid.flat_len()), (14, 14, 196, 768));
        assert!(grid.exact());
        let data = vec![0u8; 224 * 224 * 3];
        let (_, patches) = patchify(&data, 224, 224, 3, 16).unwrap();
        assert_eq!(patches.len(), 196);
        assert!(patches.iter().all(|p| p.values.len() == 768));
        assert_eq!((patches[195].col, patches[195].row, patches[195].x, patches[195].y), (13, 13, 208, 208));
    }

    #[test]
    fn the_incomplete_edge_is_dropped_and_counted() {
        // 5 wide, 3 high, one channel, P = 2: 2 × 1 patches; 1 column and 1 row dropped.
        #[rustfmt::skip]
        let data = [
            1, 2, 3, 4, 5,
            6, 7, 8, 9, 10,
            11, 12, 13, 14, 15,
        ];
        let (grid, patches) = patchify(&data, 5, 3, 1, 2).unwrap();
        assert_eq!((grid.cols, grid.rows, grid.count(), grid.flat_len()), (2, 1, 2, 4));
        assert_eq!((grid.dropped_right(), grid.dropped_bottom()), (1, 1));
        assert!(!grid.exact());
        assert_eq!(patches[0].values, vec![1, 2, 6, 7]);
        assert_eq!(patches[1].values, vec![3, 4, 8, 9]);
        // The sample photo (320×240): P = 16 tiles it, P = 32 drops the bottom 16 rows.
        let g16 = PatchGrid::new(320, 240, 3, 16).unwrap();
        assert_eq!((g16.count(), g16.flat_len(), g16.exact()), (300, 768, true));
        let g32 = PatchGrid::new(320, 240, 3, 32).unwrap();
        assert_eq!((g32.cols, g32.rows, g32.count(), g32.flat_len()), (10, 7, 70, 3072));
        assert_eq!((g32.dropped_right(), g32.dropped_bottom()), (0, 16));
        // A patch larger than the image: nothing is left.
        assert_eq!(PatchGrid::new(10, 10, 3, 16).unwrap().count(), 0);
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(PatchGrid::new(4, 4, 3, 0).is_none());
        assert!(patchify(&IMAGE_4X4X3, 4, 4, 3, 0).is_err());
        assert!(patchify(&IMAGE_4X4X3, 4, 4, 0, 2).is_err());
        assert!(patchify(&IMAGE_4X4X3[..47], 4, 4, 3, 2).is_err());
    }

    #[test]
    fn resizing_to_224_keeps_a_flat_colour() {
        let img = RgbImage::from_pixel(320, 240, image::Rgb([10, 200, 30]));
        let small = resize_rgb(&img, VIT_SIZE, VIT_SIZE);
        assert_eq!((small.width(), small.height()), (224, 224));
        assert!(small.pixels().all(|p| p.0 == [10, 200, 30]));
        let (grid, _) = patchify_rgb(&small, VIT_PATCH).unwrap();
        assert_eq!((grid.count(), grid.flat_len()), (196, 768));
    }
}
