"""The customers app's pages on an org host: where a launched customer view lands
(``customers/launch.py``), where support staff open the org's admin, and the usage
chart's stylesheet. Included by ``partnerhub/urls_tenant.py`` before the admin's URLs."""

from __future__ import annotations

from django.urls import path

from customers.charts import usage_chart_css
from customers.views import launch_landing, org_admin_landing

urlpatterns = [
    path("charts/usage-chart.css", usage_chart_css, name="usage-chart-css"),
    path("admin/open/<str:token>/", org_admin_landing, name="org-admin-landing"),
    path("launch/<str:token>/", launch_landing, name="launch-landing"),
]
