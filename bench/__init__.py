"""Benchmarks (a package only so that type checkers name ``bench/identity.py`` ``bench.identity``,
not ``identity``)."""
