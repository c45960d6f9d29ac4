//! はじめに — the start page: the lesson path (画像 → データ → 学習 → 共有) as four big steps, and
//! "continue where you left off". Short on purpose: on a phone it is one screen.

use crate::labs::Lab;
use crate::text::{self, T};
use imagelab_core::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The lab the student had open last time, if any.
    pub resume: Option<Lab>,
    /// The dataset chosen for training, if not the built-in digits.
    pub data_name: Option<String>,
}

#[function_component(StartPage)]
pub fn start_page(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let steps = [
        (Lab::Image, text::START_STEP_IMAGE),
        (Lab::Data, text::START_STEP_DATA),
        (Lab::Train, text::START_STEP_TRAIN),
        (Lab::Share, text::START_STEP_SHARE),
    ];
    let more = [Lab::Concepts, Lab::Augment, Lab::Compare];
    html! {
        <section class="lab start" aria-labelledby="start-heading">
            <h2 id="start-heading">{ t(text::START_HEADING) }</h2>
            <p class="intro">{ t(text::START_INTRO) }</p>
            if let Some(lab) = props.resume {
                <a id="resume" class="button primary big" href={format!("#/{}", lab.slug())}>
                    { format!("{}: {}", t(text::START_RESUME), t(lab.name())) }
                    if let Some(name) = props.data_name.as_ref().filter(|_| lab == Lab::Train) {
                        { format!("（{name}）") }
                    }
                </a>
            }
            <ol class="lesson-path" aria-label={t(text::START_PATH_LABEL)}>
                { for steps.iter().enumerate().map(|(i, (lab, what))| html! {
                    <li>
                        <a class="step" href={format!("#/{}", lab.slug())}>
                            <span class="number" aria-hidden="true">{ i + 1 }</span>
                            <span class="name">{ t(lab.name()) }</span>
                            <span class="what">{ t(*what) }</span>
                        </a>
                    </li>
                }) }
            </ol>
            <p class="note">{ t(text::START_MORE) }</p>
            <ul class="more-labs">
                { for more.iter().map(|lab| html! {
                    <li><a class="button" href={format!("#/{}", lab.slug())}>{ t(lab.name()) }</a></li>
                }) }
            </ul>
        </section>
    }
}
