from __future__ import annotations

from tests.partnerhub.demo_org import demo_acme, demo_acme_loaded

__all__ = ["demo_acme", "demo_acme_loaded"]
