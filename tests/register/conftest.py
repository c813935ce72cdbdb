"""A school's register on a real database (SQLite, and PostgreSQL when configured), with its people."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ai_gateway.database import make_engine, make_session_factory, migrate, transaction
from ai_gateway.identity import service as identity
from ai_gateway.identity.models import User
from ai_gateway.identity.roles import Role
from dpia import service as register
from dpia.models import Tool

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = NOW.date()

PEOPLE = {
    "jhart": (Role.slt, None),
    "nferris": (Role.dpo, None),
    "plawson": (Role.teacher, None),
    "kbright": (Role.support_staff, None),
    "itadmin": (Role.it_admin, None),
    "ada": (Role.pupil, 4),  # KS2
    "theo": (Role.pupil, 9),  # KS3
}


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@dataclass
class Register:
    """A test school with the people above and one tool, `chatbot`."""

    sessions: sessionmaker[Session]
    school_id: str

    def user(self, session: Session, username: str) -> User:
        return identity.find_user(session, identity.get_school(session, self.school_id), username)

    def tool(self, session: Session, name: str = "chatbot") -> Tool:
        return register.find_tool(session, self.school_id, name, include_disabled=True)

    def approve(self, tool: str = "chatbot", now: datetime = NOW, **scope) -> str:
        """Record an SLT approval (teachers, lesson planning, a year ahead unless told otherwise)."""
        fields = {"risk_assessment_reference": "RA-2026-07", "roles": ["teacher"], "purposes": ["lesson_planning"],
                  "review_by": now.date() + timedelta(days=365), **scope}  # fmt: skip
        with transaction(self.sessions) as session:
            return register.record_approval(session, self.tool(session, tool), self.user(session, "jhart"),
                                            now=now, **fields).id  # fmt: skip

    def decision(self, username: str, purpose: str | None, tool: str = "chatbot", now: datetime = NOW):
        with self.sessions() as session:
            user = self.user(session, username)
            return register.approval_decision(session, self.tool(session, tool).id, user.role, user.key_stage,
                                              purpose, now)  # fmt: skip


def make_register(database_url: str) -> tuple[Register, object]:
    engine = make_engine(database_url)
    migrate(engine)
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        school = identity.get_or_create_school(session, "Test Academy", "900200")
        for username, (role, year) in PEOPLE.items():
            identity.create_user(session, school, username, username.title(), role, year)
        register.create_tool(session, school.id, "chatbot", "openai/gpt-4o-mini", provider="OpenAI",
                             data_location="US", now=NOW)  # fmt: skip
        register.create_tool(session, school.id, "local", "ollama/llama3", provider="Ollama", data_location="local",
                             now=NOW)  # fmt: skip
        school_id = school.id
    return Register(sessions, school_id), engine


@pytest.fixture
def reg(database_url: str) -> Iterator[Register]:
    registry, engine = make_register(database_url)
    yield registry
    engine.dispose()  # type: ignore[attr-defined]
