"""One chat completion: pipeline, provider, reply filters, label, log entry.

The monitoring log is written before anything leaves: an allowed request's
entry is written before the provider is called (or the request is refused
with 503) and completed with the reply before the reply is returned. A
streamed reply's entry is completed when the stream ends, also when the
client goes away.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import anyio
from anyio import to_thread
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import JSONResponse, Response, StreamingResponse

from ai_gateway.clock import Clock
from ai_gateway.database import transaction
from ai_gateway.errors import error_body, error_response
from ai_gateway.monitoring.models import RequestLog
from ai_gateway.pipeline.context import ChatRequest, StreamFilter
from ai_gateway.pipeline.decision import Answer, Block
from ai_gateway.pipeline.pipeline import Pipeline
from ai_gateway.upstream import Upstream, UpstreamError

log = logging.getLogger("aup_gateway.chat")

LOG_UNAVAILABLE = (503, "log_unavailable",
                   "The gateway cannot record this request in the monitoring log, so it was not sent. "
                   "Try again shortly, or tell your IT team.")  # fmt: skip


@dataclass(frozen=True)
class Label:
    """The critical-evaluation label for one answer."""

    text: str
    visible: bool = True


Labeller = Callable[[ChatRequest], Label | None]


def _no_label(_: ChatRequest) -> Label | None:
    return None


class ChatService:
    def __init__(
        self,
        pipeline: Pipeline,
        upstream: Upstream,
        sessions: sessionmaker[Session],
        clock: Clock,
        labeller: Labeller = _no_label,
    ) -> None:
        self.pipeline = pipeline
        self.upstream = upstream
        self.sessions = sessions
        self.clock = clock
        self.labeller = labeller

    async def handle(self, request: ChatRequest) -> Response:
        started = time.monotonic()
        outcome = await self.pipeline.run(request)
        if isinstance(outcome, Block):
            entry = self._entry(request, "blocked", outcome.status, outcome.code)
            if not await self._write(entry, started):
                return error_response(*LOG_UNAVAILABLE)
            return error_response(outcome.status, outcome.code, outcome.message, outcome.type,
                                  headers={"X-Request-ID": request.request_id})  # fmt: skip
        if isinstance(outcome, Answer):
            return await self._answer_directly(request, outcome, started)
        if request.stream:
            return await self._stream(request, started)
        return await self._complete(request, started)

    # -- the three ways a request ends ---------------------------------------------------------

    async def _answer_directly(self, request: ChatRequest, answer: Answer, started: float) -> Response:
        """The gateway's own reply (nothing went to a provider)."""
        entry = self._entry(request, "answered", 200, answer.code, reply=answer.text)
        if not await self._write(entry, started):
            return error_response(*LOG_UNAVAILABLE)
        # The gateway's own words (e.g. support for a pupil at risk) are not AI output: no AI label.
        label = None
        text = answer.text
        if request.stream:
            chunks = [_chunk(request, {"role": "assistant", "content": text}), _chunk(request, {}, "stop")]
            body = "".join(_sse(c) for c in chunks) + "data: [DONE]\n\n"
            return Response(body, media_type="text/event-stream", headers=self._headers(request, label))
        return JSONResponse(
            self._completion_body(request, {"role": "assistant", "content": text}, "stop", None, label),
            headers=self._headers(request, label),
        )

    async def _complete(self, request: ChatRequest, started: float) -> Response:
        assert request.tool
        entry = self._entry(request, "allowed", 200, None)
        if not await self._write(entry, started):
            return error_response(*LOG_UNAVAILABLE)
        try:
            response = await self.upstream.complete(request.tool, request.messages, request.params)
        except UpstreamError as exc:
            await self._finish(entry, started, decision="failed", status=exc.status, reason=exc.code)
            return error_response(exc.status, exc.code, exc.message, "api_error")
        choice = response.choices[0]
        sent_reply = choice.message.content or ""
        message: dict[str, Any] = {"role": "assistant", "content": self._apply_filters(request, sent_reply)}
        if choice.message.tool_calls:
            message["tool_calls"] = [self._restore_tool_call(request, tc.model_dump())
                                     for tc in choice.message.tool_calls]  # fmt: skip
        label = self.labeller(request)
        if label and label.visible and message["content"] is not None:
            message["content"] += _visible(label)
        usage = _usage(response)
        if not await self._finish(entry, started, decision="allowed", status=200, reason=None,
                                  reply=sent_reply, usage=usage, details=request.details):  # fmt: skip
            return error_response(*LOG_UNAVAILABLE)
        body = self._completion_body(request, message, choice.finish_reason or "stop", usage, label)
        return JSONResponse(body, headers=self._headers(request, label))

    async def _stream(self, request: ChatRequest, started: float) -> Response:
        assert request.tool
        entry = self._entry(request, "allowed", 200, None)
        if not await self._write(entry, started):
            return error_response(*LOG_UNAVAILABLE)
        try:
            chunks = await self.upstream.stream(request.tool, request.messages, request.params)
        except UpstreamError as exc:
            await self._finish(entry, started, decision="failed", status=exc.status, reason=exc.code)
            return error_response(exc.status, exc.code, exc.message, "api_error")
        label = self.labeller(request)
        return StreamingResponse(
            self._events(request, entry, chunks, label, started),
            media_type="text/event-stream",
            headers=self._headers(request, label),
        )

    async def _events(
        self, request: ChatRequest, entry: RequestLog, chunks: AsyncIterator[Any], label: Label | None,
        started: float,
    ) -> AsyncIterator[str]:  # fmt: skip
        sent_reply: list[str] = []
        content = [f.streamer() for f in request.reply_filters]
        tool_args: dict[int, list[StreamFilter]] = {}
        usage: dict[str, int] | None = None
        finish_reason = "stop"
        outcome: dict[str, Any] = {"decision": "allowed", "status": 200, "reason": None, "disconnected": True}
        try:
            yield _sse(_chunk(request, {"role": "assistant", "content": ""}))
            async for chunk in chunks:
                usage = _usage(chunk) or usage
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                delta = choice.delta
                if choice.finish_reason:
                    finish_reason = choice.finish_reason
                if delta.content:
                    sent_reply.append(delta.content)
                    text = _feed(content, delta.content)
                    if text:
                        yield _sse(_chunk(request, {"content": text}))
                if delta.tool_calls:
                    calls = [self._stream_tool_call(request, tc, tool_args) for tc in delta.tool_calls]
                    yield _sse(_chunk(request, {"tool_calls": calls}))
            tail = _finish(content)
            if tail:
                yield _sse(_chunk(request, {"content": tail}))
            if label and label.visible:
                yield _sse(_chunk(request, {"content": _visible(label)}))
            yield _sse(_chunk(request, {}, finish_reason))
            if request.include_usage and usage:
                yield _sse(_chunk(request, None, usage=usage))
            yield "data: [DONE]\n\n"
            outcome["disconnected"] = False
        except UpstreamError as exc:
            outcome.update(decision="failed", status=exc.status, reason=exc.code, disconnected=False)
            yield _sse(error_body(exc.message, "api_error", exc.code))
            yield "data: [DONE]\n\n"
        finally:
            # The client may have gone: finish the entry even while this task is being cancelled.
            with anyio.CancelScope(shield=True):
                await self._finish(
                    entry, started, decision=outcome["decision"], status=outcome["status"],
                    reason=outcome["reason"], reply="".join(sent_reply), usage=usage,
                    disconnected=outcome["disconnected"], details=request.details,
                )  # fmt: skip

    # -- reply filters -------------------------------------------------------------------------

    def _apply_filters(self, request: ChatRequest, text: str) -> str:
        for reply_filter in request.reply_filters:
            text = reply_filter.apply(text)
        return text

    def _restore_tool_call(self, request: ChatRequest, call: dict[str, Any]) -> dict[str, Any]:
        function = call.get("function") or {}
        if isinstance(function.get("arguments"), str):
            function["arguments"] = self._apply_filters(request, function["arguments"])
        return {"id": call.get("id"), "type": call.get("type") or "function", "function": function}

    def _stream_tool_call(
        self, request: ChatRequest, call: Any, states: dict[int, list[StreamFilter]]
    ) -> dict[str, Any]:
        index = getattr(call, "index", 0) or 0
        out: dict[str, Any] = {"index": index}
        if getattr(call, "id", None):
            out["id"] = call.id
            out["type"] = "function"
        function = getattr(call, "function", None)
        if function is not None:
            fn: dict[str, Any] = {}
            if getattr(function, "name", None):
                fn["name"] = function.name
            if getattr(function, "arguments", None):
                streamers = states.setdefault(index, [f.streamer() for f in request.reply_filters])
                fn["arguments"] = _feed(streamers, function.arguments)
            out["function"] = fn
        return out

    # -- the answer's shape --------------------------------------------------------------------

    def _aup(self, request: ChatRequest, label: Label | None) -> dict[str, Any]:
        return {
            "request_id": request.request_id,
            "tool": request.tool.name if request.tool else request.model,
            "label": label.text if label else None,
            "approval_reference": request.approval_reference,
            "items_pseudonymised": request.items_pseudonymised,
        }

    def _headers(self, request: ChatRequest, label: Label | None) -> dict[str, str]:
        headers = {"X-Request-ID": request.request_id}
        if label:
            # Header values must be Latin-1; the label's wording is plain text.
            headers["X-AUP-Label"] = label.text.encode("latin-1", "replace").decode("latin-1")
        return headers

    def _completion_body(
        self, request: ChatRequest, message: dict[str, Any], finish_reason: str,
        usage: dict[str, int] | None, label: Label | None,
    ) -> dict[str, Any]:  # fmt: skip
        message.setdefault("refusal", None)
        return {
            "id": f"chatcmpl-{request.request_id}",
            "object": "chat.completion",
            "created": int(request.received_at.timestamp()),
            "model": request.tool.name if request.tool else request.model,
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
            "usage": usage or {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "system_fingerprint": None,
            "aup": self._aup(request, label),
        }

    # -- the log -------------------------------------------------------------------------------

    def _entry(
        self, request: ChatRequest, decision: str, status: int, reason: str | None,
        reply: str | None = None, usage: dict[str, int] | None = None,
    ) -> RequestLog:  # fmt: skip
        who = request.requester
        return RequestLog(
            id=request.request_id,
            school_id=who.school_id if who else None,
            user_id=who.user_id if who else None,
            role=who.role.value if who else None,
            tool=request.tool.name if request.tool else request.model,
            purpose=request.purpose,
            supervised_session_id=request.details.get("supervision", {}).get("session_id"),
            decision=decision,
            reason_code=reason,
            status_code=status,
            stream=request.stream,
            prompt=request.messages or None,
            reply=reply,
            prompt_tokens=(usage or {}).get("prompt_tokens"),
            completion_tokens=(usage or {}).get("completion_tokens"),
            details=_jsonable(request.details),
            created_at=request.received_at,
            # An allowed request's entry is written before the provider call, completed after.
            completed_at=None if decision == "allowed" else self.clock(),
        )

    async def _write(self, entry: RequestLog, started: float) -> bool:
        entry.latency_ms = int((time.monotonic() - started) * 1000)

        def write() -> None:
            with transaction(self.sessions) as session:
                session.add(entry)

        try:
            await to_thread.run_sync(write)
            return True
        except Exception:
            log.exception("monitoring log write failed", extra={"request_id": entry.id})
            return False

    async def _finish(
        self, entry: RequestLog, started: float, *, decision: str, status: int, reason: str | None,
        reply: str | None = None, usage: dict[str, int] | None = None, disconnected: bool = False,
        details: dict[str, Any] | None = None,
    ) -> bool:  # fmt: skip
        def update() -> None:
            with transaction(self.sessions) as session:
                row = session.get(RequestLog, entry.id)
                if row is None:
                    raise LookupError(f"log entry {entry.id} has gone")
                row.decision, row.status_code, row.reason_code = decision, status, reason
                if details is not None:
                    row.details = _jsonable(details)
                    if reason is None and "reply_withheld" in details:
                        row.reason_code = "reply_withheld"
                row.reply = reply
                row.prompt_tokens = (usage or {}).get("prompt_tokens")
                row.completion_tokens = (usage or {}).get("completion_tokens")
                row.latency_ms = int((time.monotonic() - started) * 1000)
                row.client_disconnected = disconnected
                row.completed_at = self.clock()

        try:
            await to_thread.run_sync(update)
            return True
        except Exception:
            log.exception("monitoring log update failed", extra={"request_id": entry.id})
            return False


# -- helpers ----------------------------------------------------------------------------------


def _feed(streamers: list[StreamFilter], text: str) -> str:
    for streamer in streamers:
        text = streamer.feed(text)
    return text


def _finish(streamers: list[StreamFilter]) -> str:
    """Flush each filter in turn; what one releases still passes through the next."""
    text = ""
    for streamer in streamers:
        text = streamer.feed(text) + streamer.finish()
    return text


def _visible(label: Label | None) -> str:
    return f"\n\n{label.text}" if label and label.visible else ""


def _chunk(
    request: ChatRequest, delta: dict[str, Any] | None, finish_reason: str | None = None,
    usage: dict[str, int] | None = None,
) -> dict[str, Any]:  # fmt: skip
    chunk: dict[str, Any] = {
        "id": f"chatcmpl-{request.request_id}",
        "object": "chat.completion.chunk",
        "created": int(request.received_at.timestamp()),
        "model": request.tool.name if request.tool else request.model,
        "system_fingerprint": None,
        "choices": [],
    }
    if delta is not None:
        chunk["choices"] = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]
    if usage is not None:
        chunk["usage"] = usage
    return chunk


def _sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, separators=(',', ':'), ensure_ascii=False)}\n\n"


def _usage(response: Any) -> dict[str, int] | None:
    usage = getattr(response, "usage", None)
    if not usage or not getattr(usage, "total_tokens", None):
        return None
    return {
        "prompt_tokens": int(usage.prompt_tokens or 0),
        "completion_tokens": int(usage.completion_tokens or 0),
        "total_tokens": int(usage.total_tokens or 0),
    }


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
