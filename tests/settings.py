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
