"""The partner host (public schema). The apps' URL modules are named as strings
(``partnerhub`` imports no app)."""

from __future__ import annotations

from django.urls import include, path

from partnerhub.urls_common import urlpatterns as common

urlpatterns = [
    *common,
    path("", include("customers.urls")),
    path("api/partner/", include("customers.api.urls")),
]
