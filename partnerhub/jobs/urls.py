from __future__ import annotations

from django.urls import path

from partnerhub.jobs import views

urlpatterns = [
    path("users/csv/", views.UserCsvUploadView.as_view(), name="user-csv-upload"),
    path("users/csv/export/", views.UserCsvExportView.as_view(), name="user-csv-export"),
    path("tasks/", views.JobListView.as_view(), name="job-list"),
    path("tasks/<int:pk>/", views.JobDetailView.as_view(), name="job-detail"),
    path("tasks/<int:pk>/errors.csv", views.JobErrorReportView.as_view(), name="job-error-report"),
]
