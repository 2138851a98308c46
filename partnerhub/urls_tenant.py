"""A customer host (``<slug>.<base domain>``, the org's schema). The URLconfs are
where the apps are put together: they name the apps' URL modules as strings and
import none of them (``partnerhub`` imports no app)."""

from __future__ import annotations

from django.urls import include, path

from partnerhub.urls_common import urlpatterns as common

urlpatterns = [
    # The SCIM API first: an identity provider's every request resolves at once.
    path("scim/v2/", include("licensing.scim.urls")),
    # customers' pages on an org host, before the admin's own URLs in ``common`` (its
    # catch-all would take admin/open/).
    path("", include("customers.org_urls")),
    *common,
    path("", include("partnerhub.audit.urls")),
    path("", include("partnerhub.jobs.urls")),
    path("", include("licensing.urls")),
    path("calling/", include("calling.urls")),
    path("contact-center/", include("contactcenter.urls")),
    path("api/", include("partnerhub.jobs.api.urls")),
    path("api/", include("licensing.api.urls")),
    path("api/calling/", include("calling.api.urls")),
    path("api/contact-center/", include("contactcenter.api.urls")),
]
