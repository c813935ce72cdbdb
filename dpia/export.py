"""The whole register as a document a DPO can file or publish: JSON (everything) or CSV (a row per tool)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ai_gateway.identity.models import School, User
from dpia import service
from dpia.models import Approval, Dpia, Tool

CSV_COLUMNS = (
    "tool", "provider", "litellm_model", "data_location", "retains_prompts", "trains_on_prompts", "owner",
    "enabled", "approval_status", "approval_reference", "approved_by", "approved_at", "approved_roles",
    "approved_key_stages", "approved_purposes", "approval_valid_from", "approval_review_by", "dpia_reference",
    "dpia_version", "dpia_status", "dpia_in_force", "dpia_categories", "dpia_in_clear", "dpia_lawful_basis",
    "dpia_signed_off_by", "dpia_signed_off_at", "dpia_review_by", "notes",
)  # fmt: skip


def _person(user: User | None) -> str | None:
    return f"{user.display_name} ({user.username})" if user else None


def approval_record(approval: Approval, today: Any) -> dict[str, Any]:
    return {
        "id": approval.id,
        "state": service.approval_state(approval, today),
        "risk_assessment_reference": approval.risk_assessment_reference,
        "risk_assessment_summary": approval.risk_assessment_summary,
        "approved_by": _person(approval.approved_by),
        "approved_at": approval.approved_at.isoformat(),
        "roles": approval.roles,
        "key_stages": approval.key_stages,
        "purposes": approval.purposes,
        "valid_from": approval.valid_from.isoformat(),
        "review_by": approval.review_by.isoformat(),
        "withdrawn_at": approval.withdrawn_at.isoformat() if approval.withdrawn_at else None,
        "withdrawn_by": _person(approval.withdrawn_by),
        "withdrawal_reason": approval.withdrawal_reason,
    }


def dpia_record(dpia: Dpia) -> dict[str, Any]:
    return {
        "id": dpia.id,
        "version": dpia.version,
        "reference": dpia.reference,
        "status": dpia.status,
        "categories": dpia.categories,
        "lawful_basis": dpia.lawful_basis,
        "special_category_condition": dpia.special_category_condition,
        "risks": dpia.risks,
        "mitigations": dpia.mitigations,
        "review_by": dpia.review_by.isoformat() if dpia.review_by else None,
        "changed_by": _person(dpia.changed_by),
        "changed_at": dpia.changed_at.isoformat(),
        "change_note": dpia.change_note,
        "decided_by": _person(dpia.decided_by),
        "decided_at": dpia.decided_at.isoformat() if dpia.decided_at else None,
    }


def _tool_entry(session: Session, tool: Tool, now: datetime) -> dict[str, Any]:
    today = now.date()
    approvals = service.list_approvals(session, tool.school_id, tool)
    history = service.dpia_history(session, tool)
    in_force = service.dpia_in_force(session, tool.id, now)
    return {
        "name": tool.name,
        "provider": tool.provider,
        "litellm_model": tool.litellm_model,
        "api_base": tool.api_base,
        "api_key_env": tool.api_key_env,
        "data_location": tool.data_location,
        "retains_prompts": tool.retains_prompts,
        "trains_on_prompts": tool.trains_on_prompts,
        "owner": tool.owner,
        "description": tool.description,
        "notes": tool.notes,
        "enabled": tool.enabled,
        "approvals": [approval_record(a, today) for a in approvals],
        "dpia": {
            "in_force_version": in_force.version if in_force else None,
            "current": dpia_record(history[-1]) if history else None,
            "history": [dpia_record(d) for d in history],
        },
    }


def register_document(session: Session, school: School, now: datetime) -> dict[str, Any]:
    """Every tool with all its approvals and every version of its DPIA."""
    return {
        "school": {"name": school.name, "urn": school.urn},
        "generated_at": now.isoformat(),
        "tools": [_tool_entry(session, t, now) for t in service.list_tools(session, school.id, include_disabled=True)],
    }


def register_csv(document: dict[str, Any]) -> str:
    """One row per tool: the approval and DPIA that matter today (in force, else the newest)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for tool in document["tools"]:
        approvals = tool["approvals"]
        approval = next((a for a in approvals if a["state"] == "in_force"), approvals[0] if approvals else None)
        dpia = tool["dpia"]
        shown = next((d for d in dpia["history"] if d["version"] == dpia["in_force_version"]), dpia["current"])
        row: dict[str, Any] = {
            "tool": tool["name"], "provider": tool["provider"], "litellm_model": tool["litellm_model"],
            "data_location": tool["data_location"], "retains_prompts": tool["retains_prompts"],
            "trains_on_prompts": tool["trains_on_prompts"], "owner": tool["owner"], "enabled": tool["enabled"],
            "notes": tool["notes"], "approval_status": approval["state"] if approval else "not approved",
        }  # fmt: skip
        if approval:
            row |= {
                "approval_reference": approval["risk_assessment_reference"], "approved_by": approval["approved_by"],
                "approved_at": approval["approved_at"], "approved_roles": "; ".join(approval["roles"]),
                "approved_key_stages": "; ".join(approval["key_stages"]),
                "approved_purposes": "; ".join(approval["purposes"]), "approval_valid_from": approval["valid_from"],
                "approval_review_by": approval["review_by"],
            }  # fmt: skip
        row["dpia_in_force"] = dpia["in_force_version"] is not None
        if shown:
            row |= {
                "dpia_reference": shown["reference"], "dpia_version": shown["version"], "dpia_status": shown["status"],
                "dpia_categories": "; ".join(shown["categories"]),
                "dpia_in_clear": "; ".join(c for c, how in shown["categories"].items() if how == service.IN_CLEAR),
                "dpia_lawful_basis": shown["lawful_basis"], "dpia_review_by": shown["review_by"],
            }  # fmt: skip
            if shown["status"] == service.APPROVED:
                row |= {"dpia_signed_off_by": shown["decided_by"], "dpia_signed_off_at": shown["decided_at"]}
        writer.writerow(row)
    return out.getvalue()
