# ruff: noqa: S603, S310 - runs our own tools and sqlmap with fixed arguments against loopback
"""`make sqlmap` (C5, a Nightly row): sqlmap against every search, sort and filter parameter.

    .venv/bin/python scripts/sqlmap_scan.py          # the whole scan (about half an hour)
    SQLMAP_LIMIT=5 .venv/bin/python scripts/sqlmap_scan.py   # the first five targets only

Starts gunicorn on PostgreSQL with the demo (as `make load` does, load/run.py), signs in as the
demo strategy office of Musterstadt and runs `sqlmap --batch --level 3 --risk 2` once per target.
Exit code 1 when sqlmap reports an injection point or could not finish a target.

The targets are found, not listed, so a new parameter is scanned without editing this file:
- every link with a query string and every GET form on the pages reachable from the workspace
  and the public portal, once per route and set of parameter names;
- every query parameter of the API's GET operations in /api/v1/schema/ (bearer token).

Environment (optional): SQLMAP_DATABASE_URL (default leitwerk_sqlmap on 127.0.0.1),
SQLMAP_PORT (8766), SQLMAP_LIMIT (no limit), SQLMAP_MAX_PAGES (600). Results: var/sqlmap/.
"""

from __future__ import annotations

import http.cookiejar
import importlib.util
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = REPO / "var" / "sqlmap"
USER = "strategie@musterstadt.example"
PASSWORD = "Leitwerk-Demo-2026!"  # noqa: S105 - the public demo password (devdata/LOGINS.md)
START_PAGES = ("/arbeitsbereich/", "/musterstadt/")
# Never followed while crawling: signing out would end the session sqlmap uses; downloads and
# reports are slow to build and carry no links (their own query parameters are still scanned).
SKIP = re.compile(
    r"^/(static|media|admin|konto/abmelden|api)/|export|herunterladen|download|"
    r"\.(pdf|xlsx|docx|csv|zip|ics|json|xml|atom|rss|svg|png)$"
)


@dataclass(frozen=True)
class Target:
    url: str
    params: tuple[str, ...]
    auth: str  # "session" or "token"


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def route_key(path: str) -> str:
    """Pages that differ only in an id count as one route."""
    return re.sub(r"/\d+(?=/|$)", "/N", path)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._form: tuple[str, dict[str, str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and a.get("method", "get").lower() == "get":
            self._form = (a.get("action", ""), {})
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            if a.get("type") in ("submit", "button", "image", "reset", "file"):
                return
            value = a.get("value") or ("1" if tag == "input" else "")
            self._form[1].setdefault(a["name"], value)
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._form is not None and self._select:
            # a real choice, so the page answers as it would to a person
            if not self._form[1].get(self._select) and a.get("value"):
                self._form[1][self._select] = a["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def read_page(page_url: str, html: str) -> tuple[list[str], list[Target]]:
    """The same-site pages a page links to, and its query parameters as sqlmap targets."""
    parser = _PageParser()
    parser.feed(html)
    base = urllib.parse.urlsplit(page_url)
    pages, targets = [], []
    for href in parser.links:
        url = urllib.parse.urljoin(page_url, href)
        parts = urllib.parse.urlsplit(url)
        if parts.netloc != base.netloc or parts.scheme not in ("http", "https"):
            continue
        pages.append(parts._replace(fragment="").geturl())
        names = tuple(dict.fromkeys(k for k, _ in urllib.parse.parse_qsl(parts.query, True)))
        if names:
            targets.append(Target(parts._replace(fragment="").geturl(), names, "session"))
    for action, fields in parser.forms:
        if not fields:
            continue
        url = urllib.parse.urljoin(page_url, action or page_url)
        parts = urllib.parse.urlsplit(url)
        if parts.netloc != base.netloc:
            continue
        query = urllib.parse.urlencode({k: v or "1" for k, v in fields.items()})
        targets.append(
            Target(parts._replace(query=query, fragment="").geturl(), tuple(fields), "session")
        )
    return pages, targets


def api_targets(host: str, schema: dict) -> list[Target]:
    """Each GET operation of the OpenAPI schema with query parameters, ids filled with 1."""
    targets = []
    for path, operations in sorted(schema.get("paths", {}).items()):
        get = operations.get("get")
        if not get:
            continue
        params = [p for p in get.get("parameters", []) if p.get("in") == "query"]
        if not params:
            continue
        query = {p["name"]: _example(p) for p in params}
        url = host + re.sub(r"\{[^}]+\}", "1", path) + "?" + urllib.parse.urlencode(query)
        targets.append(Target(url, tuple(query), "token"))
    return targets


def _example(parameter: dict) -> str:
    schema = parameter.get("schema", {})
    if schema.get("enum"):
        return str(schema["enum"][0])
    if schema.get("type") in ("integer", "number"):
        return "1"
    if schema.get("type") == "boolean":
        return "true"
    if schema.get("format") == "date":
        return "2026-01-01"
    return "a"


def unique(targets: Iterable[Target]) -> list[Target]:
    seen: dict[tuple[str, str, frozenset[str]], Target] = {}
    for t in targets:
        key = (t.auth, route_key(urllib.parse.urlsplit(t.url).path), frozenset(t.params))
        seen.setdefault(key, t)
    return list(seen.values())


def verdict(output: str) -> str:
    """`injectable`, `clean` or `unfinished`, from what sqlmap printed for one target."""
    if "identified the following injection point" in output or re.search(
        r"parameter '[^']+' is vulnerable", output
    ):
        return "injectable"
    if "all tested parameters do not appear to be injectable" in output:
        return "clean"
    return "unfinished"


class Session:
    def __init__(self, host: str) -> None:
        self.host = host
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[str, str]:
        """(final url after redirects, body of an HTML page or "")"""
        with self.opener.open(url, timeout=60) as response:
            html = "html" in response.headers.get("Content-Type", "")
            return response.geturl(), response.read().decode("utf-8", "replace") if html else ""

    def sign_in(self) -> None:
        login = self.host + "/konto/anmelden/"
        _, page = self.get(login)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "login": USER,
                "password": PASSWORD,
            }
        ).encode()
        request = urllib.request.Request(login, data=data, headers={"Referer": login})
        with self.opener.open(request, timeout=60) as response:
            if "/konto/anmelden/" in response.geturl():
                raise SystemExit(f"Anmeldung als {USER} fehlgeschlagen.")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def crawl(session: Session, max_pages: int) -> list[Target]:
    queue = [session.host + p for p in START_PAGES]
    seen_pages: set[str] = set()
    per_route: dict[str, int] = {}
    targets: list[Target] = []
    while queue and len(seen_pages) < max_pages:
        url = queue.pop(0)
        path = urllib.parse.urlsplit(url).path
        if url in seen_pages or SKIP.search(path):
            continue
        route = route_key(path)
        if per_route.get(route, 0) >= 3:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        seen_pages.add(url)
        try:
            final, body = session.get(url)
        except OSError:
            continue  # 404 of a foreign or vanished object, 403: nothing to read
        if "/konto/anmelden/" in final:
            continue
        pages, found = read_page(final, body)
        targets += found
        queue += [p for p in pages if p not in seen_pages]
    say(f"{len(seen_pages)} Seiten gelesen.")
    return targets


def run_sqlmap(target: Target, *, cookie: str, token: str, out: Path) -> tuple[str, str]:
    command = [
        str(BIN / "sqlmap"), "-u", target.url, "-p", ",".join(target.params),
        "--batch", "--level", "3", "--risk", "2", "--dbms", "PostgreSQL",
        "--threads", "4", "--flush-session", "--disable-coloring", "--output-dir", str(out),
    ]  # fmt: skip
    if target.auth == "session":
        command += ["--cookie", cookie]
    else:
        command += ["--headers", f"Authorization: Bearer {token}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    output = result.stdout + result.stderr
    return verdict(output), output


def _load_helpers():
    spec = importlib.util.spec_from_file_location("load_run", REPO / "load" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    e = os.environ.get
    helpers = _load_helpers()
    db_url = e("SQLMAP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/leitwerk_sqlmap")
    port, limit = e("SQLMAP_PORT", "8766"), int(e("SQLMAP_LIMIT", "0") or 0)
    OUT.mkdir(parents=True, exist_ok=True)
    env = {
        **helpers.server_env(db_url, OUT / "var"),
        # sqlmap sends thousands of requests a minute; the API's rate limit would answer 429.
        "LEITWERK_API_RATE_USER": "1000000/min",
    }
    helpers.ensure_database(db_url)
    helpers.leitwerk(env, "migrate", "--noinput", "--verbosity", "0")
    if not helpers.has_municipality(env, "musterstadt"):
        helpers.leitwerk(env, "demo")
    helpers.leitwerk(env, "collectstatic", "--noinput", "--verbosity", "0")
    token = subprocess.run(
        [str(BIN / "leitwerk"), "token", "create", "--user", USER, "--name", "sqlmap"],
        env=env, cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout.split()[-1]  # fmt: skip

    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 - closed in finally
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--threads", "4",
         "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--timeout", "120"],
        env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    host = f"http://127.0.0.1:{port}"
    try:
        helpers.wait_for(f"{host}/musterstadt/")
        session = Session(host)
        session.sign_in()
        schema_url = f"{host}/api/v1/schema/?format=json"
        request = urllib.request.Request(schema_url, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            schema = json.loads(response.read())
        targets = unique(
            crawl(session, int(e("SQLMAP_MAX_PAGES", "600"))) + api_targets(host, schema)
        )
        if limit:
            targets = targets[:limit]
        say(f"{len(targets)} Ziele, {sum(len(t.params) for t in targets)} Parameter.")
        results = []
        for n, target in enumerate(targets, 1):
            outcome, output = run_sqlmap(
                target, cookie=session.cookie_header(), token=token, out=OUT / "runs"
            )
            (OUT / f"target-{n:03}.log").write_text(output)
            results.append({**asdict(target), "verdict": outcome})
            say(f"[{n}/{len(targets)}] {outcome:10} {target.url}")
        (OUT / "result.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    bad = [r for r in results if r["verdict"] != "clean"]
    say(
        f"sqlmap: {len(results)} Ziele, {len(results) - len(bad)} ohne Befund, "
        f"{sum(r['verdict'] == 'injectable' for r in results)} angreifbar, "
        f"{sum(r['verdict'] == 'unfinished' for r in results)} nicht abgeschlossen "
        f"(Protokolle: {OUT})."
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
