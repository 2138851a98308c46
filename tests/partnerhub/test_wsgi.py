"""The WSGI entry point (``partnerhub/wsgi.py``), as a server such as gunicorn loads it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wsgi_application_keeps_its_start_up_objects_out_of_the_cyclic_gc():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partnerhub.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",  # loading connects to nothing
    }
    code = "import gc, partnerhub.wsgi as w; print(callable(w.application), gc.get_freeze_count())"
    done = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    loaded, frozen = done.stdout.split()
    assert loaded == "True"
    assert int(frozen) > 10_000  # the apps, models and middleware: out of the collector's walk
