"""Property tests keep no example database in the working tree and have no deadline
(the first call loads OpenCC's tables and pypinyin's dictionary)."""

from hypothesis import settings

settings.register_profile("identity", database=None, deadline=None)
settings.load_profile("identity")
