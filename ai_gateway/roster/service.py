"""Importing the roster and handing it to the redaction engine."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

import redaction
from ai_gateway.database import utcnow
from ai_gateway.roster.models import RosterImport, RosterPerson

if TYPE_CHECKING:
    from ai_gateway.pipeline.context import ChatRequest


def import_roster(
    session: Session,
    school_id: str,
    roster_csv: Path | None = None,
    staff_csv: Path | None = None,
    contacts_csv: Path | None = None,
    imported_by: str = "",
    now: datetime | None = None,
) -> RosterImport:
    """Replace the school's roster with the people in an MIS export."""
    roster = redaction.Roster.from_mis_csv(roster_csv, staff_csv, contacts_csv)
    return replace_roster(session, school_id, roster, imported_by, now)


def replace_roster(
    session: Session, school_id: str, roster: redaction.Roster, imported_by: str = "", now: datetime | None = None
) -> RosterImport:
    now = now or utcnow()
    session.execute(delete(RosterPerson).where(RosterPerson.school_id == school_id))
    session.add_all(
        RosterPerson(school_id=school_id, kind=p.kind, forenames=list(p.forenames), surname=p.surname,
                     title=p.title, imported_at=now)
        for p in roster.people
    )  # fmt: skip
    counts = Counter(p.kind for p in roster.people)
    record = RosterImport(
        school_id=school_id, pupils=counts["pupil"], staff=counts["staff"], parents=counts["parent"],
        imported_by=imported_by, imported_at=now,
    )  # fmt: skip
    session.add(record)
    session.flush()
    return record


def latest_import(session: Session, school_id: str) -> RosterImport | None:
    return session.scalar(
        select(RosterImport).where(RosterImport.school_id == school_id).order_by(RosterImport.imported_at.desc())
    )


def load_roster(session: Session, school_id: str) -> redaction.Roster:
    rows = session.scalars(select(RosterPerson).where(RosterPerson.school_id == school_id))
    return redaction.Roster(
        people=[
            redaction.RosterPerson(kind=r.kind, forenames=r.forenames, surname=r.surname, title=r.title) for r in rows
        ]  # fmt: skip
    )


@dataclass
class RosterCache:
    """The last roster read per school, reloaded when a newer import appears.

    Only a cache: every replica reads the same import record from the database.
    """

    _entries: dict[str, tuple[str | None, redaction.Roster]] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    def get(self, session: Session, school_id: str) -> redaction.Roster:
        latest = latest_import(session, school_id)
        version = latest.id if latest else None
        with self._lock:
            cached = self._entries.get(school_id)
            if cached and cached[0] == version:
                return cached[1]
        roster = load_roster(session, school_id)
        with self._lock:
            self._entries[school_id] = (version, roster)
        return roster

    def for_request(self, sessions: sessionmaker[Session], request: ChatRequest) -> redaction.Roster:
        """The roster for a request's school, read once however many checks ask for it."""
        if request.roster is None:
            assert request.requester
            with sessions() as session:
                request.roster = self.get(session, request.requester.school_id)
        return request.roster
