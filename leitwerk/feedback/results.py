"""From stored answers to published figures: counts per wave, then disclosure.py.

Counts come from the raw answers while a wave runs, and from `AnswerAggregate` once it has
closed (the raw answers may be purged by then). Every figure leaves this module only as a
`disclosure` result, so no view can print a raw small count by accident.
"""

from __future__ import annotations

import random
from collections import Counter
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
    if wave.status == WaveStatus.CLOSED and wave.aggregates.exists():
        return counts_from_aggregates(wave)
    return counts_from_raw(wave)


# --------------------------------------------------------------------------- views


@dataclass
class Figure:
    """One published number; `shown` False renders as "verdeckt"."""

    value: int | None
    share: float | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def percent(self) -> int | None:
        return round(100 * self.share) if self.share is not None else None


@dataclass
class TableRow:
    label: str
    cells: list[Figure]
    total: Figure
    mean: float | None = None
    top_box: float | None = None
    hidden_group: bool = False


@dataclass
class ResultTable:
    title: str
    columns: list[str]
    rows: list[TableRow]
    total_row: TableRow
    k: int
    has_mean: bool = False
    fully_hidden: bool = False


@dataclass
class QuestionResult:
    question: Question
    tables: list[ResultTable] = field(default_factory=list)
    texts: list[tuple[str, list[str]]] = field(default_factory=list)
    texts_withheld: bool = False


@dataclass
class Groups:
    keys: list[GroupKey]
    labels: list[str]
    sizes: disclosure.ProtectedVector


def groups_for(wave: Wave, counts: WaveCounts, *, k: int, names: dict[int, str]) -> Groups:
    """All groups of the survey (also those without answers, so a zero is not hidden
    differently from wave to wave) plus "ohne Angabe" if someone answered without one."""
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
    sizes = disclosure.protect_vector([counts.respondents.get(key, 0) for key in keys], k=k)
    return Groups(keys=keys, labels=labels, sizes=sizes)


def _table_view(
    *,
    title: str,
    columns: list[str],
    values: list[int] | None,
    matrix: list[list[int]],
    groups: Groups,
    k: int,
    top_values: set[int] | None = None,
) -> ResultTable:
    protected = disclosure.protect_table(matrix, k=k, row_totals=groups.sizes)
    n_values = len(values) if values is not None else 0

    def row_view(label: str, cells: list[int | None], total: int | None, hidden_group: bool):
        figures = [Figure(v, (v / total) if (v is not None and total) else None) for v in cells]
        mean = top_box = None
        if values is not None and total is not None:
            value_cells = cells[:n_values]
            mean = disclosure.mean_of(values, value_cells)
            answered = [n for n in value_cells if n is not None]
            if top_values and mean is not None and sum(answered):
                top = sum(
                    n for v, n in zip(values, value_cells, strict=True) if v in top_values and n
                )
                top_box = 100 * top / sum(answered)
        return TableRow(label, figures, Figure(total), mean, top_box, hidden_group)

    rows = []
    for i, label in enumerate(groups.labels):
        hidden_group = protected.row_totals[i] is None
        # A hidden group shows no figure at all, zeros included: it is simply "zu klein".
        cells: list[int | None] = [None] * len(columns) if hidden_group else protected.cells[i]
        rows.append(row_view(label, cells, protected.row_totals[i], hidden_group))
    total_row = row_view(_("Alle"), protected.col_totals, protected.grand_total, False)
    return ResultTable(
        title=title,
        columns=columns,
        rows=rows,
        total_row=total_row,
        k=k,
        has_mean=values is not None,
        fully_hidden=protected.fully_hidden,
    )


def question_result(
    question: Question,
    counts: WaveCounts,
    groups: Groups,
    *,
    k: int,
    free_text: list[Any] | None = None,
) -> QuestionResult:
    result = QuestionResult(question=question)
    no_answer = _("keine Angabe")
    if question.kind == QuestionKind.TEXT:
        if free_text is None:
            return result
        by_group: dict[GroupKey, list[str]] = {}
        for group, text in free_text:
            by_group.setdefault(group, []).append(text)
        for i, key in enumerate(groups.keys):
            size = groups.sizes.values[i]
            texts = by_group.get(key, [])
            if texts and disclosure.may_show_free_text(size, k=k):
                # Shuffled, so the order tells nothing about when or by whom.
                random.shuffle(texts)
                result.texts.append((groups.labels[i], texts))
        result.texts_withheld = any(
            by_group.get(key) and groups.sizes.values[i] is None
            for i, key in enumerate(groups.keys)
        )
        return result

    respondents = [counts.respondents.get(key, 0) for key in groups.keys]
    if question.kind == QuestionKind.MULTIPLE:
        for option in question.value_keys():
            matrix = []
            for key, n in zip(groups.keys, respondents, strict=True):
                chosen = counts.answers.get((question.pk, key, option), 0)
                matrix.append([chosen, n - chosen])
            result.tables.append(
                _table_view(
                    title=question.value_label(option),
                    columns=[_("gewählt"), _("nicht gewählt")],
                    values=None,
                    matrix=matrix,
                    groups=groups,
                    k=k,
                )
            )
        return result

    values = question.value_keys()
    matrix = []
    for key, n in zip(groups.keys, respondents, strict=True):
        row = [counts.answers.get((question.pk, key, v), 0) for v in values]
        row.append(n - sum(row))
        matrix.append(row)
    top: set[int] | None = None
    if question.kind == QuestionKind.SCALE_5:
        top = {4, 5}
    elif question.kind == QuestionKind.SCALE_10:
        top = {9, 10}
    result.tables.append(
        _table_view(
            title=question.text,
            columns=[question.value_label(v) for v in values] + [no_answer],
            values=values if question.has_mean else None,
            matrix=matrix,
            groups=groups,
            k=k,
            top_values=top,
        )
    )
    return result


def figure_for_binding(
    *,
    measure: str,
    question: Question | None,
    counts: WaveCounts,
    groups: Groups,
    group_key: GroupKey | None,
    k: int,
) -> float | None:
    """The published value an indicator gets, or None when it would reveal a small group."""
    index: int | None = None
    if group_key is not None:
        if group_key not in groups.keys:
            return None
        index = groups.keys.index(group_key)
    if measure == IndicatorMeasure.RESPONSES:
        n = groups.sizes.total if index is None else groups.sizes.values[index]
        return float(n) if n is not None else None
    if question is None or not question.has_mean:
        return None
    table = question_result(question, counts, groups, k=k).tables[0]
    row = table.total_row if index is None else table.rows[index]
    if measure == IndicatorMeasure.MEAN:
        return row.mean
    return row.top_box
