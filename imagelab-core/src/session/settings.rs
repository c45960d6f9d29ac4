//! The settings the labs share and an experiment link carries — the page's language, the training
//! settings, the augmentation lab's pipeline and whether runs train with it — as one reducer.
//! The page holds one [`Settings`] and changes it only through [`SettingsAction`]s, so a link
//! pasted into an open tab is one action, applied as at start.

use crate::data::augment::Pipeline;
use crate::i18n::Lang;
use crate::nn::experiment::TrainConfig;
use crate::session::Reducer;
use crate::session::share::{DataRef, Experiment};

/// What the labs share.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The page's language.
    pub lang: Lang,
    /// The training lab's form: network, optimizer, hyperparameters, split, seed. Its `augment`
    /// is not what a run uses: see [`Settings::run_config`].
    pub config: TrainConfig,
    /// The augmentation lab's pipeline.
    pub pipeline: Pipeline,
    /// Whether runs train with `pipeline` (the training lab's tick box).
    pub use_augment: bool,
}

impl Reducer for Settings {
    type Action = SettingsAction;

    fn apply(&mut self, action: SettingsAction) {
        match action {
            SettingsAction::ToggleLang => self.lang = self.lang.other(),
            SettingsAction::Config(c) => self.config = c,
            SettingsAction::Pipeline(p) => self.pipeline = p,
            SettingsAction::UseAugment(on) => self.use_augment = on,
            SettingsAction::OpenLink(e) => *self = Self::of_link(&e),
        }
    }
}

/// One change of the shared settings.
#[derive(Clone, Debug, PartialEq)]
pub enum SettingsAction {
    /// 日本語 ⇄ English.
    ToggleLang,
    /// The training lab's form changed.
    Config(TrainConfig),
    /// The augmentation lab's pipeline changed.
    Pipeline(Pipeline),
    /// Train with the pipeline, or without.
    UseAugment(bool),
    /// An experiment link was opened: its language, settings and pipeline, all at once.
    OpenLink(Box<Experiment>),
}

impl Settings {
    /// The settings a page starts with: the link's when it was opened with one, else the
    /// defaults in `lang` (`?lang=`, else the browser's languages), with the digits' pipeline.
    pub fn new(lang: Lang, link: Option<&Experiment>) -> Self {
        match link {
            Some(e) => Self::of_link(e),
            None => Settings { lang, config: TrainConfig::default(), pipeline: Pipeline::digits(), use_augment: false },
        }
    }

    fn of_link(e: &Experiment) -> Self {
        // A link carries "train with the pipeline" as a non-empty `config.augment`.
        Settings { lang: e.lang, config: e.config.clone(), pipeline: e.pipeline.clone(), use_augment: !e.config.augment.is_identity() }
    }

    /// What a run trains with: the form's settings, with the pipeline when it is ticked (and no
    /// augmentation when not).
    pub fn run_config(&self) -> TrainConfig {
        TrainConfig { augment: if self.use_augment { self.pipeline.clone() } else { Pipeline::default() }, ..self.config.clone() }
    }

    /// The experiment as it stands, on `data`, for a link that opens the training lab.
    pub fn experiment(&self, data: DataRef) -> Experiment {
        Experiment {
            lab: "train".into(),
            lang: self.lang,
            data,
            config: self.run_config(),
            pipeline: self.pipeline.clone(),
            model_file: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::augment::{Aug, Step};
    use crate::session::share;

    fn flip() -> Pipeline {
        Pipeline { steps: vec![Step { aug: Aug::FlipHorizontal, p: 0.5 }], mixup: 0.0 }
    }

    #[test]
    fn a_page_without_a_link_starts_from_the_defaults_in_its_language() {
        let s = Settings::new(Lang::En, None);
        assert_eq!(s.lang, Lang::En);
        assert_eq!(s.config, TrainConfig::default());
        assert_eq!(s.pipeline, Pipeline::digits());
        assert!(!s.use_augment);
        assert!(s.run_config().augment.is_identity(), "not ticked: no augmentation");
    }

    #[test]
    fn a_run_trains_with_the_pipeline_only_when_ticked() {
        let mut s = Settings::new(Lang::Ja, None);
        s.apply(SettingsAction::Pipeline(flip()));
        assert!(s.run_config().augment.is_identity());
        s.apply(SettingsAction::UseAugment(true));
        assert_eq!(s.run_config().augment, flip());
        // The form's other settings pass through.
        s.apply(SettingsAction::Config(TrainConfig { epochs: 7, ..TrainConfig::default() }));
        assert_eq!(s.run_config().epochs, 7);
        s.apply(SettingsAction::ToggleLang);
        assert_eq!(s.lang, Lang::En);
    }

    /// A link made from one page, opened in a tab whose settings differ in everything, gives
    /// that tab the first page's language, run and pipeline in one action — through the link's
    /// text, as a classmate receives it.
    #[test]
    fn a_pasted_link_applies_the_whole_experiment_in_one_action() {
        let mut sender = Settings::new(Lang::En, None);
        sender.apply(SettingsAction::Config(TrainConfig { epochs: 3, batch_size: 16, seed: 9, ..TrainConfig::default() }));
        sender.apply(SettingsAction::Pipeline(flip()));
        sender.apply(SettingsAction::UseAugment(true));
        let hash = share::hash(&sender.experiment(DataRef::Digits));
        let received = share::decode(share::parse_hash(&hash).1.unwrap()).unwrap();

        let mut tab = Settings::new(Lang::Ja, None);
        tab.apply(SettingsAction::Config(TrainConfig { epochs: 40, ..TrainConfig::default() }));
        tab.apply(SettingsAction::OpenLink(Box::new(received.clone())));
        assert_eq!(tab.lang, Lang::En);
        assert_eq!(tab.run_config(), sender.run_config());
        assert_eq!((&tab.pipeline, tab.use_augment), (&flip(), true));
        assert_eq!(tab, Settings::new(Lang::Ja, Some(&received)), "as if the page had been opened with it");

        // A link without augmentation unticks the box but keeps its pipeline.
        sender.apply(SettingsAction::UseAugment(false));
        let hash = share::hash(&sender.experiment(DataRef::Digits));
        tab.apply(SettingsAction::OpenLink(Box::new(share::decode(share::parse_hash(&hash).1.unwrap()).unwrap())));
        assert!(!tab.use_augment);
        assert_eq!(tab.pipeline, flip());
        assert!(tab.run_config().augment.is_identity());
    }
}
