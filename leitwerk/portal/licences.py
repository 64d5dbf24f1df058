"""The licences a municipality may put on its open data, as the DCAT-AP.de vocabulary names them.

Default: Datenlizenz Deutschland – Namensnennung – Version 2.0, what GovData and most state
portals recommend for municipal data. The IRIs are those of the DCAT-AP.de licence vocabulary
(https://www.dcat-ap.de/def/licenses/), so harvesters recognise them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Licence:
    iri: str
    name: str
    url: str
    needs_attribution: bool


class LicenceChoice(models.TextChoices):
    DL_BY = "dl-by-de/2.0", "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    DL_ZERO = "dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0"
    CC_BY = "cc-by/4.0", "Creative Commons Namensnennung 4.0 International (CC BY 4.0)"
    CC_ZERO = "cc-zero", "Creative Commons Zero (CC0 1.0)"


_URLS = {
    LicenceChoice.DL_BY: "https://www.govdata.de/dl-de/by-2-0",
    LicenceChoice.DL_ZERO: "https://www.govdata.de/dl-de/zero-2-0",
    LicenceChoice.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    LicenceChoice.CC_ZERO: "https://creativecommons.org/publicdomain/zero/1.0/",
}


def licence(key: str) -> Licence:
    """The licence for a stored key; an unknown key falls back to the default."""
    choice = LicenceChoice(key) if key in LicenceChoice.values else LicenceChoice.DL_BY
    return Licence(
        iri=f"http://dcat-ap.de/def/licenses/{choice.value}",
        name=str(choice.label),
        url=_URLS[choice],
        needs_attribution=choice in (LicenceChoice.DL_BY, LicenceChoice.CC_BY),
    )
