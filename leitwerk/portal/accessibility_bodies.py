"""The states' monitoring and enforcement bodies for accessible IT, shipped as a data file.

Every municipality's accessibility statement must name the body of its state (EU 2018/1523,
§ 12b BGG and the state laws); the state is the first two digits of the AGS. The file
`data/accessibility_bodies.json` says when it was compiled; operators check it before a release.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "accessibility_bodies.json"


@dataclass(frozen=True)
class Body:
    name: str
    address: tuple[str, ...]
    url: str = ""


@dataclass(frozen=True)
class StateBodies:
    code: str  # "01" … "16"
    state: str
    monitoring: Body  # Überwachungsstelle
    enforcement: Body  # Durchsetzungs-, Schlichtungs- oder Ombudsstelle


def _body(raw: dict) -> Body:
    return Body(name=raw["name"], address=tuple(raw.get("anschrift", ())), url=raw.get("url", ""))


@functools.cache
def _load() -> tuple[str, Body, dict[str, StateBodies]]:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    states = {
        code: StateBodies(
            code=code,
            state=entry["land"],
            monitoring=_body(entry["ueberwachungsstelle"]),
            enforcement=_body(entry["durchsetzungsstelle"]),
        )
        for code, entry in raw["laender"].items()
    }
    return raw["stand"], _body(raw["bund"]), states


def compiled_on() -> str:
    return _load()[0]


def federal_body() -> Body:
    """The federal conciliation body (§ 16 BGG), named beside the state's."""
    return _load()[1]


def all_states() -> list[StateBodies]:
    return sorted(_load()[2].values(), key=lambda s: s.code)


def for_ags(ags: str | None) -> StateBodies | None:
    """The bodies of the state an AGS belongs to; None without a valid AGS."""
    code = (ags or "").strip()[:2]
    return _load()[2].get(code)
