from __future__ import annotations

from django.urls import path

from customers.api import views

urlpatterns = [
    path("customers/", views.CustomerListApi.as_view(), name="api-customer-list"),
    path("customers/export.csv", views.CustomerExportApi.as_view(), name="api-customer-export"),
    path("customers/provision/", views.ProvisionApi.as_view(), name="api-customer-provision"),
    path("customers/<int:pk>/", views.CustomerDetailApi.as_view(), name="api-customer-detail"),
    path("customers/<int:pk>/launch/", views.LaunchApi.as_view(), name="api-customer-launch"),
]

from customers.subscriptions.urls import api_urlpatterns  # noqa: E402

urlpatterns += api_urlpatterns
