"""Runs the checks in order; the only place that knows the order."""

from __future__ import annotations

from typing import Protocol

from ai_gateway.pipeline.context import ChatRequest
from ai_gateway.pipeline.decision import Allow, Answer, Block, Decision, Transform


class Check(Protocol):
    """One rule. `name` appears in the log; `check` returns a decision value."""

    name: str

    async def check(self, request: ChatRequest) -> Decision: ...


class Pipeline:
    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.checks]

    async def run(self, request: ChatRequest) -> Block | Answer | Allow:
        """Apply every check until one blocks or answers; transforms feed the next check."""
        for check in self.checks:
            decision = await check.check(request)
            if decision.details:
                request.details[check.name] = decision.details
            match decision:
                case Block() | Answer():
                    request.details["decided_by"] = check.name
                    return decision
                case Transform(messages=messages):
                    request.messages = messages
                case Allow():
                    pass
        return Allow()
