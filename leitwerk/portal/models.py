"""Rows only the portal needs: participation opportunities citizens can take part in, and how
the municipality licenses its open data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel

from .licences import LicenceChoice


class ParticipationOpportunity(TenantModel):
    """A chance to take part (workshop, walk, consultation): what, when, where and how."""

    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Worum es geht"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    location = models.CharField(_("Ort"), max_length=300, blank=True)
    how_to_take_part = models.TextField(_("So machen Sie mit"), blank=True)
    audience = models.CharField(
        _("Für wen"),
        max_length=300,
        blank=True,
        help_text=_("Zum Beispiel: alle Einwohnerinnen und Einwohner, Jugendliche, Anlieger."),
    )
    url = models.URLField(_("Weitere Informationen (Adresse)"), blank=True)
    public = models.BooleanField(_("öffentlich"), default=False)
    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation_opportunities",
        verbose_name=_("Vorhaben"),
    )

    class Meta:
        verbose_name = _("Beteiligungsangebot")
        verbose_name_plural = _("Beteiligungsangebote")
        ordering = ["starts_at", "title"]
        indexes = [models.Index(fields=["municipality", "public", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende liegt vor dem Beginn.")})


class OpenDataSettings(TenantModel):
    """The licence and contact on every dataset, feed and the DCAT-AP.de catalogue.

    One row per municipality, written when someone saves the settings page; until then the
    defaults apply (`portal.selectors.open_data_settings`)."""

    licence = models.CharField(
        _("Lizenz"), max_length=40, choices=LicenceChoice.choices, default=LicenceChoice.DL_BY
    )
    attribution = models.CharField(
        _("Namensnennung"),
        max_length=300,
        blank=True,
        help_text=_("So sollen Nutzende die Quelle nennen, z. B. „Stadt Musterstadt“."),
    )
    contact_email = models.EmailField(
        _("Kontakt für Fragen zu den Daten"), blank=True, help_text=_("Eine Funktionsadresse.")
    )

    class Meta:
        verbose_name = _("Einstellungen für offene Daten")
        verbose_name_plural = _("Einstellungen für offene Daten")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="one_open_data_settings")
        ]


class PortalSettings(TenantModel):
    """What a municipality adds to its portal by hand: its own Leichte-Sprache text, the
    sign-language video, the known limitations of the accessibility statement and whether
    citizens may comment on public Vorhaben. One row per municipality; until it is saved the
    defaults apply (`portal.selectors.portal_settings`)."""

    easy_language_text = models.TextField(
        _("Eigener Text in Leichter Sprache"),
        blank=True,
        help_text=_(
            "Leer lassen: Leitwerk schreibt den Text aus den Daten Ihrer Kommune. "
            "Ein Absatz pro Leerzeile; eine Zeile mit „## “ am Anfang ist eine Überschrift."
        ),
    )
    sign_language_video_url = models.URLField(
        _("Video in Deutscher Gebärdensprache (Adresse)"),
        blank=True,
        help_text=_("Die Adresse einer Video-Datei (MP4 oder WebM) oder einer Video-Seite."),
    )
    known_limitations = models.TextField(
        _("Bekannte Barrieren"),
        blank=True,
        help_text=_(
            "Erscheint in der Erklärung zur Barrierefreiheit. Eine Barriere pro Zeile: "
            "was, warum, welche Alternative."
        ),
    )
    comments_enabled = models.BooleanField(
        _("Kommentare zu Vorhaben erlauben"),
        default=False,
        help_text=_("Kommentare erscheinen erst, wenn jemand aus der Verwaltung sie freigibt."),
    )

    class Meta:
        verbose_name = _("Einstellungen des Bürgerportals")
        verbose_name_plural = _("Einstellungen des Bürgerportals")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="one_portal_settings")]


class AccessibilityCheck(TenantModel):
    """The figures of one automated accessibility check of the municipality's public pages
    (axe-core), written by `leitwerk accessibility_check_record`; the statement shows the
    newest one."""

    checked_at = models.DateTimeField(_("geprüft am"))
    tool = models.CharField(_("Prüfwerkzeug"), max_length=100, default="axe-core")
    standard = models.CharField(_("Regeln"), max_length=100, default="WCAG 2.2 AA")
    pages = models.PositiveIntegerField(_("geprüfte Seiten"), default=0)
    critical = models.PositiveIntegerField(_("kritisch"), default=0)
    serious = models.PositiveIntegerField(_("ernst"), default=0)
    moderate = models.PositiveIntegerField(_("mittel"), default=0)
    minor = models.PositiveIntegerField(_("gering"), default=0)

    class Meta:
        verbose_name = _("Automatische Prüfung der Barrierefreiheit")
        verbose_name_plural = _("Automatische Prüfungen der Barrierefreiheit")
        ordering = ["-checked_at", "-id"]

    @property
    def total(self) -> int:
        return self.critical + self.serious + self.moderate + self.minor


class Follow(TenantModel):
    """A citizen follows one public Vorhaben or one plan by e-mail.

    Only the address, a random token (the link to confirm and to unsubscribe) and the target
    are stored. Nothing is sent before the address confirmed (double opt-in)."""

    email = models.EmailField(_("E-Mail-Adresse"))
    token = models.CharField(_("Schlüssel"), max_length=64, unique=True)
    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Vorhaben"),
    )
    plan = models.ForeignKey(
        "plans.ActionPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Plan"),
    )
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung per E-Mail")
        verbose_name_plural = _("Benachrichtigungen per E-Mail")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(initiative__isnull=False, plan__isnull=True)
                | models.Q(initiative__isnull=True, plan__isnull=False),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["municipality", "email", "initiative"],
                condition=models.Q(initiative__isnull=False),
                name="follow_once_per_initiative",
            ),
            models.UniqueConstraint(
                fields=["municipality", "email", "plan"],
                condition=models.Q(plan__isnull=False),
                name="follow_once_per_plan",
            ),
        ]


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Freigabe")
    PUBLISHED = "published", _("veröffentlicht")
    REJECTED = "rejected", _("nicht veröffentlicht")


class PublicComment(TenantModel):
    """A citizen's comment on a public Vorhaben: shown only after moderation, answered by the
    administration within the suggestion deadline (feedback.SUGGESTION_RESPONSE_DAYS)."""

    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Vorhaben"),
    )
    author_name = models.CharField(_("Name (freiwillig)"), max_length=100, blank=True)
    text = models.TextField(_("Kommentar"))
    received_on = models.DateField(_("eingegangen am"))
    due_on = models.DateField(_("Antwort fällig am"))
    status = models.CharField(
        _("Status"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    answer = models.TextField(_("Antwort der Verwaltung"), blank=True)
    answered_on = models.DateField(_("beantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kommentar zu einem Vorhaben")
        verbose_name_plural = _("Kommentare zu Vorhaben")
        ordering = ["received_on", "id"]
        indexes = [models.Index(fields=["municipality", "initiative", "status"])]

    def __str__(self) -> str:
        return self.text[:80]
