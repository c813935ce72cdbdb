"""A small made-up school for the redaction tests; spaCy loads once per session."""

import pytest

from redaction import RedactionEngine, RedactionSettings, Roster, RosterPerson


@pytest.fixture(scope="session")
def engine() -> RedactionEngine:
    return RedactionEngine(RedactionSettings())


@pytest.fixture(scope="session")
def roster() -> Roster:
    return Roster(
        people=[
            RosterPerson(kind="pupil", forenames=["Amelia", "Millie"], surname="Thorncroft"),
            RosterPerson(kind="pupil", forenames=["Hope"], surname="Lindqvist"),
            RosterPerson(kind="pupil", forenames=["Kit"], surname="Armitage-Vale"),
            RosterPerson(kind="pupil", forenames=["Michael"], surname="Owen"),
            RosterPerson(kind="pupil", forenames=["Bartosz"], surname="Wiśniewski"),
            RosterPerson(kind="pupil", forenames=["Grace"], surname="Field"),
            RosterPerson(kind="staff", forenames=["Rachel"], surname="Frost", title="Miss"),
            RosterPerson(kind="staff", forenames=["Desmond"], surname="Achterberg", title="Mr"),
            RosterPerson(kind="parent", forenames=["Ingrid"], surname="Lindqvist"),
            RosterPerson(kind="parent", forenames=["Bill"], surname="Thorncroft"),
        ]
    )


def redact(engine: RedactionEngine, roster: Roster, text: str) -> str:
    return engine.pseudonymise([text], roster).texts[0]
