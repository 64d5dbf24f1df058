"""Offline gazetteer of German municipalities: resolve city names in free text.

The data file (data/gemeinden.csv: ags,name,state,population) ships with the package so that
imports never reach out to the network. An empty AGS means the key was not verified; it is
left empty rather than guessed.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gemeinden.csv"
MAX_NAME_WORDS = 6
# Qualifiers that are commonly dropped in running text ("Frankfurt" for "Frankfurt am Main").
QUALIFIER_RE = re.compile(
    r"\s*\([^)]*\)$|\s+(am|an der|an den|im|in der|ob der|bei|vor der)\s+.+$", re.I
)


@dataclass(frozen=True)
class Place:
    ags: str
    name: str
    state: str
    population: int


def key(text: str) -> str:
    text = re.sub(r"\bst\.\s*", "sankt ", text.casefold()).replace("ß", "ss")
    text = re.sub(r"[()\[\],.;:/]", " ", text)
    return " ".join(text.split())


@functools.cache
def places() -> tuple[Place, ...]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Place(
            ags=(r.get("ags") or "").strip(),
            name=r["name"].strip(),
            state=(r.get("state") or "").strip(),
            population=int(r["population"]) if (r.get("population") or "").strip() else 0,
        )
        for r in rows
        if (r.get("name") or "").strip()
    )


@functools.cache
def index() -> dict[str, Place]:
    """Name key → place; an ambiguous name means the most populous place of that name."""
    exact: dict[str, Place] = {}
    alias: dict[str, Place] = {}
    for place in places():
        k = key(place.name)
        if k not in exact or place.population > exact[k].population:
            exact[k] = place
        short = QUALIFIER_RE.sub("", place.name).strip()
        if short and short != place.name:
            ks = key(short)
            if ks not in alias or place.population > alias[ks].population:
                alias[ks] = place
    return {**alias, **exact}


def lookup(name: str) -> Place | None:
    return index().get(key(name))


def resolve_tokens(text: str) -> list[tuple[str, str, bool]]:
    """Greedy longest match over a run of words: [(name, ags, known)]."""
    return [(name, ags, known) for _written, name, ags, known in _resolve_tokens(text)]


def _resolve_tokens(text: str) -> list[tuple[str, str, str, bool]]:
    toks = text.split()
    out: list[tuple[str, str, str, bool]] = []
    unknown: list[str] = []
    i = 0
    idx = index()
    while i < len(toks):
        match = None
        for j in range(min(len(toks), i + MAX_NAME_WORDS), i, -1):
            place = idx.get(key(" ".join(toks[i:j])))
            if place is not None:
                match = (place, j)
                break
        if match is None:
            unknown.append(toks[i])
            i += 1
            continue
        if unknown:
            out.append((" ".join(unknown), " ".join(unknown), "", False))
            unknown = []
        place, j = match
        out.append((" ".join(toks[i:j]), place.name, place.ags, True))
        i = j
    if unknown:
        out.append((" ".join(unknown), " ".join(unknown), "", False))
    return out


def resolve_list(text: str) -> list[tuple[str, str, bool]]:
    """Cities from a cell: separated by lines, commas, semicolons, bullets or only spaces."""
    return [(name, ags, known) for _written, name, ags, known in resolve_list_sourced(text)]


def resolve_list_sourced(text: str) -> list[tuple[str, str, str, bool]]:
    """Like resolve_list, each entry led by the words as written, to report where they differ."""
    out: list[tuple[str, str, str, bool]] = []
    for chunk in re.split(r"[\n,;•·|]+|\s+(?:und|sowie)\s+|\s/\s", text):
        chunk = chunk.strip(" -–\t")
        if not chunk:
            continue
        place = lookup(chunk)
        if place is not None:
            out.append((chunk, place.name, place.ags, True))
        else:
            out.extend(_resolve_tokens(chunk))
    return out
