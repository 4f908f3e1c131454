//! One component per file. Each is a part of the page a learner can point at.

pub mod badge;
pub mod exchange_detail;
pub mod exchange_log;
pub mod header_block;
pub mod lab_header;
pub mod policy_panel;
pub mod request_builder;
pub mod run_all;
pub mod scenario_card;
pub mod step_result;
