"""Every table of the gateway, imported in one place for Alembic and migrations."""

from ai_gateway.identity.models import ApiKey, School, User
from ai_gateway.monitoring.models import DslAlert, RequestLog
from ai_gateway.roster.models import RosterImport, RosterPerson
from ai_gateway.supervision.models import SessionPupil, SupervisedSession
from dpia.models import Approval, Dpia, RegisterChange, Tool

__all__ = [
    "ApiKey", "School", "User",  # identity
    "DslAlert", "RequestLog",  # monitoring
    "RosterImport", "RosterPerson",  # the MIS roster
    "SessionPupil", "SupervisedSession",  # supervised sessions
    "Approval", "Dpia", "RegisterChange", "Tool",  # the register (dpia/)
]  # fmt: skip
