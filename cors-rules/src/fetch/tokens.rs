//! The grammar of method and header names: RFC 9110's `token`.

/// Whether `byte` may appear in a `token` (a method or a header name).
pub fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Whether `name` is a `token`: not empty, and only [`is_token_byte`] bytes.
pub fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(is_token_byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_one_or_more_visible_characters_without_separators() {
        let cases = [
            ("GET", true, "a method"),
            ("x-request-id", true, "a header name"),
            ("*", true, "the wildcard is a token"),
            ("", false, "empty"),
            ("PO ST", false, "a space"),
            ("x,y", false, "a comma separates list items"),
            ("caf\u{e9}", false, "non-ASCII"),
        ];
        for (name, expected, why) in cases {
            assert_eq!(is_token(name), expected, "{why}: {name:?}");
        }
    }
}
