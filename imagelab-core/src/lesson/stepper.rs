//! The concepts lab's forward/backward stepper (順伝播・逆伝播) as a reducer: the 2-3-2
//! network's weights, the example, the settings, the pass in flight and the last pass's numbers.
//! The pass itself is computed by burn's autodiff in the training worker
//! ([`crate::lesson::concepts::backprop`]): a [`StepperAction::Step`] puts the request in
//! [`Stepper::outbox`] (and bumps [`Stepper::serial`]) for the page to send, once; the worker's
//! answers come back in order as [`StepperAction::Answer`], and those of passes a reset forgot
//! are dropped.

use crate::i18n::Text;
use crate::lesson::concepts::{Activation, BackpropRequest, BackpropResult, Loss, TinyNet};
use crate::nn::experiment::MAX_LEARNING_RATE;
use crate::session::Reducer;

/// The stepper's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Stepper {
    /// The weights now (the default ones after a reset).
    pub net: TinyNet,
    /// The example's input (x₁, x₂).
    pub x: [f32; 2],
    /// The example's class, 0 or 1.
    pub target: usize,
    /// The hidden layer's activation.
    pub hidden: Activation,
    /// The loss.
    pub loss: Loss,
    /// The learning rate of the update, in 1e-4 … [`MAX_LEARNING_RATE`].
    pub lr: f64,
    /// The last pass: the weights it started from, its numbers, and how many passes since the
    /// last reset it was.
    pub last: Option<(TinyNet, BackpropResult, usize)>,
    /// Why the last pass failed.
    pub error: Option<Text>,
    /// The pass to send, once (bumped `serial` says a new one is there).
    pub outbox: Option<BackpropRequest>,
    /// Counts the passes put in the outbox.
    pub serial: u64,
    /// The weights the pass in flight was asked with (one pass at a time).
    pending: Option<TinyNet>,
    /// Answers still to come for passes a reset forgot (the worker answers in order).
    forgotten: usize,
    passes: usize,
}

/// One change of the stepper.
#[derive(Clone, Debug, PartialEq)]
pub enum StepperAction {
    /// Input `i` (0 or 1) is now the value.
    Input(usize, f32),
    /// The example's class.
    Target(usize),
    /// The hidden activation.
    Hidden(Activation),
    /// The loss.
    Loss(Loss),
    /// The learning rate (clamped to 1e-4 … [`MAX_LEARNING_RATE`]).
    LearningRate(f64),
    /// One forward and backward pass with an update, unless one is in flight.
    Step,
    /// The worker's answer to the oldest pass asked (dropped when a reset forgot that pass).
    Answer(BackpropResult),
    /// The worker could not do the oldest pass asked, and says why.
    Failed(Text),
    /// The worker is gone (crashed, or could not be started or reached): no answer is coming.
    Lost(Text),
    /// Back to the default weights; a pass in flight is forgotten.
    Reset,
}

impl Default for Stepper {
    fn default() -> Self {
        Stepper {
            net: TinyNet::default(),
            x: [1.0, -0.5],
            target: 1,
            hidden: Activation::Sigmoid,
            loss: Loss::CrossEntropy,
            lr: 0.5,
            last: None,
            error: None,
            outbox: None,
            serial: 0,
            pending: None,
            forgotten: 0,
            passes: 0,
        }
    }
}

impl Stepper {
    /// Whether a pass is in flight.
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// The pass the current settings ask for.
    pub fn request(&self) -> BackpropRequest {
        BackpropRequest { net: self.net.clone(), x: self.x, target: self.target, hidden: self.hidden, loss: self.loss, lr: self.lr as f32 }
    }
}

impl Reducer for Stepper {
    type Action = StepperAction;

    fn apply(&mut self, action: StepperAction) {
        match action {
            StepperAction::Input(i, v) => {
                if let Some(x) = self.x.get_mut(i) {
                    *x = v;
                }
            }
            StepperAction::Target(t) => self.target = t.min(1),
            StepperAction::Hidden(a) => self.hidden = a,
            StepperAction::Loss(l) => self.loss = l,
            StepperAction::LearningRate(lr) => self.lr = lr.clamp(1e-4, MAX_LEARNING_RATE),
            StepperAction::Step => {
                if self.pending.is_none() {
                    let request = self.request();
                    self.pending = Some(request.net.clone());
                    self.outbox = Some(request);
                    self.serial += 1;
                }
            }
            StepperAction::Answer(_) | StepperAction::Failed(_) if self.forgotten > 0 => self.forgotten -= 1,
            StepperAction::Answer(result) => {
                if let Some(before) = self.pending.take() {
                    self.net = result.updated.clone();
                    self.passes += 1;
                    self.last = Some((before, result, self.passes));
                    self.error = None;
                }
                self.outbox = None;
            }
            StepperAction::Failed(why) => {
                self.pending = None;
                self.outbox = None;
                self.error = Some(why);
            }
            StepperAction::Lost(why) => {
                self.pending = None;
                self.outbox = None;
                self.forgotten = 0;
                self.error = Some(why);
            }
            StepperAction::Reset => {
                let forgotten = self.forgotten + usize::from(self.pending.is_some());
                let kept = (self.x, self.target, self.hidden, self.loss, self.lr, self.serial);
                *self = Stepper { forgotten, ..Stepper::default() };
                (self.x, self.target, self.hidden, self.loss, self.lr, self.serial) = kept;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(to: &BackpropRequest) -> BackpropResult {
        // Any numbers will do here; the update moves one weight so that it shows.
        let mut updated = to.net.clone();
        updated.b2[0] -= 0.25;
        BackpropResult { z1: [0.0; 3], a1: [0.0; 3], z2: [0.0; 2], y: [0.5; 2], loss: 0.7, grads: TinyNet::default(), updated }
    }

    #[test]
    fn a_step_sends_one_pass_and_its_answer_updates_the_weights() {
        let mut s = Stepper::default();
        s.apply(StepperAction::Input(0, 0.25));
        s.apply(StepperAction::LearningRate(1e6));
        assert_eq!(s.lr, MAX_LEARNING_RATE);
        s.apply(StepperAction::Step);
        let sent = s.outbox.clone().expect("a pass to send");
        assert_eq!((s.serial, sent.x, sent.lr), (1, [0.25, -0.5], MAX_LEARNING_RATE as f32));
        assert!(s.busy());
        // One pass at a time: a second press while it is in flight sends nothing more.
        s.apply(StepperAction::Step);
        assert_eq!(s.serial, 1);
        s.apply(StepperAction::Answer(answer(&sent)));
        assert!(!s.busy());
        let (before, result, n) = s.last.clone().unwrap();
        assert_eq!((before, n), (TinyNet::default(), 1));
        assert_eq!(s.net, result.updated);
        // The next pass starts from the updated weights.
        s.apply(StepperAction::Step);
        assert_eq!(s.outbox.as_ref().unwrap().net, result.updated);
        s.apply(StepperAction::Answer(answer(&s.outbox.clone().unwrap())));
        assert_eq!(s.last.as_ref().unwrap().2, 2);
    }

    #[test]
    fn a_reset_forgets_the_pass_in_flight_and_keeps_the_example() {
        let mut s = Stepper::default();
        s.apply(StepperAction::Target(0));
        s.apply(StepperAction::Step);
        let sent = s.outbox.clone().unwrap();
        s.apply(StepperAction::Reset);
        assert!(!s.busy());
        // The late answer must not undo the reset.
        s.apply(StepperAction::Answer(answer(&sent)));
        assert_eq!((s.net.clone(), s.last.clone()), (TinyNet::default(), None));
        assert_eq!(s.target, 0, "the example stays");
        // The serial never goes back: the next pass is sent.
        s.apply(StepperAction::Step);
        assert_eq!(s.serial, 2);
        assert_eq!(s.last, None);
        // Reset, then a pass asked before the forgotten one was answered: that old answer comes
        // first and is dropped; the new one is taken.
        let mut s = Stepper::default();
        s.apply(StepperAction::Step);
        let old = s.outbox.clone().unwrap();
        s.apply(StepperAction::Reset);
        s.apply(StepperAction::Input(1, 0.75));
        s.apply(StepperAction::Step);
        let new = s.outbox.clone().unwrap();
        s.apply(StepperAction::Answer(answer(&old)));
        assert_eq!((s.last.clone(), s.busy()), (None, true), "the forgotten pass's answer undoes nothing");
        s.apply(StepperAction::Answer(answer(&new)));
        assert_eq!(s.last.as_ref().map(|l| (l.0.clone(), l.2)), Some((TinyNet::default(), 1)));
        assert!(!s.busy());
    }

    #[test]
    fn a_failed_pass_says_why_and_frees_the_button() {
        let mut s = Stepper::default();
        s.apply(StepperAction::Step);
        s.apply(StepperAction::Failed(Text::new("落ちました", "crashed")));
        assert!(!s.busy());
        assert_eq!(s.error.as_ref().unwrap().en, "crashed");
        s.apply(StepperAction::Step);
        let sent = s.outbox.clone().unwrap();
        s.apply(StepperAction::Answer(answer(&sent)));
        assert_eq!(s.error, None, "a pass that works clears it");
        // A worker lost with a forgotten pass: nothing more is dropped from the next one.
        s.apply(StepperAction::Step);
        s.apply(StepperAction::Reset);
        s.apply(StepperAction::Lost(Text::new("落ちました", "crashed")));
        s.apply(StepperAction::Step);
        let sent = s.outbox.clone().unwrap();
        s.apply(StepperAction::Answer(answer(&sent)));
        assert_eq!(s.last.as_ref().map(|l| l.2), Some(1));
    }
}
