"""Priorisierung: rounds with ballots, the aggregated and adopted list, changes and decisions.

Workflow: a round is opened with participants (bodies or units) and candidate Vorhaben; each
participant submits one ballot; the strategy office aggregates (Borda or Schulze, see
aggregation.py), which closes the round; a body adopts the list (version 1); every later change
needs a justification, creates a new version and is counted as an "ad-hoc-Richtungsänderung".
Amt mode adds the balance threshold and compensation measures for member municipalities.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from leitwerk.core.models import TenantModel, TenantQuerySet


class RoundStatus(models.TextChoices):
    OPEN = "open", _("offen")
    CLOSED = "closed", _("abgeschlossen")
    ADOPTED = "adopted", _("beschlossen")


class AggregationMethod(models.TextChoices):
    BORDA = "borda", _("Borda-Zählung")
    SCHULZE = "schulze", _("Schulze-Methode")


class BallotMode(models.TextChoices):
    RANK = "rank", _("Rangfolge")
    SCORE = "score", _("Bewertung (Nutzen, Dringlichkeit, Aufwand)")


class PriorityRound(TenantModel):
    title = models.CharField(_("Titel"), max_length=300)
    year = models.PositiveIntegerField(_("Jahr"), null=True, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    ballot_mode = models.CharField(
        _("Art der Stimmabgabe"), max_length=10, choices=BallotMode.choices, default=BallotMode.RANK
    )
    candidates = models.ManyToManyField(
        "plans.Initiative",
        blank=True,
        related_name="priority_rounds",
        verbose_name=_("zur Wahl stehende Vorhaben"),
    )
    method = models.CharField(
        _("Verfahren der Zusammenführung"),
        max_length=10,
        choices=AggregationMethod.choices,
        blank=True,
    )
    aggregated_at = models.DateTimeField(_("zusammengeführt am"), null=True, blank=True)
    oparl_url = models.URLField(_("OParl-Adresse der Vorlage"), blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    adopted_on = models.DateField(_("beschlossen am"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beschlossen durch"),
    )
    decision_reference = models.CharField(_("Beschlussnummer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Priorisierungsrunde")
        verbose_name_plural = _("Priorisierungsrunden")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class PriorityItem(TenantModel):
    """A Vorhaben's place on the agreed list of a round."""

    round = models.ForeignKey(
        PriorityRound, on_delete=models.CASCADE, related_name="items", verbose_name=_("Runde")
    )
    initiative = models.ForeignKey(
        "plans.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("Vorhaben")
    )
    rank = models.PositiveIntegerField(_("Rang"))
    shared_rank = models.PositiveIntegerField(_("Rang laut Verfahren"), null=True, blank=True)
    score = models.DecimalField(_("Punkte"), max_digits=12, decimal_places=3, null=True, blank=True)
    spread = models.DecimalField(
        _("Spannweite der Plätze"), max_digits=8, decimal_places=1, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Listenplatz")
        verbose_name_plural = _("Prioritätenliste")
        ordering = ["round", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "initiative"], name="unique_item_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.initiative}"


class DecisionKind(models.TextChoices):
    START = "start", _("Start")
    STOP = "stop", _("Stopp")
    RESCOPE = "rescope", _("Neuzuschnitt")
    BUDGET = "budget", _("Budget")
    PRIORITY = "priority", _("Priorität")
    OTHER = "other", _("Sonstiges")


class DecisionQuerySet(TenantQuerySet["Decision"]):
    def visible_in_portal(self) -> DecisionQuerySet:
        """What the public portal may show: published by the municipality."""
        return self.filter(public=True)


class Decision(TenantModel):
    """A decision on a Vorhaben, with its justification in plain language."""

    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("Vorhaben"),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=DecisionKind.choices)
    title = models.CharField(_("Titel"), max_length=300)
    justification = models.TextField(_("Begründung"))
    decided_on = models.DateField(_("entschieden am"))
    body = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("Gremium"),
    )
    reference = models.CharField(_("Beschlussnummer"), max_length=200, blank=True)
    oparl_url = models.URLField(_("OParl-Adresse der Vorlage"), blank=True)
    priority_round = models.ForeignKey(
        PriorityRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("Prioritätenliste"),
    )
    public = models.BooleanField(_("öffentlich"), default=False)

    objects: ClassVar[models.Manager[Decision]] = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title


class RoundParticipant(TenantModel):
    """A body or a unit that submits one ballot in a round."""

    round = models.ForeignKey(
        PriorityRound,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("Runde"),
    )
    body = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gremium"),
    )
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisationseinheit"),
    )

    class Meta:
        verbose_name = _("Teilnehmende Stelle")
        verbose_name_plural = _("Teilnehmende Stellen")
        ordering = ["round", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(body__isnull=False, unit__isnull=True)
                    | models.Q(body__isnull=True, unit__isnull=False)
                ),
                name="participant_is_body_xor_unit",
            ),
            models.UniqueConstraint(fields=["round", "body"], name="unique_body_per_round"),
            models.UniqueConstraint(fields=["round", "unit"], name="unique_unit_per_round"),
        ]

    def __str__(self) -> str:
        return str(self.body or self.unit)


class Ballot(TenantModel):
    """A participant's one ballot; resubmitting replaces its entries while the round is open."""

    round = models.ForeignKey(
        PriorityRound, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("Runde")
    )
    participant = models.OneToOneField(
        RoundParticipant,
        on_delete=models.CASCADE,
        related_name="ballot",
        verbose_name=_("teilnehmende Stelle"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("abgegeben von"),
    )
    submitted_at = models.DateTimeField(_("abgegeben am"))
    comment = models.TextField(_("Anmerkung"), blank=True)

    class Meta:
        verbose_name = _("Stimmzettel")
        verbose_name_plural = _("Stimmzettel")
        ordering = ["round", "participant"]

    def __str__(self) -> str:
        return f"{self.round}: {self.participant}"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class BallotEntry(TenantModel):
    """A rank (1 = most important) or three scores 1–5 for one Vorhaben on a ballot."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="entries", verbose_name=_("Stimmzettel")
    )
    initiative = models.ForeignKey(
        "plans.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("Vorhaben")
    )
    rank = models.PositiveIntegerField(_("Rang"), null=True, blank=True)
    benefit = models.PositiveSmallIntegerField(
        _("Nutzen (1–5)"), validators=SCORE, null=True, blank=True
    )
    urgency = models.PositiveSmallIntegerField(
        _("Dringlichkeit (1–5)"), validators=SCORE, null=True, blank=True
    )
    effort = models.PositiveSmallIntegerField(
        _("Aufwand (1–5)"), validators=SCORE, null=True, blank=True
    )

    class Meta:
        verbose_name = _("Eintrag auf dem Stimmzettel")
        verbose_name_plural = _("Einträge auf Stimmzetteln")
        ordering = ["ballot", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "initiative"], name="unique_entry_per_ballot")
        ]

    def __str__(self) -> str:
        return f"{self.ballot}: {self.initiative}"

    @property
    def combined_score(self) -> int | None:
        """Benefit + urgency + (6 − effort): high benefit and urgency, low effort come first."""
        if self.benefit is None or self.urgency is None or self.effort is None:
            return None
        return self.benefit + self.urgency + (6 - self.effort)


class ListVersion(TenantModel):
    """A snapshot of the adopted list: version 1 at adoption, one more per justified change."""

    round = models.ForeignKey(
        PriorityRound, on_delete=models.CASCADE, related_name="versions", verbose_name=_("Runde")
    )
    number = models.PositiveIntegerField(_("Fassung"))
    entries = models.JSONField(_("Liste"), default=list)
    note = models.CharField(_("Anlass"), max_length=300, blank=True)
    # The day the body decided this version, not the day it was typed in (`created_at`).
    decided_on = models.DateField(_("beschlossen am"), null=True, blank=True)
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Beschluss"),
    )

    class Meta:
        verbose_name = _("Fassung der Prioritätenliste")
        verbose_name_plural = _("Fassungen der Prioritätenliste")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="unique_version_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round}, Fassung {self.number}"


class PriorityChange(TenantModel):
    """A change of the adopted list: always justified, each one counts as a change of direction."""

    round = models.ForeignKey(
        PriorityRound, on_delete=models.CASCADE, related_name="changes", verbose_name=_("Runde")
    )
    initiative = models.ForeignKey(
        "plans.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("Vorhaben")
    )
    old_rank = models.PositiveIntegerField(_("bisheriger Rang"))
    new_rank = models.PositiveIntegerField(_("neuer Rang"))
    justification = models.TextField(_("Begründung"))
    changed_on = models.DateField(_("geändert am"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eingetragen von"),
    )
    list_version = models.ForeignKey(
        ListVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ergibt Fassung"),
    )

    class Meta:
        verbose_name = _("Änderung der Prioritätenliste")
        verbose_name_plural = _("Änderungen der Prioritätenliste")
        ordering = ["round", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.old_rank} → {self.new_rank}"


class BalanceSettings(TenantModel):
    """Amt mode: from which deviation (percentage points) a member's share counts as imbalanced."""

    threshold_points = models.DecimalField(
        _("Schwelle (Prozentpunkte)"),
        max_digits=5,
        decimal_places=1,
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("Einstellung Interessenausgleich")
        verbose_name_plural = _("Einstellungen Interessenausgleich")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="unique_balance_settings")
        ]

    def __str__(self) -> str:
        return f"{self.threshold_points} Prozentpunkte"


class CompensationMeasure(TenantModel):
    """Amt mode: what the Amt does for a member municipality that comes off worse."""

    member = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="compensation_measures",
        verbose_name=_("Mitgliedsgemeinde"),
    )
    title = models.CharField(_("Maßnahme"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    amount_eur = models.DecimalField(
        _("Betrag (Euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField(_("beschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Ausgleichsmaßnahme")
        verbose_name_plural = _("Ausgleichsmaßnahmen")
        ordering = ["member", "-decided_on", "id"]

    def __str__(self) -> str:
        return self.title


class CostShare(TenantModel):
    """Amt mode: which member municipality pays which share of a Vorhaben's budget."""

    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.CASCADE,
        related_name="cost_shares",
        verbose_name=_("Vorhaben"),
    )
    member = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Mitgliedsgemeinde"),
    )
    share_percent = models.DecimalField(
        _("Anteil an den Kosten (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("Kostenanteil")
        verbose_name_plural = _("Kostenanteile")
        ordering = ["initiative", "member"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "member"], name="unique_cost_share")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.share_percent} %"


class MemberSignOff(TenantModel):
    """Amt mode: a member municipality's council approves its part of the adopted list."""

    round = models.ForeignKey(
        PriorityRound, on_delete=models.CASCADE, related_name="sign_offs", verbose_name=_("Runde")
    )
    member = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Mitgliedsgemeinde"),
    )
    council = models.CharField(_("Gremium der Gemeinde"), max_length=200)
    signed_on = models.DateField(_("zugestimmt am"))
    reference = models.CharField(_("Beschlussnummer"), max_length=200, blank=True)
    note = models.TextField(_("Anmerkung"), blank=True)

    class Meta:
        verbose_name = _("Zustimmung einer Mitgliedsgemeinde")
        verbose_name_plural = _("Zustimmungen der Mitgliedsgemeinden")
        ordering = ["round", "member"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="unique_sign_off_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.signed_on}"
