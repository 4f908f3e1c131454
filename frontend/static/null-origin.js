// The sandboxed frame of the CORS lab: runs the fetch() the lab asks for, from an
// opaque origin, so the request says "Origin: null".
//
// The lab (this frame's parent) posts a JSON request with one MessagePort:
//   {"url", "method", "headers": [[name, value]], "body", "credentials"}
// and the frame answers on that port, with JSON too:
//   {"origin": "null", "status", "headers": [[name, value]], "body"}
//   {"origin": "null", "error": "TypeError: Failed to fetch"}
//
// This page fetches for whoever posts to it, so it must be sure who that is.
// Unsandboxed, it would have the lab's own origin, which the API trusts with
// credentials: any page that framed it could borrow that trust. So it acts only
//   - when its own origin really is opaque: self.origin is "null" only in a
//     sandbox without allow-same-origin;
//   - on messages from the lab's page, its parent: event.origin is the sender's
//     origin, and location.origin is this page's URL's origin, the lab's, even
//     in the sandbox.
// Every other message is ignored, unanswered. The lab's server also sends
// frame-ancestors 'self', so browsers show this page inside the lab only.
"use strict";

/** Whether `event` comes from the lab's page, to this frame in its sandbox. */
function fromTheLab(event) {
  return (
    self.origin === "null" &&
    event.origin === location.origin &&
    event.source === window.parent &&
    window.parent !== window &&
    event.ports.length === 1
  );
}

window.addEventListener("message", async (event) => {
  if (!fromTheLab(event)) {
    return;
  }
  const port = event.ports[0];
  let reply;
  try {
    const request = JSON.parse(event.data);
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : request.body,
      credentials: request.credentials,
      mode: "cors",
    });
    const headers = Array.from(response.headers.entries());
    const body = await response.text();
    reply = { origin: self.origin, status: response.status, headers, body };
  } catch (error) {
    reply = { origin: self.origin, error: `${error.name}: ${error.message}` };
  }
  port.postMessage(JSON.stringify(reply));
  port.close();
});
