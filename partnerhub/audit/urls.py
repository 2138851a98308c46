from __future__ import annotations

from django.urls import path

from partnerhub.audit import views

urlpatterns = [
    path("audit/", views.AuditLogView.as_view(), name="org-audit-log"),
    path("audit/export.csv", views.AuditLogCsvView.as_view(), name="org-audit-log-csv"),
]
