"""A customer host (``<slug>.<base domain>``, the org's schema)."""

from __future__ import annotations

from django.urls import include, path

from customers.charts import usage_chart_css
from customers.views import launch_landing, org_admin_landing
from partnerhub.urls_common import urlpatterns as common

urlpatterns = [
    path("charts/usage-chart.css", usage_chart_css, name="usage-chart-css"),
    # Before the admin's own URLs (its catch-all would take it).
    path("admin/open/<str:token>/", org_admin_landing, name="org-admin-landing"),
    *common,
    path("launch/<str:token>/", launch_landing, name="launch-landing"),
    path("", include("partnerhub.audit.urls")),
    path("", include("partnerhub.jobs.urls")),
    path("", include("licensing.urls")),
    path("calling/", include("calling.urls")),
    path("contact-center/", include("contactcenter.urls")),
    path("api/", include("partnerhub.jobs.api.urls")),
    path("api/", include("licensing.api.urls")),
    path("api/calling/", include("calling.api.urls")),
    path("api/contact-center/", include("contactcenter.api.urls")),
    path("scim/v2/", include("licensing.scim.urls")),
]
