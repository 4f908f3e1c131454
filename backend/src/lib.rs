//! cors-lab's backend: an actix-web API behind a CORS policy loaded per environment,
//! and the recorder that lets the lab show both sides of every cross-origin exchange.

pub mod configuration;
pub mod cors;
pub mod errors;
pub mod exhibits;
pub mod logging;
pub mod middleware;
pub mod recorder;
pub mod routes;
pub mod settings_check;
pub mod startup;
pub mod store;
