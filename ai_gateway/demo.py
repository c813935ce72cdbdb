"""The demo school: a fresh embedded database with a few fictional people and their keys."""

from __future__ import annotations

from pathlib import Path

from ai_gateway.config import Settings
from ai_gateway.database import transaction
from ai_gateway.identity import service as identity
from ai_gateway.identity.roles import Role
from ai_gateway.supervision import service as supervision
from dpia import service as register

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "demo.yaml"

# Invented people of an invented school.
DEMO_PEOPLE: list[tuple[str, str, Role, int | None]] = [
    ("plawson", "Ms Priya Lawson", Role.teacher, None),
    ("dmarsh", "Mr Daniel Marsh", Role.teacher, None),
    ("kbright", "Mrs Kerry Bright", Role.support_staff, None),
    ("jhart", "Mrs Joan Hart (Deputy Head)", Role.slt, None),
    ("nferris", "Mr Neil Ferris (DPO)", Role.dpo, None),
    ("rcalder", "Ms Ruth Calder (DSL)", Role.dsl, None),
    ("itadmin", "Sam Akers (IT)", Role.it_admin, None),
    ("awhitlock", "Ada Whitlock", Role.pupil, 4),
    ("lbrennan", "Leo Brennan", Role.pupil, 4),
    ("msutton", "Maya Sutton", Role.pupil, 9),
    ("tquinn", "Theo Quinn", Role.pupil, 9),
]


def _remove_sqlite_file(url: str) -> None:
    if not url.startswith("sqlite:///"):
        raise ValueError("the demo resets its own SQLite database; point it at a sqlite:/// URL")
    path = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def reset_demo_school(settings: Settings) -> list[dict[str, str]]:
    """Recreate the demo database; return each demo person with a new key."""
    from ai_gateway.runtime import build_runtime, ensure_school

    _remove_sqlite_file(settings.database.url)
    runtime = build_runtime(settings)
    ensure_school(runtime)
    keys: list[dict[str, str]] = []
    with transaction(runtime.sessions) as session:
        school = identity.get_school(session, settings.school.urn)
        for username, name, role, year in DEMO_PEOPLE:
            user = identity.create_user(session, school, username, name, role, year)
            issued = identity.issue_key(session, user, label="demo")
            keys.append({"username": username, "display_name": name, "role": role.value, "key": issued.secret})
        # The demo model keeps everything on this machine; the deputy head approves it for everyone.
        register.approve_for_everyone(
            session, register.find_tool(session, school.id, "demo"), identity.find_user(session, school, "jhart"),
            risk_assessment_reference="RA-DEMO-1", now=runtime.clock(),
            summary="Built-in demo model: nothing leaves the gateway's machine.",
        )  # fmt: skip
        # Pupils use AI only in a supervised session: Ms Lawson opens one for the demo pupils, for the day.
        demo_session = supervision.open_session(
            session, identity.find_user(session, school, "plawson"), purpose="Demo lesson", tools=["demo"],
            pupils=[u for u, _, role, _ in DEMO_PEOPLE if role == Role.pupil], minutes=supervision.MAX_MINUTES,
            instructions="Give hints and questions, never write the answer for them.",
            settings=settings.supervision, now=runtime.clock(),
        )  # fmt: skip
        for who in keys:
            if who["role"] == Role.pupil.value:
                who["join_code"] = demo_session.join_code
    runtime.engine.dispose()
    return keys


def snippet(base_url: str, key: str) -> str:
    return f'''from openai import OpenAI

client = OpenAI(base_url="{base_url}", api_key="{key}")
reply = client.chat.completions.create(
    model="demo",
    messages=[{{"role": "user", "content": "Give me three starter questions for a Year 4 lesson on rivers."}}],
)
print(reply.choices[0].message.content)'''
