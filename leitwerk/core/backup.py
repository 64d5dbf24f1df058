"""Backup and restore of the database and the media files in one archive (catalogue I4, I5).

`leitwerk backup -o FILE` writes a tar.gz with

- `manifest.json`: format version, Leitwerk version, database vendor, applied migrations, and per
  table the row count, the rows per municipality and a SHA-256 over the sorted row hashes;
- `database.sqlite3` (SQLite: the online backup API, a consistent snapshot even while the web
  process or the worker writes) or `database.pgdump` (PostgreSQL: `pg_dump -Fc` of an exported
  snapshot, the same snapshot the checksums were computed in);
- `media/…`: the uploaded files, each with size and SHA-256 in the manifest.

`leitwerk restore FILE` first checks everything it can without changing anything (format, vendor,
migrations not newer than this code, database file intact and matching its checksums, media files
matching theirs); then it replaces the database in one step (SQLite backup API; `pg_restore
--clean --single-transaction`), swaps the media folder, and compares the checksums again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore are called with fixed argument lists
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, TypedDict

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"


class MediaEntry(TypedDict):
    """One uploaded file as the manifest lists it."""

    path: str
    size: int
    sha256: str


PG_DUMP = os.environ.get("LEITWERK_PG_DUMP", "/usr/bin/pg_dump")
PG_RESTORE = os.environ.get("LEITWERK_PG_RESTORE", "/usr/bin/pg_restore")

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A German message for the person running the command; nothing was changed."""


# ----------------------------------------------------------------------------- helpers


def _vendor(database: dict[str, Any]) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Sicherung für die Datenbank {engine} wird nicht unterstützt.")


def _default_database() -> dict[str, Any]:
    from django.db import connections

    return connections["default"].settings_dict


def leitwerk_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("leitwerk")
    except PackageNotFoundError:  # pragma: no cover - always installed in a checkout
        return "unbekannt"


def _canonical(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"hex": bytes(value).hex()}
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, float):
        return repr(value)
    return value


def _row_hash(row: Iterable[Any]) -> str:
    text = json.dumps([_canonical(v) for v in row], default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_checksums(cursor: Any, tables: list[str]) -> dict[str, dict[str, Any]]:
    """Per table: row count, rows per municipality (tenant tables), and a hash of the sorted
    row hashes, so the figure depends on the rows and not on their physical order."""
    result: dict[str, dict[str, Any]] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608 - names from the catalogue
        columns = [column[0] for column in cursor.description]
        hashes: list[str] = []
        tenants: dict[str, int] = {}
        tenant_index = columns.index("municipality_id") if "municipality_id" in columns else None
        while True:
            rows = cursor.fetchmany(2000)
            if not rows:
                break
            for row in rows:
                hashes.append(_row_hash(row))
                if tenant_index is not None:
                    key = str(row[tenant_index])
                    tenants[key] = tenants.get(key, 0) + 1
        hashes.sort()
        entry: dict[str, Any] = {
            "rows": len(hashes),
            "sha256": hashlib.sha256("\n".join(hashes).encode()).hexdigest(),
        }
        if tenant_index is not None:
            entry["rows_per_municipality"] = dict(sorted(tenants.items()))
        result[table] = entry
    return result


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]


def _applied_migrations(cursor: Any, tables: list[str]) -> list[str]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def known_migrations() -> set[str]:
    """Every migration this code knows, applied or not."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _sqlite_connect(name: str) -> sqlite3.Connection:
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)


def sqlite_snapshot_facts(path: Path) -> tuple[dict[str, Any], list[str]]:
    connection = sqlite3.connect(path)
    try:
        cursor = connection.cursor()
        check = cursor.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"Die Datenbankdatei ist beschädigt (integrity_check: {check}).")
        tables = _sqlite_tables(cursor)
        return table_checksums(cursor, tables), _applied_migrations(cursor, tables)
    finally:
        connection.close()


def _pg_params(database: dict[str, Any]) -> dict[str, str]:
    params = {
        "dbname": database.get("NAME") or "",
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
    }
    return {key: value for key, value in params.items() if value}


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    names = {"dbname": "PGDATABASE", "host": "PGHOST", "port": "PGPORT", "user": "PGUSER"}
    for key, value in _pg_params(database).items():
        env["PGPASSWORD" if key == "password" else names[key]] = value
    return env


def _run(command: list[str], database: dict[str, Any], what: str) -> None:
    if not Path(command[0]).exists() and shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} fehlt: bitte das Paket postgresql-client installieren.")
    done = subprocess.run(  # noqa: S603 - fixed program, no shell
        command, env=_pg_env(database), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split())[:500]
        raise BackupError(f"{what} ist fehlgeschlagen: {detail}")


@contextmanager
def _pg_snapshot(database: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    """A read-only REPEATABLE READ transaction and its exported snapshot id."""
    import psycopg

    connection = psycopg.connect(**_pg_params(database), autocommit=False)  # type: ignore[arg-type]
    try:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        cursor = connection.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        row = cursor.fetchone()
        assert row is not None
        yield cursor, row[0]
    finally:
        connection.rollback()
        connection.close()


def pg_facts(database: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    import psycopg

    with psycopg.connect(**_pg_params(database)) as connection:  # type: ignore[arg-type]
        cursor = connection.cursor()
        tables = _pg_tables(cursor)
        return table_checksums(cursor, tables), _applied_migrations(cursor, tables)


def database_facts(database: dict[str, Any] | None = None) -> dict[str, Any]:
    """Checksums and applied migrations of the live database (for drills and checks)."""
    database = database or _default_database()
    if _vendor(database) == "postgresql":
        checksums, migrations = pg_facts(database)
    else:
        connection = _sqlite_connect(database["NAME"])
        try:
            cursor = connection.cursor()
            tables = _sqlite_tables(cursor)
            checksums, migrations = (
                table_checksums(cursor, tables),
                _applied_migrations(cursor, tables),
            )
        finally:
            connection.close()
    return {"tables": checksums, "migrations": migrations}


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(
        path for path in media_root.rglob("*") if path.is_file() and not path.is_symlink()
    )


# ----------------------------------------------------------------------------- backup


def _dump_database(
    database: dict[str, Any], vendor: str, work_dir: Path
) -> tuple[str, Path, dict[str, Any], list[str]]:
    """A consistent copy of the database in work_dir: (member name, file, checksums, migrations)."""
    if vendor == "sqlite":
        db_member = SQLITE_MEMBER
        db_file = work_dir / db_member
        source = _sqlite_connect(database["NAME"])
        target = sqlite3.connect(db_file)
        try:
            # One step (pages=-1): a single read transaction, so the copy is one consistent
            # state even while another process writes (WAL lets the writer go on).
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
            source.close()
        checksums, migrations = sqlite_snapshot_facts(db_file)
        return db_member, db_file, checksums, migrations
    db_member = PG_MEMBER
    db_file = work_dir / db_member
    with _pg_snapshot(database) as (cursor, snapshot):
        tables = _pg_tables(cursor)
        checksums = table_checksums(cursor, tables)
        migrations = _applied_migrations(cursor, tables)
        _run(
            [
                PG_DUMP,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={db_file}",
            ],
            database,
            "pg_dump",
        )
    return db_member, db_file, checksums, migrations


def _write_archive(
    output: Path, work_dir: Path, manifest: dict[str, Any], db_file: Path, media_root: Path
) -> None:
    """The tar.gz with manifest, database and media, written beside `output` and renamed."""
    manifest_file = work_dir / MANIFEST
    manifest_file.write_text(json.dumps(manifest, indent=2, ensure_ascii=False))

    partial = output.with_name(f".{output.name}.unfertig")
    with tarfile.open(partial, "w:gz") as archive:
        archive.add(manifest_file, arcname=MANIFEST)
        archive.add(db_file, arcname=manifest["database"]["member"])
        for item in manifest["media"]:
            archive.add(media_root / item["path"], arcname=MEDIA_PREFIX + item["path"])
    partial.chmod(0o600)
    partial.replace(output)


def backup_create(
    *, output: Path, database: dict[str, Any] | None = None, media_root: Path | None = None
) -> dict[str, Any]:
    """Write the archive to `output` (atomically: a temporary file renamed at the end)."""
    from django.conf import settings

    database = database or _default_database()
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    vendor = _vendor(database)
    output = Path(output)
    if output.exists() and output.is_dir():
        raise BackupError(f"{output} ist ein Verzeichnis; bitte einen Dateinamen angeben.")
    if not output.parent.is_dir():
        raise BackupError(f"Das Verzeichnis {output.parent} gibt es nicht.")

    with tempfile.TemporaryDirectory(prefix="leitwerk-backup-") as work:
        work_dir = Path(work)
        db_member, db_file, checksums, migrations = _dump_database(database, vendor, work_dir)
        media = [
            {
                "path": path.relative_to(media_root).as_posix(),
                "size": path.stat().st_size,
                "sha256": _file_sha256(path),
            }
            for path in _media_files(media_root)
        ]
        manifest = {
            "format_version": FORMAT_VERSION,
            "leitwerk_version": leitwerk_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {
                "vendor": vendor,
                "member": db_member,
                "sha256": _file_sha256(db_file),
                "migrations": migrations,
                "tables": checksums,
            },
            "media": media,
        }
        _write_archive(output, work_dir, manifest, db_file, media_root)
    return manifest


# ----------------------------------------------------------------------------- restore


def _safe_media_name(name: str) -> str | None:
    if not name.startswith(MEDIA_PREFIX):
        return None
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"Die Sicherung enthält einen unzulässigen Pfad: {name}")
    return relative.as_posix()


def _read_manifest(archive: tarfile.TarFile, member: tarfile.TarInfo) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.extractfile(member).read())  # type: ignore[union-attr]
    except (ValueError, AttributeError) as error:
        raise BackupError("Die manifest.json der Sicherung ist nicht lesbar.") from error
    if not isinstance(manifest, dict) or "format_version" not in manifest:
        raise BackupError("Die manifest.json der Sicherung ist nicht lesbar.")
    if manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            f"Die Sicherung hat das Format {manifest['format_version']}, diese Leitwerk-"
            f"Version kennt nur Format {FORMAT_VERSION}. Bitte Leitwerk aktualisieren."
        )
    return manifest


def _check_members(members: dict[str, tarfile.TarInfo], db_member: str) -> None:
    """Only regular files: the manifest, the database and media below media/."""
    for name, member in members.items():
        wanted = name in (MANIFEST, db_member) or _safe_media_name(name) is not None
        if not wanted or not member.isfile():
            raise BackupError(f"Die Sicherung enthält einen unerwarteten Eintrag: {name}")
    if db_member not in members:
        raise BackupError(f"Der Sicherung fehlt die Datenbank ({db_member}).")


def _read_archive(archive_path: Path, work_dir: Path) -> dict[str, Any]:
    """Extract into work_dir after checking every member; returns the manifest."""
    if not archive_path.is_file():
        raise BackupError(f"Die Datei {archive_path} gibt es nicht.")
    try:
        archive = tarfile.open(archive_path, "r:*")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{archive_path} ist keine Leitwerk-Sicherung ({error}).") from error
    with archive:
        try:
            members = {member.name: member for member in archive.getmembers()}
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"Die Sicherung {archive_path} ist unvollständig.") from error
        if MANIFEST not in members:
            raise BackupError(f"{archive_path} ist keine Leitwerk-Sicherung (manifest.json fehlt).")
        manifest = _read_manifest(archive, members[MANIFEST])
        _check_members(members, manifest["database"]["member"])
        for name, member in members.items():
            if name == MANIFEST:
                continue
            target = work_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, target.open("wb") as sink:  # type: ignore[union-attr]
                shutil.copyfileobj(source, sink)
    return manifest


def _check_compatible(manifest: dict[str, Any], vendor: str) -> None:
    archived = manifest["database"]["vendor"]
    if archived != vendor:
        raise BackupError(
            f"Die Sicherung enthält eine {VENDOR_NAMES.get(archived, archived)}-Datenbank, "
            f"eingerichtet ist aber {VENDOR_NAMES.get(vendor, vendor)}. Eine Sicherung lässt "
            "sich nur in dieselbe Datenbankart zurückspielen."
        )
    unknown = sorted(set(manifest["database"]["migrations"]) - known_migrations())
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"Die Sicherung stammt von einer neueren Leitwerk-Version "
            f"({manifest.get('leitwerk_version', '?')}; unbekannte Migrationen: {shown}). "
            "Bitte zuerst Leitwerk aktualisieren, dann zurückspielen."
        )


def _check_files(manifest: dict[str, Any], work_dir: Path) -> None:
    db_file = work_dir / manifest["database"]["member"]
    if _file_sha256(db_file) != manifest["database"]["sha256"]:
        raise BackupError("Die Datenbank in der Sicherung ist beschädigt (Prüfsumme falsch).")
    listed = {item["path"]: item for item in manifest["media"]}
    present = {
        path.relative_to(work_dir / "media").as_posix() for path in _media_files(work_dir / "media")
    }
    if present != set(listed):
        raise BackupError("Die Mediendateien der Sicherung passen nicht zur manifest.json.")
    for name, item in listed.items():
        if _file_sha256(work_dir / "media" / name) != item["sha256"]:
            raise BackupError(f"Die Mediendatei {name} in der Sicherung ist beschädigt.")


def _differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    return sorted(
        table
        for table in set(expected) | set(actual)
        if expected.get(table, {}).get("sha256") != actual.get(table, {}).get("sha256")
    )


def _swap_media(new_media: Path, media_root: Path) -> None:
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".media-neu-", dir=media_root.parent))
    old = media_root.with_name(f".{media_root.name}-alt")
    try:
        if new_media.is_dir():
            shutil.copytree(new_media, staged, dirs_exist_ok=True)
        if old.exists():
            shutil.rmtree(old)
        if media_root.exists():
            media_root.rename(old)
        staged.rename(media_root)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        if old.exists() and not media_root.exists():
            old.rename(media_root)
        raise
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(
    *, archive: Path, database: dict[str, Any] | None = None, media_root: Path | None = None
) -> dict[str, Any]:
    """Replace the database and the media files with the archive's; checks first."""
    from django.conf import settings
    from django.db import connections

    database = database or _default_database()
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    vendor = _vendor(database)
    with tempfile.TemporaryDirectory(prefix="leitwerk-restore-") as work:
        work_dir = Path(work)
        manifest = _read_archive(Path(archive), work_dir)
        _check_compatible(manifest, vendor)
        _check_files(manifest, work_dir)
        db_file = work_dir / manifest["database"]["member"]
        expected = manifest["database"]["tables"]
        if vendor == "sqlite":
            checksums, _ = sqlite_snapshot_facts(db_file)
            if _differences(expected, checksums):
                raise BackupError("Die Datenbank in der Sicherung passt nicht zur manifest.json.")
        else:
            _run([PG_RESTORE, "--list", str(db_file)], database, "Das Lesen der Sicherung")

        # From here on the installation changes.
        connections.close_all()
        if vendor == "sqlite":
            source = sqlite3.connect(db_file)
            target = _sqlite_connect(database["NAME"])
            try:
                source.backup(target)  # one transaction on the target: all or nothing
            except sqlite3.Error as error:
                raise BackupError(f"Zurückspielen fehlgeschlagen: {error}") from error
            finally:
                target.close()
                source.close()
        else:
            _run(
                [
                    PG_RESTORE,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={database['NAME']}",
                    str(db_file),
                ],
                database,
                "pg_restore",
            )
        _swap_media(work_dir / "media", media_root)

    after = database_facts(database)
    differing = _differences(expected, after["tables"])
    if differing:
        raise BackupError(
            "Zurückgespielt, aber die Prüfsummen weichen ab bei: " + ", ".join(differing[:10])
        )
    return manifest
