"""Supervised sessions over REST: teachers open, watch, pause and end them; pupils join with a code.

Thin: parse, call an `ai_gateway.supervision.service` function as the signed-in user, shape the reply.
The service checks who may do what, so the API and the CLI enforce the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from anyio import to_thread
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ai_gateway.database import transaction
from ai_gateway.errors import GatewayError
from ai_gateway.identity.models import User
from ai_gateway.identity.requester import Requester
from ai_gateway.supervision import service as supervision
from ai_gateway.supervision.errors import (
    InvalidSession,
    NotPermitted,
    PupilNotFound,
    SessionNotFound,
    SessionOver,
    SupervisionError,
    ToolNotApprovedForPupils,
)
from ai_gateway.web import current_requester, runtime_of

router = APIRouter(prefix="/api/v1", tags=["Supervised sessions"])

T = TypeVar("T")


def _error(exc: SupervisionError | IntegrityError) -> GatewayError:
    match exc:
        case SessionNotFound() | PupilNotFound():
            return GatewayError(404, "not_found", str(exc))
        case NotPermitted():
            return GatewayError(403, "role_not_permitted", str(exc))
        case ToolNotApprovedForPupils():
            return GatewayError(400, "tool_not_approved_for_pupils", str(exc))
        case InvalidSession():
            return GatewayError(400, "invalid_request", str(exc))
        case SessionOver():
            return GatewayError(409, "session_over", str(exc))
        case IntegrityError():
            return GatewayError(409, "conflict", "Someone else changed this session at the same time; try again.")
    return GatewayError(400, "invalid_request", str(exc))


async def _as(request: Request, who: Requester, work: Callable[[Session, User, datetime, Any], T]) -> T:
    """Run `work(session, actor, now, settings)` in one transaction as the signed-in user."""
    runtime = runtime_of(request)
    now = runtime.clock()

    def run() -> T:
        with transaction(runtime.sessions) as session:
            actor = session.get(User, who.user_id)
            return work(session, actor, now, runtime.settings)

    try:
        return await to_thread.run_sync(run)
    except (SupervisionError, IntegrityError) as exc:
        raise _error(exc) from exc


# -- what the API reads and returns --------------------------------------------------------------


class SessionIn(BaseModel):
    purpose: str = Field(min_length=1, examples=["Year 4 rivers: research questions"])
    tools: list[str] = Field(min_length=1, description="Tools approved for these pupils' key stage.")
    groups: list[str] = Field(default=[], description="Registration or teaching groups, e.g. ['4B'].")
    pupils: list[str] = Field(default=[], description="Usernames of pupils (besides the groups).")
    starts_at: datetime | None = Field(default=None, description="Now when omitted.")
    minutes: int | None = Field(default=None, ge=1, le=supervision.MAX_MINUTES,
                                description="Length; one lesson (configured) when omitted.")  # fmt: skip
    instructions: str = Field(default="", examples=["Give hints and questions, never write the answer for them."])
    learner_mode: bool = Field(default=True, description="Ask the model for hints and steps, not finished answers.")
    rate_per_minute: int | None = Field(default=None, ge=1)
    token_budget: int | None = Field(default=None, ge=1)
    advisory_minutes: int | None = Field(default=None, ge=1)
    hard_stop_minutes: int | None = Field(default=None, ge=1)


class SessionPupilOut(BaseModel):
    username: str
    how: str


class SessionOut(BaseModel):
    id: str
    state: str = Field(description="scheduled, active, paused or ended")
    purpose: str
    join_code: str
    teacher: str
    teacher_name: str
    groups: list[str]
    tools: list[str]
    pupils: list[SessionPupilOut]
    instructions: str
    learner_mode: bool
    rate_per_minute: int | None
    token_budget: int | None
    advisory_minutes: int
    hard_stop_minutes: int
    starts_at: datetime
    ends_at: datetime
    paused_at: datetime | None
    ended_at: datetime | None
    created_at: datetime


class PupilView(BaseModel):
    username: str
    display_name: str
    key_stage: str | None
    how: str
    paused: bool
    requests: int
    answered: int
    refused: int
    whole_task_requests: int = Field(description="Requests asking the AI to do the whole task.")
    tokens: int
    minutes_of_use: float
    time_limit_reached: bool
    time_limit_lifts: list[dict[str, Any]]
    dsl_alerts: int


class RequestView(BaseModel):
    id: str
    at: datetime
    pupil: str | None
    tool: str | None
    decision: str
    reason_code: str | None
    prompt: str
    reply: str | None
    whole_task_request: bool


class AlertView(BaseModel):
    id: str
    at: datetime
    pupil: str
    category: str
    severity: str
    status: str


class LiveView(BaseModel):
    session: SessionOut
    pupils: list[PupilView]
    requests: list[RequestView]
    refusals: list[RequestView]
    dsl_alerts: list[AlertView]
    as_of: datetime


class JoinIn(BaseModel):
    code: str = Field(min_length=4, max_length=12, examples=["K7PQ3M"])


class JoinedOut(BaseModel):
    id: str
    purpose: str
    teacher_name: str
    tools: list[str]
    starts_at: datetime
    ends_at: datetime


class LiftIn(BaseModel):
    reason: str = Field(min_length=1, examples=["Finishing the research task with me watching"])


class PupilStateOut(BaseModel):
    username: str
    paused: bool
    time_limit_lifts: list[dict[str, Any]]


def _session_out(session, now: datetime) -> SessionOut:
    return SessionOut(**supervision.session_record(session, now))


def _pupil_out(row) -> PupilStateOut:
    return PupilStateOut(username=row.pupil.username, paused=row.paused_at is not None,
                         time_limit_lifts=row.time_limit_lifts)  # fmt: skip


# -- teachers ------------------------------------------------------------------------------------


@router.post("/sessions", response_model=SessionOut, status_code=201,
             summary="Open a supervised session for a class or named pupils (teachers)")  # fmt: skip
async def open_session(request: Request, body: SessionIn, who: Requester = Depends(current_requester)) -> SessionOut:
    def work(s, actor, now, settings):
        opened = supervision.open_session(s, actor, settings=settings.supervision, now=now, **body.model_dump())
        return _session_out(opened, now)

    return await _as(request, who, work)


@router.get("/sessions", response_model=list[SessionOut],
            summary="Your sessions on now (the SLT and DSL see the whole school's)")  # fmt: skip
async def list_sessions(request: Request, include_ended: bool = False, who: Requester = Depends(current_requester)):
    def work(s, actor, now, _settings):
        return [_session_out(x, now) for x in supervision.list_sessions(s, actor, now, include_ended)]

    return await _as(request, who, work)


@router.get("/sessions/{session_id}", response_model=LiveView,
            summary="The live view: pupils, their prompts and answers, refusals, DSL alerts")  # fmt: skip
async def live_view(request: Request, session_id: str, since: datetime | None = None,
                    who: Requester = Depends(current_requester)) -> LiveView:  # fmt: skip
    def work(s, actor, now, _settings):
        found = supervision.find_session(s, actor.school_id, session_id)
        return LiveView(**supervision.live_view(s, found, actor, now, since))

    return await _as(request, who, work)


def _session_action(action: Callable[..., Any]):
    async def endpoint(request: Request, session_id: str, who: Requester = Depends(current_requester)) -> SessionOut:
        def work(s, actor, now, _settings):
            return _session_out(action(s, supervision.find_session(s, actor.school_id, session_id), actor, now), now)

        return await _as(request, who, work)

    return endpoint


router.add_api_route("/sessions/{session_id}/pause", _session_action(supervision.pause_session), methods=["POST"],
                     response_model=SessionOut, summary="Pause the whole session")  # fmt: skip
router.add_api_route("/sessions/{session_id}/resume", _session_action(supervision.resume_session), methods=["POST"],
                     response_model=SessionOut, summary="Resume the whole session")  # fmt: skip
router.add_api_route("/sessions/{session_id}/end", _session_action(supervision.end_session), methods=["POST"],
                     response_model=SessionOut, summary="End the session now")  # fmt: skip


@router.post("/sessions/{session_id}/pupils/{username}/pause", response_model=PupilStateOut,
             summary="Pause one pupil")  # fmt: skip
async def pause_pupil(request: Request, session_id: str, username: str,
                      who: Requester = Depends(current_requester)) -> PupilStateOut:  # fmt: skip
    def work(s, actor, now, _settings):
        found = supervision.find_session(s, actor.school_id, session_id)
        return _pupil_out(supervision.pause_pupil(s, found, actor, username, now))

    return await _as(request, who, work)


@router.post("/sessions/{session_id}/pupils/{username}/resume", response_model=PupilStateOut,
             summary="Let a paused pupil go on")  # fmt: skip
async def resume_pupil(request: Request, session_id: str, username: str,
                       who: Requester = Depends(current_requester)) -> PupilStateOut:  # fmt: skip
    def work(s, actor, now, _settings):
        found = supervision.find_session(s, actor.school_id, session_id)
        return _pupil_out(supervision.resume_pupil(s, found, actor, username, now))

    return await _as(request, who, work)


@router.post("/sessions/{session_id}/pupils/{username}/lift-time-limit", response_model=PupilStateOut,
             summary="Let a pupil go on past the time limit (the reason is recorded)")  # fmt: skip
async def lift_time_limit(request: Request, session_id: str, username: str, body: LiftIn,
                          who: Requester = Depends(current_requester)) -> PupilStateOut:  # fmt: skip
    def work(s, actor, now, _settings):
        found = supervision.find_session(s, actor.school_id, session_id)
        return _pupil_out(supervision.lift_time_limit(s, found, actor, username, body.reason, now))

    return await _as(request, who, work)


# -- pupils --------------------------------------------------------------------------------------


@router.post("/sessions/join", response_model=JoinedOut, summary="Join a session with the code your teacher gave")
async def join_session(request: Request, body: JoinIn, who: Requester = Depends(current_requester)) -> JoinedOut:
    def work(s, actor, now, _settings):
        joined = supervision.join_session(s, actor, body.code, now)
        return JoinedOut(id=joined.id, purpose=joined.purpose, teacher_name=joined.teacher.display_name,
                         tools=joined.tools, starts_at=joined.starts_at, ends_at=joined.ends_at)  # fmt: skip

    return await _as(request, who, work)
