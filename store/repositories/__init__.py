"""Read queries over the store, one module per aggregate.

Each function takes an ``AsyncConnection`` and returns plain rows; callers batch keys,
so no function here is called once per row of a page.
"""
