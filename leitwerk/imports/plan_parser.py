"""Action-plan tables → plan structure. Pure: no database, no file access.

The input is a list of rows of cell strings (what plan_readers extracted from any format);
the output is the plan-shaped dict the import service stores and the export prints.
"""

from __future__ import annotations

import collections
import difflib
import functools
import html
import re
import string
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from . import gazetteer
from .services.common import ImportFailed, ImportProblem

FIELDS = (
    "number",
    "action_field",
    "title",
    "objective",
    "ideas",
    "milestones",
    "indicators",
    "responsible",
    "period",
    "transfer_cities",
    "resolutions",
    "needs_review",
)
LIST_FIELDS = ("ideas", "milestones", "indicators", "responsible", "resolutions")
# Fields the review marker may name (what a person has to look at again).
REVIEWABLE = ("objective", "ideas", "milestones", "indicators", "responsible", "resolutions")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("nr", "lfd nr", "lfdnr", "nummer", "laufende nummer", "pos", "position"),
    "action_field": (
        "aktionsfeld",
        "aktionsfelder",
        "handlungsfeld",
        "handlungsfelder",
        "themenfeld",
        "handlungsschwerpunkt",
    ),
    "title": (
        "arbeitstitel",
        "vorhaben",
        "kernvorhaben",
        "massnahme",
        "projekt",
        "projekttitel",
        "titel",
        "bezeichnung",
    ),
    "objective": ("zielsetzung", "ziel", "ziele", "zielstellung"),
    "ideas": (
        "umsetzungsideen",
        "umsetzungsidee",
        "teilvorhaben",
        "teilschritte",
        "teilprojekte",
        "arbeitsschritte",
        "ideen",
    ),
    "milestones": ("meilensteine", "meilenstein", "erfolgsfaktoren", "erfolgsfaktor"),
    "indicators": ("indikatoren", "indikator", "kennzahlen", "kennzahl", "messgroessen"),
    "responsible": (
        "verantwortlich",
        "verantwortliche",
        "verantwortung",
        "federfuehrung",
        "federfuehrend",
        "zustaendig",
        "zustaendigkeit",
    ),
    "period": (
        "zeitraum",
        "termin",
        "beginn",
        "ende",
        "zeitplan",
        "laufzeit",
        "zeitrahmen",
        "frist",
    ),
    "transfer_cities": (
        "erfahrungstransfer",
        "partnerstaedte",
        "partnerstadt",
        "transferkommunen",
        "transferstaedte",
        "staedtenetzwerk",
        "partnerkommunen",
    ),
    "resolutions": ("vorsaetze", "vorsatz", "hinweise", "hinweis"),
    "needs_review": ("zu pruefen",),
}

# German headers the export writes when the plan has no source columns of its own.
DEFAULT_HEADERS = {
    "number": "Nr.",
    "action_field": "Aktionsfeld",
    "title": "Arbeitstitel des Vorhabens",
    "objective": "Zielsetzung",
    "ideas": "Umsetzungsideen",
    "milestones": "Meilensteine / Erfolgsfaktoren",
    "indicators": "Indikatoren",
    "responsible": "Verantwortlich",
    "period": "Zeitraum",
    "transfer_cities": "Erfahrungstransfer",
    "resolutions": "Vorsätze",
    "needs_review": "Zu prüfen",
}

WORD_RE = re.compile(r"[0-9A-Za-zÄÖÜäöüß]+")
# Anything tag-like goes through the sanitiser; "a < b" or "<3" stay text.
HTML_RE = re.compile(r"<(/?[A-Za-z][A-Za-z0-9]*|!--)[^>]*>")
# Tags an HTML export uses for lists and lines, and for formatting (dropped, text kept).
STRUCTURE_TAG_RE = re.compile(r"<\s*/?\s*(?:ul|ol|li|p|div|br)\b\s*/?[^<>]*>", re.I)
FORMATTING_TAG_RE = re.compile(
    r"<\s*/?\s*(?:b|i|u|s|em|strong|span|font|sup|sub|small|mark|strike|a)\b[^<>]*>", re.I
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def fold(text: str) -> str:
    """Header key: case, umlauts, punctuation and spacing do not matter."""
    text = text.casefold()
    for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(src, dst)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def score_header(header: str) -> tuple[str | None, float]:
    """Best field for a column header and how sure we are (0 = unknown)."""
    norm = fold(header)
    if not norm:
        return None, 0.0
    # A token at position 16 or later scores at most 3.0 - 1.6 < 1.5, below the threshold
    # below, so it can never decide; ignoring those keeps a long cell linear (fuzzing, D3:
    # an 8 KB CSV line took 10 s in difflib before).
    tokens = norm.split()[:16]
    best: tuple[str | None, float] = (None, 0.0)
    for name, synonyms in SYNONYMS.items():
        score = 0.0
        for syn in synonyms:
            if " " in syn:
                if norm == syn:
                    score = max(score, 3.5)
                elif f" {syn} " in f" {norm} ":
                    score = max(score, 3.0)
                continue
            for pos, tok in enumerate(tokens):
                penalty = 0.1 * pos
                if tok == syn:
                    s = 3.0
                elif len(syn) >= 5 and (tok.startswith(syn) or tok.endswith(syn)):
                    s = 2.0
                elif len(syn) >= 6 and len(tok) >= 6:
                    # The cheap upper bounds first: same result, but a token of thousands of
                    # characters no longer costs a full quadratic comparison per synonym.
                    # (2 * shorter / total is difflib's real_quick_ratio, an upper bound.)
                    similar = 2 * min(len(tok), len(syn)) / (len(tok) + len(syn)) >= 0.86
                    if similar:
                        matcher = difflib.SequenceMatcher(None, tok, syn)
                        similar = matcher.quick_ratio() >= 0.86 and matcher.ratio() >= 0.86
                    s = 1.8 if similar else 0.0
                else:
                    s = 0.0
                if s:
                    score = max(score, s - penalty)
        if score > best[1]:
            best = (name, score)
    if best[1] < 1.5:
        return None, 0.0
    return best


def load_mapping(text: str, source: str) -> dict[str, str]:
    """The `[columns]` table of a TOML mapping file: folded header → field ("extra" keeps it)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's English message is no help to the person; only its position is kept. The
        # position stays in the message: "row" of an error means a row of the plan's table.
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        if where:
            position = f" (Zeile {where.group(1)}, Zeichen {where.group(2)})"
        elif "end of document" in str(exc):
            position = f" (am Ende, Zeile {text.count(chr(10)) + 1})"
        else:  # pragma: no cover - tomllib (3.11+) always appends "(at line …)" or "(at end …)"
            position = ""
        raise ImportFailed.single(
            f"Die Zuordnungsdatei {source} ist keine gültige TOML-Datei{position}. Bitte prüfen "
            "Sie dort Anführungszeichen, Gleichheitszeichen und eckige Klammern, z. B. "
            '[columns] und darunter "Kosten" = "extra".'
        ) from None
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise ImportFailed.single(f"Zuordnungsdatei {source}: [columns] muss eine Tabelle sein.")
    mapping: dict[str, str] = {}
    problems = []
    for header, target in columns.items():
        if not isinstance(target, str) or target not in (*FIELDS, "extra", "ignore"):
            problems.append(
                ImportProblem(
                    f"Zuordnungsdatei {source}: unbekanntes Zielfeld „{target}“ für Spalte "
                    f"„{header}“ (erlaubt: {', '.join((*FIELDS, 'extra', 'ignore'))}).",
                    column=str(header),
                )
            )
            continue
        mapping[fold(str(header))] = target
    if problems:
        raise ImportFailed(problems)
    return mapping


@dataclass
class Column:
    index: int
    header: str
    field: str  # one of FIELDS, "extra" or "ignore"


def map_columns(header_row: list[str], mapping: dict[str, str]) -> list[Column]:
    scored = []
    for index, header in enumerate(header_row):
        header = header.strip()
        key = fold(header)
        if key and key in mapping:
            scored.append((index, header, mapping[key], 100.0))
            continue
        name, score = score_header(header)
        scored.append((index, header, name or "extra", score))
    # One column per field: the most certain wins, the others stay as extra fields.
    taken: dict[str, float] = {}
    for _index, _header, name, score in scored:
        if name not in ("extra", "ignore"):
            taken[name] = max(taken.get(name, 0.0), score)
    columns = []
    used: set[str] = set()
    for index, header, name, score in scored:
        if name not in ("extra", "ignore") and name != "period":
            if score < taken[name] or name in used:
                name = "extra"
            else:
                used.add(name)
        if name == "extra" and not header:
            header = f"Spalte {index + 1}"
        columns.append(Column(index, header, name))
    # "Maßnahmen" beside a title column ("Vorhaben") lists the Vorhaben's measures.
    for col in columns:
        if (
            col.field == "extra"
            and "ideas" not in used
            and {"massnahmen", "massnahme"} & set(fold(col.header).split())
            and fold(col.header) not in mapping
        ):
            col.field = "ideas"
            used.add("ideas")
    return columns


GROUP_DASH = " – "
# The heading a CSV export writes over the plan's text outside the structure; an XLSX or ODS
# export writes that text on a sheet of this name.
NOTES_HEADING = "Nicht zugeordnet"


def combine_header(upper: list[str], lower: list[str]) -> list[str]:
    """Two header rows as one: a group label ("Planung") over its columns ("Ziel") gives
    "Planung – Ziel". A group cell spans the empty cells to its right (colspan, merged cells)
    as far as the row below names columns."""
    width = max(len(upper), len(lower))
    out = []
    group = ""
    for i in range(width):
        top = (upper[i] if i < len(upper) else "").strip()
        low = (lower[i] if i < len(lower) else "").strip()
        if top:
            group = top
        elif low:
            top = group
        else:
            group = ""
        if top and low and fold(top) != fold(low):
            out.append(f"{top}{GROUP_DASH}{low}")
        else:
            out.append(low or top)
    return out


def _groups_columns(upper: list[str], lower: list[str]) -> bool:
    """Does a label of `upper` stand over two or more named columns of `lower` (repeated, as
    merged cells read, or followed by empty cells, as colspan reads)?"""
    lower = lower + [""] * (len(upper) - len(lower))
    for i, top in enumerate(upper):
        top = (top or "").strip()
        if not top or not lower[i].strip() or fold(top) == fold(lower[i]):
            continue
        j = i + 1
        while j < len(upper) and (upper[j] or "").strip() in ("", top) and lower[j].strip():
            j += 1
        if j - i >= 2:
            return True
    return False


def _row_fields(row: list[str], mapping: dict[str, str]) -> set[str]:
    fields = set()
    for cell in row:
        key = fold(cell or "")
        if key in mapping and mapping[key] not in ("extra", "ignore"):
            fields.add(mapping[key])
            continue
        if len(cell or "") > 200:
            continue
        name, _score = score_header(cell or "")
        if name:
            fields.add(name)
    return fields


def locate_header(
    rows: list[list[str]], mapping: dict[str, str], limit: int = 40
) -> tuple[int | None, int, list[str]]:
    """(index of the first header row, how many rows it spans (1 or 2), the header cells).

    Two rows count as one header when together they name more fields than either alone
    (a group row over the column names, as municipalities draw them)."""
    at, count = rank_header(rows, mapping, limit)
    if at is None:
        return None, 1, []
    best = (count, at, 1, list(rows[at]))
    for top in (at - 1, at):
        if top < 0 or top + 1 >= len(rows):
            continue
        upper = [c for c in rows[top] if c and c.strip()]
        lower = [c for c in rows[top + 1] if c and c.strip()]
        # A group row has several short labels; a title block above the table does not, and a
        # data row below the header does not consist of column names.
        if len({fold(c) for c in upper}) < 2 or any(len(c) > 60 for c in upper + lower):
            continue
        if sum(1 for c in lower if score_header(c)[0]) < 2:
            continue
        if not _groups_columns(rows[top], rows[top + 1]):
            continue
        combined = combine_header(rows[top], rows[top + 1])
        fields = _row_fields(combined, mapping)
        if fields & {"title", "action_field"} and len(fields) >= best[0]:
            best = (len(fields), top, 2, combined)
    return best[1], best[2], best[3]


def find_header(rows: list[list[str]], mapping: dict[str, str], limit: int = 40) -> int | None:
    """Index of the row that looks most like the table's header row."""
    return rank_header(rows, mapping, limit)[0]


def rank_header(
    rows: list[list[str]], mapping: dict[str, str], limit: int = 40
) -> tuple[int | None, int]:
    """(index of the likeliest header row, how many known fields it names)."""
    best, best_count = None, 1
    for i, row in enumerate(rows[:limit]):
        fields = _row_fields(row, mapping)
        if not fields & {"title", "action_field"}:
            continue
        if len(fields) > best_count:
            best, best_count = i, len(fields)
    return best, (best_count if best is not None else 0)


# --- cells --------------------------------------------------------------------------------

BULLET_RE = re.compile(r"^\s*[•◦▪·*\-–—‣]\s+")
MARKER_RE = re.compile(r"\s(?=Teilvorhaben\s+\d+\s*:)")
MID_BULLET_RE = re.compile(r"\s+[•◦▪‣]\s+")
LETTER_MARKER_RE = re.compile(r"\s(?=[a-z]\)\s)")

STOP = set(
    """der die das den dem des ein eine einer eines einem einen kein keine keinen keiner von vom
    mit zu zur zum bei beim für auf aus in im an am nach über unter vor durch gegen ohne um und
    oder sowie als wie mehr weniger sehr alle allen aller jeder jede jeden jedem diese diesen
    dieser dieses unsere unseren sich nicht auch bzw noch ihre ihren seine seinen deren dessen
    zwischen innerhalb außerhalb seitens bis ab per pro je so besonders möglichst""".split()
) - {"sich"}
MODALS = set("kann können muss müssen soll sollen wird werden sein sollte sollten".split())
SENTENCE_STARTS = set("Die Der Das Es Um Durch Damit Dabei Diesen Dieser Diese Auch Dazu".split())
ABBREV = set(
    "z. b. bzw. bspw. inkl. evtl. ggf. ca. usw. vgl. d. h. u. a. etc ggfs. max. min.".split()
)
ADJ_END_RE = re.compile(
    r"(ig|ich|isch|iv|al|ant|ent|sam|bar|los|haft|uell|iell)en$|[^s]ten$|[^r]nen$|eren$"
)
CAP_ADJ_RE = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+(ige|iche|liche|ische|ive|ere|ale)[rsn]?$")


def _bare(tok: str) -> str:
    return tok.strip("„“”\"'‚‘’«»")


def _is_cap(tok: str) -> bool:
    t = _bare(tok)
    return bool(t) and t[0].isupper()


def _is_word(tok: str) -> bool:
    return bool(re.fullmatch(r"[a-zäöüß][a-zäöüß\-]*", tok))


def _boundary(w0: str | None, w1: str, w2: str, wm: str | None) -> bool:
    """Would a new list item plausibly start at w2 (w0 w1 | w2)? Only where list tags were lost."""
    if not _is_cap(w2) or w2.startswith("("):
        return False
    if w1.endswith((".", "?", "!")) and w1.lower() not in ABBREV and not re.fullmatch(r"\d+\.", w1):
        return len(w1) > 2 or w1.endswith(("?", "!"))
    if w1.endswith(")") and not re.fullmatch(r"[a-z]\)", w1) and not w1.startswith("("):
        # "(wöchentliche) Formate": a one-word aside belongs to what follows.
        return True
    if _bare(w2) in SENTENCE_STARTS and re.fullmatch(r"[\w*\-]+", w1) and w1.lower() not in STOP:
        return True
    if _is_word(w1):
        if w1 in MODALS:
            # "… umgesetzt werden können | Erfolge …", not "Dabei müssen Bezirke …".
            return w0 is not None and _is_word(w0) and w0 not in STOP
        if w1 in STOP:
            return False
        verb_like = w1.endswith(("ieren", "ern", "eln")) or (
            w1.endswith("en") and len(w1) >= 5 and not ADJ_END_RE.search(w1)
        )
        if verb_like and w0 is not None:
            if _is_cap(w0) and not w0.endswith(","):
                return True
            if _is_word(w0) and w0 not in STOP:
                return True
            if w0 in ("und", "oder") and wm is not None and _is_word(wm) and wm.endswith("en"):
                return True
        if CAP_ADJ_RE.match(_bare(w2)):
            return True
        return False
    bare1 = _bare(w1)
    if (
        bare1
        and bare1[0].isupper()
        and bare1.isalpha()
        and not bare1.isupper()
        and not CAP_ADJ_RE.match(bare1)
    ):
        if CAP_ADJ_RE.match(_bare(w2)):
            return True
        if _bare(w2).endswith(("ung", "heit", "keit")) and len(bare1) > 3:
            return True
    return False


FINITE = set("ist sind wird werden hat haben".split())


def _clause_done(current: list[str], w1: str, w2: str) -> bool:
    """ "… sind allen bekannt | Koordinator*in …": after a clause with its finite verb has
    ended on a predicative word (not a function word, a verb, or an inflected adjective as in
    "transparente Dokumentation"), a capitalised word (not an acronym) starts a new item."""
    return (
        any(t in FINITE for t in current[1:])
        and _is_word(w1)
        and not w1.endswith(("e", "en", "er", "es", "em"))
        and not _bare(w2).rstrip("?!.,:;").isupper()
        and w1 not in STOP
        and w1 not in FINITE
        and w1 not in MODALS
        and _is_cap(w2)
        and not w2.startswith("(")
    )


def propose_items(text: str) -> list[str]:
    """Split run-together list items at the most plausible item starts, keeping every word."""
    toks = text.split()
    if len(toks) < 2:
        return [text] if text else []
    items, current = [], [toks[0]]
    for i in range(1, len(toks)):
        w0 = toks[i - 2] if i >= 2 else None
        wm = toks[i - 3] if i >= 3 else None
        if _boundary(w0, toks[i - 1], toks[i], wm) or _clause_done(current, toks[i - 1], toks[i]):
            items.append(" ".join(current))
            current = []
        current.append(toks[i])
    items.append(" ".join(current))
    return items


def unformula(text: str) -> str:
    """Undo the export's formula neutralisation ("'=x" → "=x")."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def cell_lines(raw: str) -> tuple[list[str], bool]:
    """Sanitised text lines of a cell, and whether list markup was lost (ul/ol without li)."""
    lines, lost = indented_lines(raw)
    return [line for line, _indent in lines], lost


# Leading whitespace of a line: spaces, tabs, no-break and em spaces.
INDENT_RE = re.compile(r"^[ \t\u00a0\u2002\u2003]*")
LIST_TAG_RE = re.compile(r"<\s*(/?)\s*(ul|ol|li)\b[^<>]*>", re.I)


def _html_list_indent(clean: str) -> str:
    """An item of a nested HTML list starts a line indented by its depth, so that the
    nesting survives the step from tags to lines."""
    depth = 0

    def tag(match: re.Match[str]) -> str:
        nonlocal depth
        closing, name = match.group(1), match.group(2).lower()
        if name in ("ul", "ol"):
            depth = max(depth - 1, 0) if closing else depth + 1
            return "\n"
        return "\n" if closing else "\n" + "  " * max(depth - 1, 0)

    return LIST_TAG_RE.sub(tag, clean)


def indented_lines(raw: str) -> tuple[list[tuple[str, int]], bool]:
    """`cell_lines` with each line's indentation (leading whitespace, in characters)."""
    raw = unformula(raw or "")
    lost = False
    if HTML_RE.search(raw):
        lost = bool(re.search(r"<\s*(ul|ol)\b", raw, re.I)) and not re.search(
            r"<\s*li\b", raw, re.I
        )
        # Markup of an HTML export: structure becomes lines, formatting goes, its text stays.
        # Anything else that looks like a tag is the author's text ("Ziel <Pflicht>", I2) and
        # is kept as it is; the pages escape it on output like every other text.
        clean = re.sub(r"<!--.*?-->", "", raw, flags=re.S)
        clean = _html_list_indent(clean)
        clean = STRUCTURE_TAG_RE.sub("\n", clean)
        clean = FORMATTING_TAG_RE.sub("", clean)
        raw = html.unescape(clean) if clean != raw else clean
    lines = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        indent = len(INDENT_RE.match(line).group())  # type: ignore[union-attr]
        line = " ".join(line.split())
        if line:
            lines.append((line, indent))
    return lines, lost


def cell_text(raw: str, sep: str = "\n") -> str:
    return sep.join(cell_lines(raw)[0])


def cell_items(raw: str) -> tuple[list[str], bool]:
    """List items of a cell and whether the boundaries are only proposed (review needed)."""
    items, _levels, lost = nested_items(raw)
    return items, lost


TEILVORHABEN_RE = re.compile(r"^Teilvorhaben\b")


def line_levels(lines: list[tuple[str, int]]) -> list[int]:
    """Nesting level of each line of a cell: deeper indented than the line above means one
    level down (a nested list); bulleted lines under an unbulleted "Teilvorhaben …" line are
    that Teilvorhaben's own items."""
    levels = []
    stack: list[int] = []
    teilvorhaben = False
    for line, indent in lines:
        while stack and stack[-1] >= indent:
            stack.pop()
        level = len(stack)
        stack.append(indent)
        bulleted = bool(BULLET_RE.match(line))
        if level == 0 and not bulleted:
            teilvorhaben = bool(TEILVORHABEN_RE.match(line))
        elif level == 0 and teilvorhaben:
            level = 1
        levels.append(level)
    return levels


def nested_items(raw: str) -> tuple[list[str], list[int], bool]:
    """List items of a cell, their nesting levels (0: top) and whether the boundaries are only
    proposed (review needed)."""
    lines, lost = indented_lines(raw)
    items: list[str] = []
    levels: list[int] = []
    for line, level in zip([line for line, _indent in lines], line_levels(lines), strict=True):
        before = len(items)
        line = debullet(line)
        parts: list[str] = []
        for chunk in MID_BULLET_RE.split(line):
            parts.extend(p.strip() for p in MARKER_RE.split(chunk))
        for part in parts:
            if not part:  # pragma: no cover - cell_lines collapsed whitespace, no split yields ""
                continue
            if lost:
                for piece in LETTER_MARKER_RE.split(part):
                    items.extend(debullet(x) for x in propose_items(piece.strip()) if x)
            else:
                items.append(debullet(part))
        levels.extend([level] * (len(items) - before))
    kept = [n for n, item in enumerate(items) if item]
    return [items[n] for n in kept], [levels[n] for n in kept], lost


def debullet(text: str) -> str:
    """Strip list bullets until none is left, so that re-reading an item is stable."""
    while BULLET_RE.match(text):
        text = BULLET_RE.sub("", text, count=1)
    return text.strip()


def split_people(raw: str) -> list[str]:
    out: list[str] = []
    for item in cell_items(raw)[0]:
        out.extend(p.strip() for p in re.split(r"[;,]", item) if p.strip())
    return out


# --- action fields ------------------------------------------------------------------------

AF_PATTERNS = (
    re.compile(
        r"^(?P<label>Aktionsfeld|Handlungsfeld|Themenfeld|Zielfeld|Feld)\s*"
        r"(?P<code>[A-Z]|\d{1,3}|[IVX]{1,5})(?![\w])\s*[:.)\-–]?\s*(?P<title>.*)$",
        re.S | re.I,
    ),
    re.compile(r"^(?P<code>[A-Z]|\d{1,2}|[IVX]{1,5})\s*[:.)]\s+(?P<title>\S.*)$", re.S),
    re.compile(r"^(?P<code>[A-Z])\s+(?P<title>\S.*)$", re.S),
    re.compile(r"^(?P<code>[A-Z]|\d{1,2})[).:]?(?P<title>)$"),
)


def parse_action_field(text: str) -> tuple[str, str, str]:
    """(label, code, title) of an Aktionsfeld cell; code "" when the cell names none."""
    for pattern in AF_PATTERNS:
        m = pattern.match(text)
        if m:
            label = m.groupdict().get("label") or ""
            return label, m.group("code").upper(), m.group("title").strip()
    return "", "", text.strip()


def next_code(used: set[str]) -> str:
    for letter in string.ascii_uppercase:
        if letter not in used:
            return letter
    n = 1
    while f"F{n}" in used:
        n += 1
    return f"F{n}"


# --- building -----------------------------------------------------------------------------


@dataclass
class Sheet:
    """One sheet of a workbook (or the one table of a text file) as the readers saw it.

    `merges` are merged ranges as 0-based (first row, first column, last row, last column)
    indexes into `rows`; `hidden_columns` are 0-based indexes of columns the file hides
    (their cells are read all the same, and reported).
    """

    name: str
    rows: list[list[str]]
    row_numbers: list[int]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)
    hidden: bool = False


@dataclass
class Parsed:
    plan: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    # Words of every non-empty source cell that is placed or listed as not assigned…
    source_words: list[str] = field(default_factory=list)
    # …and of those classified as furniture (cover credits, totals rows, footnotes).
    furniture_words: list[str] = field(default_factory=list)
    # What is not in the structure, with its location: {"text", "where", "kind", "reason"}.
    pieces: list[dict[str, Any]] = field(default_factory=list)
    # Word counts per outcome: "placed", "unrecognised", "furniture" (the no-silent-loss books).
    ledger: dict[str, int] = field(default_factory=dict)
    title_missing: bool = False

    @property
    def counts(self) -> dict[str, int]:
        inits = [i for f in self.plan["action_fields"] for i in f["initiatives"]]
        return {
            "action_fields": len(self.plan["action_fields"]),
            "initiatives": len(inits),
            "milestones": sum(len(i["milestones"]) for i in inits),
            "indicators": sum(len(i["indicators"]) for i in inits),
            "transfer_cities": sum(len(i["transfer_cities"]) for i in inits),
        }


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def structure_strings(obj: Any, skip=("id", "kind", "needs_review", "ags")):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k not in skip:
                yield from structure_strings(v, skip)
    elif isinstance(obj, list):
        for v in obj:
            yield from structure_strings(v, skip)
    elif isinstance(obj, str):
        yield obj


def coverage(
    source_words: list[str], plan: dict[str, Any], furniture_words: list[str] | None = None
) -> float:
    """Share of the file's words (with multiplicity) that are accounted for: held by the
    structure (including "nicht zugeordnet"), or shown as furniture. Over all sheets."""
    src = collections.Counter(w.lower() for w in source_words)
    have = collections.Counter(w.lower() for s in structure_strings(plan) for w in words(s))
    furniture = len(furniture_words or [])
    total = sum(src.values()) + furniture
    if not total:
        return 1.0
    return round((sum(min(c, have[w]) for w, c in src.items()) + furniture) / total, 4)


def new_initiative(number: str, title: str) -> dict[str, Any]:
    return {
        "number": number,
        "title": title,
        "objective": "",
        "ideas": [],
        # Nesting of the ideas (0: under the Vorhaben, 1: under the Teilvorhaben above …).
        "idea_levels": [],
        "milestones": [],
        "indicators": [],
        "responsible": [],
        "period": "",
        "transfer_cities": [],
        "resolutions": [],
        "extra": {},
        "needs_review": [],
    }


HEADING_SKIP_RE = re.compile(r"©|^(foto|bild|quelle|abbildung|bildnachweis)\b", re.I)
# Rows under (or inside) a table that are not Vorhaben: sums and footnotes.
TOTALS_RE = re.compile(r"^\s*(summe|gesamtsumme|gesamt|insgesamt|total)\b", re.I)
AMOUNT_RE = re.compile(r"^[\s\d.,%€$+\-–/()]*$")
FOOTNOTE_RE = re.compile(
    r"^\s*(\*+|[¹²³⁴⁵⁶⁷⁸⁹†]|(quelle|anmerkungen?|hinweis|fu(ß|ss)note|stand|erl(ä|ae)uterung)"
    r"(en)?\s*:)",
    re.I,
)
NUMBERED_NOTE_RE = re.compile(r"^\s*\(?\d{1,2}\)\s+\S")


def title_and_description(
    preamble: list[str], headings: list[str], filename: str = ""
) -> tuple[str, str, bool]:
    """(title, description, whether the document names no title).

    The title comes from the document only (a heading, else a short first line of the title
    block or cover sheet); never from the file name, which is rarely what the council calls
    the plan. Without one, the preview asks for it.
    """
    paragraphs = [" ".join(p.split()) for chunk in preamble for p in chunk.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    title = ""
    candidates = [" ".join(h.split()) for h in headings if h.strip()] or paragraphs[:3]
    for cand in candidates:
        cand_clean = cand.lstrip("#").strip()
        if (
            cand_clean
            and len(cand_clean) <= 200
            and not HEADING_SKIP_RE.search(cand_clean)
            and not cand_clean.endswith((".", ",", ";", ":"))
        ):
            title = cand_clean
            if cand in paragraphs:
                paragraphs.remove(cand)
            break
    return title[:300], "\n\n".join(paragraphs), not title


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


MERGE_BUDGET = 2_000_000


def _expand(sheet: Sheet) -> tuple[list[list[str]], dict[tuple[int, int], tuple[int, int]]]:
    """The rows with every merged range filled with its text, and the filled cells → origin."""
    rows = [list(r) for r in sheet.rows]
    copies: dict[tuple[int, int], tuple[int, int]] = {}
    # Hostile files may declare huge, overlapping ranges: the cells visited are budgeted
    # (a sheet's real merges are far below this).
    budget = MERGE_BUDGET
    for r1, c1, r2, c2 in sheet.merges:
        if r1 >= len(rows) or c1 >= len(rows[r1]):
            continue
        last = min(r2, len(rows) - 1)
        budget -= (last - r1 + 1) * (c2 - c1 + 1)
        if budget < 0:
            break
        text = rows[r1][c1]
        for r in range(r1, last + 1):
            for c in range(c1, c2 + 1):
                if (r, c) == (r1, c1):
                    continue
                while len(rows[r]) <= c:
                    rows[r].append("")
                if not rows[r][c].strip():
                    rows[r][c] = text
                    copies[(r, c)] = (r1, c1)
    return rows, copies


class _Builder:
    """Reads every sheet into one plan and keeps the books: each non-empty source cell is
    placed, listed as not assigned (with its location) or classified as furniture."""

    def __init__(self, filename: str, mapping: dict[str, str], sheet_count: int) -> None:
        self.filename = filename
        self.mapping = mapping
        self.named = sheet_count > 1
        self.plan: dict[str, Any] = {
            "title": "",
            "description": "",
            "columns": [],
            "action_fields": [],
            "unrecognised": [],
            "resolutions": [],
        }
        self.warnings: list[str] = []
        self.problems: list[ImportProblem] = []
        self.source_words: list[str] = []
        self.furniture_words: list[str] = []
        self.pieces: list[dict[str, Any]] = []
        self.ledger = {"placed": 0, "unrecognised": 0, "furniture": 0}
        self.intro: list[str] = []
        self.fields_by_code: dict[str, dict[str, Any]] = {}
        self.reserved: set[str] = set()
        self.running = 0
        # Numbers seen so far: a set, so the duplicate check is one step per row, not a scan of
        # every Vorhaben before it (quadratic at thousands of rows).
        self.numbers_seen: set[str] = set()
        self.resolution_headers: list[str] = []

    # --- the books ----------------------------------------------------------------------

    def where(self, sheet: Sheet, row_no: int | None, col: int | None) -> str:
        parts = []
        if sheet.name and self.named:
            parts.append(f"Blatt „{sheet.name}“")
        if row_no:
            parts.append(f"Zeile {row_no}")
        if col is not None:
            parts.append(f"Spalte {column_letter(col)}")
        return ", ".join(parts) or "vor der Tabelle"

    def account(self, text: str, status: str, where: str = "", reason: str = "") -> None:
        found = words(re.sub(r"<[^>]+>", " ", text))
        self.ledger[status] += len(found)
        (self.furniture_words if status == "furniture" else self.source_words).extend(found)
        if status != "placed":
            self.pieces.append(
                {"text": cell_text(text, " "), "where": where, "kind": status, "reason": reason}
            )

    def unrecognised(self, text: str, where: str, reason: str) -> None:
        self.account(text, "unrecognised", where, reason)
        self.plan["unrecognised"].append(self.pieces[-1]["text"])

    def intro_text(self, text: str, where: str) -> None:
        """A line of the title block or cover sheet: the plan's title and description."""
        flat = " ".join(text.split())
        if HEADING_SKIP_RE.search(flat) and len(flat) <= 200:
            # A photo credit of the cover picture is no part of the plan's description.
            self.account(text, "furniture", where, "Bildnachweis")
            return
        self.intro.append(text)
        self.account(text, "placed")

    # --- sheets ------------------------------------------------------------------------

    def cover(self, sheet: Sheet) -> None:
        for row, row_no in zip(sheet.rows, sheet.row_numbers, strict=False):
            for ci, cell in enumerate(row):
                if cell.strip():
                    self.intro_text(cell, self.where(sheet, row_no, ci))

    def stray(self, sheet: Sheet) -> None:
        for row, row_no in zip(sheet.rows, sheet.row_numbers, strict=False):
            for ci, cell in enumerate(row):
                if cell.strip():
                    self.unrecognised(
                        cell, self.where(sheet, row_no, ci), "Blatt ohne Tabellenkopf"
                    )

    def field_for(self, label: str, code: str, af_title: str) -> dict[str, Any]:
        if not code:
            for f in self.plan["action_fields"]:
                if f["title"] == af_title and af_title:
                    return f
            code = next_code(set(self.fields_by_code) | self.reserved)
        if code in self.fields_by_code:
            existing = self.fields_by_code[code]
            if af_title and not existing["title"]:
                existing["title"] = af_title
            return existing
        f = {"code": code, "label": label, "title": af_title, "initiatives": []}
        self.fields_by_code[code] = f
        self.plan["action_fields"].append(f)
        return f

    def table(
        self, sheet: Sheet, header_at: int, span: int, header: list[str], first: bool
    ) -> None:
        filename = self.filename
        rows, copies = _expand(sheet)
        # Merged cells of the body: a Vorhaben's own title and number are never copied
        # into the rows below (that would make new Vorhaben); other columns are (a
        # responsibility merged over two Vorhaben belongs to both).
        numbers = sheet.row_numbers
        columns = map_columns(header, self.mapping)
        by_field: dict[str, list[Column]] = collections.defaultdict(list)
        for col in columns:
            by_field[col.field].append(col)
        header_row_no = numbers[header_at]
        if "title" not in by_field:
            raise ImportFailed.single(
                f"{filename}, Zeile {header_row_no}: keine Spalte für den Titel des Vorhabens "
                "erkannt („Arbeitstitel“, „Vorhaben“ oder „Maßnahme“).",
                row=header_row_no,
            )
        no_copy = {c.index for c in columns if c.field in ("title", "number")}
        title_index = by_field["title"][0].index
        body = [(r, c, c0) for (r, c), (_r0, c0) in copies.items() if r >= header_at + span]
        for r, c, c0 in body:
            source = sheet.rows[r]
            own_title = title_index < len(source) and source[title_index].strip()
            # Only down a column, only into rows that start a Vorhaben of their own.
            if c in no_copy or c != c0 or not own_title:
                rows[r][c] = ""
        skip_cols = {c.index for c in columns if c.field in ("ignore", "needs_review")}
        sheet_af: tuple[str, str, str] | None = None
        if not by_field.get("action_field") and self.named:
            sheet_af = parse_action_field(sheet.name.strip())
        # Rows above the header: the plan's title block (first table) or the sheet's own.
        for ri in range(header_at):
            for ci, cell in enumerate(sheet.rows[ri]):
                if not cell.strip():
                    continue
                where = self.where(sheet, numbers[ri], ci)
                if first:
                    self.intro_text(cell, where)
                elif fold(cell) in {fold(t) for t in self.intro}:
                    self.account(cell, "furniture", where, "wiederholter Titel")
                elif (
                    sheet_af is not None and parse_action_field(cell.strip())[0] and not sheet_af[0]
                ):
                    sheet_af = parse_action_field(" ".join(cell.split()))
                    self.account(cell, "placed")
                else:
                    self.unrecognised(cell, where, "Text über der Tabelle")
        # Header cells are the plan's column names; a later sheet repeating them is furniture.
        known = {(c["header"], c["field"]) for c in self.plan["columns"]}
        repeated = not first and all(
            (c.header, c.field) in known for c in columns if c.field not in ("ignore", "extra")
        )
        for ri in range(header_at, header_at + span):
            cells = [c for ci, c in enumerate(sheet.rows[ri]) if c.strip() and ci not in skip_cols]
            if repeated and cells:
                self.account(
                    "\n".join(cells),
                    "furniture",
                    self.where(sheet, numbers[ri], None),
                    "wiederholter Tabellenkopf",
                )
                self.pieces[-1]["text"] = " | ".join(cell_text(c, " ") for c in cells)
                continue
            for cell in cells:
                self.account(cell, "placed")
        if sheet_af is not None and not any(
            c["field"] == "action_field" for c in self.plan["columns"]
        ):
            # The sheets name the Aktionsfelder; an export writes them into this column.
            self.plan["columns"].insert(
                0, {"header": DEFAULT_HEADERS["action_field"], "field": "action_field"}
            )
        for col in columns:
            if col.field not in ("ignore", "needs_review") and (col.header, col.field) not in known:
                self.plan["columns"].append({"header": col.header, "field": col.field})
                known.add((col.header, col.field))
        if by_field.get("resolutions"):
            self.resolution_headers.append(by_field["resolutions"][0].header)
        for ci in sheet.hidden_columns:
            if any(ci < len(r) and r[ci].strip() for r in sheet.rows):
                self.warnings.append(
                    f"{self.where(sheet, None, ci)}: die Spalte ist in der Datei ausgeblendet; "
                    "ihr Inhalt wurde trotzdem übernommen."
                )
        if sheet.hidden:
            self.warnings.append(
                f"Blatt „{sheet.name}“ ist in der Datei ausgeblendet; es wurde trotzdem gelesen."
            )
        # Codes named anywhere in the table are reserved: a generated code never merges fields.
        af_cols = by_field.get("action_field", [])
        if af_cols:
            af_index = af_cols[0].index
            for row in rows[header_at + span :]:
                if af_index < len(row) and row[af_index].strip():
                    self.reserved.add(
                        parse_action_field(cell_text(unformula(row[af_index]), " "))[1]
                    )
        current_field: dict[str, Any] | None = None
        if sheet_af is not None:
            current_field = self.field_for(*sheet_af)
        current: dict[str, Any] | None = None
        title_col = by_field["title"][0]

        def get(row: list[str], col: Column) -> str:
            return (row[col.index] if col.index < len(row) else "") or ""

        notes = False
        for ri in range(header_at + span, len(rows)):
            row = [unformula(c or "") for c in rows[ri]]
            row_no = numbers[ri]
            if notes:
                # Under the notes heading: every cell is text kept outside the structure.
                for ci, cell in enumerate(unformula(c or "") for c in sheet.rows[ri]):
                    if cell.strip():
                        self.unrecognised(
                            cell, self.where(sheet, row_no, ci), f"Abschnitt „{NOTES_HEADING}“"
                        )
                continue
            own = [
                (ci, c)
                for ci, c in enumerate(row)
                if c.strip() and (ri, ci) not in copies and ci not in skip_cols
            ]
            if not own:
                continue
            if len(own) == 1 and fold(own[0][1]) == fold(NOTES_HEADING):
                # A table format without sheets (CSV) carries the plan's text outside the
                # structure under this heading below the table (written by the export).
                self.account(own[0][1], "placed")
                notes = True
                continue
            furniture = self.furniture_row(own, title_col.index)
            if furniture:
                for ci, cell in own:
                    self.account(cell, "furniture", self.where(sheet, row_no, ci), furniture)
                continue
            status = self.row(row, row_no, columns, by_field, get, current_field, current)
            if status is None:
                for _ci, cell in own:
                    self.account(cell, "placed")
                continue
            kind, current_field, current = status
            if kind == "unrecognised":
                text = " | ".join(cell_text(c, " ") for _ci, c in own)
                self.account(
                    "\n".join(c for _ci, c in own),
                    "unrecognised",
                    self.where(sheet, row_no, None),
                    "Zeile ohne Vorhaben",
                )
                self.pieces[-1]["text"] = text
                self.plan["unrecognised"].append(text)
            else:
                for _ci, cell in own:
                    self.account(cell, "placed")

    @staticmethod
    def furniture_row(own: list[tuple[int, str]], title_index: int) -> str:
        """Why a row is furniture ("Summenzeile", "Fußnote"), or "" when it is content."""
        texts = [c for _ci, c in own]
        if any(TOTALS_RE.match(t) for t in texts) and all(
            TOTALS_RE.match(t) or AMOUNT_RE.match(t) for t in texts
        ):
            return "Summenzeile"
        if len(own) == 1:
            ci, text = own[0]
            if FOOTNOTE_RE.match(text) or (ci != title_index and NUMBERED_NOTE_RE.match(text)):
                return "Fußnote"
        return ""

    def row(self, row, row_no, columns, by_field, get, current_field, current):
        """One body row into the plan. None: nothing to place (handled as placed);
        else (kind, current field, current Vorhaben) with kind "placed" or "unrecognised"."""
        filename = self.filename
        af_cols = by_field.get("action_field", [])
        af_raw = cell_text(get(row, af_cols[0]), " ") if af_cols else ""
        if af_raw:
            label, code, af_title = parse_action_field(af_raw)
            if len(code) > 20 or len(af_title) > 300:
                self.problems.append(
                    ImportProblem(
                        f"{filename}, Zeile {row_no}, Spalte „{af_cols[0].header}“: "
                        "Aktionsfeld ist zu lang (höchstens 300 Zeichen).",
                        row_no,
                        af_cols[0].header,
                    )
                )
                return None
            current_field = self.field_for(label, code, af_title)
        title_col = by_field["title"][0]
        title_text = cell_text(get(row, title_col), " ")
        rest = [
            c
            for c in columns
            if c.field not in ("action_field", "title", "ignore", "needs_review")
            and get(row, c).strip()
        ]
        extra_cells = [i for i in range(len(columns), len(row)) if row[i].strip()]
        if title_text:
            if current_field is None:
                current_field = self.field_for("", "", "")
            self.running += 1
            number = ""
            if by_field.get("number"):
                number = cell_text(get(row, by_field["number"][0]), " ")
            number = number or str(self.running)
            if len(title_text) > 500 or len(number) > 20:
                self.problems.append(
                    ImportProblem(
                        f"{filename}, Zeile {row_no}, Spalte „{title_col.header}“: Titel "
                        "(höchstens 500 Zeichen) oder Nummer (höchstens 20) ist zu lang.",
                        row_no,
                        title_col.header,
                    )
                )
                return None
            if number in self.numbers_seen:
                self.warnings.append(
                    f"Zeile {row_no}: Nummer „{number}“ kommt mehrfach vor; Vorhaben "
                    "werden dann über den Titel zugeordnet."
                )
            current = new_initiative(number, title_text)
            current_field["initiatives"].append(current)
            self.numbers_seen.add(number)
        elif rest or extra_cells:
            if current is None:
                self.warnings.append(
                    f"Zeile {row_no}: Zeile ohne Vorhaben; Inhalt unter „nicht zugeordnet“ "
                    "abgelegt."
                )
                return "unrecognised", current_field, current
            self.warnings.append(
                f"Zeile {row_no}: ohne Arbeitstitel, als Fortsetzung von Vorhaben "
                f"{current['number']} gelesen."
            )
        else:
            return "placed", current_field, current
        fill(current, row, row_no, columns, extra_cells, self.warnings, self.problems, filename)
        return "placed", current_field, current

    # --- the plan as a whole ------------------------------------------------------------

    def split_by_column_evidence(self) -> None:
        """Where list markup was lost, an item that another cell of the same column lists on
        its own ("Weniger Abstimmungsschleifen") is cut out of a run-together item ("mehr
        Projekte werden umgesetzt weniger Abstimmungsschleifen schnellere Planungszeiten")."""
        inits = [i for f in self.plan["action_fields"] for i in f["initiatives"]]
        for key in ("ideas", "milestones", "indicators"):
            known = {
                item.casefold() for i in inits for item in i[key] if 2 <= len(item.split()) <= 8
            }
            by_first: dict[str, set[str]] = collections.defaultdict(set)
            for k in known:
                by_first[k.split()[0]].add(k)
            for i in inits:
                if key not in i["needs_review"]:
                    continue
                split: list[str] = []
                levels: list[int] = []
                old_levels = i["idea_levels"] if key == "ideas" else [0] * len(i[key])
                for item, level in zip(i[key], old_levels, strict=True):
                    # Only known items that share a word with this one can occur in it: a
                    # linear look-up instead of every known item (large plans).
                    near = {
                        k for t in set(item.casefold().split()) for k in by_first.get(t, ())
                    } - {item.casefold()}
                    pieces = _cut_known(item, near) if near else [item]
                    split.extend(pieces)
                    levels.extend([level] * len(pieces))
                i[key] = split
                if key == "ideas":
                    i["idea_levels"] = levels

    def plan_level_resolutions(self) -> None:
        """Vorsätze for the whole plan belong to the plan, not to Vorhaben 1: those the same
        in every row, and those of a cross-project column ("Projektübergreifende Vorsätze")
        filled in one row only. (A plain "Vorsätze" column filled once stays with its row.)"""
        inits = [i for f in self.plan["action_fields"] for i in f["initiatives"]]
        having = [i for i in inits if i["resolutions"]]
        if not having:
            return
        across = any("uebergreifend" in fold(h) for h in self.resolution_headers)
        once = len(inits) >= 2 and len(having) == 1
        same = len(inits) >= 2 and all(i["resolutions"] == inits[0]["resolutions"] for i in inits)
        if not (across and (once or same or len(inits) == 1)) and not same:
            return
        self.plan["resolutions"] = list(having[0]["resolutions"])
        for i in inits:
            i["resolutions"] = []
            i["needs_review"] = [k for k in i["needs_review"] if k != "resolutions"]
        self.warnings.append(
            f"{len(self.plan['resolutions'])} Vorsätze gelten für den ganzen Plan (sie stehen "
            "nur einmal in der Tabelle) und wurden dem Plan zugeordnet."
        )


def _cut_known(item: str, known: set[str]) -> list[str]:
    folded = item.casefold()
    for k in sorted(known, key=len, reverse=True):
        at = folded.find(k)
        end = at + len(k)
        if at < 0 or (at > 0 and folded[at - 1] != " ") or (end < len(item) and item[end] != " "):
            continue
        parts = [item[:at].strip(), item[at:end], item[end:].strip()]
        if parts[0] or parts[2]:
            out: list[str] = []
            for n, part in enumerate(parts):
                if part:
                    out.extend([part] if n == 1 else _cut_known(part, known))
            return out
    return [item]


def build_plan(
    rows: list[list[str]],
    row_numbers: list[int],
    *,
    filename: str,
    preamble: list[str] | None = None,
    headings: list[str] | None = None,
    mapping: dict[str, str] | None = None,
    sheets: list[Sheet] | None = None,
    after: list[str] | None = None,
) -> Parsed:
    """Turn extracted rows (or every sheet of a workbook) into the plan structure.

    Raises ImportFailed on unusable tables. Every non-empty cell of every sheet ends up in
    the books (`Parsed.ledger`): placed, not assigned, or furniture.
    """
    mapping = mapping or {}
    if not sheets:
        sheets = [Sheet("", rows, row_numbers)]
    # Control characters (NUL above all) are refused by some databases and mean nothing here.
    sheets = [
        Sheet(
            s.name,
            [[CONTROL_RE.sub("", c or "") for c in row] for row in s.rows],
            list(s.row_numbers),
            list(s.merges),
            list(s.hidden_columns),
            s.hidden,
        )
        for s in sheets
    ]
    builder = _Builder(filename, mapping, len(sheets))
    for text in preamble or []:
        text = CONTROL_RE.sub("", text)
        if text.strip():
            builder.intro_text(text, "vor der Tabelle")
    headings = [CONTROL_RE.sub("", h) for h in headings or []]
    located = []
    for sheet in sheets:
        expanded, _copies = _expand(sheet)
        located.append(locate_header(expanded, mapping))
    tables = [n for n, (at, _span, _header) in enumerate(located) if at is not None]
    if not tables:
        raise ImportFailed.single(
            f"{filename}: keine Tabellenkopfzeile mit bekannten Spalten gefunden "
            "(z. B. „Aktionsfeld“, „Arbeitstitel des Vorhabens“, „Meilensteine“). "
            "Eine Zuordnungsdatei (--mapping) kann eigene Spaltennamen zuordnen."
        )
    for n, sheet in enumerate(sheets):
        at, span, header = located[n]
        if at is not None:
            builder.table(sheet, at, span, header, first=n == tables[0])
        elif n < tables[0]:
            builder.cover(sheet)
        else:
            builder.stray(sheet)
    for text in after or []:
        # Documents: text after the plan's table, and other tables (DOCX, HTML).
        builder.unrecognised(CONTROL_RE.sub("", text), "nach der Tabelle", "außerhalb der Tabelle")
    if builder.problems:
        raise ImportFailed(builder.problems)
    plan = builder.plan
    if not any(f["initiatives"] for f in plan["action_fields"]):
        title_header = next(c["header"] for c in plan["columns"] if c["field"] == "title")
        raise ImportFailed.single(
            f"{filename}: die Tabelle enthält keine Vorhaben (Spalte „{title_header}“ "
            "ist in allen Zeilen leer).",
            column=title_header,
        )
    builder.split_by_column_evidence()
    builder.plan_level_resolutions()
    title, description, missing = title_and_description(builder.intro, headings)
    plan["title"], plan["description"] = title, description
    warnings = builder.warnings
    if missing:
        warnings.insert(
            0,
            "Die Datei nennt keinen Titel für den Aktionsplan; bitte geben Sie ihn an.",
        )
    return Parsed(
        plan=plan,
        warnings=warnings,
        source_words=builder.source_words,
        furniture_words=builder.furniture_words,
        pieces=builder.pieces,
        ledger=builder.ledger,
        title_missing=missing,
    )


def fill(
    item: dict[str, Any],
    row: list[str],
    row_no: int,
    columns: list[Column],
    extra_cells: list[int],
    warnings: list[str],
    problems: list[ImportProblem],
    filename: str,
) -> None:
    for col in columns:
        raw = row[col.index] if col.index < len(row) else ""
        if not raw.strip() or col.field in ("action_field", "title", "number", "ignore"):
            continue
        if col.field in ("ideas", "milestones", "indicators", "resolutions"):
            items, levels, review = nested_items(raw)
            item[col.field].extend(items)
            if col.field == "ideas":
                item["idea_levels"].extend(levels)
            if review and len(items) > 0 and col.field not in item["needs_review"]:
                item["needs_review"].append(col.field)
                warnings.append(
                    f"Zeile {row_no}, Spalte „{col.header}“: die Listenauszeichnung fehlte; "
                    f"{len(items)} Einträge wurden vorgeschlagen – bitte prüfen."
                )
        elif col.field == "responsible":
            item["responsible"].extend(split_people(raw))
        elif col.field == "objective":
            text = cell_text(raw)
            item["objective"] = f"{item['objective']}\n{text}".strip()
        elif col.field == "period":
            text = cell_text(raw, " ")
            item["period"] = f"{item['period']} – {text}" if item["period"] else text
            if len(item["period"]) > 300:
                problems.append(
                    ImportProblem(
                        f"{filename}, Zeile {row_no}, Spalte „{col.header}“: Zeitraum ist zu "
                        "lang (höchstens 300 Zeichen).",
                        row_no,
                        col.header,
                    )
                )
        elif col.field == "transfer_cities":
            for written, name, ags, known in gazetteer.resolve_list_sourced(cell_text(raw)):
                if len(name) > 200:
                    problems.append(
                        ImportProblem(
                            f"{filename}, Zeile {row_no}, Spalte „{col.header}“: Ortsname ist zu "
                            "lang (höchstens 200 Zeichen).",
                            row_no,
                            col.header,
                        )
                    )
                    continue
                item["transfer_cities"].append({"name": name, "ags": ags})
                if not known:
                    warnings.append(
                        f"Zeile {row_no}, Spalte „{col.header}“: Ort „{name}“ nicht im "
                        "Gemeindeverzeichnis gefunden; als Text übernommen."
                    )
                elif gazetteer.key(written) != gazetteer.key(name):
                    warnings.append(
                        f"Zeile {row_no}, Spalte „{col.header}“: „{written}“ wurde als "
                        f"„{name}“ ({ags or 'ohne Gemeindeschlüssel'}) erkannt – bitte prüfen."
                    )
        elif col.field == "needs_review":
            for name in re.split(r"[,;\s]+", cell_text(raw, " ")):
                if name in REVIEWABLE and name not in item["needs_review"]:
                    item["needs_review"].append(name)
        else:
            text = cell_text(raw)
            old = item["extra"].get(col.header)
            item["extra"][col.header] = f"{old}\n{text}" if old else text
    for index in extra_cells:
        key = f"Spalte {index + 1}"
        text = cell_text(row[index])
        old = item["extra"].get(key)
        item["extra"][key] = f"{old}\n{text}" if old else text
