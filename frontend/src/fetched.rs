//! A document the lab reads from the backend, and reads again on demand.
//!
//! Components read it like a signal: `None` while the first read is under way,
//! then the last answer. `refetch()` reads it again and keeps showing the previous
//! answer until the new one arrives.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

type Load<T> = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = T>>>>;

/// The last answer of `load`, as a signal.
pub struct Fetched<T: 'static> {
    value: RwSignal<Option<T>>,
    load: StoredValue<Load<T>, LocalStorage>,
}

impl<T: 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Fetched<T> {}

impl<T: Send + Sync + 'static> Fetched<T> {
    /// Starts the first read at once.
    pub fn new<F: Future<Output = T> + 'static>(load: impl Fn() -> F + 'static) -> Self {
        let load: Load<T> = Rc::new(move || Box::pin(load()));
        let fetched = Fetched {
            value: RwSignal::new(None),
            load: StoredValue::new_local(load),
        };
        fetched.refetch();
        fetched
    }

    /// Reads the document again.
    pub fn refetch(&self) {
        let future = self.load.with_value(|load| load());
        let value = self.value;
        spawn_local(async move { value.set(Some(future.await)) });
    }

    /// Looks at the last answer, tracking it.
    pub fn with<R>(&self, f: impl FnOnce(&Option<T>) -> R) -> R {
        self.value.with(f)
    }

    /// Looks at the last answer without tracking it.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Option<T>) -> R) -> R {
        self.value.with_untracked(f)
    }
}
