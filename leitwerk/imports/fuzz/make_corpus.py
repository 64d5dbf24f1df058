"""Write the seed corpus: one small valid file per reader, from the samples the import tests use.

Run once after a reader gains a format: `python -m leitwerk.imports.fuzz.make_corpus`.
The files are committed; the pytest replay reads them, so this script is not needed in CI.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from leitwerk.imports.fuzz.harness import TARGETS, encode, setup

CORPUS = Path(__file__).with_name("corpus")


def seeds() -> dict[str, bytes]:
    setup()
    from leitwerk.imports.fuzz.guideline_samples import (
        BUERGERAMT,
        GRUNDSAETZE,
        HTML,
        MARKDOWN,
        make_docx,
        make_pdf,
    )
    from leitwerk.imports.fuzz.plan_samples import plan_samples

    plan = plan_samples()
    files = {
        "leitbild.txt": GRUNDSAETZE.encode(),
        "leitbild.md": MARKDOWN.encode(),
        "leitbild.html": HTML.encode(),
        "leitbild.docx": make_docx(),
        "leitbild.pdf": make_pdf(
            BUERGERAMT.encode("latin-1", "replace").decode("latin-1").splitlines()[:20]
        ),
        "plan.csv": plan["csv"],
        "plan.tsv": plan["tsv"],
        "plan.txt": plan["csv"],
        "plan.xlsx": plan["xlsx"],
        "plan.ods": plan["ods"],
        "plan.html": plan["html"],
        "plan.docx": plan["docx"],
    }
    out = {}
    for index, (_kind, name) in enumerate(TARGETS):
        out[f"seed-{name}"] = encode(index, files[name])
    return out


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for name, data in seeds().items():
        (CORPUS / name).write_bytes(data)
        sys.stdout.write(f"{name} {len(data)} {hashlib.sha256(data).hexdigest()[:10]}\n")


if __name__ == "__main__":
    main()
