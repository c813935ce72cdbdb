"""DPIAs: drafted, submitted, signed off by the DPO; versioned; deciding what personal data may go in clear."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ai_gateway.database import transaction
from dpia import service as register
from dpia.errors import DpiaExists, InvalidRecord, InvalidTransition, NotPermitted, SafeguardingNotCoverable
from dpia.models import RegisterChange
from redaction.findings import CATEGORIES
from tests.register.conftest import NOW, Register, days

COMPLETE = {
    "reference": "DPIA-2026-03",
    "categories": {"pupil_names": "pseudonymised", "staff_names": "in_clear", "contact_details": "pseudonymised"},
    "lawful_basis": "Public task (Art. 6(1)(e))",
    "risks": "Names of children leave the school",
    "mitigations": "Pupil names pseudonymised; provider contract forbids training",
    "review_by": days(365),
}


def draft(reg: Register, author: str = "nferris", **fields):
    with transaction(reg.sessions) as session:
        return register.create_dpia(session, reg.tool(session), reg.user(session, author), now=NOW,
                                    **{**COMPLETE, **fields})  # fmt: skip


def step(reg: Register, action: str, username: str, **kwargs):
    with transaction(reg.sessions) as session:
        tool, user = reg.tool(session), reg.user(session, username)
        if action == "submit":
            return register.submit_dpia(session, tool, user, NOW, **kwargs)
        if action == "approve":
            return register.approve_dpia(session, tool, user, NOW, **kwargs)
        if action == "reject":
            return register.reject_dpia(session, tool, user, kwargs.get("reason", "incomplete"), NOW)
        return register.update_dpia(session, tool, user, NOW, **kwargs)


def permissions(reg: Register, now=NOW):
    with reg.sessions() as session:
        return register.data_permissions(session, reg.school_id, reg.tool(session).id, now)


def test_the_dpia_categories_are_the_redaction_engines_categories():
    assert set(register.PERSONAL_DATA_CATEGORIES) == set(CATEGORIES)


def test_without_a_dpia_in_force_nothing_personal_goes_in_clear(reg: Register):
    assert permissions(reg) == register.DataPermissions(dpia_in_force=False)
    draft(reg)
    step(reg, "submit", "nferris")
    assert not permissions(reg).dpia_in_force  # submitted is not signed off


def test_a_dpia_signed_off_by_the_dpo_is_in_force_with_its_in_clear_categories(reg: Register):
    draft(reg, author="itadmin")
    step(reg, "submit", "itadmin")
    signed = step(reg, "approve", "nferris", note="Reviewed with the head")
    assert signed.status == "approved" and signed.decided_by_id and signed.decided_at == NOW
    granted = permissions(reg)
    assert granted.dpia_in_force and granted.dpia_reference == "DPIA-2026-03 v3"
    assert granted.in_clear == {"staff_names"}
    assert granted.covered == {"pupil_names", "staff_names", "contact_details"}


def test_a_dpia_past_its_review_date_is_no_longer_in_force(reg: Register):
    draft(reg, review_by=days(30))
    step(reg, "submit", "nferris")
    step(reg, "approve", "nferris")
    assert permissions(reg, NOW + timedelta(days=30)).dpia_in_force
    assert permissions(reg, NOW + timedelta(days=31)) == register.DataPermissions(dpia_in_force=False)


def test_only_the_dpo_signs_a_dpia_off(reg: Register):
    draft(reg)
    step(reg, "submit", "nferris")
    for username in ("jhart", "itadmin", "plawson"):
        with pytest.raises(NotPermitted, match="DPO"):
            step(reg, "approve", username)
        with pytest.raises(NotPermitted):
            step(reg, "reject", username)


def test_teachers_and_pupils_cannot_write_dpias(reg: Register):
    for username in ("plawson", "ada"):
        with pytest.raises(NotPermitted):
            draft(reg, author=username)


def test_no_dpia_may_cover_safeguarding_information(reg: Register):
    with pytest.raises(SafeguardingNotCoverable, match="safeguarding"):
        draft(reg, categories={"pupil_names": "pseudonymised", "safeguarding": "pseudonymised"})
    draft(reg)
    with pytest.raises(SafeguardingNotCoverable):
        step(reg, "update", "nferris", categories=["safeguarding"])


def test_unknown_categories_and_treatments_are_refused_by_name(reg: Register):
    with pytest.raises(InvalidRecord, match="unknown data category shoe_sizes"):
        draft(reg, categories=["shoe_sizes"])
    with pytest.raises(InvalidRecord, match="in_clear"):
        draft(reg, categories={"pupil_names": "encrypted"})


def test_categories_listed_without_a_treatment_are_pseudonymised(reg: Register):
    created = draft(reg, categories=["pupil_names", "dates_of_birth"])
    assert created.categories == {"dates_of_birth": "pseudonymised", "pupil_names": "pseudonymised"}
    assert register.parse_categories(["pupil_names", "staff_names:in_clear"]) == {
        "pupil_names": "pseudonymised", "staff_names": "in_clear"}  # fmt: skip


def test_every_change_is_a_new_version_and_history_is_never_overwritten(reg: Register):
    draft(reg)
    step(reg, "update", "nferris", risks="Also: hallucinated facts", note="added a risk")
    step(reg, "submit", "nferris")
    step(reg, "reject", "nferris", reason="Mitigations do not cover hallucinations")
    step(reg, "update", "itadmin", mitigations="Staff check every answer", note="after DPO review")
    with reg.sessions() as session:
        history = register.dpia_history(session, reg.tool(session))
    assert [(d.version, d.status) for d in history] == [
        (1, "draft"), (2, "draft"), (3, "submitted"), (4, "rejected"), (5, "draft")]  # fmt: skip
    assert history[0].risks == "Names of children leave the school"
    assert history[1].risks == "Also: hallucinated facts" and history[4].risks == "Also: hallucinated facts"
    assert history[3].change_note == "Mitigations do not cover hallucinations"
    assert history[4].mitigations == "Staff check every answer" and history[4].changed_by.username == "itadmin"


def test_a_new_draft_does_not_switch_off_the_signed_off_version(reg: Register):
    draft(reg)
    step(reg, "submit", "nferris")
    step(reg, "approve", "nferris")
    step(reg, "update", "nferris", categories={"pupil_names": "in_clear"})
    assert permissions(reg).dpia_reference == "DPIA-2026-03 v3"
    assert permissions(reg).in_clear == {"staff_names"}


def test_the_workflow_goes_draft_submitted_then_approved_or_rejected(reg: Register):
    draft(reg)
    with pytest.raises(InvalidTransition, match="only a submitted DPIA"):
        step(reg, "approve", "nferris")
    step(reg, "submit", "nferris")
    with pytest.raises(InvalidTransition, match="only a draft"):
        step(reg, "submit", "nferris")
    with pytest.raises(DpiaExists):
        draft(reg)


def test_a_dpia_is_submitted_only_when_it_says_what_it_must(reg: Register):
    draft(reg, lawful_basis="", categories=["health_sen"])
    with pytest.raises(InvalidRecord, match="lawful basis.*special category condition"):
        step(reg, "submit", "nferris")


def test_sign_off_needs_a_review_date_after_today(reg: Register):
    draft(reg, review_by=None)
    step(reg, "submit", "nferris")
    with pytest.raises(InvalidRecord, match="review-by"):
        step(reg, "approve", "nferris")
    assert step(reg, "approve", "nferris", review_by=days(180)).review_by == days(180)


def test_every_change_is_in_the_change_log_with_who_before_and_after(reg: Register):
    draft(reg)
    step(reg, "submit", "nferris")
    with reg.sessions() as session:
        changes = list(session.scalars(select(RegisterChange).where(RegisterChange.entity == "dpia")
                                       .order_by(RegisterChange.id)))  # fmt: skip
    assert [c.action for c in changes] == ["drafted", "submitted"]
    submitted = changes[1]
    assert submitted.actor.username == "nferris" and submitted.school_id == reg.school_id
    assert submitted.before["status"] == "draft" and submitted.after["status"] == "submitted"
    assert submitted.after["version"] == 2
