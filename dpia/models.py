"""Register records: the AI tools a school may reach."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ai_gateway.database import Base, new_id, utcnow


class Tool(Base):
    """An AI tool: the name users see and how litellm reaches it.

    The provider key is never stored: `api_key_env` names the environment
    variable that holds it on the gateway's host.
    """

    __tablename__ = "tools"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str]
    litellm_model: Mapped[str]
    api_base: Mapped[str | None] = mapped_column(default=None)
    api_key_env: Mapped[str | None] = mapped_column(default=None)
    provider: Mapped[str] = mapped_column(default="")
    data_location: Mapped[str] = mapped_column(default="other")
    retains_prompts: Mapped[bool] = mapped_column(default=False)
    owner: Mapped[str] = mapped_column(default="")
    description: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
