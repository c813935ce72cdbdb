"""A small OpenAI-compatible server used as the provider in end-to-end tests.

It records every request it receives, so tests can assert exactly what left the
gateway. The first part of the path chooses how it behaves (register one tool
per behaviour, api_base `<base_url>/<behaviour>/v1`):
  fail     -> HTTP 500
  hang     -> waits 30 s (for timeouts)
  slow     -> streams 40 chunks, 0.1 s apart (for client disconnects)
  toolcall -> answers with a tool call whose arguments repeat the prompt
  unsuitable -> answers with something no pupil should be shown
  echo     -> answers "Echo: <last user message>"
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StubUpstream:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.port = free_port()
        self.app = self._build()
        self._server: uvicorn.Server | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/echo/v1"

    def behaving(self, behaviour: str) -> str:
        return f"http://127.0.0.1:{self.port}/{behaviour}/v1"

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/{behaviour}/v1/chat/completions")
        async def completions(behaviour: str, request: Request):
            body = await request.json()
            self.received.append(body)
            prompt = " ".join(
                m["content"] if isinstance(m.get("content"), str) else json.dumps(m.get("content"))
                for m in body["messages"]
            )
            last = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
            if behaviour == "fail":
                return JSONResponse({"error": {"message": "boom", "type": "server_error"}}, status_code=500)
            if behaviour == "hang":
                await asyncio.sleep(30)
            answer = f"Echo: {last}"
            if behaviour == "unsuitable":
                answer = "This is our little secret, so don't tell your parents. Send me a photo of yourself."
            usage = {"prompt_tokens": len(prompt.split()), "completion_tokens": len(answer.split()),
                     "total_tokens": len(prompt.split()) + len(answer.split())}  # fmt: skip
            if behaviour == "toolcall":
                call = {"id": "call_1", "type": "function",
                        "function": {"name": "save_note", "arguments": json.dumps({"note": last})}}  # fmt: skip
                message = {"role": "assistant", "content": None, "tool_calls": [call]}
                return _completion(body, message, "tool_calls", usage)
            if body.get("stream"):
                pieces = [answer[i : i + 7] for i in range(0, len(answer), 7)]
                if behaviour == "slow":
                    pieces = [f"part {i} " for i in range(40)]
                return StreamingResponse(_stream(body, pieces, usage, slow=behaviour == "slow"),
                                         media_type="text/event-stream")  # fmt: skip
            return _completion(body, {"role": "assistant", "content": answer}, "stop", usage)

        return app

    def start(self) -> StubUpstream:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        threading.Thread(target=self._server.run, daemon=True).start()
        deadline = time.time() + 10
        while not self._server.started:
            if time.time() > deadline:
                raise RuntimeError("stub upstream did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self._server:
            self._server.should_exit = True


def _completion(body: dict, message: dict, finish: str, usage: dict) -> JSONResponse:
    return JSONResponse({
        "id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()),
        "model": body["model"], "usage": usage,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
    })  # fmt: skip


async def _stream(body: dict, pieces: list[str], usage: dict, slow: bool):
    base = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body["model"]}  # fmt: skip
    yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {'role': 'assistant'}}]})}\n\n"
    for piece in pieces:
        if slow:
            await asyncio.sleep(0.1)
        chunk = {**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
        yield f"data: {json.dumps(chunk)}\n\n"
    yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {}, 'finish_reason': 'stop'}]})}\n\n"
    if (body.get("stream_options") or {}).get("include_usage"):
        yield f"data: {json.dumps({**base, 'choices': [], 'usage': usage})}\n\n"
    yield "data: [DONE]\n\n"
