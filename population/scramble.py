"""Collision-free scrambled counters: the n-th value of a fixed permutation of range(size).

Used where synthetic values must look arbitrary yet never repeat (phones, flat numbers)
without remembering every value handed out, so memory stays bounded at any population size.
"""

from __future__ import annotations

import math

_GOLDEN = 0.6180339887498949


class Scrambler:
    """Maps counters 0, 1, 2 … to distinct positions in range(size) (until it wraps at size)."""

    def __init__(self, size: int, offset: int = 0) -> None:
        if size <= 0:
            raise ValueError("size must be positive")
        stride = max(1, int(size * _GOLDEN))
        while math.gcd(stride, size) != 1:
            stride += 1
        self.size = size
        self._stride = stride
        self._offset = offset % size

    def __call__(self, counter: int) -> int:
        return (self._offset + counter * self._stride) % self.size
