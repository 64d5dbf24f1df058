from __future__ import annotations

import csv
import re

from leitwerk.imports import gazetteer


def test_data_file_is_well_formed():
    with gazetteer.DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0].keys()) == ["ags", "name", "state", "population"]
    assert len(rows) > 700
    for row in rows:
        assert row["ags"] == "" or re.fullmatch(r"\d{8}", row["ags"]), row
    big = [r for r in rows if r["population"] and int(r["population"]) >= 20_000]
    assert len(big) > 600


def test_known_keys_are_right():
    assert gazetteer.lookup("Berlin").ags == "11000000"
    assert gazetteer.lookup("Frankfurt am Main").ags == "06412000"
    assert gazetteer.lookup("Frankfurt (Oder)").ags == "12053000"
    assert gazetteer.lookup("Halle (Saale)").ags == "15002000"
    assert gazetteer.lookup("Mülheim an der Ruhr").ags == "05117000"
    assert gazetteer.lookup("Hannover").ags == "03241001"


def test_short_forms_pick_the_larger_city():
    assert gazetteer.lookup("Frankfurt").name == "Frankfurt am Main"
    assert gazetteer.lookup("Halle").name == "Halle (Saale)"
    assert gazetteer.lookup("Oldenburg").name == "Oldenburg (Oldenburg)"
    assert gazetteer.lookup("FREIBURG").name == "Freiburg im Breisgau"


def test_space_separated_list_greedy_longest_match():
    text = "Karlsruhe Bielefeld Hannover Frankfurt am Main Bonn Leipzig Nürnberg"
    names = [n for n, _ags, _ok in gazetteer.resolve_list(text)]
    assert names == [
        "Karlsruhe",
        "Bielefeld",
        "Hannover",
        "Frankfurt am Main",
        "Bonn",
        "Leipzig",
        "Nürnberg",
    ]


def test_multi_word_and_parenthesised_names():
    text = "Halle (Saale) Mülheim an der Ruhr Frankfurt (Oder) Brandenburg an der Havel"
    out = gazetteer.resolve_list(text)
    assert [n for n, _a, _k in out] == [
        "Halle (Saale)",
        "Mülheim an der Ruhr",
        "Frankfurt (Oder)",
        "Brandenburg an der Havel",
    ]
    assert all(k for _n, _a, k in out)


def test_unknown_names_are_kept_as_text():
    out = gazetteer.resolve_list("Bonn Schilda Köln; Entenhausen am See")
    assert out[0][:2] == ("Bonn", "05314000")
    assert ("Schilda", "", False) in out
    assert out[2][0] == "Köln"
    assert ("Entenhausen am See", "", False) in out


def test_abbreviations_and_sentence_ends():
    out = gazetteer.resolve_list("Soest. St. Ingbert, Hann. Münden")
    assert [n for n, _a, _k in out] == ["Soest", "Sankt Ingbert", "Hann. Münden"]
