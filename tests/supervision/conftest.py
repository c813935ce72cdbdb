"""A school with classes, a teacher and supervised-session tools, on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ai_gateway.config import SupervisionConfig
from ai_gateway.database import make_engine, make_session_factory, migrate, new_id, transaction
from ai_gateway.identity import service as identity
from ai_gateway.identity.models import User
from ai_gateway.identity.roles import Role
from ai_gateway.monitoring.models import RequestLog
from ai_gateway.supervision import service as supervision
from ai_gateway.supervision.models import SupervisedSession
from dpia import service as register

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

PEOPLE: dict[str, tuple[Role, int | None, list[str]]] = {
    "tmorgan": (Role.teacher, None, []),
    "rjones": (Role.teacher, None, []),
    "jhart": (Role.slt, None, []),
    "rcalder": (Role.dsl, None, []),
    "ada": (Role.pupil, 4, ["4B", "4Ma"]),  # KS2
    "ben": (Role.pupil, 4, ["4B"]),
    "cara": (Role.pupil, 4, ["4C"]),  # another class
    "dev": (Role.pupil, 10, ["10X"]),  # KS4
}


@dataclass
class Classroom:
    sessions: sessionmaker[Session]
    school_id: str
    settings: SupervisionConfig

    def user(self, db: Session, username: str) -> User:
        return identity.find_user(db, identity.get_school(db, self.school_id), username)

    def open(self, teacher: str = "tmorgan", now: datetime = NOW, **fields: Any) -> SupervisedSession:
        fields = {"purpose": "Rivers: research questions", "tools": ["tutor"], "groups": ["4B"], **fields}
        with transaction(self.sessions) as db:
            return supervision.open_session(db, self.user(db, teacher), settings=self.settings, now=now, **fields)

    def do(self, work, *args: Any, now: datetime = NOW):
        """Run a service function on a session as a person: do(supervision.pause_session, id, "tmorgan")."""
        session_id, actor, *rest = args
        with transaction(self.sessions) as db:
            found = supervision.find_session(db, self.school_id, session_id)
            return work(db, found, self.user(db, actor), *rest, now)

    def access(self, pupil: str, tool: str = "tutor", now: datetime = NOW) -> supervision.Access:
        with self.sessions() as db:
            return supervision.pupil_access(db, self.user(db, pupil).id, tool, now)

    def log(self, pupil: str, session_id: str | None, at: datetime, decision: str = "allowed",
            tokens: int = 0, **fields: Any) -> None:  # fmt: skip
        """A monitoring-log entry, as the gateway writes one for a pupil's request."""
        with transaction(self.sessions) as db:
            db.add(RequestLog(id=new_id(), school_id=self.school_id, user_id=self.user(db, pupil).id, role="pupil",
                              tool="tutor", supervised_session_id=session_id, decision=decision, status_code=200,
                              prompt_tokens=tokens, completion_tokens=0, created_at=at, **fields))  # fmt: skip


@pytest.fixture
def classroom(database_url: str) -> Iterator[Classroom]:
    engine = make_engine(database_url)
    migrate(engine)
    sessions = make_session_factory(engine)
    with transaction(sessions) as db:
        school = identity.get_or_create_school(db, "Riverside Primary", "123456")
        for username, (role, year, groups) in PEOPLE.items():
            identity.create_user(db, school, username, username.title(), role, year, groups=groups)
        slt = identity.find_user(db, school, "jhart")
        tutor = register.create_tool(db, school.id, "tutor", "openai/stub", data_location="UK")
        register.approve_for_everyone(db, tutor, slt, risk_assessment_reference="RA-1", now=NOW)
        seniors = register.create_tool(db, school.id, "seniors", "openai/stub", data_location="UK")
        register.record_approval(db, seniors, slt, risk_assessment_reference="RA-2", roles=["teacher", "pupil"],
                                 key_stages=["KS4"], purposes=["classroom_use"],
                                 review_by=(NOW + timedelta(days=365)).date(), now=NOW)  # fmt: skip
        school_id = school.id
    yield Classroom(sessions, school_id, SupervisionConfig())
    engine.dispose()
