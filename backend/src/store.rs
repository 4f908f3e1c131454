//! The in-memory demo collection behind `/api/items`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use lab_types::{Item, ItemPatch, NewItem};

/// The collection never grows past this, so the demo cannot be used to fill memory.
pub const MAX_ITEMS: usize = 1000;
/// Longest item name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

#[derive(Debug)]
pub struct ItemStore {
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    next_id: u64,
    items: BTreeMap<u64, Item>,
}

/// Why a change to the collection was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum StoreError {
    NotFound(u64),
    Full,
    InvalidName(String),
}

impl ItemStore {
    /// A collection with a few items, so that the first `GET` shows something.
    pub fn seeded() -> Self {
        let mut inner = Inner {
            next_id: 1,
            items: BTreeMap::new(),
        };
        for name in [
            "Read the Fetch standard",
            "Open the lab",
            "Break the policy",
        ] {
            inner.insert(name.into(), false);
        }
        ItemStore {
            inner: Mutex::new(inner),
        }
    }

    pub fn list(&self) -> Vec<Item> {
        self.lock().items.values().cloned().collect()
    }

    pub fn get(&self, id: u64) -> Result<Item, StoreError> {
        self.lock()
            .items
            .get(&id)
            .cloned()
            .ok_or(StoreError::NotFound(id))
    }

    pub fn create(&self, new: NewItem) -> Result<Item, StoreError> {
        let name = valid_name(new.name)?;
        let mut inner = self.lock();
        if inner.items.len() >= MAX_ITEMS {
            return Err(StoreError::Full);
        }
        Ok(inner.insert(name, new.done))
    }

    pub fn replace(&self, id: u64, new: NewItem) -> Result<Item, StoreError> {
        let name = valid_name(new.name)?;
        self.modify(id, |item| {
            item.name = name;
            item.done = new.done;
        })
    }

    pub fn patch(&self, id: u64, patch: ItemPatch) -> Result<Item, StoreError> {
        let name = patch.name.map(valid_name).transpose()?;
        self.modify(id, |item| {
            if let Some(name) = name {
                item.name = name;
            }
            if let Some(done) = patch.done {
                item.done = done;
            }
        })
    }

    pub fn delete(&self, id: u64) -> Result<(), StoreError> {
        self.lock()
            .items
            .remove(&id)
            .map(|_| ())
            .ok_or(StoreError::NotFound(id))
    }

    fn modify(&self, id: u64, change: impl FnOnce(&mut Item)) -> Result<Item, StoreError> {
        let mut inner = self.lock();
        let item = inner.items.get_mut(&id).ok_or(StoreError::NotFound(id))?;
        change(item);
        Ok(item.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the map itself intact.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Inner {
    fn insert(&mut self, name: String, done: bool) -> Item {
        let item = Item {
            id: self.next_id,
            name,
            done,
        };
        self.next_id += 1;
        self.items.insert(item.id, item.clone());
        item
    }
}

fn valid_name(name: String) -> Result<String, StoreError> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::InvalidName(format!(
            "an item name must have 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(trimmed.to_string())
}
