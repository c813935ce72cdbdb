"""Helpers for tests that run the gateway for real: a config file, people with keys, a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from ai_gateway.config import Settings, load_settings
from ai_gateway.database import make_engine, make_session_factory, migrate, transaction
from ai_gateway.identity import service as identity
from ai_gateway.identity.roles import Role
from dpia import service as register
from tests.stub_upstream import free_port

ROOT = Path(__file__).resolve().parent.parent
MIS_EXPORT = Path(__file__).resolve().parent / "data" / "mis"
SCHOOL_URN = "900100"


def write_config(path: Path, database_url: str, tools: list[dict[str, Any]], **sections: Any) -> Path:
    config = {
        "school": {"name": "Test Academy", "urn": SCHOOL_URN},
        "database": {"url": database_url},
        "logging": {"level": "INFO", "json": True},
        "upstream": {"timeout_seconds": 3, "num_retries": 0},
        "tools": tools,
        **sections,
    }
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


STUB_BEHAVIOURS = ("fail", "hang", "slow", "toolcall", "unsuitable")


def stub_tools(stub) -> list[dict[str, Any]]:
    """The stub provider as tool `stub`, and one tool `stub-<behaviour>` for each other behaviour."""
    return [stub_tool(stub.base_url)] + [stub_tool(stub.behaving(b), f"stub-{b}") for b in STUB_BEHAVIOURS]


def stub_tool(base_url: str, name: str = "stub") -> dict[str, Any]:
    return {"name": name, "litellm_model": "openai/stub-model", "api_base": base_url,
            "api_key_env": "STUB_PROVIDER_KEY", "provider": "Stub", "data_location": "UK"}  # fmt: skip


@dataclass
class School:
    """The test school's database, with helpers to add people and read the log."""

    settings: Settings

    def __post_init__(self) -> None:
        self.engine = make_engine(self.settings.database.url)
        migrate(self.engine)
        self.sessions = make_session_factory(self.engine)
        with transaction(self.sessions) as session:
            school = identity.get_or_create_school(session, self.settings.school.name, self.settings.school.urn)
            register.seed_tools(session, school.id, [t.model_dump() for t in self.settings.tools])
            self.school_id = school.id

    def person(self, username: str, role: Role, year_group: int | None = None, **key: Any) -> str:
        """Create a user and return a new API key for them."""
        with transaction(self.sessions) as session:
            school = identity.get_school(session, self.settings.school.urn)
            user = identity.create_user(session, school, username, username.title(), role, year_group)
            return identity.issue_key(session, user, **key).secret

    def import_roster(self, folder: Path) -> None:
        from ai_gateway.roster.service import import_roster

        with transaction(self.sessions) as session:
            import_roster(session, self.school_id, folder / "pupils.csv", folder / "staff.csv", folder / "contacts.csv")

    def alerts(self):
        from sqlalchemy import select

        from ai_gateway.monitoring.models import DslAlert

        with self.sessions() as session:
            return list(session.scalars(select(DslAlert).order_by(DslAlert.created_at)))

    def log_entry(self, request_id: str):
        from ai_gateway.monitoring.models import RequestLog

        with self.sessions() as session:
            return session.get(RequestLog, request_id)

    def log_entries(self):
        from sqlalchemy import select

        from ai_gateway.monitoring.models import RequestLog

        with self.sessions() as session:
            return list(session.scalars(select(RequestLog).order_by(RequestLog.created_at)))

    def close(self) -> None:
        self.engine.dispose()


class GatewayProcess:
    """`aup-gateway serve` as a child process on a free port."""

    def __init__(self, config: Path, env: dict[str, str] | None = None) -> None:
        self.config = config
        self.port = free_port()
        self.env = {**os.environ, "STUB_PROVIDER_KEY": "sk-stub-test", **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = config.with_suffix(".log")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> GatewayProcess:
        cli = Path(sys.executable).parent / "aup-gateway"
        self._log = open(self.log_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(cli), "serve", "--config", str(self.config), "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_until_healthy(self.base_url, self.process, self.log_path)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self._log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_until_healthy(base_url: str, process: subprocess.Popen[bytes], log_path: Path | None = None,
                       timeout: float = 90) -> None:  # fmt: skip
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            output = log_path.read_text(errors="replace") if log_path else ""
            raise RuntimeError(f"the gateway exited with {process.returncode}:\n{output[-3000:]}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the gateway did not become healthy in time")


def settings_for(config: Path) -> Settings:
    return load_settings(config)
