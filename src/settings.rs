//! The shared settings ([`imagelab_core::session::settings`]) as the page's one reducer: the app
//! holds it, the labs read it and dispatch [`SettingsAction`]s.

use imagelab_core::nn::experiment::TrainConfig;
use imagelab_core::session::settings::{Settings, SettingsAction};
use std::ops::Deref;
use std::rc::Rc;
use yew::prelude::*;

/// [`Settings`] as a Yew reducer.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared(pub Settings);

impl Reducible for Shared {
    type Action = SettingsAction;

    fn reduce(self: Rc<Self>, action: SettingsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.apply(action);
        Rc::new(next)
    }
}

impl Deref for Shared {
    type Target = Settings;

    fn deref(&self) -> &Settings {
        &self.0
    }
}

/// The handle the app gives the labs that read and change the settings.
pub type SettingsHandle = UseReducerHandle<Shared>;

/// The training form's settings out of the shared ones: reads as the `TrainConfig`, and
/// [`ConfigHandle::set`] dispatches [`SettingsAction::Config`].
#[derive(Clone, PartialEq)]
pub struct ConfigHandle(pub SettingsHandle);

impl ConfigHandle {
    /// Replaces the form's settings.
    pub fn set(&self, config: TrainConfig) {
        self.0.dispatch(SettingsAction::Config(config));
    }
}

impl Deref for ConfigHandle {
    type Target = TrainConfig;

    fn deref(&self) -> &TrainConfig {
        &self.0.config
    }
}
