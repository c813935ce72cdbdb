"""Request helpers shared by the routers: the runtime, the key, the requester."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from anyio import to_thread
from fastapi import Request

from ai_gateway.errors import GatewayError
from ai_gateway.identity.errors import IdentityError
from ai_gateway.identity.requester import NO_KEY, Requester, key_refused, requester_for_key
from ai_gateway.identity.roles import Role
from ai_gateway.runtime import Runtime


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


def bearer_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


async def current_requester(request: Request) -> Requester:
    secret = bearer_key(request)
    if not secret:
        raise GatewayError(401, "missing_api_key", NO_KEY)
    runtime = runtime_of(request)
    try:
        return await to_thread.run_sync(requester_for_key, runtime.sessions, secret, runtime.clock())
    except IdentityError as exc:
        raise GatewayError(401, "invalid_api_key", key_refused(exc)) from exc


def require_role(*roles: Role) -> Callable[[Request], Coroutine[Any, Any, Requester]]:
    """A dependency that lets only these roles through (403 otherwise)."""

    async def dependency(request: Request) -> Requester:
        who = await current_requester(request)
        if who.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise GatewayError(403, "role_not_permitted", f"Only these roles may do this: {allowed}.")
        return who

    return dependency
