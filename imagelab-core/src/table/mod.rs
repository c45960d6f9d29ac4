//! 表データ (the table lab): the course's modelling basics on a CSV, not on images.
//!
//! The data flows in this order, one module each:
//! - [`read`]: a CSV/TSV as Excel or pandas saves it (UTF-8, BOM, Shift_JIS; comma, tab or
//!   semicolon) into named columns of text, refused in words when ragged or too large;
//! - [`encode`]: the student's choice of target and task, turned into numbers as pandas and
//!   scikit-learn do it — `pd.get_dummies` on categorical columns, `StandardScaler` with the
//!   statistics of the training part only — refused in words for empty targets, constant
//!   columns or text in a column of numbers, each named with its row;
//! - [`linear`]: least-squares linear regression (scikit-learn's `LinearRegression`);
//! - [`mlp`] (feature `nn`): the training lab's kind of dense network, on burn, with the
//!   course's Keras program as its preset;
//! - [`run`]: the models on the image labs' split machinery (hold-out, K-fold; seeded), scored
//!   per fold as `cross_val_score` prints it (RMSE, accuracy, AUC with its ROC curve), and the
//!   Python code that does the same.
//!
//! Reference numbers from scikit-learn (`scripts/table/make_reference.py`) are compared in
//! `tests/table.rs`.

pub mod encode;
pub mod linear;
#[cfg(feature = "nn")]
pub mod mlp;
pub mod read;
pub mod run;

pub use encode::{Design, Scaler, Target, Task};
pub use read::{ColumnKind, Table, TableError};
