"""A supervised session and the pupils in it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ai_gateway.database import Base, new_id, utcnow
from ai_gateway.identity.models import User


class SupervisedSession(Base):
    """A teacher's say-so: these pupils may use these tools, for this, from `starts_at` until `ends_at`.

    The teacher's instructions are kept here, with the session, as they were given.
    """

    __tablename__ = "supervised_sessions"
    __table_args__ = (Index("ix_supervised_sessions_school_ends", "school_id", "ends_at"),)

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    teacher_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str]
    join_code: Mapped[str] = mapped_column(index=True)
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    tools: Mapped[list[str]] = mapped_column(JSON, default=list)
    instructions: Mapped[str] = mapped_column(Text, default="")
    learner_mode: Mapped[bool] = mapped_column(default=True)
    # Per pupil; None means no limit.
    rate_per_minute: Mapped[int | None] = mapped_column(default=None)
    token_budget: Mapped[int | None] = mapped_column(default=None)
    advisory_minutes: Mapped[int]
    hard_stop_minutes: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    paused_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    teacher: Mapped[User] = relationship(lazy="joined")
    pupils: Mapped[list[SessionPupil]] = relationship(back_populates="session", lazy="selectin",
                                                      order_by="SessionPupil.added_at")  # fmt: skip

    def is_active(self, now: datetime) -> bool:
        return self.ended_at is None and self.starts_at <= now < self.ends_at

    def state(self, now: datetime) -> str:
        if self.ended_at is not None or now >= self.ends_at:
            return "ended"
        if now < self.starts_at:
            return "scheduled"
        return "paused" if self.paused_at is not None else "active"


class SessionPupil(Base):
    """A pupil named in a session: listed by the teacher, joined with the code, or (from a group) paused.

    Pupils in the session's groups need no row until the teacher does something to them alone.
    """

    __tablename__ = "supervised_session_pupils"
    __table_args__ = (UniqueConstraint("session_id", "pupil_id"),)

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    session_id: Mapped[str] = mapped_column(ForeignKey("supervised_sessions.id"), index=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    how: Mapped[str]  # listed | joined | group
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    paused_at: Mapped[datetime | None] = mapped_column(default=None)
    # Each time the teacher let the pupil go on after the time limit: {"at", "by", "reason"}.
    time_limit_lifts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    session: Mapped[SupervisedSession] = relationship(back_populates="pupils")
    pupil: Mapped[User] = relationship(lazy="joined")

    @property
    def last_lift_at(self) -> datetime | None:
        if not self.time_limit_lifts:
            return None
        return datetime.fromisoformat(self.time_limit_lifts[-1]["at"])
