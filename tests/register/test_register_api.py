"""The register's REST API, in-process with the gateway's clock set: roles, the DPIA workflow, views, errors."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from datetime import timedelta

import pytest

from ai_gateway.config import Settings
from ai_gateway.database import transaction
from ai_gateway.identity import service as identity
from ai_gateway.identity.roles import Role
from tests.register.conftest import NOW, days

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def api(database_url: str) -> Iterator[tuple[dict[str, TestClient], Clock]]:
    from ai_gateway.app import create_app
    from ai_gateway.runtime import build_runtime, ensure_school

    clock = Clock()
    settings = Settings(
        database={"url": database_url},
        school={"name": "API Academy", "urn": "900300"},
        tools=[{"name": "chatbot", "litellm_model": "openai/gpt-4o-mini", "data_location": "US"}],
    )
    runtime = build_runtime(settings, clock=clock, with_redaction=False)
    ensure_school(runtime)
    keys = {}
    with transaction(runtime.sessions) as session:
        school = identity.get_school(session, "900300")
        for username, role, year in [
            ("slt", Role.slt, None),
            ("dpo", Role.dpo, None),
            ("teacher", Role.teacher, None),
            ("admin", Role.it_admin, None),
            ("pupil", Role.pupil, 3),
        ]:
            user = identity.create_user(session, school, username, username.title(), role, year)
            keys[username] = identity.issue_key(session, user).secret
    app = create_app(runtime)
    clients = {who: TestClient(app, base_url="http://gateway/api/v1", headers={"Authorization": f"Bearer {key}"})
               for who, key in keys.items()}  # fmt: skip
    yield clients, clock
    runtime.engine.dispose()


APPROVAL = {"tool": "chatbot", "risk_assessment_reference": "RA-2026-07", "risk_assessment_summary": "Low risk",
            "roles": ["teacher"], "purposes": ["lesson_planning"], "review_by": str(days(30))}  # fmt: skip
DPIA = {"tool": "chatbot", "reference": "DPIA-2026-03", "categories": {"pupil_names": "pseudonymised"},
        "lawful_basis": "Public task", "risks": "Names leave the school", "mitigations": "Pseudonymised",
        "review_by": str(days(365))}  # fmt: skip


def error(response) -> str:
    return response.json()["error"]["code"]


def test_slt_records_an_approval_and_anyone_can_check_it_the_way_the_gateway_does(api):
    clients, _ = api
    created = clients["slt"].post("/approvals", json=APPROVAL)
    assert created.status_code == 201 and created.json()["state"] == "in_force"
    assert created.json()["approved_by"] == "Slt (slt)"
    check = clients["dpo"].get("/approvals/check", params={"tool": "chatbot", "username": "teacher",
                                                           "purpose": "lesson_planning"}).json()  # fmt: skip
    assert check["allowed"] and check["approval_reference"] == "RA-2026-07"
    pupil = clients["dpo"].get("/approvals/check", params={"tool": "chatbot", "username": "pupil"}).json()
    assert not pupil["allowed"] and pupil["message"].startswith("This AI tool isn't switched on for your class")


def test_only_slt_may_approve_and_bad_scopes_are_400(api):
    clients, _ = api
    assert error(clients["dpo"].post("/approvals", json=APPROVAL)) == "role_not_permitted"
    assert clients["teacher"].post("/approvals", json=APPROVAL).status_code == 403
    bad = clients["slt"].post("/approvals", json={**APPROVAL, "roles": ["pupil"]})
    assert bad.status_code == 400 and "key stages" in bad.json()["error"]["message"]
    unknown = clients["slt"].post("/approvals", json={**APPROVAL, "purposes": ["gossip"]})
    assert unknown.status_code == 400 and "lesson_planning" in unknown.json()["error"]["message"]
    assert error(clients["slt"].post("/approvals", json={**APPROVAL, "tool": "nope"})) == "not_found"


def test_the_dpia_workflow_through_the_api_with_versions_and_dpo_sign_off(api):
    clients, _ = api
    assert clients["admin"].post("/dpias", json=DPIA).status_code == 201
    assert error(clients["admin"].post("/dpias", json=DPIA)) == "already_exists"
    changed = clients["dpo"].patch("/dpias/chatbot", json={"categories": ["pupil_names", "staff_names"],
                                                          "note": "staff names too"})  # fmt: skip
    assert changed.json()["version"] == 2 and changed.json()["status"] == "draft"
    assert error(clients["dpo"].post("/dpias/chatbot/approve")) == "invalid_status"
    assert clients["admin"].post("/dpias/chatbot/submit").json()["status"] == "submitted"
    assert error(clients["slt"].post("/dpias/chatbot/approve")) == "role_not_permitted"
    signed = clients["dpo"].post("/dpias/chatbot/approve", json={"note": "ok"})
    assert signed.status_code == 200 and signed.json()["in_force"] and signed.json()["decided_by"] == "Dpo (dpo)"
    history = clients["slt"].get("/dpias/chatbot/history").json()
    assert [(d["version"], d["status"], d["in_force"]) for d in history] == [
        (1, "draft", False), (2, "draft", False), (3, "submitted", False), (4, "approved", True)]  # fmt: skip
    assert history[0]["categories"] == {"pupil_names": "pseudonymised"}


def test_a_dpia_covering_safeguarding_is_refused_with_its_own_code(api):
    clients, _ = api
    refused = clients["dpo"].post("/dpias", json={**DPIA, "categories": {"safeguarding": "pseudonymised"}})
    assert refused.status_code == 400 and error(refused) == "safeguarding_not_coverable"
    assert "safeguarding" in refused.json()["error"]["message"]


def test_reviews_due_lists_what_lapses_soon_and_what_already_lapsed(api):
    clients, clock = api
    clients["slt"].post("/approvals", json=APPROVAL)
    assert clients["dpo"].get("/register/reviews-due", params={"days": 7}).json() == []
    [due] = clients["dpo"].get("/register/reviews-due", params={"days": 30}).json()
    assert due["kind"] == "approval" and due["days_left"] == 30 and due["ask"] == "the senior leadership team"
    clock.now = NOW + timedelta(days=31)
    [overdue] = clients["slt"].get("/register/reviews-due", params={"days": 0}).json()
    assert overdue["days_left"] == -1
    assert clients["teacher"].get("/register/reviews-due").status_code == 403


def test_the_register_exports_as_json_and_csv_for_the_dpo(api):
    clients, _ = api
    clients["slt"].post("/approvals", json=APPROVAL)
    clients["dpo"].post("/dpias", json=DPIA)
    document = clients["dpo"].get("/register/export").json()
    [tool] = document["tools"]
    assert tool["name"] == "chatbot" and tool["approvals"][0]["risk_assessment_reference"] == "RA-2026-07"
    assert tool["dpia"]["current"]["status"] == "draft" and tool["dpia"]["in_force_version"] is None
    response = clients["dpo"].get("/register/export", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert row["tool"] == "chatbot" and row["approval_status"] == "in_force" and row["dpia_status"] == "draft"
    assert row["approved_purposes"] == "lesson_planning" and row["dpia_in_force"] == "False"


def test_the_change_log_shows_who_changed_what_with_before_and_after(api):
    clients, _ = api
    approval = clients["slt"].post("/approvals", json=APPROVAL).json()
    clients["slt"].post(f"/approvals/{approval['id']}/withdraw", json={"reason": "superseded"})
    changes = clients["dpo"].get("/register/changes", params={"entity": "approval"}).json()
    assert [(c["actor"], c["action"]) for c in changes] == [("slt", "withdrawn"), ("slt", "approved")]
    assert changes[0]["before"]["withdrawn_at"] is None and changes[0]["after"]["withdrawal_reason"] == "superseded"
    assert clients["admin"].get("/register/changes").status_code == 403


def test_it_admin_changes_a_tool_entry_and_the_old_values_are_kept(api):
    clients, _ = api
    changed = clients["admin"].patch("/register/tools/chatbot", json={"trains_on_prompts": True, "owner": "IT"})
    assert changed.status_code == 200 and changed.json()["trains_on_prompts"] is True
    assert error(clients["slt"].patch("/register/tools/chatbot", json={"owner": "x"})) == "role_not_permitted"
    [change] = clients["dpo"].get("/register/changes", params={"entity": "tool", "limit": 1}).json()
    assert change["before"]["trains_on_prompts"] is False and change["after"]["owner"] == "IT"
