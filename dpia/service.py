"""Register service functions: plain arguments and a Session, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from dpia.errors import ToolExists, ToolNotFound
from dpia.models import Tool


def find_tool(session: Session, school_id: str, name: str) -> Tool:
    tool = session.scalar(select(Tool).where(Tool.school_id == school_id, Tool.name == name))
    if tool is None or not tool.enabled:
        raise ToolNotFound(name)
    return tool


def list_tools(session: Session, school_id: str, include_disabled: bool = False) -> list[Tool]:
    query = select(Tool).where(Tool.school_id == school_id).order_by(Tool.name)
    if not include_disabled:
        query = query.where(Tool.enabled.is_(True))
    return list(session.scalars(query))


def create_tool(session: Session, school_id: str, name: str, litellm_model: str, **fields: object) -> Tool:
    if session.scalar(select(Tool).where(Tool.school_id == school_id, Tool.name == name)) is not None:
        raise ToolExists(f"a tool named {name!r} is already registered")
    tool = Tool(school_id=school_id, name=name, litellm_model=litellm_model, **fields)
    session.add(tool)
    session.flush()
    return tool


def set_tool_enabled(session: Session, tool: Tool, enabled: bool) -> Tool:
    tool.enabled = enabled
    session.flush()
    return tool


def seed_tools(session: Session, school_id: str, tools: Iterable[dict[str, object]]) -> list[Tool]:
    """Register configured tools that are not yet in the register; never overwrite a record."""
    created = []
    for spec in tools:
        spec = dict(spec)
        name = str(spec.pop("name"))
        existing = session.scalar(select(Tool).where(Tool.school_id == school_id, Tool.name == name))
        if existing is None:
            created.append(create_tool(session, school_id, name, **spec))  # type: ignore[arg-type]
    return created
