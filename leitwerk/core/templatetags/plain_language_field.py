"""`{% plain_language_note field %}`: the plain-language score under a public-text field."""

from __future__ import annotations

from typing import Any

from django import template

from leitwerk.core import plain_language

register = template.Library()


@register.inclusion_tag("forms/plain_language.html")
def plain_language_note(field: Any) -> dict[str, Any]:
    value = field.value()
    return {
        "id": f"{field.auto_id}_lesbarkeit",
        "result": plain_language.score(value if isinstance(value, str) else ""),
        "check_url": plain_language.check_url(),
    }
