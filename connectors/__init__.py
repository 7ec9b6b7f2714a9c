"""connectors: see issue 3; not built yet."""
