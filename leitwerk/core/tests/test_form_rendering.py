"""One field group for every form (FORM_RENDERER, leitwerk/core/templates/forms/)."""

from __future__ import annotations

from django import forms
from django.template import Context, Template

from leitwerk.core.forms import AccessibleForm


class _Form(AccessibleForm):
    title = forms.CharField(label="Titel", help_text="Kurz und klar.")
    kind = forms.ChoiceField(
        label="Art", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    public = forms.BooleanField(label="Öffentlich", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _html(form: forms.Form, source: str = "{{ form }}") -> str:
    return Template(source).render(Context({"form": form}))


def test_a_text_field_has_label_required_marker_help_and_linked_error():
    html = _html(_Form(data={}), "{{ form.title.as_field_group }}")
    assert '<div class="field field--invalid">' in html
    assert (
        '<label for="id_title">Titel <span class="required">(Pflichtangabe)</span></label>' in html
    )
    assert '<p class="field__help" id="id_title_helptext">Kurz und klar.</p>' in html
    assert '<p class="field__error" id="id_title-error">' in html
    assert 'aria-describedby="id_title_helptext id_title-error"' in html
    assert 'aria-invalid="true"' in html


def test_choices_are_a_fieldset_with_a_legend_and_the_whole_form_renders_in_order():
    html = _html(_Form(data={"title": "x"}))
    assert (
        '<fieldset class="field field--invalid" id="id_kind" aria-describedby="id_kind-error">'
        in html
    )
    assert '<legend>Art <span class="required">(Pflichtangabe)</span></legend>' in html
    assert '<label for="id_kind_0">A</label>' in html
    assert '<div class="field field--checkbox">' in html and "Öffentlich (Pflicht" not in html
    assert '<input type="hidden" name="version" id="id_version">' in html
    assert '<label for="id_version"' not in html
    assert html.index("id_title") < html.index("id_kind") < html.index("id_public")


def test_the_error_summary_links_each_error_to_its_field():
    html = _html(_Form(data={}), '{% include "forms/errors.html" with prefix="x" %}')
    assert 'aria-labelledby="x-error-title"' in html and 'id="x-error-summary"' in html
    assert '<a href="#id_title">Titel: ' in html and '<a href="#id_kind">Art: ' in html
    assert _html(_Form(), '{% include "forms/errors.html" %}').strip() == ""


def test_an_error_added_after_validation_is_linked_too():
    form = _Form(data={"title": "x", "kind": "a"})
    assert form.is_valid()
    form.add_error("title", "Gibt es schon.")
    html = _html(form, "{{ form.title.as_field_group }}")
    assert 'aria-describedby="id_title_helptext id_title-error"' in html
    assert '<p class="field__error" id="id_title-error">Gibt es schon.</p>' in html
    assert "id_title_error" not in html
