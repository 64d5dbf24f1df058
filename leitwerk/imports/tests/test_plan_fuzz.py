"""Malformed files never crash the plan import: only ImportFailed, and nothing is written."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitwerk.imports.fuzz.plan_samples import HEADER, plan_samples
from leitwerk.imports.models import ImportRun
from leitwerk.imports.services import ImportFailed, plan_import
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import ActionField, ActionPlan, Initiative, Milestone


def rezip(data: bytes, mutate) -> bytes:
    """Mutate the XML inside an archive, so the damage reaches the parsers, not only zipfile."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename.endswith(".xml"):
                content = mutate(content)
            dst.writestr(info.filename, content)
    return out.getvalue()


@st.composite
def malformed(draw):
    fmt = draw(st.sampled_from(["csv", "tsv", "xlsx", "ods", "docx", "html", "random"]))
    ext = draw(st.sampled_from([fmt, fmt, "xlsx", "csv", "txt", "ods", "docx", "html"]))
    if fmt == "random":
        data = draw(st.binary(min_size=0, max_size=400))
        if draw(st.booleans()):
            data = b"PK\x03\x04" + data
        return ext, data
    data = plan_samples()[fmt]
    op = draw(st.sampled_from(["truncate", "flip", "insert", "inner", "text"]))
    if op == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif op == "flip":
        data = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
        data = bytes(data)
    elif op == "insert":
        i = draw(st.integers(0, len(data)))
        data = data[:i] + draw(st.binary(min_size=1, max_size=64)) + data[i:]
    elif op == "inner" and data[:2] == b"PK":
        cut = draw(st.floats(0.0, 1.0))
        junk = draw(st.binary(max_size=40))
        data = rezip(data, lambda c: c[: int(len(c) * cut)] + junk)
    else:
        tokens = [*'\t;,"\n\r<>/&= abcÄß•-–\x00', *HEADER[:4], "<ul>", "<td>", "Aktionsfeld A "]
        text = "".join(draw(st.lists(st.sampled_from(tokens), max_size=120)))
        data = text.encode("utf-8", errors="replace")
    return ext, data


def counts():
    return (
        ActionPlan.objects.count(),
        ActionField.objects.count(),
        Initiative.objects.count(),
        Milestone.objects.count(),
        ImportRun.objects.count(),
    )


def run_fuzz(municipality, case):
    ext, data = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz.{ext}"
        path.write_bytes(data)
        before = counts()
        try:
            result = plan_import(municipality=municipality, path=path)
        except ImportFailed as failure:
            assert failure.errors and all(e.message for e in failure.errors)
            assert counts() == before, "a refused import wrote rows"
            return
        assert result["plan"]["action_fields"]


FUZZ = {
    "deadline": None,
    "derandomize": True,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@pytest.fixture
def fuzz_town(db):
    return Municipality.objects.create(name="Fuzzstadt", slug="fuzzstadt")


@pytest.mark.django_db
@settings(max_examples=50, **FUZZ)
@given(case=malformed())
def test_malformed_files_fail_cleanly(fuzz_town, case):
    run_fuzz(fuzz_town, case)


@pytest.mark.slow
@pytest.mark.django_db
@settings(max_examples=300, **FUZZ)
@given(case=malformed())
def test_many_malformed_files_fail_cleanly(fuzz_town, case):
    run_fuzz(fuzz_town, case)
