"""Writes of the network stage: directory import, sharing, benchmark values, transfers.

Every service is atomic and audited and refuses rows of another municipality with a German
ValidationError; the permission to call it is checked by the caller (views, CLI) via rules.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.core.notices import notice_create
from leitwerk.imports.gazetteer import DATA as GAZETTEER_SAMPLE
from leitwerk.municipalities.models import Membership, Municipality, Role
from leitwerk.plans.models import Indicator, Initiative, TransferCity

from . import benchmark
from .models import (
    BenchmarkDefinition,
    BenchmarkValue,
    Network,
    RegistryMunicipality,
    SharedIndicator,
    SharedInitiative,
    TransferMessage,
    TransferRecord,
    TransferRequest,
    TransferRequestStatus,
)
from .registry import Entry, read_entries
from .tasks import send_transfer_mail

if TYPE_CHECKING:
    from leitwerk.accounts.models import User

REGISTRY_BATCH = 500


# --------------------------------------------------------------------------- registry


@dataclass
class RegistryImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    linked_transfer_cities: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "linked_transfer_cities": self.linked_transfer_cities,
        }


def _batches(entries: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    batch: list[Entry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _apply_batch(batch: list[Entry], source: str, result: RegistryImportResult) -> None:
    by_ags = {
        r.ags: r
        for r in RegistryMunicipality.objects.filter(ags__in=[e.ags for e in batch if e.ags])
    }
    by_name = {
        (r.name, r.state): r
        for r in RegistryMunicipality.objects.filter(
            ags="", name__in=[e.name for e in batch if not e.ags]
        )
    }
    new: list[RegistryMunicipality] = []
    seen: set[tuple[str, str, str]] = set()
    for e in batch:
        key = (e.ags, e.name if not e.ags else "", e.state if not e.ags else "")
        if key in seen:
            result.skipped += 1
            continue
        seen.add(key)
        row = by_ags.get(e.ags) if e.ags else by_name.get((e.name, e.state))
        if row is None and e.ags:
            # An entry first known without its key gains it now, instead of a duplicate.
            row = by_name.get((e.name, e.state)) or (
                RegistryMunicipality.objects.filter(ags="", name=e.name, state=e.state).first()
            )
        if row is None:
            new.append(
                RegistryMunicipality(
                    ags=e.ags, name=e.name, state=e.state, population=e.population, source=source
                )
            )
            continue
        values: dict[str, Any] = {
            "ags": e.ags or row.ags,
            "name": e.name,
            "state": e.state or row.state,
        }
        if e.population is not None:
            values["population"] = e.population
        if all(getattr(row, k) == v for k, v in values.items()):
            result.unchanged += 1
            continue
        for k, v in values.items():
            setattr(row, k, v)
        row.source = source
        row.save()
        result.updated += 1
    RegistryMunicipality.objects.bulk_create(new)
    result.created += len(new)


@transaction.atomic
def registry_import(
    *, path: Path, actor: User | None = None, source: str = "", batch_size: int = REGISTRY_BATCH
) -> RegistryImportResult:
    """Insert or update directory entries from a Gemeindeverzeichnis file; re-runs change nothing.

    The file is read as a stream in batches, so the full directory (about 11,000 rows) never
    sits in memory as model objects. Entries are matched by AGS, else by name and Land.
    """
    result = RegistryImportResult()
    source = source or path.name
    for batch in _batches(read_entries(path), batch_size):
        _apply_batch(batch, source[:100], result)
    result.linked_transfer_cities = transfer_cities_link(actor=actor)
    audit(
        actor=actor, action="network.registry_imported", data={"source": source, **result.as_dict()}
    )
    return result


def registry_load_sample(*, actor: User | None = None) -> RegistryImportResult:
    """The gazetteer sample that ships with Leitwerk (leitwerk/imports/data/gemeinden.csv)."""
    return registry_import(path=GAZETTEER_SAMPLE, actor=actor, source="Leitwerk-Beispieldaten")


def registry_match(*, name: str, ags: str = "") -> RegistryMunicipality | None:
    """The directory entry for a city named in an import: by AGS, else by its exact name.

    An exact name shared by several entries is ambiguous and matches nothing rather than a guess.
    """
    if ags:
        hit = RegistryMunicipality.objects.filter(ags=ags).first()
        if hit is not None:
            return hit
    candidates = list(RegistryMunicipality.objects.filter(name=name.strip())[:2])
    return candidates[0] if len(candidates) == 1 else None


@transaction.atomic
def transfer_cities_link(
    *, actor: User | None = None, municipality: Municipality | None = None
) -> int:
    """Fill the AGS of transfer cities named without one, from the directory; returns the count."""
    rows = TransferCity.objects.filter(ags="")
    if municipality is not None:
        rows = rows.for_municipality(municipality)
    linked = 0
    for city in rows:
        entry = registry_match(name=city.name)
        if entry is None or not entry.ags:
            continue
        city.ags = entry.ags
        city.save(update_fields=["ags", "updated_at"])
        linked += 1
    if linked:
        audit(
            actor=actor,
            action="network.transfer_cities_linked",
            municipality=municipality,
            data={"count": linked},
        )
    return linked


# --------------------------------------------------------------------------- sharing


def _check_networks(municipality: Municipality, networks: Iterable[Network]) -> list[Network]:
    networks = list(networks)
    member_of = set(municipality.networks.values_list("pk", flat=True))
    foreign = [n.name for n in networks if n.pk not in member_of]
    if foreign:
        raise ValidationError(
            f"Ihre Kommune gehört nicht zum Netzwerk {', '.join(foreign)}; "
            "dort kann sie nichts teilen."
        )
    return networks


def profile_draft(initiative: Initiative) -> dict[str, str]:
    """A first profile from the Vorhaben, which the municipality edits before it shares it."""
    ideas = [i.text for i in initiative.ideas.all()]
    reached = [m.title for m in initiative.milestones.all() if m.done_on]
    topics = [initiative.action_field.title] + [g.goal_field.title for g in initiative.goals.all()]
    return {
        "title": initiative.title,
        "objective": initiative.objective,
        "approach": "\n".join(f"- {t}" for t in ideas),
        "milestones_summary": "\n".join(f"- {t}" for t in reached),
        "results": "",
        "topics": ", ".join(dict.fromkeys(t for t in topics if t)),
        "contact_role": initiative.lead_unit.name if initiative.lead_unit else "",
    }


PROFILE_FIELDS = (
    "title",
    "objective",
    "approach",
    "milestones_summary",
    "results",
    "topics",
    "contact_role",
)


@transaction.atomic
def initiative_share(
    *,
    initiative: Initiative,
    actor: User | None,
    networks: Iterable[Network],
    profile: dict[str, str],
) -> SharedInitiative:
    """Share (or update) the profile of a Vorhaben with the given networks of its municipality."""
    municipality = initiative.municipality
    networks = _check_networks(municipality, networks)
    if not networks:
        raise ValidationError("Bitte mindestens ein Netzwerk auswählen.")
    values = {k: (profile.get(k) or "").strip() for k in PROFILE_FIELDS}
    if not values["title"]:
        raise ValidationError("Das geteilte Profil braucht einen Titel.")
    shared, created = SharedInitiative.objects.get_or_create(
        initiative=initiative,
        municipality=municipality,
        defaults={"municipality": municipality, **values, "shared_at": timezone.now()},
    )
    if not created:
        for k, v in values.items():
            setattr(shared, k, v)
        if not shared.shared:
            shared.shared_at = timezone.now()
        shared.shared = True
        shared.version += 1
        shared.save()
    shared.networks.set(networks)
    audit(
        actor=actor,
        action="network.initiative_shared",
        target=shared,
        data={"networks": [n.slug for n in networks], "initiative": initiative.pk},
    )
    return shared


@transaction.atomic
def initiative_unshare(*, initiative: Initiative, actor: User | None) -> None:
    """Withdraw the profile from every network; the text stays for a later re-share."""
    shared = SharedInitiative.objects.belonging_to(initiative, via="initiative").first()
    if shared is None or not shared.shared:
        return
    shared.shared = False
    shared.version += 1
    shared.save()
    shared.networks.clear()
    audit(actor=actor, action="network.initiative_unshared", target=shared)


@transaction.atomic
def indicator_share(
    *,
    municipality: Municipality,
    actor: User | None,
    definition: BenchmarkDefinition,
    networks: Iterable[Network],
    indicator: Indicator | None = None,
) -> SharedIndicator:
    networks = _check_networks(municipality, networks)
    if indicator is not None and indicator.municipality_id != municipality.pk:
        raise ValidationError("Der Indikator gehört zu einer anderen Kommune.")
    shared, _created = SharedIndicator.objects.update_or_create(
        municipality=municipality, definition=definition, defaults={"indicator": indicator}
    )
    shared.networks.set(networks)
    audit(
        actor=actor,
        action="network.indicator_shared",
        target=shared,
        data={"networks": [n.slug for n in networks], "definition": definition.slug},
    )
    return shared


@transaction.atomic
def indicator_unshare(
    *, municipality: Municipality, actor: User | None, definition: BenchmarkDefinition
) -> None:
    shared = SharedIndicator.objects.filter(
        municipality=municipality, definition=definition
    ).first()
    if shared is None:
        return
    shared.networks.clear()
    audit(actor=actor, action="network.indicator_unshared", target=shared)


def _decimal(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError("Der Wert ist keine Zahl.") from exc
    if not number.is_finite():
        raise ValidationError("Der Wert ist keine Zahl.")
    return number


@transaction.atomic
def benchmark_value_submit(
    *,
    municipality: Municipality,
    actor: User | None,
    definition: BenchmarkDefinition,
    period: str,
    value: Decimal | str | float,
    allow_naming: bool = False,
) -> BenchmarkValue:
    """Record (or correct) the municipality's value of one period; needs the opt-in first."""
    if not SharedIndicator.objects.filter(
        municipality=municipality, definition=definition, networks__isnull=False
    ).exists():
        raise ValidationError(
            "Bitte die Kennzahl zuerst für ein Netzwerk freigeben, dann Werte eintragen."
        )
    period = (period or "").strip()
    if not period:
        raise ValidationError("Bitte den Zeitraum angeben (z. B. 2025).")
    number = _decimal(value)
    row, created = BenchmarkValue.objects.get_or_create(
        municipality=municipality,
        definition=definition,
        period=period,
        defaults={"value": number, "allow_naming": allow_naming},
    )
    if not created:
        row.value, row.allow_naming = number, allow_naming
        row.version += 1
        row.save()
    audit(
        actor=actor,
        action="network.benchmark_value_submitted",
        target=row,
        data={"definition": definition.slug, "period": period, "value": str(number)},
    )
    return row


@transaction.atomic
def benchmark_values_publish(*, today: dt.date | None = None, everything: bool = False) -> int:
    """Bring every value shared or corrected before this quarter into the comparison.

    Run daily (`leitwerk publish_benchmarks`); on the first day of a quarter it publishes what
    the members shared during the last one, all at once, so the comparison changes once per
    reporting period and a late sharer's value cannot be read off the shift it alone caused.
    `everything` publishes up to now (a demo or a fresh installation). Returns the number of
    values published.
    """
    today = today or timezone.localdate()
    cutoff = (
        timezone.now()
        if everything
        else timezone.make_aware(dt.datetime.combine(benchmark.period_start(today), dt.time.min))
    )
    pending = [
        row
        for row in BenchmarkValue.objects.across_municipalities()  # a job over all members
        .filter(updated_at__lt=cutoff)
        .select_related("municipality")
        .select_for_update(of=("self",))
        if row.published_value != row.value
        or row.published_allow_naming != row.allow_naming
        or row.published_on is None
    ]
    for row in pending:
        row.published_value = row.value
        row.published_allow_naming = row.allow_naming
        row.published_on = today
    BenchmarkValue.objects.across_municipalities().bulk_update(
        pending, ["published_value", "published_allow_naming", "published_on"]
    )
    per_municipality: dict[int, list[BenchmarkValue]] = {}
    for row in pending:
        per_municipality.setdefault(row.municipality_id, []).append(row)
    for rows in per_municipality.values():
        audit(
            actor=None,
            action="network.benchmark_values_published",
            municipality=rows[0].municipality,
            data={"values": len(rows), "cutoff": cutoff.date().isoformat()},
        )
    return len(pending)


# --------------------------------------------------------------------------- transfer


def _visible_to(municipality: Municipality, shared: SharedInitiative) -> bool:
    return (
        shared.shared
        and shared.municipality_id != municipality.pk
        and shared.networks.filter(members=municipality)
        .filter(members=shared.municipality_id)
        .exists()
    )


@transaction.atomic
def transfer_request_create(
    *,
    municipality: Municipality,
    actor: User | None,
    shared_initiative: SharedInitiative,
    message: str,
    contact_role: str,
    initiative: Initiative | None = None,
) -> TransferRequest:
    """Ask the municipality behind a shared Vorhaben for an exchange of experience."""
    if not _visible_to(municipality, shared_initiative):
        raise ValidationError("Dieses Vorhaben ist für Ihre Kommune nicht geteilt.")
    if initiative is not None and initiative.municipality_id != municipality.pk:
        raise ValidationError("Das eigene Vorhaben gehört zu einer anderen Kommune.")
    message, contact_role = (message or "").strip(), (contact_role or "").strip()
    if len(message) < 10:
        raise ValidationError(
            "Bitte schreiben Sie kurz, was Sie wissen möchten (mindestens 10 Zeichen)."
        )
    if not contact_role:
        raise ValidationError("Bitte eine Ansprechstelle angeben.")
    request = TransferRequest.objects.create(
        municipality=municipality,
        shared_initiative=shared_initiative,
        initiative=initiative,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        message=message,
        contact_role=contact_role,
    )
    audit(
        actor=actor,
        action="network.transfer_requested",
        target=request,
        data={"shared_initiative": shared_initiative.pk, "to": shared_initiative.municipality_id},
    )
    # The answering municipality sees the request in its own log as well.
    audit(
        actor=None,
        action="network.transfer_request_received",
        municipality=shared_initiative.municipality,
        data={"request": request.pk, "from": municipality.pk},
    )
    return request


# --------------------------------------------------------------------------- request threads

FINISHED = (TransferRequestStatus.DECLINED, TransferRequestStatus.CLOSED)


def _side(request: TransferRequest, municipality: Municipality) -> bool:
    """True when `municipality` is the asked town, False when it asked; else refused."""
    if municipality.pk == request.shared_initiative.municipality_id:
        return True
    if municipality.pk == request.municipality_id:
        return False
    raise ValidationError("Diese Anfrage gehört nicht zu Ihrer Kommune.")


def _only_receiver(request: TransferRequest, municipality: Municipality) -> None:
    if not _side(request, municipality):
        raise ValidationError("Das kann nur die angefragte Kommune.")


def _notify(request: TransferRequest, *, to_receiver: bool, text: str) -> None:
    """A notice under "Meine Aktualisierungen" and an e-mail (after commit) for the other
    side: the person who asked, or the strategy office and admins of the asked town."""
    town_id = request.shared_initiative.municipality_id if to_receiver else request.municipality_id
    office = Membership.objects.filter(
        municipality_id=town_id, role__in=[Role.STRATEGY, Role.ADMIN]
    ).select_related("user")
    asker = request.requested_by
    if (
        not to_receiver
        and asker is not None
        and Membership.objects.filter(municipality_id=town_id, user=asker).exists()
    ):
        people = [asker]
    else:
        people = [m.user for m in office]
    url = reverse("network:request_detail", args=[request.pk])
    notice_create(municipality=town_id, recipients=people, text=text, url=url)
    ids = [person.pk for person in people if person is not None and person.email]
    if ids:
        transaction.on_commit(lambda: send_transfer_mail.enqueue(request.pk, ids, text))


def _message(
    request: TransferRequest, *, actor: User | None, from_receiver: bool, text: str, event: str
) -> TransferMessage:
    return TransferMessage.objects.create(
        municipality_id=request.municipality_id,
        request=request,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        from_receiver=from_receiver,
        text=text,
        event=event,
    )


def _locked(request: TransferRequest) -> TransferRequest:
    locked = (
        TransferRequest.objects.for_municipality(request.municipality_id)
        # Lock the request only: PostgreSQL refuses FOR UPDATE on the outer-joined asker.
        .select_for_update(of=("self",))
        .select_related("shared_initiative__municipality", "municipality", "requested_by")
        .get(pk=request.pk)
    )
    if locked.status in FINISHED:
        raise ValidationError(
            f"Die Anfrage ist {locked.get_status_display()}; es geht nichts mehr hinein."
        )
    return locked


def _text(text: str, *, what: str, minimum: int = 2) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise ValidationError(f"Bitte {what} schreiben (mindestens {minimum} Zeichen).")
    return text


@transaction.atomic
def transfer_request_reply(
    *, municipality: Municipality, actor: User | None, request: TransferRequest, text: str
) -> TransferMessage:
    """A message in the thread from either side; the asked town's first answer marks the
    request "beantwortet". The other side is notified."""
    request = _locked(request)
    from_receiver = _side(request, municipality)
    message = _message(
        request,
        actor=actor,
        from_receiver=from_receiver,
        text=_text(text, what="eine Nachricht"),
        event="reply",
    )
    if from_receiver and request.status == TransferRequestStatus.OPEN:
        request.status = TransferRequestStatus.ANSWERED
        request.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor, action="network.transfer_reply", target=request, data={"message": message.pk}
    )
    writer = request.shared_initiative.municipality if from_receiver else request.municipality
    _notify(
        request,
        to_receiver=not from_receiver,
        text=f"{writer.name} hat zu „{request.shared_initiative.title}“ geantwortet.",
    )
    return message


@transaction.atomic
def transfer_request_accept(
    *,
    municipality: Municipality,
    actor: User | None,
    request: TransferRequest,
    contact_name: str,
    contact_email: str,
    text: str = "",
) -> TransferRequest:
    """The asked town agrees to share its experience and names its contact, which the asking
    town sees from now on."""
    request = _locked(request)
    _only_receiver(request, municipality)
    if not (contact_name or "").strip() or not (contact_email or "").strip():
        raise ValidationError("Bitte Name und E-Mail-Adresse der Ansprechperson angeben.")
    request.status = TransferRequestStatus.ACCEPTED
    request.contact_name = contact_name.strip()
    request.contact_email = contact_email.strip()
    request.save(update_fields=["status", "contact_name", "contact_email", "updated_at"])
    note = (text or "").strip() or "Wir teilen unsere Erfahrungen gern."
    _message(request, actor=actor, from_receiver=True, text=note, event="accepted")
    audit(actor=actor, action="network.transfer_accepted", target=request)
    _notify(
        request,
        to_receiver=False,
        text=f"{municipality.name} hat Ihre Anfrage zu „{request.shared_initiative.title}“ "
        f"angenommen. Ansprechperson: {request.contact_name}.",
    )
    return request


@transaction.atomic
def transfer_request_decline(
    *, municipality: Municipality, actor: User | None, request: TransferRequest, note: str
) -> TransferRequest:
    """The asked town says no, with a reason the asking town reads."""
    request = _locked(request)
    _only_receiver(request, municipality)
    reason = _text(note, what="kurz den Grund", minimum=10)
    request.status = TransferRequestStatus.DECLINED
    request.save(update_fields=["status", "updated_at"])
    _message(request, actor=actor, from_receiver=True, text=reason, event="declined")
    audit(actor=actor, action="network.transfer_declined", target=request)
    _notify(
        request,
        to_receiver=False,
        text=f"{municipality.name} hat Ihre Anfrage zu „{request.shared_initiative.title}“ "
        "abgelehnt.",
    )
    return request


@transaction.atomic
def transfer_request_close(
    *, municipality: Municipality, actor: User | None, request: TransferRequest, note: str = ""
) -> TransferRequest:
    """Either side closes the thread when the exchange is done."""
    request = _locked(request)
    from_receiver = _side(request, municipality)
    request.status = TransferRequestStatus.CLOSED
    request.save(update_fields=["status", "updated_at"])
    text = (note or "").strip() or "Der Austausch ist abgeschlossen."
    _message(request, actor=actor, from_receiver=from_receiver, text=text, event="closed")
    audit(actor=actor, action="network.transfer_closed", target=request)
    _notify(
        request,
        to_receiver=not from_receiver,
        text=f"{municipality.name} hat die Anfrage zu „{request.shared_initiative.title}“ "
        "abgeschlossen.",
    )
    return request


@transaction.atomic
def transfer_record(
    *,
    municipality: Municipality,
    actor: User | None,
    shared_initiative: SharedInitiative,
    summary: str,
    transferred_on: dt.date | None = None,
    initiative: Initiative | None = None,
    request: TransferRequest | None = None,
) -> TransferRecord:
    """Record that the municipality took over experience from a shared Vorhaben."""
    if not _visible_to(municipality, shared_initiative):
        raise ValidationError("Dieses Vorhaben ist für Ihre Kommune nicht geteilt.")
    if initiative is not None and initiative.municipality_id != municipality.pk:
        raise ValidationError("Das eigene Vorhaben gehört zu einer anderen Kommune.")
    if request is not None and request.municipality_id != municipality.pk:
        raise ValidationError("Die Anfrage gehört zu einer anderen Kommune.")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError("Bitte kurz beschreiben, was übernommen wurde.")
    record = TransferRecord.objects.create(
        municipality=municipality,
        shared_initiative=shared_initiative,
        source_municipality=shared_initiative.municipality,
        initiative=initiative,
        request=request,
        transferred_on=transferred_on or timezone.localdate(),
        summary=summary,
    )
    if request is not None and request.status == "open":
        request.status = "closed"
        request.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="network.transfer_recorded",
        target=record,
        data={"shared_initiative": shared_initiative.pk},
    )
    return record
