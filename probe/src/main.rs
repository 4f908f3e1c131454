//! `cors-probe check URL --origin O …` and `cors-probe audit URL …`: see the crate's
//! documentation (src/lib.rs) and the README's "Check your own API".

fn main() {
    std::process::exit(probe::run(std::env::args_os()));
}
