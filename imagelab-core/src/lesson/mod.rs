//! The concepts lab's lessons (しくみ), and its forward/backward stepper's reducer.

pub mod concepts;
pub mod stepper;
