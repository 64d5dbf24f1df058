# ruff: noqa: E501 - the embedded JavaScript reads better unwrapped
"""Page audit: axe-core (H1), reflow at 320 px (H2), charts (H5), statement link (H7), skip link.

axe.min.js is vendored (axe-core 4.10.3, MPL-2.0) so the suite needs no network at test time.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.2 AA is the current version (issue 23); its new rules (e.g. target size) come on top.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

# Not pages a person reads: sign-out, Django's admin (its own UI, not ours), the REST API and its
# generated developer documentation (drf-spectacular's, linked from "API-Zugänge"), static files
# and every download or feed format.
SKIP = re.compile(
    # Downloads (attachments, finished reports, "Meine Daten") are files, not pages: goto()
    # would raise.
    r"/abmelden/|/admin/|/api/|/static/|/media/|/healthz|/anhang/\d+/$|/herunterladen/"
    r"|/konto/meine-daten/"
    r"|\.(csv|tsv|json|ics|atom|xml|svg|png|jpe?g|pdf|xlsx|docx|odt|ods|zip|txt)(\?|$)"
    r"|[?&](format|download|export)=",
    re.IGNORECASE,
)
NUMBER = re.compile(r"/\d+(?=/|$)")

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
  }));
}"""

# One pass over the DOM for the structural checks; returns plain data for Python to judge.
DOM_CHECKS = """() => {
  const focusable = Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]'
  )).filter(e => !e.disabled && e.getAttribute('tabindex') !== '-1');
  const first = focusable[0];
  const skipTarget = first && first.getAttribute('href') && first.getAttribute('href').startsWith('#')
    ? document.getElementById(first.getAttribute('href').slice(1)) : null;
  const statement = Array.from(document.querySelectorAll('a[href]')).some(
    a => /\\/barrierefreiheit\\/?$/.test(new URL(a.href).pathname));
  const described = el => (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
    .some(id => { const t = document.getElementById(id); return t && t.textContent.trim().length > 0; });
  const chartProblems = [];
  const charts = new Set([
    ...document.querySelectorAll('svg[role=img]'),
    ...Array.from(document.querySelectorAll('figure')).filter(f => f.querySelector('svg, canvas, img')),
  ]);
  for (const chart of charts) {
    const figure = chart.closest('figure') || (chart.tagName === 'FIGURE' ? chart : null);
    const hasTable = !!(figure && figure.querySelector('table'));
    const imgsAlt = figure && figure.querySelectorAll('img').length > 0 &&
      !figure.querySelector('svg, canvas') &&
      Array.from(figure.querySelectorAll('img')).every(i => (i.getAttribute('alt') || '').trim());
    const svgText = chart.tagName.toLowerCase() === 'svg' &&
      !!(chart.querySelector('desc') && chart.querySelector('desc').textContent.trim());
    const figureText = !!(figure && figure.querySelector('figcaption') &&
      figure.querySelector('figcaption').textContent.trim().length >= 40);
    if (!(hasTable || imgsAlt || svgText || figureText || described(chart) || (figure && described(figure)))) {
      chartProblems.push((chart.id ? '#' + chart.id : chart.tagName.toLowerCase()) +
        ' ' + (chart.getAttribute('aria-label') || '').slice(0, 60));
    }
  }
  // Same markup → same axe result: roles that see an identical page share one axe run.
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('input[name=csrfmiddlewaretoken], .site-header__user').forEach(e => e.remove());
  const html = clone.innerHTML;
  let hash = 2166136261;
  for (let i = 0; i < html.length; i++) { hash ^= html.charCodeAt(i); hash = Math.imul(hash, 16777619); }
  return {
    fingerprint: (hash >>> 0).toString(16) + ':' + html.length,
    cssLoaded: Array.from(document.styleSheets).some(
      s => s.href && s.href.includes('/leitwerk/leitwerk.css') && s.cssRules.length > 0),
    title: document.title,
    firstFocusable: first ? (first.outerHTML.slice(0, 120)) : null,
    skipLinkOk: !!(first && first.classList.contains('skip-link') && skipTarget &&
                   skipTarget.tagName === 'MAIN'),
    statementLinked: statement,
    charts: charts.size,
    chartProblems,
  };
}"""


@dataclass
class PageResult:
    role: str
    url: str
    status: int
    title: str = ""
    violations: list[dict] = field(default_factory=list)
    scroll_width_320: int = 0
    skip_link_ok: bool = True
    first_focusable: str | None = None
    statement_linked: bool = True
    charts: int = 0
    chart_problems: list[str] = field(default_factory=list)
    css_loaded: bool = True
    too_wide: list[str] = field(default_factory=list)
    axe_reused: bool = False

    @property
    def blocking(self) -> list[dict]:
        return [v for v in self.violations if v["impact"] in BLOCKING_IMPACTS]

    @property
    def is_html_page(self) -> bool:
        return 200 <= self.status < 400


def run_axe(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE)
    return page.evaluate(AXE_RUN, AXE_TAGS)


WIDE_ELEMENTS = """(limit) => {
  const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  return Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > limit + 1 && !clipped(e)
      && !Array.from(e.children).some(c => c.getBoundingClientRect().right > limit + 1))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
      + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)');
}"""


def scroll_width_at(page, width: int) -> tuple[int, list[str]]:
    """Page width after reflow to `width` CSS px (> width: horizontal scrolling) and culprits."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": 640})
    try:
        scroll_width = page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
            "() => r(document.documentElement.scrollWidth))))"
        )
        culprits = page.evaluate(WIDE_ELEMENTS, width) if scroll_width > width else []
        return scroll_width, culprits
    finally:
        page.set_viewport_size(before)


def audit_page(
    page, role: str, url: str, status: int, axe_cache: dict[str, list[dict]] | None = None
) -> PageResult:
    result = PageResult(role=role, url=url, status=status)
    if not result.is_html_page:
        return result
    dom = page.evaluate(DOM_CHECKS)
    if not dom["cssLoaded"]:
        # Seen once under load: the stylesheet request lost. Without CSS the reflow and contrast
        # results would be about a page nobody sees, so load it again before judging.
        page.reload(wait_until="load")
        dom = page.evaluate(DOM_CHECKS)
    result.css_loaded = dom["cssLoaded"]
    result.title = dom["title"]
    result.first_focusable = dom["firstFocusable"]
    result.skip_link_ok = dom["skipLinkOk"]
    result.statement_linked = dom["statementLinked"]
    result.charts = dom["charts"]
    result.chart_problems = dom["chartProblems"]
    if axe_cache is not None and dom["fingerprint"] in axe_cache:
        result.violations = axe_cache[dom["fingerprint"]]
        result.axe_reused = True
    else:
        result.violations = run_axe(page)
        if axe_cache is not None:
            axe_cache[dom["fingerprint"]] = result.violations
    result.scroll_width_320, result.too_wide = scroll_width_at(page, 320)
    return result


def pattern_of(url: str) -> str:
    """/plaene/vorhaben/17/?tab=x → /plaene/vorhaben/{n}/?tab: one sample per page type."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return NUMBER.sub("/{n}", parts.path) + ("?" + "&".join(keys) if keys else "")


# Each role's crawl of the session, shared by the accessibility tests and the summary table at
# the end of the run (conftest's pytest_terminal_summary): role → audited pages.
RESULTS: dict[str, list[PageResult]] = {}


def crawl(
    page,
    role: str,
    base_url: str,
    seeds: list[str],
    *,
    per_pattern: int = 2,
    max_pages: int = 80,
    axe_cache: dict[str, list[dict]] | None = None,
) -> list[PageResult]:
    """Breadth-first over same-origin links from `seeds`, auditing each page once.

    Bounded per page type (`per_pattern` URLs with the same shape) and in total, so new pages
    are covered automatically without crawling every Vorhaben of every plan.
    """
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    queue: deque[str] = deque(origin + s if s.startswith("/") else s for s in seeds)
    seen: set[str] = set()
    per_type: dict[str, int] = {}
    results: list[PageResult] = []
    while queue and len(results) < max_pages:
        url = urldefrag(queue.popleft())[0]
        if url in seen or not url.startswith(origin) or SKIP.search(url):
            continue
        seen.add(url)
        kind = pattern_of(url)
        if per_type.get(kind, 0) >= per_pattern:
            continue
        per_type[kind] = per_type.get(kind, 0) + 1
        try:
            response = page.goto(url, wait_until="load")
        except Exception as error:  # noqa: BLE001 - a download or a crash is a finding, not a stop
            results.append(PageResult(role=role, url=url, status=0, title=str(error)[:80]))
            continue
        status = response.status if response else 0
        content_type = (response.headers.get("content-type", "") if response else "").lower()
        if "text/html" not in content_type:
            continue
        final = urldefrag(page.url)[0]
        path = final[len(origin) :] if final.startswith(origin) else final
        results.append(audit_page(page, role, path, status, axe_cache))
        if final != url:
            seen.add(final)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href)[0]
            if href.startswith(origin) and href not in seen:
                queue.append(href)
    return results


def summary_by_municipality(pages: list[PageResult], slugs: list[str]) -> dict[str, dict]:
    """axe figures of the public pages per municipality (first path segment = its slug), in
    the shape `leitwerk accessibility_check_record` stores for the accessibility statement."""
    found: dict[str, dict] = {}
    for slug in slugs:
        own = [p for p in pages if p.is_html_page and urlsplit(p.url).path.startswith(f"/{slug}/")]
        counts = {"pages": len(own), "critical": 0, "serious": 0, "moderate": 0, "minor": 0}
        for page in own:
            for violation in page.violations:
                if violation["impact"] in counts:
                    counts[violation["impact"]] += violation["count"]
        found[slug] = counts
    return found
