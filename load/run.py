# ruff: noqa: S603 - runs our own tools with fixed arguments
"""`make load`: the locust scenario against gunicorn + PostgreSQL, headless; fails on errors.

    .venv/bin/python load/run.py            # 200 users, 2 minutes (the contract figures)
    LOAD_USERS=50 LOAD_TIME=60s .venv/bin/python load/run.py

Environment (all optional):
  LOAD_DATABASE_URL  PostgreSQL database to use (created if missing; default leitwerk_load on
                     127.0.0.1). It gets the migrations, `leitwerk demo` once and
                     `leitwerk generate --scale $LOAD_SCALE` once (S by default; empty: none).
  LOAD_USERS (200), LOAD_SPAWN_RATE (20 per second), LOAD_TIME (2m),
  LOAD_WORKERS (3 gunicorn processes), LOAD_THREADS (4 per process), LOAD_PORT (8765).

Prints the 95th percentile, requests per second and the error count; exit code 1 when any
request failed. Results: var/load/ (locust CSV files, gunicorn log).
"""

from __future__ import annotations

import csv
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = REPO / "var" / "load"


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            say(f"Datenbank {name} angelegt.")


def leitwerk(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "leitwerk"), *args],
        env=env,
        cwd=REPO,
        check=check,
        text=True,
        capture_output=not check,
    )


def has_municipality(env: dict[str, str], slug: str) -> bool:
    code = (
        "from leitwerk.municipalities.models import Municipality as M; "
        f"import sys; sys.exit(0 if M.objects.filter(slug='{slug}').exists() else 1)"
    )
    return leitwerk(env, "shell", "-c", code, check=False).returncode == 0


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"Der Webserver antwortet nicht unter {url}.") from None
        time.sleep(0.5)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[1] is the parent pid, fields[11]/[12] utime/stime (stat(5), after the name).
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def summary(prefix: Path) -> tuple[int, int, float, float, float]:
    with open(f"{prefix}_stats.csv") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["Name"] != "Aggregated":
            say(
                f"  {row['Type']:5} {row['Name'][:62]:62} {row['Request Count']:>7} "
                f"p95 {row['95%']:>6} ms  Fehler {row['Failure Count']}"
            )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return (
        int(total["Request Count"]),
        int(total["Failure Count"]),
        float(total["95%"] or 0),
        float(total["50%"] or 0),
        float(total["Requests/s"] or 0),
    )


def server_env(db_url: str, var_dir: Path) -> dict[str, str]:
    """Production settings served over plain HTTP on loopback, for a server started here."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.load",
        "DATABASE_URL": db_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "LEITWERK_VAR_DIR": str(var_dir),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "False",
        "LOG_LEVEL": "ERROR",
        # The checkout this script is in, not whatever `pip install -e` points to.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    env.pop("LEITWERK_LOCAL_SECRET", None)
    return env


def main() -> int:
    e = os.environ.get
    db_url = e("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/leitwerk_load")
    users, rate, duration = e("LOAD_USERS", "200"), e("LOAD_SPAWN_RATE", "20"), e("LOAD_TIME", "2m")
    workers, threads, port = e("LOAD_WORKERS", "3"), e("LOAD_THREADS", "4"), e("LOAD_PORT", "8765")
    OUT.mkdir(parents=True, exist_ok=True)
    env = server_env(db_url, OUT / "var")
    targets = prepare(env, db_url, scale=e("LOAD_SCALE", "S"))

    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 - closed in finally
    server = start_server(env, workers, threads, port, log)
    host = f"http://127.0.0.1:{port}"
    prefix = OUT / "result"
    try:
        wait_for(f"{host}/musterstadt/")
        cpu_before = cpu_seconds(server.pid)
        say(f"Lasttest: {users} Nutzer, {duration}, gunicorn {workers}×{threads} auf {host}")
        run_locust(users, rate, duration, host, prefix, targets)
        cpu_used = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    return report(prefix, cpu_used)


def prepare(env: dict[str, str], db_url: str, *, scale: str) -> Path:
    """Database migrated and filled, static files collected; returns the targets file."""
    ensure_database(db_url)
    leitwerk(env, "migrate", "--noinput", "--verbosity", "0")
    if not has_municipality(env, "musterstadt"):
        leitwerk(env, "demo")
    # Beside the demo: the synthetic data of `leitwerk generate` (S: one more municipality
    # with 300 Vorhaben), so the tables are not toy-sized. LOAD_SCALE= (empty) skips it.
    if scale and not has_municipality(env, f"{scale.lower()}-0001"):
        leitwerk(env, "generate", "--scale", scale)
    leitwerk(env, "collectstatic", "--noinput", "--verbosity", "0")
    targets = OUT / "targets.json"
    subprocess.run([sys.executable, "load/prepare.py", str(targets)], env=env, cwd=REPO, check=True)
    return targets


def start_server(
    env: dict[str, str], workers: str, threads: str, port: str, log: IO[str]
) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--workers",
            workers,
            "--threads",
            threads,
            "--worker-class",
            "gthread",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            # Longer than the pause between a user's requests (nginx in front keeps its
            # upstream connections open the same way); gunicorn's default of 2 s closes idle
            # connections just as the next request arrives (ConnectionResetError).
            "--keep-alive",
            "75",
        ],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def run_locust(
    users: str, rate: str, duration: str, host: str, prefix: Path, targets: Path
) -> None:
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            "load/locustfile.py",
            "--headless",
            "-u",
            users,
            "-r",
            rate,
            "-t",
            duration,
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--exit-code-on-error",
            "0",
            "--loglevel",
            "WARNING",
            "--logfile",
            str(OUT / "locust.log"),
        ],
        env={**os.environ, "LEITWERK_LOAD_TARGETS": str(targets)},
        cwd=REPO,
        check=True,
    )


def report(prefix: Path, cpu_used: float) -> int:
    """Print the result; 1 if there were errors or no requests at all."""
    requests, errors, p95, p50, rps = summary(prefix)
    # Exceptions inside the scenario (a page without the expected form …) count as errors too.
    with open(f"{prefix}_exceptions.csv") as fh:
        exceptions = sum(int(row["Count"]) for row in csv.DictReader(fh))
    errors += exceptions
    say(
        f"Ergebnis: {requests} Anfragen, {rps:.1f} Anfragen/s, Median {p50:.0f} ms, "
        f"p95 {p95:.0f} ms, Fehler {errors}"
    )
    if requests:
        # The web processes' own CPU time per request: a figure that does not depend on how
        # busy the machine was, unlike the response times (PostgreSQL's share not included).
        per_request = cpu_used / requests
        say(
            f"CPU der Webprozesse: {cpu_used:.0f} s, {per_request * 1000:.0f} ms je Anfrage "
            f"≈ {1 / per_request:.1f} Anfragen/s je voll verfügbarem Kern"
        )
    if errors or not requests:
        say(f"Fehlgeschlagen: {errors} Fehler (Details: {prefix}_failures.csv).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
