"""roster and dsl alerts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ai_gateway.database

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ai_gateway.database.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "roster_imports",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("school_id", sa.String(), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("staff", sa.Integer(), nullable=False),
        sa.Column("parents", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(), nullable=False),
        sa.Column("imported_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_roster_imports_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_imports")),
    )
    op.create_index(op.f("ix_roster_imports_school_id"), "roster_imports", ["school_id"])
    op.create_table(
        "roster_people",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("school_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("forenames", sa.JSON(), nullable=False),
        sa.Column("surname", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("imported_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_roster_people_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_people")),
    )
    op.create_index(op.f("ix_roster_people_school_id"), "roster_people", ["school_id"])
    op.create_table(
        "dsl_alerts",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("school_id", sa.String(), nullable=False),
        sa.Column("request_id", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("supervised_session_id", sa.String(), nullable=True),
        sa.Column("teacher_id", sa.String(), nullable=True),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("triggers", sa.JSON(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("acknowledged_by", sa.String(), nullable=True),
        sa.Column("acknowledged_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_dsl_alerts_school_id_schools")),
        sa.ForeignKeyConstraint(["pupil_id"], ["users.id"], name=op.f("fk_dsl_alerts_pupil_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dsl_alerts")),
    )
    op.create_index(op.f("ix_dsl_alerts_school_id"), "dsl_alerts", ["school_id"])
    op.create_index(op.f("ix_dsl_alerts_request_id"), "dsl_alerts", ["request_id"])
    op.create_index(op.f("ix_dsl_alerts_pupil_id"), "dsl_alerts", ["pupil_id"])
    op.create_index("ix_dsl_alerts_school_status", "dsl_alerts", ["school_id", "status"])


def downgrade() -> None:
    op.drop_table("dsl_alerts")
    op.drop_table("roster_people")
    op.drop_table("roster_imports")
