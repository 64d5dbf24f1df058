"""The dashboard's table of all Vorhaben built in Python (issue 21).

Up to 200 rows a page, each with a `{% url %}`, two tags and a badge in the template loop:
most of the dashboard's first render after a change. This writes the same markup (tested
against the loop it replaced), with the detail URL reversed once and the texts and badges of
the Ampel looked up once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

from leitwerk.core.templatetags.leitwerk import PageTexts, health_pair, initiative_progress_bar

_MARKER = 2_147_483_647


def all_initiative_rows_html(initiatives: Iterable[Any]) -> SafeString:
    """The `<tr>` rows of "Alle Vorhaben der Auswahl" (Vorhaben with `.progress_info`, their
    plan and lead unit loaded), with the whitespace the template loop wrote around them."""
    url_pattern = reverse("plans:initiative_detail", args=[_MARKER])
    texts = PageTexts()
    out: list[str] = []
    for initiative in initiatives:
        info = initiative.progress_info
        url = url_pattern.replace(str(_MARKER), str(initiative.pk))
        stale = f" {texts.badge('stale')}" if info.stale else ""
        plan = esc(initiative.action_field.plan.title)
        lead = esc(initiative.lead_unit or "–")
        out.append(
            "\n              <tr>\n"
            f'                <th scope="row"><a href="{url}">{esc(initiative)}</a> '
            f'<span class="meta">({esc(initiative.get_status_display())})</span></th>\n'
            f'                <td data-label="Plan">{plan}</td>\n'
            f'                <td data-label="federführend">{lead}</td>\n'
            f'                <td data-label="Fortschritt">'
            f"{initiative_progress_bar(info, texts=texts)}</td>\n"
            f'                <td data-label="Einschätzung">'
            f"{health_pair(info, compact=True, texts=texts)}{stale}</td>\n"
            "              </tr>\n            "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above
