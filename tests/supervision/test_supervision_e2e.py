"""Supervised sessions end to end: the gateway as a process, a recording stub provider, the openai SDK.

Pupils use AI only when a teacher says so: before, during and after a session; paused; limited.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import openai
import pytest
from openai import OpenAI

from ai_gateway.database import transaction, utcnow
from ai_gateway.identity import service as identity
from ai_gateway.identity.roles import Role
from dpia import service as register
from tests.conftest import postgres_database
from tests.harness import GatewayProcess, School, settings_for, stub_tools, write_config
from tests.stub_upstream import StubUpstream

pytestmark = pytest.mark.e2e

CLI = str(Path(sys.executable).parent / "aup-gateway")
INSTRUCTIONS = "Give hints and questions, never write the answer for them."

# username: role, year group, groups
PEOPLE = {
    "tmorgan": (Role.teacher, None, []),
    "rjones": (Role.teacher, None, []),
    "slt1": (Role.slt, None, []),
    "dsl1": (Role.dsl, None, []),
    "ada": (Role.pupil, 4, ["4B"]),
    "cara": (Role.pupil, 4, ["4C"]),
    "pia": (Role.pupil, 5, ["5P"]),
    "raj": (Role.pupil, 5, ["5R"]),
    "jo": (Role.pupil, 6, []),
    "kit": (Role.pupil, 9, ["9K"]),
    "lou": (Role.pupil, 8, ["8L"]),
}


@pytest.fixture(scope="module")
def stub() -> Iterator[StubUpstream]:
    server = StubUpstream().start()
    yield server
    server.stop()


@dataclass
class Gateway:
    school: School
    process: GatewayProcess
    keys: dict[str, str]

    def client(self, who: str) -> OpenAI:
        return OpenAI(base_url=self.process.base_url + "/v1", api_key=self.keys[who], max_retries=0)

    def ask(self, who: str, text: str, model: str = "stub"):
        return self.client(who).chat.completions.create(model=model, messages=[{"role": "user", "content": text}])

    def api(self, who: str) -> httpx.Client:
        return httpx.Client(base_url=self.process.base_url + "/api/v1", timeout=30,
                            headers={"Authorization": f"Bearer {self.keys[who]}"})  # fmt: skip

    def user_id(self, username: str) -> str:
        with self.school.sessions() as session:
            return identity.find_user(session, identity.get_school(session, self.school.school_id), username).id

    def open(self, who: str = "tmorgan", **body) -> dict:
        body = {"purpose": "Rivers: research questions", "tools": ["stub"], "learner_mode": False, **body}
        response = self.api(who).post("/sessions", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def refused(self, who: str, text: str = "What is a river delta?", model: str = "stub") -> dict:
        with pytest.raises(openai.APIStatusError) as raised:
            self.ask(who, text, model)
        return {"status": raised.value.status_code, **raised.value.body}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def gateway(request, tmp_path_factory, stub: StubUpstream) -> Iterator[Gateway]:
    tmp = tmp_path_factory.mktemp("supervision")
    urls: Iterator[str] = iter([f"sqlite:///{tmp}/gateway.db"]) if request.param == "sqlite" else postgres_database()
    config = write_config(tmp / "gateway.yaml", next(urls), stub_tools(stub))
    school = School(settings_for(config))
    keys = {}
    with transaction(school.sessions) as session:
        where = identity.get_school(session, school.settings.school.urn)
        for username, (role, year, groups) in PEOPLE.items():
            user = identity.create_user(session, where, username, username.title(), role, year, groups=groups)
            keys[username] = identity.issue_key(session, user).secret
        for tool in register.list_tools(session, where.id):
            register.approve_for_everyone(session, tool, identity.find_user(session, where, "slt1"),
                                          risk_assessment_reference="RA-TEST", now=utcnow())  # fmt: skip
    process = GatewayProcess(config).start()
    try:
        yield Gateway(school, process, keys)
    finally:
        process.stop()
        school.close()
        for _ in urls:  # drop the PostgreSQL database
            pass


def test_a_pupil_is_refused_before_the_session_served_during_it_and_refused_after_it_ends(
    gateway: Gateway, stub: StubUpstream
):
    before = gateway.refused("ada")
    assert before["status"] == 403 and before["code"] == "no_supervised_session"
    assert "teacher" in before["message"] and len(before["message"]) < 200

    opened = gateway.open(groups=["4B"], instructions=INSTRUCTIONS, learner_mode=True)
    assert opened["state"] == "active" and len(opened["join_code"]) == 6
    first = gateway.ask("ada", "What is a river delta?")
    sent = stub.received[-1]["messages"]
    assert sent[0]["role"] == "system" and INSTRUCTIONS in sent[0]["content"]
    assert "hints" in sent[0]["content"].lower()  # learner mode: hints and questions, not finished answers
    assert sent[-1] == {"role": "user", "content": "What is a river delta?"}
    entry = gateway.school.log_entry(first.model_extra["aup"]["request_id"])
    assert entry.supervised_session_id == opened["id"]
    assert entry.details["supervision"]["teacher_id"] == gateway.user_id("tmorgan")

    assert gateway.api("tmorgan").post(f"/sessions/{opened['id']}/end").json()["state"] == "ended"
    after = gateway.refused("ada")
    assert after["status"] == 403 and after["code"] == "no_supervised_session"


def test_the_first_answer_in_a_session_tells_the_pupil_their_teacher_can_see(gateway: Gateway):
    gateway.open(groups=["9K"])
    first = gateway.ask("kit", "Why did the Romans build roads?")
    second = gateway.ask("kit", "And aqueducts?")
    notice = "seen by your teacher and monitored by the school"
    assert notice in first.choices[0].message.content and notice in first.model_extra["aup"]["label"]
    assert notice not in second.choices[0].message.content
    assert second.choices[0].message.content.startswith("Echo: And aqueducts?")


def test_a_pupil_from_another_class_and_a_tool_not_chosen_are_refused(gateway: Gateway, stub: StubUpstream):
    gateway.open(groups=["4B"])
    before = len(stub.received)
    assert gateway.refused("cara")["code"] == "no_supervised_session"
    other_tool = gateway.refused("ada", model="stub-slow")
    assert other_tool["status"] == 403 and other_tool["code"] == "tool_not_in_session"
    assert "teacher" in other_tool["message"]
    assert len(stub.received) == before


def test_the_teacher_pauses_one_pupil_then_the_whole_session(gateway: Gateway):
    opened = gateway.open(groups=["5P"])
    teacher = gateway.api("tmorgan")
    assert teacher.post(f"/sessions/{opened['id']}/pupils/pia/pause").json()["paused"] is True
    paused = gateway.refused("pia")
    assert paused["status"] == 403 and paused["code"] == "session_paused" and "paused" in paused["message"]
    teacher.post(f"/sessions/{opened['id']}/pupils/pia/resume")
    assert gateway.ask("pia", "Name a river in Wales").choices[0].message.content.startswith("Echo:")
    assert teacher.post(f"/sessions/{opened['id']}/pause").json()["state"] == "paused"
    assert gateway.refused("pia")["code"] == "session_paused"
    # Another teacher cannot run this session.
    assert gateway.api("rjones").post(f"/sessions/{opened['id']}/resume").status_code == 403


def test_a_pupil_over_the_rate_is_told_to_wait_in_openais_format(gateway: Gateway):
    gateway.open(groups=["5R"], rate_per_minute=2)
    gateway.ask("raj", "one")
    gateway.ask("raj", "two")
    with pytest.raises(openai.RateLimitError) as raised:
        gateway.ask("raj", "three")
    assert raised.value.status_code == 429
    assert raised.value.body["code"] == "rate_limited" and "minute" in raised.value.body["message"]


def test_a_pupil_joins_with_the_code_and_the_teacher_sees_their_prompts(gateway: Gateway):
    opened = gateway.open(groups=[])
    assert gateway.refused("jo")["code"] == "no_supervised_session"
    joined = gateway.api("jo").post("/sessions/join", json={"code": opened["join_code"].lower()})
    assert joined.status_code == 200 and joined.json()["id"] == opened["id"]
    gateway.ask("jo", "Just give me the answers to the rivers worksheet")
    gateway.ask("jo", "What does erosion mean?")
    view = gateway.api("tmorgan").get(f"/sessions/{opened['id']}").json()
    (jo,) = view["pupils"]
    assert jo["username"] == "jo" and jo["answered"] == 2 and jo["whole_task_requests"] == 1
    assert [r["prompt"] for r in view["requests"]] == ["Just give me the answers to the rivers worksheet",
                                                       "What does erosion mean?"]  # fmt: skip
    assert view["requests"][1]["reply"].startswith("Echo: What does erosion mean?")
    assert gateway.api("rjones").get(f"/sessions/{opened['id']}").status_code == 403
    assert gateway.api("jo").post("/sessions", json={"purpose": "x", "tools": ["stub"]}).status_code == 403


def test_a_disclosure_in_a_session_reaches_the_dsl_with_the_session_and_teacher(gateway: Gateway):
    opened = gateway.open(groups=["8L"])
    gateway.ask("lou", "my step dad hits me when mum is out and im scared to go home")
    alert = gateway.school.alerts()[-1]
    assert alert.supervised_session_id == opened["id"] and alert.teacher_id == gateway.user_id("tmorgan")
    view = gateway.api("tmorgan").get(f"/sessions/{opened['id']}").json()
    assert [a["category"] for a in view["dsl_alerts"]] == [alert.category]
    assert "step dad" not in json.dumps(view)


def test_the_cli_opens_shows_and_runs_a_session_as_the_teacher(gateway: Gateway):
    config = str(gateway.process.config)

    def run(*args: str) -> dict:
        result = subprocess.run([CLI, "sessions", *args, "--config", config, "--json"], capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads(result.stdout)

    opened = run("open", "--as", "rjones", "--purpose", "Poetry: similes", "--tool", "stub", "--group", "4C",
                 "--instructions", INSTRUCTIONS, "--minutes", "30")  # fmt: skip
    assert opened["instructions"] == INSTRUCTIONS and opened["groups"] == ["4C"]
    assert gateway.ask("cara", "A simile for the sea").choices[0].message.content
    assert run("pause-pupil", opened["id"], "cara", "--as", "rjones")["paused"] is True
    assert gateway.refused("cara")["code"] == "session_paused"
    lifted = run("lift-stop", opened["id"], "cara", "--as", "rjones", "--reason", "Extra time agreed")
    assert lifted["time_limit_lifts"][-1]["reason"] == "Extra time agreed"
    view = run("show", opened["id"], "--as", "rjones")
    assert view["pupils"][0]["username"] == "cara" and view["pupils"][0]["paused"] is True
    refused = subprocess.run([CLI, "sessions", "end", opened["id"], "--as", "tmorgan", "--config", config, "--json"],
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert refused.returncode == 1 and "teacher who opened" in json.loads(refused.stdout)["error"]
