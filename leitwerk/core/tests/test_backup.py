"""Backup and restore drills (catalogue I4 PostgreSQL, I5 SQLite) and the refusals."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from leitwerk.core import backup
from leitwerk.core.backup import BackupError, backup_create, backup_restore, database_facts
from leitwerk.feedback import services as feedback
from leitwerk.feedback.models import Survey


def _media(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _drill(musterstadt, other_town, tmp_path: Path) -> None:
    """Create data, back up, destroy, restore, compare every table's checksum."""
    media_root = tmp_path / "media"
    (media_root / "anhaenge" / "musterstadt").mkdir(parents=True)
    (media_root / "anhaenge" / "musterstadt" / "plan.pdf").write_bytes(b"%PDF-1.7 Plan")
    (media_root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    for town in (musterstadt, other_town):
        survey = feedback.survey_create(municipality=town, actor=None, title=f"Puls {town.slug}")
        feedback.question_add(survey=survey, actor=None, text="Wie geht es?", kind="scale5")
    before = database_facts()
    media_before = _media(media_root)

    archive = tmp_path / "sicherung.tar.gz"
    manifest = backup_create(output=archive, media_root=media_root)
    assert manifest["database"]["tables"] == before["tables"]
    surveys = manifest["database"]["tables"]["feedback_survey"]
    assert surveys["rows"] == 2
    assert surveys["rows_per_municipality"] == {str(musterstadt.pk): 1, str(other_town.pk): 1}

    # Destroy: rows of both towns gone, a file changed, one deleted, a stray one added.
    Survey.objects.filter(municipality=other_town).delete()
    feedback.survey_create(municipality=musterstadt, actor=None, title="Nach der Sicherung")
    (media_root / "logo.png").write_bytes(b"kaputt")
    (media_root / "anhaenge" / "musterstadt" / "plan.pdf").unlink()
    (media_root / "fremd.txt").write_text("nach der Sicherung")
    assert database_facts()["tables"] != before["tables"]

    backup_restore(archive=archive, media_root=media_root)

    after = database_facts()
    assert after["tables"] == before["tables"]
    assert after["migrations"] == before["migrations"]
    assert _media(media_root) == media_before
    assert sorted(Survey.objects.values_list("title", flat=True)) == [
        "Puls fremdstadt",
        "Puls musterstadt",
    ]


@pytest.mark.django_db(transaction=True)
def test_sqlite_drill_backup_destroy_restore_gives_identical_checksums(
    musterstadt, other_town, tmp_path
):
    """Catalogue row I5."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite drill; the PostgreSQL drill is test_i4_…")
    _drill(musterstadt, other_town, tmp_path)


@pytest.mark.django_db(transaction=True)
def test_postgresql_drill_pg_dump_pg_restore_gives_identical_checksums(
    musterstadt, other_town, tmp_path
):
    """Catalogue row I4."""
    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL is PostgreSQL (.ci/run's PostgreSQL stage)")
    _drill(musterstadt, other_town, tmp_path)


# ------------------------------------------------------------------ SQLite file with a writer


def _file_database(path: Path) -> dict:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(
        """
        CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT,
                                        applied TEXT);
        INSERT INTO django_migrations (app, name, applied)
            VALUES ('core', '0001_initial', '2026-01-01');
        CREATE TABLE writes (id INTEGER PRIMARY KEY, pair INTEGER, half INTEGER,
                             municipality_id INTEGER, text TEXT);
        """
    )
    db.commit()
    db.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def _write_pair(db: sqlite3.Connection, pair: int) -> None:
    with db:  # one transaction: both halves or neither
        for half in (0, 1):
            db.execute(
                "INSERT INTO writes (pair, half, municipality_id, text) VALUES (?, ?, ?, ?)",
                (pair, half, pair % 2 + 1, "Zeile " * 20),
            )


def _pairs_complete(db_path: Path) -> tuple[int, bool]:
    db = sqlite3.connect(db_path)
    try:
        rows = db.execute("SELECT COUNT(*) FROM writes").fetchone()[0]
        broken = db.execute(
            "SELECT COUNT(*) FROM (SELECT pair FROM writes GROUP BY pair HAVING COUNT(*) != 2)"
        ).fetchone()[0]
        return rows, broken == 0
    finally:
        db.close()


def test_sqlite_backup_while_a_writer_runs_is_one_consistent_state(tmp_path):
    """Catalogue row I5."""
    database = _file_database(tmp_path / "leitwerk.sqlite3")
    media_root = tmp_path / "media"
    media_root.mkdir()
    stop = threading.Event()
    written = threading.Semaphore(0)
    errors: list[BaseException] = []

    def writer() -> None:
        db = sqlite3.connect(database["NAME"], timeout=30)
        try:
            pair = 0
            while not stop.is_set():
                _write_pair(db, pair)
                pair += 1
                written.release()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(200):  # the writer is well under way before the backup starts
            assert written.acquire(timeout=30)
        archive = tmp_path / "sicherung.tar.gz"
        manifest = backup_create(output=archive, database=database, media_root=media_root)
        for _ in range(200):  # and it goes on writing after the snapshot
            assert written.acquire(timeout=30)
    finally:
        stop.set()
        thread.join()
    assert not errors

    # The archived database is intact, matches its manifest, and holds whole pairs only.
    with tarfile.open(archive) as tar:
        tar.extract(backup.SQLITE_MEMBER, tmp_path / "entpackt", filter="data")
    snapshot = tmp_path / "entpackt" / backup.SQLITE_MEMBER
    checksums, _ = backup.sqlite_snapshot_facts(snapshot)  # raises unless integrity_check = ok
    assert checksums == manifest["database"]["tables"]
    rows, whole = _pairs_complete(snapshot)
    assert whole and rows == manifest["database"]["tables"]["writes"]["rows"] >= 400
    live_rows, _ = _pairs_complete(Path(database["NAME"]))
    assert live_rows > rows

    backup_restore(archive=archive, database=database, media_root=media_root)
    assert database_facts(database)["tables"] == manifest["database"]["tables"]
    assert _pairs_complete(Path(database["NAME"])) == (rows, True)


# ------------------------------------------------------------------ refusals change nothing


def _rewrite_manifest(archive: Path, target: Path, change) -> None:
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as sink:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup.MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            sink.addfile(member, io.BytesIO(data))


@pytest.fixture
def installed(tmp_path):
    """A small SQLite installation with a media file, and a good backup of it."""
    database = _file_database(tmp_path / "leitwerk.sqlite3")
    db = sqlite3.connect(database["NAME"])
    for pair in range(3):
        _write_pair(db, pair)
    db.close()
    media_root = tmp_path / "media"
    media_root.mkdir()
    (media_root / "plan.pdf").write_bytes(b"%PDF alt")
    archive = tmp_path / "gut.tar.gz"
    backup_create(output=archive, database=database, media_root=media_root)
    # The installation moves on after the backup.
    db = sqlite3.connect(database["NAME"])
    _write_pair(db, 99)
    db.close()
    (media_root / "plan.pdf").write_bytes(b"%PDF neu")
    return database, media_root, archive


def _unchanged(database, media_root, facts, files) -> bool:
    return database_facts(database) == facts and _media(media_root) == files


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: m["database"].update(vendor="postgresql"),
            "Die Sicherung enthält eine PostgreSQL-Datenbank, eingerichtet ist aber SQLite",
        ),
        (
            lambda m: m["database"]["migrations"].append("core.9999_aus_der_zukunft"),
            "Die Sicherung stammt von einer neueren Leitwerk-Version",
        ),
        (lambda m: m.update(format_version=99), "Bitte Leitwerk aktualisieren"),
        (
            lambda m: m["database"]["tables"]["writes"].update(sha256="0" * 64),
            "passt nicht zur manifest.json",
        ),
        (lambda m: m["media"][0].update(sha256="0" * 64), "Mediendatei plan.pdf"),
    ],
    ids=["wrong-vendor", "newer-migrations", "newer-format", "db-checksum", "media-checksum"],
)
def test_restore_refuses_an_unfit_archive_and_changes_nothing(installed, tmp_path, change, message):
    """Catalogue row I5."""
    database, media_root, archive = installed
    facts, files = database_facts(database), _media(media_root)
    bad = tmp_path / "schlecht.tar.gz"
    _rewrite_manifest(archive, bad, change)
    with pytest.raises(BackupError, match=message):
        backup_restore(archive=bad, database=database, media_root=media_root)
    assert _unchanged(database, media_root, facts, files)


def test_restore_refuses_a_truncated_or_foreign_file_and_changes_nothing(installed, tmp_path):
    """Catalogue row I5."""
    database, media_root, archive = installed
    facts, files = database_facts(database), _media(media_root)
    truncated = tmp_path / "abgeschnitten.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    foreign = tmp_path / "fremd.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(media_root / "plan.pdf", arcname="../../etc/passwd")
    for wrong in (truncated, foreign, tmp_path / "gibt-es-nicht.tar.gz"):
        with pytest.raises(BackupError):
            backup_restore(archive=wrong, database=database, media_root=media_root)
    assert _unchanged(database, media_root, facts, files)


def test_restore_of_the_good_archive_brings_back_the_old_state(installed):
    """Catalogue row I5."""
    database, media_root, archive = installed
    backup_restore(archive=archive, database=database, media_root=media_root)
    assert _pairs_complete(Path(database["NAME"])) == (6, True)
    assert _media(media_root) == {"plan.pdf": b"%PDF alt"}


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_commands_answer_in_german(musterstadt, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "leitwerk.tar.gz"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert out.getvalue().startswith(f"Gesichert nach {archive}:")
    out = io.StringIO()
    call_command("restore", str(archive), "--noinput", stdout=out)
    assert "Prüfsummen stimmen" in out.getvalue()
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("restore", str(tmp_path / "fehlt.tar.gz"), "--noinput")
    with pytest.raises(CommandError, match="Das Verzeichnis .* gibt es nicht"):
        call_command("backup", "-o", str(tmp_path / "fehlt" / "x.tar.gz"))
