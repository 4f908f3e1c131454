//! The cards on the page and the actions that run them: the scenarios, and the
//! exhibits of "Broken on purpose".

use futures_util::StreamExt;
use lab_logic::scenarios::{fill_id, made_by, Made, NoItem, Scenario};
use lab_logic::Verdict;
use lab_types::exhibits::{Exhibit, SentFrom};
use leptos::prelude::*;

use crate::runner::{run_request, run_step, Lab, Planned, Sender, StepRun};
use crate::sandbox::NullFrame;

/// A scenario card's results: one per step, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardState {
    pub steps: Vec<StepRun>,
    /// Why the run stopped before its last step, if it did.
    pub stopped: Option<NoItem>,
}

impl CardState {
    /// Blocked if any step was blocked, else a network error, else not reached if
    /// any was (a step the run stopped before counts as not sent), else allowed.
    pub fn outcome(&self) -> Option<Verdict> {
        let mut verdicts: Vec<Verdict> = self.steps.iter().map(|s| s.diagnosis.verdict).collect();
        if self.stopped.is_some() {
            verdicts.push(Verdict::NotSent);
        }
        Verdict::of_card(&verdicts)
    }

    /// The step that decides the card: the first that failed, else the last.
    pub fn deciding(&self) -> Option<&StepRun> {
        self.steps
            .iter()
            .find(|s| s.diagnosis.verdict != Verdict::Allowed)
            .or(self.steps.last())
    }
}

/// Runs every step of a scenario in order, showing each result as it comes. A
/// step that needs the item an earlier step made (`{id}`) is not sent when there
/// is none: the card stops and shows why.
pub async fn run_scenario(lab: Lab, scenario: Scenario, state: RwSignal<CardState>) {
    state.set(CardState::default());
    let mut made: Made = Err(NoItem::NotTried);
    for step in &scenario.steps {
        let mut step = step.clone();
        match fill_id(&step.request.url, &made) {
            Ok(path) => step.request.url = path,
            Err(why) => {
                state.update(|card| card.stopped = Some(why));
                return;
            }
        }
        let run = run_step(&lab, scenario.governor, &step).await;
        if let Some(page) = run.last_page() {
            if let Some(now) = made_by(&step.request.method, page) {
                made = now;
            }
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
}

/// An exhibit on the page: its one run's result, and the action that runs it.
#[derive(Clone)]
pub struct ExhibitRun {
    pub exhibit: Exhibit,
    /// `None` until a run has finished (and again while the next one runs).
    pub state: RwSignal<Option<StepRun>>,
    pub run: Action<(), ()>,
}

impl ExhibitRun {
    /// `frame` sends the requests of the exhibits sent from a sandboxed frame.
    pub fn new(lab: &Lab, exhibit: Exhibit, frame: NullFrame) -> ExhibitRun {
        let state = RwSignal::new(None);
        let sender = match exhibit.sent_from {
            SentFrom::Lab => Sender::Lab,
            SentFrom::SandboxedFrame => Sender::Frame(frame),
        };
        let run = {
            let lab = lab.clone();
            let exhibit = exhibit.clone();
            Action::new_local(move |_: &()| {
                let lab = lab.clone();
                let planned = Planned {
                    label: exhibit.title,
                    request: exhibit.request.clone(),
                    repeat: 1,
                    watch_headers: &[],
                };
                async move {
                    state.set(None);
                    let result = run_request(&lab, planned, sender).await;
                    state.set(Some(result));
                }
            })
        };
        ExhibitRun {
            exhibit,
            state,
            run,
        }
    }
}

/// Runs an action (unless it is already running) and waits until it is done.
pub async fn run_to_end(action: Action<(), ()>) {
    let running = action.pending();
    if !running.get_untracked() {
        action.dispatch(());
    }
    // An action is not a future to await, but its `pending` signal is a stream
    // of values. The stream's effect belongs to `owner`, so it ends with it.
    let owner = Owner::new();
    let mut changes = owner.with(|| running.to_stream());
    while let Some(still_running) = changes.next().await {
        if !still_running {
            break;
        }
    }
    owner.cleanup();
}
