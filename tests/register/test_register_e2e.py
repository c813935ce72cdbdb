"""The register enforced on every request: a real gateway process, a stub provider, the openai SDK as client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import openai
import pytest
from openai import OpenAI

from ai_gateway.database import transaction, utcnow
from ai_gateway.identity import service as identity
from ai_gateway.identity.roles import Role
from dpia import service as register
from tests.conftest import postgres_database
from tests.harness import GatewayProcess, School, settings_for, stub_tool, write_config
from tests.stub_upstream import StubUpstream

pytestmark = pytest.mark.e2e

TOOLS = ("approved", "unapproved", "lapsed", "withdrawn", "pupils")


@dataclass
class Gateway:
    school: School
    process: GatewayProcess
    keys: dict[str, str]

    def client(self, who: str = "teacher") -> OpenAI:
        return OpenAI(base_url=self.process.base_url + "/v1", api_key=self.keys[who], max_retries=0)

    def api(self, who: str) -> httpx.Client:
        return httpx.Client(base_url=self.process.base_url + "/api/v1",
                            headers={"Authorization": f"Bearer {self.keys[who]}"})  # fmt: skip

    def approve(self, tool: str, now=None, **scope) -> str:
        """Record an SLT approval in the database, as `aup-gateway approvals add` would."""
        now = now or utcnow()
        fields = {"risk_assessment_reference": f"RA-{tool}", "roles": ["teacher"], "purposes": ["lesson_planning"],
                  "review_by": now.date() + timedelta(days=365), **scope}  # fmt: skip
        with transaction(self.school.sessions) as session:
            where = identity.get_school(session, self.school.settings.school.urn)
            slt = identity.find_user(session, where, "slt1")
            found = register.find_tool(session, where.id, tool)
            return register.record_approval(session, found, slt, now=now, **fields).id


@pytest.fixture(scope="module")
def stub() -> Iterator[StubUpstream]:
    server = StubUpstream().start()
    yield server
    server.stop()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def gateway(request, tmp_path_factory, stub: StubUpstream) -> Iterator[Gateway]:
    tmp = tmp_path_factory.mktemp("register")
    urls: Iterator[str] = iter([f"sqlite:///{tmp}/gateway.db"]) if request.param == "sqlite" else postgres_database()
    url = next(urls)
    config = write_config(tmp / "gateway.yaml", url, [stub_tool(stub.base_url, name) for name in TOOLS],
                          pipeline={"checks": ["purpose", "approval"]})  # fmt: skip
    school = School(settings_for(config))
    keys = {"teacher": school.person("teacher1", Role.teacher), "slt": school.person("slt1", Role.slt),
            "pupil": school.person("pupil1", Role.pupil, year_group=5)}  # fmt: skip
    gw = Gateway(school, GatewayProcess(config), keys)
    gw.approve("approved")
    gw.approve("pupils", roles=["teacher", "pupil"], key_stages=["KS2"], purposes=["lesson_planning", "classroom_use"])
    # Approved sixty days ago, due for review yesterday: lapsed without anyone touching it.
    gw.approve("lapsed", now=utcnow() - timedelta(days=60), review_by=utcnow().date() - timedelta(days=1))
    gw.approve("withdrawn")
    gw.process.start()
    try:
        yield gw
    finally:
        gw.process.stop()
        school.close()
        for _ in urls:
            pass


def ask(gateway: Gateway, tool: str, who: str = "teacher", **extra):
    return gateway.client(who).chat.completions.create(
        model=tool, messages=[{"role": "user", "content": "Three questions about rivers"}], **extra
    )


def test_an_unapproved_tool_is_refused_with_403_and_nothing_reaches_the_provider(gateway: Gateway, stub):
    before = len(stub.received)
    with pytest.raises(openai.PermissionDeniedError) as refused:
        ask(gateway, "unapproved")
    assert refused.value.status_code == 403
    assert refused.value.body["code"] == "tool_not_approved"
    assert "Ask your senior leadership team" in refused.value.body["message"]
    assert len(stub.received) == before
    entry = gateway.school.log_entry(refused.value.response.headers["x-request-id"])
    assert entry.decision == "blocked" and entry.reason_code == "tool_not_approved"


def test_an_approved_tool_answers_and_the_answer_names_its_approval(gateway: Gateway):
    reply = ask(gateway, "approved")
    assert reply.choices[0].message.content.startswith("Echo: Three questions about rivers")
    assert reply.model_extra["aup"]["approval_reference"] == "RA-approved"


def test_a_purpose_the_approval_does_not_cover_is_refused_as_out_of_scope(gateway: Gateway):
    with pytest.raises(openai.PermissionDeniedError) as refused:
        ask(gateway, "approved", extra_body={"purpose": "administration"})
    assert refused.value.body["code"] == "approval_out_of_scope"
    assert "lesson_planning" in refused.value.body["message"]


def test_an_approval_past_its_review_date_lapses_and_refuses_with_approval_expired(gateway: Gateway):
    with pytest.raises(openai.PermissionDeniedError) as refused:
        ask(gateway, "lapsed")
    assert refused.value.body["code"] == "approval_expired"
    assert "review" in refused.value.body["message"] and "senior leadership team" in refused.value.body["message"]


def test_a_pupil_is_refused_in_words_a_child_can_act_on(gateway: Gateway):
    with pytest.raises(openai.PermissionDeniedError) as refused:
        ask(gateway, "approved", who="pupil")
    assert refused.value.body["code"] == "approval_out_of_scope"
    assert refused.value.body["message"] == "This AI tool isn't switched on for your class yet. Ask your teacher."
    assert ask(gateway, "pupils", who="pupil").choices[0].message.content.startswith("Echo:")


def test_slt_withdraws_an_approval_through_the_api_and_the_tool_stops_at_once(gateway: Gateway):
    assert ask(gateway, "withdrawn").choices[0].message.content.startswith("Echo:")
    slt = gateway.api("slt")
    [approval] = slt.get("/approvals", params={"tool": "withdrawn"}).json()
    withdrawn = slt.post(f"/approvals/{approval['id']}/withdraw", json={"reason": "Provider now trains on prompts"})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    with pytest.raises(openai.PermissionDeniedError) as refused:
        ask(gateway, "withdrawn")
    assert refused.value.body["code"] == "tool_not_approved"
    teacher = gateway.api("teacher").post(f"/approvals/{approval['id']}/withdraw", json={"reason": "x"})
    assert teacher.status_code == 403 and teacher.json()["error"]["code"] == "role_not_permitted"


def test_models_lists_only_the_tools_this_person_may_use_now(gateway: Gateway):
    assert sorted(m.id for m in gateway.client("teacher").models.list()) == ["approved", "pupils"]
    assert [m.id for m in gateway.client("pupil").models.list()] == ["pupils"]
