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
    return columns


def find_header(rows: list[list[str]], mapping: dict[str, str], limit: int = 40) -> int | None:
    """Index of the row that looks most like the table's header row."""
    return rank_header(rows, mapping, limit)[0]


def rank_header(
    rows: list[list[str]], mapping: dict[str, str], limit: int = 40
) -> tuple[int | None, int]:
    """(index of the likeliest header row, how many known fields it names)."""
    best, best_count = None, 1
    for i, row in enumerate(rows[:limit]):
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
        if _bare(w2).endswith("ung") and len(bare1) > 3:
            return True
    return False


def propose_items(text: str) -> list[str]:
    """Split run-together list items at the most plausible item starts, keeping every word."""
    toks = text.split()
    if len(toks) < 2:
        return [text] if text else []
    items, current = [], [toks[0]]
    for i in range(1, len(toks)):
        w0 = toks[i - 2] if i >= 2 else None
        wm = toks[i - 3] if i >= 3 else None
        if _boundary(w0, toks[i - 1], toks[i], wm):
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
        clean = STRUCTURE_TAG_RE.sub("\n", clean)
        clean = FORMATTING_TAG_RE.sub("", clean)
        raw = html.unescape(clean) if clean != raw else clean
    lines = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return lines, lost


def cell_text(raw: str, sep: str = "\n") -> str:
    return sep.join(cell_lines(raw)[0])


def cell_items(raw: str) -> tuple[list[str], bool]:
    """List items of a cell and whether the boundaries are only proposed (review needed)."""
    lines, lost = cell_lines(raw)
    items: list[str] = []
    for line in lines:
        line = debullet(line)
        parts = []
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
    return [i for i in items if i], lost


def debullet(text: str) -> str:
    """Strip list bullets until none is left, so that re-reading an item is stable."""
    while BULLET_RE.match(text):
        text = BULLET_RE.sub("", text, count=1)
    return text.strip()


def split_people(raw: str) -> list[str]:
    out = []
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
class Parsed:
    plan: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    source_words: list[str] = field(default_factory=list)

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


def coverage(source_words: list[str], plan: dict[str, Any]) -> float:
    """Share of the source's words (with multiplicity) that the structure holds."""
    src = collections.Counter(w.lower() for w in source_words)
    have = collections.Counter(w.lower() for s in structure_strings(plan) for w in words(s))
    total = sum(src.values())
    if not total:
        return 1.0
    return round(sum(min(c, have[w]) for w, c in src.items()) / total, 4)


def new_initiative(number: str, title: str) -> dict[str, Any]:
    return {
        "number": number,
        "title": title,
        "objective": "",
        "ideas": [],
        "milestones": [],
        "indicators": [],
        "responsible": [],
        "period": "",
        "transfer_cities": [],
        "resolutions": [],
        "extra": {},
        "needs_review": [],
    }


HEADING_SKIP_RE = re.compile(r"©|^(foto|bild|quelle|abbildung)\b", re.I)


def title_and_description(
    preamble: list[str], headings: list[str], filename: str
) -> tuple[str, str, bool]:
    """(title, description, whether the title had to be made from the file name)."""
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
            and not cand_clean.endswith((".", ",", ";"))
        ):
            title = cand_clean
            if cand in paragraphs:
                paragraphs.remove(cand)
            break
    from_file = not title
    if from_file:
        stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename)
        stem = " ".join(re.sub(r"[_\-]+", " ", stem).split()) or "Import"
        title = stem if stem.lower().startswith("aktionsplan") else f"Aktionsplan {stem}"
    return title[:300], "\n\n".join(paragraphs), from_file


def build_plan(
    rows: list[list[str]],
    row_numbers: list[int],
    *,
    filename: str,
    preamble: list[str] | None = None,
    headings: list[str] | None = None,
    mapping: dict[str, str] | None = None,
) -> Parsed:
    """Turn extracted rows into the plan structure; raises ImportFailed on unusable tables."""
    mapping = mapping or {}
    # Control characters (NUL above all) are refused by some databases and mean nothing here.
    rows = [[CONTROL_RE.sub("", c or "") for c in row] for row in rows]
    preamble = [CONTROL_RE.sub("", p) for p in preamble or []]
    headings = [CONTROL_RE.sub("", h) for h in headings or []]
    header_at = find_header(rows, mapping)
    if header_at is None:
        raise ImportFailed.single(
            f"{filename}: keine Tabellenkopfzeile mit bekannten Spalten gefunden "
            "(z. B. „Aktionsfeld“, „Arbeitstitel des Vorhabens“, „Meilensteine“). "
            "Eine Zuordnungsdatei (--mapping) kann eigene Spaltennamen zuordnen."
        )
    # Rows above the header (spreadsheets) are the plan's introduction.
    for row in rows[:header_at]:
        text = "\n".join(c for c in row if c and c.strip())
        if text.strip():
            preamble.append(text)
    columns = map_columns(rows[header_at], mapping)
    by_field: dict[str, list[Column]] = collections.defaultdict(list)
    for col in columns:
        by_field[col.field].append(col)
    header_row_no = row_numbers[header_at]
    if "title" not in by_field:
        raise ImportFailed.single(
            f"{filename}, Zeile {header_row_no}: keine Spalte für den Titel des Vorhabens "
            "erkannt („Arbeitstitel“, „Vorhaben“ oder „Maßnahme“).",
            row=header_row_no,
        )

    title, description, title_from_file = title_and_description(preamble, headings or [], filename)
    source_words: list[str] = []
    for text in preamble:
        source_words.extend(words(text))
    for col in columns:
        if col.field not in ("ignore", "needs_review"):
            source_words.extend(words(col.header))

    plan: dict[str, Any] = {
        "title": title,
        "description": description,
        "columns": [
            {"header": c.header, "field": c.field}
            for c in columns
            # The review marker is bookkeeping, not part of the municipality's table.
            if c.field not in ("ignore", "needs_review")
        ],
        "action_fields": [],
        "unrecognised": [],
    }
    warnings: list[str] = []
    if title_from_file:
        warnings.append(
            f"Die Datei nennt keinen Titel über der Tabelle; der Titel „{title}“ wurde aus dem "
            "Dateinamen gebildet. Sie können ihn nach dem Import ändern."
        )
    problems: list[ImportProblem] = []
    fields_by_code: dict[str, dict[str, Any]] = {}
    # Codes named anywhere in the table are reserved, so a generated code never merges two fields.
    reserved = set()
    if by_field.get("action_field"):
        af_index = by_field["action_field"][0].index
        for row in rows[header_at + 1 :]:
            if af_index < len(row) and row[af_index].strip():
                reserved.add(parse_action_field(cell_text(unformula(row[af_index]), " "))[1])
    current_field: dict[str, Any] | None = None
    current: dict[str, Any] | None = None
    running = 0
    # Numbers seen so far: a set, so the duplicate check is one step per row, not a scan of
    # every Vorhaben before it (quadratic at thousands of rows).
    numbers_seen: set[str] = set()

    def get(row: list[str], col: Column) -> str:
        return (row[col.index] if col.index < len(row) else "") or ""

    def field_for(label: str, code: str, af_title: str) -> dict[str, Any]:
        if not code:
            for f in plan["action_fields"]:
                if f["title"] == af_title and af_title:
                    return f
            code = next_code(set(fields_by_code) | reserved)
        if code in fields_by_code:
            existing = fields_by_code[code]
            if af_title and not existing["title"]:
                existing["title"] = af_title
            return existing
        f = {"code": code, "label": label, "title": af_title, "initiatives": []}
        fields_by_code[code] = f
        plan["action_fields"].append(f)
        return f

    for row, row_no in zip(rows[header_at + 1 :], row_numbers[header_at + 1 :], strict=False):
        row = [unformula(c or "") for c in row]
        for col in columns:
            if col.field not in ("ignore", "needs_review"):
                source_words.extend(words(re.sub(r"<[^>]+>", " ", get(row, col))))
        # Cells beyond the header still count: they become extra fields, never dropped.
        for index in range(len(columns), len(row)):
            if row[index].strip():
                source_words.extend(words(re.sub(r"<[^>]+>", " ", row[index])))
        if not any(c.strip() for c in row):
            continue
        af_cols = by_field.get("action_field", [])
        af_raw = cell_text(get(row, af_cols[0]), " ") if af_cols else ""
        if af_raw:
            label, code, af_title = parse_action_field(af_raw)
            if len(code) > 20 or len(af_title) > 300:
                problems.append(
                    ImportProblem(
                        f"{filename}, Zeile {row_no}, Spalte „{af_cols[0].header}“: "
                        "Aktionsfeld ist zu lang (höchstens 300 Zeichen).",
                        row_no,
                        af_cols[0].header,
                    )
                )
                continue
            current_field = field_for(label, code, af_title)
        title_col = by_field["title"][0]
        title_text = cell_text(get(row, title_col), " ")
        rest = [
            c
            for c in columns
            if c.field not in ("action_field", "title", "ignore") and get(row, c).strip()
        ]
        extra_cells = [i for i in range(len(columns), len(row)) if row[i].strip()]
        if title_text:
            if current_field is None:
                current_field = field_for("", "", "")
            running += 1
            number = ""
            if by_field.get("number"):
                number = cell_text(get(row, by_field["number"][0]), " ")
            number = number or str(running)
            if len(title_text) > 500 or len(number) > 20:
                problems.append(
                    ImportProblem(
                        f"{filename}, Zeile {row_no}, Spalte „{title_col.header}“: Titel "
                        "(höchstens 500 Zeichen) oder Nummer (höchstens 20) ist zu lang.",
                        row_no,
                        title_col.header,
                    )
                )
                continue
            if number in numbers_seen:
                warnings.append(
                    f"Zeile {row_no}: Nummer „{number}“ kommt mehrfach vor; Vorhaben "
                    "werden dann über den Titel zugeordnet."
                )
            current = new_initiative(number, title_text)
            current_field["initiatives"].append(current)
            numbers_seen.add(number)
        elif rest or extra_cells:
            if current is None:
                text = " | ".join(get(row, c) for c in rest)
                text = " | ".join(
                    [cell_text(get(row, c), " ") for c in rest]
                    + [cell_text(row[i], " ") for i in extra_cells]
                )
                plan["unrecognised"].append(text)
                warnings.append(
                    f"Zeile {row_no}: Zeile ohne Vorhaben; Inhalt unter „nicht zugeordnet“ "
                    "abgelegt."
                )
                continue
            warnings.append(
                f"Zeile {row_no}: ohne Arbeitstitel, als Fortsetzung von Vorhaben "
                f"{current['number']} gelesen."
            )
        else:
            continue
        assert current is not None
        fill(current, row, row_no, columns, extra_cells, warnings, problems, filename)

    if problems:
        raise ImportFailed(problems)
    if not any(f["initiatives"] for f in plan["action_fields"]):
        title_header = by_field["title"][0].header
        raise ImportFailed.single(
            f"{filename}: die Tabelle enthält keine Vorhaben (Spalte „{title_header}“ "
            "ist in allen Zeilen leer).",
            column=title_header,
        )
    return Parsed(plan=plan, warnings=warnings, source_words=source_words)


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
            items, review = cell_items(raw)
            item[col.field].extend(items)
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
