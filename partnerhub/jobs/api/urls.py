from __future__ import annotations

from django.urls import path

from partnerhub.jobs.api import views

urlpatterns = [
    path("tasks/", views.JobListApi.as_view(), name="api-job-list"),
    path("tasks/<int:pk>/", views.JobDetailApi.as_view(), name="api-job-detail"),
    path("tasks/<int:pk>/cancel/", views.JobCancelApi.as_view(), name="api-job-cancel"),
    path("tasks/<int:pk>/errors.csv", views.JobErrorReportApi.as_view(), name="api-job-errors"),
]
