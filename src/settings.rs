//! The shared settings ([`imagelab_core::session::settings`]) as the page's one reducer: the app
//! holds it, the labs read it and dispatch [`SettingsAction`]s.

use crate::store::Store;
use imagelab_core::nn::experiment::TrainConfig;
use imagelab_core::session::settings::{Settings, SettingsAction};
use std::ops::Deref;
use yew::prelude::*;

/// The handle the app gives the labs that read and change the settings.
pub type SettingsHandle = UseReducerHandle<Store<Settings>>;

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
