"""Everything the checks know about one chat request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ai_gateway.identity.requester import Requester


@dataclass(frozen=True)
class ToolRoute:
    """Where a tool's requests go, as the register holds it."""

    id: str
    name: str
    litellm_model: str
    api_base: str | None
    api_key_env: str | None
    data_location: str


class StreamFilter(Protocol):
    """The state of one filter over one streamed text: pieces in, safe text out."""

    def feed(self, text: str) -> str: ...

    def finish(self) -> str: ...


class ReplyFilter(Protocol):
    """Changes reply text on its way to the user (e.g. puts real names back)."""

    def apply(self, text: str) -> str: ...

    def streamer(self) -> StreamFilter: ...


@dataclass
class ChatRequest:
    request_id: str
    received_at: datetime
    api_key: str | None
    body: Any
    purpose_header: str | None = None
    # Filled in by the checks, in order.
    requester: Requester | None = None
    model: str | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    stream: bool = False
    include_usage: bool = False
    tool: ToolRoute | None = None
    purpose: str | None = None
    reply_filters: list[ReplyFilter] = field(default_factory=list)
    # The school's roster (a redaction.Roster), read once per request by the first check that needs it.
    roster: Any = None
    # What goes into the `aup` object of the answer and the log entry.
    items_pseudonymised: int = 0
    approval_reference: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def newest_user_text(messages: list[dict[str, Any]] | None) -> str:
    """The newest user message's text (text parts joined): what a check about "this request" reads."""
    for message in reversed(messages or []):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
            return str(content or "")
    return ""
