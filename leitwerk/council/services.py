"""Every write of the council stage: the RIS sync, decisions entered by hand, their follow-up
(Beschlusskontrolle) and its reminders.

The sync reads System → bodies → each body's organisations, papers and meetings (with their
agenda items) and writes only what differs from the stored row, so a second run with nothing
new on the server changes nothing. An object that cannot be read is reported with a German
message and skipped; the run goes on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.urls import reverse
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.core.editing import create_row, update_versioned
from leitwerk.core.notices import notice_create
from leitwerk.municipalities.models import Body, BodyKind, Membership, Municipality, Role

from . import oparl
from .models import (
    DUE_SOON_DAYS,
    AgendaItem,
    CouncilDecision,
    DecisionFollowUp,
    DecisionSource,
    FollowUpStatus,
    Meeting,
    Organization,
    Paper,
    RisSource,
)
from .tasks import send_follow_up_mails

KINDS = ("organizations", "meetings", "papers", "agenda_items", "decisions")


@dataclass
class SyncResult:
    ok: bool = True
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "errors": list(self.errors),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, ok: bool) -> SyncResult:
        """The stored result of a run (RisSource.last_result) back as a SyncResult."""
        return cls(
            ok=ok,
            created={**dict.fromkeys(KINDS, 0), **(data.get("created") or {})},
            updated={**dict.fromkeys(KINDS, 0), **(data.get("updated") or {})},
            errors=list(data.get("errors") or []),
        )

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def error(self, object_id: str, message: str) -> None:
        self.errors.append({"id": object_id, "message": message})


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return " ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        return " ".join(error.messages)
    if isinstance(error, DatabaseError):
        return "Das Objekt passt nicht in die Datenbank (zu lange oder ungültige Werte)."
    return str(error)


_OBJECT_ERRORS = (ValueError, TypeError, KeyError, ValidationError, DatabaseError)

_LABELS = {
    "organizations": "Die Organisation",
    "meetings": "Die Sitzung",
    "papers": "Die Vorlage",
    "agenda_items": "Der Tagesordnungspunkt",
}


class _Sync:
    """One run for one municipality; rows are compared before they are saved."""

    def __init__(self, municipality: Any, fetch: oparl.Fetch, since: Any) -> None:
        self.municipality = municipality
        self.fetch = fetch
        self.since = since
        self.result = SyncResult()
        self.organizations: dict[str, Organization] = {}
        self.paper_of_item: dict[str, int] = {}

    # -- generic upsert ------------------------------------------------------------------

    def upsert(
        self,
        model: type[Any],
        kind: str,
        lookup: dict[str, Any],
        values: dict[str, Any],
        m2m: dict[str, list[Any]] | None = None,
    ) -> Any:
        row = model.objects.filter(municipality=self.municipality, **lookup).first()
        m2m = m2m or {}
        if row is None:
            row = model(municipality=self.municipality, **lookup, **values)
            row.full_clean()
            row.save()
            for name, rows in m2m.items():
                getattr(row, name).set(rows)
            self.result.created[kind] += 1
            return row
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        changed_m2m = [
            name
            for name, rows in m2m.items()
            if {r.pk for r in getattr(row, name).all()} != {r.pk for r in rows}
        ]
        if not changed and not changed_m2m:
            return row
        for name in changed:
            setattr(row, name, values[name])
        row.version += 1
        row.full_clean()
        row.save()
        for name in changed_m2m:
            getattr(row, name).set(m2m[name])
        self.result.updated[kind] += 1
        return row

    def each(self, kind: str, url: Any, handle: Any) -> None:
        """Every object of one list of the body, each in its own savepoint."""
        if not isinstance(url, str) or not url:
            return  # an optional list the server does not offer
        list_url = oparl.with_modified_since(url, self.since)
        for obj, page_url, error in oparl.iterate_list(self.fetch, list_url):
            if error is not None:
                self.result.error(page_url, f"Die Liste {page_url} ist nicht lesbar: {error}")
                return
            self.one(kind, obj, handle)

    def one(self, kind: str, obj: dict[str, Any] | None, handle: Any) -> None:
        object_id = obj.get("id") if isinstance(obj, dict) else None
        label = _LABELS[kind]
        if not isinstance(obj, dict):
            self.result.error("", f"{label} ist kein OParl-Objekt und wurde übersprungen.")
            return
        if obj.get("deleted") is True:
            return  # deleted in the RIS: nothing to read (rows already stored are kept)
        try:
            with transaction.atomic():
                handle(obj)
        except _OBJECT_ERRORS as error:
            self.result.error(
                str(object_id or ""),
                f"{label} {object_id or '(ohne ID)'} wurde nicht übernommen: {_message(error)}",
            )

    # -- the objects ---------------------------------------------------------------------

    def organization(self, obj: dict[str, Any]) -> None:
        oparl_id = oparl.object_id(obj)
        name = oparl.text(obj, "name", 300) or oparl.text(obj, "shortName", 300)
        if not name:
            raise ValueError("Sie hat keinen Namen.")
        values: dict[str, Any] = {
            "name": name,
            "short_name": oparl.text(obj, "shortName", 200),
            "classification": oparl.text(obj, "classification", 200),
            "oparl_modified": oparl.text(obj, "modified", 40),
        }
        existing = Organization.objects.filter(
            municipality=self.municipality, oparl_id=oparl_id
        ).first()
        body = existing.body if existing and existing.body_id else self._body_for(obj, values)
        values["body_id"] = body.pk if body else None
        self.organizations[oparl_id] = self.upsert(
            Organization, "organizations", {"oparl_id": oparl_id}, values
        )

    def _body_for(self, obj: dict[str, Any], values: dict[str, Any]) -> Body | None:
        """The municipality's body: by OParl id, else by name; created for a Gremium."""
        oparl_id = obj["id"]
        bodies = Body.objects.for_municipality(self.municipality)
        found = bodies.filter(oparl_url=oparl_id).first()
        for name in (values["name"], values["short_name"]):
            if found is None and name:
                found = bodies.filter(name__iexact=name).first()
        if found is not None:
            return found
        kind = oparl.text(obj, "organizationType", 100)
        if kind and kind.lower() != "gremium":
            return None  # a Fraktion, a party, the administration: no body that decides
        classification = values["classification"].lower()
        body_kind = (
            BodyKind.RAT
            if classification in ("rat", "gemeinderat", "stadtrat", "kreistag", "hauptorgan")
            else BodyKind.AUSSCHUSS
            if "ausschuss" in classification
            else BodyKind.OTHER
        )
        body = Body(
            municipality=self.municipality,
            name=values["name"][:200],
            kind=body_kind,
            oparl_url=oparl_id if len(oparl_id) <= 200 else "",
        )
        body.full_clean()
        body.save()
        return body

    def paper(self, obj: dict[str, Any]) -> None:
        oparl_id = oparl.object_id(obj)
        name = oparl.text(obj, "name", 500) or oparl.text(obj, "reference", 500)
        if not name:
            raise ValueError("Sie hat weder Betreff noch Drucksachennummer.")
        consulted = []
        for consultation in oparl.embedded(obj, "consultation"):
            for key in ("agendaItem", "id"):
                value = consultation.get(key)
                if isinstance(value, str):
                    consulted.append(value)
        values = {
            "name": name,
            "reference": oparl.text(obj, "reference", 200),
            "date": oparl.date_value(obj, "date"),
            "paper_type": oparl.text(obj, "paperType", 200),
            "agenda_item_ids": sorted(set(consulted)),
            "oparl_modified": oparl.text(obj, "modified", 40),
        }
        self.upsert(Paper, "papers", {"oparl_id": oparl_id}, values)

    def meeting(self, obj: dict[str, Any]) -> None:
        oparl_id = oparl.object_id(obj)
        start = oparl.datetime_value(obj, "start")
        name = oparl.text(obj, "name", 300)
        if not name:
            name = f"Sitzung am {timezone.localtime(start):%d.%m.%Y}" if start else "Sitzung"
        organizations = [
            org for org in self._organizations(oparl.url_list(obj, "organization")) if org
        ]
        values = {
            "name": name,
            "start": start,
            "end": oparl.datetime_value(obj, "end"),
            "cancelled": obj.get("cancelled") is True,
            "oparl_modified": oparl.text(obj, "modified", 40),
        }
        meeting = self.upsert(
            Meeting,
            "meetings",
            {"oparl_id": oparl_id},
            values,
            m2m={"organizations": organizations},
        )
        body = next((org.body for org in organizations if org.body_id), None)
        for item in oparl.embedded(obj, "agendaItem"):
            self.one("agenda_items", item, lambda o: self.agenda_item(o, meeting, body))

    def _organizations(self, ids: Iterable[str]) -> list[Organization | None]:
        wanted = [i for i in ids if i not in self.organizations]
        if wanted:
            for org in Organization.objects.filter(
                municipality=self.municipality, oparl_id__in=wanted
            ).select_related("body"):
                self.organizations[org.oparl_id] = org
        return [self.organizations.get(i) for i in ids]

    def agenda_item(self, obj: dict[str, Any], meeting: Meeting, body: Body | None) -> None:
        oparl_id = oparl.object_id(obj)
        name = oparl.text(obj, "name", 500)
        if not name:
            raise ValueError("Er hat keinen Gegenstand (Feld „name“).")
        consultation = obj.get("consultation")
        paper_id = self.paper_of_item.get(oparl_id) or (
            self.paper_of_item.get(consultation) if isinstance(consultation, str) else None
        )
        order = obj.get("order")
        values = {
            "meeting_id": meeting.pk,
            "number": oparl.text(obj, "number", 50),
            "order": order if isinstance(order, int) else None,
            "name": name,
            "public": obj.get("public") is not False,
            "result": oparl.text(obj, "result", 300),
            "resolution_text": oparl.text(obj, "resolutionText", 100_000),
            "paper_id": paper_id,
            "oparl_modified": oparl.text(obj, "modified", 40),
        }
        item = self.upsert(AgendaItem, "agenda_items", {"oparl_id": oparl_id}, values)
        self.decision(item, meeting, body)

    def decision(self, item: AgendaItem, meeting: Meeting, body: Body | None) -> None:
        """An agenda item with a result or resolution text is a decision of the body."""
        if not (item.result or item.resolution_text):
            return
        paper = item.paper
        values = {
            "source": DecisionSource.OPARL,
            "title": item.name,
            "decided_on": timezone.localtime(meeting.start).date() if meeting.start else None,
            "body_id": body.pk if body else None,
            "reference": paper.reference if paper else "",
            "result": item.result,
            "resolution_text": item.resolution_text,
            "paper_id": paper.pk if paper else None,
            "oparl_id": item.oparl_id,
            "paper_oparl_id": paper.oparl_id if paper else "",
        }
        self.upsert(CouncilDecision, "decisions", {"agenda_item": item}, values)

    def load_paper_links(self) -> None:
        for paper_id, ids in Paper.objects.filter(municipality=self.municipality).values_list(
            "pk", "agenda_item_ids"
        ):
            for item_id in ids or []:
                self.paper_of_item[item_id] = paper_id

    def link_papers(self) -> None:
        """Agenda items read before their paper (an earlier run) get the paper now."""
        items = AgendaItem.objects.filter(
            municipality=self.municipality, paper__isnull=True, oparl_id__in=self.paper_of_item
        ).select_related("meeting")
        for item in items:
            self.one(
                "agenda_items",
                {"id": item.oparl_id},
                lambda _obj, item=item: self._link(item),
            )

    def _link(self, item: AgendaItem) -> None:
        item.paper_id = self.paper_of_item[item.oparl_id]
        item.version += 1
        item.save(update_fields=["paper", "version", "updated_at"])
        self.result.updated["agenda_items"] += 1
        body = next(
            (org.body for org in item.meeting.organizations.select_related("body") if org.body_id),
            None,
        )
        self.decision(item, item.meeting, body)

    # -- the run -------------------------------------------------------------------------

    def bodies(self, system_url: str) -> list[dict[str, Any]] | None:
        try:
            system = self.fetch(system_url)
        except oparl.FetchError as error:
            self.result.ok = False
            self.result.error(
                system_url,
                f"Das Ratsinformationssystem unter {system_url} ist nicht lesbar: {error}",
            )
            return None
        if oparl.type_name(system) == "Body":
            return [system]  # the address of one body instead of the system
        bodies_url = system.get("body")
        if not isinstance(bodies_url, str):
            self.result.ok = False
            self.result.error(
                system_url, "Unter dieser Adresse steht kein OParl-System (Feld „body“ fehlt)."
            )
            return None
        bodies: list[dict[str, Any]] = []
        for obj, page_url, problem in oparl.iterate_list(self.fetch, bodies_url):
            if problem is not None:
                self.result.ok = False
                self.result.error(
                    page_url, f"Die Liste der Körperschaften ist nicht lesbar: {problem}"
                )
                return None
            if obj is not None:
                bodies.append(obj)
        # One RIS often serves several municipalities (OParl bodies): take ours by its AGS.
        ags = self.municipality.ags
        ours = [b for b in bodies if ags and str(b.get("ags", "")) == ags]
        return ours or bodies

    def run(self, system_url: str) -> SyncResult:
        bodies = self.bodies(system_url)
        if bodies is None:
            return self.result
        for body in bodies:
            self.each("organizations", body.get("organization"), self.organization)
        for body in bodies:
            self.each("papers", body.get("paper"), self.paper)
        self.load_paper_links()
        for body in bodies:
            self.each("meetings", body.get("meeting"), self.meeting)
        self.link_papers()
        return self.result


def _fetcher_for(system_url: str) -> oparl.Fetch:
    return oparl.HttpFetcher(system_url)


def ris_sync(
    *,
    municipality: Any,
    system_url: str | None = None,
    fetch: oparl.Fetch | None = None,
    actor: Any = None,
    full: bool = False,
) -> SyncResult:
    """Read the municipality's RIS (OParl 1.1) and store what is new or changed.

    `system_url` sets (or changes) the municipality's RIS address; without it the stored one
    is read. Incremental after the first complete run (`modified_since`); `full` reads all.
    """
    source = RisSource.objects.filter(municipality=municipality).first()
    url = (system_url or (source.system_url if source else "")).strip()
    if not url:
        raise ValidationError({"system_url": "Bitte die OParl-Adresse des RIS angeben."})
    if source is None:
        source = create_row(
            model=RisSource,
            municipality=municipality,
            actor=actor,
            action="ris_source.create",
            values={"system_url": url},
        )
    elif source.system_url != url:
        source.system_url = url
        source.synced_since = None  # another server: read everything once
        source.full_clean()
        source.save()
    started = timezone.now()
    try:
        fetcher = fetch or _fetcher_for(url)
    except oparl.FetchError as error:
        result = SyncResult(ok=False)
        result.error(url, str(error))
    else:
        since = None if full else source.synced_since
        with transaction.atomic():
            result = _Sync(municipality, fetcher, since).run(url)
    with transaction.atomic():
        source.last_run_at = started
        source.last_ok = result.ok
        source.last_result = result.as_json()
        source.sync_queued_at = None
        source.sync_started_at = None
        # Objects that failed are read again next time: the mark moves only after a clean run.
        if result.ok and not result.errors:
            source.synced_since = started
        source.save(
            update_fields=[
                "last_run_at",
                "last_ok",
                "last_result",
                "synced_since",
                "sync_queued_at",
                "sync_started_at",
                "updated_at",
            ]
        )
        audit(
            actor=actor,
            action="ris.sync",
            target=source,
            data={
                "ok": result.ok,
                "created": result.created,
                "updated": result.updated,
                "errors": len(result.errors),
            },
        )
    return result


# A queued or running sync that has not finished after this long lost its worker (L1): the
# page says so and "Jetzt abgleichen" may start a new one.
RIS_SYNC_ABANDONED = dt.timedelta(minutes=30)


def ris_sync_is_pending(source: RisSource, *, now: dt.datetime | None = None) -> bool:
    """Queued or running, and not yet given up for lost."""
    if source.sync_queued_at is None:
        return False
    return (now or timezone.now()) - source.sync_queued_at < RIS_SYNC_ABANDONED


def ris_sync_queue(*, municipality: Any, actor: Any) -> bool:
    """ "Jetzt abgleichen": queue one sync in the worker (20 s per page of a slow RIS must not
    hold a web process). False when one is already queued or running."""
    from .tasks import run_ris_sync

    with transaction.atomic():
        source = RisSource.objects.select_for_update().filter(municipality=municipality).first()
        if source is None:
            raise ValidationError(
                {"system_url": "Bitte zuerst die OParl-Adresse des RIS eintragen."}
            )
        if ris_sync_is_pending(source):
            return False
        source.sync_queued_at = timezone.now()
        source.sync_started_at = None
        source.save(update_fields=["sync_queued_at", "sync_started_at", "updated_at"])
        audit(actor=actor, action="ris.sync_queued", target=source)
        source_id, actor_id = source.pk, getattr(actor, "pk", None)
        transaction.on_commit(lambda: run_ris_sync.enqueue(source_id, actor_id))
    return True


def ris_sync_start(*, source_id: int) -> Any:
    """The worker's side: mark the run started; the municipality, or None if nothing is queued."""
    # An id from our own task queue: the row's town is read from the row.
    source = (
        RisSource.objects.across_municipalities()
        .select_related("municipality")
        .filter(pk=source_id, sync_queued_at__isnull=False)
        .first()
    )
    if source is None:
        return None
    RisSource.objects.filter(municipality=source.municipality, pk=source.pk).update(
        sync_started_at=timezone.now()
    )
    return source.municipality


@transaction.atomic
def ris_source_save(
    *, municipality: Any, actor: Any, system_url: str, daily_sync: bool
) -> RisSource:
    """Set the RIS address and whether it is read every night."""
    source = RisSource.objects.filter(municipality=municipality).first()
    if source is None:
        return create_row(
            model=RisSource,
            municipality=municipality,
            actor=actor,
            action="ris_source.create",
            values={"system_url": system_url, "daily_sync": daily_sync},
        )
    if source.system_url != system_url:
        source.synced_since = None
    source.system_url = system_url
    source.daily_sync = daily_sync
    source.version += 1
    source.full_clean()
    source.save()
    audit(actor=actor, action="ris_source.update", target=source)
    return source


def ris_sync_daily() -> dict[str, SyncResult]:
    """The nightly job: every municipality that switched the daily sync on (network access)."""
    results = {}
    sources = RisSource.objects.filter(daily_sync=True).select_related("municipality")
    for source in sources.across_municipalities():  # the job runs for every town
        results[source.municipality.slug] = ris_sync(municipality=source.municipality)
    return results


# --- decisions and their follow-up --------------------------------------------------------

DECISION_FIELDS = {"title", "decided_on", "body", "reference", "result", "resolution_text"}
FOLLOW_UP_FIELDS = {
    "unit",
    "deadline",
    "status",
    "delay_reason",
    "done_note",
    "initiatives",
    "priority_items",
}


@transaction.atomic
def decision_create(*, municipality: Any, actor: Any, values: dict[str, Any]) -> CouncilDecision:
    """A decision entered by hand (a RIS without OParl, an older decision)."""
    unknown = set(values) - DECISION_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    return create_row(
        model=CouncilDecision,
        municipality=municipality,
        actor=actor,
        action="council_decision.create",
        values={**values, "source": DecisionSource.MANUAL},
    )


def _done_fields(changes: dict[str, Any], today: dt.date, done_on: dt.date | None) -> None:
    status = changes.get("status")
    if status == FollowUpStatus.DONE:
        changes["done_on"] = done_on or today
    elif status is not None:
        changes["done_on"] = None


@transaction.atomic
def follow_up_create(
    *, decision: CouncilDecision, actor: Any, values: dict[str, Any]
) -> DecisionFollowUp:
    """Put a decision under follow-up (once: a second call is refused)."""
    if DecisionFollowUp.objects.filter(
        municipality_id=decision.municipality_id, decision=decision
    ).exists():
        raise ValidationError("Dieser Beschluss steht schon in der Beschlusskontrolle.")
    unknown = set(values) - FOLLOW_UP_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    values = dict(values)
    _done_fields(values, timezone.localdate(), None)
    return create_row(
        model=DecisionFollowUp,
        municipality=decision.municipality,
        actor=actor,
        action="follow_up.create",
        values={**values, "decision": decision},
    )


@transaction.atomic
def follow_up_update(
    *, follow_up: DecisionFollowUp, actor: Any, expected_version: int, changes: dict[str, Any]
) -> DecisionFollowUp:
    """Change the follow-up; `ConflictError` when someone saved it meanwhile."""
    unknown = set(changes) - FOLLOW_UP_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    changes = dict(changes)
    _done_fields(changes, timezone.localdate(), follow_up.done_on)
    return update_versioned(
        instance=follow_up,
        actor=actor,
        action="follow_up.update",
        expected_version=expected_version,
        changes=changes,
    )


def follow_up_reminders_send(
    *, today: dt.date | None = None, municipality: Municipality | None = None
) -> int:
    """Remind the responsible unit of deadlines within two weeks or passed, once per deadline.

    The unit's editors get a notice under "Meine Aktualisierungen" and an e-mail (unless they
    switched reminders off), like the reminders for status reports. Returns the follow-ups
    reminded.
    """
    today = today or timezone.localdate()
    due = DecisionFollowUp.objects.filter(
        unit__isnull=False, deadline__lte=today + dt.timedelta(DUE_SOON_DAYS)
    ).exclude(status=FollowUpStatus.DONE)
    due = due.exclude(reminded_for=models.F("deadline"))
    if municipality is not None:
        due = due.filter(municipality=municipality)
    else:
        due = due.across_municipalities()  # the daily job runs for every town
    rows = list(due.select_related("decision", "unit"))
    if not rows:
        return 0
    editors: dict[tuple[int, int | None], list[Any]] = defaultdict(list)
    memberships = Membership.objects.filter(
        role=Role.UNIT_EDITOR, unit_id__in={r.unit_id for r in rows}
    ).select_related("user")
    for membership in memberships.across_municipalities():  # pinned by the units just read
        editors[(membership.municipality_id, membership.unit_id)].append(membership.user)
    with transaction.atomic():
        for row in rows:
            people = editors.get((row.municipality_id, row.unit_id), [])
            url = reverse("council:follow_up_edit", kwargs={"pk": row.pk})
            text = (
                f"Beschlusskontrolle: „{row.decision.title[:200]}“ ist fällig am "
                f"{row.deadline:%d.%m.%Y}. Bitte den Stand eintragen."
            )
            notice_create(municipality=row.municipality_id, recipients=people, text=text, url=url)
            row.reminded_for = row.deadline
            row.save(update_fields=["reminded_for", "updated_at"])
            ids = [p.pk for p in people if p.email_reminders and p.email]
            if ids:
                transaction.on_commit(
                    lambda pk=row.pk, ids=ids: send_follow_up_mails.enqueue(pk, ids)  # type: ignore[misc]
                )
        audit(
            actor=None,
            action="follow_up.remind",
            municipality=municipality,
            data={"count": len(rows), "date": str(today)},
        )
    return len(rows)
