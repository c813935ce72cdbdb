"""SLT approvals: a tool is used only with written approval in force for this role, key stage and purpose."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ai_gateway.database import transaction
from ai_gateway.identity.requester import Requester
from dpia import service as register
from dpia.errors import InvalidRecord, InvalidTransition, NotPermitted
from tests.register.conftest import NOW, TODAY, Register, days


def test_a_tool_nobody_approved_is_refused_with_tool_not_approved(reg: Register):
    decision = reg.decision("plawson", "lesson_planning")
    assert not decision.allowed and decision.code == "tool_not_approved"
    message = register.refusal_message(decision, "chatbot", "teacher", "lesson_planning")
    assert "ask your senior leadership team" in message.lower()


def test_an_approval_in_force_allows_the_people_and_purpose_it_names(reg: Register):
    approval_id = reg.approve()
    decision = reg.decision("plawson", "lesson_planning")
    assert decision.allowed and decision.approval.id == approval_id
    assert decision.reference == "RA-2026-07"


def test_a_purpose_outside_the_approval_is_refused_with_approval_out_of_scope(reg: Register):
    reg.approve()
    decision = reg.decision("plawson", "administration")
    assert decision.code == "approval_out_of_scope"
    message = register.refusal_message(decision, "chatbot", "teacher", "administration")
    assert "lesson_planning" in message and "senior leadership team" in message


def test_a_role_outside_the_approval_is_refused_with_approval_out_of_scope(reg: Register):
    reg.approve()
    assert reg.decision("kbright", "lesson_planning").code == "approval_out_of_scope"


def test_pupils_are_approved_by_key_stage(reg: Register):
    reg.approve(roles=["teacher", "pupil"], key_stages=["KS2"], purposes=["classroom_use", "lesson_planning"])
    assert reg.decision("ada", "classroom_use").allowed  # Year 4
    refused = reg.decision("theo", "classroom_use")  # Year 9
    assert refused.code == "approval_out_of_scope"


def test_a_pupil_is_told_to_ask_their_teacher_in_words_a_child_understands(reg: Register):
    for decision in (reg.decision("ada", "classroom_use"),):
        message = register.refusal_message(decision, "chatbot", "pupil", "classroom_use")
        assert message == "This AI tool isn't switched on for your class yet. Ask your teacher."


def test_an_approval_past_its_review_date_refuses_the_tool_with_approval_expired(reg: Register):
    reg.approve(review_by=days(10))
    assert reg.decision("plawson", "lesson_planning", now=NOW + timedelta(days=10)).allowed  # the date itself
    lapsed = reg.decision("plawson", "lesson_planning", now=NOW + timedelta(days=11))
    assert lapsed.code == "approval_expired"
    message = register.refusal_message(lapsed, "chatbot", "teacher", "lesson_planning")
    assert str(days(10).year) in message and "review" in message and "senior leadership team" in message


def test_an_approval_is_not_in_force_before_it_starts(reg: Register):
    reg.approve(valid_from=days(7))
    assert reg.decision("plawson", "lesson_planning").code == "tool_not_approved"
    assert reg.decision("plawson", "lesson_planning", now=NOW + timedelta(days=7)).allowed


def test_a_withdrawn_approval_stops_the_tool_at_once_and_keeps_who_and_why(reg: Register):
    approval_id = reg.approve()
    with transaction(reg.sessions) as session:
        approval = register.find_approval(session, reg.school_id, approval_id)
        register.withdraw_approval(session, approval, reg.user(session, "jhart"), "provider changed its terms", NOW)
    assert reg.decision("plawson", "lesson_planning").code == "tool_not_approved"
    with reg.sessions() as session:
        approval = register.find_approval(session, reg.school_id, approval_id)
        assert approval.withdrawal_reason == "provider changed its terms"
        assert approval.withdrawn_by.username == "jhart"
        with pytest.raises(InvalidTransition):
            register.withdraw_approval(session, approval, reg.user(session, "jhart"), "again", NOW)


def test_only_the_senior_leadership_team_may_approve_or_withdraw(reg: Register):
    with transaction(reg.sessions) as session:
        for username in ("nferris", "plawson", "itadmin"):
            with pytest.raises(NotPermitted, match="senior leadership team"):
                register.record_approval(session, reg.tool(session), reg.user(session, username),
                                         risk_assessment_reference="RA-1", roles=["teacher"],
                                         purposes=["lesson_planning"], review_by=days(30), now=NOW)  # fmt: skip
    approval_id = reg.approve()
    with transaction(reg.sessions) as session:
        approval = register.find_approval(session, reg.school_id, approval_id)
        with pytest.raises(NotPermitted):
            register.withdraw_approval(session, approval, reg.user(session, "nferris"), "no", NOW)


@pytest.mark.parametrize(
    ("scope", "complaint"),
    [
        ({"roles": []}, "at least one role"),
        ({"roles": ["headteacher"]}, "unknown role"),
        ({"roles": ["pupil"], "purposes": ["classroom_use"]}, "key stages"),
        ({"key_stages": ["KS2"]}, "pupils only"),
        ({"purposes": ["homework_cheating"]}, "unknown purpose"),
        ({"purposes": []}, "at least one purpose"),
        ({"review_by": TODAY - timedelta(days=1)}, "review-by"),
        ({"risk_assessment_reference": "  "}, "risk assessment"),
    ],
)
def test_an_approval_must_say_whom_what_for_and_until_when(reg: Register, scope, complaint):
    with pytest.raises(InvalidRecord, match=complaint):
        reg.approve(**scope)


def test_renewing_after_a_review_keeps_the_scope_and_withdraws_the_old_approval(reg: Register):
    old_id = reg.approve(roles=["teacher", "pupil"], key_stages=["KS2"], purposes=["classroom_use"],
                         review_by=days(5))  # fmt: skip
    with transaction(reg.sessions) as session:
        old = register.find_approval(session, reg.school_id, old_id)
        renewed = register.renew_approval(session, old, reg.user(session, "jhart"), review_by=days(400), now=NOW)
        assert (renewed.roles, renewed.key_stages, renewed.purposes) == (["pupil", "teacher"], ["KS2"],
                                                                          ["classroom_use"])  # fmt: skip
        assert old.withdrawal_reason.startswith("renewed")
    assert reg.decision("ada", "classroom_use", now=NOW + timedelta(days=100)).allowed


def test_models_lists_only_the_tools_this_person_may_use_now(reg: Register):
    reg.approve(roles=["teacher"], purposes=["lesson_planning"])
    reg.approve("local", roles=["teacher", "pupil"], key_stages=["KS2"], purposes=["classroom_use"],
                review_by=days(3))  # fmt: skip
    with reg.sessions() as session:
        teacher = reg.user(session, "plawson")
        ada = reg.user(session, "ada")

        def names(user, purpose, now=NOW):
            who = Requester(user.id, user.school_id, user.username, user.display_name, user.role, user.year_group,
                            user.key_stage)  # fmt: skip
            return [t.name for t in register.usable_tools(session, who, purpose, now)]

        assert names(teacher, None) == ["chatbot", "local"]
        assert names(teacher, "lesson_planning") == ["chatbot"]
        assert names(ada, None) == ["local"]
        assert names(ada, None, NOW + timedelta(days=4)) == []
