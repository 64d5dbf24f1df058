from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def guideline_list(request):
    documents = selectors.guideline_list_for_user(
        user=request.user, municipality=request.municipality
    )
    return render(request, "guidelines/guideline_list.html", {"documents": documents})


@login_required
def guideline_detail(request, pk: int):
    document = selectors.guideline_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    return render(request, "guidelines/guideline_detail.html", {"document": document})
