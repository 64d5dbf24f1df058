"""Netzwerk: networks span municipalities, so `Network` and the directory are not tenant rows.

What a municipality shares is opt-in and lives on its own tenant rows: a `SharedInitiative`
is a profile the municipality writes for the network (a snapshot, never the Vorhaben itself),
a `SharedIndicator` opts one benchmark definition in, and `BenchmarkValue` rows carry the
figures. Transfer requests and records belong to the municipality that learns.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel, TimeStampedModel


class Network(TimeStampedModel):
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    public = models.BooleanField(_("öffentlich"), default=False)
    members = models.ManyToManyField(
        "municipalities.Municipality",
        blank=True,
        related_name="networks",
        verbose_name=_("Mitglieder"),
    )

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegistryMunicipality(models.Model):
    """An entry of the German municipality directory (Gemeindeverzeichnis), for gazetteer look-ups.

    The AGS is the key where known. The built-in sample also lists places whose AGS was not
    verified; those are keyed by name and Land instead of carrying a guessed key.
    """

    ags = models.CharField(_("AGS"), max_length=8, blank=True)
    name = models.CharField(_("Name"), max_length=200, db_index=True)
    state = models.CharField(_("Land"), max_length=60, blank=True)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    source = models.CharField(_("Quelle"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Gemeindeverzeichnis-Eintrag")
        verbose_name_plural = _("Gemeindeverzeichnis")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ags"], condition=~Q(ags=""), name="registry_unique_ags"
            ),
            models.UniqueConstraint(
                fields=["name", "state"],
                condition=Q(ags=""),
                name="registry_unique_name_without_ags",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ags})" if self.ags else self.name


def _clean_links_except(row: TenantModel, *cross_tenant: str) -> None:
    """TenantModel.clean, minus the named links that point to another municipality by design."""
    for field in row._meta.concrete_fields:
        if not field.is_relation or field.name == "municipality" or field.name in cross_tenant:
            continue
        target = getattr(row, field.name, None)
        if isinstance(target, TenantModel) and target.municipality_id != row.municipality_id:
            raise ValidationError({field.name: _("Verweist auf ein Objekt einer anderen Kommune.")})


class SharedInitiative(TenantModel):
    """The profile of a Vorhaben that its municipality shares with networks.

    Only these fields ever leave the municipality; they start as a copy of the Vorhaben and are
    edited on their own, so later internal changes never leak into the network by accident.
    """

    initiative = models.OneToOneField(
        "plans.Initiative",
        on_delete=models.CASCADE,
        related_name="shared_profile",
        verbose_name=_("Vorhaben"),
    )
    networks = models.ManyToManyField(
        Network, blank=True, related_name="shared_initiatives", verbose_name=_("geteilt mit")
    )
    shared = models.BooleanField(_("geteilt"), default=True)
    title = models.CharField(_("Titel"), max_length=500)
    objective = models.TextField(_("Zielsetzung"), blank=True)
    approach = models.TextField(_("Vorgehen"), blank=True)
    milestones_summary = models.TextField(_("erreichte Meilensteine"), blank=True)
    results = models.TextField(_("Ergebnisse"), blank=True)
    topics = models.CharField(_("Themen"), max_length=500, blank=True)
    contact_role = models.CharField(_("Ansprechstelle (Funktion)"), max_length=200, blank=True)
    shared_at = models.DateTimeField(_("geteilt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("geteiltes Vorhaben")
        verbose_name_plural = _("geteilte Vorhaben")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class BenchmarkDirection(models.TextChoices):
    LOWER_IS_BETTER = "lower", _("niedriger ist besser")
    HIGHER_IS_BETTER = "higher", _("höher ist besser")


class BenchmarkDefinition(TimeStampedModel):
    """A shared indicator definition: every participant measures the same thing the same way."""

    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    title = models.CharField(_("Kennzahl"), max_length=200)
    unit = models.CharField(_("Einheit"), max_length=50, blank=True)
    definition = models.TextField(_("Definition"), blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    direction = models.CharField(
        _("Richtung"),
        max_length=10,
        choices=BenchmarkDirection.choices,
        default=BenchmarkDirection.HIGHER_IS_BETTER,
    )

    class Meta:
        verbose_name = _("Vergleichskennzahl")
        verbose_name_plural = _("Vergleichskennzahlen")
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.unit})" if self.unit else self.title


class SharedIndicator(TenantModel):
    """Opt-in of one municipality to compare one benchmark definition within some networks."""

    definition = models.ForeignKey(
        BenchmarkDefinition,
        on_delete=models.CASCADE,
        related_name="shared_indicators",
        verbose_name=_("Vergleichskennzahl"),
    )
    indicator = models.ForeignKey(
        "plans.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigener Indikator"),
    )
    networks = models.ManyToManyField(
        Network, blank=True, related_name="shared_indicators", verbose_name=_("geteilt mit")
    )

    class Meta:
        verbose_name = _("geteilte Kennzahl")
        verbose_name_plural = _("geteilte Kennzahlen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "definition"], name="shared_indicator_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.definition)


class BenchmarkValue(TenantModel):
    definition = models.ForeignKey(
        BenchmarkDefinition,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("Vergleichskennzahl"),
    )
    period = models.CharField(_("Zeitraum"), max_length=20)
    value = models.DecimalField(_("Wert"), max_digits=16, decimal_places=4)
    allow_naming = models.BooleanField(_("Name im Vergleich zeigen"), default=False)
    # What the network's comparison shows: the value as it stood when the last reporting period
    # closed (audit L9). Shares and corrections reach the comparison together, once a quarter,
    # so a late sharer's value cannot be read off the shift it causes.
    published_value = models.DecimalField(
        _("veröffentlichter Wert"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    published_allow_naming = models.BooleanField(_("Name veröffentlicht"), default=False)
    published_on = models.DateField(_("im Vergleich seit"), null=True, blank=True)

    class Meta:
        verbose_name = _("Vergleichswert")
        verbose_name_plural = _("Vergleichswerte")
        ordering = ["definition", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "definition", "period"], name="benchmark_value_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition}: {self.value} ({self.period})"


class TransferRequestStatus(models.TextChoices):
    OPEN = "open", _("offen")
    ANSWERED = "answered", _("beantwortet")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")
    CLOSED = "closed", _("abgeschlossen")


class TransferRequest(TenantModel):
    """A contact request of the learning municipality (the tenant) about a shared Vorhaben."""

    shared_initiative = models.ForeignKey(
        SharedInitiative,
        on_delete=models.CASCADE,
        related_name="transfer_requests",
        verbose_name=_("geteiltes Vorhaben"),
    )
    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenes Vorhaben"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angefragt von"),
    )
    contact_role = models.CharField(_("Ansprechstelle (Funktion)"), max_length=200)
    message = models.TextField(_("Nachricht"))
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=TransferRequestStatus.choices,
        default=TransferRequestStatus.OPEN,
    )
    # Set when the receiving municipality accepts: shown to the asking town only from then on.
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)

    class Meta:
        verbose_name = _("Transferanfrage")
        verbose_name_plural = _("Transferanfragen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.shared_initiative}"

    def clean(self) -> None:
        TimeStampedModel.clean(self)
        _clean_links_except(self, "shared_initiative")


class TransferRecord(TenantModel):
    """A transfer that happened: what the municipality (the tenant) took over from whom."""

    shared_initiative = models.ForeignKey(
        SharedInitiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfer_records",
        verbose_name=_("geteiltes Vorhaben"),
    )
    source_municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("übernommen von"),
    )
    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenes Vorhaben"),
    )
    request = models.ForeignKey(
        TransferRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("Anfrage"),
    )
    transferred_on = models.DateField(_("übernommen am"))
    summary = models.TextField(_("Was wurde übernommen?"))

    class Meta:
        verbose_name = _("Erfahrungstransfer")
        verbose_name_plural = _("Erfahrungstransfers")
        ordering = ["-transferred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.source_municipality} → {self.municipality}"

    def clean(self) -> None:
        TimeStampedModel.clean(self)
        _clean_links_except(self, "shared_initiative")


class TransferMessage(TenantModel):
    """One message in the thread of a transfer request.

    The tenant is the asking town, like the request's: the thread is one scoped read for both
    sides. `from_receiver` says which side wrote it."""

    request = models.ForeignKey(
        TransferRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("Anfrage"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geschrieben von"),
    )
    from_receiver = models.BooleanField(_("von der angefragten Kommune"), default=False)
    text = models.TextField(_("Nachricht"))
    event = models.CharField(_("Ereignis"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("Nachricht zu einer Transferanfrage")
        verbose_name_plural = _("Nachrichten zu Transferanfragen")
        ordering = ["created_at", "id"]
