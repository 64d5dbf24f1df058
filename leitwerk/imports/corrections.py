"""What the person fixed or confirmed in the preview, applied to a fresh parse of the same file.

The preview and the import parse the same stored file with the same engine, so positions
(section index, statement index; action field index, Vorhaben index) identify the same items.
Choices are plain JSON (lists of dicts) so that they can travel into a background task.
"""

from __future__ import annotations

import re
from typing import Any

from .services.common import ImportFailed

STATEMENT_KINDS = ("wir", "ich", "grundsatz", "anliegen", "other")
LIST_FIELDS = ("ideas", "milestones", "indicators", "resolutions")
MAX_ITEMS = 500

_STATEMENT_RE = re.compile(r"^st-(\d{1,5})-(\d{1,5})-(section|kind)$")
_LIST_RE = re.compile(r"^ini-(\d{1,5})-(\d{1,5})-([a-z_]{1,30})$")
# A plan's piece moved to the plan or a Vorhaben; a guideline's piece taken into a section.
_PIECE_RE = re.compile(r"^piece-(\d{1,5})$")
_TARGET_RE = re.compile(r"^(plan|ini-(\d{1,5})-(\d{1,5}))$")
_STATEMENT_PIECE_RE = re.compile(r"^(un|fu)-(\d{1,5})-section$")
_PIECE_SOURCES = {"un": "unrecognised", "fu": "furniture"}


def words(text: str) -> list[str]:
    return re.findall(r"[0-9A-Za-zÄÖÜäöüß]+", text)


def choices_from_post(post) -> dict[str, Any]:
    """The confirm form's fields → {"statements", "lists", "pieces" (plan),
    "statement_pieces" (guideline), "title"}; junk is ignored."""
    statements: dict[tuple[int, int], dict[str, Any]] = {}
    lists: list[dict[str, Any]] = []
    pieces: list[dict[str, Any]] = []
    statement_pieces: list[dict[str, Any]] = []
    for name in post:
        if match := _STATEMENT_PIECE_RE.match(name):
            value = post.get(name, "")
            if value.isdigit():  # "" is "leave it where it is"
                statement_pieces.append(
                    {
                        "from": _PIECE_SOURCES[match[1]],
                        "index": int(match[2]),
                        "to_section": int(value),
                    }
                )
            continue
        if match := _STATEMENT_RE.match(name):
            si, ti, what = int(match[1]), int(match[2]), match[3]
            entry = statements.setdefault((si, ti), {"section": si, "statement": ti})
            value = post.get(name, "")
            if what == "section" and value.isdigit():
                entry["to_section"] = int(value)
            elif what == "kind" and value in STATEMENT_KINDS:
                entry["kind"] = value
        elif (match := _LIST_RE.match(name)) and match[3] in LIST_FIELDS:
            lists.append(
                {
                    "field": int(match[1]),
                    "initiative": int(match[2]),
                    "key": match[3],
                    # Indentation stays: an indented idea belongs to the one above it.
                    "items": [
                        line.rstrip() for line in post.get(name, "").splitlines() if line.strip()
                    ][:MAX_ITEMS],
                }
            )
        elif match := _PIECE_RE.match(name):
            target = _TARGET_RE.match(post.get(name, ""))
            if target:
                to: Any = "plan" if target[1] == "plan" else [int(target[2]), int(target[3])]
                pieces.append({"piece": int(match[1]), "to": to})
    title = " ".join(post.get("plan_title", "").split())[:300]
    return {
        "statements": list(statements.values()),
        "lists": lists,
        "pieces": pieces,
        "statement_pieces": statement_pieces,
        "title": title,
    }


def _stale() -> ImportFailed:
    return ImportFailed.single(
        "Ihre Auswahl in der Vorschau passt nicht mehr zur Datei. Bitte laden Sie die Datei "
        "erneut hoch; es wurde nichts gespeichert."
    )


def apply_statement_choices(parsed, choices: list[dict[str, Any]]) -> None:
    """Move statements to the chosen section and set their kind; they count as reviewed."""
    if not choices:
        return
    sections = parsed.sections
    moves: dict[int, list] = {}
    moved = set()
    for choice in choices:
        si, ti = choice["section"], choice["statement"]
        if si >= len(sections) or ti >= len(sections[si].statements):
            raise _stale()
        statement = sections[si].statements[ti]
        if not statement.needs_review:
            # Only what the parser was unsure of is offered for correction.
            raise _stale()
        target = choice.get("to_section", si)
        if target >= len(sections):
            raise _stale()
        statement.kind = choice.get("kind", statement.kind)
        statement.needs_review = False
        statement.review_note = ""
        if target != si:
            moves.setdefault(target, []).append(statement)
            moved.add(id(statement))
    for section in sections:
        section.statements = [st for st in section.statements if id(st) not in moved]
    for target, statements in moves.items():
        sections[target].statements.extend(statements)


def apply_list_edits(plan: dict[str, Any], edits: list[dict[str, Any]]) -> None:
    """Replace proposed list items by the person's, one per line; the field counts as reviewed."""
    fields = plan["action_fields"]
    for edit in edits:
        fi, ii, key = edit["field"], edit["initiative"], edit["key"]
        if fi >= len(fields) or ii >= len(fields[fi]["initiatives"]):
            raise _stale()
        initiative = fields[fi]["initiatives"][ii]
        if key not in LIST_FIELDS or key not in initiative["needs_review"]:
            raise _stale()
        lines = [(" ".join(item.split()), len(item) - len(item.lstrip())) for item in edit["items"]]
        initiative[key] = [text for text, _indent in lines]
        if key == "ideas":
            from .plan_parser import line_levels

            initiative["idea_levels"] = line_levels(lines)
        initiative["needs_review"] = [k for k in initiative["needs_review"] if k != key]


def apply_piece_moves(parsed, moves: list[dict[str, Any]]) -> None:
    """Put pieces the parser left out ("nicht zugeordnet", furniture) into the plan.

    A move names the piece by its position in `parsed.pieces` and a target: "plan" (the
    plan's description) or [field index, Vorhaben index] (that Vorhaben's Zielsetzung).
    The piece then counts as placed.
    """
    plan = parsed.plan
    fields = plan["action_fields"]
    for move in moves:
        index, target = move["piece"], move["to"]
        if index >= len(parsed.pieces) or parsed.pieces[index].get("moved_to"):
            raise _stale()
        piece = parsed.pieces[index]
        if target == "plan":
            plan["description"] = "\n\n".join(p for p in (plan["description"], piece["text"]) if p)
            piece["moved_to"] = "Beschreibung des Plans"
        else:
            fi, ii = target
            if fi >= len(fields) or ii >= len(fields[fi]["initiatives"]):
                raise _stale()
            initiative = fields[fi]["initiatives"][ii]
            initiative["objective"] = "\n".join(
                p for p in (initiative["objective"], piece["text"]) if p
            )
            piece["moved_to"] = f"Vorhaben {initiative['number']}"
        if piece["kind"] == "unrecognised" and piece["text"] in plan["unrecognised"]:
            plan["unrecognised"].remove(piece["text"])
        elif piece["kind"] == "furniture":
            moved = words(piece["text"])
            for word in moved:
                if word in parsed.furniture_words:
                    parsed.furniture_words.remove(word)
            parsed.source_words.extend(moved)
        parsed.ledger[piece["kind"]] -= len(words(piece["text"]))
        parsed.ledger["placed"] += len(words(piece["text"]))


def apply_piece_choices(parsed, choices: list[dict[str, Any]]) -> None:
    """Unrecognised or furniture text the person took into a section becomes a statement
    there (its kind by its own sentence); it leaves the list it came from."""
    from .guideline_parser import ParsedStatement, statement_kind, words

    if not choices:
        return
    taken: dict[str, set[int]] = {"unrecognised": set(), "furniture": set()}
    for choice in choices:
        source, index, target = choice.get("from"), choice["index"], choice["to_section"]
        if source not in taken:
            raise _stale()
        pieces = parsed.unrecognised if source == "unrecognised" else parsed.furniture
        if index >= len(pieces) or target >= len(parsed.sections) or index in taken[source]:
            raise _stale()
        taken[source].add(index)
        text = pieces[index] if source == "unrecognised" else pieces[index].text
        parsed.sections[target].statements.append(ParsedStatement(statement_kind(text), text))
        moved = len(words(text))
        parsed.accounting["placed"] = parsed.accounting.get("placed", 0) + moved
        parsed.accounting[source] = parsed.accounting.get(source, 0) - moved
    keep = [i for i in range(len(parsed.unrecognised)) if i not in taken["unrecognised"]]
    parsed.unrecognised = [parsed.unrecognised[i] for i in keep]
    parsed.unrecognised_where = [parsed.unrecognised_where[i] for i in keep]
    parsed.furniture = [f for i, f in enumerate(parsed.furniture) if i not in taken["furniture"]]
