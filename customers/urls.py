from __future__ import annotations

from django.urls import path

from customers import views

urlpatterns = [
    path("partner/", views.partner_dashboard, name="partner-dashboard"),
    path("partner/customers/", views.customer_list, name="customer-list"),
    path("partner/customers/export.csv", views.customer_list_csv, name="customer-list-csv"),
    path("partner/customers/new/", views.provision, name="customer-provision"),
    path(
        "partner/customers/<int:customer_id>/launch/",
        views.launch_customer,
        name="customer-launch",
    ),
]
