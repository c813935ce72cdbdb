"""PersonalData: nothing personal leaves the school unless the tool's DPIA allows it in clear.

Every text in the conversation (each turn, the history too) is analysed by the
redaction engine with the school's roster; what the DPIA does not allow in
clear becomes a typed placeholder, and the real values are put back into the
answer for the person who asked. Numbering follows first appearance, so the
same conversation resent next turn gets the same placeholders without any
state kept between requests.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from sqlalchemy.orm import Session, sessionmaker

import redaction
from ai_gateway.clock import Clock
from ai_gateway.pipeline.context import ChatRequest, StreamFilter
from ai_gateway.pipeline.decision import Allow, Block, Decision, Transform
from ai_gateway.roster.service import RosterCache
from dpia import service as register

log = logging.getLogger("aup_gateway.personal_data")

_UNAVAILABLE = ("Personal-data protection is not available right now, so nothing was sent. "
                "Try again shortly, or tell your IT team.")  # fmt: skip
_UNSCANNABLE = ("This tool has no approved DPIA, so images, audio and files cannot be sent to it: the gateway "
                "cannot check them for personal data. Send text only, or ask your DPO about a DPIA.")  # fmt: skip


class RestorePlaceholders:
    """A reply filter that puts the real values back for the requester."""

    def __init__(self, mapping: redaction.PseudonymMap) -> None:
        self.mapping = mapping

    def apply(self, text: str) -> str:
        return self.mapping.restore(text)

    def streamer(self) -> StreamFilter:
        return _Streamer(redaction.StreamRestorer(self.mapping))


@dataclass
class _Streamer:
    restorer: redaction.StreamRestorer

    def feed(self, text: str) -> str:
        return self.restorer.feed(text)

    def finish(self) -> str:
        return self.restorer.flush()


@dataclass(frozen=True)
class _Slot:
    """Where in the messages a text sits, so the pseudonymised text goes back there."""

    message: int
    part: int | None = None  # index into a list of content parts
    tool_call: int | None = None  # index into an assistant message's tool_calls


def _texts(messages: list[dict[str, Any]]) -> tuple[list[_Slot], list[str], bool]:
    slots, texts, unscannable = [], [], False
    for i, message in enumerate(messages):
        content = message.get("content")
        if isinstance(content, str):
            slots.append(_Slot(i))
            texts.append(content)
        elif isinstance(content, list):
            for j, part in enumerate(content):
                if isinstance(part, dict) and part.get("type") == "text":
                    slots.append(_Slot(i, part=j))
                    texts.append(str(part.get("text", "")))
                else:
                    unscannable = True
        for k, call in enumerate(message.get("tool_calls") or []):
            arguments = (call.get("function") or {}).get("arguments")
            if isinstance(arguments, str):
                slots.append(_Slot(i, tool_call=k))
                texts.append(arguments)
    return slots, texts, unscannable


def _put_back(messages: list[dict[str, Any]], slots: list[_Slot], texts: list[str]) -> list[dict[str, Any]]:
    out = copy.deepcopy(messages)
    for slot, text in zip(slots, texts, strict=True):
        message = out[slot.message]
        if slot.tool_call is not None:
            message["tool_calls"][slot.tool_call]["function"]["arguments"] = text
        elif slot.part is not None:
            message["content"][slot.part]["text"] = text
        else:
            message["content"] = text
    return out


class PersonalData:
    name = "personal_data"

    def __init__(
        self,
        engine: redaction.RedactionEngine | None,
        sessions: sessionmaker[Session],
        clock: Clock,
        rosters: RosterCache,
    ) -> None:
        self.engine = engine
        self.sessions = sessions
        self.clock = clock
        self.rosters = rosters

    def _context(self, request: ChatRequest) -> tuple[redaction.Roster, register.DataPermissions]:
        assert request.requester and request.tool
        roster = self.rosters.for_request(self.sessions, request)
        with self.sessions() as session:
            permissions = register.data_permissions(session, request.requester.school_id, request.tool.id,
                                                    self.clock())  # fmt: skip
        return roster, permissions

    async def check(self, request: ChatRequest) -> Decision:
        assert request.requester and request.tool
        if self.engine is None:
            return Block(503, "redaction_unavailable", _UNAVAILABLE, type="service_unavailable")
        slots, texts, unscannable = _texts(request.messages)
        try:
            roster, permissions = await to_thread.run_sync(self._context, request)
            if unscannable and not permissions.dpia_in_force:
                return Block(403, "dpia_required", _UNSCANNABLE)
            result = await to_thread.run_sync(
                lambda: self.engine.pseudonymise(texts, roster, keep_categories=permissions.in_clear)
            )
        except Exception:
            log.exception("personal-data check failed", extra={"request_id": request.request_id})
            return Block(503, "redaction_unavailable", _UNAVAILABLE, type="service_unavailable")
        details: dict[str, Any] = {
            "dpia": permissions.dpia_reference,
            "pseudonymised": result.count,
            "categories": sorted(result.categories),
        }
        if result.count == 0:
            return Allow(details)
        details["by_type"] = dict(Counter(f.entity_type for f in result.findings))
        request.items_pseudonymised = result.count
        request.reply_filters.append(RestorePlaceholders(result.mapping))
        return Transform(_put_back(request.messages, slots, result.texts), details)
