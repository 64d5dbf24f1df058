"""Drop and create the bench's PostgreSQL database (`make bench`). Usage: bench_db.py URL."""

from __future__ import annotations

import sys
import urllib.parse

import psycopg
from psycopg import sql


def main(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(f"make bench braucht PostgreSQL; DATABASE_URL ist {parts.scheme}://…")
    name = parts.path.lstrip("/")
    if not name or name in ("postgres", "template0", "template1"):
        sys.exit(f"Datenbank „{name}“ wird nicht gelöscht; bitte eine eigene Bench-Datenbank.")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    sys.stdout.write(f"Datenbank {name} neu angelegt.\n")


if __name__ == "__main__":
    main(sys.argv[1])
