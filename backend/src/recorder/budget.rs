//! The recorder's byte budgets: per value, per page, for the whole ring.
//!
//! A count of exchanges alone bounds nothing. A request head may be 128 KiB, so 500
//! exchanges could hold 60 MiB, and one reader could ask for all of it at once.
//! So every value is cut before it is copied, the ring counts the bytes it holds,
//! and a page of `GET /lab/exchanges` stops at a size.

use std::fmt::Write;
use std::mem::size_of;
use std::sync::Arc;

use cors_rules::Rejection;
use lab_types::{Exchange, Header};

/// The bytes kept of each recorded value: the origin, the method, the path with its
/// query, each header's name and value. An origin or a path in real use is far
/// shorter. The rest is dropped, and [`Exchange::CUT_MARKER`] says how much.
pub const MAX_VALUE_BYTES: usize = 1024;

/// The headers kept of each recorded list. A browser sends four CORS request
/// headers at most, and the API answers with fewer than ten.
pub const MAX_HEADERS: usize = 16;

/// The bytes the whole ring may hold, on top of `recorder.capacity`: the oldest
/// exchanges go when either is exceeded. 500 exchanges of the lab's own take
/// about a quarter of it.
pub const RING_BYTES: usize = 2 * 1024 * 1024;

/// The bytes of exchanges one `GET /lab/exchanges` page holds at most (it always
/// holds one, if there is one). A client that never reads its answer keeps no more
/// than this waiting on the server.
pub const PAGE_BYTES: usize = 256 * 1024;

/// A recycled string keeps this much room at most. It is enough for every value the
/// lab's own requests record, so that refilling one allocates nothing; the room a
/// long value needed is given back.
const SPARE_ROOM: usize = 128;

/// Overwrites `target` with `value`, or with its first [`MAX_VALUE_BYTES`] and the
/// marker. Only what is kept is copied: the string never holds the whole value.
pub fn set_cut(target: &mut String, value: &str) {
    target.clear();
    if value.len() <= MAX_VALUE_BYTES {
        target.push_str(value);
        return;
    }
    let mut kept = MAX_VALUE_BYTES;
    while !value.is_char_boundary(kept) {
        kept -= 1;
    }
    target.push_str(&value[..kept]);
    mark_cut(target, value.len() - kept);
}

/// Like [`set_cut`], for bytes that may not be UTF-8. Each byte that is not becomes
/// a 3-byte `�`, so a long value is decoded only as far as it can be kept.
pub fn set_cut_lossy(target: &mut String, value: &[u8]) {
    // `from_utf8` checks ASCII a word at a time, several times faster than the lossy
    // decoder, which walks byte by byte: the lossy one is only for the rare value
    // that is not UTF-8.
    if let Ok(text) = std::str::from_utf8(value) {
        return set_cut(target, text);
    }
    target.clear();
    if value.len() <= MAX_VALUE_BYTES {
        let text = String::from_utf8_lossy(value);
        if text.len() <= MAX_VALUE_BYTES {
            target.push_str(&text);
            return;
        }
    }
    let head = &value[..MAX_VALUE_BYTES / 3];
    target.push_str(&String::from_utf8_lossy(head));
    mark_cut(target, value.len() - head.len());
}

/// `value` cut as [`set_cut`] cuts it.
pub fn cut(value: &str) -> String {
    let mut target = String::new();
    set_cut(&mut target, value);
    target
}

fn mark_cut(target: &mut String, left_out: usize) {
    // Writing to a String cannot fail.
    let _ = write!(target, "{}{left_out} bytes]", Exchange::CUT_MARKER);
}

/// The header that ends a list cut short: `…[cut 3 headers]`, with no value.
pub fn headers_cut(target: &mut Header, left_out: usize) {
    target.0.clear();
    let _ = write!(target.0, "{}{left_out} headers]", Exchange::CUT_MARKER);
    target.1.clear();
}

/// A refusal's values, cut like the exchange's. The preflight guard names the
/// origin it refused, whole.
pub fn cut_rejection(rejection: &Rejection) -> Rejection {
    match rejection {
        Rejection::Origin { origin } => Rejection::Origin {
            origin: cut(origin),
        },
        Rejection::Method { method } => Rejection::Method {
            method: cut(method),
        },
        Rejection::Headers { headers } => Rejection::Headers {
            headers: headers.iter().take(MAX_HEADERS).map(|h| cut(h)).collect(),
        },
        Rejection::Malformed { detail } => Rejection::Malformed {
            detail: cut(detail),
        },
    }
}

/// The heap an exchange holds in the ring: its allocation and every string's and
/// list's room (capacity, not length: a recycled string may have more room than it
/// uses).
pub fn bytes_of(exchange: &Exchange) -> usize {
    let headers = |list: &Vec<Header>| {
        list.capacity() * size_of::<Header>()
            + list
                .iter()
                .map(|(name, value)| name.capacity() + value.capacity())
                .sum::<usize>()
    };
    let rejection = match &exchange.rejection {
        None => 0,
        Some(Rejection::Origin { origin: text })
        | Some(Rejection::Method { method: text })
        | Some(Rejection::Malformed { detail: text }) => text.capacity(),
        Some(Rejection::Headers { headers }) => {
            headers.capacity() * size_of::<String>()
                + headers.iter().map(String::capacity).sum::<usize>()
        }
    };
    // The Arc's allocation: two counters and the exchange itself.
    2 * size_of::<usize>()
        + size_of::<Exchange>()
        + exchange.method.capacity()
        + exchange.path.capacity()
        + exchange.origin.capacity()
        + headers(&exchange.request_headers)
        + headers(&exchange.response_headers)
        + rejection
}

/// An exchange the ring let go of, to be filled again, when no reader holds it.
/// Its strings keep [`SPARE_ROOM`] at most, and its lists room for [`MAX_HEADERS`]
/// and the marker.
pub fn recycled(exchange: Arc<Exchange>) -> Option<Exchange> {
    let mut exchange = Arc::into_inner(exchange)?;
    exchange.rejection = None;
    // Emptied first: a string keeps at least the room its text takes. Refilling
    // overwrites every field anyway.
    let shrink = |text: &mut String| {
        text.clear();
        text.shrink_to(SPARE_ROOM);
    };
    shrink(&mut exchange.method);
    shrink(&mut exchange.path);
    shrink(&mut exchange.origin);
    for list in [
        &mut exchange.request_headers,
        &mut exchange.response_headers,
    ] {
        list.truncate(MAX_HEADERS + 1);
        list.shrink_to(MAX_HEADERS + 1);
        for (name, value) in list.iter_mut() {
            shrink(name);
            shrink(value);
        }
    }
    Some(exchange)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_cut_on_a_character_boundary_and_says_how_much_was_left_out() {
        let long_ascii = "a".repeat(MAX_VALUE_BYTES + 10);
        // 'é' is 2 bytes: byte MAX_VALUE_BYTES falls inside one.
        let long_accents = format!("a{}", "é".repeat(MAX_VALUE_BYTES));
        let cases = [
            ("short", "short".to_string(), "short".to_string()),
            (
                "exactly the budget",
                "b".repeat(MAX_VALUE_BYTES),
                "b".repeat(MAX_VALUE_BYTES),
            ),
            (
                "ten bytes over",
                long_ascii.clone(),
                format!("{}…[cut 10 bytes]", &long_ascii[..MAX_VALUE_BYTES]),
            ),
            (
                "a two-byte character across the budget",
                long_accents.clone(),
                format!(
                    "{}…[cut {} bytes]",
                    &long_accents[..MAX_VALUE_BYTES - 1],
                    long_accents.len() - (MAX_VALUE_BYTES - 1)
                ),
            ),
        ];
        for (what, value, expected) in cases {
            assert_eq!(cut(&value), expected, "{what}");
        }
    }

    #[test]
    fn a_value_that_is_not_utf8_is_decoded_only_as_far_as_it_is_kept() {
        let cases: [(&str, Vec<u8>, String); 3] = [
            ("short", b"caf\xe9".to_vec(), "caf\u{fffd}".to_string()),
            (
                "short, but three times longer decoded",
                vec![0xff; MAX_VALUE_BYTES],
                format!(
                    "{}…[cut {} bytes]",
                    "\u{fffd}".repeat(MAX_VALUE_BYTES / 3),
                    MAX_VALUE_BYTES - MAX_VALUE_BYTES / 3
                ),
            ),
            (
                "60 KiB",
                vec![0xff; 60 * 1024],
                format!(
                    "{}…[cut {} bytes]",
                    "\u{fffd}".repeat(MAX_VALUE_BYTES / 3),
                    60 * 1024 - MAX_VALUE_BYTES / 3
                ),
            ),
        ];
        for (what, value, expected) in cases {
            let mut target = "something recorded before".to_string();
            set_cut_lossy(&mut target, &value);
            assert_eq!(target, expected, "{what}");
            assert!(target.len() <= MAX_VALUE_BYTES + 32, "{what}: bounded");
        }
    }

    #[test]
    fn a_recycled_exchange_gives_back_the_room_of_its_long_values() {
        let long = "x".repeat(64 * 1024);
        let exchange = Exchange {
            id: 1,
            at_ms: 0,
            method: long.clone(),
            path: long.clone(),
            origin: long.clone(),
            preflight: false,
            request_headers: vec![(long.clone(), long.clone()); 40],
            had_cookie: false,
            had_authorization: false,
            status: 200,
            response_headers: vec![(long.clone(), long.clone()); 40],
            rejection: Some(Rejection::Origin { origin: long }),
        };
        let spare = recycled(Arc::new(exchange)).expect("no reader holds it");
        let rooms = [
            ("method", spare.method.capacity(), SPARE_ROOM),
            ("path", spare.path.capacity(), SPARE_ROOM),
            ("origin", spare.origin.capacity(), SPARE_ROOM),
            (
                "the request headers",
                spare.request_headers.capacity(),
                MAX_HEADERS + 1,
            ),
            (
                "a request header's value",
                spare.request_headers[0].1.capacity(),
                SPARE_ROOM,
            ),
        ];
        for (what, room, most) in rooms {
            assert!(room <= most, "{what} keeps {room}, at most {most}");
        }
        assert!(
            bytes_of(&spare) < 16 * 1024,
            "two lists of 17 headers of {SPARE_ROOM} bytes and three strings: {} bytes",
            bytes_of(&spare)
        );
    }

    #[test]
    fn an_exchange_a_reader_still_holds_is_not_recycled() {
        let exchange = Arc::new(crate::recorder::blank());
        let _reader = Arc::clone(&exchange);
        assert!(recycled(exchange).is_none());
    }
}
