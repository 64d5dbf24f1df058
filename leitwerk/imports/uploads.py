"""Uploaded files wait between preview and confirmation in a private folder, never served.

A file is addressed by a random token that is also kept in the uploader's session, so one
person cannot confirm another person's (or another municipality's) upload.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from pathlib import Path

from django.conf import settings

SESSION_KEY = "leitwerk_pending_imports"
SAFE_SUFFIXES = {".txt", ".md", ".docx", ".html", ".htm", ".pdf", ".csv", ".tsv", ".xlsx", ".ods"}


def _root() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


MAPPING_NAME = "zuordnung.toml"


def stored_name(original: str) -> str:
    """The file's name on disk: fixed, so any original name fits the file system (L5: 255
    characters of "ä" are 510 bytes, more than a file name may have). Only the (safe) suffix
    is kept, which the parsers need to tell the format."""
    suffix = Path(original).suffix.lower()
    return "quelle" + (suffix if suffix in SAFE_SUFFIXES else "")


def upload_store(*, session, municipality_id: int, kind: str, uploaded, mapping=None) -> str:
    token = secrets.token_urlsafe(24)
    folder = _root() / token
    folder.mkdir(parents=True, exist_ok=True)
    # The original name matters to the parsers (format detection, plan title) and to people:
    # it is kept as data in the session entry, and the file is stored under a fixed name.
    # (Django has already cut it to 255 characters, keeping the suffix.)
    name = Path(uploaded.name).name
    with (folder / stored_name(name)).open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    if mapping is not None:
        # Its own folder, so that it can never collide with the table's own name.
        (folder / "mapping").mkdir()
        with (folder / "mapping" / MAPPING_NAME).open("wb") as out:
            for chunk in mapping.chunks():
                out.write(chunk)
    pending = session.get(SESSION_KEY, {})
    pending[token] = {"municipality_id": municipality_id, "kind": kind, "name": name}
    session[SESSION_KEY] = pending
    return token


def upload_path(*, session, municipality_id: int, token: str) -> tuple[str, Path, str] | None:
    """(kind, path, original name) of a pending upload of this session and municipality."""
    entry = session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["municipality_id"] != municipality_id:
        return None
    path = _root() / token / stored_name(entry["name"])
    return (entry["kind"], path, entry["name"]) if path.is_file() else None


def upload_mapping_path(*, token: str) -> Path | None:
    """The mapping file sent with a pending upload (call after upload_path has vouched for it)."""
    path = _root() / token / "mapping" / MAPPING_NAME
    return path if path.is_file() else None


def upload_discard(*, session, token: str) -> None:
    pending = session.get(SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        session[SESSION_KEY] = pending
    if token and all(c.isalnum() or c in "-_" for c in token):
        shutil.rmtree(_root() / token, ignore_errors=True)


def upload_forget(*, session, token: str) -> None:
    """Drop the upload from the session only; the background import still reads its folder."""
    pending = session.get(SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        session[SESSION_KEY] = pending


def upload_source_path(*, token: str, name: str) -> tuple[Path | None, Path | None]:
    """(file, mapping) of a queued import, for the worker that has no session."""
    if not _safe_token(token) or not name or Path(name).name != name:
        return None, None
    path = _root() / token / stored_name(name)
    return (path if path.is_file() else None), upload_mapping_path(token=token)


def upload_folder_remove(*, token: str) -> None:
    if _safe_token(token):
        shutil.rmtree(_root() / token, ignore_errors=True)


def _safe_token(token: str) -> bool:
    return bool(token) and all(c.isalnum() or c in "-_" for c in token)


def upload_folders_purge(*, now: dt.datetime, older_than: dt.timedelta, keep: set[str]) -> int:
    """Remove upload folders older than `older_than` whose token is not in `keep` (L1: a
    worker killed mid-import, a preview never confirmed); the number removed."""
    root = _root()
    cutoff = (now - older_than).timestamp()
    removed = 0
    for folder in root.iterdir() if root.is_dir() else ():
        if folder.is_dir() and folder.name not in keep and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
