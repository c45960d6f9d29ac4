//! The model builder of the training lab: presets, a layer editor (add, remove, reorder, edit each
//! layer and its activation), each layer's output shape and parameter count, and the Keras code.
//! Shapes and refusals come from `imagelab_core::nn::architecture::ModelSpec::summary`.

use crate::labs::order_buttons;
use crate::text::{self, T};
use imagelab_core::Lang;
use imagelab_core::nn::architecture::{Activation, LayerSpec, ModelSpec, Output, Padding, Shape};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// An edit of the network's layers.
type LayersEdit = Box<dyn Fn(&mut Vec<LayerSpec>)>;
#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub spec: ModelSpec,
    /// The images the network takes.
    pub input: Shape,
    pub classes: usize,
    pub disabled: bool,
    pub on_change: Callback<ModelSpec>,
    /// Code shown instead of this network's own Keras code (transfer learning: the backbone and
    /// this head together).
    #[prop_or_default]
    pub code: Option<String>,
}

const PRESETS: [(&str, T); 3] = [("small-cnn", text::PRESET_SMALL_CNN), ("mlp", text::PRESET_MLP), ("deeper-cnn", text::PRESET_DEEPER_CNN)];

fn preset(slug: &str) -> Option<ModelSpec> {
    match slug {
        "small-cnn" => Some(ModelSpec::small_cnn()),
        "mlp" => Some(ModelSpec::course_mlp()),
        "deeper-cnn" => Some(ModelSpec::deeper_cnn()),
        _ => None,
    }
}

fn activation_name(a: Activation) -> T {
    match a {
        Activation::Identity => text::ACT_IDENTITY,
        Activation::Sigmoid => text::ACT_SIGMOID,
        Activation::Tanh => text::ACT_TANH,
        Activation::Relu => text::ACT_RELU,
    }
}

#[function_component(ModelEditor)]
pub fn model_editor(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let add_kind = use_state(|| "conv");
    let spec = &props.spec;
    let summary = spec.summary(props.input, props.classes);
    // A preset names the layers; the output kind is chosen apart.
    let current_preset = PRESETS.iter().find(|(slug, _)| preset(slug).map(|p| p.layers) == Some(spec.layers.clone())).map(|(s, _)| *s);

    let edit = {
        let (on, spec) = (props.on_change.clone(), spec.clone());
        move |f: LayersEdit| {
            let mut next = spec.clone();
            f(&mut next.layers);
            on.emit(next);
        }
    };
    let on_preset = {
        let (on, output) = (props.on_change.clone(), spec.output);
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(p) = preset(&sel.value()) {
                on.emit(ModelSpec { output, ..p });
            }
        })
    };
    let on_output = {
        let (on, spec) = (props.on_change.clone(), spec.clone());
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            let output = if sel.value() == Output::Sigmoid.slug() { Output::Sigmoid } else { Output::Softmax };
            on.emit(ModelSpec { output, ..spec.clone() });
        })
    };
    let on_add_kind = {
        let add_kind = add_kind.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(slug) = LayerSpec::SLUGS.into_iter().find(|s| *s == sel.value()) {
                add_kind.set(slug);
            }
        })
    };
    let on_add = {
        let (edit, add_kind) = (edit.clone(), add_kind.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(layer) = LayerSpec::from_slug(*add_kind) {
                edit(Box::new(move |layers| layers.push(layer.clone())));
            }
        })
    };
    let rows = summary.as_ref().ok();
    let total: Option<usize> = rows.map(|r| r.iter().map(|x| x.params).sum());

    html! {
        <fieldset class="model-editor" disabled={props.disabled}>
            <legend>{ t(text::MODEL_HEADING) }</legend>
            <div class="field">
                <label for="model-preset">{ t(text::MODEL_PRESET) }</label>
                <select id="model-preset" onchange={on_preset}>
                    if current_preset.is_none() {
                        <option value="custom" selected=true>{ t(text::PRESET_CUSTOM) }</option>
                    }
                    { for PRESETS.iter().map(|(slug, name)| html! {
                        <option value={*slug} selected={current_preset == Some(*slug)}>{ name.get(l) }</option>
                    }) }
                </select>
            </div>
            <ol id="layers" class="layers">
                <li class="layer input">
                    <strong>{ t(text::MODEL_INPUT) }</strong>
                    <span class="shape">{ props.input.to_string() }</span>
                </li>
                { for spec.layers.iter().enumerate().map(|(i, layer)| {
                    let row = rows.and_then(|r| r.get(i));
                    layer_row(l, i, layer, spec.layers.len(), row.map(|r| (r.output, r.params)), &edit)
                }) }
                if let Some(out) = rows.and_then(|r| r.last()) {
                    <li class="layer output">
                        <strong>{ out.name.get(l).to_owned() }</strong>
                        <span class="shape">{ out.output.to_string() }</span>
                        <span class="params">{ format!("{} {}", out.params, t(text::MODEL_PARAMS)) }</span>
                    </li>
                }
            </ol>
            <div class="field">
                <label for="model-output">{ t(text::MODEL_OUTPUT) }</label>
                <select id="model-output" onchange={on_output}>
                    <option value={Output::Softmax.slug()} selected={spec.output == Output::Softmax}>{ t(text::OUTPUT_SOFTMAX) }</option>
                    <option value={Output::Sigmoid.slug()} selected={spec.output == Output::Sigmoid}>{ t(text::OUTPUT_SIGMOID) }</option>
                </select>
            </div>
            <div class="actions">
                <select id="layer-add-kind" aria-label={t(text::LAYER_ADD_KIND)} onchange={on_add_kind}>
                    { for LayerSpec::SLUGS.iter().map(|slug| {
                        let name = LayerSpec::from_slug(slug).map(|x| x.name().get(l).to_owned()).unwrap_or_default();
                        html! { <option value={*slug} selected={*slug == *add_kind}>{ name }</option> }
                    }) }
                </select>
                <button id="layer-add" onclick={on_add}>{ t(text::LAYER_ADD) }</button>
            </div>
            {
                match (&summary, total) {
                    (Err(e), _) => html! { <p id="model-error" class="error" role="alert">{ e.text().get(l).to_owned() }</p> },
                    (Ok(_), Some(total)) => html! {
                        <p id="param-total" data-total={total.to_string()}>{ format!("{}: {total}", t(text::MODEL_TOTAL)) }</p>
                    },
                    _ => html! {},
                }
            }
            <details>
                <summary>{ t(text::MODEL_KERAS) }</summary>
                <pre class="code"><code id="model-code">{ props.code.clone().unwrap_or_else(|| spec.keras(props.input, props.classes)) }</code></pre>
            </details>
        </fieldset>
    }
}

/// One layer: its name, its settings, its output shape and parameters, and order buttons.
fn layer_row(
    l: Lang,
    i: usize,
    layer: &LayerSpec,
    count: usize,
    row: Option<(Shape, usize)>,
    edit: &(impl Fn(Box<dyn Fn(&mut Vec<LayerSpec>)>) + Clone + 'static),
) -> Html {
    let t = |s: T| s.get(l);
    let name = layer.name().get(l).to_owned();
    let set = |f: fn(&mut LayerSpec, f64)| {
        let edit = edit.clone();
        move |v: f64| edit(Box::new(move |layers| f(&mut layers[i], v)))
    };
    let number = |key: &str, label: T, value: f64, step: &'static str, apply: Box<dyn Fn(f64)>| {
        let id = format!("layer-{i}-{key}");
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<f64>() {
                apply(v);
            }
        });
        html! {
            <div class="field">
                <label for={id.clone()}>{ label.get(l) }</label>
                <input {id} type="number" inputmode="decimal" min="0" {step} value={value.to_string()} {onchange} />
            </div>
        }
    };
    let activation = |a: Activation| {
        let id = format!("layer-{i}-activation");
        let edit = edit.clone();
        let onchange = Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(act) = Activation::from_keras(&sel.value()) {
                edit(Box::new(move |layers| match &mut layers[i] {
                    LayerSpec::Conv { activation, .. } | LayerSpec::Dense { activation, .. } => *activation = act,
                    _ => {}
                }));
            }
        });
        html! {
            <div class="field">
                <label for={id.clone()}>{ t(text::LAYER_ACTIVATION) }</label>
                <select {id} {onchange}>
                    { for Activation::ALL.iter().map(|x| html! {
                        <option value={x.keras()} selected={*x == a}>{ activation_name(*x).get(l) }</option>
                    }) }
                </select>
            </div>
        }
    };
    let settings = match layer {
        LayerSpec::Conv { filters, kernel, stride, padding, activation: a } => {
            let id = format!("layer-{i}-padding");
            let edit = edit.clone();
            let on_padding = Callback::from(move |e: Event| {
                let sel: HtmlSelectElement = e.target_unchecked_into();
                let p = if sel.value() == "valid" { Padding::Valid } else { Padding::Same };
                edit(Box::new(move |layers| {
                    if let LayerSpec::Conv { padding, .. } = &mut layers[i] {
                        *padding = p;
                    }
                }));
            });
            html! { <>
                { number("filters", text::LAYER_FILTERS, *filters as f64, "1", Box::new(set(|x, v| if let LayerSpec::Conv { filters, .. } = x { *filters = v as usize }))) }
                { number("kernel", text::LAYER_KERNEL, *kernel as f64, "2", Box::new(set(|x, v| if let LayerSpec::Conv { kernel, .. } = x { *kernel = v as usize }))) }
                { number("stride", text::LAYER_STRIDE, *stride as f64, "1", Box::new(set(|x, v| if let LayerSpec::Conv { stride, .. } = x { *stride = v as usize }))) }
                <div class="field">
                    <label for={id.clone()}>{ t(text::LAYER_PADDING) }</label>
                    <select {id} onchange={on_padding}>
                        <option value="same" selected={*padding == Padding::Same}>{ t(text::PADDING_SAME) }</option>
                        <option value="valid" selected={*padding == Padding::Valid}>{ t(text::PADDING_VALID) }</option>
                    </select>
                </div>
                { activation(*a) }
            </> }
        }
        LayerSpec::MaxPool { size } | LayerSpec::AvgPool { size } => number(
            "size",
            text::LAYER_POOL,
            *size as f64,
            "1",
            Box::new(set(|x, v| match x {
                LayerSpec::MaxPool { size } | LayerSpec::AvgPool { size } => *size = v as usize,
                _ => {}
            })),
        ),
        LayerSpec::Dense { units, activation: a } => html! { <>
            { number("units", text::LAYER_UNITS, *units as f64, "1", Box::new(set(|x, v| if let LayerSpec::Dense { units, .. } = x { *units = v as usize }))) }
            { activation(*a) }
        </> },
        LayerSpec::Dropout { p } => number(
            "p",
            text::LAYER_DROPOUT,
            *p,
            "0.05",
            Box::new(set(|x, v| {
                if let LayerSpec::Dropout { p } = x {
                    *p = v
                }
            })),
        ),
        LayerSpec::Flatten | LayerSpec::BatchNorm => html! {},
    };
    html! {
        <li class="layer" data-kind={layer.slug()}>
            <strong>{ name.clone() }</strong>
            { settings }
            if let Some((shape, params)) = row {
                <span class="shape" data-shape={shape.to_string()}>{ shape.to_string() }</span>
                <span class="params">{ format!("{params} {}", t(text::MODEL_PARAMS)) }</span>
            }
            { order_buttons(l, i, count, &format!("{} {name}", i + 1), edit) }
        </li>
    }
}
