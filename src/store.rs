//! The core's reducers ([`imagelab_core::session::Reducer`]: the shared settings, the concepts
//! stepper, the comparison and table labs) as Yew reducers, through one wrapper:
//! `use_reducer(Store::default)`, then `dispatch` an action and read the state through `Deref`.
//! Every action re-renders; `use_reducer_eq` skips an action that changed nothing (the comparison
//! lab's number fields keep a typed value that does not parse, as the browser shows it).

use imagelab_core::session::Reducer;
use std::ops::Deref;
use std::rc::Rc;
use yew::prelude::*;

/// A core reducer held by a component.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Store<R>(pub R);

impl<R: Reducer> Reducible for Store<R> {
    type Action = R::Action;

    fn reduce(self: Rc<Self>, action: R::Action) -> Rc<Self> {
        let mut next = self.0.clone();
        next.apply(action);
        Rc::new(Store(next))
    }
}

impl<R> Deref for Store<R> {
    type Target = R;

    fn deref(&self) -> &R {
        &self.0
    }
}
