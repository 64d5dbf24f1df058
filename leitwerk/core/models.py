"""Abstract building blocks every domain model shares, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True


class TenantQuerySet(models.QuerySet):
    def for_municipality(self, municipality):
        return self.filter(municipality=municipality)


class TenantModel(TimeStampedModel):
    """A row that belongs to exactly one municipality (the tenant).

    Every domain row carries the tenant directly, not only through its parent, so that a
    single indexed filter scopes any query, and `clean()` refuses links across tenants.
    `version` supports optimistic locking: an edit names the version it started from.
    """

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Kommune"),
    )
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "municipality":
                continue
            target = getattr(self, field.name, None)
            if isinstance(target, TenantModel) and self.municipality_id is not None:
                if target.municipality_id != self.municipality_id:
                    raise ValidationError(
                        {field.name: _("Verweist auf ein Objekt einer anderen Kommune.")}
                    )


class AuditLogEntry(models.Model):
    """Who did what, when, to which object: written by every service."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Kommune"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Person"),
    )
    action = models.CharField(_("Aktion"), max_length=100)
    target_type = models.CharField(_("Objekttyp"), max_length=100, blank=True)
    target_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True)
    target_repr = models.CharField(_("Objekt"), max_length=300, blank=True)
    data = models.JSONField(_("Daten"), default=dict, blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The newest entry of a municipality in one index step: the public portal's page
            # cache keys on it (portal.views), so any audited change shows at once.
            models.Index(fields=["municipality", "-id"], name="audit_newest_per_town"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"
