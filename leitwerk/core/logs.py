"""Structured logs (catalogue G1–G3): JSON lines in production, no IP addresses, no secrets.

`config/settings/base.py` names `configure` as Django's LOGGING_CONFIG, so structlog and the
standard library's logging are set up together from the LOGGING dict. Every record passes the
same processors, whatever the output format:

- `drop_network_identity` removes IP addresses and the user agent (data minimisation: survey and
  suggestion pages must log no IP, and no other page needs one either);
- `redact_secrets` replaces values of keys that name a secret (password, token, session, …);
- `escape_control_characters` turns CR, LF, ANSI escapes and other control characters into
  visible escapes and shortens very long strings, so one event stays one line (G3).

Security events (G1) are logged by `security_event` under the logger `leitwerk.security`: sign-in
ok or failed, sign-out, lock-out, access denied (403/404 for a signed-in person), and every audited
write (`leitwerk.core.audit.audit`). Logging is not business logic: the receivers here only log.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import logging.config
import re
from typing import Any

import structlog

SECURITY_LOGGER = "leitwerk.security"
MAX_STRING = 1000
REDACTED = "[entfernt]"

_SECRET_KEYS = re.compile(
    r"pass(word|wd)?|secret|token|csrf|session|cookie|authorization|api_?key|otp|survey_code",
    re.IGNORECASE,
)
_NETWORK_KEYS = {"ip", "ip_address", "remote_addr", "client_ip", "user_agent", "x_forwarded_for"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(text: str) -> str:
    def visible(match: re.Match[str]) -> str:
        char = match.group(0)
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{ord(char):02x}")

    text = _CONTROL.sub(visible, text)
    if len(text) > MAX_STRING:
        text = f"{text[:MAX_STRING]}…[{len(text) - MAX_STRING} Zeichen gekürzt]"
    return text


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(item) for item in value]
    return value


def drop_network_identity(logger: Any, method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in _NETWORK_KEYS:
        event_dict.pop(key, None)
    return event_dict


def redact_secrets(logger: Any, method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in list(event_dict):
        if key != "event" and _SECRET_KEYS.search(key):
            event_dict[key] = REDACTED
    return event_dict


def escape_control_characters(
    logger: Any, method: str, event_dict: dict[str, Any]
) -> dict[str, Any]:
    for key, value in event_dict.items():
        if key not in ("exc_info", "_record", "_from_structlog"):
            event_dict[key] = _clean(value)
    return event_dict


def _escape_rendered(logger: Any, method: str, event_dict: Any) -> Any:
    # Tracebacks are rendered into "exception" by format_exc_info, after the first pass.
    if isinstance(event_dict.get("exception"), str):
        event_dict["exception"] = event_dict["exception"].replace("\x1b", "\\x1b")
    return event_dict


# Pages that must not know who answers (anonymous surveys and suggestions; audit M1). Named
# by URL namespace, so the kernel imports no app. A request to one of them is logged only
# when something broke, and then without user, request id or time of day.
ANONYMOUS_URL_NAMESPACES = frozenset({"feedback_public", "feedback_suggestions"})
_ANONYMOUS_MARK = "anonymous_request"
_PERSON_KEYS = ("user_id", "request_id", "correlation_id", "actor_id")


def _is_anonymous_route(request: Any) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return bool(ANONYMOUS_URL_NAMESPACES.intersection(match.namespaces))


def forget_the_person(logger: Any, method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """During an anonymous request: drop ordinary events, strip who and when from errors.

    A signed-in employee answering the staff pulse sends the session cookie; the request
    middleware binds the user id. Logged with a microsecond timestamp, that line would tie
    the person to the moment an answer sheet was stored (audit M1). Errors are kept for
    operations, with the day instead of the time.
    """
    if not event_dict.pop(_ANONYMOUS_MARK, False):
        return event_dict
    native = "_record" not in event_dict
    level = logging.getLevelName(str(event_dict.get("level", "info")).upper())
    if native and isinstance(level, int) and level < logging.ERROR:
        raise structlog.DropEvent
    for key in _PERSON_KEYS:
        event_dict.pop(key, None)
    if isinstance(event_dict.get("timestamp"), str):
        event_dict["timestamp"] = event_dict["timestamp"][:10]
    return event_dict


def shared_processors() -> list[Any]:
    """Applied to structlog events and to records of the standard library alike."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        forget_the_person,
        drop_network_identity,
        redact_secrets,
        escape_control_characters,
    ]


def _formatter(renderer: Any) -> structlog.stdlib.ProcessorFormatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared_processors(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            _escape_rendered,
            renderer,
        ],
    )


def json_formatter() -> structlog.stdlib.ProcessorFormatter:
    """One JSON object per line (production)."""
    return _formatter(structlog.processors.JSONRenderer(ensure_ascii=True))


def keyvalue_formatter() -> structlog.stdlib.ProcessorFormatter:
    """key=value pairs, one event per line (log files read by people)."""
    return _formatter(
        structlog.processors.KeyValueRenderer(
            key_order=["timestamp", "level", "event", "logger"], drop_missing=True
        )
    )


def console_formatter() -> structlog.stdlib.ProcessorFormatter:
    """Readable lines for `make run` (no colours: the escapes would reach log files)."""
    return _formatter(structlog.dev.ConsoleRenderer(colors=False))


def configure(logging_settings: dict[str, Any]) -> None:
    """Django's LOGGING_CONFIG: the standard library's dictConfig plus structlog."""
    logging.config.dictConfig(logging_settings)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


# ----------------------------------------------------------------------------- events


def security_event(event: str, *, outcome: str, level: int = logging.INFO, **fields: Any) -> None:
    """One structured record of a security event: what, outcome, tenant, actor, object."""
    structlog.get_logger(SECURITY_LOGGER).log(
        level, event, security_event=True, outcome=outcome, **fields
    )


def municipality_slug(municipality: Any) -> str | None:
    return getattr(municipality, "slug", None) or None


def actor_id(user: Any) -> int | None:
    if user is not None and getattr(user, "is_authenticated", False):
        pk: int = user.pk
        return pk
    return None


def pseudonym(identifier: str) -> str:
    """A stable keyed hash of a sign-in name: failed attempts on one account can be correlated
    without writing the e-mail address (or whatever was typed) into the log."""
    from django.conf import settings

    digest = hmac.new(
        settings.SECRET_KEY.encode(), identifier.strip().lower().encode(), hashlib.sha256
    )
    return digest.hexdigest()[:16]


def _route(request: Any) -> tuple[str, str]:
    """The URL pattern and name instead of the path: paths may carry reset tokens, survey codes
    or search words; the pattern carries none."""
    from django.urls import Resolver404, resolve

    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "<unbekannt>", ""
    return f"/{match.route}", match.view_name or ""


def _municipality_for(request: Any, kwargs: dict[str, Any]) -> str | None:
    if kwargs.get("municipality_slug"):
        return str(kwargs["municipality_slug"])
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(request, "municipality"):
        try:
            return municipality_slug(request.municipality)
        except Exception:  # noqa: BLE001 - logging must never break a response
            return None
    return None


def on_request_started(
    sender: Any, request: Any, logger: Any, log_kwargs: dict[str, Any], **kw: Any
) -> None:
    if _is_anonymous_route(request):
        structlog.contextvars.unbind_contextvars(*_PERSON_KEYS)
        structlog.contextvars.bind_contextvars(**{_ANONYMOUS_MARK: True})
    route, name = _route(request)
    log_kwargs["request"] = f"{request.method} {route}"
    log_kwargs["view"] = name
    log_kwargs.pop("user_agent", None)


def on_request_finished(
    sender: Any, request: Any, logger: Any, response: Any, log_kwargs: dict[str, Any], **kw: Any
) -> None:
    if _is_anonymous_route(request):
        # The middleware binds the user id again before this line; nothing more to log.
        structlog.contextvars.unbind_contextvars(*_PERSON_KEYS)
        structlog.contextvars.bind_contextvars(**{_ANONYMOUS_MARK: True})
        return
    route, name = _route(request)
    match = getattr(request, "resolver_match", None)
    kwargs = dict(match.kwargs) if match is not None else {}
    log_kwargs["request"] = f"{request.method} {route}"
    log_kwargs["view"] = name
    slug = _municipality_for(request, kwargs)
    if slug:
        log_kwargs["municipality"] = slug
    user = getattr(request, "user", None)
    if response.status_code in (403, 404) and user is not None and user.is_authenticated:
        # The tenant guard answers 404 for missing and foreign objects alike (403 for a role
        # that may not act): worth a security record when it happens to a signed-in person.
        security_event(
            "access_denied",
            outcome="denied",
            level=logging.WARNING,
            code=response.status_code,
            view=name,
            object={key: value for key, value in kwargs.items() if isinstance(value, int)},
            municipality=slug,
            actor_id=user.pk,
        )


def on_request_failed(
    sender: Any, request: Any, logger: Any, exception: Any, log_kwargs: dict[str, Any], **kw: Any
) -> None:
    if _is_anonymous_route(request):
        structlog.contextvars.unbind_contextvars(*_PERSON_KEYS)
        structlog.contextvars.bind_contextvars(**{_ANONYMOUS_MARK: True})
    route, name = _route(request)
    log_kwargs["request"] = f"{request.method} {route}"
    log_kwargs["view"] = name


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    name = str(credentials.get("username") or credentials.get("email") or "")
    security_event(
        "login", outcome="failed", level=logging.WARNING, login_pseudonym=pseudonym(name)
    )


def on_user_logged_out(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    security_event("logout", outcome="ok", actor_id=actor_id(user))


def on_user_locked_out(sender: Any, request: Any = None, username: str = "", **kw: Any) -> None:
    security_event(
        "lockout",
        outcome="locked",
        level=logging.WARNING,
        login_pseudonym=pseudonym(username or ""),
    )


def connect_receivers() -> None:
    """Called from CoreConfig.ready(): log-only receivers, no business logic."""
    from django.contrib.auth import signals as auth_signals
    from django_structlog import signals as structlog_signals

    # The successful sign-in is logged by leitwerk/accounts/signals.py (it names the town).
    auth_signals.user_login_failed.connect(
        on_user_login_failed, dispatch_uid="leitwerk-log-login-failed"
    )
    auth_signals.user_logged_out.connect(on_user_logged_out, dispatch_uid="leitwerk-log-logout")
    structlog_signals.bind_extra_request_metadata.connect(
        on_request_started, dispatch_uid="leitwerk-log-request-started"
    )
    structlog_signals.bind_extra_request_finished_metadata.connect(
        on_request_finished, dispatch_uid="leitwerk-log-request-finished"
    )
    structlog_signals.bind_extra_request_failed_metadata.connect(
        on_request_failed, dispatch_uid="leitwerk-log-request-failed"
    )
    from django.apps import apps

    if apps.is_installed("axes"):
        from axes import signals as axes_signals

        axes_signals.user_locked_out.connect(
            on_user_locked_out, dispatch_uid="leitwerk-log-lockout"
        )
