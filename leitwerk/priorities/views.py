"""Thin views: check the named permission, call a selector or service, render.

404 for a round, decision or balance that is missing, foreign or not visible; 403 for an action
on something the person sees but may not do (core.access.require_allowed).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from leitwerk.core.access import may, require_allowed

from . import selectors, services
from .forms import (
    AdoptForm,
    AggregateForm,
    BallotForm,
    BeneficiariesForm,
    ChangeForm,
    CompensationForm,
    CostShareForm,
    DecisionForm,
    RoundForm,
    SignOffForm,
    ThresholdForm,
)

# An HttpRequest with `.municipality`, set by CurrentMunicipalityMiddleware.
Request = Any


def _service_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _round(request: Request, pk: int) -> Any:
    return selectors.round_get_for_user(user=request.user, municipality=request.municipality, pk=pk)


@login_required
def round_list(request: Request) -> HttpResponse:
    municipality = request.municipality
    rounds = selectors.round_list_for_user(user=request.user, municipality=municipality)
    return render(
        request,
        "priorities/round_list.html",
        {
            "rounds": rounds,
            "may_manage": may(request.user, "priorities.manage_round", municipality),
            "is_amt": selectors.is_amt(municipality),
        },
    )


@login_required
def round_create(request: Request) -> HttpResponse:
    municipality = request.municipality
    require_allowed(request.user, "priorities.manage_round", municipality)
    form = RoundForm(
        request.POST or None, choices=selectors.form_choices(municipality=municipality)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = services.round_create(
                municipality=municipality,
                actor=request.user,
                title=data["title"],
                year=data["year"],
                description=data["description"],
                ballot_mode=data["ballot_mode"],
                candidates=list(data["candidates"]),
                bodies=list(data["bodies"]),
                units=list(data["units"]),
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "Die Priorisierungsrunde ist angelegt.")
            return redirect("priorities:detail", pk=round.pk)
    return render(
        request,
        "priorities/round_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
def round_detail(request: Request, pk: int) -> HttpResponse:
    round = _round(request, pk)
    page = selectors.round_page(user=request.user, round=round)
    may_manage = may(request.user, "priorities.manage_round", round)
    sign_offs = selectors.sign_offs_for_round(round=round)
    sign_off_form = SignOffForm(
        request.POST or None, choices=selectors.form_choices(municipality=request.municipality)
    )
    if request.method == "POST":
        if not sign_offs:
            raise Http404
        require_allowed(request.user, "priorities.manage_round", round)
        if sign_off_form.is_valid():
            try:
                services.member_sign_off(
                    round=round, actor=request.user, **sign_off_form.cleaned_data
                )
            except ValidationError as error:
                _service_errors(sign_off_form, error)
            else:
                messages.success(request, "Die Zustimmung der Gemeinde ist eingetragen.")
                return redirect("priorities:detail", pk=round.pk)
    return render(
        request,
        "priorities/round_detail.html",
        {
            "round": round,
            "page": page,
            "may_manage": may_manage,
            "may_adopt": may(request.user, "priorities.adopt_round", round),
            "may_change": may(request.user, "priorities.change_priority", round),
            "sign_offs": sign_offs,
            "form": sign_off_form,
        },
        status=422 if sign_off_form.errors else 200,
    )


@login_required
def ballot(request: Request, pk: int) -> HttpResponse:
    """The ballot of one participant the person speaks for (`?stelle=<id>`).

    Without a choice the only such participant is taken; a person who speaks for none sees an
    explanation, so the page exists for everybody who may read the round.
    """
    round = _round(request, pk)
    page = selectors.round_page(user=request.user, round=round)
    mine = page.mine()
    chosen = request.POST.get("stelle") or request.GET.get("stelle")
    participant = None
    if chosen:
        participant = next((p for p in mine if str(p.pk) == chosen), None)
        if participant is None:
            # Another participant of this round is visible on the round page: 403; an id
            # that is no participant of this round: 404.
            other = next((p for p in round.participants.all() if str(p.pk) == chosen), None)
            if other is None:
                raise Http404
            require_allowed(request.user, "priorities.submit_ballot", other)
    elif len(mine) == 1:
        participant = mine[0]
    form = None
    if participant is not None:
        form = BallotForm(
            request.POST or None,
            round=round,
            candidates=page.candidates,
            existing=selectors.ballot_entries_by_initiative(
                next(r.submitted for r in page.participants if r.participant == participant)
            ),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.ballot_submit(
                    participant=participant,
                    actor=request.user,
                    ranks=getattr(form, "ranks", None),
                    scores=getattr(form, "scores", None),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, f"Der Stimmzettel für {participant} ist gespeichert.")
                return redirect("priorities:detail", pk=round.pk)
    elif request.method == "POST":
        # The round is visible, but the person speaks for no participant of it.
        raise PermissionDenied
    return render(
        request,
        "priorities/ballot_form.html",
        {"round": round, "participant": participant, "mine": mine, "form": form},
        status=422 if form is not None and form.errors else 200,
    )


@login_required
def results(request: Request, pk: int) -> HttpResponse:
    round = _round(request, pk)
    may_aggregate = may(request.user, "priorities.aggregate_round", round)
    form = AggregateForm(request.POST or None, initial={"method": round.method or "schulze"})
    if request.method == "POST":
        require_allowed(request.user, "priorities.aggregate_round", round)
        if form.is_valid():
            try:
                services.round_aggregate(
                    round=round, actor=request.user, method=form.cleaned_data["method"]
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, "Die Liste ist zusammengeführt und gespeichert.")
                return redirect("priorities:detail", pk=round.pk)
    view = selectors.round_results_for_user(
        user=request.user, municipality=request.municipality, round=round
    )
    return render(
        request,
        "priorities/results.html",
        {
            "round": round,
            "results": view,
            "borda": view.methods["borda"],
            "schulze": view.methods["schulze"],
            "form": form,
            "may_aggregate": may_aggregate,
        },
        status=422 if form.errors else 200,
    )


@login_required
def adopt(request: Request, pk: int) -> HttpResponse:
    round = _round(request, pk)
    may_adopt = may(request.user, "priorities.adopt_round", round)
    if request.method == "POST":
        require_allowed(request.user, "priorities.adopt_round", round)
    form = AdoptForm(
        request.POST or None, choices=selectors.form_choices(municipality=request.municipality)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.round_adopt(
                round=round,
                actor=request.user,
                body=data["body"],
                adopted_on=data["adopted_on"],
                decision_reference=data["decision_reference"],
                oparl_url=data["oparl_url"],
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "Die Prioritätenliste ist als beschlossen eingetragen.")
            return redirect("priorities:detail", pk=round.pk)
    return render(
        request,
        "priorities/adopt_form.html",
        {"round": round, "form": form, "may_adopt": may_adopt},
        status=422 if form.errors else 200,
    )


@login_required
def change(request: Request, pk: int) -> HttpResponse:
    round = _round(request, pk)
    may_change = may(request.user, "priorities.change_priority", round)
    if request.method == "POST":
        require_allowed(request.user, "priorities.change_priority", round)
    form = ChangeForm(
        request.POST or None,
        choices=selectors.form_choices(municipality=request.municipality),
        round=round,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.priority_change(
                round=round,
                actor=request.user,
                initiative=data["initiative"],
                new_rank=data["new_rank"],
                justification=data["justification"],
                changed_on=data["changed_on"],
                body=data["body"],
                reference=data["reference"],
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "Die Änderung ist mit ihrer Begründung eingetragen.")
            return redirect("priorities:detail", pk=round.pk)
    return render(
        request,
        "priorities/change_form.html",
        {
            "round": round,
            "change_count": len(round.changes.all()),  # prefetched
            "form": form,
            "may_change": may_change,
        },
        status=422 if form.errors else 200,
    )


@login_required
def decisions(request: Request) -> HttpResponse:
    municipality = request.municipality
    rows = selectors.decisions_for_user(user=request.user, municipality=municipality)
    may_record = may(request.user, "priorities.record_decision", municipality)
    form = DecisionForm(
        request.POST or None, choices=selectors.form_choices(municipality=municipality)
    )
    if request.method == "POST" and request.POST.get("form") == "publish":
        decision = selectors.decision_get_for_user(
            user=request.user, municipality=municipality, pk=request.POST.get("decision")
        )
        public = request.POST.get("public") == "1"
        services.decision_publish(decision=decision, actor=request.user, public=public)
        messages.success(
            request,
            f"„{decision.title}“ erscheint jetzt im Bürgerportal."
            if public
            else f"„{decision.title}“ ist nicht mehr im Bürgerportal zu sehen.",
        )
        return redirect("priorities:decisions")
    if request.method == "POST":
        require_allowed(request.user, "priorities.record_decision", municipality)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.decision_record(municipality=municipality, actor=request.user, **data)
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, "Die Entscheidung ist eingetragen.")
                return redirect("priorities:decisions")
    return render(
        request,
        "priorities/decisions.html",
        {
            "decisions": rows,
            "form": form,
            "may_record": may_record,
            "may_publish": may(request.user, "priorities.publish_decision", municipality),
            "indicator": selectors.change_indicator_for_user(
                user=request.user, municipality=municipality
            ),
        },
        status=422 if form.errors else 200,
    )


@login_required
def resources(request: Request) -> HttpResponse:
    cells = selectors.resources_for_user(user=request.user, municipality=request.municipality)
    return render(
        request,
        "priorities/resources.html",
        {"cells": cells, "over_committed": [c for c in cells if c.over_committed]},
    )


@login_required
@require_GET
def balance(request: Request) -> HttpResponse:
    """The balance page; each of its four forms posts to a view of its own."""
    return _balance_page(request)


def _balance_page(
    request: Request, bound: tuple[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    municipality = request.municipality
    view = selectors.balance_for_user(user=request.user, municipality=municipality)
    choices = selectors.form_choices(municipality=municipality)
    forms = {
        "threshold": ThresholdForm(
            initial={"threshold_points": view.balance.threshold if view else 10}
        ),
        "compensation": CompensationForm(choices=choices),
        "costs": CostShareForm(choices=choices),
        "beneficiaries": BeneficiariesForm(choices=choices),
    }
    if bound is not None:
        forms[bound[0]] = bound[1]
    rows = []
    if view is not None:
        for member in view.balance.members:
            rows.append({"b": member, "measures": view.measures.get(member.key, [])})
    return render(
        request,
        "priorities/balance.html",
        {
            "view": view,
            "rows": rows,
            "may_manage": may(request.user, "priorities.manage_balance", municipality),
            **{f"{name}_form": form for name, form in forms.items()},
        },
        status=status,
    )


def _balance_action(request: Request, name: str, form_class: Any, save: Any) -> HttpResponse:
    """One form of the balance page: 404 outside an Amt, 403 without the right; on success
    back to the page, otherwise the page again with the bound form (422)."""
    municipality = request.municipality
    if selectors.balance_for_user(user=request.user, municipality=municipality) is None:
        raise Http404
    require_allowed(request.user, "priorities.manage_balance", municipality)
    kwargs = (
        {}
        if form_class is ThresholdForm
        else {"choices": selectors.form_choices(municipality=municipality)}
    )
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            message = save(request, form)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("priorities:balance")
    return _balance_page(request, (name, form), status=422)


@login_required
@require_POST
def balance_threshold(request: Request) -> HttpResponse:
    return _balance_action(request, "threshold", ThresholdForm, _save_threshold)


@login_required
@require_POST
def balance_compensation(request: Request) -> HttpResponse:
    return _balance_action(request, "compensation", CompensationForm, _save_compensation)


@login_required
@require_POST
def balance_costs(request: Request) -> HttpResponse:
    return _balance_action(request, "costs", CostShareForm, _save_costs)


@login_required
@require_POST
def balance_beneficiaries(request: Request) -> HttpResponse:
    return _balance_action(request, "beneficiaries", BeneficiariesForm, _save_beneficiaries)


def _save_threshold(request: Request, form: Any) -> str:
    services.balance_threshold_set(
        municipality=request.municipality,
        actor=request.user,
        threshold_points=form.cleaned_data["threshold_points"],
    )
    return "Die Schwelle ist gespeichert."


def _save_compensation(request: Request, form: Any) -> str:
    services.compensation_record(
        municipality=request.municipality, actor=request.user, **form.cleaned_data
    )
    return "Die Ausgleichsmaßnahme ist eingetragen."


def _save_costs(request: Request, form: Any) -> str:
    services.cost_shares_set(
        initiative=form.cleaned_data["initiative"],
        actor=request.user,
        shares=form.shares(),
    )
    return "Die Kostenanteile sind gespeichert."


def _save_beneficiaries(request: Request, form: Any) -> str:
    initiative = form.cleaned_data["initiative"]
    require_allowed(request.user, "priorities.set_beneficiaries", initiative)
    services.initiative_beneficiaries_set(
        initiative=initiative,
        actor=request.user,
        members=form.cleaned_data["members"],
    )
    return f"Gespeichert, wem „{initiative}“ nützt."


@login_required
def effort_benefit(request: Request) -> HttpResponse:
    plans, plan, rows = selectors.effort_benefit_for_user(
        user=request.user, municipality=request.municipality, plan_id=request.GET.get("plan")
    )
    return render(
        request, "priorities/effort_benefit.html", {"plans": plans, "plan": plan, "rows": rows}
    )
