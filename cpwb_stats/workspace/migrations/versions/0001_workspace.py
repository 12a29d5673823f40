"""The workspace: zones, versioned uploads, stored counts, audit log and accounts.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "zones",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("created_at", WHEN, nullable=False))
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("profile", sa.Text, nullable=False),
        sa.Column("uploaded_by", sa.String(100), nullable=False),
        sa.Column("uploaded_at", WHEN, nullable=False))
    op.create_table(
        "series",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("zone_id", sa.Integer, sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("period", sa.String(40), nullable=False),
        sa.Column("last_version", sa.Integer, nullable=False),
        sa.Column("current_version_id", sa.Integer, nullable=True),
        sa.UniqueConstraint("zone_id", "kind", "period", name="uq_series_zone_kind_period"))
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("series_id", sa.Integer, sa.ForeignKey("series.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("series_id", "version", name="uq_versions_series_version"))
    op.create_table(
        "workforce_counts",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False,
                  index=True),
        sa.Column("period", sa.String(40), nullable=False),
        sa.Column("zone", sa.String(200), nullable=False),
        sa.Column("staff_category", sa.String(60), nullable=False),
        sa.Column("rank", sa.String(60), nullable=False),
        sa.Column("dimension", sa.String(60), nullable=False),
        sa.Column("group", sa.String(60), nullable=False),
        sa.Column("count", sa.Integer, nullable=False))
    op.create_table(
        "applicant_counts",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False,
                  index=True),
        sa.Column("campaign", sa.String(40), nullable=False),
        sa.Column("zone", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(60), nullable=False),
        sa.Column("dimension", sa.String(60), nullable=False),
        sa.Column("group", sa.String(60), nullable=False),
        sa.Column("entered", sa.Integer, nullable=False))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("zone", sa.String(200)),
        sa.Column("kind", sa.String(20)),
        sa.Column("period", sa.String(40)),
        sa.Column("filename", sa.String(255)),
        sa.Column("sha256", sa.String(64)),
        sa.Column("rows", sa.Integer),
        sa.Column("version", sa.Integer),
        sa.Column("detail", sa.Text))
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", WHEN),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("last_login_at", WHEN))
    op.create_table(
        "user_zones",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("zone_id", sa.Integer, sa.ForeignKey("zones.id"), primary_key=True))
    op.create_table(
        "setup_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN))


def downgrade() -> None:
    for table in ("setup_tokens", "user_zones", "users", "audit_log", "applicant_counts",
                  "workforce_counts", "versions", "series", "uploads", "zones"):
        op.drop_table(table)
