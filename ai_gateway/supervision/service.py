"""Supervised-session service functions: plain arguments, a Session and `now`, no HTTP.

`pupil_access` is the one answer to "is this pupil in an active session for this tool now?": the
pipeline check calls it. `pupil_usage` counts from the monitoring log, so every replica sees the same
rates, budgets and minutes of use.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ai_gateway.config import SupervisionConfig
from ai_gateway.identity.models import User
from ai_gateway.identity.roles import Role
from ai_gateway.monitoring.models import DslAlert, RequestLog
from ai_gateway.pipeline.context import newest_user_text
from ai_gateway.supervision.errors import (
    InvalidSession,
    NotPermitted,
    PupilNotFound,
    SessionNotFound,
    SessionOver,
    ToolNotApprovedForPupils,
)
from ai_gateway.supervision.models import SessionPupil, SupervisedSession
from dpia import service as register
from dpia.errors import ToolNotFound

# Six characters from an alphabet without look-alikes (no 0/O, 1/I/L): easy to read off a board.
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
MAX_MINUTES = 24 * 60

LEADERS = (Role.teacher, Role.support_staff, Role.slt)  # may open a session and run their own
OVERSEERS = (Role.slt, Role.dsl)  # may read every session in the school; SLT may also run them

NO_SUPERVISED_SESSION = "no_supervised_session"
TOOL_NOT_IN_SESSION = "tool_not_in_session"
SESSION_PAUSED = "session_paused"
TIME_LIMIT_REACHED = "time_limit_reached"
RATE_LIMITED = "rate_limited"
TOKEN_BUDGET_EXHAUSTED = "token_budget_exhausted"

ANSWERED = ("allowed", "answered")  # a pupil got an answer (from a provider or from the gateway)
COUNTED = ("allowed", "answered", "failed")  # requests that count towards the rate


# -- opening and running a session ---------------------------------------------------------------


def _require_leader(actor: User, session: SupervisedSession | None = None) -> None:
    if not actor.active:
        raise NotPermitted(f"{actor.username}'s account is not active")
    if session is None:
        if actor.role not in LEADERS:
            raise NotPermitted(f"Only teachers and other staff who teach may open a supervised session; "
                               f"{actor.username} is {actor.role.value}.")  # fmt: skip
        return
    if actor.school_id != session.school_id or not (actor.id == session.teacher_id or actor.role == Role.slt):
        raise NotPermitted("Only the teacher who opened this session (or the senior leadership team) may do this.")


def _require_reader(actor: User, session: SupervisedSession) -> None:
    if actor.school_id != session.school_id or not (actor.id == session.teacher_id or actor.role in OVERSEERS):
        raise NotPermitted("Only the teacher who opened this session, the SLT or the DSL may see it.")


def find_pupil(db: Session, school_id: str, username_or_id: str) -> User:
    pupil = db.scalar(select(User).where(User.school_id == school_id, User.role == Role.pupil,
                                         (User.username == username_or_id) | (User.id == username_or_id)))  # fmt: skip
    if pupil is None:
        raise PupilNotFound(f"no pupil {username_or_id!r} at this school")
    return pupil


def pupils_in_groups(db: Session, school_id: str, groups: Iterable[str]) -> list[User]:
    wanted = set(groups)
    if not wanted:
        return []
    pupils = db.scalars(select(User).where(User.school_id == school_id, User.role == Role.pupil,
                                           User.active.is_(True)).order_by(User.username))  # fmt: skip
    return [p for p in pupils if wanted & set(p.groups or [])]


def _check_tools(db: Session, school_id: str, tools: list[str], pupils: Iterable[User], now: datetime) -> None:
    """Every chosen tool must be approved by the SLT for every key stage among the pupils."""
    key_stages = sorted({p.key_stage for p in pupils if p.key_stage})
    for name in tools:
        try:
            tool = register.find_tool(db, school_id, name)
        except ToolNotFound as exc:
            raise InvalidSession(f"there is no AI tool called {name!r} in the register") from exc
        for key_stage in key_stages:
            if not register.approval_decision(db, tool.id, Role.pupil, key_stage, None, now).allowed:
                raise ToolNotApprovedForPupils(f"{name!r} is not approved by the senior leadership team for "
                                               f"{key_stage} pupils; choose another tool or ask the SLT")  # fmt: skip


def _new_join_code(db: Session, school_id: str, now: datetime) -> str:
    for _ in range(50):
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        taken = db.scalar(select(SupervisedSession.id).where(
            SupervisedSession.school_id == school_id, SupervisedSession.join_code == code,
            SupervisedSession.ended_at.is_(None), SupervisedSession.ends_at > now))  # fmt: skip
        if taken is None:
            return code
    raise InvalidSession("could not find a free join code; try again")  # pragma: no cover - 887 million codes


def open_session(
    db: Session,
    teacher: User,
    *,
    purpose: str,
    tools: list[str],
    settings: SupervisionConfig,
    now: datetime,
    groups: Iterable[str] = (),
    pupils: Iterable[str] = (),
    starts_at: datetime | None = None,
    minutes: int | None = None,
    instructions: str = "",
    learner_mode: bool = True,
    rate_per_minute: int | None = None,
    token_budget: int | None = None,
    advisory_minutes: int | None = None,
    hard_stop_minutes: int | None = None,
) -> SupervisedSession:
    """Open a session for a group and/or named pupils, with tools approved for their key stage."""
    _require_leader(teacher)
    purpose, tools, groups = purpose.strip(), list(dict.fromkeys(tools)), list(dict.fromkeys(groups))
    if not purpose:
        raise InvalidSession("say what the session is for (its purpose)")
    if not tools:
        raise InvalidSession("choose at least one AI tool for the session")
    minutes = minutes or settings.lesson_minutes
    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidSession(f"a session lasts between 1 and {MAX_MINUTES} minutes")
    advisory = advisory_minutes or settings.advisory_minutes
    hard_stop = hard_stop_minutes or settings.hard_stop_minutes
    if advisory >= hard_stop:
        raise InvalidSession("the advisory notice must come before the hard stop (advisory < hard stop minutes)")
    if (rate_per_minute is not None and rate_per_minute < 1) or (token_budget is not None and token_budget < 1):
        raise InvalidSession("rate and token budget must be at least 1")
    listed = [find_pupil(db, teacher.school_id, name) for name in dict.fromkeys(pupils)]
    _check_tools(db, teacher.school_id, tools, listed + pupils_in_groups(db, teacher.school_id, groups), now)
    start = starts_at or now
    session = SupervisedSession(
        school_id=teacher.school_id, teacher_id=teacher.id, purpose=purpose,
        join_code=_new_join_code(db, teacher.school_id, now), groups=groups, tools=tools,
        instructions=instructions.strip(), learner_mode=learner_mode,
        rate_per_minute=rate_per_minute or settings.rate_per_minute.get(Role.pupil),
        token_budget=token_budget or settings.token_budget.get(Role.pupil),
        advisory_minutes=advisory, hard_stop_minutes=hard_stop,
        starts_at=start, ends_at=start + timedelta(minutes=minutes), created_at=now,
    )  # fmt: skip
    db.add(session)
    db.flush()
    for pupil in listed:
        db.add(SessionPupil(session_id=session.id, pupil_id=pupil.id, how="listed", added_at=now))
    db.flush()
    db.refresh(session)
    return session


def find_session(db: Session, school_id: str, session_id: str) -> SupervisedSession:
    session = db.scalar(select(SupervisedSession).where(SupervisedSession.school_id == school_id,
                                                        SupervisedSession.id == session_id))  # fmt: skip
    if session is None:
        raise SessionNotFound(f"no supervised session {session_id!r}")
    return session


def list_sessions(db: Session, actor: User, now: datetime, include_ended: bool = False) -> list[SupervisedSession]:
    """A teacher's own sessions; the SLT and DSL see every session in the school. Newest first."""
    query = select(SupervisedSession).where(SupervisedSession.school_id == actor.school_id)
    if actor.role not in OVERSEERS:
        query = query.where(SupervisedSession.teacher_id == actor.id)
    if not include_ended:
        query = query.where(SupervisedSession.ended_at.is_(None), SupervisedSession.ends_at > now)
    return list(db.scalars(query.order_by(SupervisedSession.starts_at.desc())))


def _still_on(session: SupervisedSession, now: datetime) -> None:
    if session.state(now) == "ended":
        raise SessionOver("this session has ended; open a new one")


def pause_session(db: Session, session: SupervisedSession, actor: User, now: datetime) -> SupervisedSession:
    _require_leader(actor, session)
    _still_on(session, now)
    session.paused_at = session.paused_at or now
    db.flush()
    return session


def resume_session(db: Session, session: SupervisedSession, actor: User, now: datetime) -> SupervisedSession:
    _require_leader(actor, session)
    _still_on(session, now)
    session.paused_at = None
    db.flush()
    return session


def end_session(db: Session, session: SupervisedSession, actor: User, now: datetime) -> SupervisedSession:
    """End it now (a session also ends by itself at `ends_at`)."""
    _require_leader(actor, session)
    if session.ended_at is None:
        session.ended_at = min(now, session.ends_at)
        db.flush()
    return session


def _member_row(db: Session, session: SupervisedSession, pupil: User, now: datetime) -> SessionPupil:
    """The pupil's row in the session, made for a pupil who is in it through a group."""
    for row in session.pupils:
        if row.pupil_id == pupil.id:
            return row
    if not set(session.groups) & set(pupil.groups or []):
        raise PupilNotFound(f"{pupil.username} is not in this session")
    row = SessionPupil(session_id=session.id, pupil_id=pupil.id, how="group", added_at=now)
    db.add(row)
    db.flush()
    db.refresh(session)
    return row


def pause_pupil(db: Session, session: SupervisedSession, actor: User, pupil: str, now: datetime) -> SessionPupil:
    _require_leader(actor, session)
    _still_on(session, now)
    row = _member_row(db, session, find_pupil(db, session.school_id, pupil), now)
    row.paused_at = row.paused_at or now
    db.flush()
    return row


def resume_pupil(db: Session, session: SupervisedSession, actor: User, pupil: str, now: datetime) -> SessionPupil:
    _require_leader(actor, session)
    _still_on(session, now)
    row = _member_row(db, session, find_pupil(db, session.school_id, pupil), now)
    row.paused_at = None
    db.flush()
    return row


def lift_time_limit(db: Session, session: SupervisedSession, actor: User, pupil: str, reason: str,
                    now: datetime) -> SessionPupil:  # fmt: skip
    """Let a pupil go on after the time limit: their minutes of use count again from now. The reason is kept."""
    _require_leader(actor, session)
    _still_on(session, now)
    if not reason.strip():
        raise InvalidSession("give a reason for letting the pupil go on past the time limit")
    row = _member_row(db, session, find_pupil(db, session.school_id, pupil), now)
    row.time_limit_lifts = [*row.time_limit_lifts, {"at": now.isoformat(), "by": actor.username,
                                                    "reason": reason.strip()}]  # fmt: skip
    db.flush()
    return row


def join_session(db: Session, pupil: User, code: str, now: datetime) -> SupervisedSession:
    """A pupil joins with the code their teacher gave them."""
    if pupil.role != Role.pupil:
        raise NotPermitted("Only pupils join a session with a code; staff open sessions instead.")
    code = "".join(code.split()).upper()
    session = db.scalar(select(SupervisedSession).where(
        SupervisedSession.school_id == pupil.school_id, SupervisedSession.join_code == code,
        SupervisedSession.ended_at.is_(None), SupervisedSession.ends_at > now))  # fmt: skip
    if session is None:
        raise SessionNotFound(f"There is no session with the code {code} on now. Check the code with your teacher.")
    usable = {t.name for t in register.usable_tools(db, pupil, None, now)}
    if not usable & set(session.tools):
        raise NotPermitted("This session's AI tools aren't switched on for your year group. Ask your teacher.")
    if not any(row.pupil_id == pupil.id for row in session.pupils):
        db.add(SessionPupil(session_id=session.id, pupil_id=pupil.id, how="joined", added_at=now))
        db.flush()
        db.refresh(session)
    return session


# -- the rule: is this pupil in an active session for this tool now? -------------------------------


@dataclass(frozen=True)
class Access:
    """Whether a pupil may use a tool now, and through which session; `code` says why not."""

    allowed: bool
    code: str | None = None
    session: SupervisedSession | None = None
    member: SessionPupil | None = None


def pupil_access(db: Session, pupil_id: str, tool: str, now: datetime) -> Access:
    """Is this pupil in an active session for this tool now? (Not paused, by the teacher, for them or everyone.)"""
    pupil = db.get(User, pupil_id)
    if pupil is None:
        return Access(False, NO_SUPERVISED_SESSION)
    active = list(db.scalars(select(SupervisedSession).where(
        SupervisedSession.school_id == pupil.school_id, SupervisedSession.ended_at.is_(None),
        SupervisedSession.starts_at <= now, SupervisedSession.ends_at > now,
    ).order_by(SupervisedSession.starts_at.desc())))  # fmt: skip
    rows = {row.session_id: row for s in active for row in s.pupils if row.pupil_id == pupil.id}
    including = [s for s in active if s.id in rows or set(s.groups) & set(pupil.groups or [])]
    if not including:
        return Access(False, NO_SUPERVISED_SESSION)
    with_tool = [s for s in including if tool in s.tools]
    if not with_tool:
        return Access(False, TOOL_NOT_IN_SESSION, including[0], rows.get(including[0].id))
    for session in with_tool:
        member = rows.get(session.id)
        if session.paused_at is None and (member is None or member.paused_at is None):
            return Access(True, None, session, member)
    return Access(False, SESSION_PAUSED, with_tool[0], rows.get(with_tool[0].id))


# -- usage, from the monitoring log --------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """One pupil's use of one session so far, counted from the monitoring log."""

    answers: int = 0
    tokens: int = 0
    first_answer_at: datetime | None = None
    last_answer_at: datetime | None = None
    last_minute: int = 0

    def minutes_of_use(self, member: SessionPupil | None, now: datetime) -> float:
        """Minutes since the pupil's first answer, or since the teacher last lifted their time limit."""
        if self.first_answer_at is None:
            return 0.0
        start = self.first_answer_at
        lifted = member.last_lift_at if member else None
        if lifted is not None and lifted > start:
            start = lifted
        return max(0.0, (now - start).total_seconds() / 60)


def _tokens():
    return func.coalesce(func.sum(func.coalesce(RequestLog.prompt_tokens, 0)
                                  + func.coalesce(RequestLog.completion_tokens, 0)), 0)  # fmt: skip


def pupil_usage(db: Session, session_id: str, pupil_id: str, now: datetime) -> Usage:
    mine = (RequestLog.supervised_session_id == session_id, RequestLog.user_id == pupil_id)
    answers, tokens, first, last = db.execute(
        select(func.count(), _tokens(), func.min(RequestLog.created_at), func.max(RequestLog.created_at))
        .where(*mine, RequestLog.decision.in_(ANSWERED))
    ).one()  # fmt: skip
    last_minute = db.scalar(select(func.count()).where(*mine, RequestLog.decision.in_(COUNTED),
                                                       RequestLog.created_at > now - timedelta(minutes=1)))  # fmt: skip
    # SQLite hands aggregates back without the UTC zone that UTCDateTime adds to columns.
    return Usage(int(answers), int(tokens), _utc(first), _utc(last), int(last_minute or 0))


def has_answered(db: Session, session_id: str, pupil_id: str) -> bool:
    """Has this pupil had an answer in this session yet (for the first-answer notice)?"""
    answered = select(RequestLog.id).where(
        RequestLog.supervised_session_id == session_id, RequestLog.user_id == pupil_id,
        RequestLog.decision.in_(ANSWERED),
    )  # fmt: skip
    return bool(db.scalar(select(answered.exists())))


def user_usage_today(db: Session, user_id: str, now: datetime) -> Usage:
    """A member of staff's requests in the last minute and tokens today (their limits are per day)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    tokens = db.scalar(select(_tokens()).where(RequestLog.user_id == user_id, RequestLog.created_at >= midnight))
    last_minute = db.scalar(select(func.count()).where(RequestLog.user_id == user_id,
                                                       RequestLog.decision.in_(COUNTED),
                                                       RequestLog.created_at > now - timedelta(minutes=1)))  # fmt: skip
    return Usage(tokens=int(tokens or 0), last_minute=int(last_minute or 0))


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def limit_reached(session: SupervisedSession, member: SessionPupil | None, usage: Usage, now: datetime) -> str | None:
    """The first session limit this pupil has reached, as an error code, or None."""
    if usage.minutes_of_use(member, now) >= session.hard_stop_minutes:
        return TIME_LIMIT_REACHED
    if session.token_budget is not None and usage.tokens >= session.token_budget:
        return TOKEN_BUDGET_EXHAUSTED
    if session.rate_per_minute is not None and usage.last_minute >= session.rate_per_minute:
        return RATE_LIMITED
    return None


def advisory_due(session: SupervisedSession, member: SessionPupil | None, usage: Usage, now: datetime) -> bool:
    """Time for the "take a break soon" notice: past the advisory minutes, and not yet told since."""
    used = usage.minutes_of_use(member, now)
    if used < session.advisory_minutes or usage.last_answer_at is None:
        return False
    advised_from = now - timedelta(minutes=used - session.advisory_minutes)
    return usage.last_answer_at < advised_from


# -- what people see -----------------------------------------------------------------------------


def session_record(session: SupervisedSession, now: datetime) -> dict[str, Any]:
    return {
        "id": session.id, "state": session.state(now), "purpose": session.purpose, "join_code": session.join_code,
        "teacher": session.teacher.username, "teacher_name": session.teacher.display_name,
        "groups": list(session.groups), "tools": list(session.tools),
        "pupils": [{"username": r.pupil.username, "how": r.how} for r in session.pupils if r.how != "group"],
        "instructions": session.instructions, "learner_mode": session.learner_mode,
        "rate_per_minute": session.rate_per_minute, "token_budget": session.token_budget,
        "advisory_minutes": session.advisory_minutes, "hard_stop_minutes": session.hard_stop_minutes,
        "starts_at": session.starts_at, "ends_at": session.ends_at, "paused_at": session.paused_at,
        "ended_at": session.ended_at, "created_at": session.created_at,
    }  # fmt: skip


def members(db: Session, session: SupervisedSession) -> list[tuple[User, SessionPupil | None]]:
    """Everyone in the session: named or joined pupils, and pupils of its groups."""
    rows = {row.pupil_id: row for row in session.pupils}
    people = {row.pupil_id: row.pupil for row in session.pupils}
    for pupil in pupils_in_groups(db, session.school_id, session.groups):
        people.setdefault(pupil.id, pupil)
    return [(p, rows.get(p.id)) for p in sorted(people.values(), key=lambda p: p.username)]


def live_view(db: Session, session: SupervisedSession, actor: User, now: datetime,
              since: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    """The teacher's view: pupils and their counts, their prompts and answers, refusals and DSL alerts.

    A request that raised a DSL alert shows only that it went to the DSL: the disclosure is theirs to read.
    """
    _require_reader(actor, session)
    entries = list(db.scalars(select(RequestLog).where(RequestLog.supervised_session_id == session.id)
                              .order_by(RequestLog.created_at)))  # fmt: skip
    alerts = list(db.scalars(select(DslAlert).where(DslAlert.supervised_session_id == session.id)
                             .order_by(DslAlert.created_at)))  # fmt: skip
    people = members(db, session)
    names = {p.id: p.username for p, _ in people}
    for entry in entries:  # someone who has left a group still shows with what they asked
        if entry.user_id not in names and (user := db.get(User, entry.user_id)) is not None:
            names[user.id] = user.username
            people.append((user, None))
    pupils = []
    for pupil, row in people:
        mine = [e for e in entries if e.user_id == pupil.id]
        usage = pupil_usage(db, session.id, pupil.id, now)
        pupils.append({
            "username": pupil.username, "display_name": pupil.display_name, "key_stage": pupil.key_stage,
            "how": row.how if row else "group", "paused": bool(row and row.paused_at),
            "requests": len(mine), "answered": sum(e.decision in ANSWERED for e in mine),
            "refused": sum(e.decision == "blocked" for e in mine),
            "whole_task_requests": sum(bool((e.details or {}).get("offloading")) for e in mine),
            "tokens": usage.tokens, "minutes_of_use": round(usage.minutes_of_use(row, now), 1),
            "time_limit_reached": usage.minutes_of_use(row, now) >= session.hard_stop_minutes,
            "time_limit_lifts": list(row.time_limit_lifts) if row else [],
            "dsl_alerts": sum(a.pupil_id == pupil.id for a in alerts),
        })  # fmt: skip
    requests = []
    for entry in entries:
        if since is not None and entry.created_at <= since:
            continue
        to_dsl = bool((entry.details or {}).get("pupil_risk", {}).get("dsl_alert"))
        requests.append({
            "id": entry.id, "at": entry.created_at, "pupil": names.get(entry.user_id or "", entry.user_id),
            "tool": entry.tool, "decision": entry.decision, "reason_code": entry.reason_code,
            "prompt": "(sent to the Designated Safeguarding Lead)" if to_dsl else newest_user_text(entry.prompt),
            "reply": None if to_dsl else entry.reply,
            "whole_task_request": bool((entry.details or {}).get("offloading")),
        })  # fmt: skip
    return {
        "session": session_record(session, now),
        "pupils": pupils,
        "requests": requests,
        "refusals": [r for r in requests if r["decision"] == "blocked"],
        "dsl_alerts": [{"id": a.id, "at": a.created_at, "pupil": names.get(a.pupil_id, a.pupil_id),
                        "category": a.category, "severity": a.severity, "status": a.status}
                       for a in alerts if since is None or a.created_at > since],  # fmt: skip
        "as_of": now,
    }


def sessions_with_pupil(db: Session, pupil: User, now: datetime) -> list[SupervisedSession]:
    """The sessions on now (or later today) that include this pupil."""
    active = db.scalars(select(SupervisedSession).where(
        SupervisedSession.school_id == pupil.school_id, SupervisedSession.ended_at.is_(None),
        SupervisedSession.ends_at > now))  # fmt: skip
    return [s for s in active if any(r.pupil_id == pupil.id for r in s.pupils)
            or set(s.groups) & set(pupil.groups or [])]  # fmt: skip

