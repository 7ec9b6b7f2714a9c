"""The parts of ``bench/sync.py``: CPU accounting, the stage-by-stage run, the report."""
