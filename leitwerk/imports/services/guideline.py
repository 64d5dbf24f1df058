"""Guideline import/export: one transaction, idempotent, statements stable across re-imports."""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, transaction

from leitwerk.core.audit import audit
from leitwerk.guidelines.models import GuidelineDocument, GuidelineSection, Statement
from leitwerk.imports.guideline_parser import ParsedGuideline, parse_guideline
from leitwerk.imports.readers import ReadError

from .common import ImportFailed, ImportProblem, run_record, run_step

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality

logger = logging.getLogger(__name__)
_WORD = re.compile(r"[0-9A-Za-zÄÖÜäöüß]+")


# Furniture is not content: it never counts as taken over; the accounting says where it went.
_NOT_CONTENT = ("id", "kind", "needs_review", "kind_label", "where", "furniture", "accounting")


def _strings(o: Any, skip: tuple[str, ...] = _NOT_CONTENT) -> Iterator[str]:
    if isinstance(o, dict):
        for k, v in o.items():
            if k not in skip:
                yield from _strings(v, skip)
    elif isinstance(o, list):
        for v in o:
            yield from _strings(v, skip)
    elif isinstance(o, str):
        yield o


def coverage(source: str, obj: Any) -> float:
    """Share of the source's words (with multiplicity) that appear in the imported structure."""
    s = collections.Counter(w.lower() for w in _WORD.findall(source))
    o = collections.Counter(w.lower() for t in _strings(obj) for w in _WORD.findall(t))
    return round(sum(min(c, o[w]) for w, c in s.items()) / max(1, sum(s.values())), 4)


def _parsed_json(parsed: ParsedGuideline) -> dict[str, Any]:
    return {
        "id": None,
        "title": parsed.title,
        "title_number": parsed.title_number,
        "kind": parsed.kind,
        "preamble": parsed.preamble,
        "closing": parsed.closing,
        "sections": [
            {
                "label": s.label,
                "number": s.number,
                "title": s.title,
                "intro": s.intro,
                "statements": [
                    {
                        "kind": st.kind,
                        "text": st.text,
                        "needs_review": st.needs_review,
                        "review_note": st.review_note,
                        "level": st.level,
                    }
                    for st in s.statements
                ],
            }
            for s in parsed.sections
        ],
        "unrecognised": list(parsed.unrecognised),
        "unrecognised_where": list(parsed.unrecognised_where),
        "furniture": [
            {"text": f.text, "kind": f.kind, "kind_label": f.kind_label, "where": f.where}
            for f in parsed.furniture
        ],
        "accounting": dict(parsed.accounting),
    }


def _doc_json(doc: GuidelineDocument) -> dict[str, Any]:
    sections = []
    for s in doc.sections.order_by("order", "id").prefetch_related("statements"):
        statements = sorted(s.statements.all(), key=lambda st: (st.order, st.id))
        depth: dict[int, int] = {}
        for st in statements:
            depth[st.pk] = depth.get(st.parent_id, -1) + 1 if st.parent_id else 0
        sections.append(
            {
                "number": s.number,
                "title": s.title,
                "intro": s.intro,
                "statements": [
                    {
                        "kind": st.kind,
                        "text": st.text,
                        "needs_review": st.needs_review,
                        "review_note": st.review_note,
                        "level": depth[st.pk],
                    }
                    for st in statements
                ],
            }
        )
    return {
        "id": doc.pk,
        "title": doc.title,
        "kind": doc.kind,
        "preamble": doc.preamble,
        "closing": doc.closing,
        "sections": sections,
        "unrecognised": list(doc.unrecognised or []),
    }


def _read(path: Path) -> bytes:
    limit = settings.LEITWERK_IMPORT_MAX_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise ImportFailed.single(
                f"Die Datei ist zu groß ({size / 1_048_576:.1f} MB; erlaubt sind "
                f"{limit / 1_048_576:.1f} MB)."
            )
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ImportFailed.single(f"Die Datei kann nicht gelesen werden: {exc.strerror or exc}.")
    if len(data) > limit:
        raise ImportFailed.single("Die Datei ist zu groß.")
    if not data.strip():
        raise ImportFailed.single("Die Datei ist leer.")
    return data


def parse_file(data: bytes, filename: str) -> ParsedGuideline:
    """Parses or raises ImportFailed; a parser bug never surfaces as a traceback to the user."""
    try:
        parsed = parse_guideline(data, filename)
    except ReadError as exc:
        raise ImportFailed.single(str(exc))
    except RecursionError:
        raise ImportFailed.single(
            "Die Datei ist zu tief verschachtelt und kann nicht gelesen werden."
        )
    except Exception as exc:  # noqa: BLE001 - untrusted input must never end in a traceback
        logger.exception("guideline parser failed on %s", filename)
        raise ImportFailed.single(
            f"Die Datei konnte nicht ausgewertet werden ({type(exc).__name__})."
        )
    if not parsed.source_text.strip():
        raise ImportFailed.single("Die Datei enthält keinen Text.")
    if parsed.statement_count == 0:
        raise ImportFailed.single(
            "Die Datei enthält keine erkennbaren Aussagen. Erwartet werden z. B. nummerierte "
            "Abschnitte, „Wir …“-/„Ich …“-Sätze, Aufzählungen oder „Grundsatz 1 …“."
        )
    return parsed


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _write(
    *,
    municipality: Municipality,
    doc: GuidelineDocument | None,
    parsed: ParsedGuideline,
    name: str,
    digest: str,
) -> tuple[GuidelineDocument, list[str]]:
    changes: list[str] = []
    doc = _write_document(municipality, doc, parsed, name, digest, changes)
    # Statements are matched by their text so that links to goals and projects survive a
    # re-import of a corrected file; only what really changed is created or removed.
    old_sections = list(
        GuidelineSection.objects.belonging_to(doc, via="document").order_by("order", "id")
    )
    old_statements = _statements_by_text(doc)
    by_key = {(s.number, s.title): s for s in old_sections}
    used_sections: set[int] = set()
    added = 0
    for s_order, ps in enumerate(parsed.sections):
        section = by_key.get((ps.number, ps.title))
        if section is None or section.pk in used_sections:
            section = GuidelineSection(municipality=municipality, document=doc)
            if old_sections:
                changes.append(f"Abschnitt „{(ps.number + ' ' + ps.title).strip()}“ neu.")
        section.number, section.title, section.intro, section.order = (
            ps.number[:20],
            ps.title[:300],
            ps.intro,
            s_order,
        )
        section.save()
        used_sections.add(section.pk)
        # A nested item's parent is the statement above it one level up (the readers' levels).
        ancestors: list[Statement] = []
        for st_order, pst in enumerate(ps.statements):
            del ancestors[pst.level :]
            parent = ancestors[-1] if ancestors else None
            st, new = _write_statement(municipality, section, pst, st_order, old_statements, parent)
            added += new
            ancestors.append(st)
    removed = 0
    for leftovers in old_statements.values():
        for st in leftovers:
            st.delete()
            removed += 1
    for section in old_sections:
        if section.pk not in used_sections:
            changes.append(f"Abschnitt „{section}“ entfernt.")
            section.delete()
    if old_sections and (added or removed):
        changes.append(f"{added} Aussagen neu, {removed} Aussagen entfernt.")
    return doc, changes


def _write_document(
    municipality: Any,
    doc: GuidelineDocument | None,
    parsed: Any,
    name: str,
    digest: str,
    changes: Any,
) -> GuidelineDocument:
    """The document (None: a new one) with the parsed texts, saved; changes are noted."""
    if doc is None:
        doc = GuidelineDocument(municipality=municipality)
    else:
        for attr, label in (("preamble", "Präambel"), ("closing", "Schlusstext"), ("kind", "Art")):
            if getattr(doc, attr) != getattr(parsed, attr):
                changes.append(f"{label} geändert.")
    doc.title = parsed.title
    doc.kind = parsed.kind
    doc.preamble = parsed.preamble
    doc.closing = parsed.closing
    doc.unrecognised = list(parsed.unrecognised)
    doc.source_name = name[:300]
    doc.source_hash = digest
    doc.save()
    return doc


def _statements_by_text(doc: GuidelineDocument) -> dict[str, list[Statement]]:
    """The document's statements by normalised text, in document order."""
    old_statements: dict[str, list[Statement]] = collections.defaultdict(list)
    for st in Statement.objects.filter(
        section__document=doc, municipality_id=doc.municipality_id
    ).order_by("order", "id"):
        old_statements[_norm(st.text)].append(st)
    return old_statements


def _write_statement(
    municipality: Any,
    section: Any,
    pst: Any,
    st_order: int,
    old_statements: Any,
    parent: Statement | None = None,
) -> tuple[Statement, int]:
    """Reuse a statement of the same text or create one; returns it and 1 if it was added."""
    candidates = old_statements.get(_norm(pst.text))
    added = 0
    if candidates:
        st = candidates.pop(0)
    else:
        st = Statement(municipality=municipality)
        added = 1
    fields = (
        section.pk,
        pst.kind,
        pst.text,
        st_order,
        pst.needs_review,
        pst.review_note[:300],
        parent.pk if parent else None,
    )
    if st.pk is None or fields != (
        st.section_id,
        st.kind,
        st.text,
        st.order,
        st.needs_review,
        st.review_note,
        st.parent_id,
    ):
        st.section = section
        st.kind, st.text, st.order = pst.kind, pst.text, st_order
        st.needs_review, st.review_note = pst.needs_review, pst.review_note[:300]
        st.parent = parent
        st.save()
    return st, added


def guideline_import(
    *,
    municipality: Municipality,
    path: Path,
    source_name: str | None = None,
    dry_run: bool = False,
    actor: User | None = None,
    statement_choices: list[dict[str, Any]] | None = None,
    piece_choices: list[dict[str, Any]] | None = None,
    run_id: int | None = None,
) -> dict[str, Any]:
    """Returns {"dry_run", "guideline", "counts", "coverage", "warnings"}; raises ImportFailed.

    `statement_choices` and `piece_choices` (unrecognised or furniture text taken into a
    section) are the preview's corrections (see `imports.corrections`); `run_id` names a
    queued ImportRun of the web's background import that this run fills in.
    """
    from leitwerk.imports.corrections import apply_piece_choices, apply_statement_choices

    path = Path(path)
    name = source_name or path.name  # the upload's original name (L5)
    data = _read(path)
    parsed = parse_file(data, name)
    apply_statement_choices(parsed, statement_choices or [])
    apply_piece_choices(parsed, piece_choices or [])
    fingerprint = parsed.source_text
    if statement_choices or piece_choices:
        # Other corrections of the same file are another version, not "already imported".
        fingerprint += json.dumps([statement_choices or [], piece_choices or []], sort_keys=True)
    digest = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()
    warnings = list(parsed.warnings)
    counts = {"sections": len(parsed.sections), "statements": parsed.statement_count}
    guideline = _parsed_json(parsed)
    # Unrecognised text is listed with its place (see guideline_parser.account), so no word
    # goes missing without a line in the preview; coverage only says how much is structured.
    cov = coverage(parsed.source_text, guideline)
    if dry_run:
        return {
            "dry_run": True,
            "guideline": guideline,
            "counts": counts,
            "coverage": cov,
            "warnings": warnings,
        }
    run_step(run_id, 50, f"{counts['statements']} Aussagen erkannt; sie werden gespeichert.")
    try:
        saved: dict[str, Any] = _save(
            municipality, parsed, name, digest, counts, warnings, actor, run_id
        )
        return saved
    except ImportFailed:
        raise
    except (ValueError, TypeError) as exc:
        raise ImportFailed([ImportProblem(f"Import abgebrochen, nichts gespeichert: {exc}")])
    except DatabaseError as exc:
        logger.exception("guideline import of %s refused by the database", name)
        raise ImportFailed.single(
            f"{name}: die Datenbank hat den Import abgelehnt ({type(exc).__name__}); "
            "es wurde nichts gespeichert."
        ) from None


def _save(
    municipality: Any,
    parsed: Any,
    name: str,
    digest: str,
    counts: Any,
    warnings: Any,
    actor: Any,
    run_id: Any,
) -> Any:
    """Write (or recognise as already imported) in one transaction; returns the result."""
    with transaction.atomic():
        docs = GuidelineDocument.objects.for_municipality(municipality).select_for_update()
        doc = docs.filter(source_hash=digest).order_by("-id").first()
        if doc is not None:
            warnings.append("Diese Fassung wurde bereits importiert; nichts geändert.")
            changes = None
        else:
            doc = (
                docs.filter(title=parsed.title).order_by("-id").first()
                if parsed.title_found
                else None
            )
            if doc is not None:
                warnings.append(f"Das Dokument „{doc.title}“ wurde aktualisiert.")
            doc, changes = _write(
                municipality=municipality, doc=doc, parsed=parsed, name=name, digest=digest
            )
            warnings.extend(changes)
            audit(
                actor=actor,
                action="guideline.import",
                target=doc,
                data={"source": name, "hash": digest, "counts": counts},
            )
        guideline = _doc_json(doc)
        result = {
            "dry_run": False,
            "guideline": guideline,
            "counts": counts,
            "coverage": coverage(parsed.source_text, guideline),
            "warnings": warnings,
        }
        run_record(
            run_id=run_id,
            municipality=municipality,
            kind="guideline",
            source_name=name[:300],
            source_hash=digest,
            dry_run=False,
            result={"counts": counts, "document": doc.pk, "changed": changes is not None},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return result


def guideline_export(
    *, municipality: Municipality, guideline_id: int | None = None
) -> dict[str, Any]:
    """The "guideline" object of the import JSON shape, for the newest or the given document."""
    docs = GuidelineDocument.objects.for_municipality(municipality)
    doc = docs.filter(pk=guideline_id).first() if guideline_id else docs.order_by("-id").first()
    if doc is None:
        raise ImportFailed.single(
            "Es gibt kein Leitbild-Dokument"
            + (f" mit der Nummer {guideline_id}." if guideline_id else " für diese Kommune.")
        )
    return _doc_json(doc)
