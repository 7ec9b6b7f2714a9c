"""Grid-subtree conditions over the materialised path (``/4208/420802/…/``)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, select, true
from sqlalchemy.orm import InstrumentedAttribute

from store.models import Grid


def subtree_bounds(path: str) -> tuple[str, str]:
    """Half-open range of paths in the subtree rooted at ``path`` (itself included).

    Paths end with "/", and "0" is the character right after "/", so every descendant
    sorts in [path, path[:-1] + "0"), which an index on ``grid.path`` serves directly.
    """
    return path, path[:-1] + "0"


def in_subtree(path: str) -> ColumnElement[bool]:
    low, high = subtree_bounds(path)
    return and_(Grid.path >= low, Grid.path < high)


def narrowest(*paths: str | None) -> str | None:
    """Intersection of subtrees: the deepest path if they nest, ``""`` if disjoint,
    ``None`` when no path was given (no restriction)."""
    given = sorted((p for p in paths if p is not None), key=len)
    if not given:
        return None
    deepest = given[-1]
    return deepest if all(deepest.startswith(p) for p in given) else ""


def grid_in_subtree(column: InstrumentedAttribute[int], path: str | None) -> ColumnElement[bool]:
    """``column`` (a grid id) lies in the subtree at ``path``; all rows for ``None``."""
    if path is None:
        return true()
    if path == "":
        return false()
    return column.in_(select(Grid.id).where(in_subtree(path)))
