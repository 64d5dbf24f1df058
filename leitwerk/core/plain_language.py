"""The plain-language score beside every form field that edits a public text.

A form names its public-text fields (`public_text_fields = ("description", …)` on any form
built on `core.forms.AccessibleForm`/`EditForm`); the field group then shows the score of the
text in the field (the stored one, or what the person typed when the form comes back) and
links to the full check. The kernel knows no analyser of its own: the stage that owns the
check (the portal, `arbeitsbereich/lesbarkeit/`) registers it at start-up, so the forms of
lower stages show the score without importing a higher one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class PlainLanguageScore:
    score: float | None  # 0 (very hard) to 100 (very easy); None for no text
    band: str  # German label of the score band ("mittelschwer")
    target: float  # the score public texts should reach
    hints: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.hints


_analyser: Callable[[str], PlainLanguageScore] | None = None
_check_url_name = ""


def register(*, analyse: Callable[[str], PlainLanguageScore], check_url_name: str) -> None:
    """Called once by the stage owning the plain-language check (its AppConfig.ready)."""
    global _analyser, _check_url_name
    _analyser = analyse
    _check_url_name = check_url_name


def score(text: str | None) -> PlainLanguageScore | None:
    """The score of `text`, or None when no analyser is registered."""
    if _analyser is None:
        return None
    return _analyser(text or "")


def check_url() -> str:
    if not _check_url_name:
        return ""
    try:
        return reverse(_check_url_name)
    except NoReverseMatch:
        return ""
