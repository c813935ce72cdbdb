"""The checks every request meets first: who is asking, is the body sound, which tool."""

from __future__ import annotations

from typing import Any, Literal

from anyio import to_thread
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session, sessionmaker

from ai_gateway.clock import Clock
from ai_gateway.config import PurposeConfig
from ai_gateway.identity.errors import IdentityError
from ai_gateway.identity.requester import NO_KEY, key_refused, requester_for_key
from ai_gateway.pipeline.context import ChatRequest, ToolRoute
from ai_gateway.pipeline.decision import Allow, Block, Decision
from dpia import service as register
from dpia.errors import ToolNotFound


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatCompletionBody(BaseModel):
    """The part of OpenAI's request body the gateway reads; the rest passes through."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1)
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: dict[str, Any] | None = None
    purpose: str | None = None


# Parameters passed on to the provider; anything else in the body is ignored. `n` is
# not among them: one answer per request keeps the log and the label one-to-one.
FORWARDED_PARAMS = (
    "temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "presence_penalty",
    "frequency_penalty", "logit_bias", "seed", "response_format", "tools", "tool_choice",
    "parallel_tool_calls", "user",
)  # fmt: skip


class Authentication:
    """The API key must be one the gateway issued, in force, for an active user."""

    name = "authentication"

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock

    async def check(self, request: ChatRequest) -> Decision:
        if not request.api_key:
            return Block(401, "missing_api_key", NO_KEY, type="invalid_request_error")
        try:
            request.requester = await to_thread.run_sync(
                requester_for_key, self.sessions, request.api_key, self.clock()
            )
        except IdentityError as exc:
            return Block(401, "invalid_api_key", key_refused(exc), type="invalid_request_error")
        return Allow()


class WellFormedRequest:
    """The body must be a chat completion request OpenAI would accept."""

    name = "well_formed"

    async def check(self, request: ChatRequest) -> Decision:
        if not isinstance(request.body, dict):
            return Block(400, "invalid_request", "The request body must be a JSON object.",
                         type="invalid_request_error")  # fmt: skip
        try:
            body = ChatCompletionBody.model_validate(request.body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            return Block(400, "invalid_request", f"Invalid request: '{where}': {first['msg']}.",
                         type="invalid_request_error", details={"field": where})  # fmt: skip
        request.model = body.model
        request.messages = [m.model_dump(exclude_none=True) for m in body.messages]
        request.stream = body.stream
        request.include_usage = bool((body.stream_options or {}).get("include_usage"))
        request.params = {k: request.body[k] for k in FORWARDED_PARAMS if k in request.body}
        request.purpose = body.purpose or request.purpose_header
        return Allow()


class ToolExists:
    """The model named in the request must be a tool in this school's register."""

    name = "tool_exists"

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def _lookup(self, school_id: str, name: str) -> ToolRoute:
        with self.sessions() as session:
            tool = register.find_tool(session, school_id, name)
            return ToolRoute(
                id=tool.id,
                name=tool.name,
                litellm_model=tool.litellm_model,
                api_base=tool.api_base,
                api_key_env=tool.api_key_env,
                data_location=tool.data_location,
            )

    async def check(self, request: ChatRequest) -> Decision:
        assert request.requester and request.model
        try:
            request.tool = await to_thread.run_sync(self._lookup, request.requester.school_id, request.model)
        except ToolNotFound:
            return Block(404, "model_not_found",
                         f"There is no AI tool called '{request.model}' at your school. "
                         "GET /v1/models lists the tools you can use.",
                         type="invalid_request_error")  # fmt: skip
        return Allow()


class StatedPurpose:
    """Every request has a purpose from the school's list (stated, or the role's default)."""

    name = "purpose"

    def __init__(self, purposes: PurposeConfig) -> None:
        self.purposes = purposes

    async def check(self, request: ChatRequest) -> Decision:
        assert request.requester
        purpose = request.purpose or self.purposes.default_by_role.get(request.requester.role)
        if purpose not in self.purposes.allowed:
            allowed = ", ".join(self.purposes.allowed)
            return Block(400, "unknown_purpose", f"Unknown purpose '{purpose}'. Use one of: {allowed}.",
                         type="invalid_request_error")  # fmt: skip
        request.purpose = purpose
        return Allow()
