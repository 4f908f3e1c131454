//! Sending a request from the sandboxed frame, so that it says `Origin: null`.
//!
//! The frame ([`crate::components::null_origin_frame`]) loads
//! [`api::NULL_ORIGIN_PAGE`] with `sandbox="allow-scripts"`: its script may run,
//! but its origin is opaque. The lab posts it the request (JSON) together with one
//! end of a `MessageChannel`; the frame runs `fetch()` and answers on that port with
//! what it saw (`lab_logic::frame`). Only the two ends of the channel ever see the
//! answer, whatever other windows post.

use lab_logic::frame::{FrameReply, FrameRequest};
use lab_logic::{PageSaw, PlannedRequest};
use leptos::html::Iframe;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api;

/// How long the frame may take to load, then to answer, in milliseconds.
const LOAD_TIMEOUT_MS: i32 = 10_000;
const ANSWER_TIMEOUT_MS: i32 = 20_000;

/// The frame on the page: its element, and whether its page has loaded.
#[derive(Clone, Copy)]
pub struct NullFrame {
    pub node: NodeRef<Iframe>,
    pub loaded: RwSignal<bool>,
}

impl Default for NullFrame {
    fn default() -> NullFrame {
        NullFrame {
            node: NodeRef::new(),
            loaded: RwSignal::new(false),
        }
    }
}

/// Has the frame `fetch()` `url` as `request` plans it, and reports what the
/// frame's page could see.
pub async fn send(frame: NullFrame, url: &str, request: &PlannedRequest) -> PageSaw {
    let mut waited = 0;
    while !frame.loaded.get_untracked() {
        if waited >= LOAD_TIMEOUT_MS {
            return failed(format!(
                "{} did not load within {} s",
                api::NULL_ORIGIN_PAGE,
                LOAD_TIMEOUT_MS / 1000
            ));
        }
        api::sleep(100).await;
        waited += 100;
    }
    let message = FrameRequest::new(url, request).to_json();
    match ask(frame, &message).await {
        Ok(Some(reply)) => FrameReply::page_saw(&reply),
        Ok(None) => failed(format!(
            "the sandboxed frame did not answer within {} s",
            ANSWER_TIMEOUT_MS / 1000
        )),
        Err(error) => failed(format!(
            "the sandboxed frame could not be asked: {}",
            api::describe(&error)
        )),
    }
}

/// Posts `message` to the frame with a port to answer on; the answer's text, or
/// `None` when none came in time.
async fn ask(frame: NullFrame, message: &str) -> Result<Option<String>, JsValue> {
    let target = frame
        .node
        .get_untracked()
        .and_then(|iframe| iframe.content_window())
        .ok_or_else(|| JsValue::from_str("the frame is not on the page"))?;
    let channel = web_sys::MessageChannel::new()?;
    let port = channel.port1();
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    // Resolved with the answer's event, or with `undefined` by the timer.
    let answer = js_sys::Promise::new(&mut |resolve, _reject| {
        port.set_onmessage(Some(&resolve));
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ANSWER_TIMEOUT_MS);
    });
    let transfer = js_sys::Array::of1(&channel.port2());
    // The frame's origin is opaque: no origin but "*" can name it. The message holds
    // nothing secret (a URL and a request), and the answer comes back on the port.
    target.post_message_with_transfer(&JsValue::from_str(message), "*", &transfer)?;
    let event = JsFuture::from(answer).await?;
    port.set_onmessage(None);
    port.close();
    Ok(event
        .dyn_into::<web_sys::MessageEvent>()
        .ok()
        .and_then(|event| event.data().as_string()))
}

fn failed(message: String) -> PageSaw {
    PageSaw::Failed { message }
}
