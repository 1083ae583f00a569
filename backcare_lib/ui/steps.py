"""HTML for the walkthrough's steps, as ``dashboard.yaml`` declares them, rendered by the shared
partials. Pure functions: no widgets here, so the dashboard stays thin and every panel can be
tested on its own. Steps are named by their content id, never by position."""

from __future__ import annotations

import base64

from backcare_lib import handout, knowledge, render
from backcare_lib.plan import CarePlan
from backcare_lib.ui.common import block


def _step(step_id: str):
    return knowledge.active().dashboard.step(step_id)


def _position(step_id: str) -> dict:
    ids = knowledge.active().dashboard.step_ids
    return {"step": _step(step_id), "n": ids.index(step_id) + 1, "total": len(ids)}


def _plan_context(plan: CarePlan | None) -> dict:
    if plan is None:
        return {}
    return {
        "plan": plan,
        "assessment": plan.assessment,
        "sessions": plan.sessions,
        "activity": plan.activity,
        "plank": plan.plank,
        "calcium": plan.calcium_foods[:3],
        "potassium": plan.potassium_foods[:3],
    }


def step_header(step_id: str) -> str:
    return block(render.partial("step_header", **_position(step_id)))


def step_html(step_id: str, plan: CarePlan | None = None) -> str:
    """A step: its header and its blocks (points, headings, parts fed with ``plan``)."""
    html = render.render("dashboard_step.html.j2", **_position(step_id), **_plan_context(plan))
    return block(html)


def not_offered_html(assessment, *, step_id: str | None = None) -> str:
    """Why no self-care plan is offered, with the verdict. On a step panel (``step_id`` given)
    it keeps the step header, and leaves an emergency verdict to the banner above the steps."""
    return block(
        render.render(
            "not_offered.html.j2",
            assessment=assessment,
            banner_shows_verdict=step_id is not None and assessment.is_emergency,
            **(_position(step_id) if step_id else {}),
        )
    )


def incomplete_html(assessment, *, step_id: str) -> str:
    """The safety check is not finished: the step header, and what is still needed."""
    return block(
        render.partial("step_header", **_position(step_id))
        + render.partial("verdict", assessment=assessment)
    )


def message_html(text_or_id: str, *, kind: str = "note", **values) -> str:
    """A short message from content (``dashboard.<id>`` or a text id), e.g. "fix_fields"."""
    kb = knowledge.active()
    text = getattr(kb.dashboard, text_or_id, None)
    if not isinstance(text, str):
        text = kb.text(text_or_id, **values)
    return block(render.partial("message", text=text, kind=kind))


def download_html(plan: CarePlan, fmt: str) -> str:
    """One take-home file as a download link holding the file itself (a data: URL): made in
    memory when asked, never saved on the server."""
    data = base64.b64encode(handout.render(plan, fmt)).decode("ascii")
    return render.partial(
        "download_link",
        fmt=fmt,
        file_name=handout.filename(plan, fmt),
        media=handout.MEDIA_TYPES[fmt],
        data=data,
    )
