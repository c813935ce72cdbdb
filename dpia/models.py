"""Register records: AI tools, SLT approvals, DPIA versions and the log of every change."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ai_gateway.database import Base, new_id, utcnow
from ai_gateway.identity.models import User


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
    # Where prompts are processed: UK, EEA, US, other or local (on the school's own servers).
    data_location: Mapped[str] = mapped_column(default="other")
    retains_prompts: Mapped[bool] = mapped_column(default=False)
    trains_on_prompts: Mapped[bool] = mapped_column(default=False, server_default=false())
    owner: Mapped[str] = mapped_column(default="")
    description: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Approval(Base):
    """The senior leadership team's written approval to use a tool, after a risk assessment.

    An approval is never edited: a change of scope or date is a new approval, and
    the old one is withdrawn with a reason. It is in force from `valid_from` to
    `review_by` (both inclusive) unless withdrawn.
    """

    __tablename__ = "approvals"
    __table_args__ = (Index("ix_approvals_school_tool", "school_id", "tool_id"),)

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    tool_id: Mapped[str] = mapped_column(ForeignKey("tools.id"))
    approved_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime]
    risk_assessment_reference: Mapped[str]
    risk_assessment_summary: Mapped[str] = mapped_column(Text, default="")
    # The scope: roles, key stages (for pupils) and purposes, as lists of names.
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    key_stages: Mapped[list[str]] = mapped_column(JSON, default=list)
    purposes: Mapped[list[str]] = mapped_column(JSON, default=list)
    valid_from: Mapped[date]
    review_by: Mapped[date]
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text, default=None)

    tool: Mapped[Tool] = relationship(lazy="joined")
    approved_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[approved_by_id])
    withdrawn_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[withdrawn_by_id])


class Dpia(Base):
    """One version of a tool's Data Protection Impact Assessment.

    Rows are never updated: every change (an edit, submission, the DPO's
    decision) adds the next version, so the history is the table itself.
    `categories` maps each personal-data category the DPIA covers to
    "in_clear" or "pseudonymised".
    """

    __tablename__ = "dpias"
    __table_args__ = (UniqueConstraint("tool_id", "version"), Index("ix_dpias_school_tool", "school_id", "tool_id"))

    id: Mapped[str] = mapped_column(primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    tool_id: Mapped[str] = mapped_column(ForeignKey("tools.id"))
    version: Mapped[int]
    reference: Mapped[str]
    # draft -> submitted -> approved | rejected; an edit starts a new draft.
    status: Mapped[str] = mapped_column(default="draft")
    categories: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    lawful_basis: Mapped[str] = mapped_column(Text, default="")
    special_category_condition: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    mitigations: Mapped[str] = mapped_column(Text, default="")
    review_by: Mapped[date | None] = mapped_column(default=None)
    changed_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime]
    change_note: Mapped[str] = mapped_column(Text, default="")
    # The DPO's sign-off (or rejection), carried forward on the version it decided.
    decided_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)

    tool: Mapped[Tool] = relationship(lazy="joined")
    changed_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[changed_by_id])
    decided_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[decided_by_id])


class RegisterChange(Base):
    """Who changed what in the register, when, and the record before and after."""

    __tablename__ = "register_changes"
    __table_args__ = (Index("ix_register_changes_school_at", "school_id", "at"),)

    # A number, not a random id: it orders changes made in the same instant (e.g. a renewal).
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"))
    # None when the change came from the configuration file at start-up.
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    entity: Mapped[str]  # tool | approval | dpia
    entity_id: Mapped[str]
    action: Mapped[str]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="joined")
