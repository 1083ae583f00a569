"""The take-home plan: a CarePlan rendered as an HTML page, a PDF (WeasyPrint) and a calendar.

Everything is built in memory and returned as text or bytes: nothing is written to disk here.
The HTML comes from a Jinja2 template with autoescaping, so whatever a person typed appears
only as text. It links to nothing outside itself (the chart is an inline image).
"""

from __future__ import annotations

import base64
import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from backcare_lib import exercise, knowledge, schedule
from backcare_lib.plan import CarePlan

FORMATS = ("pdf", "html", "ics")
# Points the handout shows elsewhere (the schedule table, the drinks section), so their
# one-line takeaways are not repeated in its lists.
SHOWN_ELSEWHERE = frozenset(
    {
        "ice_how_to",
        "heat_moist",
        "rest_positions",
        "prev_fluids",
        "prev_eight_glasses",
        "prev_minerals_food",
        "prev_alcohol_caffeine",
    }
)
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html", "ics": "text/calendar"}


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("backcare_lib", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _check(plan: object) -> CarePlan:
    if not isinstance(plan, CarePlan):
        raise ValueError(f"plan must be a CarePlan from build_plan(), got {type(plan).__name__}")
    return plan


def render_html(plan: CarePlan) -> str:
    """The handout as one self-contained HTML page (print CSS included)."""
    plan = _check(plan)
    care = knowledge.load().care
    context = {
        "plan": plan,
        "no_plan_urgent": knowledge.load().text("plan.no_plan_urgent"),
        "first_days": [p for p in plan.first_days if p.id not in SHOWN_ELSEWHERE],
        "prevention": [p for p in plan.prevention if p.id not in SHOWN_ELSEWHERE],
        "drinks_takeaway": knowledge.load().point("prev_alcohol_caffeine").takeaway,
        "stop_rule": care.stop_rule,
        "times_word": exercise.times_word,
        "describe_times": schedule.describe_times,
        "footer_left": (
            f"BackCare Kit · {plan.created:%d %b %Y} · educates, does not replace your doctor"
        ),
        "schedule_summary": schedule.summarize(plan.sessions),
        "sessions_by_day": schedule.by_day(plan.sessions),
        "schedule_svg": _schedule_svg(plan.sessions) if plan.self_care and plan.sessions else "",
        "activity_summary": exercise.summarize_activity(plan.activity),
        "activity_stages": exercise.stages(plan.activity),
        "plank_summary": exercise.summarize_plank(plan.plank),
    }
    return _environment().get_template("handout.html.j2").render(context)


@functools.lru_cache(maxsize=32)
def _schedule_svg(sessions: tuple[schedule.Session, ...]) -> str:
    from backcare_lib import charts

    return base64.b64encode(charts.to_svg(charts.schedule_chart(sessions))).decode("ascii")


# PDF/UA-1 (WeasyPrint's accessible variant): a tagged PDF, so a screen reader gets the
# headings, lists, tables and reading order; the language comes from <html lang>, the title
# from <title> (shown instead of the file name), the chart's text from its alt attribute.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(plan: CarePlan) -> bytes:
    """The handout as a tagged PDF (PDF/UA-1). WeasyPrint may read only ``data:`` URLs (the
    inline chart): the page is self-contained, so nothing is fetched from a network or the disk."""
    html = render_html(plan)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=5)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)


def render_ics(plan: CarePlan) -> str:
    """The first days' sessions as a calendar file, with a reminder at each."""
    plan = _check(plan)
    return schedule.to_ics(plan.sessions, calendar_name=plan.greeting)


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
    return f"back-care-plan-{_check(plan).created:%Y-%m-%d}.{fmt}"
