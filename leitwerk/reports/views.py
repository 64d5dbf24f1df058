from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from . import selectors, services
from .forms import ReportCreateForm
from .models import ReportStatus
from .renderers import CONTENT_TYPES


@login_required
def report_list(request):
    municipality = request.municipality
    reports = selectors.report_list_for_user(user=request.user, municipality=municipality)
    may_create = selectors.may_create_reports(user=request.user, municipality=municipality)
    form = None
    if may_create:
        if request.method == "POST":
            form = ReportCreateForm(request.POST, municipality=municipality)
            if form.is_valid():
                report = services.report_create(
                    plan=form.cleaned_data["plan"],
                    fmt=form.cleaned_data["fmt"],
                    as_of=form.cleaned_data["as_of"],
                    actor=request.user,
                    climate_relevance=form.cleaned_data["climate_relevance"],
                    decisions_requested=form.cleaned_data["decisions_requested"],
                )
                messages.success(request, "Der Bericht wird erstellt.")
                return redirect("reports:detail", pk=report.pk)
        else:
            plan = selectors.default_plan(municipality=municipality)
            form = ReportCreateForm(
                municipality=municipality, initial={"plan": plan.pk} if plan else None
            )
    elif request.method == "POST":
        raise Http404
    may_review_texts = request.user.has_perm("portal.review_readability", municipality)
    return render(
        request,
        "reports/report_list.html",
        {"reports": reports, "form": form, "may_review_texts": may_review_texts},
    )


@login_required
def report_detail(request, pk: int):
    report = selectors.report_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    # A worker killed mid-report (L1): shown as broken off at once; the daily
    # `leitwerk sweep_reports` records it.
    abandoned = services.report_abandoned(report=report, now=timezone.now())
    pending = not report.is_finished and not abandoned
    response = render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "pending": pending,
            "done": ReportStatus.DONE,
            "failed": abandoned or report.status == ReportStatus.FAILED,
            "abandoned": abandoned,
            "error": services.REPORT_ABANDONED_MESSAGE if abandoned else report.error,
        },
    )
    if pending:
        # "Stand aktualisieren" must show the current state, never a cached copy.
        response["Cache-Control"] = "no-store"
    return response


@login_required
def report_download(request, pk: int):
    report = selectors.report_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    if report.status != ReportStatus.DONE or not report.file:
        # Not ready yet (or failed): the status page says why, instead of a bare 404.
        return redirect("reports:detail", pk=report.pk)
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type=CONTENT_TYPES[report.format],
    )
    # Council papers may hold internal figures: never from a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
