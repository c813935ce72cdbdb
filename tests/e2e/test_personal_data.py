"""Personal data is pseudonymised before it leaves, and put back for the person who asked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from openai import OpenAI

from ai_gateway.database import transaction, utcnow
from ai_gateway.identity import service as identity
from dpia import service as register
from tests.e2e.conftest import Deployment
from tests.stub_upstream import StubUpstream

pytestmark = pytest.mark.e2e

NOTE = "Draft a note to Gareth Pemberton about Izzy's reading; his number is 07700 900321."


def teacher(deployment: Deployment) -> OpenAI:
    return OpenAI(base_url=deployment.base_url, api_key=deployment.keys["teacher"], max_retries=0)


def sent_text(stub: StubUpstream) -> str:
    return " ".join(str(m["content"]) for m in stub.received[-1]["messages"])


def test_provider_gets_placeholders_and_the_teacher_gets_real_names(deployment: Deployment, stub: StubUpstream):
    reply = teacher(deployment).chat.completions.create(model="stub", messages=[{"role": "user", "content": NOTE}])
    sent = sent_text(stub)
    for real in ("Gareth", "Pemberton", "Izzy", "07700", "900321"):
        assert real not in sent
    assert (
        re.search(r"\[PARENT_\d+\]", sent) and re.search(r"\[PUPIL_\d+\]", sent) and re.search(r"\[PHONE_\d+\]", sent)
    )
    answer = reply.choices[0].message.content
    assert answer.startswith(f"Echo: {NOTE}")
    assert reply.model_extra["aup"]["items_pseudonymised"] >= 3
    entry = deployment.school.log_entry(reply.model_extra["aup"]["request_id"])
    assert "Pemberton" not in str(entry.prompt) and "Pemberton" not in entry.reply


def test_streamed_answer_has_real_names_restored_across_chunks(deployment: Deployment, stub: StubUpstream):
    stream = teacher(deployment).chat.completions.create(
        model="stub", messages=[{"role": "user", "content": NOTE}], stream=True
    )
    answer = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert "Pemberton" not in sent_text(stub)
    assert answer.startswith(f"Echo: {NOTE}")


def test_the_same_child_keeps_the_same_placeholder_in_every_turn(deployment: Deployment, stub: StubUpstream):
    history = [
        {"role": "user", "content": "Jonah Whitcombe finished his phonics book."},
        {"role": "assistant", "content": "Well done to Jonah Whitcombe!"},
        {"role": "user", "content": "Suggest a next book for Jonah."},
    ]
    teacher(deployment).chat.completions.create(model="stub", messages=history)
    sent = [m["content"] for m in stub.received[-1]["messages"]]
    placeholders = [set(re.findall(r"\[PUPIL_\d+\]", text)) for text in sent]
    assert placeholders[0] and placeholders[0] == placeholders[1] == placeholders[2]
    assert all("Whitcombe" not in text for text in sent)


def test_public_figures_and_school_terms_reach_the_model_intact(deployment: Deployment, stub: StubUpstream):
    prompt = "Plan a Year 4 lesson on Florence Nightingale and Mary Seacole for Key Stage 2."
    teacher(deployment).chat.completions.create(model="stub", messages=[{"role": "user", "content": prompt}])
    assert sent_text(stub) == prompt


def test_a_dpia_decides_what_goes_in_clear_until_its_review_date(deployment: Deployment, stub: StubUpstream):
    school = deployment.school
    with transaction(school.sessions) as session:
        where = identity.get_school(session, school.settings.school.urn)
        tool = register.find_tool(session, where.id, "stub-dpia")
        dpo = identity.find_user(session, where, "dpo1")
        now = utcnow()
        register.create_dpia(session, tool, dpo, reference="DPIA-TEST-1", now=now, lawful_basis="public task",
                             risks="names reach the provider", mitigations="UK processing, no retention",
                             categories={"pupil_names": "in_clear", "contact_details": "pseudonymised"})  # fmt: skip
        register.submit_dpia(session, tool, dpo, now)
        register.approve_dpia(session, tool, dpo, now, review_by=now.date() + timedelta(days=30))
    prompt = "Izzy Pemberton's dad asked us to ring 07700 900321."
    teacher(deployment).chat.completions.create(model="stub-dpia", messages=[{"role": "user", "content": prompt}])
    sent = sent_text(stub)
    assert "Izzy Pemberton" in sent  # the DPIA allows pupil names in clear
    assert "07700" not in sent and re.search(r"\[PHONE_\d+\]", sent)  # contact details stay pseudonymised

    with transaction(school.sessions) as session:  # a month on: its review date has passed (no waiting in tests)
        where = identity.get_school(session, school.settings.school.urn)
        tool = register.find_tool(session, where.id, "stub-dpia")
        dpia = register.current_dpia(session, tool)
        dpia.review_by = utcnow().date() - timedelta(days=1)
    teacher(deployment).chat.completions.create(model="stub-dpia", messages=[{"role": "user", "content": prompt}])
    assert "Pemberton" not in sent_text(stub)
