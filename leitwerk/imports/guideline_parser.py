"""Pure parsing of guideline documents (Leitbild, Leitlinien, Grundsätze): bytes in, dataclasses.

No database access here. The rules are deliberately general — documents we never saw must work:
numbered areas ("1. Bürgernahe Verwaltung"), "Grundsatz N" with heading line and body, capital
headings ("GEMEINSAM LERNEN"), lead-ins ("Wichtige Anliegen sind uns:") with list items, and
two-column PDF extractions where the dimension headings end up after the statements. Every piece
of source text lands somewhere (title, preamble, section, statement, closing, unrecognised).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from .readers import FURNITURE_LABELS, ExtractedText, ReadError, extract_text, lead_label

__all__ = [
    "ParsedGuideline",
    "ParsedSection",
    "ParsedStatement",
    "ReadError",
    "normalise",
    "parse_guideline",
    "parse_text",
]


@dataclass
class ParsedStatement:
    kind: str  # wir | ich | grundsatz | anliegen | other
    text: str
    needs_review: bool = False
    review_note: str = ""
    level: int = 0  # 1: an item nested under the statement before it


@dataclass
class Piece:
    """Source text outside the structure: not recognised, or page furniture; with its place."""

    text: str
    where: str
    kind: str = ""  # furniture kind (see readers.FURNITURE_LABELS); "" when unrecognised

    @property
    def kind_label(self) -> str:
        return FURNITURE_LABELS.get(self.kind, "")


@dataclass
class ParsedSection:
    number: str
    title: str
    intro: str = ""
    statements: list[ParsedStatement] = field(default_factory=list)
    is_grundsatz: bool = False
    from_heading: bool = True
    label: str = ""  # the word before the number ("Grundsatz", "Kapitel"); kept, not shown


@dataclass
class ParsedGuideline:
    title: str
    kind: str  # leitbild | leitlinien | grundsaetze | other
    preamble: str
    closing: str
    sections: list[ParsedSection]
    unrecognised: list[str]
    warnings: list[str]
    source_text: str
    fmt: str
    title_found: bool
    title_number: str = ""
    # where each unrecognised text stands (same order as `unrecognised`)
    unrecognised_where: list[str] = field(default_factory=list)
    furniture: list[Piece] = field(default_factory=list)
    # words of the file: placed in the structure, unrecognised, furniture; they add up
    accounting: dict[str, int] = field(default_factory=dict)

    @property
    def statement_count(self) -> int:
        return sum(len(s.statements) for s in self.sections)


# --------------------------------------------------------------------------------------------
# normalisation and repair of extraction damage

_SOFT = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    # typeset PDFs break words with U+2010 or a soft hyphen at the line's end
    text = re.sub(r"[\u2010\u00ad](?=[ \t]*\n)", "-", text)
    text = text.translate(_SOFT).replace("\u00a0", " ").replace("\t", " ")
    text = "".join(ch for ch in text if ch == "\n" or ch >= " " or ch == "\t")
    # Markdown images and links keep their visible text only
    text = re.sub(r"!\[([^\]\n]*)\]\([^)\n]*\)", r"\1", text)
    text = re.sub(r"\[([^\]\n]+)\]\([^)\n]*\)", r"\1", text)
    # emphasis markers; a single "*" between letters is the gender star and stays
    # a bold lead-in of a paragraph ("**Offenheit** Wir …") is the statement's label
    text = re.sub(
        r"(?m)^(\s*(?:[-•]\s+)?)\*\*([^*\n]{1,80}?)\*\*[ \t]+(?=[A-ZÄÖÜ])",
        lambda m: m[1] + lead_label(m[2], f"{m[2]} …").removesuffix(" …") + " ",
        text,
    )
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])", r"\1", text)
    text = re.sub(r"(?m)^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$", "", text)
    # words hyphenated across lines (also across blank lines); "Kinder- und Jugend" stays
    text = re.sub(
        r"([A-Za-zÄÖÜäöüß])-[ \t]*\n(?:[ \t]*\n)*[ \t]*(?!(?:und|oder|bzw|sowie)\b)([a-zäöüß])",
        r"\1\2",
        text,
    )
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# line and unit classification

# bullets as typed, as Word/PDF symbol fonts deliver them (private use area) and "o" of Wingdings
_BULLETS = "-–—•·▪◦*+●■□➢►✓✔→➔\u2023\u2043\ue000-\uf8ff"
BULLET_RE = re.compile(rf"^(?:([{_BULLETS}])|(o))\s+(?P<rest>\S.*)$")
LONE_BULLET_RE = re.compile(rf"^[{_BULLETS}]$")
ORDERED_RE = re.compile(r"^(\d{1,2}|[a-z])[.)]\s+(?P<rest>\S.*)$")
NUMBERED_HEADING_RE = re.compile(
    r"^(?:(?P<word>Leitlinie|Handlungsfeld|Dimension|Bereich|Kapitel|Abschnitt|Teil)\s+)?"
    r"(?P<num>\d{1,2}(?:\.\d{1,2})+|\d{1,2})(?P<sep>\s*[:–—]\s*|\s+-\s+|[.)]\s*|\.?\s+)"
    r"(?P<rest>\S.*)$",
    re.I,
)
GRUNDSATZ_RE = re.compile(
    r"^(?:(Grundsatz|Leitsatz|Leitgedanke|These|Prinzip)\s+(?:Nr\.?\s*)?(\d{1,2}|[IVX]{1,5})\b"
    r"|(\d{1,2})[.)]?\s*(?:Grundsatz|Leitsatz|Leitgedanke|These|Prinzip)\b)\s*[:.)–—-]?\s*(.*)$",
    re.I,
)
PARAGRAPH_SIGN_RE = re.compile(r"^(?P<num>§§?\s?\d{1,3}[a-z]?)\.?\s+(?P<rest>\S.*)$")
# "(1) …" numbered paragraphs of a Satzung-like text, "1. …" lines; their label is not a word
PARA_ITEM_RE = re.compile(r"^\(\d{1,2}[a-z]?\)\s+\S")
LABEL_RE = re.compile(r"^(?:\(\d{1,2}[a-z]?\)|\d{1,2}[.)]|[a-z]\))\s+")
# a short lead-in label before the sentence: "Offenheit: Wir …", "Unser Versprechen: Wir …"
LEAD_LABEL_RE = re.compile(r"^[A-ZÄÖÜ][\w\-–]*(?:\s+[\w\-–]+){0,3}:\s+(?=\S)")
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
STARTER_RE = re.compile(r"(?:Wir|Ich|Uns|Unser\w*|Mein\w*)\b")
SPLIT_RE = re.compile(r"(?:(?<=[.!?])[ \t]+|[ \t]*\n[ \t]*)(?=(?:Wir|Ich|Uns|Unser\w*|Mein\w*)\b)")
LEADIN_RE = re.compile(
    r"(anliegen|wichtig|dazu wollen wir|dafür|deshalb|daher|wir verpflichten uns|wir wollen|"
    r"wir stehen für|uns ist|uns sind|das heißt für uns|das bedeutet)",
    re.I,
)
PREAMBLE_WORDS = {
    "präambel",
    "vorwort",
    "einleitung",
    "einführung",
    "vorbemerkung",
    "vorbemerkungen",
}
CLOSING_WORDS = {"schlusswort", "schlussbemerkung", "nachwort", "ausblick", "danksagung"}
TERMINAL = (".", "!", "?", ";", ",", ":", "–", "-", "…")


def words(s: str) -> list[str]:
    return re.findall(r"[0-9A-Za-zÄÖÜäöüß]+", s)


def is_caps_line(line: str) -> bool:
    s = line.strip()
    letters = [c for c in s if c.isalpha()]
    return (
        len(letters) >= 3
        and all(c.isupper() for c in letters)
        and len(s.split()) <= 10
        and not s.endswith((".", ",", ";"))
    )


def starts_lower(line: str) -> bool:
    s = line.strip()
    return bool(s) and s[0].islower()


def collapse(s: str) -> str:
    return " ".join(s.split())


def statement_kind(text: str) -> str:
    """Wir/Ich by the statement's own sentence: a "(1)" label or "Wert:" lead-in is skipped."""
    text = LABEL_RE.sub("", text.strip(), count=1)
    text = LEAD_LABEL_RE.sub("", text, count=1)
    first = (words(text) or [""])[0]
    if first in ("Wir", "Uns") or first.startswith("Unser"):
        return "wir"
    if first == "Ich" or first.startswith("Mein"):
        return "ich"
    return "other"


@dataclass
class Unit:
    type: str  # heading | list | prose | leadin
    lines: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    htype: str = ""  # md | grundsatz | numbered | caps | plain
    number: str = ""
    title: str = ""
    level: int = 0
    levels: dict[int, int] = field(default_factory=dict)  # entry index → nesting level

    def extend(self, other: Unit) -> None:
        """Another list's entries appended, with their nesting levels."""
        offset = len(self.entries)
        self.entries.extend(other.entries)
        self.levels.update({offset + i: lv for i, lv in other.levels.items()})

    @property
    def text(self) -> str:
        return collapse(" ".join(self.lines))

    def has_starter(self) -> bool:
        if self.type == "list":
            return True
        if self.type != "prose":
            return False
        return any(statement_kind(p) != "other" for p in split_statements(self.lines))


def split_statements(lines: list[str]) -> list[str]:
    """One piece per Wir/Ich sentence; a sentence not starting so stays with the one before."""
    joined = "\n".join(line.strip() for line in lines)
    return [collapse(p) for p in SPLIT_RE.split(joined) if collapse(p)]


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    # a block starting in lower case continues the previous one (a statement wrapped across a
    # blank line in PDF extraction), unless the previous one visibly ended
    merged: list[list[str]] = []
    for block in blocks:
        if merged and _continues(merged[-1], block):
            merged[-1].extend(block)
        else:
            merged.append(block)
    return merged


def _continues(prev: list[str], block: list[str]) -> bool:
    last, first = prev[-1].strip(), block[0].strip()
    if last.endswith((".", "!", "?", ":", ";")) or is_caps_line(last) or _is_heading_line(last):
        return False
    if starts_lower(first):
        return True
    # a capitalised noun can continue a statement too ("… Rückmeldungen zu / Zwischenergebnissen
    # ein."), but only after a statement line and never into a heading, bullet or new statement
    prev_is_statement = len(prev) > 1 or bool(
        STARTER_RE.match(prev[0].strip()) or BULLET_RE.match(prev[0].strip())
    )
    last_word = (words(last) or [""])[-1]
    return (
        prev_is_statement
        and last_word[:1].islower()
        and len(last.split()) >= 3
        and (
            bool(STARTER_RE.match(last))
            or len(prev) > 1
            and STARTER_RE.match(prev[0].strip()) is not None
        )
        and not STARTER_RE.match(first)
        and not BULLET_RE.match(first)
        and not is_caps_line(first)
        and not _is_heading_line(first)
        and len(first.split()) <= 8
    )


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    return bool(MD_HEADING_RE.match(s) or GRUNDSATZ_RE.match(s) or _numbered_heading(s))


def _numbered_heading(s: str, marked: bool = False) -> re.Match | None:
    """A numbered heading line; `marked`: the file marks the line as a heading (style, size),
    so a heading starting "Unser …" is one too."""
    sign = PARAGRAPH_SIGN_RE.match(s)
    if sign and len(sign.group("rest").split()) <= 12 and not sign.group("rest").endswith("."):
        return sign
    m = NUMBERED_HEADING_RE.match(s)
    if not m:
        return None
    rest = m.group("rest").strip()
    if not m.group("sep").strip() and "." not in m.group("num") and not m.group("word"):
        return None  # "12 Monate …" is a sentence, not a heading
    if (
        len(rest.split()) > 12
        or rest.endswith((".", ";", ","))
        or (STARTER_RE.match(rest) and not marked)
        or not rest[0].isupper()
    ):
        return None
    return m


def _units(text: str) -> list[Unit]:
    units: list[Unit] = []
    for n_block, block in enumerate(_blocks(text)):
        lines = [ln.strip() for ln in block]
        # the readers indent nested list items by two spaces per level
        indents = [min(3, (len(ln) - len(ln.lstrip(" "))) // 2) for ln in block]
        i = 0
        single = len(lines) == 1
        first = lines[0]
        if len(lines) > 1 and (
            first.lower().rstrip(":") in PREAMBLE_WORDS | CLOSING_WORDS
            or n_block == 0
            and len(first.split()) <= 10
            and first[0].isupper()
            and lines[1][:1].isupper()
            and not first.endswith(TERMINAL)
            and not STARTER_RE.match(first)
            and not _is_heading_line(first)
            and not BULLET_RE.match(first)
            and not is_caps_line(first)
        ):
            # a document title or "Präambel" written directly above its text
            units.append(Unit("heading", [first], htype="plain", title=first))
            i = 1
        while i < len(lines):
            line = lines[i]
            m = MD_HEADING_RE.match(line)
            if m:
                inner, level = m.group(2).strip(), len(m.group(1))
                lines[i] = inner
                numbered = _numbered_heading(inner, marked=True)
                if numbered and not GRUNDSATZ_RE.match(inner):
                    units.append(
                        Unit(
                            "heading",
                            [inner],
                            htype="numbered",
                            number=re.sub(r"^(§§?)\s?", r"\1 ", numbered.group("num")),
                            title=numbered.group("rest").strip(),
                            level=level,
                        )
                    )
                    i += 1
                    continue
                if not GRUNDSATZ_RE.match(inner):
                    units.append(Unit("heading", [inner], htype="md", title=inner, level=level))
                    i += 1
                    continue
                line = inner
            m = GRUNDSATZ_RE.match(line)
            if m:
                units.append(
                    Unit(
                        "heading",
                        [line],
                        htype="grundsatz",
                        number=m.group(2) or m.group(3),
                        title=m.group(4).strip(),
                    )
                )
                i += 1
                continue
            m = _numbered_heading(line)
            if m:
                units.append(
                    Unit(
                        "heading",
                        [line],
                        htype="numbered",
                        number=re.sub(r"^(§§?)\s?", r"\1 ", m.group("num")),
                        title=m.group("rest").strip(),
                    )
                )
                i += 1
                continue
            if is_caps_line(line) and not (i + 1 < len(lines) and starts_lower(lines[i + 1])):
                caps = [line]
                i += 1
                while (
                    i < len(lines)
                    and is_caps_line(lines[i])
                    and not (i + 1 < len(lines) and starts_lower(lines[i + 1]))
                ):
                    caps.append(lines[i])
                    i += 1
                units.append(Unit("heading", caps, htype="caps", title=collapse(" ".join(caps))))
                continue
            if _list_line(line):
                entries: list[str] = []
                levels: dict[int, int] = {}
                while i < len(lines) and not _is_heading_line(lines[i]):
                    cur = lines[i]
                    mb = BULLET_RE.match(cur) or _ordered_item(cur)
                    if LONE_BULLET_RE.match(cur):
                        entries.append("")
                    elif PARA_ITEM_RE.match(cur):
                        entries.append(cur)  # "(1) …" keeps its number
                    elif mb:
                        if indents[i]:
                            levels[len(entries)] = indents[i]
                        entries.append(mb.group("rest"))
                    elif entries:
                        entries[-1] = collapse(entries[-1] + " " + cur)
                    else:  # pragma: no cover - the first line is a bullet, so entries is set
                        entries.append(cur)
                    i += 1
                kept = [n for n, e in enumerate(entries) if e]
                units.append(
                    Unit(
                        "list",
                        entries=[entries[n] for n in kept],
                        levels={k: levels[n] for k, n in enumerate(kept) if n in levels},
                    )
                )
                continue
            prose: list[str] = []
            while i < len(lines):
                cur = lines[i]
                if prose and (
                    _is_heading_line(cur)
                    or BULLET_RE.match(cur)
                    or LONE_BULLET_RE.match(cur)
                    or PARA_ITEM_RE.match(cur)
                ):
                    break
                prose.append(cur)
                i += 1
            s = prose[0]
            if (
                (single or i < len(lines))
                and len(prose) == 1
                and len(s.split()) <= 8
                and len(s) <= 80
                and s[0].isupper()
                and not s.endswith(TERMINAL)
                and (not STARTER_RE.match(s) or len(s.split()) <= 3)
            ):
                units.append(Unit("heading", prose, htype="plain", title=s))
            else:
                units.append(Unit("prose", prose))
    # a list interrupted by blank lines is still one list
    out: list[Unit] = []
    for u in units:
        if out and u.type == "list" and out[-1].type == "list":
            out[-1].extend(u)
        else:
            out.append(u)
    return _mark_leadins(out)


def _list_line(line: str) -> bool:
    return bool(
        BULLET_RE.match(line)
        or LONE_BULLET_RE.match(line)
        or _ordered_item(line)
        or PARA_ITEM_RE.match(line)
    )


def _ordered_item(line: str) -> re.Match | None:
    m = ORDERED_RE.match(line)
    if m and not _numbered_heading(line):
        return m
    return None


def _short_lines(u: Unit) -> bool:
    return len(u.lines) >= 2 and all(len(ln) <= 70 and len(ln.split()) <= 10 for ln in u.lines)


# a line ending in one of these is a wrapped sentence, not a lead-in
_OPEN_ENDINGS = {
    "dass",
    "die",
    "der",
    "das",
    "und",
    "oder",
    "mit",
    "zu",
    "für",
    "in",
    "von",
    "den",
    "dem",
}


def _is_leadin_text(s: str) -> bool:
    s = s.strip()
    if len(s.split()) > 15:
        return False
    return (
        s.endswith((":", "…", "..."))
        or bool(LEADIN_RE.search(s))
        and not s.endswith((".", "!", "?"))
    )


def _mark_leadins(units: list[Unit]) -> list[Unit]:
    out: list[Unit] = []
    for idx, u in enumerate(units):
        nxt = units[idx + 1] if idx + 1 < len(units) else None
        if u.type == "prose":
            # "Wichtige Anliegen sind uns: A; B; C." — lead-in and items in one sentence
            head, colon, rest = u.text.partition(":")
            if colon and rest.strip() and len(head.split()) <= 8 and LEADIN_RE.search(head):
                items = [collapse(x) for x in re.split(r";|(?<=[.!?])\s+(?=[A-ZÄÖÜ])", rest)]
                out.append(Unit("leadin", [head + ":"], title=head + ":"))
                out.append(Unit("list", entries=[x for x in items if x]))
                continue
        if u.type in ("heading", "prose") and u.htype != "numbered" and u.htype != "grundsatz":
            lines = u.lines
            # a lead-in followed by its items in the same block
            if (
                u.type == "prose"
                and len(lines) >= 2
                and _is_leadin_text(lines[0])
                and (
                    lines[0].endswith((":", "…", "..."))
                    or len(lines) >= 3
                    and (words(lines[0]) or [""])[-1].lower() not in _OPEN_ENDINGS
                )
            ):
                after = Unit("prose", lines[1:])
                if (
                    _short_lines(after)
                    or len(after.lines) >= 1
                    and all(len(x.split()) <= 12 for x in after.lines)
                ):
                    out.append(Unit("leadin", [lines[0]], title=lines[0]))
                    out.append(Unit("list", entries=_line_entries(after.lines)))
                    continue
            if (
                nxt is not None
                and (nxt.type == "list" or nxt.type == "prose" and _short_lines(nxt))
                and len(lines) == 1
                and _is_leadin_text(lines[0])
            ):
                out.append(Unit("leadin", lines, title=lines[0]))
                continue
            if (
                u.type == "prose"
                and nxt is not None
                and nxt.type == "list"
                and lines[-1].endswith(":")
                and len(lines) > 1
            ):
                # the last sentence of a paragraph introduces the list
                out.append(Unit("prose", lines[:-1]))
                out.append(Unit("leadin", [lines[-1]], title=lines[-1]))
                continue
        out.append(u)
    # short lines right after a lead-in are its items
    final: list[Unit] = []
    for u in out:
        if final and final[-1].type == "leadin" and u.type == "prose" and _short_lines(u):
            final.append(Unit("list", entries=_line_entries(u.lines)))
        else:
            final.append(u)
    merged: list[Unit] = []
    for u in final:
        if merged and u.type == "list" and merged[-1].type == "list":
            merged[-1].extend(u)
        else:
            merged.append(u)
    return merged


def _item_kind(entry: str, leadin: bool) -> str:
    """An item's own full "Wir …"/"Ich …" sentence decides; fragments completing a lead-in
    ("Wichtige Anliegen sind uns: …") are Anliegen."""
    kind = statement_kind(entry)
    if not leadin:
        return kind
    sentence = LEAD_LABEL_RE.sub("", LABEL_RE.sub("", entry.strip(), count=1), count=1)
    full = re.match(r"(?:Wir|Ich)\s+\S+.*[.!?]$", sentence) is not None
    return kind if full else "anliegen"


def _line_entries(lines: list[str]) -> list[str]:
    entries: list[str] = []
    for ln in lines:
        mb = BULLET_RE.match(ln) or _ordered_item(ln)
        ln = mb.group("rest") if mb else ln
        if (
            entries
            and starts_lower(ln)
            and not entries[-1].endswith((".", "!", "?", ";"))
            and (entries[-1].endswith((",", "-", "–")) or len(ln.split()) <= 2)
        ):
            entries[-1] = collapse(entries[-1] + " " + ln)
        else:
            entries.append(collapse(ln))
    return [e for e in entries if e]


def _signature_like(u: Unit) -> bool:
    if u.type not in ("prose", "heading") or u.htype in ("numbered", "grundsatz"):
        return False
    return (
        all(
            len(ln.split()) <= 6
            and not ln.rstrip().endswith(("!", "?", ":", ";"))
            # a full stop ends a sentence, unless it belongs to an abbreviation ("Dr.", "gez.")
            and (not ln.rstrip().endswith(".") or re.search(r"(?:^|\s)\w{1,4}\.$", ln.rstrip()))
            and not STARTER_RE.match(ln)
            for ln in u.lines
        )
        and len(u.lines) <= 5
    )


# --------------------------------------------------------------------------------------------
# assembly


def parse_guideline(data: bytes, filename: str) -> ParsedGuideline:
    extracted = extract_text(data, filename)
    return parse_text(extracted)


def parse_text(extracted: ExtractedText | str) -> ParsedGuideline:
    if isinstance(extracted, str):
        extracted = ExtractedText(extracted, "text")
    text = normalise(extracted.text)
    units = _units(text)
    # a title on top does not count: two-column layouts may still have it there
    start = 1 if units and units[0].type == "heading" and units[0].htype != "numbered" else 0
    first_heading = next(
        (
            i
            for i, u in enumerate(units)
            if i >= start
            and u.type == "heading"
            and u.htype in ("caps", "numbered", "grundsatz", "plain")
            and u.title.lower().rstrip(":") not in PREAMBLE_WORDS
        ),
        None,
    )
    if first_heading is not None:
        before = sum(
            len(split_statements(u.lines)) for u in units[:first_heading] if u.has_starter()
        )
        after = sum(
            len(split_statements(u.lines)) if u.type == "prose" else len(u.entries)
            for u in units[first_heading:]
            if u.has_starter()
        )
        dims = [
            u for u in units[first_heading:] if u.type == "heading" and u.htype in ("caps", "plain")
        ]
        if before >= 4 and after * 3 <= before and dims:
            result = _collected(units, first_heading, text, extracted)
            if result is not None:
                return result
    return _sequential(units, text, extracted)


def _finish(
    *,
    title,
    title_number,
    title_found,
    preamble,
    closing,
    sections,
    unrecognised,
    warnings,
    text,
    extracted,
) -> ParsedGuideline:
    sections = [s for s in sections if s.statements or s.intro or s.title or s.number]
    if re.search(r"grundsatz|grundsätze", title, re.I):
        _numbered_grundsaetze(sections)
    if any(s.is_grundsatz for s in sections):
        kind = "grundsaetze"
    elif "leitbild" in title.lower():
        kind = "leitbild"
    elif "leitlinie" in title.lower() or any(
        st.kind == "ich" for s in sections for st in s.statements
    ):
        kind = "leitlinien"
    else:
        kind = "leitbild"
    if not title:
        title = {"grundsaetze": "Grundsätze", "leitlinien": "Leitlinien"}.get(kind, "Leitbild")
        warnings.append(f"Kein Titel erkannt; der Titel „{title}“ wurde gesetzt.")
    review = sum(1 for s in sections for st in s.statements if st.needs_review)
    if review:
        warnings.append(f"{review} Zuordnungen sind unsicher und als „prüfen“ markiert.")
    parsed = ParsedGuideline(
        title=title[:300],
        kind=kind,
        preamble="\n\n".join(p for p in preamble if p),
        closing="\n\n".join(p for p in closing if p),
        sections=sections,
        unrecognised=unrecognised,
        warnings=warnings,
        source_text=text,
        fmt=extracted.fmt,
        title_found=title_found,
        title_number=title_number if title_found else "",
        furniture=[Piece(f.text, f.where, f.kind) for f in extracted.furniture],
    )
    account(parsed, extracted)
    if parsed.unrecognised:
        warnings.append(
            f"{len(parsed.unrecognised)} Textteile konnten keinem Abschnitt zugeordnet werden."
        )
    if parsed.furniture:
        warnings.append(
            f"{len(parsed.furniture)} Textteile sind Seitenelemente (Kopf- und Fußzeilen, "
            "Seitenzahlen, Navigation) und werden nicht übernommen."
        )
    return parsed


# --------------------------------------------------------------------------------------------
# accounting: every word of the file is placed, unrecognised or furniture


def placed_texts(parsed: ParsedGuideline) -> list[str]:
    """The texts of the structure that a re-import stores (title only when the file had one)."""
    texts = [parsed.title_number, parsed.preamble, parsed.closing]
    if parsed.title_found:
        texts.append(parsed.title)
    for s in parsed.sections:
        texts += [s.label, s.number, s.title, s.intro, *(st.text for st in s.statements)]
    return texts


def _word_counts(texts) -> Counter[str]:
    return Counter(w.lower() for t in texts for w in words(t))


def account(parsed: ParsedGuideline, extracted: ExtractedText) -> None:
    """Lists every line whose words the structure does not hold as unrecognised, with its
    place in the file, and counts the file's words: placed + unrecognised + furniture.

    The structure's words are matched to the source's lines whole paragraphs first, then whole
    lines, longest first (the most specific text), and only then word by word, so a word the
    structure holds once is not taken by a short heading when the long sentence needs it.
    """
    pool = _word_counts(placed_texts(parsed))
    given = len(parsed.unrecognised)
    for t in parsed.unrecognised:
        pool.update(w.lower() for w in words(t))
    raw = _raw_lines(extracted)
    parsed.unrecognised_where = [_locate(t, extracted, raw=raw) for t in parsed.unrecognised]
    lines = parsed.source_text.split("\n")
    line_words = [[w.lower() for w in words(line)] for line in lines]
    pending = {n for n, ws in enumerate(line_words) if ws}

    def take(numbers: list[int]) -> None:
        need = Counter(w for n in numbers for w in line_words[n])
        if all(pool[w] >= c for w, c in need.items()):
            pool.subtract(need)
            pending.difference_update(numbers)

    paragraphs: list[list[int]] = [[]]
    for n, ws in enumerate(line_words):
        if ws:
            paragraphs[-1].append(n)
        elif paragraphs[-1]:
            paragraphs.append([])
    for para in sorted(paragraphs, key=lambda p: -sum(len(line_words[n]) for n in p)):
        take(para)
    for n in sorted(pending, key=lambda n: -len(line_words[n])):
        take([n])
    lost: list[tuple[int, str]] = []  # (line, text); whole lost lines of a paragraph joined
    lost_words = 0
    for n in sorted(pending):
        ws = words(lines[n])
        missing = []
        for w in ws:
            if pool[w.lower()] > 0:
                pool[w.lower()] -= 1
            else:
                missing.append(w)
        lost_words += len(missing)
        if not missing:  # pragma: no cover - a line whose words are all there was taken above
            continue
        line = collapse(MD_HEADING_RE.sub(r"\2", lines[n].strip()))
        whole = len(missing) == len(ws)
        if whole and lost and lost[-1][0] == n - 1 and not lost[-1][1].startswith("…"):
            lost[-1] = (n, collapse(lost[-1][1] + " " + line))
            continue
        lost.append((n, line if whole else "… " + " ".join(missing)))
    for n, text in lost:
        parsed.unrecognised.append(text)
        parsed.unrecognised_where.append(_locate(text.lstrip("… "), extracted, n, raw=raw))
    source = sum(len(ws) for ws in line_words)
    unrecognised = sum(len(words(t)) for t in parsed.unrecognised[:given]) + lost_words
    furniture = sum(len(words(f.text)) for f in parsed.furniture)
    parsed.accounting = {
        "source": source + furniture,
        "placed": source - unrecognised,
        "unrecognised": unrecognised,
        "furniture": furniture,
    }


def _raw_lines(extracted: ExtractedText) -> list[str]:
    """The reader's lines as lower-case words, for finding where a text stands."""
    return [" ".join(words(line)).lower() for line in extracted.text.split("\n")]


def _locate(
    text: str, extracted: ExtractedText, line_no: int = 0, raw: list[str] | None = None
) -> str:
    """Where a text stands in the file: the reader's location of the line it starts on,
    looked for from about where it stands in the repaired text on."""
    head = " ".join(words(text)[:4]).lower()
    raw = raw if raw is not None else _raw_lines(extracted)
    order = [*range(min(line_no, len(raw)), len(raw)), *range(min(line_no, len(raw)))]
    for n in order:
        if head and head in raw[n]:
            if n < len(extracted.where) and extracted.where[n]:
                return extracted.where[n]
            return f"Zeile {n + 1}"
    return f"Zeile {line_no + 1}"


def _numbered_grundsaetze(sections: list[ParsedSection]) -> None:
    """In a document of Grundsätze, a numbered section's own text is its Grundsatz."""
    for s in sections:
        if not s.number or s.is_grundsatz:
            continue
        if not s.statements and s.intro:
            s.statements, s.intro = [ParsedStatement("grundsatz", s.intro)], ""
        elif s.statements and all(st.kind == "other" for st in s.statements):
            for st in s.statements:
                st.kind = "grundsatz"
        else:
            continue
        s.is_grundsatz = True


def _heading_label(u: Unit) -> str:
    """ "Grundsatz" of "Grundsatz 3: Offenheit", "Kapitel" of "Kapitel 2 Ziele"."""
    if u.htype not in ("numbered", "grundsatz"):
        return ""
    line = collapse(u.lines[0])
    prefix = line[: len(line) - len(u.title)] if u.title and line.endswith(u.title) else line
    return collapse(re.sub(r"[\d§.:)–—-]+", " ", prefix))


def _lone_leading_heading(units: list[Unit]) -> bool:
    """A numbered heading first ("1.3. Leitbild der …") with no other heading of its depth
    names the document."""
    if not units or units[0].type != "heading" or units[0].htype != "numbered":
        return False
    depth = units[0].number.count(".")
    return not any(
        u.type == "heading" and u.htype == "numbered" and u.number.count(".") == depth
        for u in units[1:]
    )


def _para(u: Unit) -> str:
    if u.type == "list":
        return "\n".join("- " + e for e in u.entries)
    return collapse(" ".join(u.lines))


def _sequential(units: list[Unit], text: str, extracted: ExtractedText) -> ParsedGuideline:
    title, title_found = "", False
    preamble: list[str] = []
    closing: list[str] = []
    unrecognised: list[str] = []
    warnings: list[str] = []
    sections: list[ParsedSection] = []
    current: ParsedSection | None = None
    leadin = False
    in_closing = False
    body: list[str] = []  # of the current Grundsatz
    gs_title_pending = False

    def close_grundsatz() -> None:
        nonlocal body
        if current is not None and current.is_grundsatz:
            # The title stands in only for a Grundsatz without any text: closing it a second
            # time (at the Schlusswort heading, then at the end) must not add it again.
            content = "\n".join(body).strip() or ("" if current.statements else current.title)
            if not current.title and len(body) == 1 and len(content.split()) <= 12:
                current.title = content.rstrip(".")
            if content:
                current.statements.append(ParsedStatement("grundsatz", content))
        body = []

    # suffix flags, so that asking "does anything follow?" stays linear on long documents
    content_after = [False] * (len(units) + 1)
    heading_after = [False] * (len(units) + 1)
    for i in range(len(units) - 1, -1, -1):
        u = units[i]
        content_after[i] = content_after[i + 1] or (
            u.type in ("list", "leadin")
            or u.type == "prose"
            and u.has_starter()
            or u.type == "heading"
            and u.htype in ("numbered", "grundsatz")
        )
        heading_after[i] = heading_after[i + 1] or (
            u.type == "heading"
            and u.htype in ("numbered", "grundsatz", "caps", "plain", "md")
            or u.type == "leadin"
        )

    def statement_units_after(idx: int) -> bool:
        return content_after[idx + 1]

    # the trailing signature (name, office) after the last statement is the closing
    last_content = max(
        (i for i, u in enumerate(units)
         if u.type in ("list", "leadin") or u.type == "prose" and not _signature_like(u)
         or u.type == "heading" and u.htype in ("numbered", "grundsatz")),
        default=-1,
    )  # fmt: skip
    hint = collapse(extracted.title_hint)
    title_number = ""
    lone_lead = _lone_leading_heading(units)
    for idx, u in enumerate(units):
        if not title and hint and u.type in ("prose", "heading") and u.text == hint:
            # the reader knows the title (Word's title style), even if it reads like a sentence
            title, title_found = hint, True
            continue
        grundsatz_waits = current is not None and current.is_grundsatz and not body
        if (
            idx > last_content
            and _signature_like(u)
            and (sections or preamble)
            and not grundsatz_waits
        ):
            closing.append("\n".join(u.lines))
            continue
        if u.type == "heading":
            low = u.title.lower().rstrip(":")
            if low in PREAMBLE_WORDS:
                preamble.append(u.title)
                continue
            if low in CLOSING_WORDS:
                close_grundsatz()
                in_closing = True
                closing.append(u.title)
                continue
            is_title_candidate = (
                not title
                and not sections
                and not preamble
                and u.htype in ("md", "caps", "plain")
                and (u.htype != "md" or u.level == 1 or not hint)
            )
            if (
                (hint and u.title == hint and not title)
                or is_title_candidate
                or (idx == 0 and lone_lead)
            ):
                title, title_found, title_number = u.title, True, u.number
                continue
            if u.htype == "plain" and current is not None and current.is_grundsatz:
                if gs_title_pending:
                    # the heading line of a "Grundsatz N" standing on its own
                    gs_title_pending = False
                    current.title = u.title
                else:
                    body.append(u.title)
                continue
            if u.htype == "plain" and not statement_units_after(idx) and (sections or preamble):
                closing.append(u.title)
                continue
            nxt = units[idx + 1] if idx + 1 < len(units) else None
            if (
                u.htype == "plain"
                and not sections
                and (nxt is None or nxt.type in ("heading", "leadin"))
            ):
                # a subtitle between the title and the first real section
                preamble.append(u.title)
                continue
            close_grundsatz()
            in_closing = False
            leadin = False
            current = ParsedSection(
                number=u.number,
                title=u.title,
                is_grundsatz=u.htype == "grundsatz",
                label=_heading_label(u),
            )
            gs_title_pending = current.is_grundsatz and not u.title
            sections.append(current)
            continue
        if in_closing:
            closing.append(_para(u))
            continue
        if u.type == "leadin":
            lead = u.title.strip()
            if current is None or not current.is_grundsatz:
                close_grundsatz()
            if (
                current is not None
                and current.from_heading
                and not current.statements
                and not current.is_grundsatz
            ):
                # "Dafür gilt:" after an explaining paragraph still introduces this
                # section's list; it is not the title of a new section.
                current.intro = (current.intro + "\n\n" + lead).strip()
            elif current is not None and current.is_grundsatz:
                body.append(lead)
                continue
            else:
                current = ParsedSection(number="", title=lead.rstrip(":…. "), from_heading=False)
                sections.append(current)
            leadin = True
            continue
        if current is not None and current.is_grundsatz:
            if u.type == "list":
                body.extend("- " + e for e in u.entries)
                continue
            lines = list(u.lines)
            if gs_title_pending:
                gs_title_pending = False
                head = lines[0]
                more_after = len(lines) > 1 or (
                    idx + 1 < len(units) and units[idx + 1].type in ("prose", "list")
                )
                if more_after and len(head.split()) <= 20:
                    current.title = head
                    lines = lines[1:]
            if lines:
                body.append(collapse(" ".join(lines)))
            continue
        if u.type == "list":
            if current is None:
                current = ParsedSection(number="", title="", from_heading=False)
                sections.append(current)
            for n, entry in enumerate(u.entries):
                current.statements.append(
                    ParsedStatement(_item_kind(entry, leadin), entry, level=u.levels.get(n, 0))
                )
            continue
        # prose
        if current is None:
            if statement_units_after(idx) and heading_after[idx + 1]:
                preamble.append(_para(u))
                continue
            if not u.has_starter():
                preamble.append(_para(u))
                continue
            current = ParsedSection(number="", title="", from_heading=False)
            sections.append(current)
        if leadin and _short_lines(u):
            for entry in _line_entries(u.lines):
                current.statements.append(ParsedStatement(_item_kind(entry, True), entry))
            continue
        pieces = split_statements(u.lines)
        for n, piece in enumerate(pieces):
            kind = statement_kind(piece)
            if (
                kind == "other"
                and n == 0
                and not current.statements
                and not u.has_starter()
                and statement_units_after(idx)
            ):
                current.intro = (current.intro + "\n\n" + piece).strip()
            elif (  # pragma: no cover - after last_content only signatures, caught above
                kind == "other"
                and not current.statements
                and not statement_units_after(idx)
                and idx > last_content
            ):
                closing.append(piece)
            else:
                current.statements.append(ParsedStatement(kind, piece))
    close_grundsatz()
    return _finish(
        title=title or hint,
        title_number=title_number,
        title_found=title_found or bool(hint),
        preamble=preamble,
        closing=closing,
        sections=sections,
        unrecognised=unrecognised,
        warnings=warnings,
        text=text,
        extracted=extracted,
    )


# --------------------------------------------------------------------------------------------
# two-column layouts: headings collected after the statements

_SUFFIXES = (
    "lichkeiten",
    "lichkeit",
    "ungen",
    "heit",
    "keit",
    "lich",
    "isch",
    "ung",
    "ion",
    "ig",
    "iv",
    "en",
    "er",
    "e",
    "t",
)
_STOP = {
    "gemeinsam", "gemeinsame", "unsere", "unser", "unseren", "unserer", "einander", "miteinander",
    "immer", "allen", "alle", "werden", "wollen", "durch", "nicht", "sowie", "andere", "anderer",
    "anderen", "gegen", "dabei", "unter", "einen", "einer", "eines", "diese", "dieser", "mich",
}  # fmt: skip


def stem(word: str) -> str:
    w = word.lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def _dimension_stems(title: str, common: str) -> list[str]:
    return [
        stem(w)
        for w in words(title)
        if w.lower() != common.lower() and len(w) >= 4 and w.lower() not in _STOP
    ]


def _stem_hits(text: str, stems: list[str]) -> int:
    hits = 0
    for w in words(text):
        lw = w.lower()
        if any(lw.startswith(s) or len(s) >= 6 and s in lw for s in stems):
            hits += 1
    return hits


def _vocab(text: str) -> set[str]:
    return {
        w.lower()[:6]
        for w in words(text)
        if len(w) >= 5 and w.lower() not in _STOP and w not in ("Wir", "Ich")
    }


def _assign(score: list[list[float]]) -> list[int]:
    """Best one-to-one assignment of groups (rows) to dimensions (columns) by total score."""
    n_groups, n_dims = len(score), len(score[0]) if score else 0
    if n_groups == 0:
        return []
    if n_groups <= n_dims and n_dims <= 12:
        best: dict[tuple[int, int], tuple[float, list[int]]] = {}

        def solve(g: int, used: int) -> tuple[float, list[int]]:
            if g == n_groups:
                return 0.0, []
            key = (g, used)
            if key not in best:
                options = []
                for d in range(n_dims):
                    if not used & (1 << d):
                        rest, plan = solve(g + 1, used | (1 << d))
                        options.append((score[g][d] + rest, [d, *plan]))
                best[key] = max(options, key=lambda o: o[0])
            return best[key]

        return solve(0, 0)[1]
    # more groups than dimensions (or very many): greedy, best pairs first
    result = [-1] * n_groups
    taken: Counter[int] = Counter()
    cap = -(-n_groups // max(1, n_dims))
    pairs = sorted(
        ((score[g][d], g, d) for g, d in itertools.product(range(n_groups), range(n_dims))),
        reverse=True,
    )
    for _s, g, d in pairs:
        if result[g] == -1 and taken[d] < cap:
            result[g] = d
            taken[d] += 1
    return result


def _collected(
    units: list[Unit], first_heading: int, text: str, extracted: ExtractedText
) -> ParsedGuideline | None:
    warnings: list[str] = []
    preamble: list[str] = []
    closing: list[str] = []
    unrecognised: list[str] = []
    title, title_found = "", False

    candidates = [
        u for u in units[first_heading:] if u.type == "heading" and u.htype in ("caps", "plain")
    ]
    # dimension headings share their first word ("GEMEINSAM …"); two columns may put two of
    # them on one line, so every occurrence of that word starts a heading
    first_words = Counter(u.lines[0].split()[0].lower() for u in candidates)
    common = ""
    if first_words:
        token, count = first_words.most_common(1)[0]
        if count >= 2 and len(token) >= 3:
            common = token
    dims: list[str] = []
    dim_units: set[int] = set()
    for u in candidates:
        if common and u.lines[0].split()[0].lower() == common:
            for ln in u.lines:
                dims.extend(
                    collapse(p)
                    for p in re.split(rf"(?=\b{re.escape(common)}\b)", ln, flags=re.I)
                    if collapse(p)
                )
            dim_units.add(id(u))
        elif not common and u.htype == "caps" and len(u.lines) == 1:
            dims.append(u.title)
            dim_units.add(id(u))
    if len(dims) < 2:
        return None

    # statement groups before the headings, in document order
    groups: list[tuple[str, list[str], int]] = []  # kind, pieces, unit index
    seen_statement = False
    for idx, u in enumerate(units[:first_heading]):
        if u.type == "heading":
            if not title and u.htype in ("md", "plain", "caps"):
                title, title_found = u.title, True
            elif u.title.lower().rstrip(":") in PREAMBLE_WORDS:
                preamble.append(u.title)
            else:
                unrecognised.append(u.title)
            continue
        pieces = u.entries if u.type == "list" else split_statements(u.lines)
        if u.type == "leadin" or not any(statement_kind(p) != "other" for p in pieces):
            (unrecognised if seen_statement else preamble).append(_para(u))
            continue
        seen_statement = True
        run_kind: str = ""
        run: list[str] = []
        for p in pieces:
            k = statement_kind(p)
            if k == "other":
                k = run_kind or "other"
            if run and k != run_kind:
                groups.append((run_kind, run, idx))
                run = []
            run_kind = k
            run.append(p)
        if run:
            groups.append((run_kind, run, idx))
    for u in units[first_heading:]:
        if id(u) in dim_units:
            continue
        if u.type == "heading" and not title:
            title, title_found = u.title, True
        else:
            closing.append(_para(u) if u.type != "heading" else u.title)

    stems = [_dimension_stems(d, common) for d in dims]
    n = len(dims)
    sections = [ParsedSection(number="", title=d) for d in dims]
    assigned: dict[int, int] = {}
    notes: dict[int, str] = {}
    # Wir paragraphs first: they usually name their dimension; Ich groups then also use the
    # vocabulary they share with the Wir paragraph of a dimension and their position next to it
    for kind in ("wir", "ich", "other"):
        idxs = [i for i, g in enumerate(groups) if g[0] == kind]
        if not idxs:
            continue
        wir_text = {
            d: " ".join(
                " ".join(groups[i][1])
                for i, dd in assigned.items()
                if dd == d and groups[i][0] == "wir"
            )
            for d in range(n)
        }
        score: list[list[float]] = []
        for rank, gi in enumerate(idxs):
            gtext = " ".join(groups[gi][1])
            row = []
            for d in range(n):
                s = 3.0 * min(2, _stem_hits(gtext, stems[d]))
                if len(idxs) == n and rank == d:
                    s += 1.5
                elif len(idxs) != n and abs(rank * n / max(1, len(idxs)) - d) < 1:
                    s += 0.75
                if kind != "wir" and wir_text[d]:
                    s += min(1.5, 0.5 * len(_vocab(gtext) & _vocab(wir_text[d])))
                    unit_idx = groups[gi][2]
                    if any(
                        groups[j][0] == "wir"
                        and assigned.get(j) == d
                        and abs(groups[j][2] - unit_idx) == 1
                        for j in range(len(groups))
                    ):
                        s += 0.5
                row.append(s)
            score.append(row)
        plan = _assign(score)
        for row, gi, d in zip(score, idxs, plan, strict=True):
            assigned[gi] = d
            own_hits = _stem_hits(" ".join(groups[gi][1]), stems[d])
            other_hits = any(
                _stem_hits(" ".join(groups[gi][1]), stems[e]) for e in range(n) if e != d
            )
            second = max((row[e] for e in range(n) if e != d), default=0.0)
            if not own_hits or other_hits or row[d] - second < 1:
                notes[gi] = (
                    f"Zuordnung zu „{dims[d]}“ unsicher "
                    "(Reihenfolge/Wortschatz, kein eindeutiger Hinweis im Text)."
                )
    for gi in sorted(assigned, key=lambda g: (0 if groups[g][0] == "wir" else 1, g)):
        kind, pieces, _ = groups[gi]
        for p in pieces:
            sections[assigned[gi]].statements.append(
                ParsedStatement(
                    statement_kind(p)
                    if statement_kind(p) != "other"
                    else kind
                    if kind != "other"
                    else "other",
                    p,
                    needs_review=gi in notes,
                    review_note=notes.get(gi, ""),
                )
            )
    if notes:
        warnings.append(
            "Die Überschriften stehen gesammelt am Ende (mehrspaltiges Layout); "
            "die Aussagen wurden den Dimensionen nach Inhalt und Reihenfolge zugeordnet."
        )
    return _finish(
        title=title or collapse(extracted.title_hint),
        title_number="",
        title_found=title_found or bool(extracted.title_hint),
        preamble=preamble,
        closing=closing,
        sections=sections,
        unrecognised=unrecognised,
        warnings=warnings,
        text=text,
        extracted=extracted,
    )
