from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel, TimeStampedModel


class MunicipalityKind(models.TextChoices):
    STADT = "stadt", _("Stadt")
    GEMEINDE = "gemeinde", _("Gemeinde")
    AMT = "amt", _("Amt")
    KREIS = "kreis", _("Kreis")


class Municipality(TimeStampedModel):
    """The tenant. An Amt administers member municipalities (`parent` points to the Amt)."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("Der AGS hat genau 8 Ziffern."))],
    )
    kind = models.CharField(
        _("Art"), max_length=20, choices=MunicipalityKind.choices, default=MunicipalityKind.STADT
    )
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    state = models.CharField(_("Land"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("Amt"),
        limit_choices_to={"kind": MunicipalityKind.AMT},
    )

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    DEZERNAT = "dezernat", _("Dezernat")
    FACHBEREICH = "fachbereich", _("Fachbereich")
    AMT = "amt", _("Amt")
    STABSSTELLE = "stabsstelle", _("Stabsstelle")
    TEAM = "team", _("Team")


class OrganisationalUnit(TenantModel):
    """Fachbereich, Dezernat, Stabsstelle or team: a tree per municipality."""

    name = models.CharField(_("Name"), max_length=200)
    code = models.CharField(_("Kürzel"), max_length=30, blank=True)
    kind = models.CharField(
        _("Art"), max_length=20, choices=UnitKind.choices, default=UnitKind.FACHBEREICH
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("übergeordnete Einheit"),
    )
    headcount = models.PositiveIntegerField(
        _("Mitarbeitende (Köpfe)"),
        null=True,
        blank=True,
        help_text=_(
            "Wie viele Menschen arbeiten in dieser Einheit? Begrenzt die Einmal-Codes je "
            "Befragungswelle (Mitarbeitende plus kleiner Puffer)."
        ),
    )
    capacity_person_days = models.DecimalField(
        _("Kapazität (Personentage pro Jahr)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("Organisationseinheit")
        verbose_name_plural = _("Organisationseinheiten")
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_unit_name")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class BodyKind(models.TextChoices):
    RAT = "rat", _("Rat")
    AUSSCHUSS = "ausschuss", _("Ausschuss")
    AMTSAUSSCHUSS = "amtsausschuss", _("Amtsausschuss")
    VERWALTUNGSVORSTAND = "verwaltungsvorstand", _("Verwaltungsvorstand")
    OTHER = "other", _("Sonstiges Gremium")


class Body(TenantModel):
    """A political or administrative body (Gremium) that sets goals and adopts decisions."""

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=30, choices=BodyKind.choices)
    oparl_url = models.URLField(_("OParl-Adresse"), blank=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Administration der Kommune")
    STRATEGY = "strategy", _("Stabsstelle Strategie")
    UNIT_EDITOR = "unit_editor", _("Redaktion Organisationseinheit")
    PROJECT_LEAD = "project_lead", _("Projektleitung")
    COUNCIL = "council", _("Ratsmitglied")
    VIEWER = "viewer", _("Lesezugriff")


class BodyRole(models.TextChoices):
    VOTING = "voting", _("stimmberechtigt")
    ADVISORY = "advisory", _("beratend")


class Membership(TenantModel):
    """A person's role in one municipality (optionally bound to an organisational unit)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("Person"),
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        OrganisationalUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("Organisationseinheit"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("Gremium"),
    )
    body_role = models.CharField(
        _("Stimmrecht im Gremium"),
        max_length=20,
        choices=BodyRole.choices,
        default=BodyRole.VOTING,
    )

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="unique_role_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.municipality})"
