//! A session with the page: the page ⇄ worker protocol, the page's reducer of a run, the HTML
//! report and experiment links.

pub mod protocol;
pub mod report;
pub mod run_state;
pub mod share;
