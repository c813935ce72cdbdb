"""Admin endpoints: parse, call a service function, shape the reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request

from ai_gateway.admin.schemas import (
    IssuedKeyOut,
    KeyIn,
    KeyOut,
    LogEntryOut,
    ToolIn,
    ToolOut,
    UserIn,
    UserOut,
)
from ai_gateway.database import transaction
from ai_gateway.errors import GatewayError
from ai_gateway.identity import service as identity
from ai_gateway.identity.errors import AlreadyExists, NotFound
from ai_gateway.identity.models import School
from ai_gateway.identity.requester import Requester
from ai_gateway.identity.roles import Role
from ai_gateway.monitoring import service as monitoring
from ai_gateway.web import current_requester, require_role, runtime_of
from dpia import service as register
from dpia.errors import ToolExists, ToolNotFound

router = APIRouter(prefix="/api/v1", tags=["Admin"])

T = TypeVar("T")

it_admin = require_role(Role.it_admin)
log_readers = require_role(Role.slt, Role.dsl, Role.dpo)


async def _in_school(request: Request, who: Requester, work: Callable[..., T]) -> T:
    """Run `work(session, school)` in a transaction, mapping service errors to API errors."""
    runtime = runtime_of(request)

    def run() -> T:
        with transaction(runtime.sessions) as session:
            school = session.get(School, who.school_id)
            return work(session, school)

    try:
        return await to_thread.run_sync(run)
    except (NotFound, ToolNotFound) as exc:
        raise GatewayError(404, "not_found", str(exc) or "not found") from exc
    except (AlreadyExists, ToolExists) as exc:
        raise GatewayError(409, "already_exists", str(exc)) from exc
    except ValueError as exc:
        raise GatewayError(400, "invalid_request", str(exc)) from exc


@router.get("/me", response_model=UserOut, summary="The user this key belongs to")
async def me(request: Request, who: Requester = Depends(current_requester)) -> UserOut:
    return await _in_school(
        request, who, lambda s, school: UserOut.model_validate(identity.find_user(s, school, who.user_id))
    )


@router.get("/users", response_model=list[UserOut])
async def list_users(request: Request, role: Role | None = None, who: Requester = Depends(it_admin)):
    return await _in_school(
        request, who, lambda s, school: [UserOut.model_validate(u) for u in identity.list_users(s, school, role)]
    )


@router.post("/users", response_model=UserOut, status_code=201)
async def create_user(request: Request, body: UserIn, who: Requester = Depends(it_admin)) -> UserOut:
    return await _in_school(
        request, who,
        lambda s, school: UserOut.model_validate(identity.create_user(s, school, **body.model_dump())),
    )  # fmt: skip


@router.post("/users/{username}/deactivate", response_model=UserOut)
async def deactivate_user(request: Request, username: str, who: Requester = Depends(it_admin)) -> UserOut:
    return await _in_school(
        request, who,
        lambda s, school: UserOut.model_validate(
            identity.set_user_active(s, identity.find_user(s, school, username), False)),
    )  # fmt: skip


@router.post("/users/{username}/activate", response_model=UserOut)
async def activate_user(request: Request, username: str, who: Requester = Depends(it_admin)) -> UserOut:
    return await _in_school(
        request, who,
        lambda s, school: UserOut.model_validate(
            identity.set_user_active(s, identity.find_user(s, school, username), True)),
    )  # fmt: skip


@router.get("/users/{username}/keys", response_model=list[KeyOut])
async def list_keys(request: Request, username: str, who: Requester = Depends(it_admin)):
    def work(s, school):
        user = identity.find_user(s, school, username)
        return [KeyOut.model_validate(k) for k in identity.list_keys(s, school, user)]

    return await _in_school(request, who, work)


@router.post("/users/{username}/keys", response_model=IssuedKeyOut, status_code=201,
             summary="Issue a key (the secret is shown once)")  # fmt: skip
async def issue_key(request: Request, username: str, body: KeyIn, who: Requester = Depends(it_admin)):
    now = runtime_of(request).clock()

    def work(s, school):
        user = identity.find_user(s, school, username)
        issued = identity.issue_key(s, user, body.label, body.expires_in_days, now=now)
        return IssuedKeyOut(key=KeyOut.model_validate(issued.key), secret=issued.secret)

    return await _in_school(request, who, work)


@router.post("/keys/{prefix}/revoke", response_model=KeyOut)
async def revoke_key(request: Request, prefix: str, who: Requester = Depends(it_admin)) -> KeyOut:
    now = runtime_of(request).clock()
    return await _in_school(
        request, who,
        lambda s, school: KeyOut.model_validate(identity.revoke_key(s, identity.find_key(s, school, prefix), now)),
    )  # fmt: skip


@router.get("/tools", response_model=list[ToolOut])
async def list_tools(request: Request, who: Requester = Depends(it_admin)):
    return await _in_school(
        request, who,
        lambda s, school: [ToolOut.model_validate(t) for t in register.list_tools(s, school.id, True)],
    )  # fmt: skip


@router.post("/tools", response_model=ToolOut, status_code=201)
async def create_tool(request: Request, body: ToolIn, who: Requester = Depends(it_admin)) -> ToolOut:
    return await _in_school(
        request, who,
        lambda s, school: ToolOut.model_validate(register.create_tool(s, school.id, **body.model_dump())),
    )  # fmt: skip


@router.post("/tools/{name}/disable", response_model=ToolOut)
async def disable_tool(request: Request, name: str, who: Requester = Depends(it_admin)) -> ToolOut:
    return await _in_school(
        request, who,
        lambda s, school: ToolOut.model_validate(
            register.set_tool_enabled(s, register.find_tool(s, school.id, name), False)),
    )  # fmt: skip


@router.get("/log", response_model=list[LogEntryOut], summary="Recent entries of the monitoring log")
async def read_log(
    request: Request,
    limit: int = Query(50, ge=1, le=1000),
    decision: str | None = None,
    who: Requester = Depends(log_readers),
):
    return await _in_school(
        request, who,
        lambda s, school: [LogEntryOut.model_validate(e)
                           for e in monitoring.recent_entries(s, school.id, limit, decision=decision)],
    )  # fmt: skip
