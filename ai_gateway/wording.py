"""What people read: answer labels and safety messages, by audience, from editable YAML in configs/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ai_gateway.config import ConfigError
from ai_gateway.identity.requester import Requester

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
AUDIENCES = ("ks1", "ks2", "ks3_4", "staff")


def audience(who: Requester) -> str:
    """Pupils by key stage (EYFS reads as KS1; KS5 as KS3/4); every adult as staff."""
    if not who.is_pupil:
        return "staff"
    return {"EYFS": "ks1", "KS1": "ks1", "KS2": "ks2"}.get(who.key_stage or "", "ks3_4")


@dataclass(frozen=True)
class Wording:
    labels: dict[str, str]
    messages: dict[str, Any]

    @classmethod
    def load(cls, labels_path: Path | None = None, messages_path: Path | None = None) -> Wording:
        labels_path = labels_path or CONFIGS / "labels.yaml"
        messages_path = messages_path or CONFIGS / "safety_messages.yaml"
        labels = _read(labels_path).get("labels") or {}
        missing = [a for a in AUDIENCES if not labels.get(a)]
        if missing:
            raise ConfigError(f"{labels_path}: labels: missing text for {', '.join(missing)}")
        messages = _read(messages_path)
        for key in ("safeguarding_casework", "pupil_support", "pupil_refused", "pupil_reply_withheld"):
            if key not in messages:
                raise ConfigError(f"{messages_path}: missing message '{key}'")
        return cls(labels=labels, messages=messages)

    def label(self, who: Requester) -> str:
        return self.labels[audience(who)]

    def message(self, key: str, who: Requester) -> str:
        """A message by key; per-audience messages pick the requester's audience."""
        value = self.messages[key]
        if isinstance(value, dict):
            return str(value.get(audience(who)) or value.get("ks3_4") or next(iter(value.values())))
        return str(value)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping")
    return data
