"""API plumbing shared by every app: the one exception handler."""

from __future__ import annotations

import re
from typing import Any

from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from partnerhub.errors import DomainError

# A lone UTF-16 surrogate: a JSON body may carry one ("\ud800"), no answer can (it has
# no UTF-8 form), and an error that quotes the value sent would end as a 500.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become ``{"code": ..., "message": ...}`` with their status. Every
    error's text is made writable: a value it quotes keeps its lone surrogates as
    U+FFFD (``writable``)."""
    if isinstance(exc, DomainError):
        return Response(writable(exc.as_dict()), status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = writable(response.data)
    return response


def writable(data: Any) -> Any:
    """``data`` with each lone surrogate of its strings (keys too) replaced by U+FFFD;
    ``ErrorDetail`` keeps its code."""
    if isinstance(data, str):
        if not _LONE_SURROGATE.search(data):
            return data
        text = _LONE_SURROGATE.sub("\ufffd", data)
        return ErrorDetail(text, data.code) if isinstance(data, ErrorDetail) else text
    if isinstance(data, dict):
        return {writable(key): writable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [writable(item) for item in data]
    return data
