"""Reads of the feedback stage, always scoped to one municipality.

Internal reads take the person and answer Http404 for missing and forbidden alike. Public
reads (portal pages) take only the municipality and return only open surveys. Pure reads
that services need as well (`open_wave`, `survey_is_past_end`, `suggestion_stats`) live here
too; the services call them, never the other way round.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from leitwerk.core.access import may, require_visible
from leitwerk.municipalities.models import Membership, Municipality, OrganisationalUnit, Role
from leitwerk.plans.models import ActionField

from . import disclosure, results
from .models import (
    Answer,
    AnswerAggregate,
    AnswerDraft,
    DiscussionItem,
    Question,
    QuestionKind,
    Response,
    Suggestion,
    SuggestionIndicatorBinding,
    Survey,
    SurveyKind,
    SurveyStatus,
    Wave,
    WaveStatus,
)

if TYPE_CHECKING:
    from leitwerk.accounts.models import User


def survey_list_for_user(*, user: User, municipality: Municipality) -> list[Survey]:
    if not may(user, "feedback.view_surveys", municipality):
        return []
    return list(
        Survey.objects.for_municipality(municipality)
        .select_related("service", "guideline")
        .annotate(
            question_count=Count("questions", distinct=True),
            wave_count=Count("waves", distinct=True),
        )
        .order_by("status", "title")
    )


def survey_get_for_user(*, user: User, municipality: Municipality, pk: int, perm: str) -> Survey:
    require_visible(user, perm, municipality)
    survey = (
        Survey.objects.for_municipality(municipality)
        .select_related("service", "guideline")
        .prefetch_related(
            Prefetch("questions", Question.objects.select_related("statement__section")),
            "locations",
            "units",
            "waves",
        )
        .filter(pk=pk)
        .first()
    )
    if survey is None:
        raise Http404
    return survey


@dataclass
class WaveResults:
    wave: Wave
    k: int
    group_label: str
    groups: results.Groups
    questions: list[results.QuestionResult]
    response_rates: list[tuple[str, float | None]] = field(default_factory=list)
    dialogue: list[DialogueGroup] = field(default_factory=list)
    dimensions: list[results.Dimension] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.groups.closed


@dataclass(frozen=True)
class TrendRow:
    """One wave in the trend: published number of sheets and the means of all groups."""

    wave: Wave
    respondents: int | None
    running: int | None
    means: list[float | None]


DIALOGUE_ITEMS = 3


@dataclass(frozen=True)
class DialoguePoint:
    mean: float
    question_id: int
    text: str


@dataclass(frozen=True)
class DialogueGroup:
    unit_id: int | None  # None: "ohne Angabe", nothing a team can own
    label: str
    points: list[DialoguePoint]


def team_dialogue(
    groups: results.Groups, question_results: list[results.QuestionResult]
) -> list[DialogueGroup]:
    """Per unit, the lowest-rated statements as talking points for the team.

    Only means that disclosure published are used, so a talking point never reveals more
    than the results table already does.
    """
    items = []
    for index, label in enumerate(groups.labels):
        if groups.sizes.values[index] is None:
            continue
        rated = [
            DialoguePoint(mean=row.mean, question_id=qr.question.pk, text=qr.question.text)
            for qr in question_results
            if qr.question.statement_id and qr.rows
            for row in [qr.rows[index]]
            if not row.suppressed and row.mean is not None
        ]
        if rated:
            key = groups.keys[index]
            items.append(
                DialogueGroup(
                    unit_id=key if isinstance(key, int) else None,
                    label=label,
                    points=sorted(rated, key=lambda p: (p.mean, p.text))[:DIALOGUE_ITEMS],
                )
            )
    return items


@dataclass
class Trend:
    """Means per wave: per scale question, or per dimension for a Leitlinien-Puls (a pulse
    of 60 statements gets seven columns, not sixty)."""

    questions: list[Question]
    rows: list[TrendRow]
    dimension_titles: list[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def labels(self) -> list[str]:
        """Column headers that differ (the statement, not the shared question prefix)."""
        if self.dimension_titles is not None:
            return self.dimension_titles
        return results.distinct_labels([q.text for q in self.questions])


def survey_results_for_user(
    *,
    user: User,
    municipality: Municipality,
    pk: int,
    wave_pk: int | None = None,
    wave_number: int | None = None,
) -> tuple[Survey, WaveResults | None, Trend]:
    """Results of one wave plus the trend over all waves, every figure through disclosure.

    The wave is chosen by id (`wave_pk`, the pages) or by its number 1, 2, … (`wave_number`,
    the API); without either, the latest wave."""
    survey = survey_get_for_user(
        user=user, municipality=municipality, pk=pk, perm="feedback.view_results"
    )
    waves = list(survey.waves.all())
    k = disclosure.effective_k(survey.min_group_size)
    names = results.group_names(survey)
    questions = list(survey.questions.all())
    chosen: Wave | None = None
    for number, wave in enumerate(waves, start=1):
        if (wave_pk is None or wave.pk == wave_pk) and (
            wave_number is None or number == wave_number
        ):
            chosen = wave
    if (wave_pk is not None or wave_number is not None) and chosen is None:
        raise Http404
    trend_questions = [q for q in questions if q.has_mean]
    by_dimension = survey.is_staff and any(q.statement_id for q in trend_questions)
    trend = Trend(questions=trend_questions, rows=[])
    released: dict[int, tuple[results.WaveCounts, results.Groups]] = {}
    for wave in waves:
        counts = results.wave_counts(wave)
        groups = results.groups_for(wave, counts, k=k, names=names)
        released[wave.pk] = (counts, groups)
        per_question = [results.question_result(q, counts, groups, k=k) for q in trend_questions]
        means: list[float | None]
        if by_dimension:
            dims = results.dimensions(per_question)
            trend.dimension_titles = [d.title for d in dims]
            means = [d.total for d in dims]
        else:
            means = [qr.total.mean if qr.total is not None else None for qr in per_question]
        trend.rows.append(TrendRow(wave, groups.sizes.total, groups.running, means))
    if chosen is None:
        return survey, None, trend
    counts, groups = released[chosen.pk]
    may_read_text = may(user, "feedback.view_free_text", municipality)
    question_results = []
    for question in questions:
        free_text = None
        if question.kind == QuestionKind.TEXT and may_read_text and groups.closed:
            free_text = _free_text(chosen, question)
        question_results.append(
            results.question_result(question, counts, groups, k=k, free_text=free_text)
        )
    wave_results = WaveResults(
        wave=chosen,
        k=k,
        group_label="Organisationseinheit" if survey.is_staff else "Standort",
        groups=groups,
        questions=question_results,
    )
    if survey.requires_code and groups.closed:
        wave_results.response_rates = _response_rates(chosen, groups)
    if survey.is_staff:
        wave_results.dialogue = team_dialogue(groups, question_results)
        wave_results.dimensions = results.dimensions(question_results)
    return survey, wave_results, trend


def survey_results_payload_for_user(
    *, user: User, municipality: Municipality, pk: int, wave_number: int | None = None
) -> dict[str, Any]:
    """The results of one wave as the API answers them (issue 17's contract), from the same
    release as the page and the CSV. Without `wave_number`: the open wave, else the latest."""
    if wave_number is None:
        survey = survey_get_for_user(
            user=user, municipality=municipality, pk=pk, perm="feedback.view_results"
        )
        waves = list(survey.waves.all())
        running = [n for n, w in enumerate(waves, start=1) if w.status == WaveStatus.OPEN]
        wave_number = running[0] if running else (len(waves) or None)
    survey, result, trend = survey_results_for_user(
        user=user, municipality=municipality, pk=pk, wave_number=wave_number
    )
    waves_out = [
        {
            "number": n,
            "closed": row.wave.status == WaveStatus.CLOSED,
            "responses": row.respondents if row.wave.status == WaveStatus.CLOSED else row.running,
        }
        for n, row in enumerate(trend.rows, start=1)
    ]
    questions = []
    for qr in result.questions if result else []:
        total = qr.total
        suppressed = total is None or total.suppressed or not qr.has_distribution
        distribution = None
        if not suppressed and total is not None and total.counts is not None:
            distribution = {str(v): c for v, c in zip(qr.values, total.counts, strict=True)}
        questions.append(
            {
                "id": qr.question.pk,
                "text": qr.question.text,
                "kind": qr.question.kind,
                "n": None if suppressed or total is None else total.answered,
                "mean": None if suppressed or total is None else total.mean,
                "distribution": distribution,
                "suppressed": total is None or total.suppressed,
                "groups": [
                    {
                        "name": row.label,
                        "n": None if row.suppressed else row.answered,
                        "mean": None if row.suppressed else row.mean,
                        "suppressed": row.suppressed,
                    }
                    for row in qr.rows
                ],
            }
        )
    current = waves_out[wave_number - 1] if wave_number else None
    return {
        "survey": survey.pk,
        "wave": wave_number,
        "waves": waves_out,
        "responses": current["responses"] if current else None,
        "min_group_size": disclosure.effective_k(survey.min_group_size),
        "questions": questions,
    }


def _free_text(wave: Wave, question: Question) -> list[tuple[int | None, str]]:
    gf = results.group_field(wave.survey)
    return list(
        Answer.objects.filter(
            response__wave=wave, question=question, municipality_id=wave.municipality_id
        )
        .exclude(text="")
        .values_list(f"response__{gf}", "text")
    )


def _response_rates(wave: Wave, groups: results.Groups) -> list[tuple[str, float | None]]:
    """Share of issued codes that were answered, per unit, only where the unit's count is
    published (n ≥ k). Never which code or person."""
    issued = issued_codes(wave)
    rates = []
    for key, label, n in zip(groups.keys, groups.labels, groups.sizes.values, strict=True):
        total = issued.get(key)
        rates.append((label, (100 * n / total) if (n is not None and total) else None))
    return rates


def wave_for_survey(*, survey: Survey, pk: int) -> Wave:
    return get_object_or_404(Wave, survey=survey, municipality_id=survey.municipality_id, pk=pk)


# --------------------------------------------------------------------------- suggestions


def suggestions_for_user(
    *, user: User, municipality: Municipality, mine_only: bool = False
) -> QuerySet[Suggestion]:
    """Every member reads the inbox (deadlines are a shared duty); `mine_only` narrows a
    unit editor's view to the suggestions routed to their unit. Contact data is shown only
    to those who may answer (see the view)."""
    if not may(user, "feedback.view_suggestions", municipality):
        return Suggestion.objects.none()
    qs = Suggestion.objects.for_municipality(municipality).select_related(
        "unit", "service", "location"
    )
    if not mine_only or may(user, "feedback.view_all_suggestions", municipality):
        return qs
    unit_ids = Membership.objects.filter(
        user=user, municipality=municipality, role=Role.UNIT_EDITOR, unit__isnull=False
    ).values_list("unit_id", flat=True)
    return qs.filter(unit_id__in=list(unit_ids))


@dataclass(frozen=True)
class SuggestionStats:
    total: int
    answered: int
    answered_in_time: int
    overdue: int

    @property
    def share_in_time(self) -> float | None:
        """Share answered within the deadline, of all whose deadline has passed or which
        were answered (open ones still within their deadline don't count yet)."""
        decided = self.answered + self.overdue
        return (100 * self.answered_in_time / decided) if decided else None


def suggestion_stats(*, suggestions: Iterable[Suggestion], today: dt.date) -> SuggestionStats:
    items = list(suggestions)
    answered = [s for s in items if s.answered_on is not None]
    return SuggestionStats(
        total=len(items),
        answered=len(answered),
        answered_in_time=sum(1 for s in answered if s.answered_in_time),
        overdue=sum(1 for s in items if s.is_overdue(today)),
    )


def suggestion_get_for_user(*, user: User, municipality: Municipality, pk: int) -> Suggestion:
    suggestion = suggestions_for_user(user=user, municipality=municipality).filter(pk=pk).first()
    if suggestion is None:
        raise Http404
    return suggestion


# --------------------------------------------------------------------------- public


def public_municipality(*, slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug)


def public_surveys(*, municipality: Municipality) -> list[Survey]:
    """Open citizen surveys. The staff pulse is internal: reached by its code or link only."""
    return list(
        Survey.objects.for_municipality(municipality)
        .filter(status=SurveyStatus.OPEN, kind=SurveyKind.CITIZEN)
        .select_related("service")
        .order_by("title")
    )


def public_survey_in(*, municipality_slug: str, pk: int) -> Survey:
    """A survey of the municipality with this slug, with the municipality, in one query (the
    answer form: every sheet asks it); 404 for an unknown town or a survey of another."""
    found = list(
        Survey.objects.filter(municipality__slug=municipality_slug, pk=pk)
        .select_related("municipality")
        .order_by()[:1]
    )
    if not found:
        raise Http404
    return found[0]


def suggestion_indicator_binding_for_user(
    *, user: User, municipality: Municipality
) -> SuggestionIndicatorBinding | None:
    require_visible(user, "feedback.manage_suggestion_indicator", municipality)
    return (
        SuggestionIndicatorBinding.objects.for_municipality(municipality)
        .select_related("indicator")
        .first()
    )


# --------------------------------------------------------------------------- team dialogue


def may_use_team_dialogue(user: User, municipality: Municipality) -> bool:
    return may(user, "feedback.view_discussion_items", municipality)


def dialogue_point_for_user(
    *, user: User, municipality: Municipality, wave_pk: int, unit_pk: int, question_pk: int
) -> tuple[Wave, OrganisationalUnit, DialoguePoint]:
    """A talking point as the results page shows it: only published (n ≥ k) and only for
    the strategy office or the unit's editor; 404 otherwise."""
    require_visible(user, "feedback.view_discussion_items", municipality)
    wave = (
        Wave.objects.for_municipality(municipality)
        .filter(pk=wave_pk, survey__kind=SurveyKind.STAFF_PULSE)
        .first()
    )
    unit = OrganisationalUnit.objects.for_municipality(municipality).filter(pk=unit_pk).first()
    if wave is None or unit is None:
        raise Http404
    if not user.has_perm(
        "feedback.handle_discussion_item", DiscussionItem(municipality=municipality, unit=unit)
    ):
        raise Http404
    _survey, result, _trend = survey_results_for_user(
        user=user, municipality=municipality, pk=wave.survey_id, wave_pk=wave.pk
    )
    for group in result.dialogue if result else []:
        if group.unit_id == unit.pk:
            for point in group.points:
                if point.question_id == question_pk:
                    return wave, unit, point
    raise Http404


def dialogue_units_for_user(
    *, user: User, municipality: Municipality, result: WaveResults | None
) -> set[int]:
    """The units whose talking points this person may keep as Gesprächsthema."""
    if result is None or not may_use_team_dialogue(user, municipality):
        return set()
    return {
        group.unit_id
        for group in result.dialogue
        if group.unit_id is not None
        and user.has_perm(
            "feedback.handle_discussion_item",
            DiscussionItem(municipality_id=municipality.pk, unit_id=group.unit_id),
        )
    }


def discussion_items_for_user(*, user: User, municipality: Municipality) -> list[DiscussionItem]:
    require_visible(user, "feedback.view_discussion_items", municipality)
    items = (
        DiscussionItem.objects.for_municipality(municipality)
        .select_related("wave__survey", "unit", "initiative")
        .order_by("-wave__opened_on", "unit__name", "mean", "pk")
    )
    return [i for i in items if user.has_perm("feedback.handle_discussion_item", i)]


def discussion_item_get_for_user(
    *, user: User, municipality: Municipality, pk: int
) -> DiscussionItem:
    for item in discussion_items_for_user(user=user, municipality=municipality):
        if item.pk == pk:
            return item
    raise Http404


def action_fields_for(*, municipality: Municipality) -> QuerySet[ActionField]:
    return (
        ActionField.objects.for_municipality(municipality)
        .select_related("plan")
        .order_by("plan__title", "code", "title")
    )


def public_answered_suggestions(*, municipality: Municipality) -> list[Suggestion]:
    return list(
        Suggestion.objects.for_municipality(municipality)
        .filter(answer_public=True)
        .exclude(answer="")
        .filter(~Q(answered_on=None))
        .order_by("-answered_on")[:20]
    )


def wave_response_count(wave: Wave) -> int:
    """Answer sheets of a wave: counted from the rows while they exist, afterwards the number
    kept when the wave closed."""
    if wave.raw_purged_on is not None:
        return wave.response_count
    return Response.objects.filter(municipality_id=wave.municipality_id, wave=wave).count()


def open_wave(survey: Survey) -> Wave | None:
    # Meta.ordering's first column is the survey, fixed here: no join to sort by it.
    return survey.waves.filter(status=WaveStatus.OPEN).order_by("opened_on", "id").first()


def survey_is_past_end(survey: Survey, wave: Wave, today: dt.date) -> bool:
    """True after the last day of a running wave, before the daily job closed it."""
    end = survey.closes_on
    return end is not None and wave.opened_on <= end < today


def today_default(today: dt.date | None) -> dt.date:
    from django.utils import timezone

    return today or timezone.localdate()


# --------------------------------------------------------------------------- codes


def code_limit(headcount: int) -> int:
    """Most codes one unit may get per wave: its head count plus a small margin for lost or
    spoilt sheets (10 %, at least 2). Anyone who could issue more could pad a small team with
    answers they know and subtract them again (audit H2)."""
    return headcount + max(CODE_MARGIN_MIN, -(-headcount * CODE_MARGIN_PERCENT // 100))


CODE_MARGIN_MIN = 2
CODE_MARGIN_PERCENT = 10


@dataclass(frozen=True)
class CodeAllowance:
    """How many codes a unit may still get in a wave, for the codes page."""

    unit: OrganisationalUnit
    headcount: int | None
    issued: int

    @property
    def limit(self) -> int | None:
        return None if self.headcount is None else code_limit(self.headcount)

    @property
    def remaining(self) -> int:
        return 0 if self.limit is None else max(0, self.limit - self.issued)


def issued_codes(wave: Wave) -> dict[int | None, int]:
    """Codes issued per unit over all batches of the wave, used or not.

    Counted apart from the codes (an unkeyed `AnswerAggregate` row per unit), because a used
    code is deleted (audit M2)."""
    return dict(
        AnswerAggregate.objects.belonging_to(wave, via="wave")
        .filter(question__isnull=True, value=results.ISSUED_CODES)
        .values_list("unit_id", "count")
    )


def code_allowance(*, wave: Wave, unit: OrganisationalUnit) -> CodeAllowance:
    issued = issued_codes(wave).get(unit.pk, 0)
    return CodeAllowance(unit=unit, headcount=unit.headcount, issued=issued)


def code_allowances(*, survey: Survey, wave: Wave) -> list[CodeAllowance]:
    """Per unit of the survey: head count, limit and codes issued so far in this wave."""
    units = list(survey.units.all()) or list(
        OrganisationalUnit.objects.for_municipality(survey.municipality_id)
    )
    issued = issued_codes(wave)
    return [CodeAllowance(unit=u, headcount=u.headcount, issued=issued.get(u.pk, 0)) for u in units]


# --------------------------------------------------------------------------- answering


def wave_questions(wave: Wave) -> list[Question]:
    """The questions asked in this wave, in order: the wave's choice, else all of the survey.

    One query (every answer sheet asks it): the survey's questions, each marked whether the
    wave chose it."""
    chosen = Wave.questions.through.objects.filter(wave_id=wave.pk, question_id=OuterRef("pk"))
    questions: list[Question] = list(
        Question.objects.filter(municipality_id=wave.municipality_id, survey_id=wave.survey_id)
        .select_related("statement__section")
        .annotate(in_wave=Exists(chosen))
        .order_by("order", "id")
    )
    if any(getattr(q, "in_wave", False) for q in questions):
        # Questions without a statement (the closing free text) are always asked.
        return [q for q in questions if getattr(q, "in_wave", False) or q.statement_id is None]
    return questions


@dataclass(frozen=True)
class QuestionPage:
    """One page of the answer form: the questions of one guideline section."""

    number: int
    count: int
    title: str
    questions: list[Question]

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def is_last(self) -> bool:
        return self.number == self.count


def question_pages(questions: list[Question]) -> list[QuestionPage]:
    """Questions grouped by the section of their guideline statement, one page each, in the
    guideline's order; questions without a statement close the last page."""
    sections: dict[int, tuple[tuple[int, int], str, list[Question]]] = {}
    loose: list[Question] = []
    for question in questions:
        statement = question.statement
        if statement is None:
            loose.append(question)
            continue
        section = statement.section
        entry = sections.setdefault(
            section.pk, ((section.order, section.pk), str(section.title), [])
        )
        entry[2].append(question)
    groups = [(title, qs) for _key, title, qs in sorted(sections.values(), key=lambda e: e[0])]
    if not groups:
        groups = [("", [])]
    groups[-1] = (groups[-1][0], groups[-1][1] + loose)
    return [
        QuestionPage(number=n, count=len(groups), title=title, questions=qs)
        for n, (title, qs) in enumerate(groups, start=1)
    ]


def draft_key(code: str) -> str:
    """The key of a multi-page pulse's draft: keyed like `hash_code`, in another domain, so
    the draft table and the code table share no value."""
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(
        settings.SECRET_KEY.encode(), f"feedback-draft:{normalised}".encode(), hashlib.sha256
    ).hexdigest()


def draft_answers(*, wave: Wave, code: str) -> dict[int, Any]:
    """What a multi-page pulse kept so far for this code (question id → value)."""
    draft = (
        AnswerDraft.objects.belonging_to(wave, via="wave")
        .filter(key=draft_key(code))
        .values_list("answers", flat=True)
        .first()
    )
    return {int(k): v for k, v in (draft or {}).items()}
