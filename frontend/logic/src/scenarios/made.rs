//! The item a run made, and the paths that need it.
//!
//! Scenario 3 first POSTs a scratch item, then changes it with PUT and DELETE.
//! Their paths hold the placeholder `{id}`, which is the id of the item the POST
//! made. When the API answered the POST without an item (a readable error such
//! as `collection_full`), the later steps are not sent at all: the card shows why
//! instead. Sending them to item 1 would change the seeded item.
//!
//! When the page could not read the POST's answer at all (CORS blocked it, or no
//! answer came), the page cannot know an id. The PUT and DELETE still go, so the
//! card still shows their preflights, but to [`NO_SUCH_ITEM`]: they change
//! nothing.

use std::fmt;

use lab_types::{ApiError, Item};

use super::ID_PLACEHOLDER;
use crate::PageSaw;

/// Why there is no item for `{id}`. It reads as the end of a sentence that
/// starts with "because", e.g. "because the POST made no item (...)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoItem {
    /// No earlier step of the run tried to make one.
    NotTried,
    /// The POST was answered with an error the page could read, such as
    /// `collection_full`. `code` is `None` when the body is not the API's error.
    Refused { status: u16, code: Option<String> },
    /// The POST got an answer, but its body is not an item.
    NotAnItem { status: u16 },
    /// The page could not read an answer to the POST (blocked, or no answer).
    NoAnswer,
}

impl fmt::Display for NoItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoItem::NotTried => write!(f, "no earlier step made an item"),
            NoItem::Refused {
                status,
                code: Some(code),
            } => write!(
                f,
                "the POST made no item (the API answered {status} {code})"
            ),
            NoItem::Refused { status, code: None } => {
                write!(f, "the POST made no item (the API answered {status})")
            }
            NoItem::NotAnItem { status } => {
                write!(f, "the POST answered {status}, but not with an item")
            }
            NoItem::NoAnswer => write!(f, "the page could not read the POST's answer"),
        }
    }
}

/// An id that no item has: the API numbers its items from 1
/// (`backend/src/store.rs`). A request to it is answered `404 not_found`.
pub const NO_SUCH_ITEM: u64 = 0;

/// What the earlier steps of a run made: an item's id, or why there is none.
pub type Made = Result<u64, NoItem>;

/// What a step made, judged from what the page saw. Only a POST makes an item:
/// for any other method the answer is `None`, and the run keeps what it had.
pub fn made_by(method: &str, page: &PageSaw) -> Option<Made> {
    if !method.eq_ignore_ascii_case("POST") {
        return None;
    }
    Some(match page {
        PageSaw::Failed { .. } => Err(NoItem::NoAnswer),
        PageSaw::Response { status, body, .. } => {
            let status = *status;
            if (200..300).contains(&status) {
                serde_json::from_str::<Item>(body)
                    .map(|item| item.id)
                    .map_err(|_| NoItem::NotAnItem { status })
            } else {
                let code = serde_json::from_str::<ApiError>(body)
                    .ok()
                    .map(|error| error.error.to_string());
                Err(NoItem::Refused { status, code })
            }
        }
    })
}

/// Fills the id of the item made earlier in the run into a path. A path without
/// the placeholder needs no item and comes back unchanged. A POST whose answer
/// the page could not read gives [`NO_SUCH_ITEM`]. Any other missing item is an
/// error, and the step is not sent.
pub fn fill_id(path: &str, made: &Made) -> Result<String, NoItem> {
    if !path.contains(ID_PLACEHOLDER) {
        return Ok(path.to_string());
    }
    let id = match made {
        Ok(id) => *id,
        Err(NoItem::NoAnswer) => NO_SUCH_ITEM,
        Err(why) => return Err(why.clone()),
    };
    Ok(path.replace(ID_PLACEHOLDER, &id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> PageSaw {
        PageSaw::Response {
            status,
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    #[test]
    fn a_path_gets_the_made_item_or_the_reason_there_is_none() {
        let full = NoItem::Refused {
            status: 409,
            code: Some("collection_full".into()),
        };
        let cases = [
            (
                "/api/items/{id}",
                Ok(7),
                Ok("/api/items/7"),
                "the made item",
            ),
            (
                "/api/items",
                Ok(7),
                Ok("/api/items"),
                "no placeholder, no change",
            ),
            (
                "/api/items",
                Err(full.clone()),
                Ok("/api/items"),
                "no placeholder needs no item",
            ),
            (
                "/api/items/{id}",
                Err(full.clone()),
                Err(full.clone()),
                "a refused POST is not item 1",
            ),
            (
                "/api/items/{id}",
                Err(NoItem::NotTried),
                Err(NoItem::NotTried),
                "nothing made is not item 1",
            ),
            (
                "/api/items/{id}",
                Err(NoItem::NotAnItem { status: 200 }),
                Err(NoItem::NotAnItem { status: 200 }),
                "an answer that is no item is not item 1",
            ),
            (
                "/api/items/{id}",
                Err(NoItem::NoAnswer),
                Ok("/api/items/0"),
                "a blocked POST sends the rest to no item, for their preflights",
            ),
        ];
        for (path, made, filled, why) in cases {
            let filled = filled.map(String::from);
            assert_eq!(fill_id(path, &made), filled, "{why}");
        }
    }

    #[test]
    fn only_a_post_answered_with_an_item_makes_one() {
        let item = r#"{"id":12,"name":"made by the lab","done":false}"#;
        let full = r#"{"error":"collection_full","message":"The list is full."}"#;
        let cases = [
            ("POST", answer(201, item), Some(Ok(12)), "a created item"),
            (
                "post",
                answer(201, item),
                Some(Ok(12)),
                "the method in any case",
            ),
            (
                "POST",
                answer(409, full),
                Some(Err(NoItem::Refused {
                    status: 409,
                    code: Some("collection_full".into()),
                })),
                "a readable error names its code",
            ),
            (
                "POST",
                answer(500, "oops"),
                Some(Err(NoItem::Refused {
                    status: 500,
                    code: None,
                })),
                "an error that is not the API's has no code",
            ),
            (
                "POST",
                answer(200, "[]"),
                Some(Err(NoItem::NotAnItem { status: 200 })),
                "a list is not an item",
            ),
            (
                "POST",
                PageSaw::Failed {
                    message: "TypeError: Failed to fetch".into(),
                },
                Some(Err(NoItem::NoAnswer)),
                "a blocked POST made nothing the page knows of",
            ),
            ("GET", answer(200, item), None, "a GET makes nothing"),
            (
                "PUT",
                answer(200, item),
                None,
                "a PUT changes, it does not make",
            ),
        ];
        for (method, page, made, why) in cases {
            assert_eq!(made_by(method, &page), made, "{why}");
        }
    }

    #[test]
    fn the_reason_reads_as_a_sentence_with_the_code() {
        let refused = NoItem::Refused {
            status: 409,
            code: Some("collection_full".into()),
        };
        assert_eq!(
            refused.to_string(),
            "the POST made no item (the API answered 409 collection_full)"
        );
    }
}
