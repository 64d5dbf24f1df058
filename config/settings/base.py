"""Complete, environment-driven settings. dev.py and test.py only override them."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("LEITWERK_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
DEBUG = env.bool("DEBUG", default=False)


def _local_secret_key() -> str:
    """A random key generated once and kept in var/, so local runs need no configuration."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if env.bool("LEITWERK_LOCAL_SECRET", default=False):
        SECRET_KEY = _local_secret_key()
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY fehlt: setzen Sie die Umgebungsvariable SECRET_KEY (mindestens 50 Zeichen)."
        )
elif len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY ist zu kurz: mindestens 50 Zeichen.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Scheme and host for links in e-mails (password reset, reminders), e.g.
# https://leitwerk.example.de. Empty: the password reset takes the request's host (development);
# production sets it from ALLOWED_HOSTS unless given (prod.py).
SITE_URL = env.str("SITE_URL", default="")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin asks for the second factor too (leitwerk/accounts/admin_site.py, B5).
    "leitwerk.accounts.admin_apps.LeitwerkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's widget templates for FORM_RENDERER (TemplatesSetting uses TEMPLATES).
    "django.forms",
    # Lockout (django-axes, B3). django-otp's tables only until accounts.0003 has copied
    # the apps and backup codes into allauth.mfa (issue 16); nothing else reads them.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Leitwerk: cross-cutting
    "leitwerk.core",
    "leitwerk.accounts",
    "leitwerk.municipalities",
    # Leitwerk: one app per lifecycle stage
    "leitwerk.guidelines",
    "leitwerk.goals",
    "leitwerk.obstacles",
    "leitwerk.priorities",
    "leitwerk.budget",
    "leitwerk.plans",
    "leitwerk.controlling",
    "leitwerk.feedback",
    "leitwerk.reports",
    "leitwerk.portal",
    "leitwerk.network",
    "leitwerk.council",
    # Leitwerk: tooling
    "leitwerk.imports",
    "leitwerk.administration",
    "leitwerk.devdata",
    # REST API v1 (issue 9): DRF, filters, OpenAPI schema with locally served Swagger UI.
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leitwerk.api",
    # Single sign-on (OpenID Connect per municipality): after Leitwerk's apps, so the
    # German templates in leitwerk/accounts/templates/ override allauth's.
    "allauth",
    "allauth.account",
    "allauth.mfa",  # second factor: app (TOTP), recovery codes (B5)
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so static files get the CSP and security headers too (C3, C10).
    "csp.middleware.CSPMiddleware",
    "leitwerk.core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # From here on, a query of a tenant model that names no municipality raises (A6).
    "leitwerk.core.middleware.TenantGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the signed-in person through the sign-in cache (issue 21,
    # leitwerk/accounts/signin_cache.py) when LEITWERK_SIGNIN_CACHE is on.
    "leitwerk.accounts.signin_cache.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",  # sign-in, code step, single sign-on
    # Structured request logs: request_id, user id, municipality; no IP (ops, issue 9: G1–G3).
    "django_structlog.middlewares.RequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in policy (B4/B5): the absolute session lifetime and "admins need a second factor
    # in this session" (leitwerk/accounts/policy.py, on allauth's record of the sign-in).
    "leitwerk.accounts.signin_middleware.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "leitwerk.municipalities.middleware.CurrentMunicipalityMiddleware",
    # Marks GET requests to public pages, so config/routers.py may read them from a replica.
    "config.routers.PortalReadsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the German lockout page (B3).
    "axes.middleware.AxesMiddleware",
]

# One field group and one form layout for all forms (leitwerk/core/templates/forms/).
FORM_RENDERER = "leitwerk.core.forms.FormRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "leitwerk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "leitwerk.core.context_processors.leitwerk",
                "leitwerk.municipalities.context_processors.municipalities",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'leitwerk.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the task worker share one file: WAL plus immediate transactions
    # avoid "database is locked" between them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# --- Cache: rendered portal pages, rate-limit and survey counters --------------------------
# One process (make run, tests): memory. Several processes or servers: CACHE_URL=redis://…,
# so every worker sees the same counters and the same kept pages (docs/DEPLOYMENT.md).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://leitwerk")}
# --- Sign-in state from the cache (issue 21; leitwerk/accounts/signin_cache.py) -----------
# A signed-in request reads its session, the person, their memberships and towns and their
# second factor from the shared cache instead of four or five queries; every change renews
# the person's stamp, so the next request reads them again. Sessions are written through to
# PostgreSQL (cached_db): they survive a restart and a cache flush. Only safe with a cache
# that every web process shares (Redis, Memcached): a per-process memory cache would keep a
# session that another process ended. Default: on exactly then.
_SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
LEITWERK_SIGNIN_CACHE = env.bool("LEITWERK_SIGNIN_CACHE", default=_SHARED_CACHE)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if LEITWERK_SIGNIN_CACHE
    else "django.contrib.sessions.backends.db"
)

# --- Read replica for the public portal (issue 10; config/routers.py, docs/DEPLOYMENT.md) ---
# With REPLICA_DATABASE_URL set, GET requests to the public pages read from that database;
# writes, sign-in state and the workspace stay on DATABASE_URL. Without it: "default" only.
if env.str("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db("REPLICA_DATABASE_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
LEITWERK_READ_REPLICA = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
# --- end read replica ---

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses sign-ins of a locked-out e-mail + IP pair before any password check (B3).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Upper bound (B2): long passphrases work, megabyte "passwords" are refused.
    {"NAME": "leitwerk.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 256}},
]
# ---- Sign-in (django-allauth: allauth.account, allauth.mfa, allauth.socialaccount) ----
# allauth's views at Leitwerk's paths (leitwerk/accounts/urls.py, allauth_urls.py): password
# sign-in, code step, password confirmation, sign-out; no sign-up, no e-mail management pages.
# Single sign-on is configured per municipality in accounts.IdentityProvider
# (docs/DEPLOYMENT.md); only the OIDC login/callback routes are mounted (oidc_urls.py).
AUTHENTICATION_BACKENDS += ["allauth.account.auth_backends.AuthenticationBackend"]
ACCOUNT_ADAPTER = "leitwerk.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "leitwerk.accounts.signin_forms.LoginForm"}
SOCIALACCOUNT_ADAPTER = "leitwerk.accounts.adapters.SocialAccountAdapter"
MFA_ADAPTER = "leitwerk.accounts.mfa.MFAAdapter"
MFA_FORMS = {
    "authenticate": "leitwerk.accounts.mfa.AuthenticateForm",
    "reauthenticate": "leitwerk.accounts.mfa.ReauthenticateForm",
}
# WebAuthn (security keys, passkeys) needs JavaScript; the pages of our own stay without it.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = True  # no "remember me" box: SESSION_COOKIE_AGE applies (B4)
# django-axes is the one lockout (per e-mail address + IP pair, B3); allauth's own per-IP
# limits of sign-ins would lock a whole town hall behind one NAT address.
ACCOUNT_RATE_LIMITS = {"login": False, "login_failed": False}
ACCOUNT_EMAIL_NOTIFICATIONS = False  # Leitwerk's own mails (password changed/reset)
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the municipality's identity provider is trusted
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("LEITWERK_OIDC_TIMEOUT", default=10)
# ---- end single sign-on ----

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "de"
# German only: a half-translated English UI was worse than none (issue 25). The `translate`
# tags stay so a complete translation can be added later without touching templates.
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Project-level assets (the UI shell's CSS) live outside any app, so they are listed here.
STATICFILES_DIRS = [BASE_DIR / "leitwerk" / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="leitwerk@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# ---- Sign-in hardening (issue 9, catalogue B2-B8; leitwerk/accounts/policy.py) ----
# Cookies (B7): HttpOnly session cookie, SameSite=Lax for both (top-level redirects from an
# OpenID Connect provider still carry them); with HTTPS the __Host- prefix pins them to this
# host and path / (no Domain attribute, Secure required). Plain-HTTP development keeps the
# plain names, because browsers drop __Host- cookies without Secure.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = env.str(
    "SESSION_COOKIE_NAME", default="__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
)
CSRF_COOKIE_NAME = env.str(
    "CSRF_COOKIE_NAME", default="__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
)
# Session (B4): SESSION_COOKIE_AGE (8 h) is the time after sign-in or the last „Sitzung
# verlängern“; on top, no sign-in lasts longer than this (24 h: above WCAG 2.2.1's 20 hours).
LEITWERK_SESSION_ABSOLUTE_SECONDS = env.int("LEITWERK_SESSION_ABSOLUTE_SECONDS", default=86400)
# Networks the OParl sync may read although they are internal (a RIS inside the administration
# network), e.g. "10.20.0.0/16"; empty: only public addresses (council/oparl.py, SSRF guard).
LEITWERK_OPARL_ALLOWED_NETWORKS = env.list("LEITWERK_OPARL_ALLOWED_NETWORKS", default=[])
# Second factor (B5): required for superusers, staff and municipality admins. False only in
# the test settings (Client.force_login sessions); see leitwerk/accounts/policy.py.
LEITWERK_2FA_ENFORCE_ALL_SESSIONS = True
ACCOUNT_LOGIN_TIMEOUT = 300  # password right → code must follow within 5 minutes
LEITWERK_REAUTH_SECONDS = 300  # "confirm your password" is good for 5 minutes (B8)
ACCOUNT_REAUTHENTICATION_TIMEOUT = LEITWERK_REAUTH_SECONDS
# One time step (30 s) of tolerance either side, as RFC 6238 suggests for clock drift; 0 means
# only the code of the current 30 s window is accepted. A used code never works again.
MFA_TOTP_TOLERANCE = env.int("LEITWERK_TOTP_TOLERANCE", default=1)
MFA_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Leitwerk")
# Password reset (B6): the link works once (Django's token covers the password hash) and 1 h.
PASSWORD_RESET_TIMEOUT = 3600
# Password reset (M7): mails per address and requests per client address, each per hour.
LEITWERK_RESET_PER_ADDRESS = env.int("LEITWERK_RESET_PER_ADDRESS", default=3)
LEITWERK_RESET_PER_CLIENT = env.int("LEITWERK_RESET_PER_CLIENT", default=30)
# Lockout (B3, django-axes): AXES_FAILURE_LIMIT wrong passwords for one e-mail address from one
# IP address lock that pair for AXES_COOLOFF_MINUTES. The pair, not the IP alone: a town hall
# signs in from one NAT address, and one person's typos must not lock out the whole house.
# Client address: LEITWERK_TRUSTED_PROXIES=1 behind one nginx (which appends $remote_addr to
# X-Forwarded-For): the address is then the last-but-(n-1) entry, i.e. the one your own proxy
# saw. Without it only REMOTE_ADDR counts. We do not use axes' AXES_IPWARE_* lookup, whose
# default "left-most" order would take the first entry, which any client can write itself.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
LEITWERK_TRUSTED_PROXIES = env.int("LEITWERK_TRUSTED_PROXIES", default=0)
# Password spraying (L4): on top of the pair lock, at most this many wrong passwords from one
# client address across all names per window. High, because a whole town hall signs in from
# one NAT address (60 failures in 15 minutes there are still let through); then the address
# is refused until the window ends.
LEITWERK_SIGNIN_FAILURES_PER_CLIENT = env.int("LEITWERK_SIGNIN_FAILURES_PER_CLIENT", default=100)
LEITWERK_SIGNIN_FAILURES_WINDOW = 15 * 60
AXES_CLIENT_IP_CALLABLE = "leitwerk.accounts.signals.client_ip"
AXES_USERNAME_CALLABLE = "leitwerk.accounts.signals.attempted_username"
AXES_USERNAME_FORM_FIELD = "login"  # allauth's sign-in form
# ---- end sign-in hardening ----
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# ---- Security headers (issue 9, catalogue C3) ----
# Content-Security-Policy (django-csp 4): no inline script or style anywhere, so an injected
# <script> or style attribute does nothing. Extend form-action when a sign-in provider is added
# (form posts that redirect to another origin are blocked otherwise).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        # The sign-language video of the Leichte-Sprache page (issue 23) may live on the
        # municipality's media server: name its origin here, e.g. https://medien.example.de.
        "media-src": ["'self'", *env.list("CSP_MEDIA_SRC", default=[])],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *env.list("CSP_FORM_ACTION", default=[])],
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS is sent on HTTPS requests only; behind nginx set SECURE_PROXY_SSL_HEADER_ENABLED=True
# (nginx sets X-Forwarded-Proto, see docs/DEPLOYMENT.md) so Django knows the request was HTTPS.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# ---- end security headers ----

# Upper bounds for untrusted uploads and imports (catalogue D1–D8).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LEITWERK_IMPORT_MAX_BYTES = env.int("LEITWERK_IMPORT_MAX_BYTES", default=25 * 1024 * 1024)
# A plan has a few hundred Vorhaben; 10,000 rows preview in about 10 s (L2, M5: 99,000 took
# 291 s, past the 120 s timeout).
LEITWERK_IMPORT_MAX_ROWS = env.int("LEITWERK_IMPORT_MAX_ROWS", default=10_000)

# --- Structured logs (ops, issue 9, catalogue G1–G3; leitwerk/core/logs.py) ---------------
# LOG_FORMAT: json (default in production: one JSON object per line), keyvalue or console
# (default with DEBUG). Records carry request_id, user_id (never the e-mail), municipality;
# never an IP address or user agent; secrets are redacted and control characters escaped.
LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
LOGGING_CONFIG = "leitwerk.core.logs.configure"
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "leitwerk.core.logs.json_formatter"},
        "keyvalue": {"()": "leitwerk.core.logs.keyvalue_formatter"},
        "console": {"()": "leitwerk.core.logs.console_formatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # request_started/request_finished per request; security events (leitwerk.security).
        "django_structlog": {"level": env.str("LOG_REQUEST_LEVEL", default="INFO")},
        "leitwerk": {"level": "INFO"},
        # django.request repeats each 404/403 with the raw path (which may carry a token).
        "django.request": {"level": "ERROR"},
    },
}
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_USER_ID_FIELD = "pk"
# --- end structured logs ----------------------------------------------------------------

# --- REST API v1 (leitwerk/api, docs/API.md) ---------------------------------------------------
# Token auth for integrations (only a hash of each token is stored), session auth for the
# browser (DRF enforces CSRF on it). Rates per scope from the environment (DRF syntax, "60/min").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "leitwerk.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["leitwerk.api.permissions.MemberOfMunicipality"],
    "DEFAULT_PAGINATION_CLASS": "leitwerk.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "leitwerk.api.throttling.AnonThrottle",
        "leitwerk.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("LEITWERK_API_RATE_ANON", default="30/min"),
        "user": env.str("LEITWERK_API_RATE_USER", default="600/min"),
    },
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "leitwerk.api.views.exception_handler",
    "NUM_PROXIES": env.int("LEITWERK_NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Leitwerk API",
    "DESCRIPTION": "REST-Schnittstelle v1 von Leitwerk: Lesen der Steuerungsdaten einer Kommune, "
    "Messwerte melden, Meilensteine und Vorhaben fortschreiben. Siehe docs/API.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH bodies as declared: the update serializers make every field optional except
    # `version`, which optimistic locking needs; a "Patched…" copy would drop that.
    "COMPONENT_SPLIT_PATCH": False,
    "ENUM_NAME_OVERRIDES": {
        # Guideline documents and plans share draft/adopted/archived.
        "DocumentStatusEnum": "leitwerk.plans.models.PlanStatus",
        "InitiativeStatusEnum": "leitwerk.plans.models.InitiativeStatus",
        "RoundStatusEnum": "leitwerk.priorities.models.RoundStatus",
        "SurveyStatusEnum": "leitwerk.feedback.models.SurveyStatus",
        "HealthEnum": "leitwerk.core.status.Health",
        "ReportedHealthEnum": "leitwerk.api.serializers.REPORTED_HEALTH",
        "FollowUpStatusEnum": "leitwerk.council.models.FollowUpStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "leitwerk.api.schema.add_error_responses",
    ],
}
