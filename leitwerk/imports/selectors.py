"""Reads of the imports that depend on the person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from .models import ImportRun

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality


def import_run_for(*, user: User, municipality: Municipality, pk: int) -> ImportRun:
    """A run of the person's municipality they may import into; 404 for missing and forbidden."""
    if municipality is None or not user.has_perm("imports.run_import", municipality):
        raise Http404
    run = ImportRun.objects.filter(municipality=municipality, pk=pk).first()
    if run is None:
        raise Http404
    return run
