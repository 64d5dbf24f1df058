"""Upload → preview (a dry run of the same import as the CLI) → confirm, for the
Produkthaushalt: a product list or key-figure values from the finance system.

Product lists and value files are small (hundreds to a few thousand rows), so the confirmed
import runs in the request, not in the background queue the plan import needs.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.forms import AccessibleForm

from .services import ImportFailed, budget_import, keyfigure_import
from .uploads import upload_discard, upload_path, upload_store
from .views import _require_import_permission

KINDS = {"budget": budget_import, "keyfigures": keyfigure_import}
COUNT_LABELS = {
    "budget_areas": "Teilhaushalte",
    "products": "Produkte (mit Produktbereichen und -gruppen)",
    "key_figures": "Kennzahlen",
    "values": "Kennzahlwerte",
}


class BudgetUploadForm(AccessibleForm):
    kind = forms.ChoiceField(
        label="Was möchten Sie importieren?",
        choices=[
            (
                "budget",
                "Produktliste (Teilhaushalt, Produktbereich, Produktgruppe, Produkt; "
                "optional Kennzahlen mit Spalten wie „Ist 2024“, „Plan 2025“, „Ziel 2026“)",
            ),
            ("keyfigures", "Kennzahlwerte (Produkt, Kennzahl, Jahr, Wert; optional Art)"),
        ],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label="Datei (CSV oder XLSX)", help_text="Höchstens 25 MB.")

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.LEITWERK_IMPORT_MAX_BYTES:
            limit = settings.LEITWERK_IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"Die Datei ist größer als {limit} MB.")
        if not uploaded.name.lower().endswith((".csv", ".tsv", ".txt", ".xlsx")):
            raise forms.ValidationError("Bitte eine CSV- oder XLSX-Datei hochladen.")
        return uploaded


def _rows(result: dict) -> list[dict]:
    return [
        {
            "label": COUNT_LABELS[key],
            "count": count,
            "created": result["created"][key],
            "updated": result["updated"][key],
        }
        for key, count in result["counts"].items()
    ]


@login_required
def budget_upload(request: AuthedRequest) -> HttpResponse:
    municipality = _require_import_permission(request)
    form = BudgetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        token = upload_store(
            session=request.session,
            municipality_id=municipality.pk,
            kind=kind,
            uploaded=form.cleaned_data["file"],
        )
        stored = upload_path(session=request.session, municipality_id=municipality.pk, token=token)
        assert stored is not None  # upload_store has just written it
        _, path, name = stored
        try:
            result = KINDS[kind](
                municipality=municipality,
                path=path,
                source_name=name,
                dry_run=True,
                actor=request.user,
            )
        except ImportFailed as failure:
            upload_discard(session=request.session, token=token)
            return render(
                request,
                "imports/budget_upload.html",
                {"form": form, "errors": failure.errors, "file_name": name},
                status=422,
            )
        return render(
            request,
            "imports/budget_preview.html",
            {"result": result, "rows": _rows(result), "token": token, "file_name": name},
        )
    status = 422 if form.is_bound else 200
    return render(request, "imports/budget_upload.html", {"form": form}, status=status)


@login_required
@require_POST
def budget_confirm(request: AuthedRequest) -> HttpResponse:
    municipality = _require_import_permission(request)
    token = request.POST.get("token", "")
    pending = upload_path(session=request.session, municipality_id=municipality.pk, token=token)
    if pending is None or pending[0] not in KINDS:
        messages.error(
            request, "Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch."
        )
        return redirect("imports:budget_upload")
    kind, path, name = pending
    if request.POST.get("action") == "cancel":
        upload_discard(session=request.session, token=token)
        messages.info(request, "Der Import wurde abgebrochen. Es wurde nichts gespeichert.")
        return redirect("imports:budget_upload")
    try:
        result = KINDS[kind](
            municipality=municipality, path=path, source_name=name, actor=request.user
        )
    except ImportFailed as failure:
        # The data changed since the preview (a key figure deleted …): nothing was written.
        return render(
            request,
            "imports/budget_upload.html",
            {"form": BudgetUploadForm(), "errors": failure.errors, "file_name": name},
            status=422,
        )
    finally:
        upload_discard(session=request.session, token=token)
    created = sum(result["created"].values())
    updated = sum(result["updated"].values())
    messages.success(
        request,
        f"Import von {name} abgeschlossen: {created} neu angelegt, {updated} geändert.",
    )
    return redirect("budget:overview")
