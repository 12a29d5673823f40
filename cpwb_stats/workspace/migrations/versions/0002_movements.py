"""Movements (hires, leavers, promotions) and the workforce's people per year of entry.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _text(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=False)


def _version() -> sa.Column:
    return sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False,
                     index=True)


def upgrade() -> None:
    op.create_table(
        "movement_counts", _version(), _text("period", 40), _text("zone", 200),
        _text("movement", 20), _text("staff_category", 60), _text("rank", 60),
        _text("from_rank", 60), _text("leave_reason", 40), _text("entry_year", 4),
        _text("dimension", 60), _text("group", 60),
        sa.Column("count", sa.Integer, nullable=False))
    op.create_table(
        "workforce_entries", _version(), _text("period", 40), _text("zone", 200),
        _text("staff_category", 60), _text("rank", 60), _text("dimension", 60),
        _text("group", 60), _text("entry_year", 4),
        sa.Column("count", sa.Integer, nullable=False))


def downgrade() -> None:
    op.drop_table("workforce_entries")
    op.drop_table("movement_counts")
