//! A session with the page: the page ⇄ worker protocol, the page's reducers (the shared settings,
//! a run, the training lab between runs), the HTML report and experiment links.

pub mod protocol;
pub mod report;
pub mod run_state;
pub mod settings;
pub mod share;
pub mod train_lab;
