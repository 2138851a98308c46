"""A developer's machine: debug on, embedded PostgreSQL unless DATABASE_URL is set."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import PARTNERHUB_BASE_DOMAIN

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "local-development-only-not-a-secret"  # noqa: S105
ALLOWED_HOSTS = [PARTNERHUB_BASE_DOMAIN, f".{PARTNERHUB_BASE_DOMAIN}", "127.0.0.1"]
PARTNERHUB_LINK_PORT = os.environ.get("PARTNERHUB_LINK_PORT", "8000")
