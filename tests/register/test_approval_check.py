"""The `approval` check in the pipeline: allows with the approval's reference, refuses with a code, fails closed."""

from __future__ import annotations

import anyio
from sqlalchemy.orm import sessionmaker

from ai_gateway.database import make_engine
from ai_gateway.identity.requester import Requester
from ai_gateway.pipeline.approval import ToolApproval
from ai_gateway.pipeline.context import ChatRequest, ToolRoute
from ai_gateway.pipeline.decision import Allow, Block
from tests.register.conftest import NOW, Register


def chat(reg: Register, username: str, purpose: str, tool: str = "chatbot") -> ChatRequest:
    with reg.sessions() as session:
        user, found = reg.user(session, username), reg.tool(session, tool)
        who = Requester(user.id, user.school_id, user.username, user.display_name, user.role, user.year_group,
                        user.key_stage)  # fmt: skip
        route = ToolRoute(found.id, found.name, found.litellm_model, None, None, found.data_location)
    return ChatRequest("r1", NOW, "key", {}, requester=who, tool=route, purpose=purpose)


def test_an_approved_request_goes_on_carrying_the_risk_assessment_reference(reg: Register):
    reg.approve(roles=["teacher"], purposes=["lesson_planning"])
    request = chat(reg, "plawson", "lesson_planning")
    decision = anyio.run(ToolApproval(reg.sessions, lambda: NOW).check, request)
    assert isinstance(decision, Allow) and request.approval_reference == "RA-2026-07"


def test_an_unapproved_request_is_blocked_with_403_and_its_code(reg: Register):
    decision = anyio.run(ToolApproval(reg.sessions, lambda: NOW).check, chat(reg, "ada", "classroom_use"))
    assert isinstance(decision, Block) and decision.status == 403 and decision.code == "tool_not_approved"
    assert decision.message == "This AI tool isn't switched on for your class yet. Ask your teacher."


def test_when_the_register_cannot_be_read_nothing_counts_as_approved(reg: Register, tmp_path):
    request = chat(reg, "plawson", "lesson_planning")
    broken = sessionmaker(make_engine(f"sqlite:///{tmp_path}/no-tables.db"))  # a database without the register
    decision = anyio.run(ToolApproval(broken, lambda: NOW).check, request)
    assert isinstance(decision, Block) and decision.status == 503 and decision.code == "register_unavailable"
