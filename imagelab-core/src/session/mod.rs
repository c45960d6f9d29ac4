//! A session with the page: the page ⇄ worker protocol, the page's reducers (the shared settings,
//! a run, the training lab between runs, the comparison and table labs, what the data lab shows), the HTML
//! report and experiment links.

pub mod comparison;
pub mod data_lab;
pub mod protocol;
pub mod report;
pub mod run_state;
pub mod settings;
pub mod share;
pub mod table_lab;
pub mod train_lab;

/// A page's state as a pure reducer: every change is an action applied here, so the page only
/// renders and dispatches, and the rules are tested natively. The page holds most in one generic
/// Yew wrapper (`src/store.rs`); the data lab's view is dispatched to by its session's async steps. A reducer that also tells the page what to do next
/// returns commands instead ([`train_lab::TrainLab`]); a run's state has a worker serial beside
/// it in the page ([`run_state::RunState`]).
pub trait Reducer: Clone + PartialEq {
    /// One change.
    type Action;

    /// Applies `action`.
    fn apply(&mut self, action: Self::Action);
}
