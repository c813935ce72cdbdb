"""A gateway process per database backend, a stub provider behind it, people with keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from ai_gateway.database import transaction, utcnow
from ai_gateway.identity import service as identity
from ai_gateway.identity.roles import Role
from ai_gateway.supervision import service as supervision
from dpia import service as register
from tests.conftest import postgres_database
from tests.harness import MIS_EXPORT, GatewayProcess, School, settings_for, stub_tool, stub_tools, write_config
from tests.stub_upstream import StubUpstream


@pytest.fixture(scope="session")
def stub() -> Iterator[StubUpstream]:
    server = StubUpstream().start()
    yield server
    server.stop()


@dataclass
class Deployment:
    school: School
    gateway: GatewayProcess
    keys: dict[str, str]

    @property
    def base_url(self) -> str:
        return self.gateway.base_url + "/v1"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def deployment(request, tmp_path_factory, stub: StubUpstream) -> Iterator[Deployment]:
    tmp = tmp_path_factory.mktemp("gateway")
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp}/gateway.db"])
    else:
        urls = postgres_database()
    url = next(urls)
    # `stub-dpia` is the plain stub under a second name, for the DPIA tests to change alone.
    tools = [*stub_tools(stub), stub_tool(stub.base_url, "stub-dpia")]
    config = write_config(tmp / "gateway.yaml", url, tools)
    school = School(settings_for(config))
    school.import_roster(MIS_EXPORT)
    keys = {
        "teacher": school.person("teacher1", Role.teacher),
        "admin": school.person("admin1", Role.it_admin),
        "slt": school.person("slt1", Role.slt),
        "dpo": school.person("dpo1", Role.dpo),
        "dsl": school.person("dsl1", Role.dsl),
        "pupil": school.person("pupil4", Role.pupil, year_group=4),
        "pupil10": school.person("pupil10", Role.pupil, year_group=10),
    }
    with transaction(school.sessions) as session:
        where = identity.get_school(session, school.settings.school.urn)
        for tool in register.list_tools(session, where.id):
            register.approve_for_everyone(
                session,
                tool,
                identity.find_user(session, where, "slt1"),
                risk_assessment_reference="RA-TEST",
                now=utcnow(),
            )
        # Pupils use AI only in a supervised session: one for the whole module, answers left as the stub gives them.
        day = supervision.MAX_MINUTES
        supervision.open_session(
            session, identity.find_user(session, where, "teacher1"), purpose="End-to-end tests",
            pupils=["pupil4", "pupil10"], tools=[t.name for t in register.list_tools(session, where.id)],
            minutes=day, learner_mode=False,
            rate_per_minute=10_000, token_budget=10**9, advisory_minutes=day - 1, hard_stop_minutes=day,
            settings=school.settings.supervision, now=utcnow(),
        )  # fmt: skip
    gateway = GatewayProcess(config).start()
    try:
        yield Deployment(school, gateway, keys)
    finally:
        gateway.stop()
        school.close()
        for _ in urls:  # drop the PostgreSQL database
            pass
