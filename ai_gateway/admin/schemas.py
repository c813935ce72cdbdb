"""What the admin API reads and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ai_gateway.identity.roles import Role


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    display_name: str = Field(min_length=1, max_length=200)
    role: Role
    year_group: int | None = Field(default=None, ge=0, le=13)
    email: str | None = None
    groups: list[str] = Field(default=[], description="Registration or teaching groups, e.g. ['4B', '4Ma'].")


class UserOut(Out):
    id: str
    username: str
    display_name: str
    role: Role
    year_group: int | None
    key_stage: str | None
    email: str | None
    groups: list[str]
    active: bool
    created_at: datetime


class KeyIn(BaseModel):
    label: str = ""
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class KeyOut(Out):
    id: str
    user_id: str
    prefix: str
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class IssuedKeyOut(BaseModel):
    key: KeyOut
    secret: str = Field(description="The API key. Shown once; only its hash is stored.")


class ToolIn(BaseModel):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
    litellm_model: str
    api_base: str | None = None
    api_key_env: str | None = None
    provider: str = ""
    data_location: str = "other"
    retains_prompts: bool = False
    owner: str = ""
    description: str = ""
    notes: str = ""


class ToolOut(Out):
    id: str
    name: str
    litellm_model: str
    api_base: str | None
    api_key_env: str | None
    provider: str
    data_location: str
    retains_prompts: bool
    owner: str
    description: str
    notes: str
    enabled: bool
    created_at: datetime


class LogEntryOut(Out):
    id: str
    user_id: str | None
    role: str | None
    tool: str | None
    purpose: str | None
    decision: str
    reason_code: str | None
    status_code: int
    stream: bool
    prompt: list[dict[str, Any]] | None
    reply: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: int | None
    client_disconnected: bool
    details: dict[str, Any]
    created_at: datetime
    completed_at: datetime | None
