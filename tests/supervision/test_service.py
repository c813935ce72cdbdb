"""Supervised sessions as service functions: who is in, for which tool, when; pausing; limits from the log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ai_gateway.supervision import service as supervision
from ai_gateway.supervision.errors import (
    InvalidSession,
    NotPermitted,
    PupilNotFound,
    SessionNotFound,
    SessionOver,
    ToolNotApprovedForPupils,
)
from ai_gateway.supervision.models import SupervisedSession
from tests.supervision.conftest import NOW, Classroom


def test_a_pupil_in_the_class_is_in_the_session_for_its_tools_until_it_ends(classroom: Classroom):
    opened = classroom.open()
    assert classroom.access("ada").allowed and classroom.access("ben").allowed
    assert classroom.access("ada").session.id == opened.id
    assert classroom.access("ada", now=NOW + timedelta(minutes=59)).allowed
    # One lesson by default, then it ends by itself.
    assert classroom.access("ada", now=NOW + timedelta(minutes=60)).code == supervision.NO_SUPERVISED_SESSION


def test_a_pupil_without_a_session_has_no_access(classroom: Classroom):
    assert classroom.access("ada").code == supervision.NO_SUPERVISED_SESSION


def test_a_pupil_from_another_class_is_not_in_the_session(classroom: Classroom):
    classroom.open()
    assert classroom.access("cara").code == supervision.NO_SUPERVISED_SESSION


def test_a_tool_the_teacher_did_not_choose_is_refused(classroom: Classroom):
    classroom.open()
    access = classroom.access("ada", tool="seniors")
    assert not access.allowed and access.code == supervision.TOOL_NOT_IN_SESSION


def test_a_session_that_has_not_started_lets_no_one_in(classroom: Classroom):
    classroom.open(starts_at=NOW + timedelta(hours=2))
    assert classroom.access("ada").code == supervision.NO_SUPERVISED_SESSION
    assert classroom.access("ada", now=NOW + timedelta(hours=2)).allowed


def test_only_tools_approved_for_the_pupils_key_stage_can_be_chosen(classroom: Classroom):
    with pytest.raises(ToolNotApprovedForPupils, match="KS2"):
        classroom.open(tools=["tutor", "seniors"])
    opened = classroom.open(tools=["seniors"], groups=[], pupils=["dev"])
    assert classroom.access("dev", tool="seniors").session.id == opened.id


def test_a_pupil_cannot_open_a_session_and_a_session_needs_a_purpose_and_a_tool(classroom: Classroom):
    with pytest.raises(NotPermitted):
        classroom.open(teacher="ada")
    with pytest.raises(InvalidSession):
        classroom.open(purpose="  ")
    with pytest.raises(InvalidSession):
        classroom.open(tools=[])
    with pytest.raises(InvalidSession):
        classroom.open(tools=["no-such-tool"])
    with pytest.raises(PupilNotFound):
        classroom.open(pupils=["tmorgan"])


def test_named_pupils_are_in_without_a_group(classroom: Classroom):
    classroom.open(groups=[], pupils=["cara"])
    assert classroom.access("cara").allowed and not classroom.access("ada").allowed


def test_a_pupil_joins_with_the_code_in_any_case_and_spacing(classroom: Classroom):
    opened = classroom.open(groups=[])
    assert len(opened.join_code) == 6 and set(opened.join_code) <= set(supervision.JOIN_ALPHABET)
    code = opened.join_code.lower()
    with classroom.sessions.begin() as db:
        joined = supervision.join_session(db, classroom.user(db, "cara"), f"{code[:3]} {code[3:]}", NOW)
    assert joined.id == opened.id and classroom.access("cara").allowed


def test_a_wrong_or_expired_code_is_refused_and_staff_do_not_join(classroom: Classroom):
    opened = classroom.open(groups=[])
    with classroom.sessions.begin() as db, pytest.raises(SessionNotFound, match="Check the code"):
        supervision.join_session(db, classroom.user(db, "cara"), "ZZZZZZ", NOW)
    with classroom.sessions.begin() as db, pytest.raises(SessionNotFound):
        supervision.join_session(db, classroom.user(db, "cara"), opened.join_code, NOW + timedelta(hours=2))
    with classroom.sessions.begin() as db, pytest.raises(NotPermitted):
        supervision.join_session(db, classroom.user(db, "rjones"), opened.join_code, NOW)


def test_a_pupil_cannot_join_a_session_whose_tools_are_not_for_their_year(classroom: Classroom):
    opened = classroom.open(tools=["seniors"], groups=["10X"])
    with classroom.sessions.begin() as db, pytest.raises(NotPermitted, match="year group"):
        supervision.join_session(db, classroom.user(db, "cara"), opened.join_code, NOW)


def test_the_teacher_pauses_one_pupil_or_everyone_and_resumes(classroom: Classroom):
    opened = classroom.open()
    classroom.do(supervision.pause_pupil, opened.id, "tmorgan", "ada")
    assert classroom.access("ada").code == supervision.SESSION_PAUSED and classroom.access("ben").allowed
    classroom.do(supervision.resume_pupil, opened.id, "tmorgan", "ada")
    assert classroom.access("ada").allowed
    classroom.do(supervision.pause_session, opened.id, "tmorgan")
    assert classroom.access("ben").code == supervision.SESSION_PAUSED
    classroom.do(supervision.resume_session, opened.id, "tmorgan")
    assert classroom.access("ben").allowed


def test_only_the_teacher_who_opened_it_or_the_slt_runs_a_session(classroom: Classroom):
    opened = classroom.open()
    with pytest.raises(NotPermitted):
        classroom.do(supervision.pause_session, opened.id, "rjones")
    with pytest.raises(NotPermitted):
        classroom.do(supervision.end_session, opened.id, "ada")
    classroom.do(supervision.pause_session, opened.id, "jhart")


def test_an_ended_session_lets_no_one_in_and_cannot_be_resumed(classroom: Classroom):
    opened = classroom.open()
    classroom.do(supervision.end_session, opened.id, "tmorgan", now=NOW + timedelta(minutes=10))
    assert classroom.access("ada", now=NOW + timedelta(minutes=11)).code == supervision.NO_SUPERVISED_SESSION
    with pytest.raises(SessionOver):
        classroom.do(supervision.resume_session, opened.id, "tmorgan", now=NOW + timedelta(minutes=11))


def test_pausing_a_pupil_who_is_not_in_the_session_is_an_error(classroom: Classroom):
    opened = classroom.open()
    with pytest.raises(PupilNotFound):
        classroom.do(supervision.pause_pupil, opened.id, "tmorgan", "cara")


def test_rate_and_token_budget_are_counted_from_the_monitoring_log(classroom: Classroom):
    opened = classroom.open(rate_per_minute=2, token_budget=100)
    member = None
    for seconds in (0, 10):
        classroom.log("ada", opened.id, NOW + timedelta(seconds=seconds), tokens=30)
    classroom.log("ada", None, NOW + timedelta(seconds=20), tokens=500)  # outside the session: not counted
    with classroom.sessions() as db:
        usage = supervision.pupil_usage(db, opened.id, classroom.user(db, "ada").id, NOW + timedelta(seconds=30))
        session = db.get(SupervisedSession, opened.id)
    assert (usage.answers, usage.tokens, usage.last_minute) == (2, 60, 2)
    assert supervision.limit_reached(session, member, usage, NOW + timedelta(seconds=30)) == supervision.RATE_LIMITED
    with classroom.sessions() as db:
        later = supervision.pupil_usage(db, opened.id, classroom.user(db, "ada").id, NOW + timedelta(minutes=2))
    assert later.last_minute == 0
    assert supervision.limit_reached(session, member, later, NOW + timedelta(minutes=2)) is None
    classroom.log("ada", opened.id, NOW + timedelta(minutes=3), tokens=50)
    with classroom.sessions() as db:
        spent = supervision.pupil_usage(db, opened.id, classroom.user(db, "ada").id, NOW + timedelta(minutes=5))
    assert supervision.limit_reached(session, member, spent, NOW + timedelta(minutes=5)) == (
        supervision.TOKEN_BUDGET_EXHAUSTED)


def test_the_time_limit_stops_a_pupil_until_the_teacher_lifts_it_with_a_reason(classroom: Classroom):
    opened = classroom.open(advisory_minutes=20, hard_stop_minutes=40)
    classroom.log("ada", opened.id, NOW)

    def state(minutes: int):
        at = NOW + timedelta(minutes=minutes)
        with classroom.sessions() as db:
            session = db.get(SupervisedSession, opened.id)
            member = next((r for r in session.pupils if r.pupil.username == "ada"), None)
            usage = supervision.pupil_usage(db, opened.id, classroom.user(db, "ada").id, at)
            return supervision.limit_reached(session, member, usage, at), supervision.advisory_due(
                session, member, usage, at)

    assert state(10) == (None, False)
    assert state(25) == (None, True)  # told once: the next answer after 20 minutes carries the notice
    classroom.log("ada", opened.id, NOW + timedelta(minutes=25))
    assert state(30) == (None, False)
    assert state(40)[0] == supervision.TIME_LIMIT_REACHED
    with pytest.raises(InvalidSession):
        classroom.do(supervision.lift_time_limit, opened.id, "tmorgan", "ada", " ", now=NOW + timedelta(minutes=41))
    row = classroom.do(supervision.lift_time_limit, opened.id, "tmorgan", "ada", "Finishing her research with me",
                       now=NOW + timedelta(minutes=41))  # fmt: skip
    assert row.time_limit_lifts[-1]["reason"] == "Finishing her research with me"
    assert row.time_limit_lifts[-1]["by"] == "tmorgan"
    assert state(42) == (None, False)


def test_the_teachers_view_shows_prompts_answers_refusals_and_whole_task_requests(classroom: Classroom):
    opened = classroom.open(instructions="Hints only, please")
    classroom.log("ada", opened.id, NOW, prompt=[{"role": "user", "content": "write my essay on rivers"}],
                  reply="What do you know about rivers already?",
                  details={"offloading": {"phrases": ["write my essay"]}})  # fmt: skip
    classroom.log("ben", opened.id, NOW + timedelta(minutes=1), decision="blocked", reason_code="rate_limited",
                  prompt=[{"role": "user", "content": "rivers?"}])  # fmt: skip
    classroom.log("ben", opened.id, NOW + timedelta(minutes=2), decision="answered", reason_code="pupil_at_risk",
                  prompt=[{"role": "user", "content": "something private"}], details={"pupil_risk": {"dsl_alert": "x"}})
    with classroom.sessions() as db:
        view = supervision.live_view(db, supervision.find_session(db, classroom.school_id, opened.id),
                                     classroom.user(db, "tmorgan"), NOW + timedelta(minutes=3))  # fmt: skip
    assert view["session"]["instructions"] == "Hints only, please"
    pupils = {p["username"]: p for p in view["pupils"]}
    assert set(pupils) == {"ada", "ben"}
    assert pupils["ada"]["whole_task_requests"] == 1 and pupils["ben"]["refused"] == 1
    assert view["requests"][0]["prompt"] == "write my essay on rivers"
    assert view["requests"][0]["reply"] == "What do you know about rivers already?"
    assert [r["reason_code"] for r in view["refusals"]] == ["rate_limited"]
    # A disclosure is the DSL's to read.
    assert "something private" not in str(view) and "Designated Safeguarding Lead" in view["requests"][2]["prompt"]
    with classroom.sessions() as db, pytest.raises(NotPermitted):
        supervision.live_view(db, supervision.find_session(db, classroom.school_id, opened.id),
                              classroom.user(db, "rjones"), NOW)  # fmt: skip
    with classroom.sessions() as db:
        found = supervision.find_session(db, classroom.school_id, opened.id)
        newer = supervision.live_view(db, found, classroom.user(db, "rcalder"), NOW, since=NOW + timedelta(seconds=30))
    assert len(newer["requests"]) == 2


def test_teachers_list_their_own_sessions_and_the_slt_sees_all(classroom: Classroom):
    mine = classroom.open()
    theirs = classroom.open(teacher="rjones", groups=["4C"])
    with classroom.sessions() as db:
        assert [s.id for s in supervision.list_sessions(db, classroom.user(db, "tmorgan"), NOW)] == [mine.id]
        assert {s.id for s in supervision.list_sessions(db, classroom.user(db, "jhart"), NOW)} == {mine.id, theirs.id}
        assert supervision.list_sessions(db, classroom.user(db, "tmorgan"), NOW + timedelta(hours=2)) == []
        assert len(supervision.list_sessions(db, classroom.user(db, "tmorgan"), NOW + timedelta(hours=2), True)) == 1
