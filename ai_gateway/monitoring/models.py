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
    # The supervised session a pupil's request was made in (ai_gateway/supervision).
    supervised_session_id: Mapped[str | None] = mapped_column(default=None, index=True)
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


class DslAlert(Base):
    """A pupil's prompt suggested a child at risk: for the Designated Safeguarding Lead.

    The prompt is kept as the pupil wrote it, because the DSL must read the
    disclosure itself; only DSL and SLT roles can read alerts.
    """

    __tablename__ = "dsl_alerts"
    __table_args__ = (Index("ix_dsl_alerts_school_status", "school_id", "status"),)

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    request_id: Mapped[str] = mapped_column(index=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    supervised_session_id: Mapped[str | None] = mapped_column(default=None)
    teacher_id: Mapped[str | None] = mapped_column(default=None)
    category: Mapped[str]
    severity: Mapped[str]
    score: Mapped[float]
    triggers: Mapped[list[str]] = mapped_column(JSON, default=list)
    prompt: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(default="open")  # open | acknowledged | closed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_by: Mapped[str | None] = mapped_column(default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
