"""Beschlusskontrolle and RIS pages: thin views over the council selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from leitwerk.core.access import may, require_allowed, require_visible
from leitwerk.core.http import TenantRequest as Request
from leitwerk.core.pages import add_errors, edit_page, form_page

from . import paper, selectors, services
from .forms import (
    DecisionForm,
    FilterForm,
    FollowUpForm,
    FollowUpStartForm,
    FollowUpStateForm,
    PaperForm,
    RisSourceForm,
)
from .models import FollowUpStatus

TITLE = "Beschlusskontrolle"


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(TITLE, reverse("council:overview")), *extra]


@login_required
@require_http_methods(["GET", "HEAD"])
def overview(request: Request) -> HttpResponse:
    municipality = request.municipality
    require_visible(request.user, selectors.VIEW, municipality)
    form = FilterForm(request.GET or None, municipality=municipality)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = timezone.localdate()
    rows = selectors.follow_up_rows(
        user=request.user,
        municipality=municipality,
        today=today,
        body=filters.get("body"),
        status=filters.get("status") or "",
        unit=filters.get("unit"),
    )
    context = {
        "form": form,
        "rows": rows,
        "counts": selectors.light_counts(rows),
        "showing_done": filters.get("status") == FollowUpStatus.DONE,
        "may_add": may(request.user, "council.add_decision", municipality),
        "may_manage_ris": may(request.user, "council.manage_ris", municipality),
        "today": today,
    }
    return render(request, "council/overview.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def decision_list(request: Request) -> HttpResponse:
    decisions = selectors.decision_list(user=request.user, municipality=request.municipality)
    return render(
        request,
        "council/decision_list.html",
        {
            "decisions": decisions[:500],
            "may_add": may(request.user, "council.add_decision", request.municipality),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def decision_detail(request: Request, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, municipality=request.municipality, pk=pk)
    follow_up = getattr(decision, "follow_up", None)
    start_form = None
    if follow_up is None and may(request.user, "council.add_decision", request.municipality):
        start_form = FollowUpStartForm(municipality=request.municipality)
    context = {
        "decision": decision,
        "follow_up": follow_up,
        "row": selectors.row_of(follow_up, timezone.localdate()) if follow_up else None,
        "may_change": follow_up is not None
        and may(request.user, "council.change_followup", follow_up),
        "start_form": start_form,
    }
    return render(request, "council/decision_detail.html", context)


@login_required
def follow_up_start(request: Request, pk: int) -> HttpResponse:
    """POST: put the decision under follow-up (the form is on the decision's page)."""
    decision = selectors.decision_get(user=request.user, municipality=request.municipality, pk=pk)
    require_allowed(request.user, "council.add_decision", request.municipality)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = FollowUpStartForm(request.POST, municipality=request.municipality)
    if form.is_valid():
        try:
            services.follow_up_create(decision=decision, actor=request.user, values=form.changes())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Der Beschluss steht jetzt in der Beschlusskontrolle.")
            return redirect("council:decision_detail", pk=decision.pk)
    return render(
        request,
        "council/decision_detail.html",
        {"decision": decision, "follow_up": None, "start_form": form},
        status=422,
    )


@login_required
def decision_create(request: Request) -> HttpResponse:
    """A decision entered by hand, put under follow-up in the same step."""
    municipality = request.municipality
    require_visible(request.user, selectors.VIEW, municipality)
    require_allowed(request.user, "council.add_decision", municipality)
    decision_form = DecisionForm(request.POST or None, municipality=municipality, prefix="d")
    follow_form = FollowUpStartForm(request.POST or None, municipality=municipality, prefix="f")
    if request.method == "POST" and decision_form.is_valid() and follow_form.is_valid():
        decision = services.decision_create(
            municipality=municipality, actor=request.user, values=decision_form.changes()
        )
        services.follow_up_create(
            decision=decision, actor=request.user, values=follow_form.changes()
        )
        messages.success(request, f"„{decision}“ steht jetzt in der Beschlusskontrolle.")
        return redirect("council:decision_detail", pk=decision.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "council/decision_create.html",
        {
            "decision_form": decision_form,
            "follow_form": follow_form,
            "crumbs": _crumbs(),
            "title": "Beschluss erfassen",
        },
        status=status,
    )


@login_required
def follow_up_edit(request: Request, pk: int) -> HttpResponse:
    follow_up = selectors.follow_up_get(
        user=request.user,
        municipality=request.municipality,
        pk=pk,
        perm="council.change_followup",
    )

    def update(*, actor, expected_version, changes):
        return services.follow_up_update(
            follow_up=follow_up, actor=actor, expected_version=expected_version, changes=changes
        )

    detail = reverse("council:decision_detail", kwargs={"pk": follow_up.decision_id})
    # The responsible unit reports the state; unit, deadline and links stay with the office.
    office = may(request.user, "council.add_decision", request.municipality)
    return edit_page(
        request,
        obj=follow_up,
        form_class=FollowUpForm if office else FollowUpStateForm,
        update=update,
        title=f"Stand eintragen: {follow_up.decision}",
        crumbs=_crumbs((str(follow_up.decision), detail)),
        success_url=detail,
        form_kwargs={"municipality": request.municipality},
    )


@login_required
def ris(request: Request) -> HttpResponse:
    """The RIS address, the daily sync switch, the last result and "Jetzt abgleichen"."""
    source = selectors.ris_source(user=request.user, municipality=request.municipality)
    form = RisSourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        services.ris_source_save(
            municipality=request.municipality,
            actor=request.user,
            system_url=form.cleaned_data["system_url"],
            daily_sync=form.cleaned_data["daily_sync"],
        )
        messages.success(request, "Die Einstellungen des Ratsinformationssystems sind gespeichert.")
        return redirect("council:ris")
    pending = services.ris_sync_is_pending(source) if source else False
    return render(
        request,
        "council/ris.html",
        {
            "form": form,
            "source": source,
            "result": source.last_result if source else None,
            "pending": pending,
            # Queued or running for longer than a run takes: its worker is gone (L1).
            "abandoned": bool(source and source.sync_queued_at) and not pending,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
def ris_sync(request: Request) -> HttpResponse:
    """POST: queue the same run as `leitwerk oparl sync` in the worker; the RIS page shows
    whether it waits, runs or what it found."""
    source = selectors.ris_source(user=request.user, municipality=request.municipality)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if source is None:
        messages.error(request, "Bitte zuerst die OParl-Adresse des RIS eintragen.")
        return redirect("council:ris")
    if not services.ris_sync_queue(municipality=request.municipality, actor=request.user):
        messages.info(request, "Es läuft schon ein Abgleich. Sein Stand steht unten.")
        return redirect("council:ris")
    source.refresh_from_db()
    if source.sync_queued_at is not None:
        messages.success(
            request,
            "Der Abgleich ist angestoßen und läuft im Hintergrund. Mit „Aktualisieren“ sehen "
            "Sie, wie weit er ist.",
        )
        return redirect("council:ris")
    # A quick worker (or the tests' immediate one) has finished already: say what it found.
    result = services.SyncResult.from_json(source.last_result, ok=bool(source.last_ok))
    if not result.ok:
        messages.error(request, "Das Ratsinformationssystem war nicht lesbar; siehe unten.")
    elif result.changed == 0 and not result.errors:
        messages.success(request, "Abgleich beendet: nichts Neues im Ratsinformationssystem.")
    else:
        messages.success(
            request,
            f"Abgleich beendet: {sum(result.created.values())} neu, "
            f"{sum(result.updated.values())} geändert, {len(result.errors)} Fehler.",
        )
    return redirect("council:ris")


@login_required
def quarterly_paper(request: Request) -> HttpResponse:
    """GET: choose quarter and format; POST: the information paper as a download."""
    municipality = request.municipality
    require_visible(request.user, selectors.VIEW, municipality)
    form = PaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year, quarter = form.period()
        open_rows, done_rows = selectors.follow_ups_in_quarter(
            user=request.user, municipality=municipality, year=year, quarter=quarter
        )
        data = paper.paper_data(
            municipality=municipality,
            year=year,
            quarter=quarter,
            open_rows=open_rows,
            done_rows=done_rows,
            today=timezone.localdate(),
        )
        fmt = form.cleaned_data["fmt"]
        response = HttpResponse(paper.render(data, fmt), content_type=paper.CONTENT_TYPES[fmt])
        filename = f"Beschlusskontrolle-{year}-Q{quarter}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        # Internal figures: never from a shared cache.
        response["Cache-Control"] = "private, no-store"
        return response
    return form_page(
        request,
        form=form,
        title="Informationsvorlage Beschlusskontrolle",
        crumbs=_crumbs(),
        back_url=reverse("council:overview"),
        submit_label="Vorlage herunterladen",
        intro=(
            "Der Stand der Beschlusskontrolle zum Quartalsende als Informationsvorlage für den "
            "Rat: offene Beschlüsse mit Ampel und Gründen, im Quartal erledigte mit Vermerk."
        ),
    )
