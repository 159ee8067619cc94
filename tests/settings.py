"""Test settings: the real settings, with fast password hashing and media in a temporary folder."""

import tempfile
from pathlib import Path

from newsroom.settings import *  # noqa: F403
from newsroom.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-media-"))
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-static-"))
# test_trending.py writes HourlyViews rows directly; the Redis backend is tested in test_trending_redis.py.
TRENDING_BACKEND = "database"
# Login throttling stays off for the suite (the test client's login() passes no request, which django-axes
# refuses); tests/test_security_login.py turns it on.
AXES_ENABLED = False
# Photo renditions are made at once, inside the save; tests/test_renditions_tasks.py uses the database queue.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# On SQLite the tests use a database file, not Django's default in-memory one. The browser tests' live server
# answers on several threads, and an in-memory database is one connection shared by all of them and by the
# test itself: two requests at once (the body editor's photo search beside another) failed in CI with
# "bad parameter or other API misuse", and the reading beacon with "database table is locked". With a file,
# each thread has its own connection, and WAL and the busy timeout in settings order their writes.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="newsroom-test-db-")) / "test.sqlite3")
    }
