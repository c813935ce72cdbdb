"""Register service functions: plain arguments and a Session, no HTTP.

`approval_decision` is the one answer to "may this person use this tool, for
this purpose, today?": the pipeline check, GET /v1/models, the admin API and
the CLI all call it. `data_permissions` answers "what personal data may this
tool see in clear?" for the personal-data check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ai_gateway.config import PurposeConfig
from ai_gateway.database import utcnow
from ai_gateway.identity.models import User
from ai_gateway.identity.roles import Role
from dpia.errors import (
    ApprovalNotFound,
    DpiaExists,
    DpiaNotFound,
    InvalidRecord,
    InvalidTransition,
    NotPermitted,
    SafeguardingNotCoverable,
    ToolExists,
    ToolNotFound,
)
from dpia.models import Approval, Dpia, RegisterChange, Tool

DATA_LOCATIONS = ("UK", "EEA", "US", "other", "local")
KEY_STAGES = ("EYFS", "KS1", "KS2", "KS3", "KS4", "KS5")
# The purposes an approval may name when the caller does not pass the school's configured list.
PURPOSES = ("lesson_planning", "resource_creation", "classroom_use", "administration", "professional_development")

# The redaction engine's category names (redaction/findings.py); a test keeps the two in step.
PERSONAL_DATA_CATEGORIES = (
    "pupil_names", "staff_names", "parent_names", "other_names",
    "contact_details", "identifiers", "dates_of_birth", "health_sen",
)  # fmt: skip
SPECIAL_CATEGORIES = frozenset({"health_sen"})
# The AUP keeps AI out of safeguarding casework: no DPIA can make it lawful to send.
NEVER_COVERED = "safeguarding"
IN_CLEAR, PSEUDONYMISED = "in_clear", "pseudonymised"

DRAFT, SUBMITTED, APPROVED, REJECTED = "draft", "submitted", "approved", "rejected"

TOOL_NOT_APPROVED = "tool_not_approved"
APPROVAL_EXPIRED = "approval_expired"
APPROVAL_OUT_OF_SCOPE = "approval_out_of_scope"

TOOL_ADMINS = (Role.it_admin,)
APPROVERS = (Role.slt,)
SIGNERS = (Role.dpo,)
DPIA_EDITORS = (Role.dpo, Role.slt, Role.it_admin)
TOOL_FIELDS = ("litellm_model", "api_base", "api_key_env", "provider", "data_location", "retains_prompts",
               "trains_on_prompts", "owner", "description", "notes")  # fmt: skip
DPIA_CONTENT = ("reference", "categories", "lawful_basis", "special_category_condition", "risks", "mitigations",
                "review_by")  # fmt: skip

PUPIL_REFUSAL = "This AI tool isn't switched on for your class yet. Ask your teacher."


# -- the record of every change ------------------------------------------------------------------


def snapshot(record: Any) -> dict[str, Any]:
    """A record's columns as JSON-safe values, for the change log and exports."""
    out: dict[str, Any] = {}
    for column in record.__table__.columns:
        value = getattr(record, column.key)
        out[column.key] = value.isoformat() if isinstance(value, date) else value
    return out


def _record_change(
    session: Session, school_id: str, actor: User | None, entity: str, entity_id: str, action: str,
    before: dict[str, Any] | None, after: dict[str, Any] | None, now: datetime,
) -> None:  # fmt: skip
    session.add(RegisterChange(school_id=school_id, actor_id=actor.id if actor else None, entity=entity,
                               entity_id=entity_id, action=action, before=before, after=after, at=now))  # fmt: skip


def list_changes(session: Session, school_id: str, limit: int = 100, entity: str | None = None) -> list[RegisterChange]:
    query = select(RegisterChange).where(RegisterChange.school_id == school_id)
    if entity:
        query = query.where(RegisterChange.entity == entity)
    return list(session.scalars(query.order_by(RegisterChange.id.desc()).limit(limit)))


def _require(actor: User, roles: tuple[Role, ...], school_id: str, doing: str) -> None:
    if actor.school_id != school_id:
        raise NotPermitted(f"{actor.username} belongs to another school")
    if not actor.active:
        raise NotPermitted(f"{actor.username}'s account is not active")
    if actor.role not in roles:
        who = " or ".join(_role_words(r) for r in roles)
        raise NotPermitted(f"Only {who} may {doing}; {actor.username} is {_role_words(actor.role)}.")


def _role_words(role: Role | str) -> str:
    return {"slt": "the senior leadership team", "dpo": "the DPO", "it_admin": "an IT admin",
            "dsl": "the DSL"}.get(str(role), str(role).replace("_", " "))  # fmt: skip


# -- tools ---------------------------------------------------------------------------------------


def find_tool(session: Session, school_id: str, name: str, include_disabled: bool = False) -> Tool:
    tool = session.scalar(select(Tool).where(Tool.school_id == school_id, Tool.name == name))
    if tool is None or not (tool.enabled or include_disabled):
        raise ToolNotFound(f"no AI tool called {name!r} in the register")
    return tool


def list_tools(session: Session, school_id: str, include_disabled: bool = False) -> list[Tool]:
    query = select(Tool).where(Tool.school_id == school_id).order_by(Tool.name)
    if not include_disabled:
        query = query.where(Tool.enabled.is_(True))
    return list(session.scalars(query))


def _check_tool_fields(fields: Mapping[str, object]) -> None:
    unknown = sorted(set(fields) - set(TOOL_FIELDS))
    if unknown:
        raise InvalidRecord(f"unknown tool field(s): {', '.join(unknown)}")
    if "data_location" in fields and fields["data_location"] not in DATA_LOCATIONS:
        raise InvalidRecord(f"data_location must be one of {', '.join(DATA_LOCATIONS)}")


def create_tool(
    session: Session, school_id: str, name: str, litellm_model: str,
    actor: User | None = None, now: datetime | None = None, **fields: object,
) -> Tool:  # fmt: skip
    """Add a tool. With an actor, only an IT admin may; without one it comes from configuration."""
    now = now or utcnow()
    if actor is not None:
        _require(actor, TOOL_ADMINS, school_id, "add AI tools to the register")
    _check_tool_fields(fields)
    if session.scalar(select(Tool).where(Tool.school_id == school_id, Tool.name == name)) is not None:
        raise ToolExists(f"a tool named {name!r} is already registered")
    tool = Tool(school_id=school_id, name=name, litellm_model=litellm_model, created_at=now, **fields)
    session.add(tool)
    session.flush()
    _record_change(session, school_id, actor, "tool", tool.id, "created", None, snapshot(tool), now)
    return tool


def update_tool(session: Session, tool: Tool, actor: User, now: datetime, **fields: object) -> Tool:
    """Change a tool's details (IT admin only); the change log keeps the old values."""
    _require(actor, TOOL_ADMINS, tool.school_id, "change AI tools in the register")
    _check_tool_fields(fields)
    before = snapshot(tool)
    for key, value in fields.items():
        setattr(tool, key, value)
    session.flush()
    _record_change(session, tool.school_id, actor, "tool", tool.id, "updated", before, snapshot(tool), now)
    return tool


def set_tool_enabled(
    session: Session, tool: Tool, enabled: bool, actor: User | None = None, now: datetime | None = None
) -> Tool:
    now = now or utcnow()
    if actor is not None:
        _require(actor, TOOL_ADMINS, tool.school_id, "switch AI tools on or off")
    before = snapshot(tool)
    tool.enabled = enabled
    session.flush()
    _record_change(session, tool.school_id, actor, "tool", tool.id, "enabled" if enabled else "disabled",
                   before, snapshot(tool), now)  # fmt: skip
    return tool


def seed_tools(session: Session, school_id: str, tools: Iterable[dict[str, object]]) -> list[Tool]:
    """Register configured tools that are not yet in the register; never overwrite a record."""
    created = []
    for spec in tools:
        spec = {k: v for k, v in spec.items() if k in TOOL_FIELDS or k == "name"}
        name = str(spec.pop("name"))
        existing = session.scalar(select(Tool).where(Tool.school_id == school_id, Tool.name == name))
        if existing is None:
            created.append(create_tool(session, school_id, name, **spec))  # type: ignore[arg-type]
    return created


# -- SLT approvals -------------------------------------------------------------------------------


def _scope(roles: Iterable[str], key_stages: Iterable[str], purposes: Iterable[str],
           known_purposes: Iterable[str] | None) -> tuple[list[str], list[str], list[str]]:  # fmt: skip
    roles, key_stages, purposes = (sorted({str(v) for v in values}) for values in (roles, key_stages, purposes))
    known = tuple(known_purposes or PURPOSES)
    if not roles:
        raise InvalidRecord("name at least one role the approval covers (e.g. teacher)")
    if bad := [r for r in roles if r not in Role.__members__]:
        raise InvalidRecord(f"unknown role(s) {', '.join(bad)}; use {', '.join(Role.__members__)}")
    if bad := [k for k in key_stages if k not in KEY_STAGES]:
        raise InvalidRecord(f"unknown key stage(s) {', '.join(bad)}; use {', '.join(KEY_STAGES)}")
    if Role.pupil in roles and not key_stages:
        raise InvalidRecord("an approval that covers pupils must name their key stages (e.g. KS2)")
    if key_stages and Role.pupil not in roles:
        raise InvalidRecord("key stages apply to pupils only; add the pupil role or remove the key stages")
    if not purposes:
        raise InvalidRecord(f"name at least one purpose the approval covers: {', '.join(known)}")
    if bad := [p for p in purposes if p not in known]:
        raise InvalidRecord(f"unknown purpose(s) {', '.join(bad)}; use {', '.join(known)}")
    return roles, key_stages, purposes


def record_approval(
    session: Session,
    tool: Tool,
    approver: User,
    *,
    risk_assessment_reference: str,
    roles: Iterable[str],
    purposes: Iterable[str],
    review_by: date,
    now: datetime,
    key_stages: Iterable[str] = (),
    risk_assessment_summary: str = "",
    valid_from: date | None = None,
    known_purposes: Iterable[str] | None = None,
) -> Approval:
    """Record the SLT's written approval of a tool, after its risk assessment, for a scope and a period."""
    _require(approver, APPROVERS, tool.school_id, "approve AI tools")
    roles_, key_stages_, purposes_ = _scope(roles, key_stages, purposes, known_purposes)
    if not risk_assessment_reference.strip():
        raise InvalidRecord("an approval needs the reference of its risk assessment")
    valid_from = valid_from or now.date()
    if review_by < valid_from or review_by < now.date():
        raise InvalidRecord("the review-by date must be today or later, and not before the approval starts")
    approval = Approval(
        school_id=tool.school_id, tool_id=tool.id, approved_by_id=approver.id, approved_at=now,
        risk_assessment_reference=risk_assessment_reference.strip(), risk_assessment_summary=risk_assessment_summary,
        roles=roles_, key_stages=key_stages_, purposes=purposes_, valid_from=valid_from, review_by=review_by,
    )  # fmt: skip
    session.add(approval)
    session.flush()
    _record_change(session, tool.school_id, approver, "approval", approval.id, "approved", None,
                   snapshot(approval), now)  # fmt: skip
    return approval


def approve_for_everyone(
    session: Session, tool: Tool, approver: User, *, risk_assessment_reference: str, now: datetime,
    review_in_days: int = 365, summary: str = "",
) -> Approval:  # fmt: skip
    """An approval whose scope is every role, key stage and purpose (a demo school, an evaluation run)."""
    return record_approval(
        session, tool, approver, risk_assessment_reference=risk_assessment_reference,
        roles=[r.value for r in Role], key_stages=list(KEY_STAGES),
        purposes=list(PurposeConfig().allowed), review_by=now.date() + timedelta(days=review_in_days), now=now,
        risk_assessment_summary=summary,
    )  # fmt: skip


def withdraw_approval(session: Session, approval: Approval, actor: User, reason: str, now: datetime) -> Approval:
    _require(actor, APPROVERS, approval.school_id, "withdraw approvals")
    if approval.withdrawn_at is not None:
        raise InvalidTransition(f"this approval was already withdrawn on {approval.withdrawn_at:%d %B %Y}")
    if not reason.strip():
        raise InvalidRecord("say why the approval is withdrawn")
    before = snapshot(approval)
    approval.withdrawn_at, approval.withdrawn_by_id, approval.withdrawal_reason = now, actor.id, reason.strip()
    session.flush()
    _record_change(session, approval.school_id, actor, "approval", approval.id, "withdrawn", before,
                   snapshot(approval), now)  # fmt: skip
    return approval


def renew_approval(
    session: Session, approval: Approval, actor: User, *, review_by: date, now: datetime,
    risk_assessment_reference: str | None = None, risk_assessment_summary: str | None = None,
) -> Approval:  # fmt: skip
    """After a review: a new approval with the same scope, and the old one withdrawn as renewed."""
    renewed = record_approval(
        session, approval.tool, actor,
        risk_assessment_reference=risk_assessment_reference or approval.risk_assessment_reference,
        risk_assessment_summary=(approval.risk_assessment_summary if risk_assessment_summary is None
                                 else risk_assessment_summary),
        roles=approval.roles, key_stages=approval.key_stages, purposes=approval.purposes,
        review_by=review_by, now=now, known_purposes=approval.purposes,
    )  # fmt: skip
    if approval.withdrawn_at is None:
        withdraw_approval(session, approval, actor, f"renewed as approval {renewed.id}", now)
    return renewed


def find_approval(session: Session, school_id: str, approval_id: str) -> Approval:
    approval = session.get(Approval, approval_id)
    if approval is None or approval.school_id != school_id:
        raise ApprovalNotFound(f"no approval {approval_id!r}")
    return approval


def list_approvals(session: Session, school_id: str, tool: Tool | None = None) -> list[Approval]:
    query = select(Approval).where(Approval.school_id == school_id)
    if tool is not None:
        query = query.where(Approval.tool_id == tool.id)
    return list(session.scalars(query.order_by(Approval.approved_at.desc(), Approval.id)))


def approval_state(approval: Approval, today: date) -> str:
    """in_force, withdrawn, lapsed (past its review-by date) or not_yet_valid."""
    if approval.withdrawn_at is not None:
        return "withdrawn"
    if approval.valid_from > today:
        return "not_yet_valid"
    if approval.review_by < today:
        return "lapsed"
    return "in_force"


@dataclass(frozen=True)
class ApprovalDecision:
    """Whether a tool is approved for a role, key stage and purpose today, and why not."""

    allowed: bool
    code: str | None = None
    approval: Approval | None = None  # the approval in force, or the one that lapsed
    purposes_in_scope: tuple[str, ...] = ()  # what this person may use the tool for, when out of scope

    @property
    def reference(self) -> str | None:
        return self.approval.risk_assessment_reference if self.approval else None


def _covers(approval: Approval, role: str, key_stage: str | None, purpose: str | None) -> bool:
    if role not in approval.roles:
        return False
    if role == Role.pupil and key_stage not in approval.key_stages:
        return False
    return purpose is None or purpose in approval.purposes


def decide(approvals: Iterable[Approval], role: str, key_stage: str | None, purpose: str | None,
           today: date) -> ApprovalDecision:  # fmt: skip
    """The rule itself, over one tool's approvals: purpose None means any purpose in scope."""
    current = [a for a in approvals if a.withdrawn_at is None and a.valid_from <= today]
    in_scope = [a for a in current if _covers(a, role, key_stage, purpose)]
    live = [a for a in in_scope if a.review_by >= today]
    if live:
        return ApprovalDecision(True, approval=max(live, key=lambda a: a.review_by))
    if in_scope:
        return ApprovalDecision(False, APPROVAL_EXPIRED, max(in_scope, key=lambda a: a.review_by))
    others = [a for a in current if a.review_by >= today]
    if others:
        purposes = sorted({p for a in others if _covers(a, role, key_stage, None) for p in a.purposes})
        return ApprovalDecision(False, APPROVAL_OUT_OF_SCOPE, purposes_in_scope=tuple(purposes))
    return ApprovalDecision(False, TOOL_NOT_APPROVED)


def approval_decision(session: Session, tool_id: str, role: str, key_stage: str | None, purpose: str | None,
                      now: datetime) -> ApprovalDecision:  # fmt: skip
    """Is this tool approved by the SLT for this role (and key stage), for this purpose, now?"""
    approvals = session.scalars(select(Approval).where(Approval.tool_id == tool_id))
    return decide(approvals, role, key_stage, purpose, now.date())


def usable_tools(session: Session, requester: Any, purpose: str | None, now: datetime) -> list[Tool]:
    """The enabled tools this person may use now (for `purpose`, or for any purpose when None)."""
    tools = list_tools(session, requester.school_id)
    approvals = session.scalars(select(Approval).where(Approval.school_id == requester.school_id)).all()
    by_tool: dict[str, list[Approval]] = {}
    for approval in approvals:
        by_tool.setdefault(approval.tool_id, []).append(approval)
    role, key_stage, today = requester.role, requester.key_stage, now.date()
    return [t for t in tools if decide(by_tool.get(t.id, []), role, key_stage, purpose, today).allowed]


def refusal_message(decision: ApprovalDecision, tool_name: str, role: str, purpose: str | None) -> str:
    """What the person sees when the tool is refused: who to ask, in words a child can follow."""
    if role == Role.pupil:
        return PUPIL_REFUSAL
    if decision.code == APPROVAL_EXPIRED and decision.approval is not None:
        due = decision.approval.review_by
        return (f"The senior leadership team's approval of '{tool_name}' was due for review by "
                f"{due.day} {due:%B %Y} and has lapsed, so it cannot be used until it is renewed. "
                "Ask your senior leadership team to review it.")  # fmt: skip
    if decision.code == APPROVAL_OUT_OF_SCOPE:
        what = f"for '{purpose}'" if purpose else "for your role"
        text = f"'{tool_name}' is approved by the senior leadership team, but not {what} as a {_role_words(role)}. "
        if decision.purposes_in_scope:
            text += f"You may use it for: {', '.join(decision.purposes_in_scope)} (set 'purpose' in your request). "
        return text + "To use it for this, ask your senior leadership team to extend its approval."
    return (f"'{tool_name}' has not been approved by the senior leadership team, so it cannot be used yet. "
            "Ask your senior leadership team: a tool needs a risk assessment and their written approval first. "
            "GET /v1/models lists the tools you can use.")  # fmt: skip


# -- DPIAs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataPermissions:
    """What a tool's DPIA in force allows; with none, nothing personal is sent in clear."""

    dpia_in_force: bool
    dpia_reference: str | None = None
    in_clear: frozenset[str] = field(default_factory=frozenset)
    covered: frozenset[str] = field(default_factory=frozenset)


def parse_categories(items: Iterable[str]) -> dict[str, str]:
    """"pupil_names" or "contact_details:in_clear" (command-line form) into the categories mapping."""
    out: dict[str, str] = {}
    for item in items:
        name, _, how = item.partition(":")
        out[name.strip()] = how.strip() or PSEUDONYMISED
    return out


def _categories(categories: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    mapping = dict(categories) if isinstance(categories, Mapping) else dict.fromkeys(categories, PSEUDONYMISED)
    if NEVER_COVERED in mapping:
        raise SafeguardingNotCoverable(
            "No DPIA may cover safeguarding information: the AUP keeps AI out of safeguarding casework. "
            "Remove 'safeguarding' from the categories."
        )
    if bad := sorted(set(mapping) - set(PERSONAL_DATA_CATEGORIES)):
        raise InvalidRecord(f"unknown data category {', '.join(bad)}; use {', '.join(PERSONAL_DATA_CATEGORIES)}")
    if bad := sorted(c for c, how in mapping.items() if how not in (IN_CLEAR, PSEUDONYMISED)):
        raise InvalidRecord(f"say '{IN_CLEAR}' or '{PSEUDONYMISED}' for {', '.join(bad)}")
    return {c: mapping[c] for c in sorted(mapping)}


def dpia_history(session: Session, tool: Tool) -> list[Dpia]:
    """Every version of the tool's DPIA, oldest first."""
    return list(session.scalars(select(Dpia).where(Dpia.tool_id == tool.id).order_by(Dpia.version)))


def current_dpia(session: Session, tool: Tool) -> Dpia:
    """The newest version of the tool's DPIA, whatever its status."""
    latest = session.scalar(select(Dpia).where(Dpia.tool_id == tool.id).order_by(Dpia.version.desc()).limit(1))
    if latest is None:
        raise DpiaNotFound(f"'{tool.name}' has no DPIA yet")
    return latest


def dpia_in_force(session: Session, tool_id: str, now: datetime) -> Dpia | None:
    """The newest DPO-approved version, unless its review-by date has passed.

    A later draft does not switch the approved version off; a lapsed review does.
    """
    approved = session.scalar(select(Dpia).where(Dpia.tool_id == tool_id, Dpia.status == APPROVED)
                              .order_by(Dpia.version.desc()).limit(1))  # fmt: skip
    if approved is None or approved.review_by is None or approved.review_by < now.date():
        return None
    return approved


def data_permissions(session: Session, school_id: str, tool_id: str, now: datetime) -> DataPermissions:
    dpia = dpia_in_force(session, tool_id, now)
    if dpia is None or dpia.school_id != school_id:
        return DataPermissions(dpia_in_force=False)
    return DataPermissions(
        dpia_in_force=True,
        dpia_reference=f"{dpia.reference} v{dpia.version}",
        in_clear=frozenset(c for c, how in dpia.categories.items() if how == IN_CLEAR),
        covered=frozenset(dpia.categories),
    )


def _new_version(session: Session, previous: Dpia | None, tool: Tool, actor: User, status: str, now: datetime,
                 note: str, action: str, **content: Any) -> Dpia:  # fmt: skip
    fields = {name: getattr(previous, name) for name in DPIA_CONTENT} if previous else {}
    fields.update(content)
    decided = status in (APPROVED, REJECTED)
    version = Dpia(
        school_id=tool.school_id, tool_id=tool.id, version=previous.version + 1 if previous else 1, status=status,
        changed_by_id=actor.id, changed_at=now, change_note=note,
        decided_by_id=actor.id if decided else None, decided_at=now if decided else None, **fields,
    )  # fmt: skip
    session.add(version)
    session.flush()
    _record_change(session, tool.school_id, actor, "dpia", version.id, action,
                   snapshot(previous) if previous else None, snapshot(version), now)  # fmt: skip
    return version


def create_dpia(
    session: Session, tool: Tool, author: User, *, reference: str, now: datetime,
    categories: Mapping[str, str] | Iterable[str] = (), lawful_basis: str = "", special_category_condition: str = "",
    risks: str = "", mitigations: str = "", review_by: date | None = None, note: str = "",
) -> Dpia:  # fmt: skip
    """Start a tool's DPIA as a draft (version 1)."""
    _require(author, DPIA_EDITORS, tool.school_id, "write DPIAs")
    if session.scalar(select(Dpia.id).where(Dpia.tool_id == tool.id).limit(1)) is not None:
        raise DpiaExists(f"'{tool.name}' already has a DPIA; change it to make a new version")
    if not reference.strip():
        raise InvalidRecord("a DPIA needs a reference (e.g. DPIA-2026-03)")
    return _new_version(session, None, tool, author, DRAFT, now, note or "drafted", "drafted",
                        reference=reference.strip(), categories=_categories(categories), lawful_basis=lawful_basis,
                        special_category_condition=special_category_condition, risks=risks,
                        mitigations=mitigations, review_by=review_by)  # fmt: skip


def update_dpia(session: Session, tool: Tool, author: User, now: datetime, note: str = "", **changes: Any) -> Dpia:
    """Change a DPIA: the result is a new draft version; earlier versions stay as they were."""
    _require(author, DPIA_EDITORS, tool.school_id, "change DPIAs")
    if bad := sorted(set(changes) - set(DPIA_CONTENT)):
        raise InvalidRecord(f"unknown DPIA field(s): {', '.join(bad)}")
    if "categories" in changes:
        changes["categories"] = _categories(changes["categories"])
    if "reference" in changes and not str(changes["reference"]).strip():
        raise InvalidRecord("a DPIA needs a reference")
    previous = current_dpia(session, tool)
    return _new_version(session, previous, tool, author, DRAFT, now, note or "changed", "changed", **changes)


def submit_dpia(session: Session, tool: Tool, author: User, now: datetime, note: str = "") -> Dpia:
    """Send a draft to the DPO for sign-off, once it says what it must."""
    _require(author, DPIA_EDITORS, tool.school_id, "submit DPIAs")
    previous = current_dpia(session, tool)
    if previous.status != DRAFT:
        raise InvalidTransition(f"only a draft can be submitted; version {previous.version} is {previous.status}")
    missing = [name.replace("_", " ") for name in ("lawful_basis", "risks", "mitigations")
               if not getattr(previous, name).strip()]  # fmt: skip
    if SPECIAL_CATEGORIES & set(previous.categories) and not previous.special_category_condition.strip():
        missing.append("special category condition (it covers health/SEN data)")
    if missing:
        raise InvalidRecord(f"before it is submitted, the DPIA needs: {', '.join(missing)}")
    return _new_version(session, previous, tool, author, SUBMITTED, now, note or "submitted to the DPO", "submitted")


def approve_dpia(session: Session, tool: Tool, dpo: User, now: datetime, review_by: date | None = None,
                 note: str = "") -> Dpia:  # fmt: skip
    """The DPO signs a submitted DPIA off; it is in force until its review-by date."""
    _require(dpo, SIGNERS, tool.school_id, "sign DPIAs off")
    previous = current_dpia(session, tool)
    if previous.status != SUBMITTED:
        raise InvalidTransition(f"only a submitted DPIA can be signed off; version {previous.version} is "
                                f"{previous.status}")  # fmt: skip
    review_by = review_by or previous.review_by
    if review_by is None or review_by <= now.date():
        raise InvalidRecord("set a review-by date after today when signing the DPIA off")
    return _new_version(session, previous, tool, dpo, APPROVED, now, note or "signed off by the DPO", "approved",
                        review_by=review_by)  # fmt: skip


def reject_dpia(session: Session, tool: Tool, dpo: User, reason: str, now: datetime) -> Dpia:
    _require(dpo, SIGNERS, tool.school_id, "reject DPIAs")
    previous = current_dpia(session, tool)
    if previous.status != SUBMITTED:
        raise InvalidTransition(f"only a submitted DPIA can be rejected; version {previous.version} is "
                                f"{previous.status}")  # fmt: skip
    if not reason.strip():
        raise InvalidRecord("say why the DPIA is rejected, so it can be put right")
    return _new_version(session, previous, tool, dpo, REJECTED, now, reason.strip(), "rejected")


def list_dpias(session: Session, school_id: str) -> list[Dpia]:
    """The newest version of every tool's DPIA."""
    rows = session.scalars(select(Dpia).where(Dpia.school_id == school_id).order_by(Dpia.tool_id, Dpia.version))
    latest: dict[str, Dpia] = {}
    for row in rows:
        latest[row.tool_id] = row
    return sorted(latest.values(), key=lambda d: d.tool.name)


# -- reviews -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDue:
    kind: str  # approval | dpia
    tool: str
    record_id: str
    reference: str
    review_by: date
    days_left: int  # negative once overdue (the record is then no longer in force)
    ask: str


def reviews_due(session: Session, school_id: str, now: datetime, within_days: int = 30) -> list[ReviewDue]:
    """Approvals and DPIAs due for review in the next `within_days` days, and any already overdue."""
    today = now.date()
    horizon = today + timedelta(days=within_days)
    due: list[ReviewDue] = []
    approvals = session.scalars(select(Approval).where(
        Approval.school_id == school_id, Approval.withdrawn_at.is_(None), Approval.review_by <= horizon))  # fmt: skip
    for a in approvals:
        due.append(ReviewDue("approval", a.tool.name, a.id, a.risk_assessment_reference, a.review_by,
                             (a.review_by - today).days, "the senior leadership team"))  # fmt: skip
    approved = session.scalars(select(Dpia).where(Dpia.school_id == school_id, Dpia.status == APPROVED)
                               .order_by(Dpia.tool_id, Dpia.version))  # fmt: skip
    newest: dict[str, Dpia] = {}
    for d in approved:
        newest[d.tool_id] = d
    for d in newest.values():
        if d.review_by is not None and d.review_by <= horizon:
            due.append(ReviewDue("dpia", d.tool.name, d.id, f"{d.reference} v{d.version}", d.review_by,
                                 (d.review_by - today).days, "the DPO"))  # fmt: skip
    return sorted(due, key=lambda r: (r.review_by, r.tool, r.kind))
