"""Real Starlette, given this backend's CORS policy: the other side of the differential.

`backend/tests/starlette_differential.rs` starts this app beside the backend and sends
both the same requests. The policy comes in the environment variable STARLETTE_POLICY,
as JSON with Starlette's key names: the backend's `GET /api/policy` (the effective
policy, defaults and normalisation included), or raw settings for the configurations
the backend refuses at startup. It is passed to CORSMiddleware as it is, without any
translation: that the keys mean the same on both sides is what the test checks.

Every path answers every method with `200 ok`: the test compares CORS headers, not
routes. The README's TestClient snippet imports `app` from here
(`backend/tests/readme_fastapi.rs` runs it with pytest).

    STARLETTE_POLICY='{"allow_origins": ["http://localhost:5173"]}' python app.py

prints `listening on 127.0.0.1:<port>` once it accepts connections, on a free port
(or $STARLETTE_PORT), and serves until killed.
"""

import json
import os
import socket
import sys

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

KEYS = (
    "allow_origins",
    "allow_origin_regex",
    "allow_methods",
    "allow_headers",
    "allow_credentials",
    "expose_headers",
    "max_age",
)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY"]


def policy_from_env():
    text = os.environ.get("STARLETTE_POLICY")
    if text is None:
        sys.exit("app.py: STARLETTE_POLICY is not set (JSON with CORSMiddleware's keyword arguments)")
    policy = json.loads(text)
    # Only CORSMiddleware's own keys; `env` and the like in /api/policy are not settings.
    return {key: policy[key] for key in KEYS if key in policy and policy[key] is not None}


async def ok(request):
    return PlainTextResponse("ok")


def build_app(policy):
    return Starlette(
        routes=[Route("/{path:path}", ok, methods=METHODS)],
        middleware=[Middleware(CORSMiddleware, **policy)],
    )


app = build_app(policy_from_env())


def main():
    import uvicorn

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(os.environ.get("STARLETTE_PORT", "0"))))
    sock.listen(128)
    print(f"listening on 127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
