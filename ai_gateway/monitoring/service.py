"""Writing and reading the monitoring log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ai_gateway.monitoring.models import RequestLog


class LogUnavailable(Exception):
    """The monitoring log could not be written, so the request must not be served."""


def recent_entries(
    session: Session,
    school_id: str,
    limit: int = 50,
    user_id: str | None = None,
    decision: str | None = None,
    since: datetime | None = None,
) -> list[RequestLog]:
    query = (
        select(RequestLog).where(RequestLog.school_id == school_id).order_by(RequestLog.created_at.desc()).limit(limit)
    )
    if user_id:
        query = query.where(RequestLog.user_id == user_id)
    if decision:
        query = query.where(RequestLog.decision == decision)
    if since:
        query = query.where(RequestLog.created_at >= since)
    return list(session.scalars(query))
