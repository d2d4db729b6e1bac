"""The one settings module, driven by the environment.

Development runs with no variables set (SQLite file under ``var/``, DEBUG on). Production sets
``DEBUG=0``, ``SECRET_KEY`` and ``ALLOWED_HOSTS`` (plus ``DATABASE_URL``/``REDIS_URL``) and then passes
``salesops check --deploy`` with no warnings. ``make run`` serves a team on the local network the way
production does, over plain HTTP: ``DEBUG=0 SERVE_LAN=1 SECRET_KEY_FILE=var/secret_key`` (see lan.py).
Every variable is parsed strictly (see envparse).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from salesops.envparse import Env
from salesops.lan import lan_addresses, machine_hosts, secret_key_from_file

env = Env()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.str("SALESOPS_DATA_DIR", str(BASE_DIR.parent / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)  # SQLite database, job queue and uploads live here by default

DEBUG = env.bool("DEBUG", True)
# Under pytest: fast password hashing, jobs run inline, static files from the app folders.
TESTING = env.bool("SALESOPS_TESTING", "pytest" in sys.modules)

# Serving on the local network over plain HTTP: this machine's names and addresses are allowed hosts,
# and HTTPS (secure cookies, redirect, HSTS) is off unless HTTPS=1 says a TLS proxy stands in front.
SERVE_LAN = env.bool("SERVE_LAN", False)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.optional("SECRET_KEY") or ""
_secret_key_file = env.optional("SECRET_KEY_FILE")
if not SECRET_KEY and _secret_key_file:
    try:
        SECRET_KEY = secret_key_from_file(Path(_secret_key_file))
    except OSError as error:
        raise ImproperlyConfigured(f"SECRET_KEY_FILE={_secret_key_file!r} cannot be read or made: {error}.") from None
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (50+ random characters), or SECRET_KEY_FILE name its file."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY is too short or too simple: use 50+ random characters.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if SERVE_LAN:
    ALLOWED_HOSTS = list(dict.fromkeys([*ALLOWED_HOSTS, *machine_hosts()]))
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
# Links sent out of the site (calendar feeds): on the local network, this machine's first network address.
_lan = lan_addresses() if SERVE_LAN else []
_site_host = _lan[0] if _lan else "127.0.0.1"
SITE_URL = env.str("SITE_URL", f"http://{_site_host}:{env.int('PORT', 8000, minimum=1, maximum=65535)}").rstrip("/")

INSTALLED_APPS = [
    "salesops.core",
    "salesops.accounts",
    "salesops.organisation",
    "salesops.customers",
    "salesops.followups",
    "salesops.tasks",
    "salesops.deals",
    "salesops.performance",
    "salesops.daily",
    "salesops.notifications",
    "salesops.jobs",
    "salesops.demo",
    "salesops.home",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "salesops.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "salesops.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "salesops.organisation.middleware.SetupRequiredMiddleware",
    "salesops.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "salesops.urls"
WSGI_APPLICATION = "salesops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "salesops.home.context_processors.shell",
            ],
        },
    }
]

# --- Database: SQLite (WAL) by default, PostgreSQL via DATABASE_URL -------------------------------
DATABASE_URL = env.url("DATABASE_URL", ("sqlite", "postgres", "postgresql", "pgsql")) or (
    f"sqlite:///{DATA_DIR / 'salesops.sqlite3'}"
)
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env.int("DB_CONN_MAX_AGE", 60, minimum=0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN so
        # two concurrent writers queue instead of failing half-way (one winner, see R15 claims).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _db["CONN_HEALTH_CHECKS"] = True
    # Short queries over indexes: JIT compilation costs more (5-10 ms) than it saves on such queries.
    _db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# Test runs that share one server use distinct test databases (DB_TEST_NAME). SQLite tests use a file of
# their own process (pytest-xdist adds each worker's suffix), so concurrent writers queue as they do on the
# application's file (WAL, BEGIN IMMEDIATE, busy timeout) and the race tests run: SQLite's in-memory test
# database is one shared cache, where a second writer fails at once on a table lock.
_test_name = env.optional("DB_TEST_NAME")
if _test_name is None and TESTING and _db["ENGINE"] == "django.db.backends.sqlite3":
    _test_name = str(Path(tempfile.gettempdir()) / f"salesops-test-{os.getpid()}.sqlite3")
_db["TEST"] = {"NAME": _test_name}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People, passwords, login throttling ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "salesops.accounts.backends.AdminRoleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "salesops.accounts.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Language and time ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.time_zone("TIME_ZONE", "Asia/Shanghai")
LANGUAGE_COOKIE_NAME = "salesops_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files (whitenoise; vendored JS under core/static/vendor) ------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploads live in the data folder, apart from the static root, and have no MEDIA_URL: nothing serves them but
# views that check scope (core.files).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(DATA_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", 20, minimum=1, maximum=500) * 1024 * 1024

# --- Security --------------------------------------------------------------------------------------------
_https = env.bool("HTTPS", not DEBUG and not SERVE_LAN)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", _https)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Browsers ignore (and complain about) this header on plain-HTTP network addresses.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin" if _https or not SERVE_LAN else None
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "salesops.core.views.csrf_failure"
if env.bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
if not DEBUG and SECURE_HSTS_SECONDS == 0 and _https:
    raise ImproperlyConfigured("HSTS_SECONDS=0 with HTTPS on: set a positive value or HTTPS=0.")
# Strict CSP: nothing inline, nothing from other origins (vendored htmx, Alpine CSP build, ECharts).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)

# --- Cache and jobs (Huey: SQLite storage by default, Redis when REDIS_URL is set) ----------------------
REDIS_URL = env.url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env.str("HUEY_NAME", "salesops"),
        "url": REDIS_URL,
        "immediate": TESTING,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "salesops",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": TESTING,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- API ----------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "salesops.core.drf.LanguageTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "salesops.core.drf.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "salesops.core.drf.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # No OPTIONS metadata: DRF builds it from a serializer that action views do not declare (a 500);
    # the schema at /api/schema/ describes every operation instead, so OPTIONS answers 405.
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "salesops.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG and not TESTING else []),
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API tokens (django-rest-knox): several per person (one per device or script, each listed and revoked on
# its own), stored as digests only, sent as "Authorization: Token <token>"; they last until revoked, by
# their owner or by a change of password or a deactivation (accounts.models.User.save, services).
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "salesops API",
    "DESCRIPTION": "Sales-team management: people, data scope (R1), working calendar (R2), rule settings.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "salesops.core.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "salesops.accounts.models.Role",
        "JobRunStatusEnum": "salesops.jobs.models.JobRun.Status",
        "CustomerStatusEnum": "salesops.customers.choices.Status",
        "GradeEnum": "salesops.customers.choices.Grade",
        "ChannelEnum": "salesops.followups.models.Channel",
        "CalendarDayKindEnum": "salesops.organisation.models.CalendarDay.Kind",
        "CalendarReasonEnum": "salesops.organisation.workcal.Reason",
        "DealStatusEnum": "salesops.deals.models.DealStatus",
        "DealStageEnum": "salesops.deals.models.Stage",
        "InstalmentStatusEnum": "salesops.deals.models.InstalmentStatus",
        "TaskKindEnum": "salesops.tasks.models.TaskKind",
        "TaskStatusEnum": "salesops.tasks.models.TaskStatus",
        "ProofKindEnum": "salesops.tasks.models.ProofKind",
        "PlanStatusEnum": "salesops.daily.plans.models.PlanStatus",
        "ResourceRequestKindEnum": "salesops.daily.plans.models.RequestKind",
        "ResourceRequestStatusEnum": "salesops.daily.plans.models.RequestStatus",
        "CalendarDayKindValueEnum": ["day_off", "workday"],
        "LagAlertStatusEnum": "salesops.daily.lag.models.AlertStatus",
        "LagCauseEnum": "salesops.daily.lag.models.LagCause",
        "LagRemedyEnum": "salesops.daily.lag.models.LagRemedy",
    },
}

# --- Logging ---------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
