from __future__ import annotations

from django.urls import path

from customers import charts, customer_page, partner_audit, views

urlpatterns = [
    path("charts/usage-chart.css", charts.usage_chart_css, name="usage-chart-css"),
    path("partner/", views.partner_dashboard, name="partner-dashboard"),
    path("partner/customers/", views.customer_list, name="customer-list"),
    path("partner/customers/export.csv", views.customer_list_csv, name="customer-list-csv"),
    path("partner/customers/new/", views.provision, name="customer-provision"),
    path(
        "partner/customers/<int:customer_id>/invitation/",
        views.customer_invitation,
        name="customer-invitation",
    ),
    path(
        "partner/customers/<int:customer_id>/",
        customer_page.customer_detail,
        name="customer-detail",
    ),
    path(
        "partner/customers/<int:customer_id>/status/<str:action>/",
        customer_page.customer_status,
        name="customer-status",
    ),
    path("partner/alerts/", customer_page.alerts, name="partner-alerts"),
    path("partner/audit/", partner_audit.partner_audit_log, name="partner-audit-log"),
    path(
        "partner/audit/export.csv",
        partner_audit.partner_audit_log_csv,
        name="partner-audit-log-csv",
    ),
    path(
        "partner/customers/<int:customer_id>/launch/",
        views.launch_customer,
        name="customer-launch",
    ),
]

from customers import partner_admin_views  # noqa: E402

urlpatterns += [
    path("partner/admins/", partner_admin_views.admin_list, name="partner-admins"),
    path(
        "partner/admins/second-factor/",
        partner_admin_views.mfa_requirement,
        name="partner-mfa-requirement",
    ),
    path(
        "partner/admins/<int:membership_id>/",
        partner_admin_views.admin_change,
        name="partner-admin-change",
    ),
    path(
        "partner/admins/<int:membership_id>/invitation/",
        partner_admin_views.admin_resend_invitation,
        name="partner-admin-invitation",
    ),
    path(
        "partner/admins/<int:membership_id>/remove/",
        partner_admin_views.admin_remove,
        name="partner-admin-remove",
    ),
]

from customers.subscriptions.urls import urlpatterns as subscription_urls  # noqa: E402

urlpatterns += subscription_urls
