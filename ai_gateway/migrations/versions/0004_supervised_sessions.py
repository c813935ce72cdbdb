"""supervised sessions, pupils' groups, the session on each log entry

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ai_gateway.database

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = ai_gateway.database.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "supervised_sessions",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("school_id", sa.String(), nullable=False),
        sa.Column("teacher_id", sa.String(), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("join_code", sa.String(), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("tools", sa.JSON(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("learner_mode", sa.Boolean(), nullable=False),
        sa.Column("rate_per_minute", sa.Integer(), nullable=True),
        sa.Column("token_budget", sa.Integer(), nullable=True),
        sa.Column("advisory_minutes", sa.Integer(), nullable=False),
        sa.Column("hard_stop_minutes", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("ends_at", UTC, nullable=False),
        sa.Column("paused_at", UTC, nullable=True),
        sa.Column("ended_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_supervised_sessions_school_id_schools")),
        sa.ForeignKeyConstraint(["teacher_id"], ["users.id"], name=op.f("fk_supervised_sessions_teacher_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervised_sessions")),
    )
    op.create_index(op.f("ix_supervised_sessions_school_id"), "supervised_sessions", ["school_id"])
    op.create_index(op.f("ix_supervised_sessions_teacher_id"), "supervised_sessions", ["teacher_id"])
    op.create_index(op.f("ix_supervised_sessions_join_code"), "supervised_sessions", ["join_code"])
    op.create_index("ix_supervised_sessions_school_ends", "supervised_sessions", ["school_id", "ends_at"])
    op.create_table(
        "supervised_session_pupils",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("how", sa.String(), nullable=False),
        sa.Column("added_at", UTC, nullable=False),
        sa.Column("paused_at", UTC, nullable=True),
        sa.Column("time_limit_lifts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["supervised_sessions.id"],
                                name=op.f("fk_supervised_session_pupils_session_id_supervised_sessions")),
        sa.ForeignKeyConstraint(["pupil_id"], ["users.id"], name=op.f("fk_supervised_session_pupils_pupil_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervised_session_pupils")),
        sa.UniqueConstraint("session_id", "pupil_id", name=op.f("uq_supervised_session_pupils_session_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_supervised_session_pupils_session_id"), "supervised_session_pupils", ["session_id"])
    op.create_index(op.f("ix_supervised_session_pupils_pupil_id"), "supervised_session_pupils", ["pupil_id"])
    # Existing users are in no group yet.
    op.add_column("users", sa.Column("groups", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.add_column("request_log", sa.Column("supervised_session_id", sa.String(), nullable=True))
    op.create_index(op.f("ix_request_log_supervised_session_id"), "request_log", ["supervised_session_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_request_log_supervised_session_id"), table_name="request_log")
    with op.batch_alter_table("request_log") as batch:
        batch.drop_column("supervised_session_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("groups")
    op.drop_table("supervised_session_pupils")
    op.drop_table("supervised_sessions")
