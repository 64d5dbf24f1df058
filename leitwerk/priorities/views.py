"""Thin views: check the named permission (404 when missing), call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

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
    may_manage = may(request.user, "priorities.manage_round", round)
    sign_offs = selectors.sign_offs_for_round(round=round)
    sign_off_form = SignOffForm(
        request.POST or None, choices=selectors.form_choices(municipality=request.municipality)
    )
    if request.method == "POST":
        if not may_manage or not sign_offs:
            raise Http404
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
    mine = [p for p in round.participants.all() if p.may_submit]
    chosen = request.POST.get("stelle") or request.GET.get("stelle")
    participant = None
    if chosen:
        participant = next((p for p in mine if str(p.pk) == chosen), None)
        if participant is None:
            raise Http404
    elif len(mine) == 1:
        participant = mine[0]
    form = None
    if participant is not None:
        form = BallotForm(
            request.POST or None,
            round=round,
            candidates=round.candidate_list,
            existing=selectors.ballot_entries_by_initiative(participant),
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
        raise Http404
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
        if not may_aggregate:
            raise Http404
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
    if request.method == "POST" and not may_adopt:
        raise Http404
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
    if request.method == "POST" and not may_change:
        raise Http404
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
        {"round": round, "form": form, "may_change": may_change},
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
        if not may_record:
            raise Http404
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
def balance(request: Request) -> HttpResponse:
    """The balance page; its four forms post here, told apart by the hidden field `form`."""
    municipality = request.municipality
    view = selectors.balance_for_user(user=request.user, municipality=municipality)
    may_manage = may(request.user, "priorities.manage_balance", municipality)
    forms = _balance_forms(request, view, selectors.form_choices(municipality=municipality))
    if request.method == "POST":
        if not may_manage or view is None:
            raise Http404
        try:
            for name, form in forms.items():
                if form.is_bound and form.is_valid():
                    messages.success(request, _BALANCE_SAVES[name](request, form))
                    return redirect("priorities:balance")
        except ValidationError as error:
            bound = [f for f in forms.values() if f.is_bound]
            _service_errors(bound[0], error)
    rows = []
    if view is not None:
        for member in view.balance.members:
            rows.append({"b": member, "measures": view.measures.get(member.key, [])})
    invalid = any(form.errors for form in forms.values())
    return render(
        request,
        "priorities/balance.html",
        {
            "view": view,
            "rows": rows,
            "may_manage": may_manage,
            **{f"{name}_form": form for name, form in forms.items()},
        },
        status=422 if invalid else 200,
    )


def _balance_forms(request: Request, view: Any, choices: Any) -> dict[str, Any]:
    """The page's forms by the value of their hidden `form` field; only the posted one is bound."""
    posted = request.POST.get("form")

    def data(name: str) -> Any:
        return request.POST if posted == name else None

    return {
        "threshold": ThresholdForm(
            data("threshold"),
            initial={"threshold_points": view.balance.threshold if view else 10},
        ),
        "compensation": CompensationForm(data("compensation"), choices=choices),
        "costs": CostShareForm(data("costs"), choices=choices),
        "beneficiaries": BeneficiariesForm(data("beneficiaries"), choices=choices),
    }


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


# What each of the balance page's forms saves; returns the success message.
_BALANCE_SAVES = {
    "threshold": _save_threshold,
    "compensation": _save_compensation,
    "costs": _save_costs,
    "beneficiaries": _save_beneficiaries,
}


@login_required
def effort_benefit(request: Request) -> HttpResponse:
    plans, plan, rows = selectors.effort_benefit_for_user(
        user=request.user, municipality=request.municipality, plan_id=request.GET.get("plan")
    )
    return render(
        request, "priorities/effort_benefit.html", {"plans": plans, "plan": plan, "rows": rows}
    )
