"""The test run: same database rule as everywhere (DATABASE_URL or embedded)."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PARTNERHUB_BASE_DOMAIN = "localhost"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Losing the last commit on a crash is fine for a throw-away test database.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
# Persistent connections as in production (bench/scim.py's server sets 60); tests: none.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "0"))
# Parallel runs on one server (several developers, CI) name their own test database.
_suffix = os.environ.get("PARTNERHUB_TEST_DB", "").strip()
DATABASES["default"]["TEST"] = {"NAME": "test_partnerhub" + (f"_{_suffix}" if _suffix else "")}
