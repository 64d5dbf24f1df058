"""Table rows of the plan page built in Python (issue 21).

The plan page lists up to 200 Vorhaben; a template loop per row with its `{% url %}`,
`{% translate %}` and two tags was most of the page's first render after a change. This
writes the same markup (tested against the template loop it replaced): the detail URL is
reversed once, the column labels translated once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

from leitwerk.core.templatetags.leitwerk import PageTexts, health_pair, initiative_progress_bar

_MARKER = 2_147_483_647


def initiative_rows_html(rows: Iterable[Any]) -> SafeString:
    """The `<tr>` rows of one action field's table (`rows`: plan rows with `.initiative` and
    `.progress`), with the whitespace the template loop wrote around them."""
    url_pattern = reverse("plans:initiative_detail", args=[_MARKER])
    texts = PageTexts()
    number_label, lead_label, progress_label, health_label = (
        esc(texts(text)) for text in ("Nr.", "federführend", "Fortschritt", "Einschätzung")
    )
    out: list[str] = []
    for row in rows:
        initiative = row.initiative
        url = url_pattern.replace(str(_MARKER), str(initiative.pk))
        out.append(
            "\n                <tr>\n"
            f'                  <td data-label="{number_label}">'
            f"{esc(initiative.number or '–')}</td>\n"
            f'                  <th scope="row"><a href="{url}">{esc(initiative.title)}</a> '
            f'<span class="meta">({esc(initiative.get_status_display())})</span></th>\n'
            f'                  <td data-label="{lead_label}">'
            f"{esc(initiative.lead_unit or '–')}</td>\n"
            f'                  <td data-label="{progress_label}">'
            f"{initiative_progress_bar(row.progress, texts=texts)}</td>\n"
            f'                  <td data-label="{health_label}">'
            f"{health_pair(row.progress, compact=True, texts=texts)}</td>\n"
            "                </tr>\n              "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above
