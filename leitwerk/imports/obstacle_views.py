"""Hemmnisse importieren: upload → preview (a dry run) → confirm (the same run, written).

Obstacle lists are short (one row per obstacle, capped like every import), so the confirmed
import runs in the request; the file waits between preview and confirmation in the private
upload folder, addressed by a token kept in the uploader's session.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .forms import ObstacleUploadForm
from .services import ImportFailed, obstacle_import
from .uploads import upload_discard, upload_path, upload_store
from .views import _require_import_permission

KIND = "obstacles"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def obstacle_upload(request):
    municipality = _require_import_permission(request)
    form = ObstacleUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = upload_store(
            session=request.session,
            municipality_id=municipality.pk,
            kind=KIND,
            uploaded=form.cleaned_data["file"],
        )
        stored = upload_path(session=request.session, municipality_id=municipality.pk, token=token)
        assert stored is not None  # upload_store has just written it
        _, path, name = stored
        try:
            result = obstacle_import(
                municipality=municipality,
                data=path.read_bytes(),
                source_name=name,
                dry_run=True,
                actor=request.user,
            )
        except ImportFailed as failure:
            upload_discard(session=request.session, token=token)
            return render(
                request,
                "imports/obstacle_upload.html",
                {"form": form, "errors": failure.errors, "file_name": name},
                status=422,
            )
        return render(
            request,
            "imports/obstacle_preview.html",
            {"result": result, "token": token, "file_name": name},
        )
    return render(
        request,
        "imports/obstacle_upload.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def obstacle_confirm(request):
    municipality = _require_import_permission(request)
    token = request.POST.get("token", "")
    pending = upload_path(session=request.session, municipality_id=municipality.pk, token=token)
    if pending is None or pending[0] != KIND:
        messages.error(
            request, "Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch."
        )
        return redirect("imports:obstacles")
    _, path, name = pending
    if request.POST.get("action") == "cancel":
        upload_discard(session=request.session, token=token)
        messages.info(request, "Der Import wurde abgebrochen. Es wurde nichts gespeichert.")
        return redirect("obstacles:list")
    try:
        result = obstacle_import(
            municipality=municipality,
            data=path.read_bytes(),
            source_name=name,
            dry_run=False,
            actor=request.user,
        )
    except ImportFailed as failure:
        # Something changed since the preview (a unit renamed …): nothing was written.
        upload_discard(session=request.session, token=token)
        return render(
            request,
            "imports/obstacle_upload.html",
            {"form": ObstacleUploadForm(), "errors": failure.errors, "file_name": name},
            status=422,
        )
    upload_discard(session=request.session, token=token)
    counts = result["counts"]
    messages.success(
        request,
        f"Die Hemmnisse aus „{name}“ sind übernommen: {counts['created']} neu, "
        f"{counts['updated']} geändert, {counts['unchanged']} unverändert.",
    )
    return redirect("obstacles:list")
