"""Safety checks (AUP item 22 and the pupil rules): casework, pupil risk, forbidden requests, pupil answers.

Each looks at the newest user message: earlier turns were checked when they were sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread
from sqlalchemy.orm import Session, sessionmaker

import redaction
from ai_gateway.clock import Clock
from ai_gateway.database import transaction
from ai_gateway.monitoring.models import DslAlert
from ai_gateway.pipeline.context import ChatRequest, StreamFilter, newest_user_text
from ai_gateway.pipeline.decision import Allow, Answer, Block, Decision
from ai_gateway.roster.service import RosterCache
from ai_gateway.safety import PupilReplyChecker, PupilRiskDetector, SafeguardingCaseworkDetector
from ai_gateway.wording import Wording

# Names that point at a specific child or family (staff names are weighed by the detector itself).
_PEOPLE = {"PUPIL_NAME", "PARENT_NAME", "PERSON"}


class SafeguardingCasework:
    """Staff (every adult role, the DSL included) may not hand casework about a child to an AI.

    The school's roster tells the detector which words are a real child's name; the
    analysis is cached, so the personal-data check that follows does not repeat it.
    """

    name = "safeguarding_casework"

    def __init__(
        self,
        detector: SafeguardingCaseworkDetector,
        wording: Wording,
        names: redaction.RedactionEngine | None,
        sessions: sessionmaker[Session],
        rosters: RosterCache,
    ) -> None:
        self.detector = detector
        self.wording = wording
        self.names = names
        self.sessions = sessions
        self.rosters = rosters

    def _people_named(self, request: ChatRequest, text: str) -> list[str]:
        if self.names is None:
            return []
        roster = self.rosters.for_request(self.sessions, request)
        return [f.text for f in self.names.analyze(text, roster) if f.entity_type in _PEOPLE]

    async def check(self, request: ChatRequest) -> Decision:
        assert request.requester
        if request.requester.is_pupil:
            return Allow()
        text = newest_user_text(request.messages)
        named = await to_thread.run_sync(self._people_named, request, text)
        verdict = self.detector.assess(text, named)
        details = {"score": round(verdict.score, 3), "triggers": verdict.triggers}
        if verdict.is_casework:
            return Block(403, "safeguarding_casework", self.wording.message("safeguarding_casework",
                         request.requester), details=details)  # fmt: skip
        return Allow(details if verdict.triggers else {})


class PupilRisk:
    """A pupil's prompt that shows a child at risk reaches the DSL, not a provider; forbidden requests are refused.

    Every pupil request also gets its answer checked before the pupil sees it.
    """

    name = "pupil_risk"

    def __init__(
        self,
        detector: PupilRiskDetector,
        replies: PupilReplyChecker,
        wording: Wording,
        sessions: sessionmaker[Session],
        clock: Clock,
    ) -> None:
        self.detector = detector
        self.replies = replies
        self.wording = wording
        self.sessions = sessions
        self.clock = clock

    def _raise_alert(self, request: ChatRequest, text: str, verdict) -> str:
        assert request.requester
        with transaction(self.sessions) as session:
            alert = DslAlert(
                school_id=request.requester.school_id,
                request_id=request.request_id,
                pupil_id=request.requester.user_id,
                supervised_session_id=request.details.get("supervision", {}).get("session_id"),
                teacher_id=request.details.get("supervision", {}).get("teacher_id"),
                category=verdict.category,
                severity=verdict.severity,
                score=verdict.score,
                triggers=verdict.triggers,
                prompt=text,
                created_at=self.clock(),
            )
            session.add(alert)
            session.flush()
            return alert.id

    async def check(self, request: ChatRequest) -> Decision:
        who = request.requester
        assert who
        if not who.is_pupil:
            return Allow()
        text = newest_user_text(request.messages)
        verdict = self.detector.assess(text, who.key_stage)
        details: dict[str, Any] = {"category": verdict.category, "severity": verdict.severity,
                                   "score": round(verdict.score, 3), "triggers": verdict.triggers}  # fmt: skip
        if verdict.alert:
            details["dsl_alert"] = await to_thread.run_sync(self._raise_alert, request, text, verdict)
            return Answer(self.wording.message("pupil_support", who), "pupil_at_risk", details)
        if verdict.refuse:
            return Block(403, "request_not_allowed", self.wording.message("pupil_refused", who), details=details)
        request.reply_filters.append(CheckPupilReply(self.replies, self.wording.message("pupil_reply_withheld", who),
                                                     who.key_stage, request.details))  # fmt: skip
        return Allow(details if verdict.triggers else {})


@dataclass
class CheckPupilReply:
    """Holds a pupil's answer back until it has been checked whole; an unsuitable one is replaced."""

    checker: PupilReplyChecker
    withheld: str
    key_stage: str | None
    record: dict[str, Any]

    def apply(self, text: str) -> str:
        verdict = self.checker.assess(text, self.key_stage)
        if not verdict.unsuitable:
            return text
        self.record["reply_withheld"] = {"category": verdict.category, "score": round(verdict.score, 3),
                                         "triggers": verdict.triggers}  # fmt: skip
        return self.withheld

    def streamer(self) -> StreamFilter:
        return _WholeReply(self)


@dataclass
class _WholeReply:
    owner: CheckPupilReply
    parts: list[str] = field(default_factory=list)

    def feed(self, text: str) -> str:
        self.parts.append(text)
        return ""

    def finish(self) -> str:
        return self.owner.apply("".join(self.parts))
