"""The ``yiwang`` subcommands, one module per area; they share one console."""

from rich.console import Console

console = Console()
