"""The customers app's one page on an org host: where a launched customer view lands
(``customers/launch.py``). Included by ``partnerhub/urls_tenant.py``."""

from __future__ import annotations

from django.urls import path

from customers.views import launch_landing

urlpatterns = [path("launch/<str:token>/", launch_landing, name="launch-landing")]
