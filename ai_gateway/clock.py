"""The time, injectable so that date rules are tested without sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ai_gateway.database import utcnow

Clock = Callable[[], datetime]

system_clock: Clock = utcnow
