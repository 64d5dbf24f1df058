"""Search across a municipality's steering objects, with German stemming.

PostgreSQL: full-text search with the 'german' configuration (prefix matching, so "Termin"
also finds "Terminvergabe"). Elsewhere (SQLite in development and tests): the same idea in
Python with the Snowball German stemmer. Both return the same `SearchHit`s for one page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models.expressions import CombinedExpression
from django.urls import reverse

from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import Statement
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    Milestone,
    SubInitiative,
)

MAX_PER_KIND = 30
SNIPPET_CHARS = 220

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    kind: str  # German label of the object type
    title: str
    snippet: str
    url: str
    score: float


@dataclass(frozen=True)
class _Source:
    kind: str
    model: Callable[[], type[models.Model]]
    fields: tuple[str, ...]
    related: tuple[str, ...]
    url: Callable[[Any], str]
    title: Callable[[Any], str]


def _sources() -> list[_Source]:
    def indicator_url(row: Any) -> str:
        if row.initiative_id:
            return reverse("plans:initiative_detail", kwargs={"pk": row.initiative_id})
        return reverse("goals:goal_detail", kwargs={"pk": row.goal_id})

    return [
        _Source(
            "Leitbild-Aussage",
            lambda: Statement,
            ("text",),
            ("section__document",),
            lambda r: reverse("guidelines:detail", kwargs={"pk": r.section.document_id}),
            lambda r: str(r.section.document),
        ),
        _Source(
            "Ziel",
            lambda: Goal,
            ("title", "description"),
            (),
            lambda r: reverse("goals:goal_detail", kwargs={"pk": r.pk}),
            str,
        ),
        _Source(
            "Aktionsplan",
            lambda: ActionPlan,
            ("title", "description"),
            (),
            lambda r: reverse("plans:detail", kwargs={"pk": r.pk}),
            str,
        ),
        _Source(
            "Aktionsfeld",
            lambda: ActionField,
            ("title", "description"),
            ("plan",),
            lambda r: reverse("plans:detail", kwargs={"pk": r.plan_id}) + f"#field-{r.pk}",
            lambda r: f"{r} ({r.plan})",
        ),
        _Source(
            "Vorhaben",
            lambda: Initiative,
            ("title", "objective", "description"),
            (),
            lambda r: reverse("plans:initiative_detail", kwargs={"pk": r.pk}),
            str,
        ),
        _Source(
            "Teilvorhaben / Umsetzungsidee",
            lambda: SubInitiative,
            ("text",),
            ("initiative",),
            lambda r: reverse("plans:initiative_detail", kwargs={"pk": r.initiative_id}),
            lambda r: str(r.initiative),
        ),
        _Source(
            "Meilenstein",
            lambda: Milestone,
            ("title",),
            ("initiative",),
            lambda r: reverse("plans:initiative_detail", kwargs={"pk": r.initiative_id}),
            lambda r: str(r.initiative),
        ),
        _Source("Indikator", lambda: Indicator, ("title",), (), indicator_url, str),
    ]


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("german")


def stems(text: str) -> list[str]:
    """German stems of the words of `text`, lower-cased ("Ziele" → "ziel")."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    return _stemmer().stemWords(words) if words else []


def _matches(query_stems: list[str], text_stems: set[str]) -> int:
    """Number of query stems found (a stem also matches as the start of a longer word, for
    German compounds); 0 unless every query stem is found."""
    found = 0
    for q in query_stems:
        if q in text_stems or any(t.startswith(q) for t in text_stems if len(q) >= 3):
            found += 1
        else:
            return 0
    return found


def _snippet(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _hit(source: _Source, row: Any, score: float) -> SearchHit:
    texts = [getattr(row, f) or "" for f in source.fields]
    title = source.title(row)
    # The first text that says more than the title (the title often is that very field).
    body = next((t for t in texts if t and t.strip() not in title), "")
    return SearchHit(
        kind=source.kind, title=title, snippet=_snippet(body), url=source.url(row), score=score
    )


def _search_python(municipality: Any, query: str) -> list[SearchHit]:
    query_stems = stems(query)
    if not query_stems:
        return []
    hits: list[SearchHit] = []
    for source in _sources():
        rows = source.model()._default_manager.filter(municipality=municipality)
        if source.related:
            rows = rows.select_related(*source.related)
        found = []
        for row in rows:
            first = set(stems(getattr(row, source.fields[0]) or ""))
            rest = set(stems(" ".join(getattr(row, f) or "" for f in source.fields[1:])))
            score = _matches(query_stems, first | rest)
            if score:
                # Matches in the title count double, as in the weighted PostgreSQL ranking.
                found.append(_hit(source, row, score + _matches(query_stems, first)))
        found.sort(key=lambda h: -h.score)
        hits.extend(found[:MAX_PER_KIND])
    return hits


def _search_postgres(municipality: Any, query: str) -> list[SearchHit]:
    words = _WORD.findall(query)
    if not words:
        return []
    # Raw tsquery built only from word characters, so user input cannot inject operators.
    tsquery = SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config="german")
    hits: list[SearchHit] = []
    for source in _sources():
        weights = ["A", "B", "C", "D"]
        vector: SearchVector | CombinedExpression = SearchVector(
            source.fields[0], weight="A", config="german"
        )
        for i, name in enumerate(source.fields[1:], start=1):
            vector = vector + SearchVector(name, weight=weights[min(i, 3)], config="german")
        rows = (
            source.model()
            ._default_manager.filter(municipality=municipality)
            .annotate(search=vector, rank=SearchRank(vector, tsquery))
            .filter(search=tsquery)
            .order_by("-rank")
        )
        if source.related:
            rows = rows.select_related(*source.related)
        hits.extend(_hit(source, row, float(row.rank)) for row in rows[:MAX_PER_KIND])
    return hits


def search(*, municipality: Any, query: str) -> list[SearchHit]:
    """Hits in the municipality for `query`, grouped by kind in a fixed order, best first."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    if connection.vendor == "postgresql":
        return _search_postgres(municipality, query)
    return _search_python(municipality, query)
