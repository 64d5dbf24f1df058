"""Citizens' suggestions (Anregungen, Beschwerden) and the indicator fed by their deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leitwerk.core.audit import audit
from leitwerk.feedback import selectors
from leitwerk.feedback.models import (
    SUGGESTION_RESPONSE_DAYS,
    Location,
    Service,
    Suggestion,
    SuggestionIndicatorBinding,
    SuggestionStatus,
)
from leitwerk.municipalities.models import Municipality, OrganisationalUnit
from leitwerk.plans.models import Indicator, IndicatorKind, Measurement, MeasurementSource
from leitwerk.plans.services import measurement_period

if TYPE_CHECKING:
    from leitwerk.accounts.models import User


@transaction.atomic
def suggestion_submit(
    *,
    municipality: Municipality,
    text: str,
    today: dt.date,
    category: str = "",
    service: Service | None = None,
    location: Location | None = None,
    contact: str = "",
) -> Suggestion:
    """A citizen's Anregung or Beschwerde: routed by service, answer due in 14 days."""
    if service is not None and service.municipality_id != municipality.pk:
        service = None
    if location is not None and location.municipality_id != municipality.pk:
        location = None
    suggestion = Suggestion(
        municipality=municipality,
        category=category,
        text=text.strip(),
        service=service,
        location=location,
        unit=service.unit if service is not None else None,
        contact=contact.strip(),
        received_on=today,
        due_on=today + dt.timedelta(days=SUGGESTION_RESPONSE_DAYS),
    )
    suggestion.full_clean()
    suggestion.save()
    # No actor and no request data: the audit row only says that something arrived.
    audit(actor=None, action="feedback.suggestion_submit", target=suggestion, data={})
    return suggestion


@transaction.atomic
def suggestion_route(
    *, suggestion: Suggestion, unit: OrganisationalUnit | None, actor: User | None
) -> Suggestion:
    if unit is not None and unit.municipality_id != suggestion.municipality_id:
        raise ValidationError(_("Unbekannte Organisationseinheit."))
    suggestion.unit = unit
    if suggestion.status == SuggestionStatus.NEW:
        suggestion.status = SuggestionStatus.IN_PROGRESS
    suggestion.save(update_fields=["unit", "status", "updated_at"])
    audit(
        actor=actor,
        action="feedback.suggestion_route",
        target=suggestion,
        data={"unit": unit.pk if unit else None},
    )
    return suggestion


@transaction.atomic
def suggestion_answer(
    *, suggestion: Suggestion, answer: str, public: bool, actor: User | None, today: dt.date
) -> Suggestion:
    if not answer.strip():
        raise ValidationError(_("Bitte eine Antwort schreiben."))
    suggestion.answer = answer.strip()
    suggestion.answer_public = public
    suggestion.status = SuggestionStatus.ANSWERED
    suggestion.answered_on = suggestion.answered_on or today
    suggestion.save(
        update_fields=["answer", "answer_public", "status", "answered_on", "updated_at"]
    )
    audit(
        actor=actor,
        action="feedback.suggestion_answer",
        target=suggestion,
        data={"public": public, "in_time": suggestion.answered_in_time},
    )
    return suggestion


@transaction.atomic
def suggestion_indicator_record(
    *,
    municipality: Municipality,
    indicator: Indicator,
    period_start: dt.date,
    period_end: dt.date,
    actor: User | None,
    today: dt.date,
) -> Measurement | None:
    """Write the share of suggestions answered in time (received in the period) as a
    measurement of a survey-kind indicator; None when nothing was decided yet."""
    if indicator.municipality_id != municipality.pk or indicator.kind != IndicatorKind.SURVEY:
        raise ValidationError(_("Nur Indikatoren der Art „Umfragewert“ lassen sich verknüpfen."))
    received = Suggestion.objects.for_municipality(municipality).filter(
        received_on__gte=period_start, received_on__lte=period_end
    )
    stats = selectors.suggestion_stats(suggestions=received, today=today)
    if stats.share_in_time is None:
        return None
    measurement = Measurement.objects.create(
        municipality=municipality,
        indicator=indicator,
        # The value belongs to the period; a late run must not stack values on one day.
        measured_on=min(period_end, today),
        period_label=measurement_period(indicator=indicator, measured_on=min(period_end, today)),
        value=Decimal(str(round(stats.share_in_time, 4))),
        source=MeasurementSource.SURVEY,
        note="Anteil fristgerecht beantworteter Anregungen und Beschwerden",
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(actor=actor, action="feedback.suggestion_indicator_record", target=measurement)
    return measurement


@transaction.atomic
def suggestion_indicator_set(
    *, municipality: Municipality, indicator: Indicator | None, actor: User | None
) -> SuggestionIndicatorBinding | None:
    """Choose (or, with None, remove) the indicator fed by the share answered in time."""
    current = SuggestionIndicatorBinding.objects.for_municipality(municipality).first()
    if indicator is None:
        if current is not None:
            audit(actor=actor, action="feedback.suggestion_indicator_unset", target=current)
            current.delete()
        return None
    if indicator.municipality_id != municipality.pk or indicator.kind != IndicatorKind.SURVEY:
        raise ValidationError(_("Nur Indikatoren der Art „Umfragewert“ lassen sich verknüpfen."))
    if current is not None and current.indicator_id == indicator.pk:
        return current
    if current is None:
        current = SuggestionIndicatorBinding(municipality=municipality, indicator=indicator)
    else:
        # A new indicator starts its own series from the first month again.
        current.indicator = indicator
        current.recorded_through = None
    current.full_clean()
    current.save()
    audit(
        actor=actor,
        action="feedback.suggestion_indicator_set",
        target=current,
        data={"indicator": indicator.pk},
    )
    return current


def _month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_next - dt.timedelta(days=1)


def suggestion_indicators_record_due(
    *, today: dt.date, actor: User | None = None
) -> list[Measurement]:
    """Record one value per calendar month and municipality, once every suggestion of the
    month is past its deadline, so the share is final when it is written.

    Run daily (`purge_expired`). Months without a decided suggestion get no value but count
    as done. Each municipality in its own transaction.
    """
    written: list[Measurement] = []
    bindings = SuggestionIndicatorBinding.objects.select_related("indicator", "municipality")
    for binding in bindings.order_by("pk"):
        if binding.indicator.kind != IndicatorKind.SURVEY:
            continue  # changed behind the form's back; don't break the others
        if binding.recorded_through is not None:
            start = binding.recorded_through + dt.timedelta(days=1)
        else:
            first = (
                Suggestion.objects.for_municipality(binding.municipality)
                .exclude(received_on=None)
                .order_by("received_on")
                .values_list("received_on", flat=True)
                .first()
            )
            if first is None:
                continue
            start = first.replace(day=1)
        with transaction.atomic():
            end = _month_end(start)
            while end + dt.timedelta(days=SUGGESTION_RESPONSE_DAYS) < today:
                measurement = suggestion_indicator_record(
                    municipality=binding.municipality,
                    indicator=binding.indicator,
                    period_start=start,
                    period_end=end,
                    actor=actor,
                    today=today,
                )
                if measurement is not None:
                    written.append(measurement)
                binding.recorded_through = end
                start = end + dt.timedelta(days=1)
                end = _month_end(start)
            binding.save(update_fields=["recorded_through", "updated_at"])
    return written
