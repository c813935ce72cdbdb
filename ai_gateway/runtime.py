"""Everything one gateway process holds: settings, database, pipeline, provider client.

All state lives in the database; what is held here is configuration and caches
a second replica would rebuild identically.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

import redaction
from ai_gateway.clock import Clock, system_clock
from ai_gateway.config import ConfigError, Settings
from ai_gateway.database import make_engine, make_session_factory, migrate, transaction
from ai_gateway.identity import service as identity
from ai_gateway.pipeline.approval import ToolApproval
from ai_gateway.pipeline.checks import Authentication, StatedPurpose, ToolExists, WellFormedRequest
from ai_gateway.pipeline.context import ChatRequest
from ai_gateway.pipeline.personal_data import PersonalData
from ai_gateway.pipeline.pipeline import Check, Pipeline
from ai_gateway.pipeline.safety import PupilRisk, SafeguardingCasework
from ai_gateway.pipeline.supervision import OffloadingMarker, PupilLimits, PupilSupervision
from ai_gateway.proxy.chat import ChatService, Label
from ai_gateway.roster.service import RosterCache
from ai_gateway.safety import PupilReplyChecker, PupilRiskDetector, SafeguardingCaseworkDetector, SafetySettings
from ai_gateway.supervision.wording import SupervisionWording, notices
from ai_gateway.upstream import Upstream
from ai_gateway.wording import Wording
from dpia import service as register

log = logging.getLogger("aup_gateway.runtime")


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    upstream: Upstream
    wording: Wording
    safety: SafetySettings
    redaction: redaction.RedactionEngine | None
    rosters: RosterCache = field(default_factory=RosterCache)
    pipeline: Pipeline = field(default_factory=lambda: Pipeline([]))
    chat: ChatService | None = None

    def label(self, request: ChatRequest) -> Label | None:
        if request.requester is None:
            return None
        # A supervised pupil's notices (seen by their teacher; time for a break) come before the label.
        # A space, not a new line: the label is also sent as an HTTP header.
        text = " ".join([*notices(request.details), self.wording.label(request.requester)])
        return Label(text, visible=self.settings.labels.visible)


# The checks a school can order in configuration, by name. The first three
# always run first: nothing is decided about an unknown user or tool.
RuleFactory = Callable[["Runtime"], Check]
RULES: dict[str, RuleFactory] = {
    "purpose": lambda rt: StatedPurpose(rt.settings.purposes),
    "approval": lambda rt: ToolApproval(rt.sessions, rt.clock),
    "supervision": lambda rt: PupilSupervision(
        rt.sessions, rt.clock, rt.settings.supervision, SupervisionWording.load()
    ),
    "limits": lambda rt: PupilLimits(rt.sessions, rt.clock, rt.settings.supervision, SupervisionWording.load()),
    "offloading": lambda rt: OffloadingMarker(),
    "safeguarding_casework": lambda rt: SafeguardingCasework(
        SafeguardingCaseworkDetector(rt.safety), rt.wording, rt.redaction, rt.sessions, rt.rosters
    ),
    "pupil_risk": lambda rt: PupilRisk(
        PupilRiskDetector(rt.safety), PupilReplyChecker(rt.safety), rt.wording, rt.sessions, rt.clock
    ),
    "personal_data": lambda rt: PersonalData(rt.redaction, rt.sessions, rt.clock, rt.rosters),
}
DEFAULT_ORDER = ["purpose", "approval", "supervision", "limits", "offloading", "safeguarding_casework", "pupil_risk",
                 "personal_data"]


def build_rules(runtime: Runtime) -> list[Check]:
    """The configured rule checks, in order (without the three that always come first)."""
    order = runtime.settings.pipeline.checks or DEFAULT_ORDER
    unknown = [name for name in order if name not in RULES]
    if unknown:
        raise ConfigError(f"pipeline.checks: unknown check(s) {', '.join(unknown)}; known: {', '.join(RULES)}")
    return [RULES[name](runtime) for name in order]


def build_pipeline(runtime: Runtime) -> Pipeline:
    first: list[Check] = [
        Authentication(runtime.sessions, runtime.clock),
        WellFormedRequest(),
        ToolExists(runtime.sessions),
    ]
    return Pipeline(first + build_rules(runtime))


def _section(model: type, values: dict, name: str):
    try:
        return model(**values)
    except (ValidationError, TypeError) as exc:
        raise ConfigError(f"{name}: {exc}") from exc


def load_redaction(settings: Settings) -> redaction.RedactionEngine | None:
    """The engine, or None when it cannot load: the personal-data check then refuses (fail closed)."""
    try:
        return redaction.RedactionEngine(_section(redaction.RedactionSettings, settings.redaction, "redaction"))
    except redaction.RedactionUnavailable:
        log.exception("the redaction engine could not load; requests will be refused")
        return None


def build_runtime(
    settings: Settings,
    clock: Clock = system_clock,
    apply_migrations: bool = True,
    with_redaction: bool = True,
) -> Runtime:
    engine = make_engine(settings.database.url, settings.database.echo)
    if apply_migrations:
        migrate(engine)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        clock=clock,
        upstream=Upstream(settings.upstream),
        wording=Wording.load(settings.labels.labels_file, settings.labels.messages_file),
        safety=_section(SafetySettings, settings.safety, "safety"),
        redaction=load_redaction(settings) if with_redaction else None,
    )
    runtime.pipeline = build_pipeline(runtime)
    runtime.chat = ChatService(runtime.pipeline, runtime.upstream, runtime.sessions, clock, runtime.label)
    return runtime


def ensure_school(runtime: Runtime) -> str:
    """Create the configured school and seed its configured tools; return its id."""
    school_cfg = runtime.settings.school
    with transaction(runtime.sessions) as session:
        school = identity.get_or_create_school(session, school_cfg.name, school_cfg.urn)
        register.seed_tools(session, school.id, [t.model_dump() for t in runtime.settings.tools])
        return school.id
