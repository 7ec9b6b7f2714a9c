"""The store: SQLAlchemy models, engine and session, Alembic migrations."""

from store.session import create_engine, session_factory

__all__ = ["create_engine", "session_factory"]
