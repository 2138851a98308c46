"""The test run: same database rule as everywhere (DATABASE_URL or embedded)."""

from __future__ import annotations

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
