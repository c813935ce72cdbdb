"""Users, roles and API keys, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from ai_gateway.database import make_engine, make_session_factory, migrate, transaction, utcnow
from ai_gateway.identity import service as identity
from ai_gateway.identity.errors import AlreadyExists, KeyExpired, KeyRevoked, UnknownKey, UserInactive
from ai_gateway.identity.models import ApiKey
from ai_gateway.identity.roles import Role, key_stage


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def school(sessions):
    with transaction(sessions) as session:
        return identity.get_or_create_school(session, "Test School", "123456")


def test_key_is_shown_once_and_only_its_hash_is_stored(sessions, school):
    with transaction(sessions) as session:
        user = identity.create_user(session, school, "t1", "Teacher One", Role.teacher)
        issued = identity.issue_key(session, user, label="laptop")
    assert issued.secret.startswith(issued.key.prefix + "-")
    with sessions() as session:
        stored = session.scalars(select(ApiKey)).one()
        dumped = " ".join(str(v) for v in session.execute(text("SELECT * FROM api_keys")).one())
    assert issued.secret not in dumped
    assert stored.key_hash == identity.hash_key(issued.secret)
    assert stored.prefix in dumped


def test_authentication_records_last_use(sessions, school):
    with transaction(sessions) as session:
        user = identity.create_user(session, school, "t1", "Teacher One", Role.teacher)
        secret = identity.issue_key(session, user).secret
    with transaction(sessions) as session:
        assert identity.authenticate(session, secret).username == "t1"
    with sessions() as session:
        assert session.scalars(select(ApiKey)).one().last_used_at is not None


def test_expired_revoked_unknown_and_inactive_are_refused(sessions, school):
    now = utcnow()
    with transaction(sessions) as session:
        user = identity.create_user(session, school, "t1", "Teacher One", Role.teacher)
        expiring = identity.issue_key(session, user, expires_in_days=30, now=now).secret
        revoked = identity.issue_key(session, user)
        identity.revoke_key(session, revoked.key)
        other = identity.create_user(session, school, "gone", "Left School", Role.teacher)
        inactive = identity.issue_key(session, other).secret
        identity.set_user_active(session, other, False)
    with transaction(sessions) as session:
        assert identity.authenticate(session, expiring, now=now + timedelta(days=29)).username == "t1"
        with pytest.raises(KeyExpired):
            identity.authenticate(session, expiring, now=now + timedelta(days=31))
        with pytest.raises(KeyRevoked):
            identity.authenticate(session, revoked.secret)
        with pytest.raises(UnknownKey):
            identity.authenticate(session, "aup-00000000-nothing")
        with pytest.raises(UserInactive):
            identity.authenticate(session, inactive)


def test_pupils_need_a_year_group_and_staff_have_none(sessions, school):
    with transaction(sessions) as session:
        pupil = identity.create_user(session, school, "p1", "Pupil One", Role.pupil, year_group=5)
        assert pupil.key_stage == "KS2"
        with pytest.raises(ValueError):
            identity.create_user(session, school, "p2", "Pupil Two", Role.pupil)
        with pytest.raises(ValueError):
            identity.create_user(session, school, "t2", "Teacher", Role.teacher, year_group=5)


def test_usernames_are_unique_within_a_school_but_not_across_a_trust(sessions, school):
    with transaction(sessions) as session:
        identity.create_user(session, school, "jsmith", "J Smith", Role.teacher)
        with pytest.raises(AlreadyExists):
            identity.create_user(session, school, "jsmith", "J Smith", Role.teacher)
        sister = identity.get_or_create_school(session, "Sister School", "654321")
        assert identity.create_user(session, sister, "jsmith", "J Smith", Role.teacher).school_id == sister.id


@pytest.mark.parametrize(
    ("year", "stage"),
    [(0, "EYFS"), (1, "KS1"), (2, "KS1"), (3, "KS2"), (6, "KS2"), (7, "KS3"), (9, "KS3"), (10, "KS4"),
     (11, "KS4"), (12, "KS5")],
)  # fmt: skip
def test_key_stage_follows_the_english_year_groups(year, stage):
    assert key_stage(year) == stage
