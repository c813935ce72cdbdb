"""The register's REST API: SLT approvals, DPIAs and their sign-off, reviews due, export, change log.

Thin: parse, call a `dpia.service` function as the signed-in user, shape the reply.
The service checks who may do what, so the API and the CLI enforce the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ai_gateway.database import transaction
from ai_gateway.errors import GatewayError
from ai_gateway.identity import service as identity
from ai_gateway.identity.errors import NotFound
from ai_gateway.identity.models import School, User
from ai_gateway.identity.requester import Requester
from ai_gateway.identity.roles import Role
from ai_gateway.web import require_role, runtime_of
from dpia import export
from dpia import service as register
from dpia.errors import (
    ApprovalNotFound,
    DpiaExists,
    DpiaNotFound,
    InvalidRecord,
    InvalidTransition,
    NotPermitted,
    RegisterError,
    SafeguardingNotCoverable,
    ToolExists,
    ToolNotFound,
)
from dpia.models import Approval, Dpia, RegisterChange

router = APIRouter(prefix="/api/v1", tags=["Register"])

T = TypeVar("T")

readers = require_role(Role.slt, Role.dpo, Role.it_admin)
approvers = require_role(Role.slt)
dpia_editors = require_role(*register.DPIA_EDITORS)
signers = require_role(Role.dpo)
tool_admins = require_role(Role.it_admin)
change_readers = require_role(Role.slt, Role.dpo)
KeyStage = Literal["EYFS", "KS1", "KS2", "KS3", "KS4", "KS5"]


def _error(exc: RegisterError | NotFound | IntegrityError) -> GatewayError:
    match exc:
        case ToolNotFound() | ApprovalNotFound() | DpiaNotFound() | NotFound():
            return GatewayError(404, "not_found", str(exc))
        case ToolExists() | DpiaExists():
            return GatewayError(409, "already_exists", str(exc))
        case NotPermitted():
            return GatewayError(403, "role_not_permitted", str(exc))
        case SafeguardingNotCoverable():
            return GatewayError(400, "safeguarding_not_coverable", str(exc))
        case InvalidRecord():
            return GatewayError(400, "invalid_request", str(exc))
        case InvalidTransition():
            return GatewayError(409, "invalid_status", str(exc))
        case IntegrityError():
            return GatewayError(409, "conflict", "Someone else changed this record at the same time; try again.")
    return GatewayError(400, "invalid_request", str(exc))


async def _as(request: Request, who: Requester, work: Callable[[Session, School, User, datetime], T]) -> T:
    """Run `work(session, school, actor, now)` in one transaction as the signed-in user."""
    runtime = runtime_of(request)
    now = runtime.clock()

    def run() -> T:
        with transaction(runtime.sessions) as session:
            school = session.get(School, who.school_id)
            actor = session.get(User, who.user_id)
            return work(session, school, actor, now)

    try:
        return await to_thread.run_sync(run)
    except (RegisterError, NotFound, IntegrityError) as exc:
        raise _error(exc) from exc


# -- what the API reads and returns --------------------------------------------------------------


class ApprovalIn(BaseModel):
    tool: str
    risk_assessment_reference: str = Field(min_length=1, examples=["RA-2026-07"])
    risk_assessment_summary: str = ""
    roles: list[Role] = Field(min_length=1)
    key_stages: list[KeyStage] = Field(default=[], description="Required when pupils are in scope.")
    purposes: list[str] = Field(min_length=1, examples=[["lesson_planning", "resource_creation"]])
    valid_from: date | None = Field(default=None, description="Today when omitted.")
    review_by: date


class WithdrawIn(BaseModel):
    reason: str = Field(min_length=1)


class RenewIn(BaseModel):
    review_by: date
    risk_assessment_reference: str | None = None
    risk_assessment_summary: str | None = None


class ApprovalOut(BaseModel):
    id: str
    tool: str
    state: str = Field(description="in_force, lapsed, withdrawn or not_yet_valid")
    risk_assessment_reference: str
    risk_assessment_summary: str
    approved_by: str | None
    approved_at: str
    roles: list[str]
    key_stages: list[str]
    purposes: list[str]
    valid_from: str
    review_by: str
    withdrawn_at: str | None
    withdrawn_by: str | None
    withdrawal_reason: str | None


class ApprovalCheckOut(BaseModel):
    tool: str
    username: str
    purpose: str | None
    allowed: bool
    code: str | None
    message: str | None
    approval_reference: str | None


class DpiaIn(BaseModel):
    tool: str
    reference: str = Field(min_length=1, examples=["DPIA-2026-03"])
    categories: dict[str, str] | list[str] = Field(
        default={}, description="Category -> 'in_clear' or 'pseudonymised' (a list means all pseudonymised).",
        examples=[{"pupil_names": "pseudonymised", "staff_names": "in_clear"}],
    )  # fmt: skip
    lawful_basis: str = ""
    special_category_condition: str = ""
    risks: str = ""
    mitigations: str = ""
    review_by: date | None = None
    note: str = ""


class DpiaChange(BaseModel):
    reference: str | None = None
    categories: dict[str, str] | list[str] | None = None
    lawful_basis: str | None = None
    special_category_condition: str | None = None
    risks: str | None = None
    mitigations: str | None = None
    review_by: date | None = None
    note: str = ""


class NoteIn(BaseModel):
    note: str = ""


class SignOffIn(BaseModel):
    review_by: date | None = Field(default=None, description="Sets the review-by date as the DPO signs off.")
    note: str = ""


class RejectIn(BaseModel):
    reason: str = Field(min_length=1)


class DpiaOut(BaseModel):
    id: str
    tool: str
    version: int
    reference: str
    status: str
    categories: dict[str, str]
    lawful_basis: str
    special_category_condition: str
    risks: str
    mitigations: str
    review_by: str | None
    changed_by: str | None
    changed_at: str
    change_note: str
    decided_by: str | None
    decided_at: str | None
    in_force: bool = False


class ReviewDueOut(BaseModel):
    kind: str
    tool: str
    record_id: str
    reference: str
    review_by: date
    days_left: int
    ask: str


class ChangeOut(BaseModel):
    id: int
    actor: str | None
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    at: datetime


def _approval_out(approval: Approval, now: datetime) -> ApprovalOut:
    return ApprovalOut(tool=approval.tool.name, **export.approval_record(approval, now.date()))


def _dpia_out(dpia: Dpia, in_force: Dpia | None = None) -> DpiaOut:
    return DpiaOut(tool=dpia.tool.name, in_force=in_force is not None and in_force.id == dpia.id,
                   **export.dpia_record(dpia))  # fmt: skip


def _change_out(change: RegisterChange) -> ChangeOut:
    return ChangeOut(id=change.id, actor=change.actor.username if change.actor else None, entity=change.entity,
                     entity_id=change.entity_id, action=change.action, before=change.before, after=change.after,
                     at=change.at)  # fmt: skip


# -- SLT approvals -------------------------------------------------------------------------------


@router.get("/approvals", response_model=list[ApprovalOut], summary="SLT approvals, newest first")
async def list_approvals(request: Request, tool: str | None = None, who: Requester = Depends(readers)):
    def work(s, school, _actor, now):
        found = register.find_tool(s, school.id, tool, include_disabled=True) if tool else None
        return [_approval_out(a, now) for a in register.list_approvals(s, school.id, found)]

    return await _as(request, who, work)


@router.post("/approvals", response_model=ApprovalOut, status_code=201,
             summary="Record the SLT's written approval of a tool (SLT only)")  # fmt: skip
async def create_approval(request: Request, body: ApprovalIn, who: Requester = Depends(approvers)) -> ApprovalOut:
    known = runtime_of(request).settings.purposes.allowed

    def work(s, school, actor, now):
        tool = register.find_tool(s, school.id, body.tool, include_disabled=True)
        approval = register.record_approval(
            s, tool, actor, risk_assessment_reference=body.risk_assessment_reference,
            risk_assessment_summary=body.risk_assessment_summary, roles=body.roles, key_stages=body.key_stages,
            purposes=body.purposes, valid_from=body.valid_from, review_by=body.review_by, now=now,
            known_purposes=known,
        )  # fmt: skip
        return _approval_out(approval, now)

    return await _as(request, who, work)


@router.get("/approvals/check", response_model=ApprovalCheckOut,
            summary="May this person use this tool for this purpose now?")  # fmt: skip
async def check_approval(request: Request, tool: str, username: str, purpose: str | None = None,
                         who: Requester = Depends(readers)) -> ApprovalCheckOut:  # fmt: skip
    def work(s, school, _actor, now):
        found = register.find_tool(s, school.id, tool, include_disabled=True)
        user = identity.find_user(s, school, username)
        decision = register.approval_decision(s, found.id, user.role, user.key_stage, purpose, now)
        message = None if decision.allowed else register.refusal_message(decision, found.name, user.role, purpose)
        return ApprovalCheckOut(tool=found.name, username=user.username, purpose=purpose, allowed=decision.allowed,
                                code=decision.code, message=message, approval_reference=decision.reference)  # fmt: skip

    return await _as(request, who, work)


@router.get("/approvals/{approval_id}", response_model=ApprovalOut)
async def get_approval(request: Request, approval_id: str, who: Requester = Depends(readers)) -> ApprovalOut:
    return await _as(request, who, lambda s, school, _a, now: _approval_out(
        register.find_approval(s, school.id, approval_id), now))  # fmt: skip


@router.post("/approvals/{approval_id}/withdraw", response_model=ApprovalOut, summary="Withdraw an approval (SLT)")
async def withdraw_approval(request: Request, approval_id: str, body: WithdrawIn,
                            who: Requester = Depends(approvers)) -> ApprovalOut:  # fmt: skip
    def work(s, school, actor, now):
        approval = register.find_approval(s, school.id, approval_id)
        return _approval_out(register.withdraw_approval(s, approval, actor, body.reason, now), now)

    return await _as(request, who, work)


@router.post("/approvals/{approval_id}/renew", response_model=ApprovalOut, status_code=201,
             summary="After a review: approve again with the same scope and a new review-by date (SLT)")  # fmt: skip
async def renew_approval(request: Request, approval_id: str, body: RenewIn,
                         who: Requester = Depends(approvers)) -> ApprovalOut:  # fmt: skip
    def work(s, school, actor, now):
        approval = register.find_approval(s, school.id, approval_id)
        renewed = register.renew_approval(
            s, approval, actor, review_by=body.review_by, now=now,
            risk_assessment_reference=body.risk_assessment_reference,
            risk_assessment_summary=body.risk_assessment_summary,
        )  # fmt: skip
        return _approval_out(renewed, now)

    return await _as(request, who, work)


# -- DPIAs ---------------------------------------------------------------------------------------


@router.get("/dpias", response_model=list[DpiaOut], summary="The newest version of every tool's DPIA")
async def list_dpias(request: Request, who: Requester = Depends(readers)):
    def work(s, school, _actor, now):
        return [_dpia_out(d, register.dpia_in_force(s, d.tool_id, now)) for d in register.list_dpias(s, school.id)]

    return await _as(request, who, work)


@router.post("/dpias", response_model=DpiaOut, status_code=201, summary="Start a tool's DPIA as a draft")
async def create_dpia(request: Request, body: DpiaIn, who: Requester = Depends(dpia_editors)) -> DpiaOut:
    def work(s, school, actor, now):
        tool = register.find_tool(s, school.id, body.tool, include_disabled=True)
        return _dpia_out(register.create_dpia(s, tool, actor, now=now, **body.model_dump(exclude={"tool"})))

    return await _as(request, who, work)


@router.get("/dpias/{tool}", response_model=DpiaOut, summary="The newest version of a tool's DPIA")
async def get_dpia(request: Request, tool: str, who: Requester = Depends(readers)) -> DpiaOut:
    def work(s, school, _actor, now):
        found = register.find_tool(s, school.id, tool, include_disabled=True)
        return _dpia_out(register.current_dpia(s, found), register.dpia_in_force(s, found.id, now))

    return await _as(request, who, work)


@router.patch("/dpias/{tool}", response_model=DpiaOut, summary="Change a DPIA (makes a new draft version)")
async def change_dpia(request: Request, tool: str, body: DpiaChange, who: Requester = Depends(dpia_editors)):
    changes = body.model_dump(exclude_unset=True, exclude={"note"})

    def work(s, school, actor, now):
        found = register.find_tool(s, school.id, tool, include_disabled=True)
        return _dpia_out(register.update_dpia(s, found, actor, now, note=body.note, **changes))

    return await _as(request, who, work)


@router.post("/dpias/{tool}/submit", response_model=DpiaOut, summary="Send a draft DPIA to the DPO")
async def submit_dpia(request: Request, tool: str, body: NoteIn | None = None,
                      who: Requester = Depends(dpia_editors)) -> DpiaOut:  # fmt: skip
    def work(s, school, actor, now):
        found = register.find_tool(s, school.id, tool, include_disabled=True)
        return _dpia_out(register.submit_dpia(s, found, actor, now, note=body.note if body else ""))

    return await _as(request, who, work)


@router.post("/dpias/{tool}/approve", response_model=DpiaOut, summary="Sign a submitted DPIA off (DPO only)")
async def approve_dpia(request: Request, tool: str, body: SignOffIn | None = None,
                       who: Requester = Depends(signers)) -> DpiaOut:  # fmt: skip
    body = body or SignOffIn()

    def work(s, school, actor, now):
        found = register.find_tool(s, school.id, tool, include_disabled=True)
        signed = register.approve_dpia(s, found, actor, now, review_by=body.review_by, note=body.note)
        return _dpia_out(signed, signed)

    return await _as(request, who, work)


@router.post("/dpias/{tool}/reject", response_model=DpiaOut, summary="Reject a submitted DPIA (DPO only)")
async def reject_dpia(request: Request, tool: str, body: RejectIn, who: Requester = Depends(signers)) -> DpiaOut:
    def work(s, school, actor, now):
        found = register.find_tool(s, school.id, tool, include_disabled=True)
        return _dpia_out(register.reject_dpia(s, found, actor, body.reason, now))

    return await _as(request, who, work)


@router.get("/dpias/{tool}/history", response_model=list[DpiaOut], summary="Every version of a tool's DPIA")
async def dpia_history(request: Request, tool: str, who: Requester = Depends(readers)):
    def work(s, school, _actor, now):
        found = register.find_tool(s, school.id, tool, include_disabled=True)
        in_force = register.dpia_in_force(s, found.id, now)
        return [_dpia_out(d, in_force) for d in register.dpia_history(s, found)]

    return await _as(request, who, work)


# -- views for people ----------------------------------------------------------------------------


@router.get("/register/reviews-due", response_model=list[ReviewDueOut],
            summary="Approvals and DPIAs due for review in the next N days (and any overdue)")  # fmt: skip
async def reviews_due(request: Request, days: int = Query(30, ge=0, le=3650), who: Requester = Depends(readers)):
    return await _as(request, who, lambda s, school, _a, now: [
        ReviewDueOut(**vars(r)) for r in register.reviews_due(s, school.id, now, days)])  # fmt: skip


@router.get("/register/export", summary="The whole register, as JSON or CSV, to file or publish",
            response_model=None)  # fmt: skip
async def export_register(request: Request, format: Literal["json", "csv"] = "json",
                          who: Requester = Depends(readers)) -> Response | dict[str, Any]:  # fmt: skip
    document = await _as(request, who, lambda s, school, _a, now: export.register_document(s, school, now))
    if format == "json":
        return document
    filename = f"ai-register-{document['school']['urn']}-{document['generated_at'][:10]}.csv"
    return Response(export.register_csv(document), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip


@router.get("/register/changes", response_model=list[ChangeOut], summary="Who changed what in the register")
async def register_changes(request: Request, limit: int = Query(100, ge=1, le=1000),
                           entity: Literal["tool", "approval", "dpia"] | None = None,
                           who: Requester = Depends(change_readers)):  # fmt: skip
    return await _as(request, who, lambda s, school, _a, _now: [
        _change_out(c) for c in register.list_changes(s, school.id, limit, entity)])  # fmt: skip


class ToolChange(BaseModel):
    litellm_model: str | None = None
    api_base: str | None = None
    api_key_env: str | None = None
    provider: str | None = None
    data_location: Literal["UK", "EEA", "US", "other", "local"] | None = None
    retains_prompts: bool | None = None
    trains_on_prompts: bool | None = None
    owner: str | None = None
    description: str | None = None
    notes: str | None = None


@router.patch("/register/tools/{tool}", summary="Change a tool's register entry (IT admin)")
async def change_tool(request: Request, tool: str, body: ToolChange,
                      who: Requester = Depends(tool_admins)) -> dict[str, Any]:  # fmt: skip
    def work(s, school, actor, now):
        found = register.find_tool(s, school.id, tool, include_disabled=True)
        return register.snapshot(register.update_tool(s, found, actor, now, **body.model_dump(exclude_unset=True)))

    return await _as(request, who, work)
