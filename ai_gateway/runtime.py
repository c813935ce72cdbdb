"""Everything one gateway process holds: settings, database, pipeline, provider client.

All state lives in the database; what is held here is configuration and caches
a second replica would rebuild identically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ai_gateway.clock import Clock, system_clock
from ai_gateway.config import ConfigError, Settings
from ai_gateway.database import make_engine, make_session_factory, migrate, transaction
from ai_gateway.identity import service as identity
from ai_gateway.pipeline.checks import Authentication, StatedPurpose, ToolExists, WellFormedRequest
from ai_gateway.pipeline.pipeline import Check, Pipeline
from ai_gateway.proxy.chat import ChatService
from ai_gateway.upstream import Upstream
from dpia import service as register


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    upstream: Upstream
    pipeline: Pipeline
    chat: ChatService


# The checks a school can order in configuration, by name. The first three
# always run first: nothing is decided about an unknown user or tool.
RuleFactory = Callable[["Runtime"], Check]
RULES: dict[str, RuleFactory] = {
    "purpose": lambda rt: StatedPurpose(rt.settings.purposes),
}
DEFAULT_ORDER = ["purpose"]


def build_pipeline(runtime: Runtime) -> Pipeline:
    order = runtime.settings.pipeline.checks or DEFAULT_ORDER
    unknown = [name for name in order if name not in RULES]
    if unknown:
        raise ConfigError(f"pipeline.checks: unknown check(s) {', '.join(unknown)}; known: {', '.join(RULES)}")
    first: list[Check] = [
        Authentication(runtime.sessions, runtime.clock),
        WellFormedRequest(),
        ToolExists(runtime.sessions),
    ]
    return Pipeline(first + [RULES[name](runtime) for name in order])


def build_runtime(settings: Settings, clock: Clock = system_clock, apply_migrations: bool = True) -> Runtime:
    engine = make_engine(settings.database.url, settings.database.echo)
    if apply_migrations:
        migrate(engine)
    sessions = make_session_factory(engine)
    upstream = Upstream(settings.upstream)
    runtime = Runtime(settings, engine, sessions, clock, upstream, Pipeline([]), None)  # type: ignore[arg-type]
    runtime.pipeline = build_pipeline(runtime)
    runtime.chat = ChatService(runtime.pipeline, upstream, sessions, clock)
    return runtime


def ensure_school(runtime: Runtime) -> str:
    """Create the configured school and seed its configured tools; return its id."""
    school_cfg = runtime.settings.school
    with transaction(runtime.sessions) as session:
        school = identity.get_or_create_school(session, school_cfg.name, school_cfg.urn)
        register.seed_tools(session, school.id, [t.model_dump() for t in runtime.settings.tools])
        return school.id
