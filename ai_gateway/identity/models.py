"""Schools, users and API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ai_gateway.database import Base, new_id, utcnow
from ai_gateway.identity.roles import Role, key_stage


class School(Base):
    __tablename__ = "schools"

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str]
    urn: Mapped[str] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("school_id", "username"),)

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    username: Mapped[str]
    display_name: Mapped[str]
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    year_group: Mapped[int | None] = mapped_column(default=None)
    email: Mapped[str | None] = mapped_column(default=None)
    # Registration and teaching groups (e.g. ["4B", "4Ma"]): a supervised session can be opened for one.
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship(lazy="joined")

    @property
    def key_stage(self) -> str | None:
        return key_stage(self.year_group) if self.role == Role.pupil else None


class ApiKey(Base):
    """An API key. Only its SHA-256 is stored; the key itself is shown once."""

    __tablename__ = "api_keys"
    __table_args__ = (Index("ix_api_keys_key_hash", "key_hash", unique=True),)

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    prefix: Mapped[str]
    key_hash: Mapped[str]
    label: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship(lazy="joined")
