"""Action-plan import (one transaction, idempotent) and export (JSON, XLSX, CSV)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.core.bulk import RowWriter
from leitwerk.core.spreadsheet import neutralise, xlsx_text
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    Milestone,
    Resolution,
    SubInitiative,
    SubInitiativeKind,
    TransferCity,
)

from .common import ImportFailed, ImportProblem, run_record, run_step

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality

PLAN_KEYS = ("title", "description", "action_fields", "unrecognised")


# Rows per INSERT/UPDATE statement: one statement for 100,000 milestones held the whole
# statement and its parameters in memory at once (the 50,000-row import's peak).
BULK_BATCH = 2000


def plan_import(
    *,
    municipality: Municipality,
    path: Path,
    source_name: str | None = None,
    mapping_path: Path | None = None,
    dry_run: bool = False,
    actor: User | None = None,
    list_edits: list[dict[str, Any]] | None = None,
    run_id: int | None = None,
    title: str | None = None,
    piece_moves: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Returns {"dry_run", "plan", "counts", "coverage", "warnings", "pieces", "ledger",
    "needs_title"}; raises ImportFailed.

    `list_edits` are the preview's corrections of proposed list items (`imports.corrections`);
    `run_id` names a queued ImportRun of the web's background import that this run fills in.
    `source_name` is the uploaded file's original name when it is stored under another (L5).
    `title` names the plan when the file names none (asked for in the preview, `--title`);
    `piece_moves` put text the parser could not place (or took for furniture) into the plan.
    """
    # Imported lazily: the parser modules import this package's common module.
    from leitwerk.imports.corrections import apply_list_edits, apply_piece_moves

    path = Path(path)
    name = source_name or path.name
    data = _read_source(path, name)
    mapping = _read_mapping(Path(mapping_path)) if mapping_path is not None else {}

    parsed = _parse(name, data, mapping)
    apply_list_edits(parsed.plan, list_edits or [])
    apply_piece_moves(parsed, piece_moves or [])
    given, remembered, needs_title, provisional = _settle_title(
        municipality=municipality, parsed=parsed, name=name, title=title, dry_run=dry_run
    )
    source_hash = hashlib.sha256(data).hexdigest()
    coverage = _coverage_then_drop_words(parsed=parsed)
    warnings = _title_warnings(
        parsed=parsed, name=name, given=given, remembered=remembered, provisional=provisional
    )
    if not dry_run:
        run_step(
            run_id, 50, f"{parsed.counts['initiatives']} Vorhaben erkannt; sie werden gespeichert."
        )

    created, changes, result_plan = _write_or_fail(
        municipality=municipality,
        parsed=parsed,
        name=name,
        source_hash=source_hash,
        coverage=coverage,
        warnings=warnings,
        dry_run=dry_run,
        actor=actor,
        run_id=run_id,
    )
    if not changes and not created:
        warnings.append("Keine Änderungen: der Plan entspricht bereits der Datei.")
    return {
        "dry_run": dry_run,
        "plan": result_plan,
        "counts": parsed.counts,
        "coverage": coverage,
        "warnings": warnings,
        "pieces": parsed.pieces,
        "ledger": parsed.ledger,
        "needs_title": needs_title,
    }


def _settle_title(
    *, municipality: Municipality, parsed: Any, name: str, title: str | None, dry_run: bool
) -> tuple[str, str, bool, str]:
    """Sets the plan's title in `parsed`; returns (given, remembered, needs_title, provisional).

    Kept apart from `plan_import` so the title's order of precedence reads in one place.
    """
    # The document's own title wins; the given one names a plan whose file names none.
    given = "" if parsed.plan["title"] else " ".join((title or "").split())[:300]
    remembered = ""
    if not parsed.plan["title"] and not given:
        # A revised version of a file imported before: the plan it became keeps its title, so
        # the preview shows the update (not a second plan) and the title field is filled in.
        earlier = (
            ActionPlan.objects.filter(municipality=municipality, source_name=name[:300])
            .order_by("-pk")
            .first()
        )
        if earlier is not None:
            given = remembered = earlier.title
    if given:
        parsed.plan["title"] = given
    needs_title = not parsed.plan["title"]
    provisional = ""
    if needs_title and not dry_run:
        # The preview asks for the title; a run without one (the command line without
        # --title, scripts) must still land: the plan gets a name that says it is missing,
        # stays the same on a re-import (idempotent) and differs per file.
        provisional = f"Aktionsplan ohne Titel ({Path(name).stem})"[:300]
        parsed.plan["title"] = provisional
    return given, remembered, needs_title, provisional


def _title_warnings(
    *, parsed: Any, name: str, given: str, remembered: str, provisional: str
) -> list[str]:
    """The parser's warnings, adjusted for how the plan's title was settled."""
    warnings = [
        w for w in parsed.warnings if not (given and w.startswith("Die Datei nennt keinen"))
    ]
    if remembered:
        warnings.append(
            f"Die Datei nennt keinen Titel; wie beim letzten Einlesen von „{name}“ gilt sie als "
            f"neue Fassung des Plans „{remembered}“."
        )
    if provisional:
        warnings.append(
            f"Der Plan heißt vorläufig „{provisional}“: Bitte den Titel im Aktionsplan ändern "
            "oder beim nächsten Einlesen angeben (Vorschau oder --title)."
        )
    return warnings


def _coverage_then_drop_words(*, parsed: Any) -> float:
    """The share of the file's words the plan accounts for; the words are dropped after."""
    # Imported lazily: the parser modules import this package's common module.
    from leitwerk.imports import plan_parser

    coverage = plan_parser.coverage(parsed.source_words, parsed.plan, parsed.furniture_words)
    # Every word of the file, one string each: not needed any more, and of a 50,000-row
    # table more than 100 MB that would otherwise stay while the plan is written (issue 21).
    parsed.source_words = parsed.furniture_words = []
    return coverage


def _write_or_fail(
    *,
    municipality: Municipality,
    parsed: Any,
    name: str,
    source_hash: str,
    coverage: float,
    warnings: list[str],
    dry_run: bool,
    actor: User | None,
    run_id: int | None,
) -> tuple[Any, Any, Any]:
    """`_write`, with a refused write turned into the import's own error.

    Returns (created, changes, result_plan); the database's message stays out of the user's.
    """
    try:
        plan, created, changes, result_plan = _write(
            municipality=municipality,
            parsed=parsed,
            name=name,
            source_hash=source_hash,
            coverage=coverage,
            warnings=warnings,
            dry_run=dry_run,
            actor=actor,
            run_id=run_id,
        )
    except DatabaseError as exc:
        raise ImportFailed.single(
            f"{name}: die Datenbank hat den Import abgelehnt ({type(exc).__name__}); "
            "es wurde nichts gespeichert."
        ) from None
    return created, changes, result_plan


def _read_source(path: Path, name: str) -> bytes:
    limit = int(getattr(settings, "LEITWERK_IMPORT_MAX_BYTES", 25 * 1024 * 1024))
    try:
        size = path.stat().st_size
        if size > limit:
            raise ImportFailed.single(f"{name}: Datei ist größer als {limit // (1024 * 1024)} MB.")
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed.single(f"{name}: Datei nicht lesbar ({exc.strerror}).") from None


def _read_mapping(mapping_path: Path) -> dict[str, str]:
    from leitwerk.imports import plan_parser

    try:
        mapping_text = mapping_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ImportFailed.single(
            f"Zuordnungsdatei {mapping_path.name} nicht lesbar (UTF-8-TOML erwartet)."
        ) from None
    return plan_parser.load_mapping(mapping_text, mapping_path.name)


def _parse(name: str, data: bytes, mapping: dict[str, str]) -> Any:
    """The file's table, read and parsed into the plan's shape."""
    from leitwerk.imports import plan_parser, plan_readers

    table = plan_readers.read(name, data)
    # The row limit holds for the whole file: all sheets are read.
    total = sum(len(s.rows) for s in table.sheets) if table.sheets else len(table.rows)
    if total > plan_readers.max_rows() + 1:
        raise plan_readers.too_many_rows(name)
    try:
        return plan_parser.build_plan(
            table.rows,
            table.row_numbers,
            filename=name,
            preamble=table.preamble,
            headings=table.headings,
            mapping=mapping,
            sheets=table.sheets,
            after=table.after,
        )
    except ImportFailed:
        raise
    except RecursionError:
        raise ImportFailed.single(f"{name}: Inhalt zu tief verschachtelt.") from None


def _write(
    *,
    municipality: Any,
    parsed: Any,
    name: Any,
    source_hash: Any,
    coverage: Any,
    warnings: Any,
    dry_run: Any,
    actor: Any,
    run_id: Any,
) -> Any:
    """Plan, run record and audit entry in one transaction: a failure anywhere keeps nothing."""
    with transaction.atomic():
        plan, created, changes, result_plan = _store(
            municipality, parsed.plan, name, source_hash, actor=actor
        )
        warnings.extend(changes)
        if dry_run:
            if created:
                result_plan["id"] = None
            transaction.set_rollback(True)
            return plan, created, changes, result_plan
        counts = parsed.counts
        run_record(
            run_id=run_id,
            municipality=municipality,
            kind="plan",
            source_name=name[:300],
            source_hash=source_hash,
            dry_run=False,
            result={
                "plan_id": plan.pk,
                "counts": counts,
                "coverage": coverage,
                "changes": len(changes),
                "warnings": warnings[:100],
            },
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            actor=actor,
            action="plan.import",
            target=plan,
            data={"source": name, "counts": counts, "changes": changes[:50]},
        )
    return plan, created, changes, result_plan


def _set(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Assign changed attributes; return the names of those that changed."""
    changed = []
    for attr, value in values.items():
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed.append(attr)
    return changed


FIELD_NAMES_DE = {
    "action_field": "Aktionsfeld",
    "number": "Nummer",
    "title": "Titel",
    "objective": "Zielsetzung",
    "responsible_text": "Verantwortlich",
    "period_text": "Zeitraum",
    "extra": "weitere Angaben",
    "needs_review": "Prüfmarkierung",
    "order": "Reihenfolge",
    "ideas": "Umsetzungsideen",
    "milestones": "Meilensteine",
    "indicators": "Indikatoren",
    "transfer_cities": "Erfahrungstransfer",
    "resolutions": "Vorsätze",
}


def _store(
    municipality: Municipality,
    data: dict[str, Any],
    source_name: str,
    source_hash: str,
    actor: User | None = None,
) -> tuple[ActionPlan, bool, list[str], dict[str, Any]]:
    """Write the parsed plan: a handful of queries per model, not per Vorhaben.

    Returns (plan, created, changes, the plan as stored in `plan_dict`'s shape). The last is
    built from the rows just written and the rows read before, not read back (re-reading
    10,000 rows was a quarter of a large import); `plan_dict` gives the same by test.

    A 1,000-row plan used to cost about 15 queries per Vorhaben; now existing rows are read
    once per model; new rows and their history records go out by COPY in batches while the
    Vorhaben are synced (`core.bulk.RowWriter`, issue 21), changed and removed rows in bulk
    at the end. One cost per row remains: a removed milestone or indicator
    gets its deletion history record (and cascades) one by one, as django-simple-history
    writes them; removals are rare next to additions and edits. Changed Vorhaben get a new
    version, so an editor who opened one before the import gets a conflict instead of
    overwriting it.
    """

    history_user = actor if getattr(actor, "is_authenticated", False) else None
    changes: list[str] = []
    plan, created = _store_plan(municipality, data, source_name, source_hash, changes)
    fields = {f.code: f for f in ActionField.objects.belonging_to(plan, via="plan")}
    pool = list(
        Initiative.objects.filter(action_field__plan=plan, municipality=municipality)
        .select_related("action_field")
        .order_by("action_field__order", "order")
    )
    now = timezone.now()
    children = _Children(municipality, plan, existing=pool, history_user=history_user, now=now)
    batch = _InitiativeBatch(municipality, pool, now=now, changes=changes)
    seen_fields = set()
    stored_fields = dict(fields)
    new_fields = RowWriter(ActionField, history_user=history_user, now=now)
    for f_order, fd in enumerate(data["action_fields"]):
        af = _store_field(
            municipality, plan, fields.get(fd["code"]), fd, f_order, changes, new_fields
        )
        stored_fields[af.code] = af
        seen_fields.add(af.pk)
        for i_order, item in enumerate(fd["initiatives"]):
            batch.stage(af, item, i_order)
    new_fields.flush()
    batch.write(history_user)
    # The children of new Vorhaben are all new: their keys are allocated in one block each.
    for _ini, item, is_new, _changed in batch.matched:
        if is_new:
            children.expect(item)
    for ini, item, is_new, changed in batch.matched:
        changed = changed + children.sync(ini, item)
        if changed and not is_new:
            names = ", ".join(FIELD_NAMES_DE.get(c, c) for c in dict.fromkeys(changed))
            changes.append(f"Vorhaben {item['number']} aktualisiert: {names}.")
    children.flush()
    pool = batch.leftovers()
    for ini in pool:
        changes.append(
            f"Vorhaben {ini.number} „{ini.title[:60]}“ steht nicht mehr in der Datei; "
            "es wurde beibehalten."
        )
    for af in fields.values():
        if af.pk not in seen_fields:
            changes.append(
                f"Aktionsfeld {af.code} steht nicht mehr in der Datei; es wurde beibehalten."
            )
    stored = _stored_dict(plan, stored_fields, batch, pool, children)
    # The plan's own Vorsätze were just replaced by the file's (`_store_plan_resolutions`).
    stored["resolutions"] = list(data.get("resolutions") or [])
    return plan, created, changes, stored


def _stored_dict(
    plan: ActionPlan,
    fields: dict[str, ActionField],
    batch: _InitiativeBatch,
    kept: list[Initiative],
    children: _Children,
) -> dict[str, Any]:
    """`plan_dict(plan)` from memory: the Vorhaben of the file as just synced (their rows now
    equal the file's lists) and the kept ones (not in the file) with the rows read before."""
    by_field: dict[int, list[tuple[Initiative, dict[str, Any]]]] = {}
    for ini, item, _new, _changed in batch.matched:
        entry = _initiative_entry(ini, item)
        by_field.setdefault(ini.action_field_id, []).append((ini, entry))
    for ini in kept:
        by_field.setdefault(ini.action_field_id, []).append((ini, children.stored_dict(ini)))
    out_fields = []
    for af in sorted(fields.values(), key=lambda f: (f.order, f.code, f.pk)):
        inits = sorted(by_field.get(af.pk, []), key=lambda pair: (pair[0].order, pair[0].pk))
        out_fields.append(
            {
                "code": af.code,
                "label": af.label,
                "title": af.title,
                "initiatives": [entry for _ini, entry in inits],
            }
        )
    return {
        "id": plan.pk,
        "title": plan.title,
        "description": plan.description,
        "columns": plan.source_columns or [],
        "action_fields": out_fields,
        "unrecognised": plan.unrecognised or [],
    }


def _initiative_entry(ini: Initiative, item: dict[str, Any]) -> dict[str, Any]:
    """A synced Vorhaben in `_initiative_dict`'s shape: its child rows equal the item's lists."""
    return {
        "number": ini.number,
        "title": ini.title,
        "objective": ini.objective,
        "ideas": list(item["ideas"]),
        "idea_levels": _levels(item),
        "milestones": list(item["milestones"]),
        "indicators": list(item["indicators"]),
        "responsible": list(ini.responsible_text or []),
        "period": ini.period_text,
        "transfer_cities": [
            {"name": c["name"], "ags": c["ags"] or ""} for c in item["transfer_cities"]
        ],
        "resolutions": list(item["resolutions"]),
        "extra": dict(ini.extra or {}),
        "needs_review": list(ini.needs_review or []),
    }


def _store_plan(
    municipality: Any, data: dict[str, Any], source_name: Any, source_hash: Any, changes: list[str]
) -> Any:
    """The plan of this title, created or updated; returns (plan, created)."""
    found = (
        ActionPlan.objects.filter(municipality=municipality, title=data["title"])
        .order_by("id")
        .first()
    )
    created = found is None
    plan = (
        found if found is not None else ActionPlan(municipality=municipality, title=data["title"])
    )
    if created:
        named = f"„{data['title']}“" if data["title"] else "(Titel noch anzugeben)"
        changes.append(f"Aktionsplan {named} neu angelegt.")
    changed = _set(
        plan,
        {
            "description": data["description"],
            "unrecognised": data["unrecognised"],
            "source_columns": data["columns"],
            "source_name": source_name[:300],
            "source_hash": source_hash,
        },
    )
    if created or changed:
        plan.save()
    if not created and set(changed) & {"description", "unrecognised", "source_columns"}:
        changes.append("Aktionsplan: Beschreibung oder Spalten geändert.")
    _store_plan_resolutions(municipality, plan, data.get("resolutions") or [], created, changes)
    return plan, created


def _store_plan_resolutions(
    municipality: Any, plan: Any, texts: list[str], created: bool, changes: list[str]
) -> None:
    """Vorsätze for the whole plan (no Vorhaben): replaced as a whole when they differ."""
    rows = Resolution.objects.filter(municipality=municipality, plan=plan, initiative=None)
    existing = [] if created else list(rows.order_by("order", "id").values_list("text", flat=True))
    if existing == texts:
        return
    if existing:
        rows.delete()
    Resolution.objects.bulk_create(
        Resolution(municipality=municipality, plan=plan, initiative=None, text=t, order=n)
        for n, t in enumerate(texts)
    )
    if not created:
        changes.append("Aktionsplan: Vorsätze für den ganzen Plan geändert.")


def _store_field(
    municipality: Any,
    plan: Any,
    af: Any,
    fd: dict[str, Any],
    f_order: int,
    changes: list[str],
    new_fields: RowWriter,
) -> Any:
    """The action field `af` (None: a new one, written by `new_fields`) brought in line with
    the file's `fd`."""
    if af is None:
        af = ActionField(municipality=municipality, plan=plan, code=fd["code"])
        changes.append(f"Aktionsfeld {fd['code']} neu angelegt.")
        _set(af, {"label": fd["label"], "title": fd["title"], "order": f_order})
        new_fields.add_instance(af)
    else:
        changed = _set(af, {"label": fd["label"], "title": fd["title"], "order": f_order})
        if changed:
            af.save()
            changes.append(f"Aktionsfeld {fd['code']} geändert.")
    return af


class _InitiativeBatch:
    """Vorhaben matched against the file, written in bulk (with history) by `write`.

    `matched` keeps (initiative, item, is_new, changed attributes) in file order for the
    children's sync, which needs the saved rows.
    """

    def __init__(self, municipality: Any, pool: list[Any], *, now: Any, changes: list[str]) -> None:
        self.municipality = municipality
        self.pool = _Pool(pool)
        self.now = now
        self.changes = changes
        self.new: list[Any] = []
        self.changed: list[Any] = []
        self.changed_fields: set[str] = set()
        self.matched: list[tuple[Any, dict[str, Any], bool, list[str]]] = []

    def leftovers(self) -> list[Any]:
        """The existing Vorhaben the file did not name, in their order."""
        return self.pool.left()

    def stage(self, af: Any, item: dict[str, Any], i_order: int) -> None:
        ini = self.pool.match(item)
        values = {
            "action_field": af,
            "number": item["number"],
            "title": item["title"],
            "objective": item["objective"],
            "responsible_text": item["responsible"],
            "period_text": item["period"],
            "extra": item["extra"],
            "needs_review": item["needs_review"],
            "order": i_order,
        }
        if ini is None:
            ini = Initiative(municipality=self.municipality, **values)
            self.new.append(ini)
            self.changes.append(f"Vorhaben {item['number']} „{item['title'][:60]}“ neu angelegt.")
            self.matched.append((ini, item, True, []))
            return
        changed = _set(ini, values)
        if changed:
            ini.version += 1
            ini.updated_at = self.now
            self.changed.append(ini)
            self.changed_fields.update(changed)
        self.matched.append((ini, item, False, changed))

    def write(self, history_user: Any) -> None:
        from simple_history.utils import bulk_update_with_history

        # New Vorhaben get their keys here, before their children are staged.
        writer = RowWriter(Initiative, history_user=history_user, now=self.now, batch=BULK_BATCH)
        writer.expect(len(self.new))
        for ini in self.new:
            writer.add_instance(ini)
        writer.flush()
        if self.changed:
            bulk_update_with_history(
                self.changed,
                Initiative,
                fields=sorted(self.changed_fields | {"version", "updated_at"}),
                batch_size=BULK_BATCH,
                default_user=history_user,
            )


class _Pool:
    """The plan's existing Vorhaben not yet matched, indexed for the matching rules.

    A file row matches, in this order of preference, the first unmatched Vorhaben with the
    same number and title, else the same (non-empty) number, else the same title. Indexes
    instead of scanning every Vorhaben per row: the scan was quadratic in the plan's size.
    """

    def __init__(self, rows: list[Initiative]) -> None:
        self.alive: dict[int, Initiative] = {ini.pk: ini for ini in rows}
        self.by_pair: dict[tuple[str, str], list[Initiative]] = {}
        self.by_number: dict[str, list[Initiative]] = {}
        self.by_title: dict[str, list[Initiative]] = {}
        for ini in rows:
            self.by_pair.setdefault((ini.number, ini.title), []).append(ini)
            self.by_number.setdefault(ini.number, []).append(ini)
            self.by_title.setdefault(ini.title, []).append(ini)

    def match(self, item: dict[str, Any]) -> Initiative | None:
        candidates: list[list[Initiative]] = [self.by_pair.get((item["number"], item["title"]), [])]
        if item["number"]:
            candidates.append(self.by_number.get(item["number"], []))
        candidates.append(self.by_title.get(item["title"], []))
        for rows in candidates:
            for ini in rows:
                if ini.pk in self.alive:
                    del self.alive[ini.pk]
                    return ini
        return None

    def left(self) -> list[Initiative]:
        return list(self.alive.values())


class _Children:
    """The list-like rows under each Vorhaben: read once for the plan, written once in bulk.

    Ideas, transfer cities and resolutions are replaced as a whole when they differ.
    Milestones and indicators carry progress data: rows whose text is unchanged are kept
    (only their order moves), the rest are added or removed.
    """

    def __init__(
        self,
        municipality: Municipality,
        plan: ActionPlan,
        existing: list[Initiative],
        *,
        history_user: User | None,
        now: Any,
    ) -> None:
        self.municipality, self.plan = municipality, plan
        self.history_user = history_user
        # Five models with the same role; their rows are handled alike, so typed loosely.
        self.models: dict[str, type[Any]] = {
            "ideas": SubInitiative,
            "milestones": Milestone,
            "indicators": Indicator,
            "transfer_cities": TransferCity,
            "resolutions": Resolution,
        }
        ids = [ini.pk for ini in existing]
        self.rows: dict[str, dict[int, list[Any]]] = {key: {} for key in self.models}
        for key, model in self.models.items():
            if not ids:
                break
            rows = model.objects.filter(municipality=municipality, initiative_id__in=ids)
            for row in rows.order_by("order", "id"):
                self.rows[key].setdefault(row.initiative_id, []).append(row)
        # New rows go out in batches while the Vorhaben are synced (with their history
        # records): a large plan is never held as model instances. Removed rows are named by
        # key, so a removal never touches a row this import has just written.
        self.create = {
            key: RowWriter(
                model,
                history_user=history_user,
                now=now,
                batch=BULK_BATCH,
                # Nested ideas name their parent's key before it is written.
                own_keys=key == "ideas",
            )
            for key, model in self.models.items()
        }
        self.remove: dict[str, list[int]] = {key: [] for key in self.models}
        self.reorder: dict[str, list[Any]] = {"milestones": [], "indicators": []}

    def _existing(self, key: str, ini: Initiative) -> list[Any]:
        return self.rows[key].get(ini.pk, []) if ini.pk else []

    def stored_dict(self, ini: Initiative) -> dict[str, Any]:
        """A Vorhaben the file did not name, as stored: its rows as read before the import."""
        ideas = self._existing("ideas", ini)
        item = {
            "ideas": [r.text for r in ideas],
            "idea_levels": idea_levels(ideas),
            "milestones": [r.title for r in self._existing("milestones", ini)],
            "indicators": [r.title for r in self._existing("indicators", ini)],
            "transfer_cities": [
                {"name": r.name, "ags": r.ags} for r in self._existing("transfer_cities", ini)
            ],
            "resolutions": [r.text for r in self._existing("resolutions", ini)],
        }
        return _initiative_entry(ini, item)

    def sync(self, ini: Initiative, item: dict[str, Any]) -> list[str]:
        changed = []
        m = self.municipality.pk
        texts, levels = item["ideas"], _levels(item)
        ideas = [
            (
                SubInitiativeKind.TEILVORHABEN
                if t.startswith("Teilvorhaben") or _has_children(levels, n)
                else SubInitiativeKind.IDEA,
                t,
                level,
            )
            for n, (t, level) in enumerate(zip(texts, levels, strict=True))
        ]
        existing = self._existing("ideas", ini)
        if [
            (s.kind, s.text, lv) for s, lv in zip(existing, idea_levels(existing), strict=True)
        ] != ideas:
            self._replace("ideas", ini)
            # A nested idea points at the row above it one level up: the writer hands out
            # the keys before anything is written, so a child can name its parent's key.
            writer = self.create["ideas"]
            ancestors: list[int | None] = []
            for n, (k, t, level) in enumerate(ideas):
                del ancestors[level:]
                idea_key = writer.add(
                    {
                        "municipality_id": m,
                        "initiative_id": ini.pk,
                        "kind": k,
                        "text": t,
                        "order": n,
                        "parent_id": ancestors[-1] if ancestors else None,
                    }
                )
                ancestors.append(idea_key)
            changed.append("ideas")
        for key in ("milestones", "indicators"):
            rows = self._existing(key, ini)
            if [r.title for r in rows] == item[key]:
                continue
            changed.append(key)
            free = list(rows)
            for n, text in enumerate(item[key]):
                hit = next((r for r in free if r.title == text), None)
                if hit is not None:
                    free.remove(hit)
                    if hit.order != n:
                        hit.order = n
                        self.reorder[key].append(hit)
                else:
                    self.create[key].add(
                        {"municipality_id": m, "initiative_id": ini.pk, "order": n, "title": text}
                    )
            self.remove[key] += [r.pk for r in free]
        cities = [(c["name"], c["ags"] or "") for c in item["transfer_cities"]]
        if [(c.name, c.ags) for c in self._existing("transfer_cities", ini)] != cities:
            self._replace("transfer_cities", ini)
            self.create["transfer_cities"].add_all(
                {"municipality_id": m, "initiative_id": ini.pk, "name": n, "ags": a, "order": k}
                for k, (n, a) in enumerate(cities)
            )
            changed.append("transfer_cities")
        if [r.text for r in self._existing("resolutions", ini)] != item["resolutions"]:
            self._replace("resolutions", ini)
            self.create["resolutions"].add_all(
                {
                    "municipality_id": m,
                    "plan_id": self.plan.pk,
                    "initiative_id": ini.pk,
                    "text": t,
                    "order": k,
                }
                for k, t in enumerate(item["resolutions"])
            )
            changed.append("resolutions")
        return changed

    def expect(self, item: dict[str, Any]) -> None:
        """A new Vorhaben's rows will all be added (keys for those with history)."""
        self.create["milestones"].expect(len(item["milestones"]))
        self.create["indicators"].expect(len(item["indicators"]))

    def _replace(self, key: str, ini: Initiative) -> None:
        self.remove[key] += [r.pk for r in self._existing(key, ini)]

    def flush(self) -> None:
        from simple_history.utils import bulk_update_with_history

        mine = {"municipality": self.municipality}
        for key, model in self.models.items():
            if self.remove[key]:
                model.objects.filter(**mine, pk__in=self.remove[key]).delete()
            if key in self.reorder and self.reorder[key]:
                bulk_update_with_history(
                    self.reorder[key],
                    model,
                    fields=["order"],
                    batch_size=BULK_BATCH,
                    default_user=self.history_user,
                )
            self.create[key].flush()


def _levels(item: dict[str, Any]) -> list[int]:
    """The ideas' nesting levels; a level deeper than one below the idea above is clamped
    (the first idea is always on top)."""
    given = list(item.get("idea_levels") or [])
    given += [0] * (len(item["ideas"]) - len(given))
    levels: list[int] = []
    for level in given[: len(item["ideas"])]:
        levels.append(max(0, min(level, levels[-1] + 1 if levels else 0)))
    return levels


def _has_children(levels: list[int], n: int) -> bool:
    return n + 1 < len(levels) and levels[n + 1] > levels[n]


def idea_levels(rows: list[Any]) -> list[int]:
    """Nesting level of each idea row (in order), from its parent link."""
    depth: dict[int, int] = {}
    out = []
    for r in rows:
        level = depth.get(r.parent_id, -1) + 1 if r.parent_id else 0
        depth[r.pk] = level
        out.append(level)
    return out


# --- export -------------------------------------------------------------------------------


def plan_dict(plan: ActionPlan) -> dict[str, Any]:
    """The plan in the import's JSON shape, from the database, deterministic."""
    fields = (
        ActionField.objects.belonging_to(plan, via="plan")
        .order_by("order", "code", "id")
        .prefetch_related(
            "initiatives__ideas",
            "initiatives__milestones",
            "initiatives__indicators",
            "initiatives__transfer_cities",
            "initiatives__resolutions",
        )
    )
    out_fields = []
    for af in fields:
        inits = sorted(af.initiatives.all(), key=lambda i: (i.order, i.id))
        out_fields.append(
            {
                "code": af.code,
                "label": af.label,
                "title": af.title,
                "initiatives": [_initiative_dict(i) for i in inits],
            }
        )
    plan_resolutions = Resolution.objects.filter(
        municipality=plan.municipality, plan=plan, initiative=None
    ).order_by("order", "id")
    return {
        "id": plan.pk,
        "title": plan.title,
        "description": plan.description,
        "columns": plan.source_columns or [],
        "action_fields": out_fields,
        "unrecognised": plan.unrecognised or [],
        "resolutions": [r.text for r in plan_resolutions],
    }


def _ordered(rows: Iterable[Any]) -> list[Any]:
    return sorted(rows, key=lambda r: (r.order, r.id))


def _initiative_dict(i: Initiative) -> dict[str, Any]:
    return {
        "number": i.number,
        "title": i.title,
        "objective": i.objective,
        "ideas": [s.text for s in _ordered(i.ideas.all())],
        "idea_levels": idea_levels(_ordered(i.ideas.all())),
        "milestones": [m.title for m in _ordered(i.milestones.all())],
        "indicators": [x.title for x in _ordered(i.indicators.all())],
        "responsible": list(i.responsible_text or []),
        "period": i.period_text,
        "transfer_cities": [
            {"name": c.name, "ags": c.ags or ""} for c in _ordered(i.transfer_cities.all())
        ],
        "resolutions": [r.text for r in _ordered(i.resolutions.all())],
        "extra": dict(i.extra or {}),
        "needs_review": list(i.needs_review or []),
    }


def _choose_plan(municipality: Municipality, plan_id: int | None) -> ActionPlan:
    from leitwerk.imports.models import ImportRun

    plans = ActionPlan.objects.filter(municipality=municipality)
    if plan_id is not None:
        plan = plans.filter(pk=plan_id).first()
        if plan is None:
            raise ImportFailed.single(f"Aktionsplan {plan_id} gibt es in dieser Kommune nicht.")
        return plan
    run = (
        ImportRun.objects.filter(
            municipality=municipality, kind="plan", dry_run=False, status="done"
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if run is not None:
        stored_id: Any = (run.result or {}).get("plan_id")  # JSON: whatever the run stored
        plan = plans.filter(pk=stored_id).first()
        if plan is not None:
            return plan
    plan = plans.order_by("-id").first()
    if plan is None:
        raise ImportFailed.single("Diese Kommune hat noch keinen Aktionsplan.")
    return plan


def _columns(data: dict[str, Any]) -> list[dict[str, str]]:
    from leitwerk.imports.plan_parser import DEFAULT_HEADERS

    inits = [i for f in data["action_fields"] for i in f["initiatives"]]
    cols = [dict(c) for c in data.get("columns") or []]
    if not cols:
        cols = [
            {"header": DEFAULT_HEADERS[k], "field": k}
            for k in DEFAULT_HEADERS
            if k != "needs_review"
        ]
    have_fields = {c["field"] for c in cols}
    have_headers = {c["header"] for c in cols if c["field"] == "extra"}
    for i in inits:
        for key in i["extra"]:
            if key not in have_headers:
                cols.append({"header": key, "field": "extra"})
                have_headers.add(key)
    if data.get("resolutions") and "resolutions" not in have_fields:
        cols.append({"header": "Projektübergreifende Vorsätze", "field": "resolutions"})
    if any(i["needs_review"] for i in inits) and "needs_review" not in have_fields:
        cols.append({"header": DEFAULT_HEADERS["needs_review"], "field": "needs_review"})
    # Columns the source lacked are added only where the data cannot be rebuilt without them.
    fields = data["action_fields"]
    needs = {
        "title": True,
        "action_field": not (
            len(fields) == 1 and fields[0]["code"] == "A" and not fields[0]["title"]
        ),
        "number": [i["number"] for i in inits] != [str(n) for n in range(1, len(inits) + 1)],
    }
    for key in ("title", "action_field", "number"):
        if key not in have_fields and needs[key]:
            cols.insert(0, {"header": DEFAULT_HEADERS[key], "field": key})
    return cols


def table_rows(data: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    cols = _columns(data)
    header = [c["header"] for c in cols]
    from leitwerk.imports.plan_parser import fold

    rows = []
    # Vorsätze of the whole plan: under a cross-project header ("Projektübergreifende
    # Vorsätze") once, in the first row, else in every row; the import reads both as the
    # plan's (and so the round trip keeps them on the plan).
    plan_wide = list(data.get("resolutions") or [])
    once = any(c["field"] == "resolutions" and "uebergreifend" in fold(c["header"]) for c in cols)
    for af in data["action_fields"]:
        af_cell = _action_field_cell(af)
        first = True
        for i in af["initiatives"]:
            if plan_wide:
                i = {**i, "resolutions": plan_wide + i["resolutions"]}
                plan_wide = [] if once else plan_wide
            row = _table_row(cols, i, af_cell if first else "")
            rows.append([neutralise(v) for v in row])
            first = False
    return [neutralise(h) for h in header], rows


def _action_field_cell(af: dict[str, Any]) -> str:
    """The Aktionsfeld as the import reads it back: "Aktionsfeld A Klima", "A Klima", "1. Klima".

    A bare number before the title ("1 Klima") does not read as a code, so numbered fields
    without a label are written with a dot.
    """
    if not af["label"] and af["title"] and not (len(af["code"]) == 1 and af["code"].isalpha()):
        return f"{af['code']}. {af['title']}"
    return " ".join(p for p in (af["label"], af["code"], af["title"]) if p)


_LIST_FIELDS = ("ideas", "milestones", "indicators", "responsible", "resolutions")


def _table_row(cols: list[dict[str, str]], i: dict[str, Any], af_cell: str) -> list[str]:
    """One Vorhaben's cells; only the first period column carries the period."""
    row = []
    period_done = False
    for c in cols:
        f = c["field"]
        if f == "period":
            row.append("" if period_done else i["period"])
            period_done = True
        else:
            row.append(_table_cell(f, c["header"], i, af_cell))
    return row


def _table_cell(f: str, header: str, i: dict[str, Any], af_cell: str) -> str:
    if f == "action_field":
        return af_cell
    if f in ("number", "title", "objective"):
        return str(i[f])
    if f == "ideas":
        # Nested ideas indented under their Teilvorhaben, as the import reads them back.
        return "\n".join(
            ("  " * level + "- " if level else "") + text
            for text, level in zip(i["ideas"], _levels(i), strict=True)
        )
    if f in _LIST_FIELDS:
        return "\n".join(i[f])
    if f == "transfer_cities":
        return "\n".join(t["name"] for t in i["transfer_cities"])
    if f == "needs_review":
        return ", ".join(i["needs_review"])
    if f == "extra":
        return str(i["extra"].get(header, ""))
    return ""


def plan_export(*, municipality: Any, plan_id: int | None = None, fmt: str = "json") -> bytes:
    """The plan as JSON (the import shape), XLSX or CSV bytes."""
    plan = _choose_plan(municipality, plan_id)
    data = plan_dict(plan)
    if fmt == "json":
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    header, rows = table_rows(data)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        # Title and description above the table, as a person would type them: the import
        # reads lines above the header as the plan's title block (round trip).
        for line in [data["title"], *data["description"].split("\n\n")]:
            if line.strip():
                writer.writerow([neutralise(line)])
        writer.writerow([])
        writer.writerow(header)
        writer.writerows(rows)
        if data.get("unrecognised"):
            # A CSV has no second sheet: the text outside the structure follows the table
            # under its own heading, one text per line, and comes back as "nicht zugeordnet".
            from leitwerk.imports.plan_parser import NOTES_HEADING

            writer.writerow([])
            writer.writerow([f"{NOTES_HEADING}:"])
            writer.writerows([neutralise(text)] for text in data["unrecognised"])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(data, header, rows)
    if fmt == "ods":
        return _ods(data, header, rows)
    raise ImportFailed([ImportProblem(f"Unbekanntes Exportformat „{fmt}“ (json, xlsx, ods, csv).")])


UNRECOGNISED_SHEET = "Nicht zugeordnet"


def _ods(data: dict[str, Any], header: list[str], rows: list[list[str]]) -> bytes:
    """The plan as an OpenDocument spreadsheet, laid out like the XLSX export."""
    from odf import teletype
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()

    def add_row(table: Any, values: list[str]) -> None:
        tr = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            for line in str(value).split("\n") if value else []:
                p = P()
                teletype.addTextToElement(p, line)
                cell.addElement(p)
            tr.addElement(cell)
        table.addElement(tr)

    table = Table(name="Aktionsplan")
    add_row(table, [neutralise(data["title"])])
    if data["description"]:
        add_row(table, [neutralise(data["description"])])
    add_row(table, [])
    add_row(table, header)
    for row in rows:
        add_row(table, row)
    doc.spreadsheet.addElement(table)
    if data.get("unrecognised"):
        extra = Table(name=UNRECOGNISED_SHEET)
        for text in data["unrecognised"]:
            add_row(extra, [neutralise(text)])
        doc.spreadsheet.addElement(extra)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def _xlsx(data: dict[str, Any], header: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Aktionsplan"
    ws.append([xlsx_text(data["title"])])
    ws["A1"].font = Font(bold=True, size=14)
    if data["description"]:
        ws.append([xlsx_text(data["description"])])
    ws.append([])
    ws.append([xlsx_text(h) for h in header])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([xlsx_text(v) if isinstance(v, str) else v for v in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = wrap
    for n, _h in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=header_row, column=n).column_letter].width = 30
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if data.get("unrecognised"):
        # Text the import could not place travels on a sheet of its own and comes back as
        # "nicht zugeordnet" (a sheet without a table header).
        extra = wb.create_sheet(UNRECOGNISED_SHEET)
        for text in data["unrecognised"]:
            extra.append([xlsx_text(text)])
    buf = io.BytesIO()
    wb.save(buf)
    return _deterministic_zip(buf.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """openpyxl stamps the current time into docProps and the zip; fix both for stable bytes."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<3>",
                    content,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, content)
    return out.getvalue()
