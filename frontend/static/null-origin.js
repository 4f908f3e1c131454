// The sandboxed frame of the CORS lab: runs the fetch() the lab asks for, from an
// opaque origin, so the request says "Origin: null".
//
// The lab (this frame's parent) posts a JSON request with one MessagePort:
//   {"url", "method", "headers": [[name, value]], "body", "credentials"}
// and the frame answers on that port, with JSON too:
//   {"origin": "null", "status", "headers": [[name, value]], "body"}
//   {"origin": "null", "error": "TypeError: Failed to fetch"}
// Messages from any other window, or without a port, are ignored.
"use strict";

window.addEventListener("message", async (event) => {
  if (event.source !== window.parent || event.ports.length !== 1) {
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
