"""Foreign keys of another municipality smuggled into every form (catalogue row A4).

Every page of the resolver is opened as Musterstadt's tenant admin (the widest rights); every
form on it with a choice of rows (goal, indicator, unit, action field, statements, people …)
is sent back as it was rendered, with one choice replaced by the id of a row of Fremdstadt,
and with `municipality` set to Fremdstadt (mass assignment). Each must be refused with a
German error on that field, and no row of either municipality may change.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from leitwerk.core.models import TenantModel
from leitwerk.testing.matrix import Matrix, signed_in_client, table_digests
from leitwerk.testing.routes import all_routes

ENGLISH = ("Select a valid choice", "is not one of the available choices")


def _forms(response) -> list[forms.BaseForm]:
    found: list[forms.BaseForm] = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, forms.BaseForm) and value not in found:
                found.append(value)
    return found


def _payload(form: forms.BaseForm) -> dict[str, object]:
    """The form as rendered: what a person pressing "Speichern" unchanged would send."""
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or isinstance(field.widget, forms.FileInput):
            continue
        if isinstance(value, (list, tuple)):
            data[form.add_prefix(name)] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[form.add_prefix(name)] = "on"
        else:
            data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


INPUT_RE = re.compile(r"<(?:input|button)\b[^>]*>", re.I)
ATTR_RE = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _form_extras(html: str, key: str) -> dict[str, str]:
    """Hidden inputs and the named submit button of the HTML form that holds field `key`
    (pages with several forms tell them apart by these)."""
    for block in html.split("<form")[1:]:
        block = block.split("</form>")[0]
        if f'name="{key}"' not in block:
            continue
        extras = {}
        for tag in INPUT_RE.findall(block):
            attrs = dict(ATTR_RE.findall(tag))
            kind = attrs.get("type", "submit" if tag.lower().startswith("<button") else "text")
            if "name" in attrs and kind.lower() in ("hidden", "submit"):
                extras.setdefault(attrs["name"], html_lib.unescape(attrs.get("value", "")))
        return extras
    return {}


def _foreign_id(model, matrix: Matrix):
    if model is get_user_model():
        return matrix.other.person.pk
    if issubclass(model, TenantModel):
        row = model._default_manager.filter(municipality=matrix.other.municipality).first()
        return row.pk if row else None
    return None  # shared rows (networks, benchmark definitions) belong to no municipality


def _form_pages(matrix: Matrix) -> list[str]:
    urls = [own for _name, own, _foreign in matrix.urls]
    urls += [reverse(r.name) for r in all_routes() if not r.params]
    return urls


def _check(matrix: Matrix, urls: list[str], minimum: int) -> None:
    client = signed_in_client(matrix.people["admin"])
    own_pk, other_pk = matrix.own.municipality.pk, matrix.other.municipality.pk
    problems: list[str] = []
    tried: list[str] = []
    refused_elsewhere: list[str] = []
    for url in urls:
        page = client.get(url)
        if page.status_code != 200:
            continue
        for form in _forms(page):
            for name, field in form.fields.items():
                if not isinstance(field, forms.ModelChoiceField):
                    continue
                foreign = _foreign_id(field.queryset.model, matrix)
                if foreign is None:
                    continue
                key = form.add_prefix(name)
                data = {**_form_extras(page.content.decode(), key), **_payload(form)}
                data.pop("csrfmiddlewaretoken", None)
                multiple = isinstance(field, forms.ModelMultipleChoiceField)
                data[key] = [foreign] if multiple else foreign
                data["municipality"] = other_pk
                before = (table_digests(own_pk), table_digests(other_pk))
                response = client.post(url, data)
                after = (table_digests(own_pk), table_digests(other_pk))
                where = f"{url} {type(form).__name__}.{name}"
                if before != after:
                    changed = sorted(
                        k
                        for b, a in zip(before, after, strict=True)
                        for k in b.keys() | a.keys()
                        if b.get(k) != a.get(k)
                    )
                    problems.append(f"{where}: saved something ({changed})")
                    continue
                bound = next(
                    (f for f in _forms(response) if type(f) is type(form) and f.is_bound), None
                )
                if response.status_code not in (200, 422) or bound is None:
                    # Refused before any form was bound (404 for the foreign row, or the page
                    # did not take this form from this POST, e.g. a filter form sent by GET):
                    # nothing was saved, checked above.
                    refused_elsewhere.append(f"{where}: {response.status_code}")
                    continue
                tried.append(where)
                errors = bound.errors.get(name, [])
                if not errors:
                    problems.append(f"{where}: the foreign row was accepted by the form")
                elif any(e in " ".join(errors) for e in ENGLISH):
                    problems.append(f"{where}: English error {errors}")
    # The walk reaches the forms, so the test can fail.
    assert len(tried) >= minimum, (tried, refused_elsewhere)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_foreign_choices_in_the_vorhaben_and_goal_forms_are_refused(matrix):
    """Default run: the two forms with the most choices (unit, people, goals, statements)."""
    urls = [
        reverse("plans:initiative_edit", kwargs={"pk": matrix.own.initiative.pk}),
        reverse("goals:goal_edit", kwargs={"pk": matrix.own.goal.pk}),
    ]
    _check(matrix, urls, minimum=5)


@pytest.mark.slow
@pytest.mark.django_db
def test_foreign_choices_are_refused_on_every_form_of_every_page(matrix):
    """Every page of the resolver, every form with a choice of rows (about 35 fields today;
    about 15 more are refused before a form is bound: 404 for the foreign row, or filter forms
    that are sent by GET)."""
    _check(matrix, _form_pages(matrix), minimum=15)
