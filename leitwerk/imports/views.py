"""Upload → preview (a dry run of the same engine as the CLI) → confirm → background import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .corrections import LIST_FIELDS, choices_from_post
from .forms import UploadForm
from .models import ImportRunStatus
from .selectors import import_run_for
from .services import (
    import_preview_forget,
    import_preview_queue,
    import_run_abandoned,
    import_run_queue,
)
from .services.runs import ABANDONED_MESSAGE, PREVIEW_SUFFIX
from .uploads import (
    upload_discard,
    upload_forget,
    upload_path,
    upload_store,
)


def _require_import_permission(request):
    municipality = request.municipality
    # Missing and forbidden look the same, as everywhere in the workspace.
    if not municipality or not request.user.has_perm("imports.run_import", municipality):
        raise Http404
    return municipality


@login_required
def upload(request):
    municipality = _require_import_permission(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        token = upload_store(
            session=request.session,
            municipality_id=municipality.pk,
            kind=kind,
            uploaded=form.cleaned_data["file"],
            mapping=form.cleaned_data.get("mapping"),
        )
        stored = upload_path(session=request.session, municipality_id=municipality.pk, token=token)
        assert stored is not None  # upload_store has just written it
        _, _path, name = stored
        # The preview parses in the background (M5: a large table outlasts the request); a
        # worker that was quick (or the tests' immediate backend) has it ready already.
        run = import_preview_queue(
            municipality=municipality, kind=kind, token=token, source_name=name, actor=request.user
        )
        if run.status in (ImportRunStatus.QUEUED, ImportRunStatus.RUNNING):
            return redirect("imports:preview", pk=run.pk)
        import_preview_forget(municipality=municipality, token=token)
        return _preview_page(request, run=run, token=token, form=form)
    return render(request, "imports/upload.html", {"form": form})


def _preview_page(request, *, run, token: str, form=None):
    """The finished preview of `run`: the tree to confirm, or what is wrong with the file."""
    done = run.result or {}
    name = run.source_name
    if run.status == ImportRunStatus.FAILED:
        upload_discard(session=request.session, token=token)
        import_preview_forget(municipality=run.municipality, token=token)
        return render(
            request,
            "imports/upload.html",
            {"form": form or UploadForm(), "errors": done.get("errors", []), "file_name": name},
            status=422,
        )
    result = done.get("result", {})
    return render(
        request,
        "imports/preview.html",
        {
            "kind": run.kind.removesuffix(PREVIEW_SUFFIX),
            "result": _with_german_labels(result),
            "counts": _labelled_counts(result),
            "coverage_percent": round(100 * float(result.get("coverage", 0)), 1),
            "token": token,
            "file_name": name,
        },
    )


@login_required
def preview(request, pk: int):
    """The preview of a large upload while the worker parses it: progress and "Aktualisieren"
    (no automatic reload: CSP and WCAG 2.2.1), then the preview itself."""
    run = import_run_for(user=request.user, municipality=request.municipality, pk=pk)
    token = str((run.options or {}).get("token", ""))
    if not run.kind.endswith(PREVIEW_SUFFIX) or (
        upload_path(session=request.session, municipality_id=run.municipality_id, token=token)
        is None
    ):
        messages.error(
            request, "Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch."
        )
        return redirect("imports:upload")
    abandoned = import_run_abandoned(run=run, now=timezone.now())
    if run.status in (ImportRunStatus.QUEUED, ImportRunStatus.RUNNING) or abandoned:
        return render(
            request,
            "imports/preview_wait.html",
            {"run": run, "abandoned": abandoned, "error": ABANDONED_MESSAGE if abandoned else ""},
        )
    return _preview_page(request, run=run, token=token)


@login_required
@require_POST
def confirm(request):
    municipality = _require_import_permission(request)
    token = request.POST.get("token", "")
    pending = upload_path(session=request.session, municipality_id=municipality.pk, token=token)
    # A product list's upload (budget_views) is confirmed there, never queued as a plan.
    if pending is None or pending[0] not in ("plan", "guideline"):
        messages.error(
            request, "Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch."
        )
        return redirect("imports:upload")
    kind, _path, name = pending
    import_preview_forget(municipality=municipality, token=token)
    if request.POST.get("action") == "cancel":
        upload_discard(session=request.session, token=token)
        messages.info(request, "Der Import wurde abgebrochen. Es wurde nichts gespeichert.")
        return redirect("imports:upload")
    # The import runs in the background: long files would otherwise outlast the request.
    run = import_run_queue(
        municipality=municipality,
        kind=kind,
        token=token,
        source_name=name,
        choices=choices_from_post(request.POST),
        actor=request.user,
    )
    upload_forget(session=request.session, token=token)
    return redirect("imports:run", pk=run.pk)


@login_required
def run_status(request, pk: int):
    run = import_run_for(user=request.user, municipality=request.municipality, pk=pk)
    result = run.result or {}
    target_url = None
    if run.status == ImportRunStatus.DONE:
        if run.kind == "plan" and result.get("plan_id"):
            target_url = reverse("plans:detail", args=[result["plan_id"]])
        elif run.kind == "guideline" and result.get("document"):
            target_url = reverse("guidelines:detail", args=[result["document"]])
    # A worker killed mid-import (L1): shown as broken off at once; the daily
    # `leitwerk sweep_imports` records it.
    abandoned = import_run_abandoned(run=run, now=timezone.now())
    return render(
        request,
        "imports/run_status.html",
        {
            "run": run,
            "pending": not abandoned
            and run.status in (ImportRunStatus.QUEUED, ImportRunStatus.RUNNING),
            "failed": abandoned or run.status == ImportRunStatus.FAILED,
            "abandoned": abandoned,
            "error": ABANDONED_MESSAGE if abandoned else run.error,
            "counts": _labelled_counts(result),
            "warnings": result.get("warnings", []),
            "target_url": target_url,
        },
    )


_COUNT_LABELS = {
    "sections": "Abschnitte",
    "statements": "Aussagen",
    "action_fields": "Aktionsfelder",
    "initiatives": "Vorhaben",
    "milestones": "Meilensteine",
    "indicators": "Indikatoren",
    "transfer_cities": "Transferkommunen",
}


# Short labels for the preview; the parser and the JSON output keep the English keys.
STATEMENT_KIND_LABELS = {
    "wir": "Wir",
    "ich": "Ich",
    "grundsatz": "Grundsatz",
    "anliegen": "Anliegen",
    "other": "Sonstiges",
}
PIECE_KIND_LABELS = {"unrecognised": "nicht zugeordnet", "furniture": "Beiwerk"}
PLAN_FIELD_LABELS = {
    "objective": "Zielsetzung",
    "ideas": "Umsetzungsideen",
    "milestones": "Meilensteine",
    "indicators": "Indikatoren",
    "responsible": "Verantwortlich",
    "resolutions": "Vorsätze",
    "period": "Zeitraum",
    "transfer_cities": "Erfahrungstransfer",
}


def _with_german_labels(result: dict) -> dict:
    guideline = result.get("guideline", {})
    # unrecognised texts with where they stand, for the preview's table
    guideline["unrecognised_rows"] = list(
        zip(
            guideline.get("unrecognised", []),
            guideline.get("unrecognised_where", []),
            strict=False,
        )
    )
    for section in guideline.get("sections", []):
        for statement in section["statements"]:
            statement["kind_label"] = STATEMENT_KIND_LABELS.get(
                statement["kind"], statement["kind"]
            )
    if "guideline" in result:
        result["kind_choices"] = list(STATEMENT_KIND_LABELS.items())
    # Where a piece outside the structure can go: the plan, or a Vorhaben's Zielsetzung.
    result["piece_targets"] = [
        (f"ini-{fi}-{ii}", f"Zielsetzung von Vorhaben {ini['number']}: {ini['title'][:60]}")
        for fi, field in enumerate(result.get("plan", {}).get("action_fields", []))
        for ii, ini in enumerate(field["initiatives"])
    ]
    for piece in result.get("pieces", []):
        piece["kind_label"] = PIECE_KIND_LABELS.get(piece["kind"], piece["kind"])
    for field in result.get("plan", {}).get("action_fields", []):
        for initiative in field["initiatives"]:
            initiative["idea_tree"] = idea_tree(
                initiative["ideas"], initiative.get("idea_levels") or []
            )
            initiative["review_labels"] = [
                PLAN_FIELD_LABELS.get(key, key) for key in initiative.get("needs_review", [])
            ]
            # Proposed item boundaries can be corrected in the preview, one item per line.
            initiative["editable_lists"] = [
                {
                    "key": key,
                    "label": PLAN_FIELD_LABELS[key],
                    "text": _editable_text(initiative, key),
                }
                for key in initiative.get("needs_review", [])
                if key in LIST_FIELDS
            ]
    return result


def _labelled_counts(result: dict) -> list[tuple[str, int]]:
    return [(_COUNT_LABELS.get(key, key), value) for key, value in result.get("counts", {}).items()]


def _editable_text(initiative: dict, key: str) -> str:
    """A list for the preview's text box, one item per line; nested ideas indented."""
    items = initiative[key]
    levels = (initiative.get("idea_levels") or []) if key == "ideas" else []
    levels = levels + [0] * (len(items) - len(levels))
    return "\n".join("  " * level + text for text, level in zip(items, levels, strict=False))


def idea_tree(ideas: list[str], levels: list[int]) -> list[dict]:
    """Ideas nested as the source nested them (their levels): an item one level down stands
    under the item above it, such as the own ideas of a Teilvorhaben."""
    tree: list[dict] = []
    path: list[dict] = []
    for text, level in zip(ideas, levels + [0] * (len(ideas) - len(levels)), strict=False):
        node: dict = {"text": text, "children": []}
        del path[level:]
        (path[-1]["children"] if path else tree).append(node)
        path.append(node)
    return tree
