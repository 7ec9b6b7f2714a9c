"""ASGI entry point for uvicorn (``yiwang.asgi:app_factory``, factory mode)."""

from __future__ import annotations

from starlette.applications import Starlette

from yiwang.app import create_app
from yiwang.settings import load_settings


def app_factory() -> Starlette:
    return create_app(load_settings())
