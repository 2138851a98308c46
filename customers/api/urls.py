from __future__ import annotations

from django.urls import path

from customers.api import views

urlpatterns = [
    path("customers/", views.CustomerListApi.as_view(), name="api-customer-list"),
    path("customers/export.csv", views.CustomerExportApi.as_view(), name="api-customer-export"),
    path("customers/provision/", views.ProvisionApi.as_view(), name="api-customer-provision"),
    path("customers/<int:pk>/", views.CustomerDetailApi.as_view(), name="api-customer-detail"),
    path(
        "customers/<int:pk>/invitation/",
        views.CustomerInvitationApi.as_view(),
        name="api-customer-invitation",
    ),
    path("customers/<int:pk>/launch/", views.LaunchApi.as_view(), name="api-customer-launch"),
]

from customers.subscriptions.urls import api_urlpatterns  # noqa: E402

urlpatterns += api_urlpatterns

from customers.api import partner_admins  # noqa: E402

urlpatterns += [
    path("admins/", partner_admins.PartnerAdminListApi.as_view(), name="api-partner-admins"),
    path("security/", partner_admins.PartnerSecurityApi.as_view(), name="api-partner-security"),
    path(
        "admins/<int:pk>/", partner_admins.PartnerAdminDetailApi.as_view(), name="api-partner-admin"
    ),
    path(
        "admins/<int:pk>/invitation/",
        partner_admins.PartnerAdminInvitationApi.as_view(),
        name="api-partner-admin-invitation",
    ),
]
