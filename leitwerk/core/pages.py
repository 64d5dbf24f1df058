"""Generic editing pages: one form page, a versioned save, and a humane conflict view.

`edit_page`, `create_page` and `delete_page` render one form page, call a stage's service, and
turn a version conflict (`leitwerk.core.editing.ConflictError`) into a side-by-side view that
keeps everything the person typed. Every stage's editing views are thin wrappers around them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format

from leitwerk.core.editing import ConflictError
from leitwerk.core.formatting import number
from leitwerk.core.forms import EditForm

Request = HttpRequest
Crumbs = list[tuple[str, str]]


def display_value(model: type[models.Model], name: str, value: Any) -> str:
    """A value as a person reads it: labels for choices, dates in German, lists joined."""
    field: Any = model._meta.get_field(name)
    if field.many_to_many:
        items = value.all() if hasattr(value, "all") else value or []
        return ", ".join(str(item) for item in items) or "–"
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return date_format(value, "j. F Y")
    if isinstance(value, Decimal):
        return number(value)
    return str(value)


def add_errors(form: Any, error: ValidationError) -> None:
    try:
        form.add_error(None, error)
    except (ValueError, KeyError):
        for message in error.messages:
            form.add_error(None, message)


def form_page(
    request: Request,
    *,
    form: Any,
    title: str,
    crumbs: Crumbs,
    back_url: str,
    submit_label: str,
    conflict: list[dict[str, str]] | None = None,
    conflict_version: int | None = None,
    intro: str = "",
    multipart: bool = False,
    delete_url: str = "",
    extra_context: dict[str, Any] | None = None,
) -> HttpResponse:
    """`extra_context` may name an `aside_template`: shown below the form (help, a check)."""
    status = 409 if conflict else (422 if form.is_bound and form.errors else 200)
    return render(
        request,
        "editing/form.html",
        {
            "form": form,
            "title": title,
            "crumbs": crumbs,
            "back_url": back_url,
            "submit_label": submit_label,
            "conflict": conflict,
            "conflict_version": conflict_version,
            "intro": intro,
            "multipart": multipart,
            "delete_url": delete_url,
            **(extra_context or {}),
        },
        status=status,
    )


def edit_page(
    request: Request,
    *,
    obj: Any,
    form_class: type[EditForm],
    update: Callable[..., Any],
    title: str,
    crumbs: Crumbs,
    success_url: str,
    form_kwargs: dict[str, Any] | None = None,
    delete_url: str = "",
    extra_context: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET: the form with the stored values. POST: save via `update`, or show the conflict."""
    form_kwargs = form_kwargs or {}
    conflict = None
    conflict_version = None
    if request.method == "POST":
        form = form_class(request.POST, instance=obj, **form_kwargs)
        if form.is_valid():
            expected = form.cleaned_data.get("expected_version")
            try:
                update(
                    actor=request.user,
                    expected_version=expected if expected is not None else obj.version,
                    changes=form.changes(),
                )
            except ConflictError as error:
                current = error.current
                model = type(current)
                yours = form.changes()
                conflict = [
                    {
                        "label": str(form.fields[name].label),
                        "theirs": display_value(model, name, getattr(current, name)),
                        "yours": display_value(model, name, yours[name]),
                    }
                    for name in form.changes()
                    if name in error.changed_fields
                ]
                conflict_version = current.version
                # Keep every typed value; only the version moves on, so sending the form
                # again deliberately saves the person's values over the other change.
                data = request.POST.copy()
                data["expected_version"] = str(current.version)
                form = form_class(data, instance=current, **form_kwargs)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Die Änderungen sind gespeichert.")
                return redirect(success_url)
    else:
        form = form_class(instance=obj, **form_kwargs)
    return form_page(
        request,
        form=form,
        title=title,
        crumbs=crumbs,
        back_url=success_url,
        submit_label="Änderungen speichern",
        conflict=conflict,
        conflict_version=conflict_version,
        delete_url=delete_url,
        extra_context=extra_context,
    )


def create_page(
    request: Request,
    *,
    form_class: type[EditForm],
    create: Callable[..., Any],
    title: str,
    crumbs: Crumbs,
    back_url: str,
    success_url: Callable[[Any], str],
    form_kwargs: dict[str, Any] | None = None,
    intro: str = "",
) -> HttpResponse:
    """GET: an empty form. POST: create via `create(actor=…, values=…)` and go on."""
    form_kwargs = form_kwargs or {}
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            row = create(actor=request.user, values=form.changes())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"„{row}“ ist angelegt.")
            return redirect(success_url(row))
    return form_page(
        request,
        form=form,
        title=title,
        crumbs=crumbs,
        back_url=back_url,
        submit_label="Anlegen",
        intro=intro,
    )


def delete_page(
    request: Request,
    *,
    obj: Any,
    delete: Callable[..., Any],
    title: str,
    crumbs: Crumbs,
    back_url: str,
    success_url: str,
    consequence: str = "",
) -> HttpResponse:
    """GET: ask first (deleting is not undone in the UI). POST: delete and go to the parent."""
    if request.method == "POST":
        delete(actor=request.user)
        messages.success(request, f"„{obj}“ ist gelöscht.")
        return redirect(success_url)
    return render(
        request,
        "editing/confirm_delete.html",
        {
            "obj": obj,
            "title": title,
            "crumbs": crumbs,
            "back_url": back_url,
            "consequence": consequence,
        },
    )
