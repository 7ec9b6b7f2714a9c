"""Wiring only: settings, the Starlette app, the CLI, auth and metrics."""
