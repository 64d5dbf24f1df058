"""Open data of the Produkthaushalt: products, key figures and their values as JSON and CSV.

Beside the Vorhaben's open data (`daten/vorhaben.json`), with the same licence header.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse

from leitwerk.budget.selectors import OPEN_DATA_COLUMNS, open_data_products, open_data_rows
from leitwerk.core.spreadsheet import neutralise

from . import selectors
from .licences import licence as licence_for
from .views import public_cacheable


def _licensed(response: HttpResponse, municipality: Any) -> HttpResponse:
    chosen = licence_for(selectors.open_data_settings(municipality=municipality).licence)
    response.headers["Link"] = f'<{chosen.url}>; rel="license"'
    return response


def _plain(value: Any) -> Any:
    # Values are numbers in JSON; four decimals at most, which a float holds exactly enough.
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError


@public_cacheable
def budget_json(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    document = {
        "kommune": municipality.name,
        "produkte": open_data_products(municipality),
    }
    body = json.dumps(document, ensure_ascii=False, indent=2, default=_plain)
    return _licensed(
        HttpResponse(body, content_type="application/json; charset=utf-8"), municipality
    )


@public_cacheable
def budget_csv(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=OPEN_DATA_COLUMNS)
    writer.writeheader()
    for row in open_data_rows(open_data_products(municipality)):
        writer.writerow({key: neutralise(value) for key, value in row.items()})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{municipality.slug}-produkthaushalt.csv"'
    )
    return _licensed(response, municipality)
