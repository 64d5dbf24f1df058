"""The kernel's form building blocks: accessible errors, versioned edit forms, German input.

Every form renders through one renderer (`FORM_RENDERER = "leitwerk.core.forms.FormRenderer"`):
`{{ form }}` is `forms/form.html`, `{{ form.x.as_field_group }}` is `forms/field.html`, and the
error summary above a form is `{% include "forms/errors.html" %}` (templates in
`leitwerk/core/templates/forms/`).

`EditForm` is the base of every editing form: it carries the version the editor started from
(optimistic locking, `leitwerk/core/editing.py`), and every form built on `AccessibleForm`
links each field with an error to its message via `aria-describedby`, so screen readers
announce the error with the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders forms with the project's template engine and Leitwerk's one field group."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
    # django-stubs makes these generic over the model; Django's own classes take no subscript.
    _ModelForm = forms.ModelForm[Any]
    _ModelMultipleChoiceField = forms.ModelMultipleChoiceField[Any]
else:
    _FormBase = object
    _ModelForm = forms.ModelForm
    _ModelMultipleChoiceField = forms.ModelMultipleChoiceField


class AccessibleFormMixin(_FormBase):
    """Adds `aria-describedby` (help text and error) and `aria-invalid` to fields with errors.

    Also for errors a view adds after validation (a service's `ValidationError`): without this,
    Django would point `aria-describedby` at `<id>_error`, an id no template renders.
    """

    # Fields whose text the public reads (portal): shown with their plain-language score
    # (core/plain_language.py) and described by it for screen readers.
    public_text_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.public_text_fields:
            field = self.fields.get(name)
            if field is None:
                continue
            field.widget.attrs["aria-describedby"] = " ".join(self._description_ids(name))

    def _description_ids(self, name: str, *, error: bool = False) -> list[str]:
        bound = self[name]
        ids = []
        if bound.help_text:
            ids.append(f"{bound.auto_id}_helptext")
        if error:
            ids.append(f"{bound.auto_id}-error")
        if name in self.public_text_fields:
            ids.append(f"{bound.auto_id}_lesbarkeit")
        return ids

    def full_clean(self) -> None:
        super().full_clean()
        self._describe_errors()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._describe_errors()

    def _describe_errors(self) -> None:
        # `_errors` (None before validation) rather than `errors`, which would validate again.
        for name in getattr(self, "_errors", None) or {}:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-describedby"] = " ".join(self._description_ids(name, error=True))
            attrs["aria-invalid"] = "true"


class EditForm(AccessibleFormMixin, _ModelForm):
    """A model form that also carries the version the editor started from (hidden)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DATE
            elif isinstance(field, forms.DecimalField):
                # German input: "27,5" is what people type.
                field.localize = True
                field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
                field.widget.is_localized = True

    def changes(self) -> dict[str, Any]:
        """The model fields of the form with their cleaned values, for a service call."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or []}


class AccessibleForm(AccessibleFormMixin, forms.Form):
    """A plain form with accessible errors (see `AccessibleFormMixin`)."""


class Picker(forms.CheckboxSelectMultiple):
    """Checkboxes in named groups (a fieldset per document, plan or field), filterable.

    Works without JavaScript; `picker.js` adds a search box that hides what does not match.
    """

    template_name = "forms/widgets/picker.html"


class GroupedChoiceIterator(ModelChoiceIterator):
    """The field's rows as `(group, [(value, label), …])` in the queryset's order of groups."""

    field: GroupedModelMultipleChoiceField

    def __iter__(self) -> Iterator[Any]:
        groups: dict[str, list[tuple[Any, str]]] = {}
        for obj in self.queryset:
            groups.setdefault(self.field.group_by(obj), []).append(self.choice(obj))
        yield from groups.items()

    def __len__(self) -> int:
        return self.queryset.count()


class GroupedModelMultipleChoiceField(_ModelMultipleChoiceField):
    """A multiple choice of rows, grouped for people: 128 Leitbild statements by document and
    section, Vorhaben by plan. `group_by(row)` names the group, `choice_label(row)` the choice;
    order the queryset by group first."""

    widget = Picker
    iterator = GroupedChoiceIterator

    def __init__(
        self,
        queryset: Any,
        *,
        group_by: Callable[[Any], str],
        choice_label: Callable[[Any], str] = str,
        **kwargs: Any,
    ) -> None:
        self.group_by = group_by
        self.choice_label = choice_label
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return self.choice_label(obj)


def limit_choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Offer only `queryset` (the municipality's own rows) in the model choice field `name`."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


def use_picker(
    form: forms.BaseForm,
    name: str,
    queryset: Any,
    *,
    group_by: Callable[[Any], str],
    choice_label: Callable[[Any], str] = str,
) -> None:
    """Replace the multiple choice `name` of `form` by a grouped picker over `queryset`,
    keeping its label, help text and whether it is required."""
    old = form.fields[name]
    form.fields[name] = GroupedModelMultipleChoiceField(
        queryset,
        group_by=group_by,
        choice_label=choice_label,
        label=old.label,
        help_text=old.help_text,
        required=old.required,
    )
