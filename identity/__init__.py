"""identity: see issue 4; not built yet."""
