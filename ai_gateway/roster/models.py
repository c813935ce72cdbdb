"""Roster rows: one person each, as the MIS export names them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ai_gateway.database import Base, new_id, utcnow


class RosterPerson(Base):
    __tablename__ = "roster_people"

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    kind: Mapped[str]  # pupil | staff | parent
    forenames: Mapped[list[str]] = mapped_column(JSON, default=list)
    surname: Mapped[str]
    title: Mapped[str | None] = mapped_column(default=None)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class RosterImport(Base):
    """Each import replaces the roster; its id is the roster's version for caches."""

    __tablename__ = "roster_imports"

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    pupils: Mapped[int]
    staff: Mapped[int]
    parents: Mapped[int]
    imported_by: Mapped[str] = mapped_column(default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
