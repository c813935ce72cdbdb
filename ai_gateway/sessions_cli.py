"""`aup-gateway sessions`: supervised sessions from a terminal.

Every command acts as a named person (`--as USERNAME`), checked by the same service functions the
REST API calls: a teacher opens and runs their session, a pupil joins with its code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ai_gateway.database import transaction
from ai_gateway.identity import service as identity
from ai_gateway.identity.errors import IdentityError
from ai_gateway.identity.models import User
from ai_gateway.supervision import service as supervision
from ai_gateway.supervision.errors import SupervisionError

sessions_app = typer.Typer(help="Supervised sessions: teachers open and run them, pupils join.", no_args_is_help=True)

# The main CLI adds the app above, so it exists before its helpers are imported: either module may load first.
from ai_gateway.cli import ConfigOpt, JsonOpt, SchoolOpt, _emit, _fail, _runtime  # noqa: E402

T = TypeVar("T")

AsOpt = Annotated[str, typer.Option("--as", help="Username of the person doing this (their role is checked).")]


def _act(config: Path | None, school: str | None, as_json: bool, username: str,
         work: Callable[[Session, User, datetime, Any], T]) -> T:  # fmt: skip
    """Run `work(session, actor, now, runtime)` in one transaction; errors become messages."""
    runtime = _runtime(config)
    try:
        with transaction(runtime.sessions) as session:
            actor = identity.find_user(session, identity.get_school(session, school), username)
            return work(session, actor, runtime.clock(), runtime)
    except (SupervisionError, IdentityError) as exc:
        _fail(as_json, str(exc))
    except IntegrityError:
        _fail(as_json, "someone else changed this session at the same time; try again")
    finally:
        runtime.engine.dispose()
    raise AssertionError("unreachable")


def _when(value: str | None, as_json: bool) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        _fail(as_json, f"{value!r} is not a date and time; write it as YYYY-MM-DDTHH:MM+00:00")
        raise AssertionError("unreachable") from None
    if when.tzinfo is None:
        _fail(as_json, f"{value!r} has no time zone; add one, e.g. +00:00 or Z")
    return when


def _line(s: dict[str, Any]) -> str:
    who = ", ".join(s["groups"] + [p["username"] for p in s["pupils"]]) or "pupils with the code"
    return (f"{s['id']}  {s['state']:<9} code {s['join_code']}  {s['starts_at']:%H:%M}-{s['ends_at']:%H:%M}  "
            f"{', '.join(s['tools'])}  for {who}: {s['purpose']}")  # fmt: skip


def _pupil(row) -> dict[str, Any]:
    return {"username": row.pupil.username, "paused": row.paused_at is not None,
            "time_limit_lifts": row.time_limit_lifts}  # fmt: skip


@sessions_app.command("open")
def sessions_open(
    actor: AsOpt,
    purpose: Annotated[str, typer.Option("--purpose", help="What the session is for, in a few words.")],
    tool: Annotated[list[str], typer.Option("--tool", help="An AI tool for the session (repeat).")],
    group: Annotated[list[str] | None, typer.Option("--group", help="A class or teaching group (repeat).")] = None,
    pupil: Annotated[list[str] | None, typer.Option("--pupil", help="A pupil's username (repeat).")] = None,
    minutes: Annotated[int | None, typer.Option("--minutes", help="Length; one lesson if omitted.")] = None,
    starts_at: Annotated[str | None, typer.Option("--starts-at", help="ISO time with zone; now if omitted.")] = None,
    instructions: Annotated[str, typer.Option("--instructions", help="Added for the AI to every pupil request.")] = "",
    learner_mode: Annotated[bool, typer.Option("--learner-mode/--no-learner-mode",
                                               help="Hints and questions, not finished answers.")] = True,
    rate: Annotated[int | None, typer.Option("--rate", help="Requests a minute per pupil.")] = None,
    token_budget: Annotated[int | None, typer.Option("--token-budget", help="Tokens per pupil.")] = None,
    advisory_minutes: Annotated[int | None, typer.Option("--advisory-minutes")] = None,
    hard_stop_minutes: Annotated[int | None, typer.Option("--hard-stop-minutes")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open a supervised session (run as the teacher); prints the join code for pupils."""
    start = _when(starts_at, as_json)

    def work(s, user, now, runtime):
        opened = supervision.open_session(
            s, user, purpose=purpose, tools=tool, groups=group or [], pupils=pupil or [], starts_at=start,
            minutes=minutes, instructions=instructions, learner_mode=learner_mode, rate_per_minute=rate,
            token_budget=token_budget, advisory_minutes=advisory_minutes, hard_stop_minutes=hard_stop_minutes,
            settings=runtime.settings.supervision, now=now,
        )  # fmt: skip
        return supervision.session_record(opened, now)

    data = _act(config, school, as_json, actor, work)
    _emit(as_json, data, f"Opened: {_line(data)}\nPupils join with the code {data['join_code']}.")


@sessions_app.command("list")
def sessions_list(
    actor: AsOpt,
    include_ended: Annotated[bool, typer.Option("--all", help="Include ended sessions.")] = False,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Your sessions on now (the SLT and DSL see the whole school's)."""
    rows = _act(config, school, as_json, actor, lambda s, user, now, _rt: [
        supervision.session_record(x, now) for x in supervision.list_sessions(s, user, now, include_ended)])
    _emit(as_json, rows, "\n".join(_line(r) for r in rows) or "No sessions.")


@sessions_app.command("show")
def sessions_show(
    session_id: str,
    actor: AsOpt,
    since: Annotated[str | None, typer.Option("--since", help="Only requests and alerts after this time.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The live view: pupils, their prompts and answers, refusals and DSL alerts."""
    after = _when(since, as_json)

    def work(s, user, now, _rt):
        return supervision.live_view(s, supervision.find_session(s, user.school_id, session_id), user, now, after)

    view = _act(config, school, as_json, actor, work)
    lines = [_line(view["session"]), ""]
    lines += [f"  {p['username']:<16} {'PAUSED ' if p['paused'] else ''}{p['answered']} answered, "
              f"{p['refused']} refused, {p['whole_task_requests']} asking for the whole task, "
              f"{p['minutes_of_use']} min{', TIME LIMIT' if p['time_limit_reached'] else ''}"
              for p in view["pupils"]]  # fmt: skip
    lines += [""] + [f"  {r['at']:%H:%M:%S} {r['pupil']:<16} {r['decision']:<8} {r['reason_code'] or '':<22} "
                     f"{r['prompt'][:70]}" for r in view["requests"]]  # fmt: skip
    lines += [f"  DSL alert {a['at']:%H:%M} {a['pupil']}: {a['category']} ({a['severity']})"
              for a in view["dsl_alerts"]]  # fmt: skip
    _emit(as_json, view, "\n".join(lines))


def _session_command(name: str, action: Callable[..., Any], done: str, help: str) -> None:
    @sessions_app.command(name)
    def command(session_id: str, actor: AsOpt, config: ConfigOpt = None, school: SchoolOpt = None,
                as_json: JsonOpt = False) -> None:  # fmt: skip
        def work(s, user, now, _rt):
            found = supervision.find_session(s, user.school_id, session_id)
            return supervision.session_record(action(s, found, user, now), now)

        data = _act(config, school, as_json, actor, work)
        _emit(as_json, data, f"{done}: {_line(data)}")

    command.__doc__ = help


_session_command("pause", supervision.pause_session, "Paused", "Pause the whole session (run as its teacher).")
_session_command("resume", supervision.resume_session, "Resumed", "Resume a paused session.")
_session_command("end", supervision.end_session, "Ended", "End a session now (it also ends by itself).")


def _pupil_command(name: str, action: Callable[..., Any], done: str, help: str) -> None:
    @sessions_app.command(name)
    def command(session_id: str, pupil: str, actor: AsOpt, config: ConfigOpt = None, school: SchoolOpt = None,
                as_json: JsonOpt = False) -> None:  # fmt: skip
        def work(s, user, now, _rt):
            return _pupil(action(s, supervision.find_session(s, user.school_id, session_id), user, pupil, now))

        data = _act(config, school, as_json, actor, work)
        _emit(as_json, data, f"{done}: {data['username']}")

    command.__doc__ = help


_pupil_command("pause-pupil", supervision.pause_pupil, "Paused", "Pause one pupil in a session.")
_pupil_command("resume-pupil", supervision.resume_pupil, "Resumed", "Let a paused pupil go on.")


@sessions_app.command("lift-stop")
def sessions_lift_stop(
    session_id: str,
    pupil: str,
    actor: AsOpt,
    reason: Annotated[str, typer.Option("--reason", help="Why the pupil may go on (recorded).")],
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Let a pupil go on past the session's time limit; the reason is recorded."""

    def work(s, user, now, _rt):
        found = supervision.find_session(s, user.school_id, session_id)
        return _pupil(supervision.lift_time_limit(s, found, user, pupil, reason, now))

    data = _act(config, school, as_json, actor, work)
    _emit(as_json, data, f"{data['username']} may go on: {reason}")


@sessions_app.command("join")
def sessions_join(code: str, actor: AsOpt, config: ConfigOpt = None, school: SchoolOpt = None,
                  as_json: JsonOpt = False) -> None:  # fmt: skip
    """Join a session with the code your teacher gave you (run as the pupil)."""

    def work(s, user, now, _rt):
        joined = supervision.join_session(s, user, code, now)
        return {"id": joined.id, "purpose": joined.purpose, "teacher_name": joined.teacher.display_name,
                "tools": joined.tools, "starts_at": joined.starts_at, "ends_at": joined.ends_at}  # fmt: skip

    data = _act(config, school, as_json, actor, work)
    _emit(as_json, data, f"You're in {data['teacher_name']}'s session: {data['purpose']} "
                         f"(until {data['ends_at']:%H:%M}; tools: {', '.join(data['tools'])}).")  # fmt: skip
