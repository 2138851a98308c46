"""`./dev run` (manage.py serve) stops everything it started when it is stopped
(issue 11 item 11): the worker and the embedded PostgreSQL."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_until(process: subprocess.Popen[str], text: str, *, seconds: float) -> str:
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline() if process.stdout else ""
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"{text!r} not printed; output:\n{''.join(seen)}")


def test_stopping_serve_stops_its_worker_and_the_embedded_postgresql():
    pgdata = (
        ROOT / f".serve-test-pgdata-{uuid.uuid4().hex[:8]}"
    )  # beside .pgdata: readable by its server
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(PARTNERHUB_PGDATA=str(pgdata), DJANGO_SETTINGS_MODULE="partnerhub.settings.local")
    serve = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "serve", "--no-demo", "--host", "127.0.0.1",
         "--port", str(free_port())],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        read_until(serve, "Starting worker", seconds=240)  # the worker's own first line
        serve.send_signal(signal.SIGTERM)
        output = read_until(serve, "Stopped the embedded PostgreSQL.", seconds=60)
        assert serve.wait(timeout=30) == 0 or "Stopped the embedded PostgreSQL." in output
        assert not (pgdata / "postmaster.pid").exists()
    finally:
        if serve.poll() is None:
            serve.kill()
        shutil.rmtree(pgdata, ignore_errors=True)
