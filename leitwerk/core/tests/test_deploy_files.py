"""The deployment examples in deploy/ (docs/DEPLOYMENT.md) keep survey visitors anonymous.

Simple text checks: nginx must neither log nor forward an address on the public survey and
suggestion pages, and no log format anywhere may contain one; the systemd units start the
commands Leitwerk really has.
"""

from __future__ import annotations

import re
from configparser import ConfigParser
from pathlib import Path

from django.urls import reverse

REPO = Path(__file__).resolve().parents[3]
NGINX = (REPO / "deploy" / "nginx" / "leitwerk.conf").read_text()
ADDRESS_VARIABLES = (
    "$remote_addr",
    "$proxy_add_x_forwarded_for",
    "$http_x_forwarded_for",
    "$http_x_real_ip",
    "$realip_remote_addr",
    "$binary_remote_addr",
)


def _directives(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def _location_blocks(text: str) -> dict[str, str]:
    """`location <pattern> { … }` bodies (no nested blocks in our file)."""
    return {
        m.group(1).strip(): m.group(2)
        for m in re.finditer(r"location\s+([^{]+)\{([^}]*)\}", _directives(text))
    }


def _survey_location() -> tuple[str, str]:
    (pattern, body), *rest = [(p, b) for p, b in _location_blocks(NGINX).items() if "umfragen" in p]
    assert not rest
    return pattern, body


def test_no_log_format_contains_an_address():
    formats = re.findall(r"log_format\s+\S+\s+([^;]+);", _directives(NGINX))
    assert formats, "the example defines its own log format"
    for fmt in formats:
        for variable in ADDRESS_VARIABLES:
            assert variable not in fmt
    for target in re.findall(r"access_log\s+([^;]+);", _directives(NGINX)):
        assert target.strip() == "off" or target.split()[-1] == "leitwerk_noip", target


def test_survey_and_suggestion_pages_neither_log_nor_forward_an_address():
    _pattern, body = _survey_location()
    assert re.search(r"access_log\s+off;", body)
    assert re.search(r"error_log\s+/dev/null", body)
    for variable in ADDRESS_VARIABLES:
        assert variable not in body
    assert re.search(r'proxy_set_header\s+X-Forwarded-For\s+"";', body)


def test_the_survey_location_matches_the_real_survey_and_suggestion_urls():
    pattern, _body = _survey_location()
    regex = re.compile(pattern.removeprefix("~").strip())
    for url in (
        reverse("feedback_public:list", args=["musterstadt"]),
        reverse("feedback_public:detail", args=["musterstadt", 7]),
        reverse("feedback_suggestions:form", args=["amt-musterland"]),
    ):
        assert regex.search(url), url
    for url in ("/musterstadt/vorhaben/", "/konto/anmelden/", "/arbeitsbereich/rueckmeldung/"):
        assert not regex.search(url), url


def test_media_files_are_not_served_by_nginx():
    assert "/media" not in _directives(NGINX)


def _unit(name: str) -> ConfigParser:
    parser = ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    text = (REPO / "deploy" / "systemd" / name).read_text().replace("\\\n", " ")
    parser.read_string(text)
    return parser


def test_the_systemd_units_start_leitwerk_web_and_workers():
    web = _unit("leitwerk-web.service")["Service"]
    assert "gunicorn config.wsgi" in web["ExecStart"]
    assert web["EnvironmentFile"] == "/etc/leitwerk/env"
    worker = _unit("leitwerk-worker@.service")["Service"]
    assert "leitwerk worker" in worker["ExecStart"]
    # Several instances need distinct ids: host name and instance number.
    assert "--worker-id %H-%i" in worker["ExecStart"]
    for timer in ("leitwerk-reminders", "leitwerk-purge", "leitwerk-council"):
        service = _unit(f"{timer}.service")["Service"]
        assert service["Type"] == "oneshot"
        assert "Persistent" in _unit(f"{timer}.timer")["Timer"]


def test_every_proxying_location_forwards_host_and_scheme():
    """H3: nginx inherits no `proxy_set_header` into a location that sets one of its own; a
    location without Host and X-Forwarded-Proto makes Django answer 400 to every request
    (scripts/check_nginx.py runs the file for real)."""
    proxying = {p: b for p, b in _location_blocks(NGINX).items() if "proxy_pass" in b}
    assert len(proxying) == 2
    for pattern, body in proxying.items():
        assert re.search(r"proxy_set_header\s+Host\s+\$host;", body), pattern
        assert re.search(r"proxy_set_header\s+X-Forwarded-Proto\s+\$scheme;", body), pattern
        assert re.search(r'proxy_set_header\s+Connection\s+"";', body), pattern


def test_the_site_runs_on_debian_12s_nginx():
    """L8: `http2 on;` needs nginx 1.25.1; Debian 12 ships 1.22."""
    directives = _directives(NGINX)
    assert not re.search(r"^\s*http2\s+on;", directives, re.MULTILINE)
    assert re.search(r"listen 443 ssl http2;", directives)


def test_nginx_answers_too_large_uploads_in_german_without_its_version():
    """L6: no English 413 page naming the nginx version."""
    directives = _directives(NGINX)
    assert re.search(r"^\s*server_tokens off;", directives, re.MULTILINE)
    assert re.search(r"error_page 413 @zu_gross;", directives)
    body = _location_blocks(NGINX)["@zu_gross"]
    assert "return 413" in body
    assert "Die Datei ist zu groß" in body
    assert 'lang="de"' in body
    assert "charset=utf-8" in body
