"""Roles and key stages, in the school's own words."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    pupil = "pupil"
    teacher = "teacher"
    support_staff = "support_staff"
    dpo = "dpo"
    slt = "slt"
    dsl = "dsl"
    it_admin = "it_admin"
    visitor = "visitor"


STAFF_ROLES = frozenset(Role) - {Role.pupil, Role.visitor}


def key_stage(year_group: int | None) -> str | None:
    """The key stage for an English year group (0 is Reception)."""
    if year_group is None:
        return None
    if year_group <= 0:
        return "EYFS"
    if year_group <= 2:
        return "KS1"
    if year_group <= 6:
        return "KS2"
    if year_group <= 9:
        return "KS3"
    if year_group <= 11:
        return "KS4"
    return "KS5"
