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


def list_alerts(session: Session, school_id: str, status: str | None = "open", limit: int = 100) -> list:
    from ai_gateway.monitoring.models import DslAlert

    query = select(DslAlert).where(DslAlert.school_id == school_id).order_by(DslAlert.created_at.desc()).limit(limit)
    if status:
        query = query.where(DslAlert.status == status)
    return list(session.scalars(query))


def acknowledge_alert(session: Session, school_id: str, alert_id: str, by_user_id: str, now: datetime):
    """The DSL has seen the alert; closing it is a separate, later step in the school's procedure."""
    from ai_gateway.monitoring.models import DslAlert

    alert = session.get(DslAlert, alert_id)
    if alert is None or alert.school_id != school_id:
        raise LookupError(f"no alert {alert_id!r}")
    if alert.status == "open":
        alert.status, alert.acknowledged_by, alert.acknowledged_at = "acknowledged", by_user_id, now
        session.flush()
    return alert
