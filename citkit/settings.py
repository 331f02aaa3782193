"""citkit settings: everything comes from the environment, with safe development defaults.

`.env.example` lists every variable. `CITKIT_ENV=production` turns on the
hardening that `manage.py check --deploy` asks for and refuses to start
without a real SECRET_KEY.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from citkit.core.log import log_format

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CITKIT_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


CITKIT_ENV = os.environ.get("CITKIT_ENV", "development")
PRODUCTION = CITKIT_ENV == "production"


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when CITKIT_ENV=production.")
    # Development: generate once and keep it, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", default=not PRODUCTION) and not PRODUCTION
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin, behind citkit's sign-in and its second factor (core/admin_site.py).
    "citkit.core.admin_site.CitkitAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # citkit's apps, named by their AppConfig: each declares its pages, API,
    # menu entries, audited models and demo step there (see core/registry.py).
    "citkit.core.apps.CoreConfig",
    "citkit.partners.apps.PartnersConfig",
    "citkit.people.apps.PeopleConfig",
    "citkit.partnerships.apps.PartnershipsConfig",
    "citkit.committee.apps.CommitteeConfig",
    "citkit.plan.apps.PlanConfig",
    "citkit.demo.apps.DemoConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "citkit.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A password saved during a request spares the session it was changed from.
    "citkit.core.credentials.CurrentRequestMiddleware",
    # request.user.is_verified(): signed in with a second factor (core/mfa.py).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "citkit.core.middleware.SessionLifetimeMiddleware",
    "citkit.core.middleware.SignedInNoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "citkit.urls"
WSGI_APPLICATION = "citkit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "citkit" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "citkit.core.context_processors.citkit",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# Default: an embedded SQLite file under var/. WAL lets readers run beside the
# one writer, and IMMEDIATE transactions plus a busy timeout make concurrent
# writers queue instead of failing with "database is locked".
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'citkit.sqlite3'}",
        conn_max_age=int(os.environ.get("CITKIT_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CITKIT_TEST_SQLITE", "")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default random_page_cost (4) models spinning disks. With it, a name
    # search that matches a thousand officers tips the planner from the trigram indexes
    # to reading all 50,000 rows (25 ms instead of 5). 1.1 is what PostgreSQL's manual
    # suggests for solid-state storage; empty leaves the server's own setting.
    _page_cost = os.environ.get("CITKIT_PG_RANDOM_PAGE_COST", "1.1").strip()
    if _page_cost:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c random_page_cost={float(_page_cost)}"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background jobs and the cache ------------------------------------------
# Jobs are queued in the database (django-tasks' database backend): the embedded
# SQLite file needs no other service, and on PostgreSQL any number of worker
# machines share the queue. `manage.py worker` runs them and the schedules.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CITKIT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Live job progress crosses processes through the cache: files under var/ by
# default (no service needed), Redis when CITKIT_CACHE_URL says so (several machines).
_cache_url = os.environ.get("CITKIT_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url.startswith(("redis://", "rediss://"))
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    ),
    # Figures kept until a program's data changes (core/freshness.py), in each
    # process's memory; the version tokens that make them stale are in "default".
    "kept": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "citkit-kept",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}

# --- Accounts and sign-in security -----------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account (by user name, whether or not it exists, so the lock itself
# reveals nothing) after 5 failed sign-ins, for CITKIT_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("CITKIT_LOCKOUT_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CITKIT_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes suggests adding the IP address; we lock the account itself on purpose
# (a password-guesser rotating addresses still hits the same account lock).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "citkit.core.views.accounts.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Two-factor sign-in (docs/two-factor.md): the name authenticator apps show, and
# no secrets on the admin's device pages. Wrong codes wait 1, 2, 4, 8 ... seconds.
OTP_TOTP_ISSUER = "citkit"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Idle timeout, enforced by SessionLifetimeMiddleware on the server: it notes the
# last activity in the session and saves it (renewing the cookie) at most once a
# minute, so a page view does not write the session row (SQLite's one write lock).
CITKIT_SESSION_IDLE_MINUTES = int(os.environ.get("CITKIT_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = CITKIT_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
# Absolute limit, enforced by SessionLifetimeMiddleware.
CITKIT_SESSION_MAX_HOURS = float(os.environ.get("CITKIT_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# API tokens expire after this many days at most (docs/accounts.md).
CITKIT_TOKEN_DAYS = int(os.environ.get("CITKIT_TOKEN_DAYS", "90"))
# An invitation to a program can be accepted for this many days.
CITKIT_INVITATION_DAYS = int(os.environ.get("CITKIT_INVITATION_DAYS", "14"))
# Password-reset requests: at most so many per e-mail address and per client address
# in the window; every answer takes at least CITKIT_PASSWORD_RESET_SECONDS, so that a
# known address (a mail is sent) looks no different from an unknown one.
CITKIT_PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("CITKIT_PASSWORD_RESET_PER_ADDRESS", "5"))
CITKIT_PASSWORD_RESET_PER_CLIENT = int(os.environ.get("CITKIT_PASSWORD_RESET_PER_CLIENT", "20"))
CITKIT_PASSWORD_RESET_WINDOW_MINUTES = int(
    os.environ.get("CITKIT_PASSWORD_RESET_WINDOW_MINUTES", "60")
)
CITKIT_PASSWORD_RESET_SECONDS = float(os.environ.get("CITKIT_PASSWORD_RESET_SECONDS", "1.5"))

# --- Response headers (docs/security.md) ------------------------------------
# No inline script or style anywhere: every script and stylesheet is a file under
# /static/. data: images are Pico's icons (select arrows, checkboxes) in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation: store UTC, show each program's own zone ----------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# citkit speaks English only. Without the translation machinery, each variable a
# template renders skips a lookup of the active language (about a tenth of a page's
# rendering: docs/performance.md). Dates and numbers keep the en-us formats. Turn it
# on, with LocaleMiddleware, when there are translations to offer.
USE_I18N = False
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "citkit" / "static"]
STATIC_ROOT = Path(os.environ.get("CITKIT_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Files the app writes (export results): never served directly, only through views
# that check who asked. Point it at shared storage when several machines serve.
MEDIA_ROOT = Path(os.environ.get("CITKIT_MEDIA_ROOT", VAR_DIR / "media"))
# The site's address for links in e-mails sent by jobs (reminders), e.g. https://cit.example.org
CITKIT_SITE_URL = os.environ.get("CITKIT_SITE_URL", "")
# Exports up to this many rows stream at once; larger ones run as a job with progress.
CITKIT_EXPORT_INLINE_ROWS = int(os.environ.get("CITKIT_EXPORT_INLINE_ROWS", "5000"))

# --- E-mail -----------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "citkit <citkit@localhost>")

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Hashed, named, expiring tokens (core/api_tokens.py): `Authorization: Token <key>`.
        "citkit.core.api_tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["citkit.core.api_filters.StrictFilterBackend"],
    # JSON in; the roster upload declares its own multipart parser.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "citkit.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "citkit API",
    "DESCRIPTION": "Programs, partner agencies, people and the audit trail of CIT programs.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several records have a "status"; each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "InvitationStatusEnum": "citkit.core.models.Invitation.Status",
        "JobStatusEnum": "citkit.core.models.Job.Status",
        "ServiceStatusEnum": "citkit.partnerships.models.ServiceStatus",
        "MouStatusEnum": "citkit.partnerships.models.MouStatus",
        "ResponsibilityKindEnum": "citkit.partnerships.models.ResponsibilityKind",
        "MouKindEnum": "citkit.partnerships.models.MouKind",
        "ClauseKindEnum": "citkit.partnerships.models.ClauseKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "citkit.core.schema.document_errors",
    ],
}

# --- Production hardening ---------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("CITKIT_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("CITKIT_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # __Host- cookies are only accepted over HTTPS, for this host alone (no Domain),
    # with Path=/: a sibling subdomain cannot plant or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Load balancers probe these over plain HTTP from inside the network; ALLOWED_HOSTS
# still applies to them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# /readyz fails when no worker has written its heartbeat for this many minutes.
CITKIT_WORKER_STALE_MINUTES = float(os.environ.get("CITKIT_WORKER_STALE_MINUTES", "5"))

# --- Logs: one JSON object per line in production (with the request id), plain text
# in development; CITKIT_LOG_FORMAT=json|plain chooses (citkit/core/log.py).
try:
    CITKIT_LOG_FORMAT = log_format()
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from error
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "citkit.core.log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "citkit.core.log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": CITKIT_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CITKIT_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # runserver's request lines, in the same format as everything else.
        **(
            {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}}
            if CITKIT_LOG_FORMAT == "json"
            else {}
        ),
    },
}

# Rows per page on list pages and API lists.
CITKIT_PAGE_SIZE = int(os.environ.get("CITKIT_PAGE_SIZE", "50"))
# Largest roster file accepted for import (50 MB: about 500,000 rows of CSV). Imports
# stream the file and run as a job, so the size is a limit on storage, not on memory.
CITKIT_IMPORT_MAX_BYTES = int(os.environ.get("CITKIT_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# Request bodies other than uploaded files (which go to a temporary file past 2.5 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
