"""The gateway's configuration: one YAML file, validated at start-up.

Environment variables prefixed AUP_ override it (AUP_DATABASE__URL, or the
shorthand AUP_DATABASE_URL), so secrets and the database URL can stay out of
the file. A bad key or value stops start-up with a message naming it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from ai_gateway.identity.roles import Role

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "gateway.yaml"


class ConfigError(Exception):
    """The configuration file is missing, unreadable or invalid."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SchoolConfig(Strict):
    name: str = "Example School"
    urn: str = Field(default="000000", description="The school's unique reference number (GIAS).")


class DatabaseConfig(Strict):
    url: str = "sqlite:///var/aup-gateway.db"
    echo: bool = False


class ServerConfig(Strict):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)


class LoggingConfig(Strict):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    json_format: bool = Field(default=True, alias="json")


class UpstreamConfig(Strict):
    timeout_seconds: float = Field(default=60.0, gt=0)
    num_retries: int = Field(default=1, ge=0, le=5)


class ToolConfig(Strict):
    """An AI tool the gateway can reach; seeds the register on first start."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
    litellm_model: str
    api_base: str | None = None
    api_key_env: str | None = Field(
        default=None, description="Name of the environment variable holding the provider key."
    )
    provider: str = ""
    data_location: Literal["UK", "EEA", "US", "other", "local"] = "other"
    retains_prompts: bool = False
    description: str = ""


class PipelineConfig(Strict):
    checks: list[str] | None = Field(
        default=None, description="Names of the checks to run, in order. Omit for the default order."
    )


class PurposeConfig(Strict):
    allowed: list[str] = [
        "lesson_planning",
        "resource_creation",
        "classroom_use",
        "administration",
        "professional_development",
    ]
    default_by_role: dict[Role, str] = {
        Role.pupil: "classroom_use",
        Role.teacher: "lesson_planning",
        Role.support_staff: "resource_creation",
        Role.dpo: "administration",
        Role.slt: "administration",
        Role.dsl: "administration",
        Role.it_admin: "administration",
        Role.visitor: "administration",
    }


class LabelsConfig(Strict):
    """Wording people read, kept as editable YAML (defaults: configs/labels.yaml, configs/safety_messages.yaml)."""

    visible: bool = Field(default=True, description="Also append the label as a line at the end of each answer.")
    labels_file: Path | None = None
    messages_file: Path | None = None


class SupervisionConfig(Strict):
    """Supervised sessions (pupils use AI only when a teacher says so): defaults a teacher may change per session."""

    lesson_minutes: int = Field(default=60, ge=5, le=24 * 60, description="A session's length when none is given.")
    rate_per_minute: dict[Role, int] = Field(
        default={Role.pupil: 6},
        description="Requests a minute per person, by role (pupils: per session). A role not listed has no limit.",
    )
    token_budget: dict[Role, int] = Field(
        default={Role.pupil: 20000},
        description="Tokens per person, by role: pupils per session, staff per day. A role not listed has no limit.",
    )
    advisory_minutes: int = Field(default=30, ge=1, description="Minutes of use before a pupil is told to pause.")
    hard_stop_minutes: int = Field(default=50, ge=1, description="Minutes of use before a pupil is stopped.")
    learner_mode_prompt: str = Field(
        default=(
            "You are helping a school pupil learn. Do not do the task for them: do not write their essay, story "
            "or homework, and do not give finished answers. Ask what they have tried first, then give hints, "
            "questions that make them think, and worked steps for one similar example. Use words suited to "
            "their age, be encouraging, and suggest they check facts with their teacher."
        ),
        description="The system instructions added to pupils' requests in learner mode.",
    )

    @field_validator("rate_per_minute", "token_budget")
    @classmethod
    def positive(cls, limits: dict[Role, int]) -> dict[Role, int]:
        if any(value < 1 for value in limits.values()):
            raise ValueError("limits must be at least 1 (leave a role out for no limit)")
        return limits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUP_", env_nested_delimiter="__", extra="forbid")

    school: SchoolConfig = SchoolConfig()
    database: DatabaseConfig = DatabaseConfig()
    server: ServerConfig = ServerConfig()
    logging: LoggingConfig = LoggingConfig()
    upstream: UpstreamConfig = UpstreamConfig()
    tools: list[ToolConfig] = []
    pipeline: PipelineConfig = PipelineConfig()
    purposes: PurposeConfig = PurposeConfig()
    labels: LabelsConfig = LabelsConfig()
    supervision: SupervisionConfig = SupervisionConfig()
    # Settings of the redaction engine and the safety detectors (see their packages).
    redaction: dict[str, Any] = {}
    safety: dict[str, Any] = {}

    @field_validator("tools")
    @classmethod
    def tool_names_unique(cls, tools: list[ToolConfig]) -> list[ToolConfig]:
        names = [t.name for t in tools]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"tool names must be unique; repeated: {', '.join(duplicates)}")
        return tools

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values arrive as init arguments; the environment wins over them.
        return env_settings, init_settings


def load_settings(path: Path | str | None = None) -> Settings:
    """Read and validate the YAML file; raise ConfigError naming the bad key."""
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"configuration file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections")
    if url := os.environ.get("AUP_DATABASE_URL"):
        raw.setdefault("database", {})["url"] = url
    try:
        return Settings(**raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{path}: invalid configuration: {problems}") from exc
