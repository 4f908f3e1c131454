//! What reaches the terminal: never a control character a server chose.
//!
//! The probe prints what servers send: header names and values, `Location` URLs,
//! the values Chromium's console line quotes. A server can put control characters
//! there. `ESC [` (or the single C1 character U+009B) starts a command for the
//! terminal: it can recolour text, move the cursor, hide a line, or retitle the
//! window. So everything the probe prints goes through [`escape_controls`] on its
//! way out, and each control character shows as a visible escape instead.
//!
//! The newline stays: it ends the probe's own lines. A header value cannot hold one
//! (HTTP splits lines there). The tab is escaped too: it is legal in a header value,
//! but it is invisible, and the reader should see exactly what was sent.

/// Which spelling the escapes take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// For people: `\x1b`, `\t`, `\u{9b}`, as Rust writes them.
    Text,
    /// Inside JSON strings: `\u009b`, which a JSON reader turns back into the very
    /// character. `serde_json` escapes C0 itself, but not DEL or C1.
    Json,
}

/// `text` with every control character but the newline escaped: C0 (U+0000 to
/// U+001F), DEL (U+007F) and C1 (U+0080 to U+009F).
pub fn escape_controls(text: &str, spelling: Spelling) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_control() || c == '\n' {
            out.push(c);
            continue;
        }
        let code = u32::from(c);
        match spelling {
            Spelling::Json => out.push_str(&format!("\\u{code:04x}")),
            Spelling::Text if c == '\t' => out.push_str("\\t"),
            Spelling::Text if c == '\r' => out.push_str("\\r"),
            Spelling::Text if code < 0x80 => out.push_str(&format!("\\x{code:02x}")),
            Spelling::Text => out.push_str(&format!("\\u{{{code:x}}}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_character_but_the_newline_shows_as_an_escape() {
        // (text, as shown to people, as written into JSON, what it is)
        let cases = [
            (
                "plain text",
                "plain text",
                "plain text",
                "nothing to escape",
            ),
            ("é → ✓", "é → ✓", "é → ✓", "other non-ASCII letters stay"),
            ("a\nb", "a\nb", "a\nb", "the newline ends the probe's lines"),
            ("\x1b[31m", r"\x1b[31m", r"\u001b[31m", "ESC, a C0 control"),
            ("\0", r"\x00", r"\u0000", "NUL"),
            ("a\tb", r"a\tb", r"a\u0009b", "a tab, legal but invisible"),
            (
                "a\rb",
                r"a\rb",
                r"a\u000db",
                "a carriage return rewrites the line",
            ),
            ("\x7f", r"\x7f", r"\u007f", "DEL"),
            (
                "\u{9b}2J",
                r"\u{9b}2J",
                r"\u009b2J",
                "CSI as one C1 character",
            ),
            ("\u{85}", r"\u{85}", r"\u0085", "NEL, another C1"),
            (
                "\u{a0}",
                "\u{a0}",
                "\u{a0}",
                "U+00A0 is past C1: a space, kept",
            ),
        ];
        for (text, shown, json, what) in cases {
            assert_eq!(escape_controls(text, Spelling::Text), shown, "{what}");
            assert_eq!(
                escape_controls(text, Spelling::Json),
                json,
                "{what}, in JSON"
            );
        }
    }
}
