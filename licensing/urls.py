from __future__ import annotations

from django.urls import path

from licensing import views

urlpatterns = [
    path("overview/", views.OrgOverviewView.as_view(), name="org-overview"),
]
