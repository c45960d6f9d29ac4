//! The course's worked convolution (Day 1, 空間フィルタリング), written the course's way.
//!
//! The course puts a 3×3 kernel on the top-left 3×3 window of a small image and writes every
//! product out by hand: `10×0+20×1+10×0+30×0+10×4+20×−2+10×0+30×1+10×0 = 50`; one pixel to
//! the right it gets `… = 80`. This module holds that example ([`course_image`],
//! [`course_kernel`]), the order in which the kernel visits the image with and without padding
//! ([`positions`]), and the expression of one step ([`step`], [`expression`]) — so the
//! explainer in the image lab shows exactly these strings, and they are tested here.
//!
//! The arithmetic is [`crate::images::filter::explain_at`]: a correlation (the kernel is not flipped),
//! as in the course.

use crate::images::filter::{Border, Kernel, Plane, Term, explain_at};

/// The course's image: its first three rows are the ones worked by hand in the course
/// (`10 20 10 30 / 30 10 20 10 / 10 30 10 20`); a fourth row makes it square (4×4), so a 3×3
/// kernel without padding has 2×2 positions.
#[rustfmt::skip]
pub const COURSE_IMAGE: [[f32; 4]; 4] = [
    [10., 20., 10., 30.],
    [30., 10., 20., 10.],
    [10., 30., 10., 20.],
    [20., 10., 30., 10.],
];

/// The course's kernel, `0 1 0 / 0 4 −2 / 0 1 0`.
#[rustfmt::skip]
pub const COURSE_KERNEL: [f32; 9] = [
    0., 1., 0.,
    0., 4., -2.,
    0., 1., 0.,
];

/// [`COURSE_IMAGE`] as a plane.
pub fn course_image() -> Plane {
    Plane::new(4, 4, COURSE_IMAGE.iter().flatten().copied().collect())
}

/// [`COURSE_KERNEL`] as a kernel.
pub fn course_kernel() -> Kernel {
    Kernel { size: 3, weights: COURSE_KERNEL.to_vec() }
}

/// A number as the course writes it: whole numbers without a decimal point, others with at
/// most two decimals (trailing zeros dropped), and a negative sign as the minus sign `−`
/// (U+2212), so a negative weight reads `×−2`.
pub fn number(v: f32) -> String {
    let text = if (v - v.round()).abs() < 1e-3 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    match text.strip_prefix('-') {
        // −0 (a tiny negative rounded away) is written 0.
        Some("0") => "0".to_owned(),
        Some(rest) => format!("\u{2212}{rest}"),
        None => text,
    }
}

/// The sum of products of one step, row by row, each term `pixel×weight`, joined by `+`:
/// `10×0+20×1+…`. A cell outside the image shows the value its padding gave it (0 for zero
/// padding).
pub fn expression(terms: &[Term]) -> String {
    terms.iter().map(|t| format!("{}×{}", number(t.pixel), number(t.weight))).collect::<Vec<_>>().join("+")
}

/// One step of the kernel: its products, their sum and the course-style text.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Where the kernel's centre is (the output pixel), in input coordinates.
    pub x: usize,
    /// See `x`.
    pub y: usize,
    /// Every product, row by row.
    pub terms: Vec<Term>,
    /// Their sum: the output value.
    pub sum: f32,
    /// Whether the kernel hangs over the edge here (some cells come from the padding).
    pub padded: bool,
}

impl Step {
    /// `10×0+20×1+… = 50`.
    pub fn text(&self) -> String {
        format!("{} = {}", expression(&self.terms), number(self.sum))
    }
}

/// The step with the kernel's centre on (x, y).
///
/// # Panics
/// If (x, y) is outside the image.
pub fn step(src: &Plane, kernel: &Kernel, border: Border, x: usize, y: usize) -> Step {
    let (terms, sum) = explain_at(src, kernel, border, x, y);
    let padded = terms.iter().any(|t| t.outside);
    Step { x, y, terms, sum, padded }
}

/// The kernel centres visited, in reading order (row by row, left to right).
///
/// Without padding (`padded == false`, the course's hand calculation, "valid" in NumPy's words)
/// the kernel stays wholly inside: the first position is the top-left window, and the output is
/// `(width − k + 1) × (height − k + 1)` — empty when the kernel is larger than the image. With
/// padding every pixel is a centre and the output keeps the input's size.
pub fn positions(width: usize, height: usize, kernel_size: usize, padded: bool) -> Vec<(usize, usize)> {
    let r = kernel_size / 2;
    if padded {
        return (0..height).flat_map(|y| (0..width).map(move |x| (x, y))).collect();
    }
    if width < kernel_size || height < kernel_size {
        return Vec::new();
    }
    (r..height - r).flat_map(|y| (r..width - r).map(move |x| (x, y))).collect()
}

/// The output's size for [`positions`]: (columns, rows).
pub fn output_size(width: usize, height: usize, kernel_size: usize, padded: bool) -> (usize, usize) {
    if padded {
        (width, height)
    } else if width < kernel_size || height < kernel_size {
        (0, 0)
    } else {
        (width - kernel_size + 1, height - kernel_size + 1)
    }
}

/// `p` grown or shrunk to `width × height`: the top-left values kept, new cells 0 — the size
/// selector of the explainer's editable input.
pub fn resized(p: &Plane, width: usize, height: usize) -> Plane {
    let data = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .map(|(x, y)| if x < p.width && y < p.height { p.get(x, y) } else { 0.0 })
        .collect();
    Plane::new(width, height, data)
}

/// `p` with the value at (x, y) set to `v`.
///
/// # Panics
/// If (x, y) is outside `p`.
pub fn with_value(p: &Plane, x: usize, y: usize, v: f32) -> Plane {
    assert!(x < p.width && y < p.height, "({x}, {y}) outside the plane");
    let mut next = p.clone();
    next.data[y * p.width + x] = v;
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_three_rows_are_the_courses() {
        let p = course_image();
        let rows: Vec<Vec<f32>> = (0..3).map(|y| (0..4).map(|x| p.get(x, y)).collect()).collect();
        assert_eq!(rows, vec![vec![10., 20., 10., 30.], vec![30., 10., 20., 10.], vec![10., 30., 10., 20.]]);
        assert_eq!(course_kernel().weights, vec![0., 1., 0., 0., 4., -2., 0., 1., 0.]);
    }

    #[test]
    fn the_first_step_is_50_and_the_next_80() {
        let (p, k) = (course_image(), course_kernel());
        let walk = positions(p.width, p.height, k.size, false);
        assert_eq!(walk, vec![(1, 1), (2, 1), (1, 2), (2, 2)]);
        assert_eq!(output_size(4, 4, 3, false), (2, 2));

        // By hand: 20 + 40 − 40 + 30 = 50.
        let first = step(&p, &k, Border::Zero, walk[0].0, walk[0].1);
        assert_eq!(first.text(), "10×0+20×1+10×0+30×0+10×4+20×\u{2212}2+10×0+30×1+10×0 = 50");
        assert_eq!(first.sum, 50.0);
        assert!(!first.padded);
        // One to the right: 10 + 80 − 20 + 10 = 80.
        let next = step(&p, &k, Border::Zero, walk[1].0, walk[1].1);
        assert_eq!(next.text(), "20×0+10×1+30×0+10×0+20×4+10×\u{2212}2+30×0+10×1+20×0 = 80");
        assert_eq!(next.sum, 80.0);
        // The literal the course prints, with the minus sign U+2212.
        assert_eq!(first.text(), "10×0+20×1+10×0+30×0+10×4+20×−2+10×0+30×1+10×0 = 50");
    }

    #[test]
    fn a_zero_padded_step_shows_the_outside_as_0() {
        let (p, k) = (course_image(), course_kernel());
        let walk = positions(p.width, p.height, k.size, true);
        assert_eq!(walk.len(), 16);
        assert_eq!(walk[0], (0, 0));
        assert_eq!(output_size(4, 4, 3, true), (4, 4));
        // Top-left corner: the row above and the column to the left are outside, 0.
        // 0 + 10×4 + 20×−2 + 30×1 = 30.
        let corner = step(&p, &k, Border::Zero, 0, 0);
        assert!(corner.padded);
        assert_eq!(corner.text(), "0×0+0×1+0×0+0×0+10×4+20×−2+0×0+30×1+10×0 = 30");
        // Bottom-right corner: 20×1 + 10×4 + 0×−2 = 60.
        let last = step(&p, &k, Border::Zero, 3, 3);
        assert_eq!(last.text(), "10×0+20×1+0×0+30×0+10×4+0×−2+0×0+0×1+0×0 = 60");
        // The interior steps are the same as without padding.
        assert_eq!(step(&p, &k, Border::Zero, 1, 1).sum, 50.0);
    }

    #[test]
    fn numbers_are_written_the_courses_way() {
        assert_eq!(number(50.0), "50");
        assert_eq!(number(-2.0), "−2");
        assert_eq!(number(1.0 / 9.0), "0.11");
        assert_eq!(number(4.444_444), "4.44");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(-0.0001), "0");
        assert_eq!(number(-12.25), "−12.25");
    }

    #[test]
    fn no_positions_when_the_kernel_is_larger_than_the_image_without_padding() {
        assert!(positions(3, 3, 5, false).is_empty());
        assert_eq!(output_size(3, 3, 5, false), (0, 0));
        assert_eq!(positions(3, 3, 3, false), vec![(1, 1)]);
        assert_eq!(positions(3, 3, 5, true).len(), 9);
    }

    #[test]
    fn resizing_keeps_the_top_left_values() {
        let p = course_image();
        let small = resized(&p, 3, 3);
        assert_eq!(small.data, vec![10., 20., 10., 30., 10., 20., 10., 30., 10.]);
        let big = resized(&p, 5, 5);
        assert_eq!(big.get(3, 0), 30.0);
        assert_eq!(big.get(4, 0), 0.0);
        assert_eq!(big.get(0, 4), 0.0);
        assert_eq!(with_value(&p, 3, 3, 7.0).get(3, 3), 7.0);
    }
}
