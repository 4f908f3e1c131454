"""FastAPI's own CORS traps, shown with real Starlette (FastAPI is Starlette underneath).

The page "Coming from FastAPI" (docs/coming-from-fastapi.md) states these, and what
FastAPI's tutorial gets wrong; backend/tests/readme_fastapi.rs runs this file with
pytest, so each statement is checked against the pinned version.
"""

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

LAB = "http://localhost:5173"
PREFLIGHT = {"Origin": LAB, "Access-Control-Request-Method": "PUT"}


async def items(request):
    return PlainTextResponse("ok")


async def crash(request):
    raise RuntimeError("an unhandled bug")


class RequireToken:
    """A plain ASGI auth layer: no Authorization header, 401."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not any(k == b"authorization" for k, _ in scope["headers"]):
            await PlainTextResponse("no token", status_code=401)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def app_with(*layers):
    """An app whose layers are added with add_middleware, in this order."""
    app = Starlette(routes=[Route("/items/", items, methods=["GET", "PUT"]), Route("/crash", crash)])
    for layer in layers:
        if layer == "cors":
            app.add_middleware(CORSMiddleware, allow_origins=[LAB], allow_methods=["GET", "PUT"])
        else:
            app.add_middleware(RequireToken)
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


def test_the_middleware_added_last_is_the_outermost():
    # CORS added last: it answers the preflight before auth can refuse it.
    assert app_with("auth", "cors").options("/items/", headers=PREFLIGHT).status_code == 200
    # Auth added last: it answers the preflight (which never carries a token) 401.
    refused = app_with("cors", "auth").options("/items/", headers=PREFLIGHT)
    assert refused.status_code == 401
    assert "access-control-allow-origin" not in refused.headers


def test_redirect_slashes_redirects_what_reaches_the_router():
    client = app_with("cors")
    # CORSMiddleware answers the preflight before routing, slash or not...
    assert client.options("/items", headers=PREFLIGHT).status_code == 200
    # ...but the router redirects the request itself to the slashed URL, an absolute
    # one built from the request's scheme and Host.
    moved = client.put("/items", headers={"Origin": LAB})
    assert moved.status_code == 307
    assert moved.headers["location"] == "http://testserver/items/"
    # Without CORSMiddleware in front, the preflight itself is redirected, and
    # browsers never follow a redirect on a preflight.
    assert app_with().options("/items", headers=PREFLIGHT).status_code == 307


def test_an_unhandled_error_goes_out_without_cors_headers():
    crashed = app_with("cors").get("/crash", headers={"Origin": LAB})
    assert crashed.status_code == 500
    assert "access-control-allow-origin" not in crashed.headers


def test_an_exception_handler_for_exception_does_not_help():
    # Starlette installs a handler for Exception (or 500) on ServerErrorMiddleware,
    # which stays outside every middleware the app adds.
    async def render(request, exc):
        return JSONResponse({"error": "internal"}, status_code=500)

    app = Starlette(routes=[Route("/crash", crash)], exception_handlers={Exception: render})
    app.add_middleware(CORSMiddleware, allow_origins=[LAB])
    crashed = TestClient(app, raise_server_exceptions=False).get("/crash", headers={"Origin": LAB})
    assert crashed.json() == {"error": "internal"}
    assert "access-control-allow-origin" not in crashed.headers


def test_a_middleware_inside_cors_that_renders_errors_keeps_the_headers():
    class RenderErrors:
        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            try:
                await self.app(scope, receive, send)
            except RuntimeError:
                await JSONResponse({"error": "internal"}, status_code=500)(scope, receive, send)

    app = Starlette(routes=[Route("/crash", crash)])
    app.add_middleware(RenderErrors)
    app.add_middleware(CORSMiddleware, allow_origins=[LAB])
    crashed = TestClient(app, raise_server_exceptions=False).get("/crash", headers={"Origin": LAB})
    assert crashed.status_code == 500
    assert crashed.headers["access-control-allow-origin"] == LAB


def star_app(origins):
    """FastAPI's tutorial example: credentials with `*` methods and headers."""
    app = Starlette(routes=[Route("/items/", items, methods=["GET", "PUT"])])
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )
    return TestClient(app)


def test_star_methods_and_headers_work_with_credentials():
    # The tutorial says none of the three lists can be ["*"] with credentials. For
    # methods and headers that is false: the answer names the method and the header,
    # so a browser accepts it for a request that includes cookies.
    asked = {**PREFLIGHT, "Access-Control-Request-Headers": "x-custom"}
    answer = star_app([LAB]).options("/items/", headers=asked)
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == LAB
    assert answer.headers["access-control-allow-credentials"] == "true"
    assert "PUT" in answer.headers["access-control-allow-methods"].split(", ")
    assert answer.headers["access-control-allow-headers"] == "x-custom"


def test_star_origins_with_credentials_echo_every_origin():
    # Only `*` origins is a hole, and Starlette does not refuse it: it echoes any
    # caller's origin with credentials allowed.
    evil = "http://evil.example"
    answer = star_app(["*"]).get("/items/", headers={"Origin": evil})
    assert answer.headers["access-control-allow-origin"] == evil
    assert answer.headers["access-control-allow-credentials"] == "true"
