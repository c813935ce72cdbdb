"""The built-in demo model, so the gateway answers with no provider key.

It is reached through litellm like any provider (as `aup-demo/<name>`), and
every answer says plainly that it comes from the demo model, not a real AI.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import litellm
from litellm.llms.custom_llm import CustomLLM
from litellm.types.utils import GenericStreamingChunk, ModelResponse

PROVIDER = "aup-demo"


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
            return str(content or "")
    return ""


def demo_answer(messages: list[dict[str, Any]]) -> str:
    asked = _last_user_text(messages).strip()
    quoted = asked if len(asked) <= 400 else asked[:400] + "…"
    return (
        "[Demo model] This answer comes from the gateway's built-in demo model, not a real AI. "
        "It received your message after the gateway's checks, with any personal details replaced by "
        f'typed placeholders in square brackets (the gateway puts the real ones back for you): "{quoted}". '
        "Ask your IT team to connect an approved AI tool for real answers."
    )


def _usage(messages: list[dict[str, Any]], text: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content") or "").split()) for m in messages)
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


class DemoModel(CustomLLM):
    def _response(self, model: str, messages: list) -> ModelResponse:
        text = demo_answer(messages)
        return ModelResponse(
            model=model,
            choices=[{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
            usage=_usage(messages, text),
            created=int(time.time()),
        )

    def _chunks(self, messages: list) -> Iterator[GenericStreamingChunk]:
        text = demo_answer(messages)
        words = text.split(" ")
        for i, word in enumerate(words):
            last = i == len(words) - 1
            yield GenericStreamingChunk(
                text=word + ("" if last else " "),
                is_finished=last,
                finish_reason="stop" if last else "",
                usage=_usage(messages, text) if last else None,  # type: ignore[typeddict-item]
                index=0,
                tool_use=None,
            )

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        return self._response(model, messages)

    async def acompletion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        return self._response(model, messages)

    def streaming(self, model: str, messages: list, *args: Any, **kwargs: Any) -> Iterator[GenericStreamingChunk]:
        yield from self._chunks(messages)

    async def astreaming(
        self, model: str, messages: list, *args: Any, **kwargs: Any
    ) -> AsyncIterator[GenericStreamingChunk]:
        for chunk in self._chunks(messages):
            yield chunk


def register_demo_provider() -> None:
    if not any(item.get("provider") == PROVIDER for item in litellm.custom_provider_map):
        litellm.custom_provider_map.append({"provider": PROVIDER, "custom_handler": DemoModel()})
        litellm.utils.custom_llm_setup()
