from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _clean_environment() -> dict[str, str]:
    # Other tests (the browser's) may relax Django's async guard for this process.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**_clean_environment(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="partnerhub.settings.production",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in _clean_environment().items() if k != "SECRET_KEY"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "partnerhub.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY for production." in result.stderr


def test_production_reaches_an_smtp_relay_with_a_login_and_tls():
    result = _manage(
        "shell", "-v", "0", "-c",
        "from django.conf import settings as s; "
        "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS)",
        DJANGO_SETTINGS_MODULE="partnerhub.settings.production", SECRET_KEY="x" * 50,
        EMAIL_HOST="smtp.example.net", EMAIL_PORT="587", EMAIL_HOST_USER="portal",
        EMAIL_HOST_PASSWORD="secret", EMAIL_USE_TLS="true",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["smtp.example.net", "587", "portal", "secret", "True"]


def test_partner_api_schema_builds_without_warnings():
    result = _manage(
        "spectacular", "--urlconf", "partnerhub.urls_public", "--fail-on-warn", "--file", os.devnull,
        DJANGO_SETTINGS_MODULE="partnerhub.settings.test",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
