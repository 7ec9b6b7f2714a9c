"""The GraphQL page benchmark, yiwang against PostGraphile 5; run it with bench/graphql_page.py.

- ``config``: paths, the queries, the yiwang CLI and progress lines.
- ``stores``: the SQLite file and the PostgreSQL database, seeded by ``yiwang seed-demo``.
- ``servers``: starting and stopping yiwang and PostGraphile in their own process groups.
- ``checks``: each server's page compared with the first 50 residents of its store.
- ``load``: wrk runs and their ``WRK_JSON`` line.
- ``machine``: machine facts and versions, CPU used by other processes meanwhile.
- ``report``: the printed tables and this benchmark's section of bench/RESULTS.md.
- ``run``: one whole run, server by server.
"""
