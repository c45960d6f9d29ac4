//! "What does the pretrained network see?" (issue #19): the image lab's photo through
//! EfficientNet-Lite0 with its ImageNet head, the five most probable of ImageNet's 1,000 classes
//! with their probabilities. The network runs in a training worker of this view's own, fetched
//! (worker and backbone) only when the student asks.

use crate::bridge::{WorkerEvent, WorkerHandle};
use crate::text::{self, T};
use image::RgbImage;
use imagelab_core::Lang;
use imagelab_core::i18n::Text;
use imagelab_core::session::protocol::{FromWorker, Preparation, ToWorker};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub photo: Rc<RgbImage>,
}

/// What the view shows.
#[derive(Clone, PartialEq)]
enum Answer {
    None,
    Busy { download: Option<(usize, usize)> },
    Top(Vec<(String, f32)>),
    Failed(Text),
}

#[function_component(ImageNetTop)]
pub fn imagenet_top(props: &Props) -> Html {
    let l = props.lang;
    let t = |s: T| s.get(l);
    let answer = use_state(|| Answer::None);
    // The photo the answer is about: a new photo clears it.
    let asked_for = use_mut_ref(|| None::<Rc<RgbImage>>);
    let worker = use_mut_ref(|| None::<WorkerHandle>);
    // Questions sent and not yet answered: only the answer to the last one, about the photo still
    // shown, is shown (the worker answers in order).
    let pending = use_mut_ref(|| 0u32);
    {
        let (answer, asked_for) = (answer.clone(), asked_for.clone());
        use_effect_with(Rc::clone(&props.photo), move |photo| {
            if asked_for.borrow().as_ref().is_some_and(|p| !Rc::ptr_eq(p, photo)) {
                *asked_for.borrow_mut() = None;
                answer.set(Answer::None);
            }
        });
    }
    let on_ask = {
        let (answer, asked_for, worker, photo, pending) =
            (answer.clone(), asked_for.clone(), worker.clone(), Rc::clone(&props.photo), pending.clone());
        Callback::from(move |_: MouseEvent| {
            if worker.borrow().is_none() {
                let (to_answer, worker_slot, asked, counted, pending) =
                    (answer.clone(), worker.clone(), asked_for.clone(), pending.clone(), pending.clone());
                // An answer counts down the questions; it is shown if it answers the last one and
                // the photo it was about is still the one asked about.
                let last_answer = move || {
                    let mut p = counted.borrow_mut();
                    *p = p.saturating_sub(1);
                    *p == 0 && asked.borrow().is_some()
                };
                let on_event = move |ev: WorkerEvent| match ev {
                    WorkerEvent::Message(FromWorker::Preparing { stage: Preparation::Download, done, total }) => {
                        to_answer.set(Answer::Busy { download: Some((done, total)) });
                    }
                    WorkerEvent::Message(FromWorker::ImageNet { top }) if last_answer() => {
                        to_answer.set(Answer::Top(top));
                    }
                    WorkerEvent::Message(FromWorker::RequestFailed { message } | FromWorker::Failed { message }) if last_answer() => {
                        to_answer.set(Answer::Failed(message));
                    }
                    WorkerEvent::Crashed(e) => {
                        *worker_slot.borrow_mut() = None;
                        *pending.borrow_mut() = 0;
                        to_answer.set(Answer::Failed(text::WORKER_FAILED.because(&e)));
                    }
                    _ => {}
                };
                match WorkerHandle::spawn(on_event) {
                    Ok(h) => *worker.borrow_mut() = Some(h),
                    Err(e) => {
                        answer.set(Answer::Failed(text::WORKER_UNSUPPORTED.because(&e)));
                        return;
                    }
                }
            }
            *asked_for.borrow_mut() = Some(Rc::clone(&photo));
            *pending.borrow_mut() += 1;
            answer.set(Answer::Busy { download: None });
            let msg = ToWorker::ImageNet { width: photo.width() as usize, height: photo.height() as usize, rgb: photo.as_raw().clone() };
            if let Some(Err(e)) = worker.borrow().as_ref().map(|w| w.send(&msg)) {
                *pending.borrow_mut() -= 1;
                answer.set(Answer::Failed(text::WORKER_FAILED.because(&e)));
            }
        })
    };
    let busy = matches!(*answer, Answer::Busy { .. });
    html! {
        <section class="imagenet" aria-labelledby="imagenet-heading">
            <h3 id="imagenet-heading">{ t(text::IMAGENET_HEADING) }</h3>
            <p class="note">{ t(text::IMAGENET_NOTE) }</p>
            <button id="imagenet-ask" onclick={on_ask} disabled={busy}>{ t(text::IMAGENET_ASK) }</button>
            {
                match &*answer {
                    Answer::None => html! {},
                    Answer::Busy { download } => html! {
                        <p id="imagenet-busy" class="note" role="status">
                            { match download {
                                Some((done, total)) => html! { <>
                                    <progress max={total.to_string()} value={done.to_string()} aria-label={t(text::PREPARING_DOWNLOAD)}></progress>
                                    { format!(" {}: {:.1} / {:.1} MB", t(text::PREPARING_DOWNLOAD), *done as f64 / 1e6, *total as f64 / 1e6) }
                                </> },
                                None => html! { t(text::IMAGENET_BUSY) },
                            } }
                        </p>
                    },
                    Answer::Top(top) => html! {
                        <ol id="imagenet-top" class="imagenet-top" data-count={top.len().to_string()}>
                            { for top.iter().map(|(name, p)| html! {
                                <li data-p={format!("{p:.4}")}>
                                    <span class="name">{ name.clone() }</span>
                                    <span class="bar" style={format!("width: {:.1}%", p * 100.0)}></span>
                                    <span class="p">{ format!("{:.1}%", p * 100.0) }</span>
                                </li>
                            }) }
                        </ol>
                    },
                    Answer::Failed(m) => html! { <p id="imagenet-error" class="error" role="alert">{ m.get(l).to_owned() }</p> },
                }
            }
        </section>
    }
}
