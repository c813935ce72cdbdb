"""The school's people, as imported from an MIS export: pupils, staff and parents/carers.

The roster is handed in by the gateway (it lives in the database); this package only reads it.
"""

import csv
import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from redaction.errors import RosterImportError

PersonKind = Literal["pupil", "staff", "parent"]


class RosterPerson(BaseModel):
    kind: PersonKind
    forenames: list[str] = Field(default_factory=list)  # legal and preferred
    surname: str = ""
    title: str | None = None

    @property
    def key(self) -> str:
        """Stable identity of this person within a roster, used to share a placeholder."""
        forename = self.forenames[0] if self.forenames else ""
        return f"{self.kind}:{forename}:{self.surname}".casefold()


class ColumnMapping(BaseModel):
    """Which CSV columns hold the names. Defaults read a typical MIS export."""

    pupil_forenames: list[str] = ["legal_forename", "preferred_forename"]
    pupil_surname: str = "legal_surname"
    pupil_extra_surnames: list[str] = ["preferred_surname"]
    staff_title: str = "title"
    staff_forenames: list[str] = ["forename", "preferred_forename"]
    staff_surname: str = "surname"
    contact_title: str = "contact_title"
    contact_forenames: list[str] = ["contact_forename"]
    contact_surname: str = "contact_surname"


class Roster(BaseModel):
    people: list[RosterPerson] = Field(default_factory=list)

    @property
    def version(self) -> str:
        """A hash of the content: analysis caches are keyed on it."""
        cached = self.__dict__.get("_version")
        if cached is None:
            payload = json.dumps([p.model_dump() for p in self.people], sort_keys=True, ensure_ascii=False)
            cached = hashlib.sha256(payload.encode()).hexdigest()[:16]
            self.__dict__["_version"] = cached
        return cached

    @classmethod
    def from_mis_csv(
        cls,
        roster_csv: Path | None,
        staff_csv: Path | None,
        contacts_csv: Path | None,
        mapping: ColumnMapping | None = None,
    ) -> "Roster":
        m = mapping or ColumnMapping()
        people: list[RosterPerson] = []
        for row in _rows(roster_csv):
            people.append(RosterPerson(
                kind="pupil",
                forenames=_present(row, m.pupil_forenames),
                surname=_required(row, m.pupil_surname, roster_csv),
            ))
            for extra in _present(row, m.pupil_extra_surnames):
                people.append(RosterPerson(kind="pupil", forenames=_present(row, m.pupil_forenames),
                                           surname=extra))
        for row in _rows(staff_csv):
            people.append(RosterPerson(
                kind="staff",
                forenames=_present(row, m.staff_forenames),
                surname=_required(row, m.staff_surname, staff_csv),
                title=(row.get(m.staff_title) or "").strip() or None,
            ))
        seen: set[tuple[str, ...]] = set()
        for row in _rows(contacts_csv):
            person = RosterPerson(
                kind="parent",
                forenames=_present(row, m.contact_forenames),
                surname=_required(row, m.contact_surname, contacts_csv),
                title=(row.get(m.contact_title) or "").strip() or None,
            )
            identity = (*person.forenames, person.surname)
            if identity not in seen:  # a parent of two pupils appears twice in the export
                seen.add(identity)
                people.append(person)
        return cls(people=people)


def _rows(path: Path | None) -> list[dict[str, str]]:
    if path is None:
        return []
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))
    except OSError as exc:
        raise RosterImportError(f"cannot read {path}: {exc}") from exc


def _present(row: dict[str, str], columns: list[str]) -> list[str]:
    values: list[str] = []
    for column in columns:
        value = (row.get(column) or "").strip()
        if value and value not in values:
            values.append(value)
    return values


def _required(row: dict[str, str], column: str, path: Path | None) -> str:
    if column not in row:
        raise RosterImportError(f"{path}: no column {column!r} (columns: {', '.join(row)})")
    return (row[column] or "").strip()
