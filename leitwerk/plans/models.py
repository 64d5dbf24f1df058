"""Aktionsplan: plans → action fields → Vorhaben → Teilvorhaben, milestones, indicators.

The Vorhaben is the hub of the domain: its indicators with their measurements and its status
reports live here too, so one app owns the whole concept (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from leitwerk.core.models import TenantModel, TenantQuerySet
from leitwerk.core.status import Health


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    ADOPTED = "adopted", _("beschlossen")
    ARCHIVED = "archived", _("archiviert")


class ActionPlan(TenantModel):
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    period_start = models.DateField(_("Laufzeit von"), null=True, blank=True)
    period_end = models.DateField(_("Laufzeit bis"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
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
    adoption_reference = models.CharField(_("Beschlussnummer"), max_length=200, blank=True)
    reporting_interval_days = models.PositiveIntegerField(_("Berichtsintervall (Tage)"), default=90)
    public = models.BooleanField(_("öffentlich"), default=False)
    unrecognised = models.JSONField(_("nicht zugeordnete Textteile"), default=list, blank=True)
    source_name = models.CharField(_("Quelldatei"), max_length=300, blank=True)
    source_hash = models.CharField(_("Prüfsumme der Quelle"), max_length=64, blank=True)
    # The source table's own column headers and the field each fed, so that an export
    # reproduces the table the municipality knows and a re-import maps it the same way.
    source_columns = models.JSONField(_("Spalten der Quelle"), default=list, blank=True)
    # Rahmenkonzepte that frame this plan (goals.FrameworkConcept; the link lives here because
    # plans sit above goals).
    framework_concepts = models.ManyToManyField(
        "goals.FrameworkConcept",
        blank=True,
        related_name="action_plans",
        verbose_name=_("Rahmenkonzepte"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Aktionsplan")
        verbose_name_plural = _("Aktionspläne")
        ordering = ["-period_start", "title"]

    def __str__(self) -> str:
        return self.title


class ActionField(TenantModel):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="action_fields", verbose_name=_("Plan")
    )
    code = models.CharField(_("Kürzel"), max_length=20, blank=True)
    # The word the source used ("Aktionsfeld", "Handlungsfeld"), kept for a faithful export.
    label = models.CharField(_("Bezeichnung in der Quelle"), max_length=40, blank=True)
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    # Kept so that "Stand an einem Datum" shows a renamed or deleted field as it was.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Aktionsfeld")
        verbose_name_plural = _("Aktionsfelder")
        ordering = ["plan", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    ACTIVE = "active", _("in Umsetzung")
    PAUSED = "paused", _("pausiert")
    COMPLETED = "completed", _("abgeschlossen")
    CANCELLED = "cancelled", _("eingestellt")


class InitiativeQuerySet(TenantQuerySet["Initiative"]):
    """Domain verbs for Vorhaben; every page, export and API route uses these, not the fields."""

    def visible_in_portal(self) -> InitiativeQuerySet:
        """Public Vorhaben of public plans that the council adopted (or archived after)."""
        return self.filter(
            public=True,
            action_field__plan__public=True,
            action_field__plan__status__in=[PlanStatus.ADOPTED, PlanStatus.ARCHIVED],
        )

    def by_plan(self) -> InitiativeQuerySet:
        """In the order of plan, Aktionsfeld and number, with both loaded (pickers, lists)."""
        return self.select_related("action_field__plan").order_by(
            "action_field__plan__title",
            "action_field__plan_id",
            "action_field__order",
            "action_field__code",
            "action_field_id",
            "order",
            "number",
            "id",
        )

    def without_drafts(self) -> InitiativeQuerySet:
        """Vorhaben of plans that are no longer drafts: what roll-ups, dashboards, council
        views and the portal count by default."""
        return self.exclude(action_field__plan__status=PlanStatus.DRAFT)

    def unfinished(self) -> InitiativeQuerySet:
        """Still to be done: neither completed nor stopped."""
        return self.exclude(status__in=[InitiativeStatus.COMPLETED, InitiativeStatus.CANCELLED])


class Initiative(TenantModel):
    """Vorhaben (Kernvorhaben): a project of the action plan."""

    action_field = models.ForeignKey(
        ActionField,
        on_delete=models.CASCADE,
        related_name="initiatives",
        verbose_name=_("Aktionsfeld"),
    )
    number = models.CharField(_("Nummer"), max_length=20, blank=True)
    title = models.CharField(_("Arbeitstitel"), max_length=500)
    objective = models.TextField(_("Zielsetzung"), blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    # Optional; released with the Vorhaben and shown on the portal behind "Leichte Sprache".
    easy_summary = models.TextField(
        _("Kurz in Leichter Sprache"),
        blank=True,
        help_text=_("Kurze Sätze, eine Aussage pro Satz. Erscheint im Bürgerportal."),
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PLANNED,
    )
    lead_unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("federführende Einheit"),
    )
    responsible_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="initiatives",
        verbose_name=_("verantwortliche Personen"),
    )
    responsible_text = models.JSONField(_("Verantwortlich (Freitext)"), default=list, blank=True)
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    period_text = models.CharField(_("Zeitraum (Freitext)"), max_length=300, blank=True)
    effort_person_days = models.DecimalField(
        _("Aufwand (Personentage)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    budget_eur = models.DecimalField(
        _("Budget (Euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    affected_municipalities = models.ManyToManyField(
        "municipalities.Municipality",
        blank=True,
        related_name="affecting_initiatives",
        verbose_name=_("betroffene Mitgliedsgemeinden"),
    )
    statements = models.ManyToManyField(
        "guidelines.Statement",
        blank=True,
        related_name="initiatives",
        verbose_name=_("dient den Leitbild-Aussagen"),
    )
    goals = models.ManyToManyField(
        "goals.Goal", blank=True, related_name="initiatives", verbose_name=_("dient den Zielen")
    )
    weight = models.DecimalField(_("Gewicht"), max_digits=6, decimal_places=2, default=1)
    public = models.BooleanField(_("öffentlich"), default=False)
    extra = models.JSONField(_("weitere Angaben"), default=dict, blank=True)
    needs_review = models.JSONField(_("zu prüfende Felder"), default=list, blank=True)
    last_report_at = models.DateTimeField(_("letzte Meldung"), null=True, blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    objects: ClassVar[models.Manager[Initiative]] = InitiativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Vorhaben")
        verbose_name_plural = _("Vorhaben")
        ordering = ["action_field", "order", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class SubInitiativeKind(models.TextChoices):
    TEILVORHABEN = "teilvorhaben", _("Teilvorhaben")
    IDEA = "idea", _("Umsetzungsidee")


class SubInitiative(TenantModel):
    """Teilvorhaben or optional implementation idea of a Vorhaben."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("Vorhaben")
    )
    kind = models.CharField(
        _("Art"), max_length=20, choices=SubInitiativeKind.choices, default=SubInitiativeKind.IDEA
    )
    text = models.TextField(_("Text"))
    # A source's nested list kept as it was: an idea listed under a Teilvorhaben is its own.
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("gehört zu"),
    )
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Teilvorhaben / Umsetzungsidee")
        verbose_name_plural = _("Teilvorhaben / Umsetzungsideen")
        ordering = ["initiative", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class MilestoneQuerySet(TenantQuerySet["Milestone"]):
    def overdue(self, today: dt.date) -> MilestoneQuerySet:
        """Not reached although the due date has passed (the rule of `Milestone.is_overdue`)."""
        return self.filter(done_on__isnull=True, due_date__lt=today)


class Milestone(TenantModel):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("Vorhaben")
    )
    title = models.TextField(_("Meilenstein"))
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    done_on = models.DateField(_("erreicht am"), null=True, blank=True)
    is_success_factor = models.BooleanField(_("Erfolgsfaktor"), default=False)
    weight = models.DecimalField(_("Gewicht"), max_digits=6, decimal_places=2, default=1)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    objects: ClassVar[models.Manager[Milestone]] = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["initiative", "order", "due_date", "id"]

    def __str__(self) -> str:
        return self.title[:80]

    def is_overdue(self, today) -> bool:
        return self.done_on is None and self.due_date is not None and self.due_date < today


class IndicatorKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Kennzahl")
    YES_NO = "yes_no", _("Ja/Nein")
    CHECKLIST = "checklist", _("Checkliste")
    SURVEY = "survey", _("Umfragewert")
    QUALITATIVE = "qualitative", _("qualitativ (noch nicht messbar)")


class Direction(models.TextChoices):
    INCREASE = "increase", _("steigend ist gut")
    DECREASE = "decrease", _("fallend ist gut")


class IndicatorQuerySet(TenantQuerySet["Indicator"]):
    def visible_in_portal(self) -> IndicatorQuerySet:
        return self.filter(public=True)


class Indicator(TenantModel):
    """How goal attainment is measured, for a Vorhaben or a goal.

    Qualitative indicators from imported plans start as `qualitative` and become measurable
    ("Ich mache Ziele messbar") once they get a kind, baseline, target and target date.
    """

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("Vorhaben"),
    )
    goal = models.ForeignKey(
        "goals.Goal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("Ziel"),
    )
    title = models.TextField(_("Indikator"))
    kind = models.CharField(
        _("Art"), max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.QUALITATIVE
    )
    unit = models.CharField(_("Einheit"), max_length=50, blank=True)
    baseline = models.DecimalField(
        _("Ausgangswert"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("Ausgangsdatum"), null=True, blank=True)
    target = models.DecimalField(
        _("Zielwert"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_date = models.DateField(_("Zieldatum"), null=True, blank=True)
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    checklist = models.JSONField(_("Checkliste"), default=list, blank=True)
    weight = models.DecimalField(_("Gewicht"), max_digits=6, decimal_places=2, default=1)
    public = models.BooleanField(_("öffentlich"), default=False)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    objects: ClassVar[models.Manager[Indicator]] = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["order", "id"]
        constraints = [
            # An indicator measures either one Vorhaben or one goal, never both or neither.
            models.CheckConstraint(
                condition=models.Q(initiative__isnull=False, goal__isnull=True)
                | models.Q(initiative__isnull=True, goal__isnull=False),
                name="indicator_belongs_to_initiative_or_goal",
                violation_error_message=_(
                    "Ein Indikator gehört entweder zu einem Vorhaben oder zu einem Ziel."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", _("manuell erfasst")
    IMPORT = "import", _("importiert")
    SURVEY = "survey", _("aus Umfrage")
    API = "api", _("über Schnittstelle")


class Measurement(TenantModel):
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("Indikator"),
    )
    measured_on = models.DateField(_("Stichtag"))
    period_label = models.CharField(_("Zeitraum"), max_length=50, blank=True)
    value = models.DecimalField(_("Wert"), max_digits=16, decimal_places=4)
    note = models.TextField(_("Anmerkung"), blank=True)
    source = models.CharField(
        _("Quelle"),
        max_length=20,
        choices=MeasurementSource.choices,
        default=MeasurementSource.MANUAL,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )

    # The tables keep the names they had when controlling owned these models.
    history = HistoricalRecords(table_name="controlling_historicalmeasurement")

    class Meta:
        db_table = "controlling_measurement"
        verbose_name = _("Messwert")
        verbose_name_plural = _("Messwerte")
        ordering = ["indicator", "measured_on", "id"]
        indexes = [models.Index(fields=["indicator", "measured_on"])]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"


class StatusReport(TenantModel):
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="status_reports",
        verbose_name=_("Vorhaben"),
    )
    period_label = models.CharField(_("Berichtszeitraum"), max_length=50)
    reported_on = models.DateField(_("gemeldet am"))
    health = models.CharField(_("Einschätzung"), max_length=20, choices=Health.choices)
    text = models.TextField(_("Sachstand"))
    off_track_note = models.TextField(_("Warum und was nun?"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeldet von"),
    )

    class Meta:
        db_table = "controlling_statusreport"
        verbose_name = _("Sachstandsmeldung")
        verbose_name_plural = _("Sachstandsmeldungen")
        ordering = ["initiative", "-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.initiative} – {self.period_label}"


class TransferCity(TenantModel):
    """A city of the network the Vorhaben can learn from (Erfahrungstransfer)."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="transfer_cities",
        verbose_name=_("Vorhaben"),
    )
    name = models.CharField(_("Name"), max_length=200)
    ags = models.CharField(_("AGS"), max_length=8, blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Transferkommune")
        verbose_name_plural = _("Transferkommunen")
        ordering = ["initiative", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Resolution(TenantModel):
    """Vorsatz: a cross-cutting resolution, stated with a Vorhaben or for the whole plan."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="resolutions", verbose_name=_("Plan")
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("Vorhaben"),
    )
    text = models.TextField(_("Vorsatz"))
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Vorsatz")
        verbose_name_plural = _("Vorsätze")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    # Random names: the original name is only kept in the row, never in the storage path,
    # so a file cannot be guessed, overwritten or reached by its name.
    import secrets
    from pathlib import Path

    suffix = Path(filename).suffix.lower()[:8]
    return f"attachments/{instance.municipality_id}/{secrets.token_urlsafe(24)}{suffix}"


class Attachment(TenantModel):
    """A file attached to a Vorhaben; served only through a view that checks access."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("Vorhaben")
    )
    file = models.FileField(_("Datei"), upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe (Bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hochgeladen von"),
    )

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["initiative", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class PortalRelease(TenantModel):
    """Freigabe: what the public portal shows of one plan, frozen when it was released.

    `data` holds exactly the public fields and figures of the plan and of its Vorhaben as
    the portal shows them (`plans/release.py` builds it); the portal reads the newest release
    of each plan and never the live rows, so nothing typed in the workspace reaches citizens
    before the strategy office releases it. Earlier releases stay as the record of what was
    published when.
    """

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="releases", verbose_name=_("Plan")
    )
    released_at = models.DateTimeField(_("freigegeben am"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("freigegeben von"),
    )
    # What this release covered: the whole plan, or one Vorhaben ("Vorhaben 1.2").
    scope = models.CharField(_("Umfang"), max_length=300, blank=True)
    data = models.JSONField(_("freigegebene Inhalte"), default=dict)

    class Meta:
        verbose_name = _("Freigabe für das Portal")
        verbose_name_plural = _("Freigaben für das Portal")
        ordering = ["-released_at", "-id"]
        indexes = [models.Index(fields=["municipality", "plan", "-id"], name="release_newest")]

    def __str__(self) -> str:
        return f"{self.plan} – {self.released_at:%d.%m.%Y %H:%M}"
