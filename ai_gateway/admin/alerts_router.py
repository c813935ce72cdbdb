"""DSL alerts: read and acknowledge what pupils' prompts raised (DSL and SLT only)."""

from __future__ import annotations

from datetime import datetime

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request

from ai_gateway.admin.schemas import Out
from ai_gateway.database import transaction
from ai_gateway.errors import GatewayError
from ai_gateway.identity.requester import Requester
from ai_gateway.identity.roles import Role
from ai_gateway.monitoring import service as monitoring
from ai_gateway.web import require_role, runtime_of

router = APIRouter(prefix="/api/v1", tags=["DSL alerts"])

alert_readers = require_role(Role.dsl, Role.slt)


class AlertOut(Out):
    id: str
    request_id: str
    pupil_id: str
    supervised_session_id: str | None
    teacher_id: str | None
    category: str
    severity: str
    score: float
    triggers: list[str]
    prompt: str
    status: str
    created_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None


@router.get("/alerts", response_model=list[AlertOut], summary="DSL alerts, newest first")
async def list_alerts(
    request: Request,
    status: str | None = Query("open", description="open, acknowledged, closed; empty for all"),
    limit: int = Query(100, ge=1, le=1000),
    who: Requester = Depends(alert_readers),
):
    runtime = runtime_of(request)

    def read() -> list[AlertOut]:
        with runtime.sessions() as session:
            alerts = monitoring.list_alerts(session, who.school_id, status or None, limit)
            return [AlertOut.model_validate(a) for a in alerts]

    return await to_thread.run_sync(read)


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertOut)
async def acknowledge(request: Request, alert_id: str, who: Requester = Depends(alert_readers)) -> AlertOut:
    runtime = runtime_of(request)

    def work() -> AlertOut:
        with transaction(runtime.sessions) as session:
            alert = monitoring.acknowledge_alert(session, who.school_id, alert_id, who.user_id, runtime.clock())
            return AlertOut.model_validate(alert)

    try:
        return await to_thread.run_sync(work)
    except LookupError as exc:
        raise GatewayError(404, "not_found", str(exc)) from exc
