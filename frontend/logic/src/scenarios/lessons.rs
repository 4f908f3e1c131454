//! The lessons' words are true in late 2026 (issue #23): each corrected claim is
//! on its card, and no card repeats the claim it replaced.

use super::all;

/// The lesson of scenario `number`.
fn lesson(number: u8) -> &'static str {
    all()
        .into_iter()
        .find(|scenario| scenario.number == number)
        .map_or("", |scenario| scenario.lesson)
}

#[test]
fn each_corrected_claim_is_in_its_lesson() {
    // (scenario, words its lesson must say, why)
    let cases = [
        (
            7,
            "Access-Control-Request-Headers: authorization",
            "the preflight names the header it asks for",
        ),
        (
            7,
            "never its value",
            "a preflight carries header names only, so there is no token to check",
        ),
        (
            10,
            "credentials mode",
            "the preflight cache is keyed by the credentials mode too, not by URL and origin alone",
        ),
        (
            10,
            "one method or header name",
            "each cache entry holds one method or one header name",
        ),
        (
            10,
            "network partition",
            "every entry belongs to one network partition",
        ),
        (
            10,
            "top-level site",
            "Chromium also splits the cache per top-level site",
        ),
        (
            10,
            "a new lab_run is a new entry",
            "a new query string is a new URL, so a new entry",
        ),
        (
            10,
            "an include run does not reuse an omit one",
            "an entry stored without credentials never serves a credentialed request",
        ),
        (
            8,
            "in Chromium",
            "\"Failed to fetch\" is Chromium's TypeError; Firefox and WebKit word it otherwise",
        ),
    ];
    for (number, words, why) in cases {
        let lesson = lesson(number);
        assert!(
            lesson.contains(words),
            "scenario {number}: {why}. The lesson says: {lesson}"
        );
    }
}

#[test]
fn no_lesson_repeats_a_claim_that_was_false() {
    // (words, why they are wrong)
    let cases = [
        (
            "never carry credentials",
            "the token is missing because a preflight names headers without their values",
        ),
        (
            "per URL and origin",
            "the cache key also holds the network partition, the credentials mode and each name",
        ),
        (
            "sees TypeError: Failed to fetch",
            "only Chromium says \"Failed to fetch\"",
        ),
    ];
    for scenario in all() {
        for (words, why) in cases {
            assert!(
                !scenario.lesson.contains(words),
                "scenario {}: says \"{words}\", but {why}",
                scenario.number
            );
        }
    }
}
