//! `cors-probe check URL --origin O …` and `cors-probe audit URL …`: see the crate's
//! documentation (src/lib.rs) and the page "Check your own API" (docs/check-your-api.md).

fn main() {
    std::process::exit(probe::run(std::env::args_os()));
}
