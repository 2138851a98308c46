from __future__ import annotations

from django.urls import path

from customers import views

urlpatterns = [
    path("partner/", views.partner_dashboard, name="partner-dashboard"),
]
