from __future__ import annotations

from django.urls import path

from partnerhub.jobs import views

urlpatterns = [
    path("tasks/", views.JobListView.as_view(), name="job-list"),
    path("tasks/<int:pk>/", views.JobDetailView.as_view(), name="job-detail"),
    path("tasks/<int:pk>/cancel/", views.JobCancelView.as_view(), name="job-cancel"),
    path("tasks/<int:pk>/errors.csv", views.JobErrorReportView.as_view(), name="job-error-report"),
]
