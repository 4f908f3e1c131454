//! Running a step: send it for real, then ask the recorder what the server saw.
//!
//! The page's view and the server's view are gathered separately and only
//! joined here, by the run tag, so each card can show both sides of the same
//! click and the diagnosis can explain it.

use std::sync::atomic::{AtomicU32, Ordering};

use lab_logic::diagnosis::Diagnosis;
use lab_logic::exhibits::origin_for;
use lab_logic::runs::{exchanges_for_run, tag_path, ServerSide};
use lab_logic::scenarios::{Governor, Step};
use lab_logic::{diagnose, predict, Engine, PageSaw, PlannedRequest, Prediction};
use lab_types::exhibits::{ExhibitsStatus, SentFrom};
use lab_types::{Exchange, PolicyView};
use leptos::prelude::*;

use crate::api;
use crate::fetched::Fetched;
use crate::sandbox::{self, NullFrame};

/// What every component needs to know about where it runs.
#[derive(Clone)]
pub struct Lab {
    /// The API's base URL, from `/config.json`.
    pub api: String,
    /// Why the default API URL is used, if it is.
    pub config_warning: Option<String>,
    /// `window.location.origin`.
    pub origin: String,
    /// The origin part of `api`.
    pub api_origin: String,
    /// A short random id of this page load: part of every run tag, so a
    /// reload never reuses a tag (nor a cached preflight).
    pub page_id: String,
    /// The policy the API enforces, read from the recorder: `None` while it
    /// loads, `Err` with the reason when the backend cannot be reached.
    /// `policy.refetch()` reads it again (e.g. after starting the backend).
    pub policy: Fetched<Result<PolicyView, String>>,
    /// Whether the backend serves the exhibits, read from the recorder like the
    /// policy; `exhibits.refetch()` reads it again.
    pub exhibits: Fetched<Result<ExhibitsStatus, String>>,
    /// The attacker's page, when `/config.json` names one.
    pub attacker_url: Option<String>,
    /// The exchanges seen on the live stream, newest last.
    pub log: RwSignal<Vec<Exchange>>,
    /// The engine this page runs in, from `navigator.userAgent`.
    pub engine: Engine,
    /// Whose words the cards show: the page's own engine until the learner picks
    /// another with the switch.
    pub shown_engine: RwSignal<Engine>,
}

impl Lab {
    /// The lab for a page at `origin` talking to the API `config` names. Call it
    /// inside the mounted app: the policy starts loading at once.
    pub fn new(
        config: api::Config,
        config_warning: Option<String>,
        origin: String,
        engine: Engine,
    ) -> Lab {
        let api = config.api_base_url;
        let policy = {
            let api = api.clone();
            Fetched::new(move || {
                let api = api.clone();
                async move { api::policy(&api).await }
            })
        };
        let exhibits = {
            let api = api.clone();
            Fetched::new(move || {
                let api = api.clone();
                async move { api::exhibits_status(&api).await }
            })
        };
        Lab {
            api_origin: api::origin_of(&api),
            api,
            config_warning,
            origin,
            page_id: random_page_id(),
            policy,
            exhibits,
            attacker_url: config.attacker_url,
            log: RwSignal::new(Vec::new()),
            engine,
            shown_engine: RwSignal::new(engine),
        }
    }

    pub fn cross_origin(&self) -> bool {
        self.origin != self.api_origin
    }

    /// A fresh run tag, e.g. `k3x9-12`.
    pub fn next_tag(&self) -> String {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
        format!("{}-{n}", self.page_id)
    }
}

/// One step, run: both sides and the explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRun {
    pub tag: String,
    pub label: String,
    /// The request as sent (path filled in, without the tag).
    pub request: PlannedRequest,
    pub prediction: Prediction,
    /// The tagged path, as the server recorded it.
    pub path: String,
    /// What the page saw, once per repetition.
    pub page: Vec<PageSaw>,
    /// Watched response headers and what the page could read of them.
    pub watched: Vec<(String, Option<String>)>,
    pub server: ServerSide,
    /// Why the recorder could not be read, if it could not.
    pub recorder_error: Option<String>,
    pub diagnosis: Diagnosis,
}

impl StepRun {
    /// The last thing the page saw.
    pub fn last_page(&self) -> Option<&PageSaw> {
        self.page.last()
    }
}

/// Which page sends a run's requests.
#[derive(Clone, Copy)]
pub enum Sender {
    /// The lab itself.
    Lab,
    /// The sandboxed frame inside the lab: `Origin: null`.
    Frame(NullFrame),
}

impl Sender {
    fn sent_from(self) -> SentFrom {
        match self {
            Sender::Lab => SentFrom::Lab,
            Sender::Frame(_) => SentFrom::SandboxedFrame,
        }
    }
}

/// Runs one step (`repeat` times with the same tag) and gathers both sides; the
/// diagnosis speaks of the policy that answered it (`governor`). The step's path
/// is sent as it is: fill `{id}` in first (see `run_scenario`).
pub async fn run_step(lab: &Lab, governor: Governor, step: &Step) -> StepRun {
    let planned = Planned {
        label: step.label,
        request: step.request.clone(),
        repeat: step.repeat,
        watch_headers: step.watch_headers,
    };
    let mut run = run_request(lab, planned, Sender::Lab).await;
    run.diagnosis = run.diagnosis.under(governor);
    run
}

/// A request to run: what a step or an exhibit card asks for.
pub struct Planned {
    pub label: &'static str,
    pub request: PlannedRequest,
    pub repeat: u8,
    pub watch_headers: &'static [&'static str],
}

/// Sends a request from `sender` (`repeat` times with one tag), asks the recorder
/// what the server saw, and explains it for the origin that sent it.
pub async fn run_request(lab: &Lab, planned: Planned, sender: Sender) -> StepRun {
    let Planned {
        label,
        request,
        repeat,
        watch_headers,
    } = planned;
    let tag = lab.next_tag();
    let path = tag_path(&request.url, &tag);
    let url = api::url(&lab.api, &path);
    let origin = origin_for(sender.sent_from(), &lab.origin);
    // An opaque origin is another origin than the API's, whatever the URL.
    let cross_origin = matches!(sender, Sender::Frame(_)) || lab.cross_origin();
    let prediction = predict(&request, cross_origin);
    let since = lab.log.with_untracked(|log| log.last().map(|e| e.id));

    let mut page = Vec::new();
    for _ in 0..repeat.max(1) {
        page.push(match sender {
            Sender::Lab => api::send(&lab.api, &request, &path).await,
            Sender::Frame(frame) => sandbox::send(frame, &url, &request).await,
        });
    }
    let watched = watch_headers
        .iter()
        .map(|name| {
            let value = match page.last() {
                Some(PageSaw::Response { headers, .. }) => {
                    lab_logic::runs::header(headers, name).map(String::from)
                }
                _ => None,
            };
            (name.to_string(), value)
        })
        .collect();

    let expected_actual = match page.last() {
        Some(PageSaw::Response { .. }) => page.len(),
        _ => 0,
    };
    let (server, recorder_error) = recorded(lab, &tag, since, &prediction, expected_actual).await;
    let last = page.last().cloned().unwrap_or(PageSaw::Failed {
        message: "not sent".into(),
    });
    let diagnosis = diagnose(&last, &server, &origin, request.credentials, &url);
    StepRun {
        tag,
        label: label.to_string(),
        request,
        prediction,
        path,
        page,
        watched,
        server,
        recorder_error,
        diagnosis,
    }
}

/// Asks the recorder for this run's exchanges, retrying briefly while the
/// ones the page's outcome implies are not there yet.
async fn recorded(
    lab: &Lab,
    tag: &str,
    since: Option<u64>,
    prediction: &Prediction,
    expected_actual: usize,
) -> (ServerSide, Option<String>) {
    let mut last_error = None;
    let mut side = ServerSide::default();
    for attempt in 0..4 {
        if attempt > 0 {
            api::sleep(150 * attempt).await;
        }
        match api::exchanges(&lab.api, since).await {
            Ok(all) => {
                last_error = None;
                side = ServerSide::from_exchanges(exchanges_for_run(&all, tag));
                let complete = side.actual.len() >= expected_actual
                    && (!prediction.preflight || !side.preflights.is_empty())
                    && !side.is_empty();
                if complete {
                    break;
                }
            }
            Err(error) => last_error = Some(error),
        }
    }
    (side, last_error)
}

/// A random 4-letter page id.
fn random_page_id() -> String {
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..4)
        .map(|_| {
            let index = (js_sys::Math::random() * LETTERS.len() as f64) as usize;
            LETTERS[index.min(LETTERS.len() - 1)] as char
        })
        .collect()
}
