"""What a check decides, as a value: allow, block, transform, or answer directly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Allow:
    """The request may go on unchanged."""

    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Block:
    """The request is refused with an OpenAI-style error the user can act on."""

    status: int
    code: str
    message: str
    type: str = "permission_error"
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Transform:
    """The request goes on with these messages instead (e.g. pseudonymised)."""

    messages: list[dict[str, Any]]
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """The gateway answers itself and forwards nothing (e.g. a supportive reply to a pupil)."""

    text: str
    code: str
    details: dict[str, Any] = field(default_factory=dict)


Decision = Allow | Block | Transform | Answer
