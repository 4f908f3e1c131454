//! Mounts the lab: read the runtime config, then hand the page to [`app::App`].

mod api;
mod app;
mod cards;
mod components;
mod fetched;
mod runner;
mod sandbox;

use leptos::prelude::*;

fn main() {
    console_error_panic_hook_lite();
    // Leptos starts its executor when mounting; until then use wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(async {
        let (config, config_warning) = api::load_config().await;
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        let user_agent = web_sys::window()
            .and_then(|w| w.navigator().user_agent().ok())
            .unwrap_or_default();
        let engine = lab_logic::Engine::from_user_agent(&user_agent);
        if let Some(loading) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("boot"))
        {
            loading.remove();
        }
        leptos::mount::mount_to_body(move || {
            let lab = runner::Lab::new(config, config_warning, origin, engine);
            view! { <app::App lab/> }
        });
    });
}

/// Panics go to the console instead of vanishing.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}
