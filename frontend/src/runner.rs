//! Running a step: send it for real, then ask the recorder what the server saw.
//!
//! The page's view and the server's view are gathered separately and only
//! joined here, by the run tag, so each card can show both sides of the same
//! click and the diagnosis can explain it.

use std::sync::atomic::{AtomicU32, Ordering};

use lab_logic::diagnosis::Diagnosis;
use lab_logic::runs::{exchanges_for_run, tag_path, ServerSide};
use lab_logic::scenarios::{fill_id, Scenario, Step};
use lab_logic::{diagnose, predict, PageSaw, PlannedRequest, Prediction, Verdict};
use lab_types::{Exchange, PolicyView};
use leptos::prelude::*;

use crate::api;

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
    pub policy: LocalResource<Result<PolicyView, String>>,
    /// The exchanges seen on the live stream, newest last.
    pub log: RwSignal<Vec<Exchange>>,
}

impl Lab {
    /// The lab for a page at `origin` talking to the API at `api`. Call it
    /// inside the mounted app: the policy starts loading at once.
    pub fn new(api: String, config_warning: Option<String>, origin: String) -> Lab {
        let policy = {
            let api = api.clone();
            LocalResource::new(move || {
                let api = api.clone();
                async move { api::policy(&api).await }
            })
        };
        Lab {
            api_origin: api::origin_of(&api),
            api,
            config_warning,
            origin,
            page_id: random_page_id(),
            policy,
            log: RwSignal::new(Vec::new()),
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

    /// The id of the item in a JSON response, for `{id}` in later steps.
    pub fn created_id(&self) -> Option<u64> {
        match self.last_page()? {
            PageSaw::Response { body, .. } => serde_json::from_str::<lab_types::Item>(body)
                .ok()
                .map(|item| item.id),
            PageSaw::Failed { .. } => None,
        }
    }
}

/// Runs one step (`repeat` times with the same tag) and gathers both sides.
pub async fn run_step(lab: &Lab, step: &Step, created_id: Option<u64>) -> StepRun {
    let mut request = step.request.clone();
    request.url = fill_id(&request.url, created_id);
    let tag = lab.next_tag();
    let path = tag_path(&request.url, &tag);
    let prediction = predict(&request, lab.cross_origin());
    let since = lab.log.with_untracked(|log| log.last().map(|e| e.id));

    let mut page = Vec::new();
    for _ in 0..step.repeat.max(1) {
        page.push(api::send(&lab.api, &request, &path).await);
    }
    let watched = step
        .watch_headers
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
    let url = api::url(&lab.api, &path);
    let diagnosis = diagnose(&last, &server, &lab.origin, request.credentials, &url);
    StepRun {
        tag,
        label: step.label.to_string(),
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

/// A scenario card's results: one per step, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardState {
    pub steps: Vec<StepRun>,
}

impl CardState {
    /// Blocked if any step was blocked, else not reached if any was, else allowed.
    pub fn outcome(&self) -> Option<Verdict> {
        let verdicts: Vec<Verdict> = self.steps.iter().map(|s| s.diagnosis.verdict).collect();
        if verdicts.is_empty() {
            None
        } else if verdicts.contains(&Verdict::Blocked) {
            Some(Verdict::Blocked)
        } else if verdicts.contains(&Verdict::NotSent) {
            Some(Verdict::NotSent)
        } else {
            Some(Verdict::Allowed)
        }
    }

    /// The step that decides the card: the first that failed, else the last.
    pub fn deciding(&self) -> Option<&StepRun> {
        self.steps
            .iter()
            .find(|s| s.diagnosis.verdict != Verdict::Allowed)
            .or(self.steps.last())
    }
}

/// Runs every step of a scenario in order, showing each result as it comes.
pub async fn run_scenario(lab: Lab, scenario: Scenario, state: RwSignal<CardState>) {
    state.set(CardState::default());
    let mut created = None;
    for step in &scenario.steps {
        let run = run_step(&lab, step, created).await;
        if let Some(id) = run.created_id() {
            created = Some(id);
        }
        state.update(|card| card.steps.push(run));
    }
}

/// A scenario on the page: its results, and the action that runs it.
/// `run.pending()` is true while the card is running.
#[derive(Clone)]
pub struct Card {
    pub scenario: Scenario,
    pub state: RwSignal<CardState>,
    pub run: Action<(), ()>,
}

impl Card {
    pub fn new(lab: &Lab, scenario: Scenario) -> Card {
        let state = RwSignal::new(CardState::default());
        let run = {
            let lab = lab.clone();
            let scenario = scenario.clone();
            Action::new_local(move |_: &()| run_scenario(lab.clone(), scenario.clone(), state))
        };
        Card {
            scenario,
            state,
            run,
        }
    }

    /// Runs the card (unless it is already running) and waits until it is done.
    pub async fn run_to_end(&self) {
        let running = self.run.pending();
        if !running.get_untracked() {
            self.run.dispatch(());
        }
        // An action is not a future to await: look again until it has finished.
        while running.get_untracked() {
            api::sleep(100).await;
        }
    }
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
