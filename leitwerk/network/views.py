"""Thin views of the network stage: check the named permission, call a selector or service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import may, require_allowed
from leitwerk.core.fragments import cached_fragment, render_fragment

from . import selectors, services
from .benchmark import settlement_type
from .forms import (
    BenchmarkValueForm,
    IndicatorShareForm,
    ShareForm,
    TransferAcceptForm,
    TransferCloseForm,
    TransferDeclineForm,
    TransferRecordForm,
    TransferReplyForm,
    TransferRequestForm,
)

# The signed-in person's request: `user` and `municipality` typed (accounts/http.py).
Request = AuthedRequest
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "vorhaben-feed.schema.json"


def _errors_to_form(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def network_list(request: Request) -> HttpResponse:
    municipality = request.municipality
    user = request.user
    page = selectors.own_initiatives_page(
        user=user, municipality=municipality, page=request.GET.get("seite")
    )
    initiatives = list(page) if page is not None else []
    suggestions = (
        selectors.suggestions_for(municipality=municipality, initiatives=initiatives, limit=1)
        if initiatives
        else {}
    )
    for initiative in initiatives:
        setattr(initiative, "top_suggestion", next(iter(suggestions.get(initiative.pk, [])), None))  # noqa: B010
    return render(
        request,
        "network/network_list.html",
        {
            "networks": selectors.networks_for(user=user, municipality=municipality),
            "shared": selectors.shared_list_for_user(user=user, municipality=municipality),
            "initiatives": initiatives,
            "page": page,
            "incoming": selectors.requests_incoming(user=user, municipality=municipality),
            "outgoing": selectors.requests_outgoing(user=user, municipality=municipality),
            "records": selectors.records_for(user=user, municipality=municipality),
        },
    )


@login_required
def network_detail(request: Request, slug: str) -> HttpResponse:
    municipality = request.municipality
    network = selectors.network_get_for_user(
        user=request.user, municipality=municipality, slug=slug
    )
    members = list(network.members.all())
    registry = selectors.registry_entries_for(members)
    for member in members:
        setattr(member, "registry_entry", registry.get(member.pk))  # noqa: B010
    return render(
        request,
        "network/network_detail.html",
        {
            "network": network,
            "members": members,
            "shared": selectors.shared_list_for_user(
                user=request.user, municipality=municipality, network=network
            ),
            "definitions": selectors.definitions(),
        },
    )


@login_required
def initiative_network(request: Request, pk: int) -> HttpResponse:
    """The own Vorhaben from the network's side: its shared profile and transfer suggestions."""
    municipality = request.municipality
    initiative = selectors.own_initiative_get(user=request.user, municipality=municipality, pk=pk)
    may_share = may(request.user, "network.share_initiative", initiative)
    profile = getattr(initiative, "shared_profile", None)
    initial: dict[str, Any] = (
        {k: getattr(profile, k) for k in services.PROFILE_FIELDS}
        if profile is not None
        else services.profile_draft(initiative)
    )
    if profile is not None and profile.shared:
        initial["networks"] = list(profile.networks.all())
    else:
        initial["networks"] = list(municipality.networks.all())
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        municipality=municipality,
    )
    if request.method == "POST":
        require_allowed(request.user, "network.share_initiative", initiative)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.initiative_share(
                    initiative=initiative,
                    actor=request.user,
                    networks=data["networks"],
                    profile={k: data[k] for k in services.PROFILE_FIELDS},
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, "Das Profil ist jetzt im Netzwerk sichtbar.")
                return redirect("network:initiative", pk=initiative.pk)
    suggestions = selectors.suggestions_for(municipality=municipality, initiatives=[initiative])
    return render(
        request,
        "network/initiative.html",
        {
            "initiative": initiative,
            "profile": profile,
            "form": form,
            "may_share": may_share,
            "suggestions": suggestions.get(initiative.pk, []),
            "transfer_cities": selectors.transfer_city_links(
                municipality=municipality, initiative=initiative
            ),
        },
    )


@login_required
def initiative_unshare(request: Request, pk: int) -> HttpResponse:
    initiative = selectors.own_initiative_get(
        user=request.user, municipality=request.municipality, pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require_allowed(request.user, "network.share_initiative", initiative)
    services.initiative_unshare(initiative=initiative, actor=request.user)
    messages.success(request, "Das Profil ist nicht mehr geteilt.")
    return redirect("network:initiative", pk=initiative.pk)


def _shared_context(request: Request, shared: Any, **forms: Any) -> dict[str, Any]:
    municipality = request.municipality
    own = shared.municipality_id == municipality.pk
    return {
        "shared": shared,
        "own": own,
        "may_request": not own and may(request.user, "network.request_transfer", municipality),
        "may_record": not own and may(request.user, "network.record_transfer", municipality),
        "request_form": forms.get("request_form") or TransferRequestForm(municipality=municipality),
        "record_form": forms.get("record_form") or TransferRecordForm(municipality=municipality),
    }


@login_required
def shared_detail(request: Request, pk: int) -> HttpResponse:
    shared = selectors.shared_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    return render(request, "network/shared_detail.html", _shared_context(request, shared))


@login_required
def transfer_request(request: Request, pk: int) -> HttpResponse:
    municipality = request.municipality
    shared = selectors.shared_get_for_user(user=request.user, municipality=municipality, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require_allowed(request.user, "network.request_transfer", municipality)
    form = TransferRequestForm(request.POST, municipality=municipality)
    if form.is_valid():
        try:
            services.transfer_request_create(
                municipality=municipality,
                actor=request.user,
                shared_initiative=shared,
                message=form.cleaned_data["message"],
                contact_role=form.cleaned_data["contact_role"],
                initiative=form.cleaned_data["initiative"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Ihre Anfrage ist an {shared.municipality.name} gegangen.")
            return redirect("network:shared", pk=shared.pk)
    context = _shared_context(request, shared, request_form=form)
    return render(request, "network/shared_detail.html", context, status=400)


def _thread_page(
    request: Request, thread: selectors.RequestThread, status: int = 200, **forms: Any
) -> HttpResponse:
    may_act = may(request.user, "network.request_transfer", request.municipality)
    prefill = {"contact_name": request.user.get_full_name(), "contact_email": request.user.email}
    context = {
        "thread": thread,
        "may_act": may_act and thread.open,
        "reply_form": forms.get("reply_form") or TransferReplyForm(),
        "accept_form": forms.get("accept_form") or TransferAcceptForm(initial=prefill),
        "decline_form": forms.get("decline_form") or TransferDeclineForm(),
        "close_form": forms.get("close_form") or TransferCloseForm(),
        # The form that was sent and refused: its errors head the page.
        "form": next(iter(forms.values()), None),
    }
    return render(request, "network/request_detail.html", context, status=status)


@login_required
def request_detail(request: Request, pk: int) -> HttpResponse:
    thread = selectors.transfer_thread(user=request.user, municipality=request.municipality, pk=pk)
    return _thread_page(request, thread)


def _thread_action(
    request: Request, pk: int, form_class: Any, name: str, act: Any, done: str
) -> HttpResponse:
    """One POST action on a request thread (reply, accept, decline, close): its own URL."""
    municipality = request.municipality
    thread = selectors.transfer_thread(user=request.user, municipality=municipality, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require_allowed(request.user, "network.request_transfer", municipality)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(
                municipality=municipality,
                actor=request.user,
                request=thread.request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, done)
            return redirect("network:request_detail", pk=pk)
    return _thread_page(request, thread, status=400, **{name: form})


@login_required
def request_reply(request: Request, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        TransferReplyForm,
        "reply_form",
        services.transfer_request_reply,
        "Ihre Nachricht ist gesendet.",
    )


@login_required
def request_accept(request: Request, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        TransferAcceptForm,
        "accept_form",
        services.transfer_request_accept,
        "Sie haben die Anfrage angenommen. Die anfragende Kommune sieht jetzt Ihre Ansprechperson.",
    )


@login_required
def request_decline(request: Request, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        TransferDeclineForm,
        "decline_form",
        services.transfer_request_decline,
        "Sie haben die Anfrage abgelehnt.",
    )


@login_required
def request_close(request: Request, pk: int) -> HttpResponse:
    return _thread_action(
        request,
        pk,
        TransferCloseForm,
        "close_form",
        services.transfer_request_close,
        "Die Anfrage ist abgeschlossen.",
    )


@login_required
def transfer_record(request: Request, pk: int) -> HttpResponse:
    municipality = request.municipality
    shared = selectors.shared_get_for_user(user=request.user, municipality=municipality, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require_allowed(request.user, "network.record_transfer", municipality)
    form = TransferRecordForm(request.POST, municipality=municipality)
    if form.is_valid():
        try:
            services.transfer_record(
                municipality=municipality,
                actor=request.user,
                shared_initiative=shared,
                summary=form.cleaned_data["summary"],
                transferred_on=form.cleaned_data["transferred_on"],
                initiative=form.cleaned_data["initiative"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Der Erfahrungstransfer ist festgehalten.")
            return redirect("network:shared", pk=shared.pk)
    context = _shared_context(request, shared, record_form=form)
    return render(request, "network/shared_detail.html", context, status=400)


def benchmark_type_label(municipality: Any) -> str:
    return settlement_type(municipality.population)


@login_required
def benchmarks(request: Request) -> HttpResponse:
    municipality = request.municipality
    user = request.user
    if not may(request.user, "network.view_network", municipality):
        raise Http404
    may_manage = may(request.user, "network.manage_benchmarks", municipality)
    share_form = IndicatorShareForm(municipality=municipality, prefix="share")
    value_form = BenchmarkValueForm(prefix="value")
    if request.method == "POST":
        require_allowed(request.user, "network.manage_benchmarks", municipality)
        try:
            if "share-definition" in request.POST:
                share_form = IndicatorShareForm(
                    request.POST, municipality=municipality, prefix="share"
                )
                if share_form.is_valid():
                    services.indicator_share(
                        municipality=municipality, actor=user, **share_form.cleaned_data
                    )
                    messages.success(request, "Die Kennzahl ist für den Vergleich freigegeben.")
                    return redirect("network:benchmarks")
            else:
                value_form = BenchmarkValueForm(request.POST, prefix="value")
                if value_form.is_valid():
                    services.benchmark_value_submit(
                        municipality=municipality, actor=user, **value_form.cleaned_data
                    )
                    messages.success(request, "Der Wert ist gespeichert.")
                    return redirect("network:benchmarks")
        except ValidationError as error:
            _errors_to_form(share_form if "share-definition" in request.POST else value_form, error)
    own = selectors.own_benchmarks(user=user, municipality=municipality)
    rows = []
    for definition in selectors.definitions():
        shared = own["shared"].get(definition.pk)
        rows.append(
            {
                "definition": definition,
                "networks": list(shared.networks.all()) if shared else [],
                "values": [v for v in own["values"] if v.definition_id == definition.pk],
            }
        )
    return render(
        request,
        "network/benchmarks.html",
        {
            "rows": rows,
            "networks": selectors.networks_for(user=user, municipality=municipality),
            "towns_like_us": selectors.towns_like_us(municipality=municipality),
            "town_type": benchmark_type_label(municipality),
            "may_manage": may_manage,
            "share_form": share_form,
            "value_form": value_form,
        },
    )


@login_required
def benchmark_detail(request: Request, slug: str, definition: str) -> HttpResponse:
    municipality = request.municipality
    network = selectors.network_get_for_user(
        user=request.user, municipality=municipality, slug=slug
    )
    bench = selectors.definition_get(slug=definition)

    def build() -> str:
        periods = selectors.periods_for(network=network, definition=bench)
        period = request.GET.get("zeitraum") or (periods[0] if periods else "")
        if period not in periods:
            period = periods[0] if periods else ""
        context: dict[str, Any] = {
            "network": network,
            "definition": bench,
            "periods": periods,
            "period": period,
            "peer_groups": selectors.PEER_GROUP_LABELS,
        }
        context.update(
            selectors.benchmark_comparison(
                user=request.user,
                municipality=municipality,
                network=network,
                definition=bench,
                period=period,
                peer_group=request.GET.get("vergleich", "alle"),
            )
        )
        return render_fragment(request, "network/_benchmark_detail_content.html", context)

    # Figures of many municipalities: any audited change anywhere is a new key (the newest
    # audit id over all municipalities); per person and municipality (own figures, rights).
    content = cached_fragment(
        request,
        name=f"benchmark:{network.pk}:{bench.pk}",
        municipality_ids=None,
        variant=("person", request.user.pk, municipality.pk),
        build=build,
    )
    return render(
        request,
        "network/benchmark_detail.html",
        {"network": network, "definition": bench, "content": content},
    )


# --------------------------------------------------------------------------- public


def _absolute(request: Request, path: str) -> str:
    return request.build_absolute_uri(path)


def feed(request: Request, network_slug: str) -> JsonResponse:
    """Shared Vorhaben of a public network, as JSON (schema: vorhaben-feed.schema.json)."""
    network = selectors.public_network(slug=network_slug)
    items = []
    for s in selectors.feed_entries(network=network):
        items.append(
            {
                "id": f"{s.municipality.slug}/{s.pk}",
                "title": s.title,
                "objective": s.objective,
                "approach": s.approach,
                "milestones_reached": s.milestones_summary,
                "results": s.results,
                "topics": [t.strip() for t in s.topics.split(",") if t.strip()],
                "contact_role": s.contact_role,
                "municipality": {
                    "name": s.municipality.name,
                    "ags": s.municipality.ags or None,
                    "state": s.municipality.state or None,
                },
                "shared_at": s.shared_at.isoformat() if s.shared_at else None,
                "updated_at": s.updated_at.isoformat(),
            }
        )
    payload = {
        "$schema": _absolute(request, reverse("network_public:schema")),
        "schema_version": "1.0",
        "network": {
            "slug": network.slug,
            "name": network.name,
            "description": network.description,
            "url": _absolute(request, request.path),
        },
        "generated_at": timezone.now().isoformat(),
        "initiatives": items,
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def feed_schema(request: Request) -> HttpResponse:
    return HttpResponse(
        SCHEMA_PATH.read_text(encoding="utf-8"), content_type="application/schema+json"
    )


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
