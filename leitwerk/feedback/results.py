"""From stored answers to published figures: counts per wave, then disclosure.py.

Results exist only for closed waves: their counts are kept as `AnswerAggregate` rows when
the wave closes (the raw answers may be purged later), and that one release is what every
page, CSV, API answer and indicator reads. A running wave publishes nothing per group and
no distribution (audit H1). Every figure leaves this module only after
`disclosure.release_groups`, so no view can print a small group by accident.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from leitwerk.core.models import TenantQuerySet
from leitwerk.municipalities.models import OrganisationalUnit

from . import disclosure
from .models import (
    Answer,
    AnswerAggregate,
    IndicatorMeasure,
    Location,
    Question,
    QuestionKind,
    Response,
    Survey,
    Wave,
    WaveStatus,
)

GroupKey = int | None  # location or unit id; None = "ohne Angabe"

# An AnswerAggregate row without question and with this value counts the codes issued to a
# unit, kept when the codes themselves are deleted at the close of the wave.
ISSUED_CODES = -1


@dataclass
class WaveCounts:
    """Respondents per group and answers per (question, group, value)."""

    respondents: Counter[GroupKey] = field(default_factory=Counter)
    answers: Counter[tuple[int, GroupKey, int]] = field(default_factory=Counter)


def group_field(survey: Survey) -> str:
    # Staff pulse results are compared across units, citizen results across locations.
    return "unit_id" if survey.is_staff else "location_id"


def group_names(survey: Survey) -> dict[int, str]:
    """The names of the groups a survey's results are shown for, by id: the municipality's
    units for a staff pulse, its locations otherwise."""
    qs: TenantQuerySet[OrganisationalUnit] | TenantQuerySet[Location]
    if survey.is_staff:
        qs = OrganisationalUnit.objects.for_municipality(survey.municipality_id)
    else:
        qs = Location.objects.for_municipality(survey.municipality_id)
    return {row.pk: str(row) for row in qs}


def counts_from_raw(wave: Wave) -> WaveCounts:
    gf = group_field(wave.survey)
    counts = WaveCounts()
    for row in Response.objects.belonging_to(wave, via="wave").values(gf).annotate(n=Count("id")):
        counts.respondents[row[gf]] += row["n"]
    rows = (
        Answer.objects.filter(
            response__wave=wave, municipality_id=wave.municipality_id, value__isnull=False
        )
        .values("question_id", f"response__{gf}", "value")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts.answers[(row["question_id"], row[f"response__{gf}"], row["value"])] += row["n"]
    text_rows = (
        Answer.objects.filter(
            response__wave=wave, municipality_id=wave.municipality_id, value__isnull=True
        )
        .exclude(text="")
        .values("question_id", f"response__{gf}")
        .annotate(n=Count("id"))
    )
    for row in text_rows:
        # Free text is counted as value 1 ("wrote something") for the aggregates.
        counts.answers[(row["question_id"], row[f"response__{gf}"], 1)] += row["n"]
    return counts


def counts_from_aggregates(wave: Wave) -> WaveCounts:
    gf = group_field(wave.survey)
    counts = WaveCounts()
    for agg in AnswerAggregate.objects.belonging_to(wave, via="wave"):
        group = getattr(agg, gf)
        if agg.question_id is None and agg.value == ISSUED_CODES:
            continue  # issued codes per unit, read by the response rate
        if agg.question_id is None:
            counts.respondents[group] += agg.count
        else:
            counts.answers[(agg.question_id, group, agg.value if agg.value is not None else 1)] += (
                agg.count
            )
    return counts


def wave_counts(wave: Wave) -> WaveCounts:
    """The counts of a wave: the aggregates cached at its close, else the raw answers (a
    closed wave from before the aggregates; an open wave, read only to close it)."""
    if wave.status == WaveStatus.CLOSED and wave.aggregates.exists():
        return counts_from_aggregates(wave)
    return counts_from_raw(wave)


def groups_are_padded_by_respondents(survey: Survey) -> bool:
    """True when whoever answers picks the group (the location of a citizen survey without
    one-time codes): such groups are never shown, only counted in the total (audit H2).

    Units of the staff pulse come from the code, and the codes per unit are bounded by the
    unit's size, so the respondents cannot choose or pad them."""
    return not survey.is_staff and not survey.requires_code


# --------------------------------------------------------------------------- views


@dataclass
class Groups:
    """The groups of one wave and what of them is released.

    `sizes` is the disclosure decision (None where hidden); `running` is the coarse number of
    answers of a running wave (None for the staff pulse and for closed waves).
    """

    keys: list[GroupKey]
    labels: list[str]
    sizes: disclosure.GroupRelease
    closed: bool = True
    running: int | None = None
    padded: bool = False


def groups_for(wave: Wave, counts: WaveCounts, *, k: int, names: dict[int, str]) -> Groups:
    """All groups of the survey (also those without answers, so a zero looks like any
    other small group) plus "ohne Angabe" if someone answered without one."""
    survey = wave.survey
    declared = (
        [u.pk for u in survey.units.all()]
        if survey.is_staff
        else [loc.pk for loc in survey.locations.all()]
    )
    keys: list[GroupKey] = list(declared)
    for key in counts.respondents:
        if key not in keys and key is not None:
            keys.append(key)
    if counts.respondents.get(None):
        keys.append(None)
    if not keys:
        keys = [None]
    labels = [names.get(key, "?") if key is not None else _("ohne Angabe") for key in keys]
    raw = [counts.respondents.get(key, 0) for key in keys]
    padded = groups_are_padded_by_respondents(survey)
    if wave.status != WaveStatus.CLOSED:
        nothing = disclosure.GroupRelease(k=k, sizes=tuple(None for _ in keys), total=None)
        running = disclosure.running_total(sum(raw), staff=survey.is_staff)
        return Groups(keys, labels, nothing, closed=False, running=running, padded=padded)
    # With a single group there is no breakdown to pad: it is the wave itself.
    eligible = [not padded or len(keys) == 1] * len(keys)
    sizes = disclosure.release_groups(raw, k=k, eligible=eligible)
    return Groups(keys, labels, sizes, padded=padded)


@dataclass
class Row:
    """One group's published figures for one question; `suppressed` rows show nothing."""

    label: str
    suppressed: bool
    n: int | None = None  # answer sheets of the group
    answered: int | None = None  # of them, answered this question
    counts: list[int] | None = None
    percents: list[float | None] | None = None
    mean: float | None = None
    median: float | None = None
    top_box: float | None = None

    @property
    def cells(self) -> list[tuple[int, float | None]]:
        return list(zip(self.counts or [], self.percents or [], strict=True))

    @property
    def skipped(self) -> int:
        """Sheets of a shown group that left the question out."""
        return max(0, (self.n or 0) - (self.answered or 0))


@dataclass
class QuestionResult:
    question: Question
    columns: list[str] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    k: int = disclosure.CITIZEN_DEFAULT_K
    texts: list[tuple[str, list[str]]] = field(default_factory=list)
    texts_withheld: bool = False

    @property
    def has_mean(self) -> bool:
        return self.question.has_mean

    @property
    def has_distribution(self) -> bool:
        return self.question.kind != QuestionKind.TEXT


def top_values(question: Question) -> set[int]:
    """The two best values of a scale question (only those have a mean)."""
    return {4, 5} if question.kind == QuestionKind.SCALE_5 else {9, 10}


def _row(question: Question, label: str, n: int | None, counts: Sequence[int] | None) -> Row:
    if n is None or counts is None:
        return Row(label=label, suppressed=True)
    values = question.value_keys()
    if question.kind == QuestionKind.MULTIPLE:
        # Several options per sheet: shares of the group's answer sheets.
        answered = n
    else:
        answered = sum(counts)
    base = answered or 0
    row = Row(
        label=label,
        suppressed=False,
        n=n,
        answered=answered,
        counts=list(counts),
        percents=[(100 * c / base) if base else None for c in counts],
    )
    if question.has_mean:
        row.mean = disclosure.mean_of(values, counts)
        row.median = disclosure.median_of(values, counts)
        row.top_box = disclosure.top_share_of(values, counts, top_values(question))
    return row


def question_result(
    question: Question,
    counts: WaveCounts,
    groups: Groups,
    *,
    k: int,
    free_text: list[Any] | None = None,
) -> QuestionResult:
    """The published figures of one question: a full row for each shown group and for all
    groups together, nothing for a hidden one (and nothing at all for a running wave)."""
    result = QuestionResult(question=question, k=k)
    values = question.value_keys()
    result.values = values
    result.columns = [question.value_label(v) for v in values]

    def counts_of(keys: Sequence[GroupKey]) -> list[int]:
        return [sum(counts.answers.get((question.pk, key, v), 0) for key in keys) for v in values]

    for i, (key, label) in enumerate(zip(groups.keys, groups.labels, strict=True)):
        n = groups.sizes.sizes[i]
        result.rows.append(_row(question, label, n, counts_of([key]) if n is not None else None))
    total = groups.sizes.total
    result.total = _row(
        question, _("Alle"), total, counts_of(groups.keys) if total is not None else None
    )
    if question.kind == QuestionKind.TEXT:
        result.rows = [Row(label=r.label, suppressed=r.suppressed, n=r.n) for r in result.rows]
        if free_text is None or not groups.closed:
            return result
        by_group: dict[GroupKey, list[str]] = {}
        for group, text in free_text:
            by_group.setdefault(group, []).append(text)
        for i, key in enumerate(groups.keys):
            texts = by_group.get(key, [])
            if texts and disclosure.may_show_free_text(groups.sizes.sizes[i], k=k):
                # Shuffled, so the order tells nothing about when or by whom.
                random.shuffle(texts)
                result.texts.append((groups.labels[i], texts))
            elif texts:
                result.texts_withheld = True
    return result


@dataclass
class Dimension:
    """Mean over the statements of one guideline section, per group and for all."""

    title: str
    question_ids: list[int]
    means: list[float | None]
    total: float | None


def dimensions(question_results: Sequence[QuestionResult]) -> list[Dimension]:
    """Per guideline section (e.g. the seven "GEMEINSAM …" dimensions): the mean of all
    answers to its statements, from the published rows only."""
    sections: dict[int, tuple[str, list[QuestionResult]]] = {}
    for qr in question_results:
        statement = qr.question.statement
        if statement is None or not qr.has_mean:
            continue
        section = statement.section
        sections.setdefault(section.pk, (str(section), []))[1].append(qr)

    def pooled(rows: list[Row], values: list[int]) -> float | None:
        if any(r.suppressed or r.counts is None for r in rows):
            return None
        n = sum(sum(r.counts or []) for r in rows)
        if n == 0:
            return None
        return sum(v * c for r in rows for v, c in zip(values, r.counts or [], strict=True)) / n

    result = []
    for title, qrs in sections.values():
        values = qrs[0].values
        n_groups = len(qrs[0].rows)
        means = [pooled([qr.rows[i] for qr in qrs], values) for i in range(n_groups)]
        total = pooled([qr.total for qr in qrs if qr.total is not None], values)
        result.append(Dimension(title, [qr.question.pk for qr in qrs], means, total))
    return result


def figure_for_binding(
    *,
    measure: str,
    question: Question | None,
    counts: WaveCounts,
    groups: Groups,
    group_key: GroupKey | None,
    k: int,
    pool: Sequence[Question] = (),
) -> float | None:
    """The published value an indicator gets, or None when it would reveal a small group.

    Without a question, a mean or top-2 share is taken over all answers to the scale
    questions in `pool` (e.g. every statement of a Leitlinien-Puls)."""
    index: int | None = None
    if group_key is not None:
        if group_key not in groups.keys:
            return None
        index = groups.keys.index(group_key)
    if measure == IndicatorMeasure.RESPONSES:
        n = groups.sizes.total if index is None else groups.sizes.sizes[index]
        return float(n) if n is not None else None
    questions = [question] if question is not None else list(pool)
    questions = [q for q in questions if q.has_mean]
    if not questions or len({q.kind for q in questions}) != 1:
        return None
    values: list[int] = questions[0].value_keys()
    pooled = [0] * len(values)
    for q in questions:
        result = question_result(q, counts, groups, k=k)
        row = result.total if index is None else result.rows[index]
        if row is None or row.suppressed or row.counts is None:
            return None
        pooled = [a + b for a, b in zip(pooled, row.counts, strict=True)]
    if measure == IndicatorMeasure.MEAN:
        return disclosure.mean_of(values, pooled)
    return disclosure.top_share_of(values, pooled, top_values(questions[0]))


MIN_SHARED = 12


def distinct_labels(texts: Sequence[str], *, limit: int = 80) -> list[str]:
    """Column headers that differ: the texts without the prefix and suffix they all share
    (e.g. "Wie sehr erleben Sie in Ihrem Team: …"), cut at word boundaries."""
    if len(texts) < 2:
        return [_shorten(t, limit) for t in texts]
    # Only a shared phrase is cut, not a shared first word ("Ich …").
    prefix = _common_prefix(texts)
    prefix = prefix if len(prefix) >= MIN_SHARED else ""
    suffix = _common_prefix([t[::-1] for t in texts])[::-1]
    suffix = suffix if len(suffix) >= MIN_SHARED else ""
    cut = []
    for text in texts:
        core = text[len(prefix) : len(text) - len(suffix)] if len(text) > len(prefix) else text
        core = core.strip(" :–-„“\"'")
        cut.append(_shorten(core or text, limit))
    return cut


def _common_prefix(texts: Sequence[str]) -> str:
    first = min(texts, key=len)
    n = 0
    while n < len(first) and all(t[n] == first[n] for t in texts):
        n += 1
    prefix = first[:n]
    # Only whole words: back up to the last space or punctuation in the shared part.
    while prefix and prefix[-1] not in " :–-„“\"'":
        prefix = prefix[:-1]
    return prefix


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
