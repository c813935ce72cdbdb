"""Supervised sessions in the pipeline (pupil AUP: AI only when a teacher says it's okay; not to cheat).

`PupilSupervision` lets a pupil's request through only inside an active session that includes them and
the tool; it runs before `pupil_risk`, which reads the session and teacher it records. `PupilLimits`
applies the session's rate, token budget and time limits; `OffloadingMarker` marks requests that ask
the AI to do the whole task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from anyio import to_thread
from sqlalchemy.orm import Session, sessionmaker

from ai_gateway.clock import Clock
from ai_gateway.config import SupervisionConfig
from ai_gateway.pipeline.context import ChatRequest, newest_user_text
from ai_gateway.pipeline.decision import Allow, Block, Decision, Transform
from ai_gateway.supervision import service as supervision
from ai_gateway.supervision.models import SessionPupil, SupervisedSession
from ai_gateway.supervision.offloading import OffloadingLexicon
from ai_gateway.supervision.wording import SupervisionWording

log = logging.getLogger("aup_gateway.supervision")

_UNAVAILABLE = ("The gateway cannot check supervised sessions just now, so nothing was sent. "
                "Try again shortly, or tell your teacher.")  # fmt: skip


@dataclass(frozen=True)
class _Seen:
    """What the database said about one pupil's request, as plain values."""

    code: str | None
    session_id: str | None = None
    teacher_id: str | None = None
    learner_mode: bool = False
    instructions: str = ""
    first_answer: bool = False


class PupilSupervision:
    """Pupils use AI only inside an active, unpaused session a teacher opened for them, with a tool it chose."""

    name = "supervision"

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, settings: SupervisionConfig,
                 wording: SupervisionWording) -> None:  # fmt: skip
        self.sessions = sessions
        self.clock = clock
        self.settings = settings
        self.wording = wording

    def _look_up(self, pupil_id: str, tool: str) -> _Seen:
        now = self.clock()
        with self.sessions() as db:
            access = supervision.pupil_access(db, pupil_id, tool, now)
            session = access.session
            if session is None:
                return _Seen(access.code)
            if not access.allowed:
                return _Seen(access.code, session.id, session.teacher_id)
            # Only whether an answer came yet: the limits check counts the rest.
            first_answer = not supervision.has_answered(db, session.id, pupil_id)
            return _Seen(None, session.id, session.teacher_id, session.learner_mode, session.instructions,
                         first_answer=first_answer)  # fmt: skip

    def _system_message(self, seen: _Seen) -> str:
        parts = [self.settings.learner_mode_prompt] if seen.learner_mode else []
        if seen.instructions:
            parts.append(f"The pupil's teacher asks, for this lesson: {seen.instructions}")
        return "\n\n".join(parts)

    async def check(self, request: ChatRequest) -> Decision:
        who = request.requester
        assert who and request.tool
        if not who.is_pupil:
            return Allow()
        try:
            seen = await to_thread.run_sync(self._look_up, who.user_id, request.tool.name)
        except Exception:
            log.exception("supervision check failed", extra={"request_id": request.request_id})
            return Block(503, "supervision_unavailable", _UNAVAILABLE, type="service_unavailable")
        details = {"session_id": seen.session_id, "teacher_id": seen.teacher_id} if seen.session_id else {}
        if seen.code:
            return Block(403, seen.code, self.wording.message(seen.code, who), details=details)
        details["learner_mode"] = seen.learner_mode
        if seen.first_answer:
            details["notice"] = self.wording.message("first_answer_notice", who)
        system = self._system_message(seen)
        if system:
            return Transform([{"role": "system", "content": system}, *request.messages], details)
        return Allow(details)


@dataclass(frozen=True)
class _Count:
    code: str | None
    minutes_of_use: float
    tokens: int
    last_minute: int
    advisory: bool = False
    hard_stop_minutes: int = 0


class PupilLimits:
    """Per-pupil rate, token budget and time limits for the session (DfE product safety standards).

    Other roles meet their role's rate and daily token budget when the configuration sets one.
    Everything is counted from the monitoring log, so every replica agrees.
    """

    name = "limits"

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, settings: SupervisionConfig,
                 wording: SupervisionWording) -> None:  # fmt: skip
        self.sessions = sessions
        self.clock = clock
        self.settings = settings
        self.wording = wording

    def _count_pupil(self, session_id: str, pupil_id: str) -> _Count:
        now = self.clock()
        with self.sessions() as db:
            session = db.get(SupervisedSession, session_id)
            assert session is not None
            member = next((r for r in session.pupils if r.pupil_id == pupil_id), None)
            usage = supervision.pupil_usage(db, session_id, pupil_id, now)
            return _count(session, member, usage, now)

    def _count_staff(self, user_id: str, rate: int | None, budget: int | None) -> _Count:
        with self.sessions() as db:
            usage = supervision.user_usage_today(db, user_id, self.clock())
        code = None
        if budget is not None and usage.tokens >= budget:
            code = supervision.TOKEN_BUDGET_EXHAUSTED
        elif rate is not None and usage.last_minute >= rate:
            code = supervision.RATE_LIMITED
        return _Count(code, 0.0, usage.tokens, usage.last_minute)

    async def check(self, request: ChatRequest) -> Decision:
        who = request.requester
        assert who
        session_id = request.details.get("supervision", {}).get("session_id")
        rate, budget = self.settings.rate_per_minute.get(who.role), self.settings.token_budget.get(who.role)
        if who.is_pupil and not session_id:
            return Allow()  # no session check configured: a pupil's limits belong to a session
        if not who.is_pupil and rate is None and budget is None:
            return Allow()
        try:
            if who.is_pupil:
                counted = await to_thread.run_sync(self._count_pupil, session_id, who.user_id)
            else:
                counted = await to_thread.run_sync(self._count_staff, who.user_id, rate, budget)
        except Exception:
            log.exception("limits check failed", extra={"request_id": request.request_id})
            return Block(503, "supervision_unavailable", _UNAVAILABLE, type="service_unavailable")
        details: dict[str, object] = {"tokens_used": counted.tokens, "requests_last_minute": counted.last_minute}
        if who.is_pupil:
            details["minutes_of_use"] = round(counted.minutes_of_use, 1)
        if counted.code == supervision.TIME_LIMIT_REACHED:
            message = self.wording.message(counted.code, who, minutes=counted.hard_stop_minutes)
            return Block(403, counted.code, message, details=details)
        if counted.code == supervision.TOKEN_BUDGET_EXHAUSTED:
            return Block(429, counted.code, self.wording.message(counted.code, who), type="insufficient_quota",
                         details=details)  # fmt: skip
        if counted.code == supervision.RATE_LIMITED:
            return Block(429, counted.code, self.wording.message(counted.code, who), type="rate_limit_error",
                         details=details)  # fmt: skip
        if counted.advisory:
            details["notice"] = self.wording.message("advisory_notice", who, minutes=int(counted.minutes_of_use))
        return Allow(details)


def _count(session: SupervisedSession, member: SessionPupil | None, usage: supervision.Usage, now) -> _Count:
    return _Count(
        code=supervision.limit_reached(session, member, usage, now),
        minutes_of_use=usage.minutes_of_use(member, now),
        tokens=usage.tokens,
        last_minute=usage.last_minute,
        advisory=supervision.advisory_due(session, member, usage, now),
        hard_stop_minutes=session.hard_stop_minutes,
    )


class OffloadingMarker:
    """Marks a pupil's request that asks the AI to do the whole task, for the teacher; it is not refused."""

    name = "offloading"

    def __init__(self, lexicon: OffloadingLexicon | None = None) -> None:
        self.lexicon = lexicon or OffloadingLexicon.load()

    async def check(self, request: ChatRequest) -> Decision:
        assert request.requester
        if not request.requester.is_pupil:
            return Allow()
        found = self.lexicon.matches(newest_user_text(request.messages))
        return Allow({"asks_for_whole_task": True, "phrases": found}) if found else Allow()
