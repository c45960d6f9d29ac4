//! The concepts lab's lessons (しくみ).

pub mod concepts;
