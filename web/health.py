"""Probes for load balancers and orchestrators: `/healthz` (the process answers) and
`/readyz` (the database answers and the read models are nearly up to date)."""

from __future__ import annotations

import anyio
import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse

from incubator.health import Readiness, check_readiness
from web.requests import services

# A probe must answer quickly even when the database hangs: past this many seconds
# the check is abandoned (its thread finishes on its own) and the answer is 503.
READY_TIMEOUT_S = 2.0
# Probes get their own threads, so a hung check never takes the pages' threads.
_probe_threads = anyio.CapacityLimiter(2)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    found = services(request)
    readiness = Readiness(problems=(f"database did not answer within {READY_TIMEOUT_S:g} s",))
    with anyio.move_on_after(READY_TIMEOUT_S):
        readiness = await anyio.to_thread.run_sync(
            check_readiness, found, found.settings.ready_max_lag,
            abandon_on_cancel=True, limiter=_probe_threads,
        )
    return JSONResponse(readiness.as_json(), status_code=200 if readiness.ready else 503,
                        headers={"Cache-Control": "no-store"})
