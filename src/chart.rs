//! Learning curves as SVG: loss and accuracy, training vs validation, against epochs. SVG keeps
//! them sharp on phones and readable by screen readers (each chart has a text summary).

use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::protocol::CurvePoint;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The current run's curves.
    pub points: Vec<CurvePoint>,
    /// The current run's name, when it is one of several compared.
    #[prop_or_default]
    pub current: Option<String>,
    /// Finished runs drawn beside it (an ablation): name and curves.
    #[prop_or_default]
    pub compare: Vec<(String, Vec<CurvePoint>)>,
}

/// One line of a chart.
struct Series {
    /// CSS classes (colour, dashes).
    class: String,
    /// Legend text.
    label: String,
    xs: Vec<f64>,
    ys: Vec<f64>,
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

fn chart(lang: Lang, id: &str, title: T, series: &[Series], percent: bool) -> Html {
    let t = |s: T| s.get(lang);
    let x_max = series.iter().flat_map(|s| s.xs.iter().copied()).fold(1.0, f64::max).ceil();
    let (y_min, y_max) = if percent {
        (0.0, 1.0)
    } else {
        (0.0, series.iter().flat_map(|s| s.ys.iter().copied()).fold(0.1, f64::max) * 1.05)
    };
    let fmt = |v: f64| if percent { format!("{:.0}%", v * 100.0) } else { format!("{v:.2}") };
    let finals: Vec<String> =
        series.iter().filter_map(|s| s.ys.last().map(|v| format!("{} {}", s.label, fmt(*v)))).collect();
    let summary = if finals.is_empty() {
        t(text::CHART_EMPTY).to_owned()
    } else {
        format!("{}: {}", t(title), finals.join(", "))
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
                { for series.iter().map(|s| html! {
                    <path class={s.class.clone()} d={path(&s.xs, &s.ys, x_max, y_min, y_max)} />
                }) }
            </svg>
            <div class="legend">
                { for series.iter().map(|s| html! { <span class={format!("key {}", s.class)}>{ s.label.clone() }</span> }) }
            </div>
        </figure>
    }
}

/// Loss and accuracy curves side by side (stacked on a phone); with `compare`, every run's
/// training (dashed) and validation (solid) curves in its own colour.
#[function_component(Curves)]
pub fn curves(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    // (name, points, colour class) of every run drawn.
    let mut runs: Vec<(Option<String>, &[CurvePoint], String)> = props
        .compare
        .iter()
        .enumerate()
        .map(|(i, (name, pts))| (Some(name.clone()), pts.as_slice(), format!("run{i}")))
        .collect();
    if !props.points.is_empty() || runs.is_empty() {
        let class = if runs.is_empty() { String::new() } else { format!("run{}", runs.len()) };
        runs.push((props.current.clone(), props.points.as_slice(), class));
    }
    let series = |train: fn(&CurvePoint) -> f64, val: fn(&CurvePoint) -> f64| -> Vec<Series> {
        let mut out = Vec::new();
        for (name, pts, class) in &runs {
            let xs: Vec<f64> = pts.iter().map(|c| c.epoch).collect();
            let label = |what: &str| match name {
                Some(n) => format!("{n}: {what}"),
                None => what.to_owned(),
            };
            out.push(Series { class: format!("train {class}"), label: label(t(text::CHART_TRAIN)), xs: xs.clone(), ys: pts.iter().map(train).collect() });
            out.push(Series { class: format!("val {class}"), label: label(t(text::CHART_VAL)), xs, ys: pts.iter().map(val).collect() });
        }
        out
    };
    html! {
        <div class="charts">
            { chart(l, "loss-chart", text::CHART_LOSS, &series(|c| c.train_loss, |c| c.val_loss), false) }
            { chart(l, "acc-chart", text::CHART_ACC, &series(|c| c.train_accuracy, |c| c.val_accuracy), true) }
        </div>
    }
}
