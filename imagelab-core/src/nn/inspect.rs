//! Looking inside a trained network (ネットワークの中を見る): the first convolution's filters as
//! small images, the feature maps every convolution makes of one chosen image, and the class
//! probabilities. Every read is async, so it works on WebGPU as on the CPU.

use crate::error::CoreError;
use crate::images::filter::Plane;
use crate::nn::architecture::InputShape;
use crate::nn::model::Net;
use crate::session::protocol::{Inspection, MapLayer};
use burn::prelude::*;
use burn::tensor::activation::softmax;

/// Feature maps kept per layer (the first ones).
pub const MAX_MAPS: usize = 32;

async fn read(t: Tensor<4>) -> Result<(Vec<f32>, [usize; 4]), CoreError> {
    let dims = t.dims();
    let data = t.into_data_async().await.map_err(|e| CoreError::Device(format!("{e:?}")))?;
    Ok((data.try_to_vec::<f32>().map_err(|e| CoreError::Device(format!("{e:?}")))?, dims))
}

/// Planes `[n, c, h, w]` → `n·c` planes of `w`×`h` (at most `max`).
fn planes(values: &[f32], [n, c, h, w]: [usize; 4], max: usize) -> Vec<Plane> {
    values.chunks_exact(h * w).take((n * c).min(max)).map(|v| Plane::new(w, h, v.to_vec())).collect()
}

fn input_tensor(input: InputShape, pixels: &[u8], device: &Device) -> Result<Tensor<4>, CoreError> {
    let InputShape { channels, height, width } = input;
    if pixels.len() != channels * height * width {
        return Err(CoreError::dataset(
            format!("{} 個の値は {height}×{width}×{channels} の画像 1 枚分ではありません", pixels.len()),
            format!("{} values for a {height}×{width}×{channels} image", pixels.len()),
        ));
    }
    let chw: Vec<f32> = (0..channels).flat_map(|c| pixels.iter().skip(c).step_by(channels).map(|&v| v as f32 / 255.0)).collect();
    Ok(Tensor::<4>::from_data(TensorData::new(chw, [1, channels, height, width]), device))
}

/// The class probabilities `net` gives one image (`pixels`: HWC bytes of `input`'s size).
///
/// # Errors
/// As [`inspect`].
pub async fn predict(net: &Net, input: InputShape, pixels: &[u8], device: &Device) -> Result<Vec<f32>, CoreError> {
    let x = input_tensor(input, pixels, device)?;
    softmax(net.forward(x), 1)
        .into_data_async()
        .await
        .map_err(|e| CoreError::Device(format!("{e:?}")))?
        .try_to_vec::<f32>()
        .map_err(|e| CoreError::Device(format!("{e:?}")))
}

/// The most probable class of each image in `pixels` (HWC bytes of `input`'s size, one image
/// after another), in batches of 256.
///
/// # Errors
/// [`CoreError::BadDataset`] when `pixels` is not a whole number of images; [`CoreError::Device`]
/// when a read-back fails.
pub async fn predict_all(net: &Net, input: InputShape, pixels: &[u8], device: &Device) -> Result<Vec<u32>, CoreError> {
    let one = input.channels * input.height * input.width;
    if one == 0 || !pixels.len().is_multiple_of(one) {
        let (n, h, w, c) = (pixels.len(), input.height, input.width, input.channels);
        return Err(CoreError::dataset(
            format!("{n} 個の値は {h}×{w}×{c} の画像の整数枚分ではありません"),
            format!("{n} values are not whole {h}×{w}×{c} images"),
        ));
    }
    let mut labels = Vec::with_capacity(pixels.len() / one);
    for batch in pixels.chunks(256 * one) {
        let n = batch.len() / one;
        let (c, h, w) = (input.channels, input.height, input.width);
        let mut chw = Vec::with_capacity(batch.len());
        for img in batch.chunks_exact(one) {
            chw.extend((0..c).flat_map(|ch| img.iter().skip(ch).step_by(c).map(|&v| v as f32 / 255.0)));
        }
        let x = Tensor::<4>::from_data(TensorData::new(chw, [n, c, h, w]), device);
        let best = net.forward(x).argmax(1).into_data_async().await.map_err(|e| CoreError::Device(format!("{e:?}")))?;
        let best: Vec<i64> = best.convert::<i64>().try_to_vec::<i64>().map_err(|e| CoreError::Device(format!("{e:?}")))?;
        labels.extend(best.into_iter().map(|b| b as u32));
    }
    Ok(labels)
}

/// Runs `net` on one image (`pixels`: HWC bytes of `input`'s size) and reads back what is worth
/// seeing.
///
/// # Errors
/// [`CoreError::BadDataset`] when the pixels do not fit `input`; [`CoreError::Device`] when a
/// read-back fails.
pub async fn inspect(net: &Net, input: InputShape, index: usize, pixels: &[u8], device: &Device) -> Result<Inspection, CoreError> {
    let x = input_tensor(input, pixels, device)?;
    let mut layers = Vec::new();
    for (layer, t) in net.feature_maps(x.clone()) {
        let (values, dims) = read(t).await?;
        layers.push(MapLayer { layer, maps: planes(&values, dims, MAX_MAPS) });
    }
    let (filters, filter_channels) = match net.first_conv_weights() {
        Some(w) => {
            let (values, dims) = read(w).await?;
            (planes(&values, dims, 64 * 3), dims[1])
        }
        None => (Vec::new(), 0),
    };
    let probs = predict(net, input, pixels, device).await?;
    Ok(Inspection { index, probabilities: probs, filters, filter_channels, layers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::architecture::ModelSpec;

    #[test]
    fn inspection_has_filters_maps_and_probabilities() {
        let device = Device::flex();
        let input = InputShape { channels: 1, height: 28, width: 28 };
        let net = Net::new(&ModelSpec::small_cnn(), input, 10, &device).unwrap();
        let pixels: Vec<u8> = (0..784).map(|i| (i % 256) as u8).collect();
        let i = pollster::block_on(inspect(&net, input, 7, &pixels, &device)).unwrap();
        assert_eq!(i.index, 7);
        assert_eq!(i.filters.len(), 8);
        assert_eq!(i.filter_channels, 1);
        assert_eq!((i.filters[0].width, i.filters[0].height), (3, 3));
        assert_eq!(i.layers.len(), 2);
        assert_eq!(i.layers[0].maps.len(), 8);
        assert_eq!((i.layers[1].maps[0].width, i.layers[1].maps[0].height), (14, 14));
        assert_eq!(i.probabilities.len(), 10);
        assert!((i.probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert!(pollster::block_on(inspect(&net, input, 0, &[0; 5], &device)).is_err());
        let p = pollster::block_on(predict(&net, input, &pixels, &device)).unwrap();
        assert_eq!(p, i.probabilities);
    }

    #[test]
    fn predict_all_gives_each_images_most_probable_class_in_batches() {
        let device = Device::flex();
        let input = InputShape { channels: 3, height: 8, width: 8 };
        let net = Net::new(&ModelSpec::small_cnn(), input, 5, &device).unwrap();
        let mut rng = crate::rng::SplitMix64::new(9);
        // 300 images: two batches of 256 and 44.
        let pixels: Vec<u8> = (0..300 * 192).map(|_| rng.below(256) as u8).collect();
        let all = pollster::block_on(predict_all(&net, input, &pixels, &device)).unwrap();
        assert_eq!(all.len(), 300);
        for i in [0, 1, 255, 256, 299] {
            let p = pollster::block_on(predict(&net, input, &pixels[i * 192..(i + 1) * 192], &device)).unwrap();
            assert_eq!(all[i] as usize, crate::nn::metrics::argmax(&p), "image {i}");
        }
        assert!(pollster::block_on(predict_all(&net, input, &pixels[..100], &device)).is_err());
        assert_eq!(pollster::block_on(predict_all(&net, input, &[], &device)).unwrap(), Vec::<u32>::new());
    }
}
