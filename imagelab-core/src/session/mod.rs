//! A session with the page: the page ⇄ worker protocol, the page's reducers of a run and of the
//! training lab between runs, the HTML report and experiment links.

pub mod protocol;
pub mod report;
pub mod run_state;
pub mod share;
pub mod train_lab;
