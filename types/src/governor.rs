//! Which policy governs a path: the one rule the backend, the recorder and the lab share.
//!
//! The backend mounts four kinds of endpoint, each under its own CORS policy. A
//! *scope* is the path prefix one kind lives under, such as `/public`. A path is in
//! a scope when it equals the scope or goes on with `/`, as actix-web matches its
//! `web::scope`s: `/lab` and `/lab/policy` are in `/lab`, `/laboratory` is not.
//! A query (`?lab_run=…`) does not count as part of the path.

pub use crate::exhibits::EXHIBITS_PREFIX;
pub use crate::public::PUBLIC_PREFIX;

/// Where the lab's instruments live (the recorder and the policy it reads).
pub const LAB_PREFIX: &str = "/lab";

/// Whose policy answers a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Governor {
    /// The API's policy, from `config/`: every path outside the three scopes below.
    Api,
    /// The fixed policy of [`PUBLIC_PREFIX`] (`crate::public::policy`).
    Public,
    /// The policy of the lab's instruments, under [`LAB_PREFIX`].
    Lab,
    /// No policy: each exhibit, under [`EXHIBITS_PREFIX`], writes its own headers,
    /// wrong on purpose.
    Exhibit,
}

/// Whose policy answers a request to `path` (with or without a query).
pub fn governing_policy(path: &str) -> Governor {
    if in_scope(path, PUBLIC_PREFIX) {
        Governor::Public
    } else if in_scope(path, LAB_PREFIX) {
        Governor::Lab
    } else if in_scope(path, EXHIBITS_PREFIX) {
        Governor::Exhibit
    } else {
        Governor::Api
    }
}

/// Whether `path` (with or without a query) is `scope` or under it.
pub fn in_scope(path: &str, scope: &str) -> bool {
    let path = path.split_once('?').map_or(path, |(path, _)| path);
    path.strip_prefix(scope)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_governed_by_the_scope_it_equals_or_continues_with_a_slash() {
        let cases = [
            ("/api", Governor::Api, "the API"),
            ("/api/", Governor::Api, "the API, with a slash"),
            ("/api/items", Governor::Api, "an API route"),
            ("/apix", Governor::Api, "not a scope: the API's 404 answers"),
            ("/", Governor::Api, "the root"),
            ("/healthz", Governor::Api, "outside every scope"),
            ("/exhibits", Governor::Exhibit, "the scope itself"),
            ("/exhibits/", Governor::Exhibit, "the scope with a slash"),
            ("/exhibits/x", Governor::Exhibit, "an exhibit"),
            (
                "/exhibits?lab_run=a-1",
                Governor::Exhibit,
                "a query is not the path",
            ),
            (
                "/exhibitsfoo",
                Governor::Api,
                "a longer word is not the scope",
            ),
            ("/public", Governor::Public, "the scope itself"),
            ("/public/bearer", Governor::Public, "the public endpoint"),
            (
                "/public/bearer?lab_run=a-1",
                Governor::Public,
                "with a run tag",
            ),
            (
                "/publicity",
                Governor::Api,
                "a longer word is not the scope",
            ),
            (
                "/api/public",
                Governor::Api,
                "a scope counts only at the start",
            ),
            ("/lab", Governor::Lab, "the scope itself"),
            ("/lab/exchanges?since=3", Governor::Lab, "the recorder"),
            ("/lab-0123.css", Governor::Api, "a dash is not a slash"),
        ];
        for (path, governor, why) in cases {
            assert_eq!(governing_policy(path), governor, "{why}: {path}");
        }
    }
}
