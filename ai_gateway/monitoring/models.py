"""The monitoring log's rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from ai_gateway.database import Base, new_id, utcnow


class RequestLog(Base):
    """One AI request, allowed or refused. Prompts are stored as they were sent on
    (pseudonymised where personal data was found), never with API keys."""

    __tablename__ = "request_log"
    __table_args__ = (Index("ix_request_log_school_created", "school_id", "created_at"),)

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str | None] = mapped_column(ForeignKey("schools.id"), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str | None] = mapped_column(default=None)
    tool: Mapped[str | None] = mapped_column(default=None)
    purpose: Mapped[str | None] = mapped_column(default=None)
    # allowed | blocked | answered (the gateway replied itself) | failed (provider error)
    decision: Mapped[str]
    reason_code: Mapped[str | None] = mapped_column(default=None)
    status_code: Mapped[int]
    stream: Mapped[bool] = mapped_column(default=False)
    prompt: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    reply: Mapped[str | None] = mapped_column(Text, default=None)
    prompt_tokens: Mapped[int | None] = mapped_column(default=None)
    completion_tokens: Mapped[int | None] = mapped_column(default=None)
    latency_ms: Mapped[int | None] = mapped_column(default=None)
    client_disconnected: Mapped[bool] = mapped_column(default=False)
    # What each check decided and why, for people reviewing the log.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
