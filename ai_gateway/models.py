"""Every table of the gateway, imported in one place for Alembic and migrations."""

from ai_gateway.identity.models import ApiKey, School, User
from ai_gateway.monitoring.models import RequestLog
from dpia.models import Tool

__all__ = ["ApiKey", "RequestLog", "School", "Tool", "User"]
