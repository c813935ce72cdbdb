"""The OpenAI-compatible endpoints: thin, the rules live in the pipeline."""

from __future__ import annotations

import json
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ai_gateway.database import new_id
from ai_gateway.identity.requester import Requester
from ai_gateway.pipeline.checks import ChatCompletionBody
from ai_gateway.pipeline.context import ChatRequest
from ai_gateway.web import bearer_key, current_requester, runtime_of
from dpia import service as register

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])

_BODY_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ChatCompletionBody.model_json_schema()}},
    }
}


@router.post("/chat/completions", openapi_extra=_BODY_SCHEMA, summary="Create a chat completion")
async def chat_completions(request: Request) -> Response:
    runtime = runtime_of(request)
    raw = await request.body()
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError:
        body = None
    chat = ChatRequest(
        request_id=new_id(),
        received_at=runtime.clock(),
        api_key=bearer_key(request),
        body=body,
        purpose_header=request.headers.get("x-aup-purpose"),
    )
    return await runtime.chat.handle(chat)


@router.get("/models", summary="The AI tools you may use")
async def list_models(request: Request, who: Requester = Depends(current_requester)) -> dict[str, Any]:
    runtime = runtime_of(request)

    def tools() -> list[dict[str, Any]]:
        with runtime.sessions() as session:
            return [
                {
                    "id": tool.name,
                    "object": "model",
                    "created": int(tool.created_at.timestamp()),
                    "owned_by": tool.provider or "school",
                }
                for tool in register.usable_tools(session, who, request.headers.get("x-aup-purpose"), runtime.clock())
            ]

    return {"object": "list", "data": await to_thread.run_sync(tools)}
