"""The FastAPI application: routers, error handlers, health endpoints."""

from __future__ import annotations

import logging
import time

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ai_gateway.admin.alerts_router import router as alerts_router
from ai_gateway.admin.register_router import router as register_router
from ai_gateway.admin.router import router as admin_router
from ai_gateway.admin.sessions_router import router as sessions_router
from ai_gateway.database import is_reachable
from ai_gateway.errors import install_error_handlers
from ai_gateway.proxy.router import router as proxy_router
from ai_gateway.runtime import Runtime


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(
        title="AUP AI Gateway",
        version="1",
        description="An OpenAI-compatible AI gateway that enforces a school's Acceptable Use Policy.",
    )
    app.state.runtime = runtime
    install_error_handlers(app)

    access = logging.getLogger("aup_gateway.access")

    @app.middleware("http")
    async def access_log(request: Request, call_next):
        started = time.monotonic()
        response = await call_next(request)
        # Method, path and outcome only: never headers (they carry API keys) or bodies.
        access.info(
            "request",
            extra={
                "method": request.method,
                "path": request.url.path,
                "status": response.status_code,
                "ms": round((time.monotonic() - started) * 1000, 1),
                "request_id": response.headers.get("x-request-id"),
            },
        )
        return response

    app.include_router(proxy_router)
    app.include_router(admin_router)
    app.include_router(register_router)
    app.include_router(alerts_router)
    app.include_router(sessions_router)

    @app.get("/healthz", tags=["Operations"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["Operations"], summary="The database is reachable")
    async def readyz(request: Request) -> JSONResponse:
        if await to_thread.run_sync(is_reachable, request.app.state.runtime.engine):
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)

    return app
