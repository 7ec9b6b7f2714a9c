"""Identity-resolution benchmarks: FEBRL (``bench/febrl.py``) and 1M Chinese records
(``bench/identity.py``), yiwang's resolver beside Splink. Not named ``identity``, which
would shadow the project's package."""
