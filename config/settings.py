"""Rantai settings: one module, driven by environment variables (django-environ).

PostgreSQL only. `make run` starts the embedded PostgreSQL (tools/embedded_pg.py sets
DATABASE_URL) with Celery tasks in-process and e-mail printed to the console. Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG=false, ALLOWED_HOSTS and the EMAIL_* variables.
"""

import os
import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
REFERENCE_DIR = BASE_DIR / "suppliers" / "reference_data"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
DEV_SECRET_KEY = "dev-insecure-secret-key-change-me-in-production-0123456789"
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
# pytest runs with DEBUG=false on throw-away data; marking the environment lets the processes the
# tests start (a Celery worker, a server) inherit the exemption from the check below.
if "pytest" in sys.modules:
    os.environ.setdefault("RANTAI_TESTING", "true")
TESTING = env.bool("RANTAI_TESTING", default=False)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY and not TESTING:
    raise ImproperlyConfigured(
        "SECRET_KEY is the insecure development default. Set SECRET_KEY (50+ random characters) "
        "in the environment, or DEBUG=true for local development."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally (partner API docs)
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "accounts",
    "suppliers",
    "manufacturers",
    "matchmaking",
    "introductions",
    "reports",
    "partners",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for logged-out visitors' pages only (BREACH: accounts/compression.py); static files
    # come pre-compressed from whitenoise above.
    "accounts.compression.AnonymousGZipMiddleware",
    # Refuses oversized request bodies before anything (the CSRF check) reads them.
    "accounts.bodylimit.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who acts, through which door, for the audit trail (accounts.audit).
    "accounts.middleware.AuditDoorMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.PrivacyNoticeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.navigation",
                "introductions.conversation.context.unread_messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/rantai")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Cache (log-in rate limits live here; must be shared between processes in production) ---
REDIS_URL = env("REDIS_URL", default="")
# Seconds a Redis call may take (cache and broker) before Redis counts as unreachable; short, so
# that a frozen Redis costs a request at most this (the outage is then remembered for a few
# seconds, see accounts/outage.py).
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis, degrading to a per-process memory while Redis is unreachable.
            "BACKEND": "accounts.cache.FallbackRedisCache",
            "LOCATION": env("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="rantai"),
            "OPTIONS": {
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
# Brute-force protection: allauth counts failed log-ins per account and per IP in the cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE", default="10/m/ip,5/5m/key"),
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Rantai] "
# Behind a reverse proxy the rate limits must count the client's address, not the proxy's: set
# this to the number of proxies that append to X-Forwarded-For (read by accounts.network, which
# every rate limit, allauth's included, keys on).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "rantai_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# config/formats/<language>/formats.py: "3 Des 2026" / "3 Dec 2026", Indonesian number marks.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed by npm during `make install`; served by the app itself, never from a CDN.
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Files served at the site's root: /favicon.ico, which browsers ask for unprompted.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Certificates and drawings: outside MEDIA_ROOT, served only by permission-checked views.
PRIVATE_MEDIA_ROOT = env.path(
    "PRIVATE_MEDIA_ROOT", default=str(Path(MEDIA_ROOT).parent / "private_media")
)
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
# Request bodies beyond this are refused (413) before they are read, except where a view allows
# more: the uploads (5 MB certificates and photos, 20 MB drawings, plus the form), the admin;
# the partner API allows 1 MB (accounts/bodylimit.py).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Rantai <no-reply@rantai.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
# Embedded default: without a broker, tasks run in-process so `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# The visibility timeout must exceed the longest task (time limit) or a slow task is redelivered.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
    # A web request that enqueues waits at most this on a hung broker (then the work is kept
    # in PostgreSQL for beat's sweeps: the outbox, pending rescores). At least 1 s: a worker
    # under load must not take a slow answer for an outage.
    "socket_timeout": max(1.0, REDIS_TIMEOUT_SECONDS),
    "socket_connect_timeout": max(1.0, REDIS_TIMEOUT_SECONDS),
    "max_retries": 1,
    # A web request that enqueues must not wait for the broker: retry a refused connection
    # once, at once (the default waits 2 s). Workers reconnect with their own back-off.
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Closes open requirements whose needed-by date has passed.
    "manufacturers-expire-requirements": {
        "task": "manufacturers.tasks.expire_requirements",
        "schedule": crontab(hour=0, minute=15),
    },
    # Rescores every open requirement against every supplier, in chunks any worker can take.
    "matchmaking-rescore-all": {
        "task": "matchmaking.tasks.rescore_all",
        "schedule": crontab(hour=1, minute=0),
    },
    # Sends outbox e-mails that were never enqueued (broker down), failed, or lost with a worker.
    "accounts-outbox-sweep": {
        "task": "accounts.tasks.outbox_sweep",
        "schedule": env.float("OUTBOX_SWEEP_SECONDS", default=60.0),
    },
    # Rescores edits whose rescore could not be enqueued (broker down when they were saved).
    "matchmaking-rescore-pending": {
        "task": "matchmaking.tasks.rescore_pending",
        "schedule": env.float("RESCORE_PENDING_SWEEP_SECONDS", default=60.0),
    },
    # Bulk scoring chunks lost with a worker (lease ran out) or never enqueued: enqueued again.
    "matchmaking-sweep-chunks": {
        "task": "matchmaking.tasks.sweep_chunks",
        "schedule": env.float("SCORING_CHUNK_SWEEP_SECONDS", default=60.0),
    },
    # Introduction reminders after 7 days, expiry after 14.
    "introductions-expire": {
        "task": "introductions.tasks.expire_introductions",
        "schedule": crontab(minute=5),
    },
    # Conversation messages unread after 15 minutes: one e-mail per reader and thread (at most
    # hourly); every 5 minutes, so a message waits 15 to 20 minutes.
    "introductions-unread-messages": {
        "task": "introductions.tasks.send_unread_message_emails",
        "schedule": crontab(minute="*/5"),
    },
    "introductions-weekly-digests": {
        "task": "introductions.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    # Certificates ending in 30 or 7 days: the firm is told what it would drop out of (once).
    "matchmaking-certificate-reminders": {
        "task": "matchmaking.tasks.send_certificate_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Webhook deliveries whose task was lost (broker down, worker killed) or is overdue.
    "partners-webhook-sweep": {
        "task": "partners.webhooks.tasks.sweep_webhooks",
        "schedule": env.float("WEBHOOK_SWEEP_SECONDS", default=60.0),
    },
    # Deletes what the retention rules say has been kept long enough (accounts.retention).
    "accounts-apply-retention": {
        "task": "accounts.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
}
# A bulk scoring chunk's lease: longer than its task's hard time limit (120 s); a chunk lost with
# its worker is redone after at most this plus one sweep interval.
MATCHMAKING_CHUNK_LEASE_SECONDS = env.int("MATCHMAKING_CHUNK_LEASE_SECONDS", default=150)
# A chunk enqueued but claimed by no worker for this long lost its message (a broker restarted
# without persistence): the sweep enqueues it again. Above a chunk's normal wait in the queue.
MATCHMAKING_CHUNK_QUEUE_PATIENCE_SECONDS = env.int(
    "MATCHMAKING_CHUNK_QUEUE_PATIENCE_SECONDS", default=900
)
# Beyond this many suppliers the nightly rescore fans out as blocks of requirements x shards of
# suppliers (matchmaking.workflow): a shard's map is ~3 s a block at 250,000, under the limit.
MATCHMAKING_SHARD_SIZE = env.int("MATCHMAKING_SHARD_SIZE", default=250_000)
# Without a worker (in-process tasks), the chunks of a bulk rescore run in this many forked
# processes (0: one per CPU; 1: one after the other in the calling process).
MATCHMAKING_EAGER_PROCESSES = env.int("MATCHMAKING_EAGER_PROCESSES", default=0) or None
# One copy of the supplier arrays per machine (matchmaking.snapshot): a directory on local disk
# that every scoring process of the machine maps read-only. Empty: each process holds its own.
MATCHMAKING_SNAPSHOT_DIR = env.str("MATCHMAKING_SNAPSHOT_DIR", default="")
# Edits reach the snapshot through ``updated_at``; a full read from PostgreSQL at least this often
# also catches a row changed without it.
MATCHMAKING_SNAPSHOT_MAX_AGE_HOURS = env.float("MATCHMAKING_SNAPSHOT_MAX_AGE_HOURS", default=24)
# Outbox: a claimed e-mail's lease must outlive the send task's hard time limit (120 s).
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_BACKOFF_SECONDS = env.int("OUTBOX_BACKOFF_SECONDS", default=60)
# Partner webhooks (partners.webhooks): attempts before a delivery is "failed", the first retry
# delay (doubling, at most 6 hours), the HTTP timeout, the claim's lease (above the delivery
# task's 60 s hard limit) and how long a rotated secret still signs.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_BACKOFF_SECONDS = env.float("WEBHOOK_BACKOFF_SECONDS", default=30.0)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
WEBHOOK_LEASE_SECONDS = env.int("WEBHOOK_LEASE_SECONDS", default=120)
WEBHOOK_SECRET_GRACE_HOURS = env.int("WEBHOOK_SECRET_GRACE_HOURS", default=24)
# Lets endpoints use http:// on a loopback host and reach loopback or private addresses: for
# tests and `make run` only. In production every endpoint is https on a public address (SSRF).
WEBHOOK_ALLOW_LOCAL = env.bool("WEBHOOK_ALLOW_LOCAL", default=DEBUG)
# --- Data protection (UU PDP 27/2022; accounts.privacy, accounts.retention) ---
# The version of the privacy notice (templates/accounts/privacy_notice.html). Change it with the
# text: every logged-in user is then asked to accept the new version on their next page view.
PRIVACY_NOTICE_VERSION = "2026-12-03"
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="privasi@rantai.local")
# Days before: a sign-up that never confirmed its e-mail is deleted; a read notification is
# deleted; a sent e-mail loses its content. 0 turns a rule off.
RETENTION_UNVERIFIED_SIGNUP_DAYS = env.int("RETENTION_UNVERIFIED_SIGNUP_DAYS", default=30)
RETENTION_READ_NOTIFICATION_DAYS = env.int("RETENTION_READ_NOTIFICATION_DAYS", default=180)
RETENTION_SENT_EMAIL_DAYS = env.int("RETENTION_SENT_EMAIL_DAYS", default=90)
# UMKM lists imported in the browser (suppliers.importing.jobs): the largest file, and the rows
# saved per step of the progress bar.
SUPPLIER_IMPORT_MAX_BYTES = env.int("SUPPLIER_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
SUPPLIER_IMPORT_CHUNK_ROWS = env.int("SUPPLIER_IMPORT_CHUNK_ROWS", default=500)
# Matches stored per requirement (the engine scores all suppliers, keeps the best N).
MATCH_TOP_N = env.int("MATCH_TOP_N", default=50)

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
# The partner API (issue 6, partners/api/) sets its own authentication, permissions and throttle.
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "partners.api.exceptions.api_exception_handler"
API_KEY_RATE_PER_MINUTE = env.int("API_KEY_RATE_PER_MINUTE", default=600)
API_USER_RATE_PER_MINUTE = env.int("API_USER_RATE_PER_MINUTE", default=300)
API_ANON_RATE_PER_MINUTE = env.int("API_ANON_RATE_PER_MINUTE", default=60)
SPECTACULAR_SETTINGS = {
    "TITLE": "Rantai API",
    "VERSION": "1.0.0",
    "DESCRIPTION": "Partner API: send `Authorization: Api-Key <key>`. Errors: "
    '`{"error": {"code", "message", "fields"}}`, in the Accept-Language of the request.',
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partners.api.schema.add_error_responses",
    ],
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything from this site, no inline script or style,
# no plug-ins, not framed. Pages keep to it (tests/test_csp.py, tests/browser/test_csp.py); the
# DRF browsable API alone may use inline style (accounts/csp.py). CSP_REPORT_URI, if set,
# receives the browsers' violation reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Pico's icons are data: SVGs in its CSS
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = env("CSP_REPORT_URI")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
