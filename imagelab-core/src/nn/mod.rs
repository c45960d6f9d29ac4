//! Networks: a network as data, the run's settings, training, metrics and ROC, the pretrained
//! backbone and transfer learning. The modules that need burn sit behind the `nn` feature; the
//! settings and results are always compiled (the page reads them).

pub mod architecture;
#[cfg(feature = "nn")]
pub mod backbone;
pub mod experiment;
#[cfg(feature = "nn")]
pub mod inspect;
pub mod lite0;
pub mod metrics;
#[cfg(feature = "nn")]
pub mod model;
#[cfg(feature = "nn")]
pub mod modelfile;
pub mod progress;
pub mod roc;
pub mod schedule;
#[cfg(feature = "nn")]
pub mod train;
#[cfg(feature = "nn")]
pub mod transfer;
