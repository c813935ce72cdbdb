"""The SLT approval check: a tool is used only with written approval in force for this person and purpose."""

from __future__ import annotations

import logging

from anyio import to_thread
from sqlalchemy.orm import Session, sessionmaker

from ai_gateway.clock import Clock
from ai_gateway.pipeline.context import ChatRequest
from ai_gateway.pipeline.decision import Allow, Block, Decision
from dpia import service as register

log = logging.getLogger("aup_gateway.approval")

_UNAVAILABLE = ("The gateway cannot read the register of approved AI tools just now, so nothing was sent. "
                "Try again shortly, or tell your IT team.")  # fmt: skip


class ToolApproval:
    """Staff item 22: a risk assessment and the senior leadership team's written approval before any use."""

    name = "approval"

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock

    def _decide(self, tool_id: str, role: str, key_stage: str | None, purpose: str | None):
        with self.sessions() as session:
            return register.approval_decision(session, tool_id, role, key_stage, purpose, self.clock())

    async def check(self, request: ChatRequest) -> Decision:
        assert request.requester and request.tool
        who = request.requester
        try:
            decision = await to_thread.run_sync(self._decide, request.tool.id, who.role, who.key_stage, request.purpose)
        except Exception:
            # Fail closed: without the register, no tool counts as approved.
            log.exception("approval check failed", extra={"request_id": request.request_id})
            return Block(503, "register_unavailable", _UNAVAILABLE, type="service_unavailable")
        if decision.allowed:
            assert decision.approval is not None
            request.approval_reference = decision.reference
            return Allow({"approval_id": decision.approval.id, "review_by": decision.approval.review_by.isoformat()})
        message = register.refusal_message(decision, request.tool.name, who.role, request.purpose)
        details = {"purpose": request.purpose}
        if decision.approval is not None:
            details |= {"approval_id": decision.approval.id, "review_by": decision.approval.review_by.isoformat()}
        return Block(403, decision.code or register.TOOL_NOT_APPROVED, message, details=details)
