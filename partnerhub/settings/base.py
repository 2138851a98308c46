"""Settings shared by every environment. Anything that differs per deployment is
read from the environment in ``production.py``; ``local.py`` and ``test.py`` give
safe defaults for a developer machine."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE

from partnerhub.database import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS: list[str] = []

# The public site lives at the base domain; customer org ``acme`` at ``acme.<base>``.
PARTNERHUB_BASE_DOMAIN = os.environ.get("PARTNERHUB_BASE_DOMAIN", "localhost")
# Port appended to links between the partner host and a customer host ("" in production).
PARTNERHUB_LINK_PORT = os.environ.get("PARTNERHUB_LINK_PORT", "")
PARTNERHUB_LINK_SCHEME = os.environ.get("PARTNERHUB_LINK_SCHEME", "http")

# --- tenancy -------------------------------------------------------------------
# Apps whose tables live in the public schema only.
SHARED_APPS = [
    "django_tenants",
    "partnerhub",
    "customers",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.admin",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "bootstrap",
    "django_filters",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "partnerhub.audit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# Apps whose tables live in every customer schema. ``partnerhub.audit`` is in both:
# partner-level changes are audited in public, an org's changes in its own schema.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "partnerhub.audit",
    "partnerhub.jobs",
    "licensing",
    "calling",
    "contactcenter",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "customers.Customer"
TENANT_DOMAIN_MODEL = "customers.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "partnerhub.urls_public"
ROOT_URLCONF = "partnerhub.urls_tenant"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# New orgs get their schema by running the tenant migrations into it. Cloning a
# template schema (TENANT_CREATION_FAKES_MIGRATIONS + TENANT_BASE_SCHEMA) was measured
# too (bench/provision.py): faster with a few orgs, but django-tenants' clone_schema
# reads the whole catalogue, and with 500+ schemas present it took ~7 s per org
# against ~0.8 s for migrating. Set both settings to switch (the template then is
# kept current by customers.services.ensure_tenant_template and migrate_schemas).
TENANT_CREATION_FAKES_MIGRATIONS = False
TENANT_BASE_SCHEMA = ""
# migrate_schemas skips org schemas that already have every migration (one query per
# 500 schemas instead of running migrate in each): customers/migration_executor.py.
GET_EXECUTOR_FUNCTION = "customers.migration_executor.get_executor"
# search_path is set once per connection and tenant switch, not before every query
# (it was half of all statements of a SCIM POST). Safe since django-tenants 4.0.1
# clears its cached search_path on rollback *and* savepoint rollback (issue #1262);
# tests/partnerhub/test_routing.py guards that. See README, Architecture.
TENANT_LIMIT_SET_CALLS = True

DATABASES = {"default": database_settings(base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The page_middleware classes are the libraries' own, skipped on the token-authenticated
# SCIM API (/scim/v2/ of an org host: no session, user, second factor, messages or
# lockouts there; partnerhub/page_middleware.py).
MIDDLEWARE = [
    "partnerhub.middleware.TenantMiddleware",
    "partnerhub.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "partnerhub.middleware.NoStoreDataMiddleware",
    "partnerhub.page_middleware.SessionMiddleware",
    "partnerhub.page_middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "partnerhub.page_middleware.AuthenticationMiddleware",
    "partnerhub.page_middleware.OTPMiddleware",
    # Signed in but not past the second factor (enrolled, or required and not yet
    # enrolled): only the verify / enrol pages and sign-out answer (partnerhub/mfa.py).
    "partnerhub.page_middleware.SecondFactorMiddleware",
    "partnerhub.page_middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns axes' lockout flag into its answer (partnerhub.signin.locked_out); last.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnerhub.context_processors.portal",
            ],
            "builtins": ["partnerhub.templatetags.portal"],
        },
    },
]

# Every form renders with the UI toolkit's classes (partnerhub/rendering.py).
FORM_RENDERER = "partnerhub.rendering.PortalFormRenderer"

WSGI_APPLICATION = "partnerhub.wsgi.application"

# --- identity ------------------------------------------------------------------
AUTH_USER_MODEL = "partnerhub.Account"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# axes first: it refuses a locked-out account + address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "partnerhub.signin.HostRoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): an account + address pair is locked after
# AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME; a success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("PARTNERHUB_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("PARTNERHUB_SIGNIN_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # what authenticate() is called with, on every path
AXES_USERNAME_CALLABLE = "partnerhub.signin.username_of"
AXES_LOCKOUT_CALLABLE = "partnerhub.signin.locked_out"
AXES_VERBOSE = False
# Behind N reverse proxies, the client address is the N-th from the right of
# X-Forwarded-For (0: REMOTE_ADDR as is).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PARTNERHUB_PROXY_COUNT", "0")) or None
SESSION_COOKIE_HTTPONLY = True
# Sessions end after this much idle time: activity renews the session (at most once a
# minute, partnerhub.middleware.IdleSessionMiddleware) and so its expiry and cookie.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("PARTNERHUB_SESSION_IDLE_MINUTES", "60"))
# An invitation link (set your password) works once, for this many hours.
PARTNERHUB_INVITATION_HOURS = int(os.environ.get("PARTNERHUB_INVITATION_HOURS", "72"))
# A password reset link works once, for as long (seconds).
PASSWORD_RESET_TIMEOUT = PARTNERHUB_INVITATION_HOURS * 3600
# A launch hand-off is valid for this many seconds, once.
LAUNCH_TICKET_MAX_AGE = 60

# Second factor (django-otp): the issuer name shown in authenticator apps.
OTP_TOTP_ISSUER = "PartnerHub"

# Content-Security-Policy (django-csp): scripts and style sheets only from this site,
# no inline <script> or <style>; style *attributes* stay allowed for data-driven
# widths (usage meters, progress bars). Nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- i18n ----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One date format on every page: partnerhub/formats/en/formats.py.
FORMAT_MODULE_PATH = ["partnerhub.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "partnerhub@localhost")

# --- background work -----------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# A directory feed POSTed as JSON (50,000 users) is a few MB; files go through
# FILE_UPLOAD_* (streamed to disk) and are size-checked by each upload.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12_000_000

# --- seams between apps ----------------------------------------------------------
# Where licensing calls the apps above it, bound at start-up (licensing/services/hooks.py).
LICENSING_CALLING_HOOKS = "calling.hooks.CallingHooks"
LICENSING_CONTACT_CENTER_HOOKS = "contactcenter.hooks.ContactCenterHooks"

# --- API -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partnerhub.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "partnerhub.api.exception_handler",
}
# API tokens (django-rest-knox): stored as SHA-512 digests, shown once, named,
# expiring; "Authorization: Token ph_…". See partnerhub/tokens.py.
KNOX_TOKEN_MODEL = "partnerhub.ApiToken"  # noqa: S105 - a model name
REST_KNOX = {"TOKEN_PREFIX": "ph_", "TOKEN_TTL": timedelta(days=90), "AUTO_REFRESH": False}
# The longest a token may live (days); 90 unless asked otherwise.
PARTNERHUB_TOKEN_MAX_DAYS = int(os.environ.get("PARTNERHUB_TOKEN_MAX_DAYS", "365"))
SPECTACULAR_SETTINGS = {
    "TITLE": "PartnerHub API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- CSV -----------------------------------------------------------------------
# Our exports escape formulas themselves (partnerhub/spreadsheets.py), keeping phone
# numbers such as +4722334455 intact.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
