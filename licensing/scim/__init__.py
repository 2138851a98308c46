"""SCIM 2.0 (RFC 7643/7644): each org is a SCIM service provider at ``/scim/v2/``.

Okta and Microsoft Entra ID provision the org's users and groups here with a bearer
token of a *SCIM connection*. The protocol (resource models, PATCH, filters, error
shape) comes from ``scim2-models``; every write goes through the licensing services
(and, for work phones, calling provisioning through ``licensing.services.hooks``), the
same ones pages, CSV and directory sync use. See ``README.md`` (SCIM) for the choice
of library and the identity-provider dialects.
"""
