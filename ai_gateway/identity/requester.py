"""Who is asking, as a plain value safe to pass between threads and checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from ai_gateway.database import transaction
from ai_gateway.identity.errors import IdentityError, KeyExpired, KeyRevoked, UserInactive
from ai_gateway.identity.roles import Role

NO_KEY = "No API key was sent. Send your gateway key as 'Authorization: Bearer <key>'."


def key_refused(exc: IdentityError) -> str:
    """What a person whose key was not accepted reads, on the chat endpoints and the admin API alike."""
    if isinstance(exc, KeyExpired | KeyRevoked | UserInactive):
        return f"{exc}. Ask your school's IT team for a new key."
    return "The API key is not recognised. Check it was copied in full, or ask your IT team for a new one."


@dataclass(frozen=True)
class Requester:
    user_id: str
    school_id: str
    username: str
    display_name: str
    role: Role
    year_group: int | None
    key_stage: str | None

    @property
    def is_pupil(self) -> bool:
        return self.role == Role.pupil


def requester_for_key(sessions: sessionmaker[Session], secret: str, now: datetime) -> Requester:
    """Authenticate a key (raising an IdentityError) and describe its user."""
    from ai_gateway.identity.service import authenticate

    with transaction(sessions) as session:
        user = authenticate(session, secret, now=now)
        return Requester(
            user_id=user.id,
            school_id=user.school_id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            year_group=user.year_group,
            key_stage=user.key_stage,
        )
