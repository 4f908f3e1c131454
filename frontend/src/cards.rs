//! The cards on the page and the actions that run them: the scenarios, and the
//! exhibits of "Broken on purpose".

use lab_logic::scenarios::Scenario;
use lab_logic::Verdict;
use lab_types::exhibits::{Exhibit, SentFrom};
use leptos::prelude::*;

use crate::api;
use crate::runner::{run_request, run_step, Lab, Planned, Sender, StepRun};
use crate::sandbox::NullFrame;

/// A scenario card's results: one per step, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardState {
    pub steps: Vec<StepRun>,
}

impl CardState {
    /// Blocked if any step was blocked, else a network error, else not reached if
    /// any was, else allowed.
    pub fn outcome(&self) -> Option<Verdict> {
        let verdicts: Vec<Verdict> = self.steps.iter().map(|s| s.diagnosis.verdict).collect();
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

/// Runs every step of a scenario in order, showing each result as it comes.
pub async fn run_scenario(lab: Lab, scenario: Scenario, state: RwSignal<CardState>) {
    state.set(CardState::default());
    let mut created = None;
    for step in &scenario.steps {
        let run = run_step(&lab, scenario.governor, step, created).await;
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
    // An action is not a future to await: look again until it has finished.
    while running.get_untracked() {
        api::sleep(100).await;
    }
}
