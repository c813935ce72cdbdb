"""The gateway over real HTTP, with the official openai SDK as the client."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import httpx
import openai
import pytest
from openai import OpenAI
from sqlalchemy import text

from ai_gateway.database import transaction, utcnow
from ai_gateway.identity import service as identity
from tests.e2e.conftest import Deployment
from tests.stub_upstream import StubUpstream

pytestmark = pytest.mark.e2e


def client(deployment: Deployment, key: str | None = None) -> OpenAI:
    return OpenAI(base_url=deployment.base_url, api_key=key or deployment.keys["teacher"], max_retries=0)


def without_label(answer: str) -> str:
    """The answer without the label line the gateway appends (tested in test_safety)."""
    return answer.split("\n\n")[0]


def wait_for(predicate, timeout: float = 10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_teacher_gets_an_answer_and_the_request_is_logged(deployment: Deployment, stub: StubUpstream):
    reply = client(deployment).chat.completions.create(
        model="stub", messages=[{"role": "user", "content": "Three facts about volcanoes"}]
    )
    assert without_label(reply.choices[0].message.content) == "Echo: Three facts about volcanoes"
    assert reply.model == "stub"
    assert stub.received[-1]["messages"][-1]["content"] == "Three facts about volcanoes"

    entry = deployment.school.log_entry(reply.model_extra["aup"]["request_id"])
    assert entry.decision == "allowed" and entry.status_code == 200
    assert entry.role == "teacher" and entry.tool == "stub" and entry.purpose == "lesson_planning"
    assert entry.prompt[-1]["content"] == "Three facts about volcanoes"
    assert entry.reply == "Echo: Three facts about volcanoes"
    assert entry.prompt_tokens and entry.completion_tokens
    assert entry.latency_ms is not None and entry.completed_at is not None


def test_streamed_answer_arrives_in_order_and_is_logged_when_it_ends(deployment: Deployment):
    stream = client(deployment).chat.completions.create(
        model="stub", messages=[{"role": "user", "content": "Name the planets"}], stream=True,
        stream_options={"include_usage": True},
    )  # fmt: skip
    chunks = list(stream)
    text_ = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert without_label(text_) == "Echo: Name the planets"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens > 0
    request_id = chunks[0].id.removeprefix("chatcmpl-")

    entry = wait_for(lambda: (e := deployment.school.log_entry(request_id)) and e.completed_at and e)
    assert entry.stream and entry.decision == "allowed"
    assert entry.reply == "Echo: Name the planets"
    assert entry.client_disconnected is False


def test_stream_is_server_sent_events_as_openai_sends_them(deployment: Deployment):
    response = httpx.post(
        f"{deployment.base_url}/chat/completions",
        headers={"Authorization": f"Bearer {deployment.keys['teacher']}"},
        json={"model": "stub", "stream": True, "messages": [{"role": "user", "content": "hi"}]},
    )
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [line for line in response.text.split("\n\n") if line]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]"
    first = json.loads(events[0].removeprefix("data: "))
    assert first["object"] == "chat.completion.chunk" and first["choices"][0]["delta"]["role"] == "assistant"


def test_client_that_disconnects_mid_stream_is_still_logged(deployment: Deployment):
    with httpx.stream(
        "POST", f"{deployment.base_url}/chat/completions",
        headers={"Authorization": f"Bearer {deployment.keys['teacher']}"},
        json={"model": "stub-slow", "stream": True, "messages": [{"role": "user", "content": "story"}]},
    ) as response:  # fmt: skip
        request_id = response.headers["x-request-id"]
        lines = response.iter_lines()
        for _ in range(6):
            next(lines)
    entry = wait_for(lambda: (e := deployment.school.log_entry(request_id)) and e.completed_at and e, 15)
    assert entry.client_disconnected is True
    assert entry.reply.startswith("part 0 ")


def test_unknown_key_is_refused_with_401_in_openai_format(deployment: Deployment):
    with pytest.raises(openai.AuthenticationError) as raised:
        client(deployment, "aup-not-a-real-key").chat.completions.create(
            model="stub", messages=[{"role": "user", "content": "hi"}]
        )
    assert raised.value.status_code == 401
    assert raised.value.body["code"] == "invalid_api_key"
    assert "not recognised" in raised.value.body["message"]


def test_expired_and_revoked_keys_are_refused(deployment: Deployment):
    school = deployment.school
    with transaction(school.sessions) as session:
        where = identity.get_school(session, school.settings.school.urn)
        user = identity.find_user(session, where, "teacher1")
        expired = identity.issue_key(session, user, expires_in_days=1, now=utcnow() - timedelta(days=2)).secret
        revoked = identity.issue_key(session, user)
        identity.revoke_key(session, revoked.key)
    for key in (expired, revoked.secret):
        with pytest.raises(openai.AuthenticationError) as raised:
            client(deployment, key).chat.completions.create(model="stub", messages=[{"role": "user", "content": "x"}])
        assert raised.value.body["code"] == "invalid_api_key"


def test_unknown_tool_is_404_and_nothing_reaches_a_provider(deployment: Deployment, stub: StubUpstream):
    before = len(stub.received)
    with pytest.raises(openai.NotFoundError) as raised:
        client(deployment).chat.completions.create(model="gpt-9", messages=[{"role": "user", "content": "hi"}])
    assert raised.value.body["code"] == "model_not_found"
    assert "gpt-9" in raised.value.body["message"]
    assert len(stub.received) == before


def test_malformed_bodies_are_400_in_openai_format(deployment: Deployment):
    headers = {"Authorization": f"Bearer {deployment.keys['teacher']}", "Content-Type": "application/json"}
    url = f"{deployment.base_url}/chat/completions"
    not_json = httpx.post(url, headers=headers, content=b"{not json")
    no_messages = httpx.post(url, headers=headers, json={"model": "stub"})
    bad_role = httpx.post(url, headers=headers, json={"model": "stub", "messages": [{"role": "robot", "content": "x"}]})
    for response in (not_json, no_messages, bad_role):
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error" and error["code"] == "invalid_request"
    assert "messages" in no_messages.json()["error"]["message"]


def test_refusals_are_logged_too(deployment: Deployment):
    with pytest.raises(openai.NotFoundError) as raised:
        client(deployment).chat.completions.create(model="nothing-here", messages=[{"role": "user", "content": "x"}])
    request_id = raised.value.response.headers["x-request-id"]
    entry = deployment.school.log_entry(request_id)
    assert entry.decision == "blocked" and entry.reason_code == "model_not_found" and entry.status_code == 404


def test_provider_failure_is_502_and_timeout_is_504(deployment: Deployment):
    with pytest.raises(openai.APIStatusError) as failed:
        client(deployment).chat.completions.create(model="stub-fail", messages=[{"role": "user", "content": "now"}])
    assert failed.value.status_code == 502 and failed.value.body["code"] == "upstream_error"
    with pytest.raises(openai.APIStatusError) as slow:
        client(deployment).chat.completions.create(model="stub-hang", messages=[{"role": "user", "content": "on"}])
    assert slow.value.status_code == 504 and slow.value.body["code"] == "upstream_timeout"
    failed_entries = [e for e in deployment.school.log_entries() if e.decision == "failed"]
    assert {e.reason_code for e in failed_entries} >= {"upstream_error", "upstream_timeout"}


def test_tool_call_arguments_come_back_to_the_client(deployment: Deployment):
    reply = client(deployment).chat.completions.create(
        model="stub-toolcall", messages=[{"role": "user", "content": "remember this"}],
        tools=[{"type": "function", "function": {"name": "save_note", "parameters": {"type": "object"}}}],
    )  # fmt: skip
    call = reply.choices[0].message.tool_calls[0]
    assert call.function.name == "save_note"
    assert json.loads(call.function.arguments) == {"note": "remember this"}


def test_models_lists_the_schools_tools(deployment: Deployment):
    assert "stub" in [m.id for m in client(deployment).models.list()]


def test_nothing_is_served_when_the_log_cannot_be_written(deployment: Deployment, stub: StubUpstream):
    before = len(stub.received)
    with deployment.school.engine.begin() as connection:
        connection.execute(text("ALTER TABLE request_log RENAME TO request_log_away"))
    try:
        with pytest.raises(openai.APIStatusError) as raised:
            client(deployment).chat.completions.create(model="stub", messages=[{"role": "user", "content": "hi"}])
        with pytest.raises(openai.APIStatusError) as raised_stream:
            list(
                client(deployment).chat.completions.create(
                    model="stub", messages=[{"role": "user", "content": "hi"}], stream=True
                )
            )
    finally:
        with deployment.school.engine.begin() as connection:
            connection.execute(text("ALTER TABLE request_log_away RENAME TO request_log"))
    assert raised.value.status_code == 503 and raised.value.body["code"] == "log_unavailable"
    assert raised_stream.value.status_code == 503
    assert len(stub.received) == before  # no prompt left the school unlogged


def test_health_and_readiness(deployment: Deployment):
    assert httpx.get(f"{deployment.gateway.base_url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{deployment.gateway.base_url}/readyz").json() == {"status": "ready"}


def test_logs_are_json_lines_without_api_keys(deployment: Deployment):
    output = deployment.gateway.output()
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines and all(json.loads(line)["level"] for line in lines)
    assert all(key not in output for key in deployment.keys.values())
    assert "sk-stub-test" not in output
