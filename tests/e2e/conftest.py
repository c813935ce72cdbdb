"""A gateway process per database backend, a stub provider behind it, people with keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from ai_gateway.identity.roles import Role
from tests.conftest import postgres_database
from tests.harness import GatewayProcess, School, settings_for, stub_tool, write_config
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
    config = write_config(tmp / "gateway.yaml", url, [stub_tool(stub.base_url)])
    school = School(settings_for(config))
    keys = {
        "teacher": school.person("teacher1", Role.teacher),
        "admin": school.person("admin1", Role.it_admin),
        "slt": school.person("slt1", Role.slt),
    }
    gateway = GatewayProcess(config).start()
    try:
        yield Deployment(school, gateway, keys)
    finally:
        gateway.stop()
        school.close()
        for _ in urls:  # drop the PostgreSQL database
            pass
