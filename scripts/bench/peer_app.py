"""The FastAPI peer for scripts/bench.sh.

The same small endpoint as the backend's `GET /api/items` (the three seeded items,
with `X-Total-Count` and `X-Served-By`), behind Starlette's CORSMiddleware configured
with the backend's effective policy for one ENV: bench.sh reads the backend's
`GET /api/policy` (a `PolicyView`) and passes it in BENCH_PEER_POLICY, so both servers
allow and refuse the same origins, methods and headers by construction.

Run by uvicorn with uvloop and httptools, one worker, like the backend pinned to one
core with one actix worker.
"""

import json
import os

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel


class Item(BaseModel):
    id: int
    name: str
    done: bool


ITEMS = [
    Item(id=1, name="Read the Fetch standard", done=False),
    Item(id=2, name="Open the lab", done=False),
    Item(id=3, name="Break the policy", done=False),
]

app = FastAPI()


@app.get("/api/items", response_model=list[Item])
async def list_items(response: Response) -> list[Item]:
    items = list(ITEMS)
    response.headers["X-Total-Count"] = str(len(items))
    response.headers["X-Served-By"] = "cors-lab-peer"
    return items


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


# The backend's [cors] keys have Starlette's names and meanings on purpose, so the
# policy maps one to one. Starlette adds the four safelisted headers itself.
policy = json.loads(os.environ["BENCH_PEER_POLICY"])
SAFELISTED = {"accept", "accept-language", "content-language", "content-type"}
app.add_middleware(
    CORSMiddleware,
    allow_origins=policy["allow_origins"],
    allow_origin_regex=policy["allow_origin_regex"],
    allow_methods=policy["allow_methods"],
    allow_headers=[h for h in policy["allow_headers"] if h.lower() not in SAFELISTED],
    allow_credentials=policy["allow_credentials"],
    expose_headers=policy["expose_headers"],
    max_age=policy["max_age"],
)
