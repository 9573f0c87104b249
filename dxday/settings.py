"""The one settings file of dxday.

Every setting that differs between machines comes from an environment variable with a safe
default, so that a fresh clone runs on SQLite with no configuration at all.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DXDAY_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, or one generated once and kept in var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The contact point of the open-data catalogue (empty: the campaign's contact address).
OPEN_DATA_CONTACT_EMAIL = os.environ.get("OPEN_DATA_CONTACT_EMAIL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "simple_history",
    "dxday.accounts",
    "dxday.registry",
    "dxday.campaigns",
    "dxday.plans",
    "dxday.results",
    "dxday.backoffice",
    "dxday.reports",
    "dxday.public",
    "dxday.api",
    "dxday.scanner",
    "dxday.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dxday.lib.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dxday.lib.middleware.LanguageMiddleware",
    "dxday.public.cache.PublicCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dxday.accounts.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dxday.accounts.middleware.AgencyOTPRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a refused request (too many) into the 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dxday.urls"
WSGI_APPLICATION = "dxday.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in var/ by default; PostgreSQL (or any) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'dxday.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the worker writes; the busy timeout makes a writer wait for
    # the lock instead of failing at once; IMMEDIATE takes the write lock at BEGIN, which avoids
    # deadlocks between a reader that upgrades to a writer and another writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
DATABASES["default"].setdefault("TEST", {})
if name := os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = name

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks: in the database by default (workers on any host sharing it run
# `dxday worker`); TASKS_BACKEND=django_tasks_rq.RQBackend puts them on Redis (RQ_URL) instead,
# run by `dxday rqworker default --job-class django_tasks_rq.backend.Job`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
    }
}
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {
        "URL": os.environ.get("RQ_URL", "redis://127.0.0.1:6379/2"),
        "DEFAULT_TIMEOUT": int(os.environ.get("RQ_JOB_TIMEOUT", "3600")),
    }}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "public:home"
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600  # invitations and reset links live one week

# Lockout after repeated failures (django-axes): per account and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Django's login form passes the email as "username" whatever USERNAME_FIELD is.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# dd/mm/yyyy typed and shown in both languages, admin included (dxday/formats/).
FORMAT_MODULE_PATH = ["dxday.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sessions end after 30 minutes without a request and 12 hours after login, whatever happens
# (dxday.accounts.middleware.SessionTimeoutMiddleware); the cookie itself lives 12 hours.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS

# Production behind TLS (HTTPS=1): secure cookies, HSTS, and http:// redirected to https://.
# nginx terminates TLS and says so in X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# /healthz answers over plain HTTP on the host itself (load balancer and monitoring probes).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy on every response: scripts, styles and everything else from this
# site only; no inline script or style, no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Two-factor authentication (django-otp, TOTP): required of agency reviewers and admins.
OTP_REQUIRED_FOR_AGENCY = env_bool("OTP_REQUIRED_FOR_AGENCY", True)
OTP_TOTP_ISSUER = "dxday"

# Rate limits (django-ratelimit, counted in the cache): login attempts per address, and writes
# through the API per token.
RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "60/m")
RATELIMIT_API_WRITE = os.environ.get("RATELIMIT_API_WRITE", "120/m")
RATELIMIT_VIEW = "dxday.lib.middleware.ratelimited"
# Behind a proxy the client's address is in a header the proxy sets (nginx: X-Real-IP →
# REAL_IP_HEADER=HTTP_X_REAL_IP); both the rate limits and the login lockout count by it.
REAL_IP_HEADER = os.environ.get("REAL_IP_HEADER", "")
if REAL_IP_HEADER:
    RATELIMIT_IP_META_KEY = REAL_IP_HEADER
    AXES_IPWARE_META_PRECEDENCE_ORDER = (REAL_IP_HEADER, "REMOTE_ADDR")

# Worker heartbeat: a worker writes one every WORKER_HEARTBEAT_SECONDS; /healthz reports the
# workers down when none wrote within WORKER_STALE_SECONDS, and a task still marked running by
# a worker that stopped beating is put back in the queue (WORKER_MAX_ATTEMPTS in all).
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_STALE_SECONDS = float(os.environ.get("WORKER_STALE_SECONDS", "60"))
WORKER_MAX_ATTEMPTS = int(os.environ.get("WORKER_MAX_ATTEMPTS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The PDF engine reports every layout step at INFO; its warnings still show.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Cache: shared by the web processes of one host (files under var/); REDIS_URL for several hosts.
CACHES = {"default": (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache",
     "LOCATION": os.environ["REDIS_URL"]} if os.environ.get("REDIS_URL") else
    {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
     "LOCATION": str(VAR_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 20000}}
)}
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))
# How far the public tracking figures may lag behind submissions (dxday/public/cache.py).
PUBLIC_TRACKING_SECONDS = float(os.environ.get("PUBLIC_TRACKING_SECONDS", "60"))

# Mail: SMTP when EMAIL_HOST is set; otherwise every message is written to var/mail/, so a
# demo loses nothing and sends nothing.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dxday <no-reply@localhost>")

# Uploads: the signed plan document is at most 20 MB.
PLAN_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Reminders: how often the scheduler looks for reminders that are due.
SCHEDULER_INTERVAL_SECONDS = int(os.environ.get("SCHEDULER_INTERVAL_SECONDS", "300"))

NINJA_PAGINATION_MAX_LIMIT = 1000
# Offsets past any real table, yet small enough for SQLite's 64-bit integers.
NINJA_PAGINATION_MAX_OFFSET = 10_000_000
NINJA_PAGINATION_PER_PAGE = 100

# Identity-kit display check (dxday/scanner). Loopback and private addresses are refused unless
# SCANNER_ALLOW_PRIVATE is set (tests only); the browser pass needs Debian's chromium.
SCANNER_ALLOW_PRIVATE = os.environ.get("SCANNER_ALLOW_PRIVATE", "") == "1"
SCANNER_TIMEOUT_SECONDS = float(os.environ.get("SCANNER_TIMEOUT_SECONDS", "15"))
SCANNER_RENDER = os.environ.get("SCANNER_RENDER", "1") == "1"
SCANNER_CONCURRENCY = int(os.environ.get("SCANNER_CONCURRENCY", "16"))
# processes that decide images (one per core, at most 4, by default; 0 or 1: in the scanning
# process) — as scanner.workers.default_workers, which `dxday scan` uses without settings
SCANNER_WORKERS = int(os.environ.get("SCANNER_WORKERS") or min(4, len(
    os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)))
