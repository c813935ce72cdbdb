"""Provider calls, all through litellm: one Router per tool route, with timeouts and retries."""

from __future__ import annotations

import os

# Offline by design: litellm must use its bundled model cost map, never fetch one.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from collections.abc import AsyncIterator  # noqa: E402
from typing import Any  # noqa: E402

import litellm  # noqa: E402
from litellm import Router  # noqa: E402

from ai_gateway.config import UpstreamConfig  # noqa: E402
from ai_gateway.demo_model import register_demo_provider  # noqa: E402
from ai_gateway.pipeline.context import ToolRoute  # noqa: E402

litellm.telemetry = False
litellm.suppress_debug_info = True


class UpstreamError(Exception):
    """The provider could not give an answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _translate(exc: Exception, tool: ToolRoute) -> UpstreamError:
    name = tool.name
    if isinstance(exc, litellm.Timeout):
        return UpstreamError(504, "upstream_timeout", f"'{name}' did not answer in time. Try again shortly.")
    if isinstance(exc, litellm.AuthenticationError):
        return UpstreamError(502, "upstream_auth_failed",
                             f"'{name}' refused the gateway's credentials. Tell your IT team.")  # fmt: skip
    if isinstance(exc, litellm.RateLimitError):
        return UpstreamError(502, "upstream_rate_limited", f"'{name}' is busy. Try again in a minute.")
    if isinstance(exc, litellm.ContextWindowExceededError):
        return UpstreamError(400, "context_length_exceeded",
                             f"The conversation is too long for '{name}'. Start a new one.")  # fmt: skip
    if isinstance(exc, litellm.BadRequestError):
        return UpstreamError(400, "upstream_bad_request", f"'{name}' could not accept this request.")
    return UpstreamError(502, "upstream_error", f"'{name}' could not be reached. Try again shortly.")


def _provider_params(params: dict[str, Any]) -> dict[str, Any]:
    if "tools" in params:
        # litellm sends any request with `tools` through its MCP bridge, which needs the optional
        # `mcp` package; the gateway forwards tools to the provider unchanged, so skip the bridge.
        return {**params, "_skip_mcp_handler": True}
    return params


class Upstream:
    def __init__(self, config: UpstreamConfig) -> None:
        self.config = config
        self._routers: dict[tuple[str, str | None, str | None], Router] = {}
        register_demo_provider()

    def _router(self, tool: ToolRoute) -> Router:
        # A cache only: the register in the database stays the source of truth.
        key = (tool.litellm_model, tool.api_base, tool.api_key_env)
        router = self._routers.get(key)
        if router is None:
            params: dict[str, Any] = {
                "model": tool.litellm_model,
                "timeout": self.config.timeout_seconds,
                "stream_timeout": self.config.timeout_seconds,
            }
            if tool.api_base:
                params["api_base"] = tool.api_base
            if tool.api_key_env:
                params["api_key"] = f"os.environ/{tool.api_key_env}"
            router = Router(
                model_list=[{"model_name": "route", "litellm_params": params}],
                num_retries=self.config.num_retries,
                timeout=self.config.timeout_seconds,
            )
            self._routers[key] = router
        return router

    async def complete(self, tool: ToolRoute, messages: list[dict[str, Any]], params: dict[str, Any]) -> Any:
        try:
            return await self._router(tool).acompletion(model="route", messages=messages, **_provider_params(params))
        except Exception as exc:
            raise _translate(exc, tool) from exc

    async def stream(
        self, tool: ToolRoute, messages: list[dict[str, Any]], params: dict[str, Any]
    ) -> AsyncIterator[Any]:
        try:
            response = await self._router(tool).acompletion(
                model="route", messages=messages, stream=True,
                stream_options={"include_usage": True}, **_provider_params(params),
            )  # fmt: skip
        except Exception as exc:
            raise _translate(exc, tool) from exc
        return _translated_stream(response, tool)


async def _translated_stream(response: Any, tool: ToolRoute) -> AsyncIterator[Any]:
    try:
        async for chunk in response:
            yield chunk
    except Exception as exc:
        raise _translate(exc, tool) from exc
