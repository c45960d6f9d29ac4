//! Learning curves, drawn by plotters (its SVG backend): loss and accuracy, training (solid) vs
//! validation (dashed), against epochs; several runs each in its own colour. SVG keeps them sharp
//! on phones, goes into the exported report as it is, and is readable by screen readers: each
//! chart has a title and a text summary of where every line ends.

use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::session::protocol::CurvePoint;
use plotters::prelude::*;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The current run's curves.
    pub points: Vec<CurvePoint>,
    /// The current run's name, when it is one of several compared.
    #[prop_or_default]
    pub current: Option<String>,
    /// Finished runs drawn beside it (an ablation, or runs chosen in the history): name and curves.
    #[prop_or_default]
    pub compare: Vec<(String, Vec<CurvePoint>)>,
}

/// One line of a chart.
struct Series {
    /// `train-run0`, `val` …: which line it is (the chart's `data-series` lists them, for tests
    /// and for the legend's colour key).
    key: String,
    /// Legend text.
    label: String,
    colour: RGBColor,
    /// Validation lines are dashed.
    dashed: bool,
    points: Vec<(f64, f64)>,
}

const W: u32 = 320;
const H: u32 = 180;
/// A single run's colours (the page's --train and --val).
const TRAIN: RGBColor = RGBColor(0x1f, 0x6f, 0xb2);
const VAL: RGBColor = RGBColor(0xd9, 0x73, 0x0d);
/// One colour per compared run.
const RUNS: [RGBColor; 7] = [
    RGBColor(0x1f, 0x6f, 0xb2),
    RGBColor(0xd9, 0x73, 0x0d),
    RGBColor(0x2e, 0x9d, 0x4f),
    RGBColor(0x8b, 0x4c, 0xc7),
    RGBColor(0xc2, 0x3b, 0x6b),
    RGBColor(0x6b, 0x6b, 0x6b),
    RGBColor(0x11, 0x11, 0x11),
];
const TEXT: RGBColor = RGBColor(0x5b, 0x61, 0x70);
const GRID: RGBColor = RGBColor(0xe6, 0xe9, 0xf0);

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The chart as an SVG document (plotters), or `None` if plotters failed.
fn plot(series: &[Series], x_max: f64, (y_min, y_max): (f64, f64), percent: bool, x_label: &str) -> Option<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(8)
            .margin_right(10)
            .x_label_area_size(28)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..x_max, y_min..y_max)
            .ok()?;
        let fmt_y = |v: &f64| if percent { format!("{:.0}%", v * 100.0) } else { format!("{v:.2}") };
        let fmt_x = |v: &f64| format!("{v:.0}");
        chart
            .configure_mesh()
            .x_labels((x_max as usize + 1).min(11))
            .y_labels(5)
            .x_label_formatter(&fmt_x)
            .y_label_formatter(&fmt_y)
            .x_desc(x_label)
            .label_style(("sans-serif", 11).into_font().color(&TEXT))
            .axis_desc_style(("sans-serif", 11).into_font().color(&TEXT))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(GRID)
            .draw()
            .ok()?;
        for s in series {
            let style = ShapeStyle { color: s.colour.to_rgba(), filled: false, stroke_width: 2 };
            if s.dashed {
                chart.draw_series(DashedLineSeries::new(s.points.iter().copied(), 5, 3, style)).ok()?;
            } else {
                chart.draw_series(LineSeries::new(s.points.iter().copied(), style)).ok()?;
            }
        }
        root.present().ok()?;
    }
    Some(svg)
}

fn chart(lang: Lang, id: &str, title: T, series: &[Series], percent: bool) -> Html {
    let t = |s: T| s.get(lang);
    let x_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0, f64::max).ceil();
    let range = if percent {
        (0.0, 1.0)
    } else {
        (0.0, series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(|v| v.is_finite()).fold(0.1, f64::max) * 1.05)
    };
    let fmt = |v: f64| if percent { format!("{:.0}%", v * 100.0) } else { format!("{v:.2}") };
    let finals: Vec<String> = series.iter().filter_map(|s| s.points.last().map(|p| format!("{} {}", s.label, fmt(p.1)))).collect();
    let summary = if finals.is_empty() { t(text::CHART_EMPTY).to_owned() } else { format!("{}: {}", t(title), finals.join(", ")) };
    // Non-finite values (a diverged run) are left out of the lines; the summary still says them.
    let drawable: Vec<Series> = series
        .iter()
        .map(|s| Series {
            points: s.points.iter().copied().filter(|p| p.1.is_finite()).map(|(x, y)| (x, y.clamp(range.0, range.1))).collect(),
            ..s.clone_meta()
        })
        .collect();
    let keys = series.iter().map(|s| s.key.as_str()).collect::<Vec<_>>().join(" ");
    // plotters writes the whole <svg>: the chart's id, role and description go into its tag.
    let svg = plot(&drawable, x_max, range, percent, t(text::CHART_X)).unwrap_or_else(|| format!("<svg viewBox=\"0 0 {W} {H}\"></svg>"));
    let opening = format!(
        "<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" data-series=\"{keys}\" preserveAspectRatio=\"xMidYMid meet\" "
    );
    let svg = svg.replacen("<svg ", &opening, 1);
    let svg = match svg.find('>') {
        Some(end) => format!("{}<desc id=\"{id}-desc\">{}</desc>{}", &svg[..=end], escape(&summary), &svg[end + 1..]),
        None => svg,
    };
    html! {
        <figure class="chart">
            <figcaption id={format!("{id}-title")}>{ t(title) }</figcaption>
            { Html::from_html_unchecked(AttrValue::from(svg)) }
            <div class="legend">
                { for series.iter().map(|s| html! {
                    <span class={classes!("key", s.dashed.then_some("dashed"))} style={format!("--key: {}", hex(s.colour))}>{ s.label.clone() }</span>
                }) }
            </div>
        </figure>
    }
}

impl Series {
    fn clone_meta(&self) -> Series {
        Series { key: self.key.clone(), label: self.label.clone(), colour: self.colour, dashed: self.dashed, points: Vec::new() }
    }
}

/// Loss and accuracy curves side by side (stacked on a phone); with `compare`, every run's
/// training (solid) and validation (dashed) curves in its own colour.
#[function_component(Curves)]
pub fn curves(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    // (name, points, run index) of every run drawn; no index for a single run.
    let mut runs: Vec<(Option<String>, &[CurvePoint], Option<usize>)> =
        props.compare.iter().enumerate().map(|(i, (name, pts))| (Some(name.clone()), pts.as_slice(), Some(i))).collect();
    if !props.points.is_empty() || runs.is_empty() {
        let index = (!runs.is_empty()).then_some(runs.len());
        runs.push((props.current.clone(), props.points.as_slice(), index));
    }
    let series = |train: fn(&CurvePoint) -> f64, val: fn(&CurvePoint) -> f64| -> Vec<Series> {
        let mut out = Vec::new();
        for (name, pts, index) in &runs {
            let label = |what: &str| match name {
                Some(n) => format!("{n}: {what}"),
                None => what.to_owned(),
            };
            let (key, train_colour, val_colour) = match index {
                Some(i) => (format!("-run{i}"), RUNS[i % RUNS.len()], RUNS[i % RUNS.len()]),
                None => (String::new(), TRAIN, VAL),
            };
            out.push(Series {
                key: format!("train{key}"),
                label: label(t(text::CHART_TRAIN)),
                colour: train_colour,
                dashed: false,
                points: pts.iter().map(|c| (c.epoch, train(c))).collect(),
            });
            out.push(Series {
                key: format!("val{key}"),
                label: label(t(text::CHART_VAL)),
                colour: val_colour,
                dashed: true,
                points: pts.iter().map(|c| (c.epoch, val(c))).collect(),
            });
        }
        out
    };
    // Fine-tuning on much validation data measures the points on the way on a sample: say so.
    let sample = runs.iter().flat_map(|(_, pts, _)| pts.iter()).find_map(|c| c.val_sample);
    html! {
        <div class="charts">
            { chart(l, "loss-chart", text::CHART_LOSS, &series(|c| c.train_loss, |c| c.val_loss), false) }
            { chart(l, "acc-chart", text::CHART_ACC, &series(|c| c.train_accuracy, |c| c.val_accuracy), true) }
            if let Some(n) = sample {
                <p id="curve-sample" class="note">{ text::curve_sample(n).get(l) }</p>
            }
        </div>
    }
}
