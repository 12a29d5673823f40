"""The workspace's tables (SQLAlchemy Core): the same definitions serve SQLite and PostgreSQL.

The schema itself is created and changed by the Alembic migrations in ``migrations/``; these
objects are how code refers to it. A *series* is one (zone, kind, period); each upload for it
adds a *version*, and the series points at the version in use.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

zones = Table(
    "zones", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("demo", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

uploads = Table(
    "uploads", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("profile", Text, nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

series = Table(
    "series", metadata,
    Column("id", Integer, primary_key=True),
    Column("zone_id", Integer, ForeignKey("zones.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("period", String(40), nullable=False),
    Column("last_version", Integer, nullable=False),
    # No foreign key: a version row refers to its series, and the series to its current version.
    Column("current_version_id", Integer, nullable=True),
    UniqueConstraint("zone_id", "kind", "period", name="uq_series_zone_kind_period"),
)

versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("series_id", Integer, ForeignKey("series.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("upload_id", Integer, ForeignKey("uploads.id"), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("meta", Text, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("series_id", "version", name="uq_versions_series_version"),
)

workforce_counts = Table(
    "workforce_counts", metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("period", String(40), nullable=False),
    Column("zone", String(200), nullable=False),
    Column("staff_category", String(60), nullable=False),
    Column("rank", String(60), nullable=False),
    Column("dimension", String(60), nullable=False),
    Column("group", String(60), nullable=False),
    Column("count", Integer, nullable=False),
)

applicant_counts = Table(
    "applicant_counts", metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("campaign", String(40), nullable=False),
    Column("zone", String(200), nullable=False),
    Column("stage", String(60), nullable=False),
    Column("dimension", String(60), nullable=False),
    Column("group", String(60), nullable=False),
    Column("entered", Integer, nullable=False),
)

movement_counts = Table(
    "movement_counts", metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("period", String(40), nullable=False),
    Column("zone", String(200), nullable=False),
    Column("movement", String(20), nullable=False),
    Column("staff_category", String(60), nullable=False),
    Column("rank", String(60), nullable=False),
    Column("from_rank", String(60), nullable=False),
    Column("leave_reason", String(40), nullable=False),
    Column("entry_year", String(4), nullable=False),
    Column("dimension", String(60), nullable=False),
    Column("group", String(60), nullable=False),
    Column("count", Integer, nullable=False),
)

workforce_entries = Table(
    "workforce_entries", metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("period", String(40), nullable=False),
    Column("zone", String(200), nullable=False),
    Column("staff_category", String(60), nullable=False),
    Column("rank", String(60), nullable=False),
    Column("dimension", String(60), nullable=False),
    Column("group", String(60), nullable=False),
    Column("entry_year", String(4), nullable=False),
    Column("count", Integer, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("zone", String(200), nullable=True),
    Column("kind", String(20), nullable=True),
    Column("period", String(40), nullable=True),
    Column("filename", String(255), nullable=True),
    Column("sha256", String(64), nullable=True),
    Column("rows", Integer, nullable=True),
    Column("version", Integer, nullable=True),
    Column("detail", Text, nullable=True),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=True),
    Column("role", String(20), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("failed_logins", Integer, nullable=False),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
    # Sessions begun before this moment are over (password set or reset, account deactivated).
    Column("sessions_revoked_at", DateTime(timezone=True), nullable=True),
)

# Failed sign-ins for names that are not accounts, throttled exactly as accounts are, so that
# the answers do not tell which names exist.
sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("username", String(100), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", DateTime(timezone=True), nullable=True),
)

user_zones = Table(
    "user_zones", metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("zone_id", Integer, ForeignKey("zones.id"), primary_key=True),
)

setup_tokens = Table(
    "setup_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)
