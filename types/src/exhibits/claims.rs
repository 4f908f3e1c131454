//! The cards' words are true in late 2026 (issue #23): each corrected claim is on
//! its card, and no card repeats the claim it replaced.

use super::*;

/// Everything a card says: its title, the mistake, and both fixes.
fn words_of(exhibit: &Exhibit) -> String {
    let Fix { config, fastapi } = exhibit.fix;
    format!("{} {} {config} {fastapi}", exhibit.title, exhibit.mistake)
}

#[test]
fn each_corrected_claim_is_on_its_card() {
    use ExhibitId::*;
    // (exhibit, words its card must say, why)
    let cases = [
        (
            InvalidAllowMethods,
            "the whole preflight fails",
            "one bad method name fails the whole preflight, not only the non-simple methods",
        ),
        (
            InvalidAllowHeaders,
            "the whole preflight fails",
            "one bad header name fails the whole preflight, not only the custom headers",
        ),
        (
            AuthBeforeCors,
            "never their values",
            "a preflight names the headers to come without their values, so it has no token",
        ),
        (
            SlashRedirect,
            "(308)",
            "the exhibit itself answers 308: the console captures depend on it",
        ),
        (
            SlashRedirect,
            "with a 307",
            "Starlette's redirect_slashes answers 307, not 308",
        ),
        (
            TrustsNullOrigin,
            "redirects onward from another origin",
            "only a redirect after the request left its own origin sends null",
        ),
        (
            TrustsNullOrigin,
            "Referrer-Policy: no-referrer",
            "a form post under no-referrer sends null too",
        ),
    ];
    for (id, words, why) in cases {
        let card = words_of(&exhibit(id));
        assert!(card.contains(words), "{id}: {why}. The card says: {card}");
    }
}

#[test]
fn no_card_repeats_a_claim_that_was_false() {
    // (words, why they are wrong)
    let cases = [
        (
            "never carr",
            "the token is missing because a preflight names headers without their values",
        ),
        (
            "non-simple method",
            "an invalid Allow-Methods fails the whole preflight, whatever the method",
        ),
        (
            "no custom header",
            "an invalid Allow-Headers fails the whole preflight, whatever the headers",
        ),
        (
            "as FastAPI's redirect_slashes does",
            "Starlette answers 307 where this exhibit answers 308",
        ),
        (
            "some redirects",
            "only redirects onward from another origin send null",
        ),
    ];
    for exhibit in all() {
        let card = words_of(&exhibit);
        for (words, why) in cases {
            assert!(
                !card.contains(words),
                "{}: says \"{words}\", but {why}",
                exhibit.id
            );
        }
    }
}
