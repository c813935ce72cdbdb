"""Service functions for schools, users and keys: plain arguments, a Session, no HTTP."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ai_gateway.database import utcnow
from ai_gateway.identity.errors import (
    AlreadyExists,
    KeyExpired,
    KeyRevoked,
    NotFound,
    UnknownKey,
    UserInactive,
)
from ai_gateway.identity.models import ApiKey, School, User
from ai_gateway.identity.roles import Role

KEY_PREFIX = "aup"


def hash_key(key: str) -> str:
    # Keys carry 190 bits of randomness, so a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    """A newly issued key: `secret` is shown once and never stored."""

    key: ApiKey
    secret: str


def get_or_create_school(session: Session, name: str, urn: str) -> School:
    school = session.scalar(select(School).where(School.urn == urn))
    if school is None:
        school = School(name=name, urn=urn)
        session.add(school)
        session.flush()
    return school


def get_school(session: Session, urn_or_id: str | None = None) -> School:
    """A school by URN or id; with none given, the only school of a single-school install."""
    if urn_or_id:
        school = session.scalar(select(School).where((School.urn == urn_or_id) | (School.id == urn_or_id)))
    else:
        schools = session.scalars(select(School).limit(2)).all()
        school = schools[0] if len(schools) == 1 else None
        if len(schools) > 1:
            raise NotFound("several schools are set up; name one with --school")
    if school is None:
        raise NotFound(f"no school {urn_or_id or ''}".strip())
    return school


def create_user(
    session: Session,
    school: School,
    username: str,
    display_name: str,
    role: Role,
    year_group: int | None = None,
    email: str | None = None,
    groups: list[str] | None = None,
) -> User:
    if role == Role.pupil and year_group is None:
        raise ValueError("a pupil needs a year group (0 for Reception)")
    if role != Role.pupil and year_group is not None:
        raise ValueError("only pupils have a year group")
    exists = session.scalar(select(User).where(User.school_id == school.id, User.username == username))
    if exists is not None:
        raise AlreadyExists(f"user {username!r} already exists in {school.name}")
    user = User(
        school_id=school.id,
        username=username,
        display_name=display_name,
        role=role,
        year_group=year_group,
        email=email,
        groups=list(groups or []),
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, school: School, username_or_id: str) -> User:
    user = session.scalar(
        select(User).where(User.school_id == school.id, (User.username == username_or_id) | (User.id == username_or_id))
    )
    if user is None:
        raise NotFound(f"no user {username_or_id!r} in {school.name}")
    return user


def list_users(session: Session, school: School, role: Role | None = None) -> list[User]:
    query = select(User).where(User.school_id == school.id).order_by(User.role, User.username)
    if role is not None:
        query = query.where(User.role == role)
    return list(session.scalars(query))


def set_user_active(session: Session, user: User, active: bool) -> User:
    user.active = active
    session.flush()
    return user


def issue_key(
    session: Session,
    user: User,
    label: str = "",
    expires_in_days: int | None = None,
    now: datetime | None = None,
) -> IssuedKey:
    now = now or utcnow()
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}-{prefix}-{secrets.token_urlsafe(24)}"
    key = ApiKey(
        school_id=user.school_id,
        user_id=user.id,
        prefix=f"{KEY_PREFIX}-{prefix}",
        key_hash=hash_key(secret),
        label=label,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(key)
    session.flush()
    return IssuedKey(key=key, secret=secret)


def list_keys(session: Session, school: School, user: User | None = None) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.school_id == school.id).order_by(ApiKey.created_at)
    if user is not None:
        query = query.where(ApiKey.user_id == user.id)
    return list(session.scalars(query))


def find_key(session: Session, school: School, prefix_or_id: str) -> ApiKey:
    key = session.scalar(
        select(ApiKey).where(
            ApiKey.school_id == school.id, (ApiKey.prefix == prefix_or_id) | (ApiKey.id == prefix_or_id)
        )
    )
    if key is None:
        raise NotFound(f"no API key {prefix_or_id!r}")
    return key


def revoke_key(session: Session, key: ApiKey, now: datetime | None = None) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = now or utcnow()
        session.flush()
    return key


def authenticate(session: Session, secret: str, now: datetime | None = None) -> User:
    """The user a presented key belongs to; records when the key was last used."""
    now = now or utcnow()
    key = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(secret)))
    if key is None:
        raise UnknownKey("unknown API key")
    if key.revoked_at is not None:
        raise KeyRevoked("this API key was revoked")
    if key.expires_at is not None and key.expires_at <= now:
        raise KeyExpired("this API key has expired")
    if not key.user.active:
        raise UserInactive("this account is not active")
    key.last_used_at = now
    return key.user
