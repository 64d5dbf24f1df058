"""Production: `DJANGO_SETTINGS_MODULE=config.settings.prod` (catalogue B1, docs/DEPLOYMENT.md).

Everything from base.py (environment-driven), plus what only makes sense behind TLS:
`manage.py check --deploy --fail-level WARNING` passes with these settings
(leitwerk/core/tests/test_deploy_check.py).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, env

DEBUG = False

# base.py checks the key only when the environment's DEBUG is off, and with DEBUG=True it even
# makes up a local one; production checks again once DEBUG is forced off (L7).
if len(env.str("SECRET_KEY", default="")) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY fehlt oder ist zu kurz: setzen Sie die Umgebungsvariable SECRET_KEY "
        "(mindestens 50 Zeichen). DEBUG=True ändert daran in der Produktion nichts."
    )

if not env.list("ALLOWED_HOSTS", default=[]):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS fehlt: setzen Sie die Umgebungsvariable ALLOWED_HOSTS, "
        "z. B. ALLOWED_HOSTS=leitwerk.example.de."
    )
# "*" would accept any Host header, and links in e-mails could point elsewhere (I3).
if any(host.strip() in ("*", ".") for host in env.list("ALLOWED_HOSTS")):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS=* ist in der Produktion nicht erlaubt: nennen Sie die Namen des "
        "Servers, z. B. ALLOWED_HOSTS=leitwerk.example.de."
    )

# The address in links sent by e-mail (password reset, reminders), never the request's Host
# header (I3). Default: https:// and the first name in ALLOWED_HOSTS.
SITE_URL = env.str("SITE_URL", default="") or (
    "https://" + env.list("ALLOWED_HOSTS")[0].lstrip(".")
)

# --- HTTPS (ops, issue 9, B1) -------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Monitoring asks the app server directly (http://127.0.0.1:8000/readyz), not through TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# nginx terminates TLS and sets X-Forwarded-Proto (docs/DEPLOYMENT.md); gunicorn listens on
# 127.0.0.1 only, so no one else can send that header. Without a proxy: set it to False.
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Cookies: Secure, and `__Host-` names (no Domain, Path=/, only over HTTPS; B7) ------------
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_NAME = "__Host-language"

# --- Logs: JSON lines, whatever DEBUG said when base.py was read ----------------------------
LOGGING["handlers"]["console"]["formatter"] = env.str("LOG_FORMAT", default="json")
