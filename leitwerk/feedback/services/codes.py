"""One-time codes for surveys that require them (staff pulse)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leitwerk.core.audit import audit
from leitwerk.feedback import results
from leitwerk.feedback.models import AnswerAggregate, SurveyCode, SurveyKind, Wave, WaveStatus
from leitwerk.feedback.selectors import CodeAllowance, code_allowance
from leitwerk.municipalities.models import OrganisationalUnit

if TYPE_CHECKING:
    from leitwerk.accounts.models import User


def hash_code(code: str) -> str:
    """What is stored of a code: keyed hash of its normalised form, never the code."""
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(
        settings.SECRET_KEY.encode(), f"feedback-code:{normalised}".encode(), hashlib.sha256
    ).hexdigest()


# Without 0/O and 1/I/L, so printed codes are typed without mistakes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _issued_count_add(*, wave: Wave, unit: OrganisationalUnit | None, count: int) -> None:
    """Count issued codes per unit apart from the codes, which go when used (audit M2).
    The caller holds the wave's row lock, so the read-then-write cannot race."""
    row = (
        AnswerAggregate.objects.belonging_to(wave, via="wave")
        .filter(question__isnull=True, value=results.ISSUED_CODES, unit=unit)
        .first()
    )
    if row is None:
        AnswerAggregate.objects.create(
            municipality=wave.municipality,
            wave=wave,
            unit=unit,
            value=results.ISSUED_CODES,
            count=count,
        )
    else:
        row.count += count
        row.save(update_fields=["count"])


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _within_team_allowance(
    *, wave: Wave, unit: OrganisationalUnit | None, count: int
) -> tuple[OrganisationalUnit, CodeAllowance]:
    if unit is None:
        raise ValidationError(
            {
                "unit": _(
                    "Bitte das Team wählen: Codes gibt es je Team, höchstens so viele, "
                    "wie es Mitarbeitende hat."
                )
            }
        )
    if unit.municipality_id != wave.municipality_id:
        raise ValidationError({"unit": _("Unbekannte Organisationseinheit.")})
    unit = OrganisationalUnit.objects.get(pk=unit.pk, municipality_id=wave.municipality_id)
    allowance = code_allowance(wave=wave, unit=unit)
    if allowance.limit is None:
        raise ValidationError(
            {
                "unit": _(
                    "Für „%(unit)s“ ist keine Zahl der Mitarbeitenden hinterlegt. Die "
                    "Administration trägt sie bei der Organisationseinheit ein; erst dann gibt "
                    "es Codes."
                )
                % {"unit": unit}
            }
        )
    if count > allowance.remaining:
        raise ValidationError(
            {
                "count": _(
                    "„%(unit)s“ hat %(headcount)s Mitarbeitende; in dieser Welle gibt es "
                    "höchstens %(limit)s Codes, %(issued)s sind schon ausgegeben. Möglich sind "
                    "noch %(remaining)s."
                )
                % {
                    "unit": unit,
                    "headcount": allowance.headcount,
                    "limit": allowance.limit,
                    "issued": allowance.issued,
                    "remaining": allowance.remaining,
                }
            }
        )
    return unit, allowance


@transaction.atomic
def codes_generate(
    *, wave: Wave, unit: OrganisationalUnit | None, count: int, actor: User | None, today: dt.date
) -> list[str]:
    """New one-time codes for one unit; the plain codes exist only in the return value.

    A batch belongs to one unit, and all batches of a wave together stay within the unit's
    head count from the organisation plus a small margin (`code_limit`). Every batch is
    audited with the numbers.
    """
    if not 1 <= count <= 500:
        raise ValidationError(_("Bitte zwischen 1 und 500 Codes erzeugen."))
    # The wave row is locked, so two parallel batches cannot both pass the limit.
    wave = (
        Wave.objects.select_for_update()
        .select_related("survey")
        .get(pk=wave.pk, municipality_id=wave.municipality_id)
    )
    if wave.status != WaveStatus.OPEN:
        raise ValidationError(_("Codes gibt es nur für eine laufende Welle."))
    # Staff codes are bounded by the team's head count (H2). Citizen codes go out with the
    # waiting ticket at a location, not per team; their batches are audited all the same.
    allowance = None
    if unit is not None or wave.survey.kind != SurveyKind.CITIZEN:
        unit, allowance = _within_team_allowance(wave=wave, unit=unit, count=count)
    codes = [_new_code() for _ in range(count)]
    SurveyCode.objects.bulk_create(
        SurveyCode(
            municipality=wave.municipality,
            wave=wave,
            unit=unit,
            code_hash=hash_code(code),
            issued_on=today,
        )
        for code in codes
    )
    _issued_count_add(wave=wave, unit=unit, count=count)
    audit(
        actor=actor,
        action="feedback.codes_generate",
        target=wave,
        data={
            "count": count,
            "unit": unit.pk if unit is not None else None,
            "headcount": allowance.headcount if allowance else None,
            "limit": allowance.limit if allowance else None,
            "issued_before": allowance.issued if allowance else None,
        },
    )
    return codes
