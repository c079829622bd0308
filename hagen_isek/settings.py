"""Settings of the HAGENplant 2035 portal, read from the environment (see the README table)."""

from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hagen_isek.env import database_config, env_bool, env_int, env_list, env_site_url, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# Production strictness (HTTPS redirect, secure cookies, HSTS) follows from DEBUG=False; a local run
# over plain HTTP on the loopback (make run) opts out with DJANGO_HTTPS=false.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=false the portal needs a secret "
            "key of at least 50 random characters, e.g. from: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak: use at least 50 random characters in production."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# The address every absolute link uses (e-mails, feeds, the admin's "view on site"); make run
# sets it from PORT. Default: the first allowed host.
SITE_URL = env_site_url(
    "DJANGO_SITE_URL",
    f"{'https' if HTTPS else 'http'}://{ALLOWED_HOSTS[0].lstrip('.').replace('*', 'localhost')}",
)

# Demo accounts and the demo comment round; make run switches this on, production never does.
DEMO_MODE = env_bool("DJANGO_DEMO", False)

INSTALLED_APPS = [
    "hagen_isek",
    "goals",
    "events",
    "participation",
    "search",
    "opendata",
    "workbench",
    "basemap",
    "hagen_isek.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "hagen_isek.apps.LegalPagesConfig",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "csp",
    "mailer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that can answer early (a bad Host header gets its 400 page from
    # CommonMiddleware), so every response carries the full set of security headers.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "hagen_isek.middleware.SecurityHeadersMiddleware",
    # Database errors in views become the 503 maintenance page (urls.handler500 does it for
    # errors raised in the middleware below).
    "hagen_isek.outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hagen_isek.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hagen_isek.languages.LanguageMiddleware",
    # Before CSRF and the admin's own checks: odd methods and unreadable input answer 405/400.
    "hagen_isek.admin_guard.AdminGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "participation.middleware.StaffTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "hagen_isek.urls"
WSGI_APPLICATION = "hagen_isek.wsgi.application"
SITE_ID = 1

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
                "django.template.context_processors.i18n",
                "hagen_isek.context_processors.site",
                "hagen_isek.context_processors.languages",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL", "sqlite:///var/db.sqlite3"),
        base_dir=BASE_DIR,
        connect_timeout=env_int("DJANGO_DB_CONNECT_TIMEOUT", 5, minimum=1),
    )
}
# Applied by hagen_isek/wsgi.py to web requests only (see env.with_statement_timeout), with a
# deadline a second longer for a server that does not answer at all (hagen_isek/query_deadline.py),
# so a frozen database gets its 503 within 10 s, long before gunicorn kills a worker (30 s). The
# slowest page (statistics on 100,000 contributions) takes under 2 s.
DB_STATEMENT_TIMEOUT_SECONDS = env_int("DJANGO_DB_STATEMENT_TIMEOUT", 7)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches with a purpose each, so that pages can never push out a rate-limit counter (a
# shared cache with Django's default 300 entries lost a login-failure counter after ~330 page
# views with different query strings). "default" holds rate limits (allauth's login, sign-up and
# reset limits, the contribution limit) and other small state; "pages" holds the page cache.
# Both are shared by every worker and app server: Redis when REDIS_URL is set, otherwise tables
# in the database (python manage.py createcachetable creates both).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL={REDIS_URL!r} is not a Redis URL; write redis://host:6379/0."
    )
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 300, minimum=1)


def redis_caches(url: str) -> dict:
    """Both caches on Redis. A failing Redis never fails a page (hagen_isek/shared_cache.py): a
    call gives up after half a second, rate limits fall back to the worker's memory."""
    timeouts = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return {
        "default": {
            "BACKEND": "hagen_isek.shared_cache.RedisCacheWithLocalFallback",
            "LOCATION": url,
            "KEY_PREFIX": "hagen",
            "TIMEOUT": 600,
            "OPTIONS": timeouts,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "hagen-pages",
            "TIMEOUT": PAGE_CACHE_SECONDS,
            "OPTIONS": timeouts,
        },
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "TIMEOUT": 600,
            # Room for the counters of a busy day's clients; pages live in their own table.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_page_cache",
            "TIMEOUT": PAGE_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": 2_000},
        },
    }

# Rendered pieces of pages in each worker's memory (hagen_isek/fragments.py): their keys are
# digests of what they show, so an entry never outlives a change; the bound only caps memory
# (about 2 KB an entry).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": 86_400,
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}

# Whole public pages for anonymous visitors (hagen_isek/page_cache.py), stale as soon as anything
# in these apps changes; the TTL only bounds what depends on the clock (a round closing).
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", True)
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_CONTENT_APPS = ["goals", "events", "participation", "flatpages", "hagen_isek"]
PAGE_CACHE_SKIP_PREFIXES = ["/admin/", "/konto/", "/healthz/", "/readyz/", "/media/", "/karte/"]
PAGE_CACHE_QUIET_WRITE_PREFIXES = ["/konto/"]
# Rows of the content apps that no public page shows: what a citizen follows and was told,
# sent digests. Saving them leaves every stored page fresh.
PAGE_CACHE_QUIET_MODELS = [
    "participation.Follow",
    "participation.FollowNotice",
    "participation.ModerationDigest",
    # The statistics' counts follow the contributions, whose own changes invalidate.
    "participation.TallyCell",
    "participation.TalliedContribution",
]
# Fields a save may touch without changing a public page (save(update_fields=...) within them):
# logging in and a citizen's own e-mail settings.
PAGE_CACHE_QUIET_FIELDS = {
    "participation.User": [
        "last_login",
        "notify_on_answer",
        "notify_on_reply",
        "notify_on_outcome",
        "notify_follow_answers",
        "notify_follow_rounds",
        "notify_follow_events",
        "follow_digest",
    ],
}

AUTH_USER_MODEL = "participation.User"
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

# django-allauth: e-mail login, verified e-mail before any contribution.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[HAGENplant 2035] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_URL.split("://")[0]
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Formal German messages, the sign-up form with display name, consents and honeypot.
ACCOUNT_ADAPTER = "participation.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "participation.forms.SignupForm"}
MFA_ADAPTER = "participation.adapter.MFAAdapter"
# One login-throttling policy only: allauth's own rate limits, counted in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "HAGENplant 2035"
# Staff must use two factors; only a local demo may switch this off.
STAFF_MFA_REQUIRED = env_bool("DJANGO_STAFF_MFA_REQUIRED", True)

# German is the default at the plain URLs; English pages live under /en/ (hagen_isek/languages.py).
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LOCALE_PATHS = [BASE_DIR / "hagen_isek" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "var" / "media")
# The portal serves uploads itself unless the proxy in front does (README, "Uploaded files").
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)
# The street map (optional): a PMTiles file of OpenStreetMap vector tiles the city builds (README,
# "Street map"), served by the portal under /karte/. Unset, the pages show only the SVG map.
BASEMAP_PMTILES = env_str("DJANGO_BASEMAP_PMTILES") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = env_str("DJANGO_EMAIL_BACKEND", "console" if DEBUG else "smtp")
if _email_backend not in EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_BACKEND={_email_backend!r} is unknown; use one of: "
        + ", ".join(EMAIL_BACKENDS)
    )
# SMTP mail goes through django-mailer's queue in the database: a request never fails because
# the mail server is down, and nothing is lost; `manage.py send_mail` (every minute) and
# `manage.py retry_deferred` (every 20 minutes) deliver it, from cron or a systemd timer.
# Console, file and locmem cannot fail, so they deliver at once (make run prints mails).
if _email_backend == "smtp":
    EMAIL_BACKEND = "mailer.backend.DbBackend"
    MAILER_EMAIL_BACKEND = EMAIL_BACKENDS["smtp"]
else:
    EMAIL_BACKEND = EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "HAGENplant 2035 <isek@stadt-hagen.de>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The licence of the open data (/offene-daten/): name, short code, the licence text's address and
# the licence's URI in the DCAT-AP.de vocabulary, which harvesters such as GovData read.
OPEN_DATA_LICENSE = {
    "title": env_str(
        "DJANGO_OPEN_DATA_LICENSE_TITLE", "Datenlizenz Deutschland – Namensnennung 2.0"
    ),
    "code": env_str("DJANGO_OPEN_DATA_LICENSE_CODE", "dl-de/by-2-0"),
    "url": env_str("DJANGO_OPEN_DATA_LICENSE_URL", "https://www.govdata.de/dl-de/by-2-0"),
    "uri": env_str("DJANGO_OPEN_DATA_LICENSE_URI", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"),
    "attribution": env_str("DJANGO_OPEN_DATA_ATTRIBUTION", "Stadt Hagen"),
}

# A contribution reported by this many different accounts is hidden until a moderator decides.
MODERATION_REPORT_THRESHOLD = env_int("DJANGO_MODERATION_REPORT_THRESHOLD", 3, minimum=1)

# Security headers and cookies. Header values shared by every response live here.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    # The TLS-terminating proxy in front of the app servers sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app servers append to X-Forwarded-For: one behind the proxy
# (more for e.g. a load balancer in front of it), none otherwise, so the header is ignored.
# hagen_isek/client_address.py reads the client's address with it; allauth gets the same count.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "without_traceback": {"()": "hagen_isek.log.WithoutTraceback"},
        "database_errors_in_one_line": {"()": "hagen_isek.outage.DatabaseErrorsInOneLine"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
            "filters": ["database_errors_in_one_line"],
        },
        # Scanners send bad Host headers all day: one line each ("Invalid HTTP_HOST header: …").
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
}
