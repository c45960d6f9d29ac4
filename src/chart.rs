//! Learning curves as SVG: loss and accuracy, training vs validation, against epochs. SVG keeps
//! them sharp on phones and readable by screen readers (each chart has a text summary).

use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::protocol::CurvePoint;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub points: Vec<CurvePoint>,
}

const W: f64 = 320.0;
const H: f64 = 180.0;
const PAD_L: f64 = 40.0;
const PAD_R: f64 = 10.0;
const PAD_T: f64 = 12.0;
const PAD_B: f64 = 28.0;

fn path(xs: &[f64], ys: &[f64], x_max: f64, y_min: f64, y_max: f64) -> String {
    let sx = |x: f64| PAD_L + x / x_max.max(1e-9) * (W - PAD_L - PAD_R);
    let sy = |y: f64| PAD_T + (1.0 - (y - y_min) / (y_max - y_min).max(1e-9)) * (H - PAD_T - PAD_B);
    xs.iter()
        .zip(ys)
        .enumerate()
        .map(|(i, (&x, &y))| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, sx(x), sy(y)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn chart(lang: Lang, id: &str, title: T, xs: &[f64], train: &[f64], val: &[f64], percent: bool) -> Html {
    let t = |s: T| s.get(lang);
    let x_max = xs.iter().copied().fold(1.0, f64::max).ceil();
    let (y_min, y_max) = if percent {
        (0.0, 1.0)
    } else {
        (0.0, train.iter().chain(val).copied().fold(0.1, f64::max) * 1.05)
    };
    let fmt = |v: f64| if percent { format!("{:.0}%", v * 100.0) } else { format!("{v:.2}") };
    let summary = match (train.last(), val.last()) {
        (Some(a), Some(b)) => format!(
            "{}: {} {}, {} {}",
            t(title),
            t(text::CHART_TRAIN),
            fmt(*a),
            t(text::CHART_VAL),
            fmt(*b)
        ),
        _ => t(text::CHART_EMPTY).to_owned(),
    };
    let ticks_y: Vec<f64> = (0..=4).map(|k| y_min + (y_max - y_min) * k as f64 / 4.0).collect();
    let ticks_x: Vec<f64> = (0..=x_max as usize).map(|e| e as f64).collect();
    let sx = |x: f64| PAD_L + x / x_max * (W - PAD_L - PAD_R);
    let sy = |y: f64| PAD_T + (1.0 - (y - y_min) / (y_max - y_min)) * (H - PAD_T - PAD_B);
    html! {
        <figure class="chart">
            <figcaption id={format!("{id}-title")}>{ t(title) }</figcaption>
            <svg id={id.to_owned()} viewBox={format!("0 0 {W} {H}")} role="img"
                 aria-labelledby={format!("{id}-title {id}-desc")} preserveAspectRatio="xMidYMid meet">
                <desc id={format!("{id}-desc")}>{ summary }</desc>
                { for ticks_y.iter().map(|&y| html! {
                    <g class="grid">
                        <line x1={PAD_L.to_string()} x2={(W - PAD_R).to_string()} y1={sy(y).to_string()} y2={sy(y).to_string()} />
                        <text x={(PAD_L - 4.0).to_string()} y={(sy(y) + 3.0).to_string()} text-anchor="end">{ fmt(y) }</text>
                    </g>
                }) }
                { for ticks_x.iter().map(|&x| html! {
                    <text class="tick" x={sx(x).to_string()} y={(H - PAD_B + 14.0).to_string()} text-anchor="middle">{ x }</text>
                }) }
                <text class="axis" x={((W + PAD_L) / 2.0).to_string()} y={(H - 2.0).to_string()} text-anchor="middle">{ t(text::CHART_X) }</text>
                <path class="train" d={path(xs, train, x_max, y_min, y_max)} />
                <path class="val" d={path(xs, val, x_max, y_min, y_max)} />
            </svg>
            <div class="legend">
                <span class="key train">{ t(text::CHART_TRAIN) }</span>
                <span class="key val">{ t(text::CHART_VAL) }</span>
            </div>
        </figure>
    }
}

/// Loss and accuracy curves side by side (stacked on a phone).
#[function_component(Curves)]
pub fn curves(props: &Props) -> Html {
    let p = &props.points;
    let xs: Vec<f64> = p.iter().map(|c| c.epoch).collect();
    let get = |f: fn(&CurvePoint) -> f64| p.iter().map(f).collect::<Vec<_>>();
    html! {
        <div class="charts">
            { chart(props.lang, "loss-chart", text::CHART_LOSS, &xs, &get(|c| c.train_loss), &get(|c| c.val_loss), false) }
            { chart(props.lang, "acc-chart", text::CHART_ACC, &xs, &get(|c| c.train_accuracy), &get(|c| c.val_accuracy), true) }
        </div>
    }
}
