# ruff: noqa: S603, S607, T201 - runs nginx, gunicorn, openssl and leitwerk with fixed arguments
"""The shipped nginx site in front of gunicorn as docs/DEPLOYMENT.md sets it up (H3, L6, L8).

Runs Debian's nginx with deploy/nginx/leitwerk.conf (only ports, certificate, log and static
paths and the upstream address changed) in front of gunicorn started with the flags of
deploy/systemd/leitwerk-web.service and config.settings.prod on a fresh SQLite database with the
demo data. Then, through nginx over TLS: the portal, the sign-in and a workspace page, a survey
POST, an oversized upload (German 413 page without nginx version) and the port-80 redirect.

    .venv/bin/python scripts/check_nginx.py        (CI: .ci/run; installs nginx via apt if missing)

Exit status 0 when every check passed; otherwise the failed checks and the server logs.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import urllib3

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "deploy" / "nginx" / "leitwerk.conf"
UNIT = REPO / "deploy" / "systemd" / "leitwerk-web.service"
VENV_BIN = Path(sys.executable).parent
HOST = "leitwerk.example.de"
PASSWORD = "Leitwerk-Demo-2026!"  # noqa: S105 - the public demo password (README)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def substitute(text: str, old: str, new: str) -> str:
    """Replace `old` (which must be in the shipped file, so the check follows its shape)."""
    if old not in text:
        raise SystemExit(f"check_nginx: {old!r} steht nicht in {SITE.name} – Skript anpassen.")
    return text.replace(old, new)


def adapted_site(tmp: Path, *, https: int, http: int, app: int) -> str:
    site = SITE.read_text()
    site = substitute(site, "listen 80;", f"listen 127.0.0.1:{http};")
    site = substitute(site, "listen [::]:80;\n", "")
    site = substitute(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
    site = substitute(site, "listen [::]:443 ssl http2;\n", "")
    site = substitute(
        site, "/etc/letsencrypt/live/leitwerk.example.de/fullchain.pem", str(tmp / "cert.pem")
    )
    site = substitute(
        site, "/etc/letsencrypt/live/leitwerk.example.de/privkey.pem", str(tmp / "key.pem")
    )
    site = substitute(site, "/var/log/nginx/", f"{tmp}/log/")
    site = substitute(site, "/opt/leitwerk/var/static/", f"{tmp}/var/static/")
    site = substitute(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{app};")
    return site


def nginx_conf(tmp: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/log/main.error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        f"    client_body_temp_path {tmp}/nginx-body;\n"
        f"    proxy_temp_path {tmp}/nginx-proxy;\n"
        f"    fastcgi_temp_path {tmp}/nginx-fastcgi;\n"
        f"    uwsgi_temp_path {tmp}/nginx-uwsgi;\n"
        f"    scgi_temp_path {tmp}/nginx-scgi;\n"
        f"    include {tmp}/leitwerk.conf;\n"
        "}\n"
    )


def gunicorn_command(port: int) -> list[str]:
    """ExecStart of the shipped unit, with this venv, 1 worker × 4 threads and the test port."""
    unit = UNIT.read_text()
    match = re.search(r"^ExecStart=((?:.*\\\n)*.*)$", unit, re.MULTILINE)
    assert match, "ExecStart fehlt in leitwerk-web.service"
    line = match.group(1).replace("\\\n", " ")
    line = line.replace("${WEB_WORKERS}", "1").replace("${WEB_THREADS}", "4")
    line = substitute(line, "--bind 127.0.0.1:8000", f"--bind 127.0.0.1:{port}")
    args = shlex.split(line)
    args[0] = str(VENV_BIN / "gunicorn")
    return args


def plain_session() -> requests.Session:
    """No proxy or CA bundle from the environment: straight to 127.0.0.1, self-signed cert."""
    session = requests.Session()
    session.trust_env = False
    session.verify = False
    return session


def wait_for(url: str, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            plain_session().get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit(f"check_nginx: {what} antwortet nicht ({url}).")


class Client:
    """HTTPS through nginx with the production host name (as a browser on port 443 sends it)."""

    def __init__(self, port: int) -> None:
        self.base = f"https://127.0.0.1:{port}"
        self.session = plain_session()
        self.session.headers["Host"] = HOST

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base + path, allow_redirects=False, timeout=30)

    def post(self, path: str, data: dict[str, str], **kwargs: object) -> requests.Response:
        headers = {"Referer": f"https://{HOST}{path}", "Origin": f"https://{HOST}"}
        return self.session.post(
            self.base + path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,  # type: ignore[arg-type]
        )


def form_fields(html: str) -> dict[str, str]:
    """Hidden fields, the first choice of every radio or checkbox group, text in every text box."""
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\bname="([^"]+)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        kind = re.search(r'\btype="([^"]+)"', tag)
        if not name:
            continue
        if (
            kind
            and kind.group(1) in ("hidden", "radio", "checkbox")
            and name.group(1) not in fields
        ):
            fields[name.group(1)] = value.group(1) if value else ""
    for name in re.findall(r'<textarea\b[^>]*\bname="([^"]+)"', html):
        fields[name] = "Gut so."
    return fields


def run_checks(client: Client, http_port: int) -> list[str]:
    failures: list[str] = []

    def expect(label: str, condition: bool, detail: object = "") -> None:
        print(("ok   " if condition else "FEHL ") + label + (f" ({detail})" if detail else ""))
        if not condition:
            failures.append(label)

    for path in ("/musterstadt/", "/musterstadt/umfragen/", "/konto/anmelden/"):
        response = client.get(path)
        expect(f"GET {path} → 200", response.status_code == 200, response.status_code)
    static = re.search(r'href="(/static/[^"]+\.css)"', client.get("/musterstadt/").text)
    expect("the portal links a stylesheet", static is not None)
    if static:
        response = client.get(static.group(1))
        expect(
            "nginx serves /static/ with a year's cache",
            response.status_code == 200
            and "immutable" in response.headers.get("Cache-Control", ""),
            response.status_code,
        )

    # Sign-in (CSRF over HTTPS needs Host and X-Forwarded-Proto), then a workspace page.
    login = client.get("/konto/anmelden/")
    fields = form_fields(login.text)
    fields.update({"login": "strategie@musterstadt.example", "password": PASSWORD})
    response = client.post("/konto/anmelden/", fields)
    expect("sign-in → redirect", response.status_code == 302, response.status_code)
    cookie_names = set(client.session.cookies.keys())
    expect("secure __Host- session cookie", "__Host-sessionid" in cookie_names, cookie_names)
    for path in ("/", "/arbeitsbereich/plaene/"):
        response = client.get(path)
        expect(f"GET {path} signed in → 200", response.status_code == 200, response.status_code)
        expect(f"{path} is a workspace page", "Abmelden" in response.text)

    # A survey answer (the survey location sets its own headers: H3).
    listing = client.get("/musterstadt/umfragen/").text
    surveys = [
        (link, client.get(link))
        for link in re.findall(r'href="(/musterstadt/umfragen/\d+/)"', listing)
    ]
    # One without one-time codes (the demo has one of each).
    open_to_all = [(link, page) for link, page in surveys if 'name="code"' not in page.text]
    expect("an open demo survey without codes is listed", bool(open_to_all))
    for link, page in open_to_all[:1]:
        expect(f"GET {link} → 200", page.status_code == 200, page.status_code)
        response = client.post(link, form_fields(page.text))
        expect(
            f"POST {link} → answer accepted",
            response.status_code == 200 and "Danke" in response.text,
            (response.status_code, re.findall(r"<li>([^<]*)</li>", response.text)[:5]),
        )

    # L6: an upload above client_max_body_size gets a German page without nginx version.
    response = client.post(
        "/arbeitsbereich/import/", {"x": "y"}, files={"datei": ("gross.csv", b"0" * (26 << 20))}
    )
    expect("26 MB upload → 413", response.status_code == 413, response.status_code)
    expect("413 page is German", "Die Datei ist zu groß" in response.text, response.text[:80])
    expect("413 page is UTF-8 HTML", "utf-8" in response.headers.get("Content-Type", "").lower())
    expect(
        "no nginx version anywhere",
        not re.search(r"nginx/\d", response.text + str(response.headers)),
    )
    expect(
        "Server header without version",
        response.headers.get("Server") == "nginx",
        response.headers.get("Server"),
    )

    # Port 80 redirects to HTTPS.
    plain = plain_session().get(
        f"http://127.0.0.1:{http_port}/musterstadt/",
        headers={"Host": HOST},
        allow_redirects=False,
        timeout=10,
    )
    expect(
        "http → 301 https",
        plain.status_code == 301
        and plain.headers.get("Location") == f"https://{HOST}/musterstadt/",
        (plain.status_code, plain.headers.get("Location")),
    )
    return failures


def main() -> int:
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        subprocess.run(["bash", str(REPO / "scripts" / "install-nginx.sh")], check=True)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

    # `check_nginx.py DIR` keeps its files in DIR and prepares the database only once there.
    tmp = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="leitwerk-nginx-"))
    )
    prepared = (tmp / "leitwerk.sqlite3").exists()
    tmp.mkdir(parents=True, exist_ok=True)
    tmp.chmod(0o755)
    (tmp / "log").mkdir(exist_ok=True)
    https, http, app = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{tmp}/leitwerk.sqlite3",
        "LEITWERK_VAR_DIR": str(tmp / "var"),
        "SECURE_PROXY_SSL_HEADER_ENABLED": "True",
        "LEITWERK_TRUSTED_PROXIES": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOG_FORMAT": "console",
    }
    leitwerk = str(VENV_BIN / "leitwerk")
    quiet = {"env": env, "cwd": REPO, "check": True, "stdout": subprocess.DEVNULL}
    version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
    print(f"check_nginx: {version}")
    if not prepared:
        print("check_nginx: Datenbank, Demodaten, statische Dateien …")
        subprocess.run([leitwerk, "migrate", "--noinput"], **quiet)  # type: ignore[call-overload]
        subprocess.run([leitwerk, "demo"], **quiet, stderr=subprocess.DEVNULL)  # type: ignore[call-overload]
        subprocess.run([leitwerk, "collectstatic", "--noinput"], **quiet)  # type: ignore[call-overload]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={HOST}", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp / "leitwerk.conf").write_text(adapted_site(tmp, https=https, http=http, app=app))
    (tmp / "nginx.conf").write_text(nginx_conf(tmp))

    gunicorn_log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115
    gunicorn = subprocess.Popen(
        gunicorn_command(app), env=env, cwd=REPO, stdout=gunicorn_log, stderr=subprocess.STDOUT
    )
    nginx_proc = None
    try:
        test = subprocess.run(
            [nginx, "-t", "-e", str(tmp / "log" / "startup.log"), "-c", str(tmp / "nginx.conf")],
            capture_output=True,
            text=True,
        )
        print(test.stderr.strip())
        if test.returncode:
            print("FEHL nginx -t")
            return 1
        nginx_proc = subprocess.Popen(
            [
                nginx,
                "-e",
                str(tmp / "log" / "startup.log"),
                "-c",
                str(tmp / "nginx.conf"),
                "-g",
                "daemon off;",
            ]
        )
        wait_for(f"http://127.0.0.1:{app}/healthz", "gunicorn")
        wait_for(f"https://127.0.0.1:{https}/healthz", "nginx")
        failures = run_checks(Client(https), http)
    finally:
        if nginx_proc is not None:
            nginx_proc.terminate()
            nginx_proc.wait(timeout=10)
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        gunicorn_log.close()
    if failures:
        print("\n--- gunicorn ---\n" + (tmp / "gunicorn.log").read_text()[-4000:])
        for log in sorted((tmp / "log").iterdir()):
            print(f"\n--- {log.name} ---\n" + log.read_text()[-2000:])
        print(f"\ncheck_nginx: {len(failures)} Prüfung(en) fehlgeschlagen: {', '.join(failures)}")
        return 1
    if len(sys.argv) < 2:
        shutil.rmtree(tmp, ignore_errors=True)
    print("check_nginx: nginx + gunicorn wie ausgeliefert: alle Prüfungen bestanden.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
