"""API plumbing shared by every app: the one exception handler."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from partnerhub.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become ``{"code": ..., "message": ...}`` with their status."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    return drf_exception_handler(exc, context)
