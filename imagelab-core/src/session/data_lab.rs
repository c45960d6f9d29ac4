//! What the data lab shows besides the images, as a pure reducer: the saved datasets and the one
//! open, the work in progress, the last import's report, the storage used, a message or a note,
//! whether the camera is on and whether the browser can store anything. The page's session (its
//! store, files and camera, `src/labs/data/session.rs`) dispatches a [`DataLabAction`] at each
//! step of its async work; the rules of what replaces what are here, tested natively.

use crate::data::import::{Outcome, Report};
use crate::i18n::Text;
use crate::session::Reducer;

/// An import's report as the lab lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportView {
    /// "12 images imported, 2 skipped" and the like.
    pub summary: Text,
    /// Notes on the whole import (classes made from folder names, say).
    pub notes: Vec<Text>,
    /// Each skipped file and why.
    pub skipped: Vec<(String, Text)>,
    /// Why the import stopped before the end, if it did.
    pub stopped: Option<Text>,
}

impl From<&Report> for ReportView {
    fn from(r: &Report) -> Self {
        ReportView {
            summary: r.summary(),
            notes: r.notes.clone(),
            skipped: r
                .files
                .iter()
                .filter_map(|f| match &f.outcome {
                    Outcome::Skipped(why) => Some((f.path.clone(), why.clone())),
                    Outcome::Imported(_) => None,
                })
                .collect(),
            stopped: r.stopped.clone(),
        }
    }
}

/// The data lab's visible state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataLabView {
    /// The saved datasets (id, name), by id.
    pub datasets: Vec<(String, String)>,
    /// The open dataset's id.
    pub open: Option<String>,
    /// What went wrong last.
    pub message: Option<Text>,
    /// Information, not an error (the sample photos were there already, say).
    pub note: Option<Text>,
    /// The work in progress, in words (the lab's buttons wait meanwhile).
    pub busy: Option<Text>,
    /// The last import's report.
    pub report: Option<ReportView>,
    /// Storage used and the quota, bytes (when the browser says).
    pub usage: Option<(f64, f64)>,
    /// The camera is on.
    pub camera: bool,
    /// The browser stores nothing (private mode, say): the lab can only look.
    pub no_store: bool,
}

/// One change of what the data lab shows.
#[derive(Clone, Debug, PartialEq)]
pub enum DataLabAction {
    /// The saved datasets, read again (kept sorted by id).
    Listed(Vec<(String, String)>),
    /// Storage used and the quota.
    Usage(Option<(f64, f64)>),
    /// Something went wrong: said until the next dataset is opened or the next import starts.
    Failed(Text),
    /// Information.
    Note(Text),
    /// A dataset (or none) was opened: the last report, message and note were about the one
    /// before.
    Opened(Option<String>),
    /// Work began that replaces the last report (an import): it, the message and the note go.
    Began(Text),
    /// The work in progress, in words.
    Busy(Text),
    /// The work ended.
    Idle,
    /// An import ended: its report.
    Imported(Box<Report>),
    /// The camera went on or off.
    Camera(bool),
    /// The browser cannot store datasets.
    NoStore,
}

impl Reducer for DataLabView {
    type Action = DataLabAction;

    fn apply(&mut self, action: DataLabAction) {
        match action {
            DataLabAction::Listed(mut list) => {
                list.sort();
                self.datasets = list;
            }
            DataLabAction::Usage(usage) => self.usage = usage,
            DataLabAction::Failed(why) => self.message = Some(why),
            DataLabAction::Note(note) => self.note = Some(note),
            DataLabAction::Opened(id) => {
                self.open = id;
                self.report = None;
                self.message = None;
                self.note = None;
            }
            DataLabAction::Began(what) => {
                self.message = None;
                self.note = None;
                self.report = None;
                self.busy = Some(what);
            }
            DataLabAction::Busy(what) => self.busy = Some(what),
            DataLabAction::Idle => self.busy = None,
            DataLabAction::Imported(report) => {
                self.busy = None;
                self.report = Some(ReportView::from(&*report));
            }
            DataLabAction::Camera(on) => self.camera = on,
            DataLabAction::NoStore => self.no_store = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Text {
        Text::new(s, s)
    }

    #[test]
    fn an_import_ends_in_its_report_with_each_skipped_file_and_replaces_the_last_one() {
        let mut v = DataLabView::default();
        v.apply(DataLabAction::Opened(Some("a".into())));
        v.apply(DataLabAction::Failed(t("quota")));
        v.apply(DataLabAction::Note(t("there already")));
        v.apply(DataLabAction::Began(t("working 0 / 3")));
        assert_eq!((v.message.is_none(), v.note.is_none()), (true, true), "a new import clears the last words");
        assert_eq!(v.busy, Some(t("working 0 / 3")));

        let mut report = Report::default();
        report.skip("a/notes.txt", t("not an image"));
        report.stopped = Some(t("too many files"));
        v.apply(DataLabAction::Imported(Box::new(report.clone())));
        assert_eq!(v.busy, None);
        let shown = v.report.clone().unwrap();
        assert_eq!(shown.skipped, vec![("a/notes.txt".to_owned(), t("not an image"))]);
        assert_eq!(shown.stopped, Some(t("too many files")));
        assert_eq!(shown.summary, report.summary());

        v.apply(DataLabAction::Began(t("working")));
        assert_eq!(v.report, None, "the next import's report replaces it");
    }

    #[test]
    fn opening_a_dataset_forgets_what_was_said_about_the_last_one() {
        let mut v = DataLabView::default();
        v.apply(DataLabAction::Imported(Box::default()));
        v.apply(DataLabAction::Failed(t("no")));
        v.apply(DataLabAction::Busy(t("exporting")));
        v.apply(DataLabAction::Opened(Some("b".into())));
        assert_eq!(v.open.as_deref(), Some("b"));
        assert_eq!((v.report.is_none(), v.message.is_none(), v.note.is_none()), (true, true, true));
        assert!(v.busy.is_some(), "opening does not end the work in progress");
        v.apply(DataLabAction::Listed(vec![("z".into(), "Z".into()), ("b".into(), "B".into())]));
        assert_eq!(v.datasets[0].0, "b", "listed by id");
        v.apply(DataLabAction::Camera(true));
        v.apply(DataLabAction::NoStore);
        v.apply(DataLabAction::Idle);
        assert!(v.camera && v.no_store && v.busy.is_none());
    }
}
