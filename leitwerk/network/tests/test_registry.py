from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from leitwerk.network.models import RegistryMunicipality
from leitwerk.network.registry import RegistryFormatError, read_entries
from leitwerk.network.services import registry_import, registry_load_sample, registry_match
from leitwerk.plans.tests.factories import TransferCityFactory

pytestmark = pytest.mark.django_db

SIMPLE = "AGS;Gemeindename;Bevölkerung insgesamt;Land\n09162000;München;1.512.491;Bayern\n05315000;Köln;1.084.831;NW\n"


def test_import_is_idempotent(tmp_path):
    path = tmp_path / "gv.csv"
    path.write_text(SIMPLE, encoding="utf-8")
    first = registry_import(path=path)
    assert (first.created, first.updated) == (2, 0)
    second = registry_import(path=path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert RegistryMunicipality.objects.count() == 2
    koeln = RegistryMunicipality.objects.get(ags="05315000")
    assert (koeln.state, koeln.population) == ("Nordrhein-Westfalen", 1084831)
    path.write_text(SIMPLE.replace("1.084.831", "1.090.000"), encoding="utf-8")
    assert registry_import(path=path).updated == 1


def test_gv_isys_layout_with_title_rows_and_split_key(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Gemeindeverzeichnis-Informationssystem GV-ISys"])
    ws.append([])
    ws.append(
        [
            "Satzart",
            "Textkennzeichen",
            "Land",
            "RB",
            "Kreis",
            "VB",
            "Gem",
            "Gemeindename",
            "Bevölkerung insgesamt",
        ]
    )
    ws.append(["40", "41", "09", "1", "62", None, None, "Kreisfreie Stadt München", None])
    ws.append(["60", "61", "09", "1", "62", "0000", "000", "München, Landeshauptstadt", 1512491])
    ws.append(["60", "63", "01", "0", "51", "0011", "011", "Brunsbüttel, Stadt", 12566])
    path = tmp_path / "gv.xlsx"
    wb.save(path)
    entries = list(read_entries(path))
    assert [(e.ags, e.state) for e in entries] == [
        ("09162000", "Bayern"),
        ("01051011", "Schleswig-Holstein"),
    ]


def test_unknown_layout_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(RegistryFormatError):
        list(read_entries(path))


def test_sample_loads_twice_without_duplicates_and_links_transfer_cities():
    city: Any = TransferCityFactory(name="Potsdam", ags="")
    first = registry_load_sample()
    assert first.created > 1000
    assert registry_load_sample().created == 0
    city.refresh_from_db()
    assert city.ags == "12054000"
    match = registry_match(name="Potsdam")
    assert match is not None and match.ags == "12054000"


def test_command(tmp_path):
    path = tmp_path / "gv.csv"
    path.write_text(SIMPLE, encoding="utf-8")
    out = StringIO()
    call_command("registry", "import", str(path), stdout=out)
    assert "2 neu" in out.getvalue()
    out = StringIO()
    call_command("registry", "import", str(path), stdout=out)
    assert "0 neu" in out.getvalue() and "2 unverändert" in out.getvalue()
