//! One component per file. Each is a part of the page a learner can point at.

pub mod badge;
pub mod console_line;
pub mod engine_switch;
pub mod exchange_detail;
pub mod exchange_log;
pub mod exhibit_card;
pub mod exhibit_result;
pub mod exhibits_section;
pub mod header_block;
pub mod lab_header;
pub mod null_origin_frame;
pub mod page_side;
pub mod policy_panel;
pub mod request_builder;
pub mod request_plan;
pub mod run_all;
pub mod scenario_card;
pub mod server_view;
pub mod step_result;
