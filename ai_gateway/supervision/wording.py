"""What pupils read when a session rule stops them, and the notices on their answers (data/messages.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ai_gateway.config import ConfigError
from ai_gateway.identity.requester import Requester
from ai_gateway.wording import audience

MESSAGES = Path(__file__).resolve().parent / "data" / "messages.yaml"
KEYS = ("no_supervised_session", "tool_not_in_session", "session_paused", "time_limit_reached", "rate_limited",
        "token_budget_exhausted", "first_answer_notice", "advisory_notice")  # fmt: skip
# The checks whose details may carry a notice for the answer, in the order they are shown.
NOTICE_SOURCES = ("supervision", "limits")


@dataclass(frozen=True)
class SupervisionWording:
    messages: dict[str, dict[str, str]]

    @classmethod
    def load(cls, path: Path = MESSAGES) -> SupervisionWording:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from exc
        missing = [k for k in KEYS if not isinstance(data.get(k), dict) or not data[k].get("ks3_4")]
        if missing:
            raise ConfigError(f"{path}: missing wording for {', '.join(missing)}")
        return cls(data)

    def message(self, key: str, who: Requester, **values: Any) -> str:
        """The message for the requester's age (pupils by key stage; staff fall back to the oldest pupils')."""
        by_audience = self.messages[key]
        text = by_audience.get(audience(who)) or by_audience["ks3_4"]
        return text.format(**values) if values else text


def notices(details: dict[str, Any]) -> list[str]:
    """The notices the supervision checks left for this answer (the label is shown after them)."""
    return [str(n) for name in NOTICE_SOURCES if (n := (details.get(name) or {}).get("notice"))]
