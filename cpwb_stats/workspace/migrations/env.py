"""Alembic environment: runs on the connection the application hands over (see database.py)."""

from alembic import context
from sqlalchemy import create_engine

from cpwb_stats.workspace.database import database_url
from cpwb_stats.workspace.tables import metadata

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    with create_engine(database_url()).begin() as conn:
        _run(conn)
