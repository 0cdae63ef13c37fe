"""Settings for Boligsosial oversikt.

Everything that differs between a laptop and production comes from the environment;
the README lists every variable.
"""

import importlib.util
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """The variable's value; unset, empty or only spaces means the default (an env file's
    `NAME=` line must not turn a setting off: issue 11)."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name).lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: write true or false (or leave it empty).")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: write a whole number.") from None


def env_float(name: str, default: float) -> float:
    value = env_str(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: write a number.") from None


DEBUG = env_bool("DEBUG", False)

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)


def refuse_development_secret_in_production() -> None:
    """Called by wsgi.py and asgi.py: a production server (DEBUG off) will not start with the
    development key. Tests, commands and `make run` may use it."""
    if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY and not env_bool("ALLOW_DEV_SECRET_KEY"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (or set DEBUG=true for development)."
        )


ALLOWED_HOSTS = [
    h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # django-bootstrap-static: Bootstrap's CSS and JS from PyPI, no CDN
    "django_tasks_db",  # the task queue's table (TASKS below)
    # The project's own apps, lowest first: each may import only those above it in this list
    # (tests/test_architecture.py checks it; DESIGN.md, Layout).
    "boligsosial",
    "jobs",
    "outbox",
    "reference",
    "accounts",
    "keyfigures",
    "analysis",
    "factors",
    "plans",
    "notifications",
    "overview",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "boligsosial.middleware.PermissionsPolicyMiddleware",
    # WhiteNoise, its list of static files made once per process (boligsosial/static_files.py).
    "boligsosial.static_files.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who and from where, for the audit log (accounts/audit.py).
    "accounts.middleware.AuditContextMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "boligsosial.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "boligsosial.wsgi.application"
ASGI_APPLICATION = "boligsosial.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes SQLite's write lock when it begins, and a second writer waits
    # for it (up to the timeout) instead of failing with "database is locked" halfway
    # through: two simultaneous saves then run one after the other, and the second sees the
    # first's changes (the same order select_for_update gives on PostgreSQL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language: bokmål by default, nynorsk and English beside it (DESIGN.md, Language).
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # plotly.js ships inside the plotly Python package; serve that copy, never a CDN. Found
    # without importing plotly (60 ms that every command, render_report too, would pay).
    ("plotly", Path(importlib.util.find_spec("plotly").origin).parent / "package_data"),
]
# Production (DEBUG off, after `collectstatic` with COLLECTSTATIC_DONE set): whitenoise serves
# the collected files with their .gz/.br siblings. Elsewhere (a laptop, tests, benchmarks)
# the source files straight from the finders: whitenoise would otherwise put the finders'
# uncompressed files in front of the compressed ones.
STATIC_COLLECTED = not DEBUG and env_bool("COLLECTSTATIC_DONE")
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"


def file_storage() -> dict:
    """Where archived PDFs, finished batch zips and uploaded files are kept: the local
    MEDIA_ROOT by default; S3-compatible object storage when S3_BUCKET is set, so that any
    number of app servers and workers share them and keep nothing of their own."""
    bucket = os.environ.get("S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": os.environ.get("S3_PREFIX", ""),
            # Unset for AWS itself; the address of MinIO, Ceph or a cloud's S3 service.
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            # Unset: boto3's own chain (AWS_ACCESS_KEY_ID…, an instance role).
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            # Most S3-compatible servers want bucket names in the path, not the host.
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            # Private files: the bucket's policy decides, never a public ACL; nothing is
            # replaced by a file of the same name (an archived PDF never changes).
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 600,
        },
    }


STORAGES = {
    "default": file_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Widgets (inputs, selects, each radio button), error lists and labels are rendered with
# Django's own Jinja2 copies of its form templates: the same HTML (Django keeps the two sets
# alike), in a third of the time of the template language, which rendered each radio option
# through three nested includes (issue 16: a page of 30 fields spent a third of its time
# there). Crispy's own layout templates are unchanged; no template of ours overrides a widget.
# A widget template only the template language has (the admin's related-object wrapper)
# falls back to it.
FORM_RENDERER = "boligsosial.forms.WidgetRenderer"

# Security: secure cookies when served over HTTPS (production), a strict CSP with no inline
# scripts and nothing from outside the application.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True

# HTTPS in production. HSTS tells browsers to use HTTPS only, for a year unless the
# environment says otherwise (0 turns it off); SecurityMiddleware sends it only on HTTPS
# responses, so a laptop on http:// never receives it. Preloading is a commitment for the
# whole domain, so it is the domain owner's choice, never a default.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a proxy that terminates TLS, the app sees plain HTTP: it may trust the proxy's
# X-Forwarded-Proto only when told so, since otherwise any client could send that header.
# The proxy must then set the header itself and drop one sent by the client.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off by default without a TLS proxy: tests, benchmarks and a laptop serve plain HTTP with
# DEBUG off. A server terminating TLS itself sets SECURE_SSL_REDIRECT=true.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS_PROXY and not DEBUG)
# A load balancer's health check reaches the app directly, over HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The app's own page, which never reads the request's body (boligsosial/errors.py).
CSRF_FAILURE_VIEW = "boligsosial.errors.csrf_failure"
# Browser features the app never uses, turned off for it and for anything embedded
# (boligsosial/middleware.py); an empty list means "allowed nowhere".
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    ]
}
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # plotly.js sets style attributes on the elements it draws.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Throttled logins: after this many failed attempts for a username (or from an address) within
# the window, logins are refused until the window has passed.
LOGIN_THROTTLE_ATTEMPTS = env_int("LOGIN_THROTTLE_ATTEMPTS", 5)
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 900)
# How many reverse proxies of our own stand in front of the app. 0: the client's address is
# the connection's (REMOTE_ADDR) and X-Forwarded-For, which anyone can send, is ignored. N:
# the address the nearest of those N proxies recorded in X-Forwarded-For.
NUM_PROXIES = env_int("NUM_PROXIES", 0)

# gunicorn's worker processes (gunicorn.conf.py reads the same variable). Read here for the
# deployment check: a cache in local memory is per process, so with several the login
# throttle would count in each alone (accounts/checks.py).
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", 2)

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
            # Several installations (or test runs) may share one Redis.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work (django.tasks): tasks are rows in the database, so PostgreSQL is all
# production needs; `manage.py run_worker` runs them (jobs/README in the README's
# deployment section). Tests switch to the immediate backend (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker writes a heartbeat this often; a task whose worker has been silent for
# WORKER_LOST_AFTER_SECONDS (killed, its machine gone) is run again by another worker, up to
# TASK_MAX_ATTEMPTS times in all. Tasks are written to be run again safely (jobs/services.py).
WORKER_HEARTBEAT_SECONDS = env_float("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_LOST_AFTER_SECONDS = env_float("WORKER_LOST_AFTER_SECONDS", 60)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)
# Imported when a worker starts, so its first task does not pay for them (WeasyPrint ~0.8 s).
WORKER_PRELOAD = ["reports.tasks:warm_up"]
# Finished jobs and their files are removed after this many days.
JOB_KEEP_DAYS = env_int("JOB_KEEP_DAYS", 7)

# The benchmark's bare page (bench/bench_pages.py): a crispy form of 10 questions and 5
# queries that every page is measured against. Never on in production: its URL exists only
# when this is set.
BENCHMARK_PAGES = env_bool("BENCHMARK_PAGES", False)

# Upload limit for statistics files (DESIGN.md capability 4: refuse huge files by size).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Statistics Norway's open APIs (CC BY 4.0): PxWebApi 2 for the key figures, KLASS for the
# classifications (the KOSTRA groups). SSB allows 30 queries a minute per address and 800 000
# cells a query; the fetch paces and splits its queries to stay under both.
SSB_API_URL = env_str("SSB_API_URL", "https://data.ssb.no/api/pxwebapi/v2").rstrip("/")
SSB_KLASS_URL = env_str("SSB_KLASS_URL", "https://data.ssb.no/api/klass/v1").rstrip("/")
SSB_QUERIES_PER_MINUTE = env_float("SSB_QUERIES_PER_MINUTE", 30.0)
SSB_MAX_CELLS = env_int("SSB_MAX_CELLS", 800_000)
SSB_TIMEOUT_SECONDS = env_float("SSB_TIMEOUT_SECONDS", 60.0)
SSB_RETRIES = env_int("SSB_RETRIES", 4)
# The first wait before a retry; it doubles each time (a Retry-After header wins).
SSB_RETRY_SECONDS = env_float("SSB_RETRY_SECONDS", 5.0)

INDICATOR_FILE_MAX_BYTES = env_int("INDICATOR_FILE_MAX_BYTES", 50 * 1024 * 1024)

DEMO_PASSWORD = "boligsosial-demo"

# --- E-mail ------------------------------------------------------------------------------------
# Django 6.1 configures mail through MAILERS (the EMAIL_HOST/EMAIL_BACKEND settings are
# deprecated, and may not be mixed with it). The environment names the server as EMAIL_URL, or
# as EMAIL_HOST with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and
# EMAIL_USE_SSL; with neither, messages are written to the console (`make run`).


def mailer_from_environment(environ) -> dict:
    """The default mailer from EMAIL_URL (smtp://, smtp+tls:// or submission://, smtps:// or
    smtp+ssl://, console://) or from EMAIL_HOST and its companions."""
    url = environ.get("EMAIL_URL", "").strip()
    options: dict = {"timeout": 10}  # never wait for ever on a mail server
    if url:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "console":
            return {"BACKEND": "outbox.backends.ReadableConsoleBackend"}
        if scheme not in {"smtp", "smtp+tls", "submission", "smtps", "smtp+ssl"}:
            raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
        query = {k: v[-1].strip().lower() for k, v in parse_qs(parts.query).items()}
        ssl = scheme in {"smtps", "smtp+ssl"} or query.get("ssl") in {"1", "true", "yes"}
        tls = scheme in {"smtp+tls", "submission"} or query.get("tls") in {"1", "true", "yes"}
        options.update(
            host=parts.hostname or "localhost",
            port=parts.port or (465 if ssl else 587 if tls else 25),
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=tls and not ssl,
            use_ssl=ssl,
        )
        if "timeout" in query:
            options["timeout"] = int(query["timeout"])
    elif environ.get("EMAIL_HOST"):
        truthy = {"1", "true", "yes", "on"}
        ssl = environ.get("EMAIL_USE_SSL", "").strip().lower() in truthy
        tls = environ.get("EMAIL_USE_TLS", "").strip().lower() in truthy
        options.update(
            host=environ["EMAIL_HOST"],
            port=int(environ.get("EMAIL_PORT") or (465 if ssl else 587 if tls else 25)),
            username=environ.get("EMAIL_HOST_USER", ""),
            password=environ.get("EMAIL_HOST_PASSWORD", ""),
            use_tls=tls and not ssl,
            use_ssl=ssl,
        )
        if environ.get("EMAIL_TIMEOUT"):
            options["timeout"] = int(environ["EMAIL_TIMEOUT"])
    else:
        return {"BACKEND": "outbox.backends.ReadableConsoleBackend"}
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


MAILERS = {"default": mailer_from_environment(os.environ)}
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Boligsosial oversikt <ikke-svar@boligsosial.invalid>"
)
# Links in e-mail lead here: the address people open the site at.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# `make run` sends each message right after the change that caused it commits (to the
# console); a server runs `manage.py send_outbox` on a schedule instead, so no page waits for
# the mail server.
OUTBOX_SEND_AFTER_COMMIT = env_bool("OUTBOX_SEND_AFTER_COMMIT", False)
# Seconds to wait after the 1st, 2nd, … failed attempt; after the last, the message fails.
OUTBOX_RETRY_DELAYS = [60, 300, 1800, 7200, 21600, 86400]
OUTBOX_CLAIM_TIMEOUT_SECONDS = 15 * 60
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 90)
# Days before a round closes when municipalities that have not submitted (and their advisers)
# are reminded, e.g. "14,3": one reminder at each.
REMINDER_DAYS_BEFORE_CLOSE = sorted(
    {int(d) for d in env_str("REMINDER_DAYS_BEFORE_CLOSE", "14,3").split(",") if d.strip()},
    reverse=True,
)
# A user organisation that has not answered is reminded this many days before its link expires.
ORGANISATION_INVITATION_REMINDER_DAYS = env_int("ORGANISATION_INVITATION_REMINDER_DAYS", 3)

# --- People ------------------------------------------------------------------------------------
# An invitation to a colleague is a single-use link valid this many days.
USER_INVITATION_DAYS = env_int("USER_INVITATION_DAYS", 14)
# Password reset links (Django's token) last this long; requests are throttled per e-mail
# address and per client address, like logins.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 24 * 3600)
PASSWORD_RESET_ATTEMPTS_PER_EMAIL = env_int("PASSWORD_RESET_ATTEMPTS_PER_EMAIL", 3)
PASSWORD_RESET_ATTEMPTS_PER_ADDRESS = env_int("PASSWORD_RESET_ATTEMPTS_PER_ADDRESS", 20)
PASSWORD_RESET_THROTTLE_WINDOW_SECONDS = env_int("PASSWORD_RESET_THROTTLE_WINDOW_SECONDS", 3600)
# The audit log keeps events this long (manage.py prune_audit_log removes older ones).
AUDIT_LOG_KEEP_DAYS = env_int("AUDIT_LOG_KEEP_DAYS", 365)

# What `manage.py run_schedule` (compose's scheduler) runs, and every how many seconds. Each
# command is safe to run again and beside another copy of itself.
SCHEDULED_COMMANDS = [
    ("send_outbox", 30),  # e-mail that is due
    ("send_reminders", 3600),  # reminders before a round closes; each goes out once
    ("prune_audit_log", 86400),  # audit events past AUDIT_LOG_KEEP_DAYS
    ("fetch_indicators", 86400),  # key figures from SSB; a day with nothing new changes nothing
]

# --- Single sign-on (OpenID Connect) -------------------------------------------------------------
# Off unless OIDC_PROVIDERS names providers, e.g. "entra,idporten"; each is configured by
# OIDC_<NAME>_... variables (README, Single sign-on).


def oidc_providers_from_environment(environ) -> dict[str, dict]:
    providers = {}
    for name in [n.strip().lower() for n in environ.get("OIDC_PROVIDERS", "").split(",")]:
        if not name:
            continue
        prefix = f"OIDC_{name.upper().replace('-', '_')}_"

        def get(key: str, default: str = "", prefix=prefix) -> str:
            return environ.get(prefix + key, default).strip()

        missing = [k for k in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET") if not get(k)]
        if missing:
            raise ImproperlyConfigured(
                f"Single sign-on provider {name!r} needs " + ", ".join(prefix + k for k in missing)
            )
        conf = {
            "LABEL": get("LABEL", name),
            "OIDC_OP_ISSUER": get("ISSUER").rstrip("/"),
            "OIDC_RP_CLIENT_ID": get("CLIENT_ID"),
            "OIDC_RP_CLIENT_SECRET": get("CLIENT_SECRET"),
            "OIDC_RP_SCOPES": get("SCOPES", "openid email profile"),
            "OIDC_RP_SIGN_ALGO": get("SIGN_ALGO", "RS256"),
            # Levels of assurance the id_token's acr must be one of (ID-porten), if set.
            "ACR_VALUES": [a for a in get("ACR_VALUES").split(",") if a],
            # The claim that says the provider has verified the e-mail address.
            "EMAIL_VERIFIED_CLAIM": get("EMAIL_VERIFIED_CLAIM", "email_verified"),
        }
        # Endpoints come from the provider's discovery document unless given here.
        for key, setting in [
            ("AUTHORIZATION_ENDPOINT", "OIDC_OP_AUTHORIZATION_ENDPOINT"),
            ("TOKEN_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT"),
            ("USERINFO_ENDPOINT", "OIDC_OP_USER_ENDPOINT"),
            ("JWKS_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"),
        ]:
            if get(key):
                conf[setting] = get(key)
        providers[name] = conf
    return providers


OIDC_PROVIDERS = oidc_providers_from_environment(os.environ)
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "accounts.oidc.OIDCBackend",
]
# mozilla-django-oidc's defaults for every provider (each may override them above).
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_CREATE_USER = True  # accounts/oidc.py creates a user only for an open invitation

# Logs go to standard output, one JSON object a line in production (LOG_FORMAT=json, the
# default when DEBUG is off) for the platform's log collector; plain lines on a laptop.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "boligsosial.logs.JSONFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {
        "client_errors_without_traceback": {"()": "boligsosial.logs.ClientErrorsWithoutTraceback"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["client_errors_without_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default sends server errors only to the console in DEBUG and otherwise to
        # ADMINS by mail, which is not configured: without this a 500 in production would
        # leave no trace. A 4xx is one line saying why (a request the app could not read, a
        # page not found), without a traceback (boligsosial.logs.ClientErrorsWithoutTraceback).
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"level": "WARNING"},
        # pikepdf announces its logging bridge at INFO the first time it is imported.
        "pikepdf": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
    },
}
