//! A document the lab reads from the backend, and reads again on demand.
//!
//! Components read it like a signal: `None` while the first read is under way,
//! then the last answer. `refetch()` reads it again and keeps showing the previous
//! answer until the new one arrives. When reads overlap, only the answer to the
//! newest read is kept: a slow older answer never replaces a newer one.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use lab_logic::latest::Latest;
use leptos::prelude::*;
use leptos::task::spawn_local;

type Load<T> = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = T>>>>;

/// The last answer of `load`, as a signal.
pub struct Fetched<T: 'static> {
    value: RwSignal<Option<T>>,
    load: StoredValue<Load<T>, LocalStorage>,
    /// Which read is the newest (see [`Latest`]).
    latest: StoredValue<Rc<RefCell<Latest>>, LocalStorage>,
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
            latest: StoredValue::new_local(Rc::default()),
        };
        fetched.refetch();
        fetched
    }

    /// Reads the document again. The answer is dropped if another read starts
    /// before it arrives.
    pub fn refetch(&self) {
        let future = self.load.with_value(|load| load());
        let latest = self.latest.get_value();
        let ticket = latest.borrow_mut().start();
        let value = self.value;
        spawn_local(async move {
            let answer = future.await;
            if latest.borrow().is_newest(ticket) {
                value.set(Some(answer));
            }
        });
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
