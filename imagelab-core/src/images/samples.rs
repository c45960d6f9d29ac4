//! Built-in sample images, drawn from formulas (so they ship with no licence question and cost
//! no download): a small scene with sky, sun, hill and two "coins".

use image::{Rgb, RgbImage};

/// A `w`×`h` scene: a sky gradient, a sun, a green hill and two coins (copper and silver).
pub fn scene(w: u32, h: u32) -> RgbImage {
    let (wf, hf) = (w as f32, h as f32);
    RgbImage::from_fn(w, h, |x, y| {
        let (xf, yf) = (x as f32, y as f32);
        let inside = |cx: f32, cy: f32, r: f32| (xf - cx).powi(2) + (yf - cy).powi(2) <= r * r;
        let hill = hf * 0.62 - 0.08 * hf * ((xf / wf) * std::f32::consts::PI * 2.0).sin();
        let r = wf.min(hf);
        if inside(wf * 0.3, hf * 0.78, r * 0.12) {
            // Copper coin with a ring.
            let ring = !inside(wf * 0.3, hf * 0.78, r * 0.09);
            return if ring { Rgb([150, 80, 40]) } else { Rgb([196, 112, 60]) };
        }
        if inside(wf * 0.68, hf * 0.8, r * 0.1) {
            let ring = !inside(wf * 0.68, hf * 0.8, r * 0.075);
            return if ring { Rgb([150, 150, 160]) } else { Rgb([205, 205, 215]) };
        }
        if inside(wf * 0.78, hf * 0.22, r * 0.1) {
            return Rgb([255, 214, 64]);
        }
        if yf > hill {
            let shade = (40.0 + 60.0 * (yf - hill) / hf) as u8;
            return Rgb([50, 120 + shade / 2, 50]);
        }
        let t = yf / hill.max(1.0);
        Rgb([(90.0 + 100.0 * t) as u8, (150.0 + 70.0 * t) as u8, 235])
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_scene_has_its_size_and_colours() {
        let img = super::scene(160, 120);
        assert_eq!(img.dimensions(), (160, 120));
        // Sky at the top is blue, the ground green.
        assert!(img.get_pixel(5, 2)[2] > 200);
        assert!(img.get_pixel(5, 110)[1] > img.get_pixel(5, 110)[0]);
    }
}
