"""HTML for the walkthrough's steps, from a CarePlan. Pure functions: no widgets here, so the
dashboard stays thin and every panel can be tested on its own."""

from __future__ import annotations

import base64

from backcare_lib import exercise, handout, knowledge, schedule
from backcare_lib.plan import CarePlan
from backcare_lib.ui.common import block, esc, point_html, points_html, verdict_html

FIRST_DAYS = ("ice_how_to", "ice_safety", "heat_moist", "heat_safety")
MEDICINES = ("med_nsaids", "med_acetaminophen", "med_percogesic", "med_flexall", "med_drowsy")
MOVING = ("rest_not_too_long", "move_walk_swim", "prev_stretching", "prev_plank_breathe")
PREVENTION = (
    "prev_eight_glasses",
    "prev_alcohol_caffeine",
    "prev_minerals_food",
    "prev_posture",
    "prev_lifting",
    "prev_low_impact",
    "prev_weight",
)


def step_header(index: int) -> str:
    steps = knowledge.load().dashboard.steps
    step = steps[index]
    return (
        f'<p class="note" aria-live="polite">Step {index + 1} of {len(steps)}: '
        f"<strong>{esc(step.title)}</strong></p><h2>{esc(step.title)}</h2>"
        f"<p>{esc(step.intro)}</p>"
    )


def welcome_html() -> str:
    kb = knowledge.load()
    return block(
        step_header(0)
        + point_html("spasm_what")
        + point_html("spasm_gets_better")
        + f'<p class="note"><strong>Please note:</strong> {esc(kb.disclaimer)}</p>'
    )


def not_offered_html(assessment, *, step: int | None = None) -> str:
    """Why no self-care plan is offered, with the verdict. On a step panel (``step`` given)
    it keeps the step header, and leaves an emergency verdict to the banner above the steps."""
    header = step_header(step) if step is not None else ""
    banner_shows_it = step is not None and assessment.is_emergency
    verdict = "" if banner_shows_it else verdict_html(assessment)
    reason = esc(knowledge.load().dashboard.not_offered)
    return block(f"{header}{verdict}<p><strong>{reason}</strong></p>")


def chart_img(plan: CarePlan) -> str:
    from backcare_lib import charts

    summary = schedule.summarize(plan.sessions)
    if not plan.sessions:
        return f"<p>{esc(summary)}</p>"
    img = charts.img_html(charts.schedule_chart(plan.sessions), summary)
    return f"<figure>{img}<figcaption>{esc(summary)}</figcaption></figure>"


def first_days_html(plan: CarePlan) -> str:
    rows = "".join(
        f"<tr><td>{d.day:%a %d %b}</td><td>{esc(schedule.describe_times(d.ice))}</td>"
        f"<td>{esc(schedule.describe_times(d.heat))}</td></tr>"
        for d in schedule.by_day(plan.sessions)
    )
    table = (
        "<table><caption>Your ice and heat times</caption><thead><tr><th scope='col'>Day</th>"
        "<th scope='col'>Ice</th><th scope='col'>Moist heat</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        if rows
        else ""
    )
    return block(
        step_header(3)
        + chart_img(plan)
        + table
        + f"<h3>Resting</h3><p>{esc(plan.rest_advice)}</p>"
        + points_html(FIRST_DAYS)
        + "<h3>Medicines</h3>"
        + points_html(MEDICINES)
    )


def moving_html(plan: CarePlan) -> str:
    stages = "".join(
        f"<tr><td>{s.first_day}{'–' + str(s.last_day) if s.last_day != s.first_day else ''}</td>"
        f"<td>{s.minutes}</td><td>{exercise.times_word(s.sessions)} a day</td></tr>"
        for s in exercise.stages(plan.activity)
    )
    plank = "".join(
        f"<tr><td>{s.first_day:%a %d %b}</td><td>{s.hold_seconds} seconds</td>"
        f"<td>{exercise.times_word(s.times_per_day)} a day</td></tr>"
        for s in plan.plank
    )
    foods = "".join(
        f"<tr><td>{esc(f.name)}</td><td>{esc(f.serving)}</td>"
        f"<td>{f.milligrams} mg {f.mineral}</td></tr>"
        for f in plan.calcium_foods[:3] + plan.potassium_foods[:3]
    )
    return block(
        step_header(4)
        + f"<h3>Your activity</h3><p>{esc(exercise.summarize_activity(plan.activity))}</p>"
        + "<table><thead><tr><th scope='col'>Days</th><th scope='col'>Minutes</th>"
        + f"<th scope='col'>How often</th></tr></thead><tbody>{stages}</tbody></table>"
        + f"<h3>The plank</h3><p>{esc(exercise.summarize_plank(plan.plank))}</p>"
        + "<table><thead><tr><th scope='col'>From</th><th scope='col'>Hold</th>"
        + f"<th scope='col'>How often</th></tr></thead><tbody>{plank}</tbody></table>"
        + f"<p><strong>Stop rule:</strong> {esc(knowledge.load().care.stop_rule)}</p>"
        + points_html(MOVING)
        + "<h3>Stop the next one</h3>"
        + points_html(PREVENTION)
        + "<h3>Foods for calcium and potassium</h3><table><thead><tr><th scope='col'>Food</th>"
        + "<th scope='col'>Serving</th><th scope='col'>Amount</th></tr></thead>"
        + f"<tbody>{foods}</tbody></table>"
    )


def plan_html(plan: CarePlan) -> str:
    parts = [step_header(5), f"<h3>{esc(plan.greeting)}</h3>", verdict_html(plan.assessment)]
    if plan.self_care:
        parts.append(
            "<ul>"
            f"<li>{esc(schedule.summarize(plan.sessions))}</li>"
            f"<li>{esc(exercise.summarize_activity(plan.activity))}</li>"
            f"<li>{esc(exercise.summarize_plank(plan.plank))}</li>"
            f"<li>{esc(plan.fluids.note)}</li>"
            "</ul>"
        )
    else:
        parts.append(f"<p>{esc(knowledge.load().text('plan.no_plan_urgent'))}</p>")
    help_now = plan.help_now
    parts.append(
        f'<div class="help-now"><strong>{esc(help_now.title)}</strong>'
        f"<p>{esc(help_now.text)}</p></div>"
    )
    return block("".join(parts))


DOWNLOADS = (
    ("pdf", "Download the plan (PDF)"),
    ("html", "Download the plan (web page)"),
    ("ics", "Download calendar reminders (.ics)"),
)


def downloads_html(plan: CarePlan) -> str:
    """Download links holding the files themselves (data: URLs): made in memory, never saved
    on the server."""
    links = []
    for fmt, label in DOWNLOADS:
        if fmt == "ics" and not plan.sessions:
            continue
        data = base64.b64encode(handout.render(plan, fmt)).decode("ascii")
        links.append(
            f'<a class="download" download="{esc(handout.filename(plan, fmt))}" '
            f'href="data:{handout.MEDIA_TYPES[fmt]};base64,{data}">{esc(label)}</a>'
        )
    return block("<h3>Take it home</h3><p>" + "".join(links) + "</p>")
