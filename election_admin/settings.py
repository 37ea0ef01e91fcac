"""Django settings for the election administration system.

Every setting that differs between a laptop demo and a production deployment is read from the
environment; unset variables fall back to the embedded defaults (SQLite file, eager tasks).
See docs/deployment.md for the production values.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab as _crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ELECTION_ADMIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The embedded default key only serves the local demo; production must set SECRET_KEY
# (docs/deployment.md), and `manage.py check --deploy` flags the default (election_admin/checks.py).
DEMO_SECRET_KEY = "insecure-local-demo-key-set-SECRET_KEY-in-production"  # noqa: S105 - flagged by check --deploy
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "audit",
    "election_admin",
    "voters",
    "candidates",
    "ballots",
    "election_admin.supervision",
    "election_admin.reporting",
    "election_admin.returns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "election_admin.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "election_admin.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # PostgreSQL restarting: a clear 503 "nothing saved, save again" page instead of a 500 (docs/operations.md).
    "election_admin.health.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "election_admin.urls"
WSGI_APPLICATION = "election_admin.wsgi.application"
ASGI_APPLICATION = "election_admin.asgi.application"

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
                "election_admin.context_processors.navigation",
                "election_admin.health.broker_status",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL unset → a SQLite file under var/ (the embedded demo). Production and CI use
# postgres://user@host:5432/name. DASHBOARD_DATABASE_URL optionally points dashboards at a
# read replica (docs/deployment.md).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'election_admin.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if os.environ.get("DASHBOARD_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DASHBOARD_DATABASE_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "election_admin.User"

# --- Accounts -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Login throttling (django-axes): a username+address pair is locked for an hour after 5 failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Admin site: only system administrators, and not at /admin/.
ADMIN_URL_PATH = os.environ.get("ADMIN_URL_PATH", "sysadmin-console/")

# --- Security headers (production switches them on through the environment) -----------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None

# Content-Security-Policy: scripts only from our own static files (no inline scripts, no eval);
# inline style attributes are allowed (Bootstrap progress bars and widths use them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Two-factor sign-in (TOTP, e.g. 微信/支付宝 authenticator or any TOTP app): optional for county bureaus
# and above, who turn it on under their name menu. OTP_TOTP_ISSUER names the system in the app.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "村社区换届选举")
TWO_FACTOR_ROLES = {"county_bureau", "city_bureau", "province_bureau", "system_admin"}

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
# STATIC_MANIFEST=1 (production, and the run script after collectstatic) serves hashed, compressed
# files from STATIC_ROOT; otherwise WhiteNoise serves straight from static/ (tests, development).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Background work (Celery) ----------------------------------------------------------------
# CELERY_BROKER_URL unset → tasks run eagerly in the web process (the embedded demo).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks (run `celery -A election_admin beat` beside the worker; times are Asia/Shanghai).
CELERY_BEAT_SCHEDULE = {
    # 选举工作周报: every Monday 07:00, one report per county and city with an open cycle.
    "supervision-weekly-reports": {
        "task": "election_admin.supervision.tasks.weekly_reports_enqueue_task",
        "schedule": _crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # Jobs requested while the broker was down: handed over again once it is back (docs/operations.md).
    "jobs-requeue": {"task": "election_admin.tasks.jobs_requeue_task", "schedule": 60.0},
}

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "election_admin.log_context.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Product name shown in the page header.
PRODUCT_NAME = _("Village and Community Committee Elections")

# --- Voter personal data (voters app) ---------------------------------------------------------
# ID numbers are stored as an HMAC (for uniqueness and look-ups), a masked form (for display) and
# AES-GCM ciphertext (to reveal in full, audited). Production sets both keys (docs/deployment.md);
# the demo derives them from SECRET_KEY. Changing either key makes existing rows unreadable.
import hashlib as _hashlib  # noqa: E402

ID_HASH_KEY = os.environ.get("ID_HASH_KEY") or _hashlib.sha256(b"id-hash:" + SECRET_KEY.encode()).hexdigest()
ID_ENCRYPTION_KEY = (
    os.environ.get("ID_ENCRYPTION_KEY")
    or _hashlib.sha256(b"id-encryption:" + SECRET_KEY.encode()).hexdigest()
)
