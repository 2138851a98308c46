"""The partner host (public schema)."""

from __future__ import annotations

from django.urls import include, path

from customers.charts import usage_chart_css
from partnerhub.urls_common import urlpatterns as common

urlpatterns = [
    path("charts/usage-chart.css", usage_chart_css, name="usage-chart-css"),
    *common,
    path("", include("customers.urls")),
    path("api/partner/", include("customers.api.urls")),
]
