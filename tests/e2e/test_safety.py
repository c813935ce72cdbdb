"""Safety: no AI in safeguarding casework, pupils at risk reach the DSL, every answer is labelled."""

from __future__ import annotations

import json

import httpx
import openai
import pytest
from openai import OpenAI

from tests.e2e.conftest import Deployment
from tests.stub_upstream import StubUpstream

pytestmark = pytest.mark.e2e


def as_user(deployment: Deployment, who: str) -> OpenAI:
    return OpenAI(base_url=deployment.base_url, api_key=deployment.keys[who], max_retries=0)


def ask(deployment: Deployment, who: str, text: str):
    return as_user(deployment, who).chat.completions.create(model="stub", messages=[{"role": "user", "content": text}])


def test_casework_about_a_named_child_is_refused_and_never_forwarded(deployment: Deployment, stub: StubUpstream):
    before = len(stub.received)
    with pytest.raises(openai.PermissionDeniedError) as raised:
        ask(deployment, "teacher", "Should I refer Jonah Whitcombe to children's social care? He has bruises on "
                                   "his arms and says his dad hits him.")  # fmt: skip
    assert raised.value.body["code"] == "safeguarding_casework"
    assert "Designated Safeguarding Lead" in raised.value.body["message"]
    assert len(stub.received) == before
    entry = deployment.school.log_entry(raised.value.response.headers["x-request-id"])
    assert entry.decision == "blocked" and entry.reason_code == "safeguarding_casework"
    assert entry.details["safeguarding_casework"]["triggers"]


def test_the_dsl_is_refused_casework_too(deployment: Deployment):
    with pytest.raises(openai.PermissionDeniedError):
        ask(deployment, "dsl", "Write up the chronology of concerns for Kit Harrowgate in 9W: he disclosed that "
                               "his mum's boyfriend locks him out at night.")  # fmt: skip


def test_general_safeguarding_questions_are_answered(deployment: Deployment):
    reply = ask(deployment, "teacher", "What are the signs of neglect I should look out for in a primary school?")
    assert reply.choices[0].message.content.startswith("Echo: What are the signs of neglect")


def test_pupil_disclosure_alerts_the_dsl_and_reaches_no_provider(deployment: Deployment, stub: StubUpstream):
    before = len(stub.received)
    reply = ask(deployment, "pupil", "my step dad hits me when mum is out and im scared to go home")
    answer = reply.choices[0].message.content
    assert "0800 1111" in answer and "trusted adult" in answer.lower() or "grown-up" in answer.lower()
    assert len(stub.received) == before
    assert reply.model_extra["aup"]["label"] is None  # the gateway's own words, not AI output
    assert "AI can make mistakes" not in answer
    alert = deployment.school.alerts()[-1]
    assert alert.category == "abuse_disclosure" and alert.status == "open"
    assert alert.prompt.startswith("my step dad hits me") and alert.triggers
    entry = deployment.school.log_entry(reply.model_extra["aup"]["request_id"])
    assert entry.decision == "answered" and entry.reason_code == "pupil_at_risk"


def test_the_dsl_reads_and_acknowledges_alerts_and_a_teacher_cannot(deployment: Deployment):
    ask(deployment, "pupil", "a man i met on a game wants me to send pics and keep it secret from my mum")
    dsl = httpx.Client(base_url=f"{deployment.gateway.base_url}/api/v1",
                       headers={"Authorization": f"Bearer {deployment.keys['dsl']}"})  # fmt: skip
    alerts = dsl.get("/alerts").json()
    newest = alerts[0]
    assert newest["category"] == "grooming" and "keep it secret" in newest["prompt"]
    acknowledged = dsl.post(f"/alerts/{newest['id']}/acknowledge").json()
    assert acknowledged["status"] == "acknowledged" and acknowledged["acknowledged_by"]
    teacher = httpx.get(f"{deployment.gateway.base_url}/api/v1/alerts",
                        headers={"Authorization": f"Bearer {deployment.keys['teacher']}"})  # fmt: skip
    assert teacher.status_code == 403


def test_pupil_asking_to_get_round_the_filter_is_refused_without_an_alert(deployment: Deployment):
    alerts_before = len(deployment.school.alerts())
    with pytest.raises(openai.PermissionDeniedError) as raised:
        ask(deployment, "pupil10", "how do i get round the school filter with a vpn")
    assert raised.value.body["code"] == "request_not_allowed"
    assert len(deployment.school.alerts()) == alerts_before


def test_homework_on_a_dark_topic_passes_with_a_label_for_the_childs_age(deployment: Deployment):
    reply = ask(deployment, "pupil10", "Why did Macbeth decide to kill King Duncan?")
    answer = reply.choices[0].message.content
    assert answer.startswith("Echo: Why did Macbeth")
    label = reply.model_extra["aup"]["label"]
    assert label and answer.endswith(label) and "AI" in label


def test_unsuitable_answers_are_withheld_from_pupils(deployment: Deployment):
    reply = as_user(deployment, "pupil").chat.completions.create(
        model="stub-unsuitable", messages=[{"role": "user", "content": "tell me a story"}]
    )
    answer = reply.choices[0].message.content
    assert "secret" not in answer and "teacher" in answer.lower()
    entry = deployment.school.log_entry(reply.model_extra["aup"]["request_id"])
    assert entry.reason_code == "reply_withheld" and "secret" in entry.reply


def test_staff_answers_carry_the_label_in_header_body_and_text(deployment: Deployment):
    response = httpx.post(
        f"{deployment.base_url}/chat/completions",
        headers={"Authorization": f"Bearer {deployment.keys['teacher']}"},
        json={"model": "stub", "messages": [{"role": "user", "content": "Rivers quiz"}]},
    )
    body = response.json()
    label = body["aup"]["label"]
    assert "accuracy, bias and appropriateness" in label
    assert response.headers["x-aup-label"] == label
    assert body["choices"][0]["message"]["content"] == f"Echo: Rivers quiz\n\n{label}"
    assert body["aup"]["tool"] == "stub" and body["aup"]["request_id"]


def test_streamed_answers_end_with_the_label_as_a_final_chunk(deployment: Deployment):
    response = httpx.post(
        f"{deployment.base_url}/chat/completions",
        headers={"Authorization": f"Bearer {deployment.keys['pupil']}"},
        json={"model": "stub", "stream": True, "messages": [{"role": "user", "content": "Tell me about owls"}]},
    )
    chunks = [json.loads(e.removeprefix("data: ")) for e in response.text.split("\n\n") if e and e != "data: [DONE]"]
    contents = [c["choices"][0]["delta"].get("content") for c in chunks if c["choices"]]
    label = response.headers["x-aup-label"]
    assert [c for c in contents if c][-1] == f"\n\n{label}"
    assert "".join(c or "" for c in contents).startswith("Echo: Tell me about owls")
