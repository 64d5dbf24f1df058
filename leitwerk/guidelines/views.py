"""Pages of the Leitbild: reading, and editing for the strategy office (helpers: core.pages)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import require, scoped_get
from leitwerk.core.pages import Crumbs, create_page, delete_page, edit_page

from . import selectors, services
from .forms import GuidelineDocumentForm, GuidelineSectionForm, StatementForm
from .models import GuidelineDocument, GuidelineSection, Statement

# The signed-in person's request: `user` and `municipality` typed (accounts/http.py).
Request = AuthedRequest
PERM = "guidelines.change_guideline"


@login_required
def guideline_list(request: Request) -> HttpResponse:
    documents = selectors.guideline_list_for_user(
        user=request.user, municipality=request.municipality
    )
    may_edit = bool(request.municipality) and request.user.has_perm(PERM, request.municipality)
    return render(
        request, "guidelines/guideline_list.html", {"documents": documents, "may_edit": may_edit}
    )


@login_required
def guideline_detail(request: Request, pk: int) -> HttpResponse:
    document = selectors.guideline_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    may_edit = request.user.has_perm(PERM, document)
    return render(
        request, "guidelines/guideline_detail.html", {"document": document, "may_edit": may_edit}
    )


def _crumbs(document: GuidelineDocument | None = None) -> Crumbs:
    crumbs = [("Leitbild", reverse("guidelines:list"))]
    if document is not None:
        crumbs.append((document.title, reverse("guidelines:detail", args=[document.pk])))
    return crumbs


def _detail(document_id: int, anchor: str = "") -> str:
    return reverse("guidelines:detail", args=[document_id]) + anchor


@login_required
def document_create(request: Request) -> HttpResponse:
    municipality = request.municipality
    if not municipality:
        raise Http404
    require(request, PERM, municipality)

    def create(*, actor: Any, values: dict[str, Any]) -> GuidelineDocument:
        values = dict(values)
        title = values.pop("title")
        return services.guideline_document_create(
            municipality=municipality, actor=actor, title=title, values=values
        )

    return create_page(
        request,
        form_class=GuidelineDocumentForm,
        create=create,
        title="Neues Leitbild-Dokument anlegen",
        crumbs=_crumbs(),
        back_url=reverse("guidelines:list"),
        success_url=lambda doc: _detail(doc.pk),
        intro="Für ein vorhandenes Dokument (Word, PDF) ist der Import schneller.",
    )


@login_required
def document_edit(request: Request, pk: int) -> HttpResponse:
    document = scoped_get(request, GuidelineDocument, pk)
    require(request, PERM, document)
    return edit_page(
        request,
        obj=document,
        form_class=GuidelineDocumentForm,
        update=lambda **kw: services.guideline_document_update(document=document, **kw),
        title=f"Dokument bearbeiten: {document.title}",
        crumbs=_crumbs(document),
        success_url=_detail(document.pk),
    )


@login_required
def document_delete(request: Request, pk: int) -> HttpResponse:
    document = scoped_get(request, GuidelineDocument, pk)
    require(request, PERM, document)
    return delete_page(
        request,
        obj=document,
        delete=lambda **kw: services.guideline_document_delete(document=document, **kw),
        title=f"Dokument löschen: {document.title}",
        crumbs=_crumbs(document),
        back_url=_detail(document.pk),
        success_url=reverse("guidelines:list"),
        consequence="Alle Abschnitte und Aussagen werden mit gelöscht; Verknüpfungen zu Zielen "
        "und Vorhaben entfallen.",
    )


@login_required
def section_create(request: Request, pk: int) -> HttpResponse:
    document = scoped_get(request, GuidelineDocument, pk)
    require(request, PERM, document)

    def create(*, actor: Any, values: dict[str, Any]) -> GuidelineSection:
        values = dict(values)
        title = values.pop("title")
        return services.guideline_section_create(
            document=document, actor=actor, title=title, values=values
        )

    return create_page(
        request,
        form_class=GuidelineSectionForm,
        create=create,
        title=f"Abschnitt hinzufügen: {document.title}",
        crumbs=_crumbs(document),
        back_url=_detail(document.pk),
        success_url=lambda section: _detail(document.pk, f"#section-{section.pk}"),
    )


@login_required
def section_edit(request: Request, pk: int) -> HttpResponse:
    section = scoped_get(request, GuidelineSection, pk, "document")
    require(request, PERM, section)
    return edit_page(
        request,
        obj=section,
        form_class=GuidelineSectionForm,
        update=lambda **kw: services.guideline_section_update(section=section, **kw),
        title=f"Abschnitt bearbeiten: {section}",
        crumbs=_crumbs(section.document),
        success_url=_detail(section.document_id, f"#section-{section.pk}"),
    )


@login_required
def section_delete(request: Request, pk: int) -> HttpResponse:
    section = scoped_get(request, GuidelineSection, pk, "document")
    require(request, PERM, section)
    return delete_page(
        request,
        obj=section,
        delete=lambda **kw: services.guideline_section_delete(section=section, **kw),
        title=f"Abschnitt löschen: {section}",
        crumbs=_crumbs(section.document),
        back_url=_detail(section.document_id),
        success_url=_detail(section.document_id),
        consequence="Alle Aussagen des Abschnitts werden mit gelöscht.",
    )


@login_required
def statement_create(request: Request, pk: int) -> HttpResponse:
    section = scoped_get(request, GuidelineSection, pk, "document")
    require(request, PERM, section)

    def create(*, actor: Any, values: dict[str, Any]) -> Statement:
        values = dict(values)
        kind, text = values.pop("kind"), values.pop("text")
        return services.statement_create(
            section=section, actor=actor, kind=kind, text=text, values=values
        )

    return create_page(
        request,
        form_class=StatementForm,
        create=create,
        title=f"Aussage hinzufügen: {section}",
        crumbs=_crumbs(section.document),
        back_url=_detail(section.document_id),
        success_url=lambda st: _detail(section.document_id, f"#section-{section.pk}"),
    )


@login_required
def statement_edit(request: Request, pk: int) -> HttpResponse:
    statement = scoped_get(request, Statement, pk, "section__document")
    require(request, PERM, statement)
    return edit_page(
        request,
        obj=statement,
        form_class=StatementForm,
        update=lambda **kw: services.statement_update(statement=statement, **kw),
        title="Aussage bearbeiten",
        crumbs=_crumbs(statement.section.document),
        success_url=_detail(statement.section.document_id, f"#section-{statement.section_id}"),
    )


@login_required
def statement_delete(request: Request, pk: int) -> HttpResponse:
    statement = scoped_get(request, Statement, pk, "section__document")
    require(request, PERM, statement)
    back = _detail(statement.section.document_id, f"#section-{statement.section_id}")
    return delete_page(
        request,
        obj=statement,
        delete=lambda **kw: services.statement_delete(statement=statement, **kw),
        title="Aussage löschen",
        crumbs=_crumbs(statement.section.document),
        back_url=back,
        success_url=back,
    )
