"""The council's side: what the council information system (RIS) publishes through OParl 1.1,
and the follow-up of decisions (Beschlusskontrolle).

Rows read from a RIS keep their OParl id (the object's URL), unique per municipality: one RIS
may serve several municipalities (OParl bodies), and a second sync finds and compares the rows
it wrote the first time instead of adding them again.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from leitwerk.core.models import TenantModel

OPARL_ID_LENGTH = 500


class RisSource(TenantModel):
    """A municipality's council information system: where it is and how the last sync went."""

    system_url = models.URLField(
        _("OParl-Adresse des Ratsinformationssystems"),
        max_length=OPARL_ID_LENGTH,
        help_text=_("Die Adresse des OParl-Systems, z. B. https://ris.beispielstadt.de/oparl/v1.1"),
    )
    daily_sync = models.BooleanField(
        _("täglich abgleichen"),
        default=False,
        help_text=_("Jede Nacht neue und geänderte Sitzungen, Vorlagen und Beschlüsse holen."),
    )
    last_run_at = models.DateTimeField(_("letzter Abgleich"), null=True, blank=True)
    last_ok = models.BooleanField(_("letzter Abgleich erfolgreich"), null=True, blank=True)
    last_result = models.JSONField(_("Ergebnis des letzten Abgleichs"), default=dict, blank=True)
    # Start of the last run that finished: the next run asks only for objects modified since.
    synced_since = models.DateTimeField(_("abgeglichen bis"), null=True, blank=True)
    # "Jetzt abgleichen" runs in the worker: when it was asked for and when the worker began
    # (both empty once the run has written its result).
    sync_queued_at = models.DateTimeField(_("Abgleich angestoßen"), null=True, blank=True)
    sync_started_at = models.DateTimeField(_("Abgleich läuft seit"), null=True, blank=True)

    class Meta:
        verbose_name = _("Ratsinformationssystem")
        verbose_name_plural = _("Ratsinformationssysteme")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="one_ris_per_municipality")
        ]

    def __str__(self) -> str:
        return self.system_url


class OParlRow(TenantModel):
    """A row read from the RIS: its OParl id, and the RIS's own modification time."""

    oparl_id = models.URLField(_("OParl-ID"), max_length=OPARL_ID_LENGTH)
    oparl_modified = models.CharField(_("im RIS geändert"), max_length=40, blank=True)

    class Meta:
        abstract = True


class Organization(OParlRow):
    """An OParl organisation (Gremium, Fraktion …), mapped to the municipality's body."""

    name = models.CharField(_("Name"), max_length=300)
    short_name = models.CharField(_("Kurzname"), max_length=200, blank=True)
    classification = models.CharField(_("Art"), max_length=200, blank=True)
    body = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gremium"),
    )

    class Meta:
        verbose_name = _("Organisation im RIS")
        verbose_name_plural = _("Organisationen im RIS")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "oparl_id"], name="unique_oparl_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(OParlRow):
    name = models.CharField(_("Name"), max_length=300)
    start = models.DateTimeField(_("Beginn"), null=True, blank=True)
    end = models.DateTimeField(_("Ende"), null=True, blank=True)
    cancelled = models.BooleanField(_("abgesagt"), default=False)
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="meetings", verbose_name=_("Gremien")
    )

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "oparl_id"], name="unique_oparl_meeting"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Paper(OParlRow):
    """A Vorlage (Drucksache): proposal, motion, enquiry."""

    name = models.CharField(_("Betreff"), max_length=500)
    reference = models.CharField(_("Drucksachennummer"), max_length=200, blank=True)
    date = models.DateField(_("Datum"), null=True, blank=True)
    paper_type = models.CharField(_("Art"), max_length=200, blank=True)
    # The agenda items that consulted this paper (OParl ids), from its consultations: links a
    # decision to its paper even when the paper and the meeting are read in different runs.
    agenda_item_ids = models.JSONField(_("beraten unter"), default=list, blank=True)

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "oparl_id"], name="unique_oparl_paper")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()


class AgendaItem(OParlRow):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("Sitzung")
    )
    number = models.CharField(_("Nummer"), max_length=50, blank=True)
    order = models.IntegerField(_("Reihenfolge"), null=True, blank=True)
    name = models.CharField(_("Gegenstand"), max_length=500)
    public = models.BooleanField(_("öffentlich"), default=True)
    result = models.CharField(_("Ergebnis"), max_length=300, blank=True)
    resolution_text = models.TextField(_("Beschlusstext"), blank=True)
    paper = models.ForeignKey(
        Paper,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("Vorlage"),
    )

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "order", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "oparl_id"], name="unique_oparl_agenda_item"
            )
        ]

    def __str__(self) -> str:
        return f"TOP {self.number} {self.name}".strip()


class DecisionSource(models.TextChoices):
    OPARL = "oparl", _("aus dem Ratsinformationssystem")
    MANUAL = "manual", _("von Hand erfasst")


class CouncilDecision(TenantModel):
    """A decision of a body: an agenda item's result and resolution text, or entered by hand."""

    source = models.CharField(
        _("Herkunft"), max_length=10, choices=DecisionSource.choices, default=DecisionSource.MANUAL
    )
    agenda_item = models.OneToOneField(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("Tagesordnungspunkt"),
    )
    title = models.CharField(_("Gegenstand"), max_length=500)
    decided_on = models.DateField(_("Beschlussdatum"), null=True, blank=True)
    body = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gremium"),
    )
    reference = models.CharField(_("Drucksachennummer"), max_length=200, blank=True)
    result = models.CharField(_("Ergebnis"), max_length=300, blank=True)
    resolution_text = models.TextField(_("Beschlusstext"), blank=True)
    paper = models.ForeignKey(
        Paper,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("Vorlage"),
    )
    # The OParl ids of the agenda item and its paper: what a priority list's or a Vorhaben's
    # decision (`oparl_url`, entered there) is matched with.
    oparl_id = models.URLField(_("OParl-ID des Tagesordnungspunkts"), max_length=500, blank=True)
    paper_oparl_id = models.URLField(_("OParl-ID der Vorlage"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Arbeit")
    DELAYED = "delayed", _("verzögert")
    DONE = "done", _("erledigt")


class Light(models.TextChoices):
    """The traffic light of one follow-up (docs/HANDBUCH.md, Beschlusskontrolle)."""

    RED = "red", _("rot")
    AMBER = "amber", _("gelb")
    GREEN = "green", _("grün")
    DONE = "done", _("erledigt")


# A deadline this close counts as "bald fällig" (amber), like a status report that is due soon.
DUE_SOON_DAYS = 14


class DecisionFollowUp(TenantModel):
    """The follow-up of one decision: who implements it by when, and how far it is."""

    decision = models.OneToOneField(
        CouncilDecision,
        on_delete=models.CASCADE,
        related_name="follow_up",
        verbose_name=_("Beschluss"),
    )
    # Named `unit` so the shared predicate `is_unit_editor_of` applies to it.
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("federführende Stelle"),
    )
    deadline = models.DateField(_("Frist"), null=True, blank=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    delay_reason = models.TextField(_("Grund der Verzögerung"), blank=True)
    done_note = models.TextField(_("Erledigungsvermerk"), blank=True)
    done_on = models.DateField(_("erledigt am"), null=True, blank=True)
    initiatives = models.ManyToManyField(
        "plans.Initiative", blank=True, related_name="+", verbose_name=_("Vorhaben")
    )
    priority_items = models.ManyToManyField(
        "priorities.PriorityItem",
        blank=True,
        related_name="+",
        verbose_name=_("Plätze der Prioritätenliste"),
    )
    # The deadline the responsible unit was last reminded of (once per deadline).
    reminded_for = models.DateField(_("erinnert an Frist"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Beschlusskontrolle")
        verbose_name_plural = _("Beschlusskontrolle")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return str(self.decision)

    def clean(self) -> None:
        super().clean()
        if self.status == FollowUpStatus.DELAYED and not self.delay_reason.strip():
            raise ValidationError(
                {"delay_reason": "Bitte den Grund angeben (Pflicht bei „verzögert“)."}
            )
        if self.status == FollowUpStatus.DONE and not self.done_note.strip():
            raise ValidationError(
                {"done_note": "Bitte einen Erledigungsvermerk angeben (Pflicht bei „erledigt“)."}
            )

    def light(self, today: dt.date) -> str:
        """Red: deadline passed; amber: delayed or due within two weeks; green otherwise."""
        if self.status == FollowUpStatus.DONE:
            return Light.DONE
        if self.deadline is not None and self.deadline < today:
            return Light.RED
        if self.status == FollowUpStatus.DELAYED:
            return Light.AMBER
        if self.deadline is not None and self.deadline <= today + dt.timedelta(DUE_SOON_DAYS):
            return Light.AMBER
        return Light.GREEN
