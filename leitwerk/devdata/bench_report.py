"""One report render in a process of its own, for `leitwerk bench` (the "report" key).

    python -m leitwerk.devdata.bench_report report PLAN_ID AS_OF
    python -m leitwerk.devdata.bench_report reference

prints one JSON line {"seconds", "pages", "peak_mb"}. A process of its own so that its peak
memory (`ru_maxrss`, read by the parent with `os.wait4`) is the render's alone, not the
bench's pages or import before it. "reference" renders the fixed 30-page document
`report_reference.html` with the same WeasyPrint settings as a report (PDF/UA-1), so the
report's time can be read against what WeasyPrint needs for 30 ordinary pages on this machine.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

REFERENCE = Path(__file__).with_name("report_reference.html")


def _pdf_pages(html: str) -> int:
    from weasyprint import HTML

    document = HTML(string=html, base_url=None).render(pdf_variant="pdf/ua-1")
    document.write_pdf(pdf_variant="pdf/ua-1")
    return len(document.pages)


def render_reference() -> dict[str, float | int]:
    started, cpu = time.perf_counter(), time.process_time()
    pages = _pdf_pages(REFERENCE.read_text(encoding="utf-8"))
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "pages": pages,
    }


def render_report(plan_id: int, as_of: dt.date) -> dict[str, float | int]:
    from leitwerk.plans.models import ActionPlan
    from leitwerk.reports import builder, renderers

    plan = ActionPlan.objects.select_related("municipality").get(pk=plan_id)
    started, cpu = time.perf_counter(), time.process_time()
    # Like a real report: compared with the plan a quarter earlier ("what changed since").
    since = as_of - dt.timedelta(days=91)
    snapshot = builder.build_snapshot(plan=plan, as_of=as_of, created_on=as_of, since=since)
    pages = _pdf_pages(renderers.render_html(snapshot))
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "pages": pages,
        "initiatives": sum(f["count"] for f in snapshot["action_fields"]),
    }


def _run(argv: list[str]) -> dict[str, float | int]:
    if argv[:1] == ["reference"]:
        return render_reference()
    return render_report(int(argv[1]), dt.date.fromisoformat(argv[2]))


def _vm_hwm_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def measure_here(argv: list[str]) -> dict[str, float | int]:
    """The same render in this process (the caller's rows are not visible to another one).

    The kernel's peak-memory mark is reset first (`clear_refs` 5), so `peak_mb` is the
    highest resident size during this render, the process's own memory included.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    result = _run(argv)
    peak = _vm_hwm_mb()
    if peak is None:  # not Linux: the process's peak so far
        peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["peak_mb"] = peak
    return result


def main(argv: list[str]) -> None:
    import django

    django.setup()
    result = _run(argv)
    # Linux reports ru_maxrss in KiB; the parent reads it from os.wait4 as well.
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
