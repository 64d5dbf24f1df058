"""Abstract building blocks every domain model shares, and the audit log."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any, Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import check_scoped, tenant_guard


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True


_M = TypeVar("_M", bound=models.Model)


class TenantQuerySet(models.QuerySet[_M, _M]):
    """Refuses, during a request, to read or write rows without a municipality (A6).

    The check sits on every method that sends the query to the database; see core/scoping.py.
    """

    _across_municipalities = False

    def for_municipality(self, municipality: models.Model | int) -> Self:
        return self.filter(municipality=municipality)

    def belonging_to(self, rows: TenantModel | Iterable[TenantModel], *, via: str) -> Self:
        """Rows linked through `via` to already loaded tenant rows, pinned to those rows' towns.

        The common "children of these parents" read (`initiative__in=[...]`) names only ids;
        the municipality filter makes it a scoped query (A6) at no cost (indexed column).
        """
        loaded = [rows] if isinstance(rows, models.Model) else list(rows)
        return self.filter(
            **{
                f"{via}__in": [row.pk for row in loaded],
                "municipality_id__in": {row.municipality_id for row in loaded},
            }
        )

    def across_municipalities(self) -> Self:
        """Deliberately spans towns: say why at the call site."""
        clone = self.all()  # a copy that keeps filters and hints (Django's `_chain`)
        clone._across_municipalities = True
        return clone

    def _clone(self) -> Self:
        clone: Self = super()._clone()  # type: ignore[misc]
        clone._across_municipalities = self._across_municipalities
        return clone

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            check_scoped(self, "read")
        super()._fetch_all()

    def iterator(self, chunk_size: int | None = None) -> Iterator[_M]:
        check_scoped(self, "iterator")
        return super().iterator(chunk_size=chunk_size)

    def count(self) -> int:
        if self._result_cache is None:
            check_scoped(self, "count")
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            check_scoped(self, "exists")
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        check_scoped(self, "aggregate")
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        check_scoped(self, "update")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        check_scoped(self, "delete")
        return super().delete()

    def bulk_update(
        self, objs: Iterable[_M], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        # The rows are loaded instances, so they were scoped when read; Django's own
        # pk__in update below must not be refused for lacking a municipality filter.
        return super(TenantQuerySet, self.across_municipalities()).bulk_update(
            objs, fields, batch_size=batch_size
        )


def scoped_related(
    model: type[models.Model], relation: str, municipality: models.Model | int
) -> TenantQuerySet[Any]:
    """The rows that one relation of `model` leads to (forward or reverse), of one municipality.

    A lower stage shows rows that a higher stage links to it (the Vorhaben serving a goal, the
    obstacles behind a Vorhaben) by following its own relation, without importing the higher
    stage's model: the layers in docs/ARCHITECTURE.md only point downwards.
    """
    related = model._meta.get_field(relation).related_model
    queryset: TenantQuerySet[Any] = related.objects.for_municipality(  # type: ignore[union-attr]
        municipality
    )
    return queryset


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
    # Read by django-simple-history when the row is saved: who made the change (set by the
    # kernel's editing helpers). A plain annotation, not a field.
    _history_user: Any

    class Meta:
        abstract = True

    def validate_unique(self, exclude: Collection[str] | None = None) -> None:
        # A unique constraint spans the whole table (as the database's does), so its check
        # reads across towns; it only answers "taken or not" for this row's own values.
        with tenant_guard(on=False):
            super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        with tenant_guard(on=False):
            super().validate_constraints(exclude=exclude)

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


class Notice(TenantModel):
    """A message for one person in one municipality, listed under "Meine Aktualisierungen"
    until they mark it done: what another stage wants them to see (an answered network
    request …). Stages create notices through `core.notices`; the e-mail is their own."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("für"),
    )
    text = models.CharField(_("Hinweis"), max_length=500)
    url = models.CharField(_("Adresse"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Hinweis")
        verbose_name_plural = _("Hinweise")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "done_at"], name="notice_open_per_person")]

    def __str__(self) -> str:
        return self.text[:80]
