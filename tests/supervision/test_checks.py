"""The pipeline checks on a real database with the clock injected: session, time limits, whole-task requests."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from ai_gateway.database import new_id
from ai_gateway.identity.requester import Requester
from ai_gateway.pipeline.context import ChatRequest, ToolRoute
from ai_gateway.pipeline.decision import Allow, Block, Transform
from ai_gateway.pipeline.supervision import OffloadingMarker, PupilLimits, PupilSupervision
from ai_gateway.supervision import service as supervision
from ai_gateway.supervision.wording import SupervisionWording, notices
from tests.supervision.conftest import NOW, Classroom

WORDING = SupervisionWording.load()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def requester(classroom: Classroom, username: str) -> Requester:
    with classroom.sessions() as db:
        user = classroom.user(db, username)
        return Requester(user.id, user.school_id, user.username, user.display_name, user.role, user.year_group,
                         user.key_stage)  # fmt: skip


def request_for(classroom: Classroom, username: str, text: str = "What is a meander?", tool: str = "tutor"):
    return ChatRequest(request_id=new_id(), received_at=NOW, api_key=None, body=None,
                       requester=requester(classroom, username), model=tool,
                       messages=[{"role": "user", "content": text}],
                       tool=ToolRoute("t", tool, "openai/stub", None, None, "UK"))  # fmt: skip


def run(check, request: ChatRequest):
    """Run one check as the pipeline does: details are recorded under the check's name."""
    decision = asyncio.run(check.check(request))
    if decision.details:
        request.details[check.name] = decision.details
    if isinstance(decision, Transform):
        request.messages = decision.messages
    return decision


def test_pupil_without_a_session_is_refused_with_a_message_a_child_understands(classroom: Classroom):
    check = PupilSupervision(classroom.sessions, Clock(NOW), classroom.settings, WORDING)
    decision = run(check, request_for(classroom, "ada"))
    assert isinstance(decision, Block) and (decision.status, decision.code) == (403, "no_supervised_session")
    assert decision.message == WORDING.messages["no_supervised_session"]["ks2"]
    older = run(check, request_for(classroom, "dev"))
    assert older.message == WORDING.messages["no_supervised_session"]["ks3_4"]


def test_staff_are_not_asked_for_a_session(classroom: Classroom):
    check = PupilSupervision(classroom.sessions, Clock(NOW), classroom.settings, WORDING)
    assert run(check, request_for(classroom, "tmorgan")) == Allow()


def test_in_learner_mode_the_model_is_asked_for_hints_with_the_teachers_instructions(classroom: Classroom):
    opened = classroom.open(instructions="Only ask questions back.")
    check = PupilSupervision(classroom.sessions, Clock(NOW), classroom.settings, WORDING)
    request = request_for(classroom, "ada")
    assert isinstance(run(check, request), Transform)
    system, user = request.messages
    assert system["role"] == "system" and classroom.settings.learner_mode_prompt in system["content"]
    assert "Only ask questions back." in system["content"] and user["content"] == "What is a meander?"
    assert request.details["supervision"]["session_id"] == opened.id
    assert request.details["supervision"]["teacher_id"] == opened.teacher_id
    assert notices(request.details) == [WORDING.messages["first_answer_notice"]["ks2"]]


def test_with_learner_mode_off_and_no_instructions_the_messages_go_unchanged(classroom: Classroom):
    classroom.open(learner_mode=False)
    check = PupilSupervision(classroom.sessions, Clock(NOW), classroom.settings, WORDING)
    request = request_for(classroom, "ada")
    assert isinstance(run(check, request), Allow)
    assert request.messages == [{"role": "user", "content": "What is a meander?"}]


def test_the_first_answer_notice_is_given_once_per_session(classroom: Classroom):
    opened = classroom.open()
    check = PupilSupervision(classroom.sessions, Clock(NOW), classroom.settings, WORDING)
    classroom.log("ada", opened.id, NOW)
    request = request_for(classroom, "ada")
    run(check, request)
    assert notices(request.details) == []


def test_after_the_hard_stop_only_the_teacher_can_let_the_pupil_go_on(classroom: Classroom):
    opened = classroom.open(advisory_minutes=20, hard_stop_minutes=40, minutes=120)
    clock = Clock(NOW)
    supervise = PupilSupervision(classroom.sessions, clock, classroom.settings, WORDING)
    limits = PupilLimits(classroom.sessions, clock, classroom.settings, WORDING)
    classroom.log("ada", opened.id, NOW)

    def ask():
        request = request_for(classroom, "ada")
        assert not isinstance(run(supervise, request), Block)
        return request, run(limits, request)

    clock.now = NOW + timedelta(minutes=21)
    request, decision = ask()
    assert isinstance(decision, Allow) and "21 minutes" in notices(request.details)[-1]
    clock.now = NOW + timedelta(minutes=40)
    _, stopped = ask()
    assert isinstance(stopped, Block) and (stopped.status, stopped.code) == (403, "time_limit_reached")
    assert "40 minutes" in stopped.message and "teacher" in stopped.message
    classroom.do(supervision.lift_time_limit, opened.id, "tmorgan", "ada", "Finishing with me", now=clock.now)
    _, again = ask()
    assert isinstance(again, Allow)


def test_over_the_token_budget_is_a_429_in_openais_format(classroom: Classroom):
    opened = classroom.open(token_budget=100)
    classroom.log("ada", opened.id, NOW, tokens=120)
    clock = Clock(NOW + timedelta(minutes=2))
    request = request_for(classroom, "ada")
    run(PupilSupervision(classroom.sessions, clock, classroom.settings, WORDING), request)
    decision = run(PupilLimits(classroom.sessions, clock, classroom.settings, WORDING), request)
    assert isinstance(decision, Block) and (decision.status, decision.code) == (429, "token_budget_exhausted")
    assert decision.type == "insufficient_quota"


def test_asking_the_ai_to_do_the_whole_task_is_marked_not_refused(classroom: Classroom):
    marker = OffloadingMarker()
    marked = request_for(classroom, "ada", "Can you just give me the answers to my homework?")
    assert isinstance(run(marker, marked), Allow)
    assert "give me the answers" in marked.details["offloading"]["phrases"]
    for text in ("Write my essay on the water cycle", "do my homework for me please", "WRITE MY STORY!!"):
        assert OffloadingMarker().lexicon.matches(text), text
    for text in ("What is a good way to start an essay?", "Can you check my answer: 7 x 8 = 56?",
                 "Give me a hint for question 3"):  # fmt: skip
        assert not OffloadingMarker().lexicon.matches(text), text
    teacher = request_for(classroom, "tmorgan", "write the answers for the quiz")
    assert run(marker, teacher) == Allow() and "offloading" not in teacher.details


def test_the_checks_fail_closed_when_the_database_is_unreachable(classroom: Classroom):
    from ai_gateway.database import make_engine, make_session_factory

    broken = make_session_factory(make_engine("postgresql://nobody:none@127.0.0.1:1/none"))
    decision = run(PupilSupervision(broken, Clock(NOW), classroom.settings, WORDING), request_for(classroom, "ada"))
    assert isinstance(decision, Block) and (decision.status, decision.code) == (503, "supervision_unavailable")
