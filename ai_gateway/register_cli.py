"""`aup-gateway approvals|dpias|register`: the register from a terminal.

Changes are made as a named user (`--as USERNAME`) whose role is checked by the
same service functions the REST API calls: SLT approve, the DPO signs DPIAs off.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ai_gateway.database import transaction
from ai_gateway.identity import service as identity
from ai_gateway.identity.errors import IdentityError
from ai_gateway.identity.models import School, User
from ai_gateway.identity.roles import Role
from dpia import export
from dpia import service as register
from dpia.errors import RegisterError

approvals_app = typer.Typer(help="SLT approvals of AI tools: add, list, withdraw, renew, check.", no_args_is_help=True)
dpias_app = typer.Typer(help="DPIAs: draft, update, submit, approve or reject (DPO), history.", no_args_is_help=True)
register_app = typer.Typer(help="The register: reviews due, export, change log.", no_args_is_help=True)

# The main CLI adds the apps above, so they exist before its helpers are imported: either module may load first.
from ai_gateway.cli import ConfigOpt, JsonOpt, SchoolOpt, _emit, _fail, _runtime  # noqa: E402

T = TypeVar("T")

AsOpt = Annotated[str, typer.Option("--as", help="Username of the person making the change (their role is checked).")]
ReviewByOpt = Annotated[str, typer.Option("--review-by", help="Review-by date, YYYY-MM-DD.")]


def _date(value: str | None, as_json: bool) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(as_json, f"{value!r} is not a date; write it as YYYY-MM-DD")
        return None  # not reached: _fail exits


def _act(config: Path | None, school: str | None, as_json: bool, username: str | None,
         work: Callable[[Session, School, User | None, datetime, Any], T]) -> T:  # fmt: skip
    """Run `work(session, school, actor, now, runtime)` in one transaction; errors become messages."""
    runtime = _runtime(config)
    try:
        with transaction(runtime.sessions) as session:
            where = identity.get_school(session, school)
            actor = identity.find_user(session, where, username) if username else None
            return work(session, where, actor, runtime.clock(), runtime)
    except (RegisterError, IdentityError) as exc:
        _fail(as_json, str(exc))
    except IntegrityError:
        _fail(as_json, "someone else changed this record at the same time; try again")
    finally:
        runtime.engine.dispose()
    raise AssertionError("unreachable")


def _approval_line(a: dict[str, Any]) -> str:
    scope = ", ".join(a["roles"]) + (f" ({', '.join(a['key_stages'])})" if a["key_stages"] else "")
    return (f"{a['id']}  {a['tool']:<16} {a['state']:<13} {a['risk_assessment_reference']:<14} "
            f"review by {a['review_by']}  {scope}; {', '.join(a['purposes'])}")  # fmt: skip


def _approval(approval, now: datetime) -> dict[str, Any]:
    return {"tool": approval.tool.name, **export.approval_record(approval, now.date())}


def _dpia(dpia, in_force=None) -> dict[str, Any]:
    return {"tool": dpia.tool.name, "in_force": in_force is not None and in_force.id == dpia.id,
            **export.dpia_record(dpia)}  # fmt: skip


def _dpia_line(d: dict[str, Any]) -> str:
    cats = ", ".join(c if how == register.PSEUDONYMISED else f"{c} (in clear)" for c, how in d["categories"].items())
    return (f"{d['tool']:<16} v{d['version']:<3} {d['status']:<10}{' IN FORCE' if d['in_force'] else '':<10} "
            f"{d['reference']:<14} review by {d['review_by'] or '-'}  {cats or 'no personal data'}")  # fmt: skip


# -- approvals -----------------------------------------------------------------------------------


@approvals_app.command("add")
def approvals_add(
    tool: str,
    actor: AsOpt,
    reference: Annotated[str, typer.Option("--reference", help="The risk assessment's reference.")],
    review_by: ReviewByOpt,
    role: Annotated[list[Role], typer.Option("--role", help="A role it is approved for (repeat).")],
    purpose: Annotated[list[str], typer.Option("--purpose", help="A purpose it is approved for (repeat).")],
    key_stage: Annotated[list[str] | None, typer.Option("--key-stage", help="Pupils' key stage (repeat).")] = None,
    summary: Annotated[str, typer.Option("--summary", help="The risk assessment in a sentence or two.")] = "",
    valid_from: Annotated[str | None, typer.Option("--valid-from", help="YYYY-MM-DD; today if omitted.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the senior leadership team's written approval of a tool (run as an SLT user)."""
    review, start = _date(review_by, as_json), _date(valid_from, as_json)

    def work(s, where, user, now, runtime):
        found = register.find_tool(s, where.id, tool, include_disabled=True)
        approval = register.record_approval(
            s, found, user, risk_assessment_reference=reference, risk_assessment_summary=summary, roles=role,
            key_stages=key_stage or [], purposes=purpose, valid_from=start, review_by=review, now=now,
            known_purposes=runtime.settings.purposes.allowed,
        )  # fmt: skip
        return _approval(approval, now)

    data = _act(config, school, as_json, actor, work)
    _emit(as_json, data, f"Approved {tool}: {_approval_line(data)}")


@approvals_app.command("list")
def approvals_list(
    tool: Annotated[str | None, typer.Option(help="Only this tool's approvals.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List approvals, newest first, with whether each is in force today."""

    def work(s, where, _user, now, _rt):
        found = register.find_tool(s, where.id, tool, include_disabled=True) if tool else None
        return [_approval(a, now) for a in register.list_approvals(s, where.id, found)]

    rows = _act(config, school, as_json, None, work)
    _emit(as_json, rows, "\n".join(_approval_line(r) for r in rows) or "No approvals.")


@approvals_app.command("withdraw")
def approvals_withdraw(
    approval_id: str,
    actor: AsOpt,
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn.")],
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Withdraw an approval (run as an SLT user): the tool stops working for its scope at once."""

    def work(s, where, user, now, _rt):
        approval = register.find_approval(s, where.id, approval_id)
        return _approval(register.withdraw_approval(s, approval, user, reason, now), now)

    data = _act(config, school, as_json, actor, work)
    _emit(as_json, data, f"Withdrew approval {approval_id} of {data['tool']}.")


@approvals_app.command("renew")
def approvals_renew(
    approval_id: str,
    actor: AsOpt,
    review_by: ReviewByOpt,
    reference: Annotated[str | None, typer.Option("--reference", help="A new risk assessment's reference.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """After a review: approve again with the same scope and a new review-by date (run as an SLT user)."""
    review = _date(review_by, as_json)

    def work(s, where, user, now, _rt):
        approval = register.find_approval(s, where.id, approval_id)
        renewed = register.renew_approval(s, approval, user, review_by=review, now=now,
                                          risk_assessment_reference=reference)  # fmt: skip
        return _approval(renewed, now)

    data = _act(config, school, as_json, actor, work)
    _emit(as_json, data, f"Renewed: {_approval_line(data)}")


@approvals_app.command("check")
def approvals_check(
    tool: str,
    user: Annotated[str, typer.Option("--user", help="The person who wants to use it.")],
    purpose: Annotated[str | None, typer.Option(help="What for; any approved purpose if omitted.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """May this person use this tool, for this purpose, today? (The gateway's own answer.)"""

    def work(s, where, _user, now, _rt):
        found = register.find_tool(s, where.id, tool, include_disabled=True)
        person = identity.find_user(s, where, user)
        decision = register.approval_decision(s, found.id, person.role, person.key_stage, purpose, now)
        message = None if decision.allowed else register.refusal_message(decision, found.name, person.role, purpose)
        return {"tool": found.name, "user": person.username, "purpose": purpose, "allowed": decision.allowed,
                "code": decision.code, "message": message, "approval_reference": decision.reference}  # fmt: skip

    data = _act(config, school, as_json, None, work)
    text = (f"Yes: {user} may use {tool} (approval {data['approval_reference']})." if data["allowed"]
            else f"No ({data['code']}): {data['message']}")  # fmt: skip
    _emit(as_json, data, text)


# -- DPIAs ---------------------------------------------------------------------------------------

CategoryOpt = Annotated[
    list[str] | None,
    typer.Option("--category", help="A data category it covers, e.g. pupil_names or staff_names:in_clear (repeat)."),
]


@dpias_app.command("draft")
def dpias_draft(
    tool: str,
    actor: AsOpt,
    reference: Annotated[str, typer.Option("--reference", help="The DPIA's reference, e.g. DPIA-2026-03.")],
    category: CategoryOpt = None,
    lawful_basis: Annotated[str, typer.Option("--lawful-basis")] = "",
    special_category_condition: Annotated[str, typer.Option("--special-category-condition")] = "",
    risks: Annotated[str, typer.Option("--risks")] = "",
    mitigations: Annotated[str, typer.Option("--mitigations")] = "",
    review_by: Annotated[str | None, typer.Option("--review-by", help="YYYY-MM-DD.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Start a tool's DPIA as a draft (version 1)."""
    review = _date(review_by, as_json)

    def work(s, where, user, now, _rt):
        found = register.find_tool(s, where.id, tool, include_disabled=True)
        return _dpia(register.create_dpia(
            s, found, user, reference=reference, now=now, categories=register.parse_categories(category or []),
            lawful_basis=lawful_basis, special_category_condition=special_category_condition, risks=risks,
            mitigations=mitigations, review_by=review))  # fmt: skip

    data = _act(config, school, as_json, actor, work)
    _emit(as_json, data, f"Drafted: {_dpia_line(data)}")


@dpias_app.command("update")
def dpias_update(
    tool: str,
    actor: AsOpt,
    reference: Annotated[str | None, typer.Option("--reference")] = None,
    category: CategoryOpt = None,
    lawful_basis: Annotated[str | None, typer.Option("--lawful-basis")] = None,
    special_category_condition: Annotated[str | None, typer.Option("--special-category-condition")] = None,
    risks: Annotated[str | None, typer.Option("--risks")] = None,
    mitigations: Annotated[str | None, typer.Option("--mitigations")] = None,
    review_by: Annotated[str | None, typer.Option("--review-by", help="YYYY-MM-DD.")] = None,
    note: Annotated[str, typer.Option("--note", help="What changed and why.")] = "",
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a DPIA: makes a new draft version (--category replaces the whole list)."""
    changes: dict[str, Any] = {
        k: v for k, v in {"reference": reference, "lawful_basis": lawful_basis, "risks": risks,
                          "special_category_condition": special_category_condition, "mitigations": mitigations,
                          "review_by": _date(review_by, as_json)}.items() if v is not None
    }  # fmt: skip
    if category is not None:
        changes["categories"] = register.parse_categories(category)

    def work(s, where, user, now, _rt):
        found = register.find_tool(s, where.id, tool, include_disabled=True)
        return _dpia(register.update_dpia(s, found, user, now, note=note, **changes))

    data = _act(config, school, as_json, actor, work)
    _emit(as_json, data, f"New version: {_dpia_line(data)}")


def _step(tool: str, actor: str, config, school, as_json: bool, step: Callable[..., Any], done: str) -> None:
    def work(s, where, user, now, _rt):
        found = register.find_tool(s, where.id, tool, include_disabled=True)
        version = step(s, found, user, now)
        return _dpia(version, register.dpia_in_force(s, found.id, now))

    data = _act(config, school, as_json, actor, work)
    _emit(as_json, data, f"{done}: {_dpia_line(data)}")


@dpias_app.command("submit")
def dpias_submit(tool: str, actor: AsOpt, note: Annotated[str, typer.Option("--note")] = "",
                 config: ConfigOpt = None, school: SchoolOpt = None, as_json: JsonOpt = False) -> None:  # fmt: skip
    """Send a draft DPIA to the DPO for sign-off."""
    _step(tool, actor, config, school, as_json,
          lambda s, t, u, now: register.submit_dpia(s, t, u, now, note=note), "Submitted")  # fmt: skip


@dpias_app.command("approve")
def dpias_approve(
    tool: str,
    actor: AsOpt,
    review_by: Annotated[str | None, typer.Option("--review-by", help="YYYY-MM-DD (else the draft's).")] = None,
    note: Annotated[str, typer.Option("--note")] = "",
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Sign a submitted DPIA off (run as the DPO)."""
    review = _date(review_by, as_json)
    _step(tool, actor, config, school, as_json,
          lambda s, t, u, now: register.approve_dpia(s, t, u, now, review_by=review, note=note),
          "Signed off")  # fmt: skip


@dpias_app.command("reject")
def dpias_reject(tool: str, actor: AsOpt, reason: Annotated[str, typer.Option("--reason")],
                 config: ConfigOpt = None, school: SchoolOpt = None, as_json: JsonOpt = False) -> None:  # fmt: skip
    """Reject a submitted DPIA, saying what must change (run as the DPO)."""
    _step(tool, actor, config, school, as_json,
          lambda s, t, u, now: register.reject_dpia(s, t, u, reason, now), "Rejected")  # fmt: skip


@dpias_app.command("show")
def dpias_show(tool: str, config: ConfigOpt = None, school: SchoolOpt = None, as_json: JsonOpt = False) -> None:
    """The newest version of a tool's DPIA, and whether a version is in force."""

    def work(s, where, _user, now, _rt):
        found = register.find_tool(s, where.id, tool, include_disabled=True)
        return _dpia(register.current_dpia(s, found), register.dpia_in_force(s, found.id, now))

    data = _act(config, school, as_json, None, work)
    _emit(as_json, data, _dpia_line(data))


@dpias_app.command("history")
def dpias_history(tool: str, config: ConfigOpt = None, school: SchoolOpt = None, as_json: JsonOpt = False) -> None:
    """Every version of a tool's DPIA, oldest first: nothing is ever overwritten."""

    def work(s, where, _user, now, _rt):
        found = register.find_tool(s, where.id, tool, include_disabled=True)
        in_force = register.dpia_in_force(s, found.id, now)
        return [_dpia(d, in_force) for d in register.dpia_history(s, found)]

    rows = _act(config, school, as_json, None, work)
    lines = [f"{_dpia_line(r)}\n      {r['changed_at'][:16]} {r['changed_by']}: {r['change_note']}" for r in rows]
    _emit(as_json, rows, "\n".join(lines))


@dpias_app.command("list")
def dpias_list(config: ConfigOpt = None, school: SchoolOpt = None, as_json: JsonOpt = False) -> None:
    """The newest version of every tool's DPIA."""

    def work(s, where, _user, now, _rt):
        return [_dpia(d, register.dpia_in_force(s, d.tool_id, now)) for d in register.list_dpias(s, where.id)]

    rows = _act(config, school, as_json, None, work)
    _emit(as_json, rows, "\n".join(_dpia_line(r) for r in rows) or "No DPIAs.")


# -- the register --------------------------------------------------------------------------------


@register_app.command("reviews-due")
def reviews_due(
    days: Annotated[int, typer.Option(help="Look this many days ahead.")] = 30,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Approvals and DPIAs due for review in the next N days, and any overdue (no longer in force)."""
    rows = _act(config, school, as_json, None, lambda s, where, _u, now, _rt: [
        vars(r) for r in register.reviews_due(s, where.id, now, days)])  # fmt: skip
    lines = [f"{r['review_by']}  {'OVERDUE' if r['days_left'] < 0 else str(r['days_left']) + ' days':<9} "
             f"{r['kind']:<9} {r['tool']:<16} {r['reference']:<16} ask {r['ask']}" for r in rows]  # fmt: skip
    _emit(as_json, rows, "\n".join(lines) or f"Nothing is due for review in the next {days} days.")


@register_app.command("export")
def export_register(
    format: Annotated[str, typer.Option("--format", help="json or csv.")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The whole register (tools, approvals, DPIA versions) as JSON or CSV, to file or publish."""
    if format not in ("json", "csv"):
        _fail(as_json, "--format must be json or csv")
    document = _act(config, school, as_json, None,
                    lambda s, where, _u, now, _rt: export.register_document(s, where, now))  # fmt: skip
    text = export.register_csv(document) if format == "csv" else json.dumps(document, indent=2)
    if output is None:
        typer.echo(text, nl=format != "csv")
        return
    output.write_text(text, encoding="utf-8")
    _emit(as_json, {"written": str(output), "format": format, "tools": len(document["tools"])},
          f"Wrote the register ({len(document['tools'])} tools) to {output}.")  # fmt: skip


@register_app.command("changes")
def changes(
    limit: Annotated[int, typer.Option(help="How many changes.")] = 50,
    entity: Annotated[str | None, typer.Option(help="tool, approval or dpia.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Who changed what in the register, newest first."""

    def work(s, where, _u, _now, _rt):
        return [{"id": c.id, "at": c.at.isoformat(), "actor": c.actor.username if c.actor else None,
                 "entity": c.entity, "entity_id": c.entity_id, "action": c.action, "before": c.before,
                 "after": c.after} for c in register.list_changes(s, where.id, limit, entity)]  # fmt: skip

    rows = _act(config, school, as_json, None, work)
    lines = [f"{r['at'][:19]}  {r['actor'] or '(configuration)':<16} {r['entity']:<9} {r['action']:<10} "
             f"{r['entity_id']}" for r in rows]  # fmt: skip
    _emit(as_json, rows, "\n".join(lines) or "No changes recorded.")
