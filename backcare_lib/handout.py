"""The take-home plan: a CarePlan rendered as an HTML page, a PDF (WeasyPrint) and a calendar.

Everything is built in memory and returned as text or bytes: nothing is written to disk here.
The HTML comes from the kit's Jinja2 templates with autoescaping (the same partials the
dashboard and the lessons use), so whatever a person typed appears only as text. It links to
nothing outside itself (the chart is an inline image).
"""

from __future__ import annotations

from backcare_lib import isolate, knowledge, schedule
from backcare_lib.plan import CarePlan
from backcare_lib.render import render as render_template

FORMATS = ("pdf", "html", "ics")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html", "ics": "text/calendar"}


def _check(plan: object) -> CarePlan:
    if not isinstance(plan, CarePlan):
        raise ValueError(f"plan must be a CarePlan from build_plan(), got {type(plan).__name__}")
    if not plan.assessment.complete:
        raise ValueError(
            "the safety check is not finished, so no handout can be made; still needed: "
            + ", ".join(plan.assessment.unanswered)
        )
    return plan


def render_html(plan: CarePlan) -> str:
    """The handout as one self-contained HTML page (print CSS included), in the plan's language,
    on the paper its region uses (US Letter or A4)."""
    plan = _check(plan)
    with knowledge.localized(plan.lang, plan.region):
        return _render_html(plan)


def _render_html(plan: CarePlan) -> str:
    kb = knowledge.active()
    shown_elsewhere = kb.plan.handout_shown_elsewhere
    context = {
        "paper": kb.region_info.paper,
        "plan": plan,
        "sessions": plan.sessions,
        "activity": plan.activity,
        "plank": plan.plank,
        "calcium": plan.calcium_foods,
        "potassium": plan.potassium_foods,
        "first_days": [p for p in plan.first_days if p.id not in shown_elsewhere],
        "prevention": [p for p in plan.prevention if p.id not in shown_elsewhere],
        "drinks_takeaway": kb.point("prev_alcohol_caffeine").takeaway,
        "potassium_caution": kb.point("prev_potassium_caution").takeaway,
        "footer_left": kb.text("handout.footer", date=kb.date(plan.created, "day_month_year")),
    }
    return render_template("handout.html.j2", kb=kb, **context)


# PDF/UA-1 (WeasyPrint's accessible variant): a tagged PDF, so a screen reader gets the
# headings, lists, tables and reading order; the language comes from <html lang>, the title
# from <title> (shown instead of the file name), the chart's text from its alt attribute.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(plan: CarePlan) -> bytes:
    """The handout as a tagged PDF (PDF/UA-1). WeasyPrint may read only ``data:`` URLs (the
    inline chart): the page is self-contained, so nothing is fetched from a network or the disk.
    In a dashboard kernel it is made in a short-lived child process (``backcare_lib.isolate``),
    so WeasyPrint and the document's large objects never stay in the kernel."""
    return isolate.heavy(_render_pdf, _check(plan))


def _render_pdf(plan: CarePlan) -> bytes:
    html = render_html(plan)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=5)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)


def render_ics(plan: CarePlan) -> str:
    """The first days' sessions and the check-ups still to come as a calendar file, with a
    reminder and the emergency line at each."""
    plan = _check(plan)
    with knowledge.localized(plan.lang, plan.region):
        return schedule.to_ics(
            plan.sessions,
            calendar_name=plan.greeting,
            reviews=plan.reviews,
            warnings=plan.calendar_warnings,
        )


def render(plan: CarePlan, fmt: str) -> bytes:
    """The handout in ``fmt`` ('pdf', 'html' or 'ics') as bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {list(FORMATS)}, got {fmt!r}")
    if fmt == "pdf":
        return render_pdf(plan)
    text = render_html(plan) if fmt == "html" else render_ics(plan)
    return text.encode("utf-8")


def filename(plan: CarePlan, fmt: str) -> str:
    """A download name with the date, never the patient's name (it may be seen by others)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {list(FORMATS)}, got {fmt!r}")
    kb = knowledge.load(_check(plan).lang, plan.region)
    name = kb.text("file.plan", date=f"{plan.created:%Y-%m-%d}")
    return f"{name}.{fmt}"
