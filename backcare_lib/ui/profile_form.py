"""'About you': the few facts the plan needs, each checked, with a message beside the field."""

from __future__ import annotations

from datetime import datetime, timedelta

import ipywidgets as w

from backcare_lib import exercise, knowledge, plan, schedule, triage
from backcare_lib.checks import InputError
from backcare_lib.ui.common import Localized, error_html, in_locale, input_message

# No fixed widths: widgets.css sizes the fields (beside their labels, or under them on a phone).
FIELD_LAYOUT = w.Layout(width="auto")
STYLE = {"description_width": "14em"}


class ProfileForm(Localized, w.VBox):
    """Fields for a PatientProfile. ``errors`` maps field name to its message; ``profile()``
    returns the checked PatientProfile, or None while any field is wrong."""

    def __init__(self, *, now=datetime.now, on_change=None) -> None:
        self.remember_locale()
        self._now = now
        text = knowledge.active().dashboard
        self._on_change = None  # set after the first reset, so building fires no callback
        t = knowledge.active().text
        self.first_name = w.Text(
            description=t("form.first_name"),
            placeholder=t("form.first_name_hint"),
            style=STYLE,
            layout=FIELD_LAYOUT,
        )
        self.age = w.Text(
            description=text.age_label,
            placeholder=text.age_placeholder,
            style=STYLE,
            layout=FIELD_LAYOUT,
        )
        self.started = w.NaiveDatetimePicker(
            description=t("form.started"), style=STYLE, layout=FIELD_LAYOUT
        )
        self.area = w.RadioButtons(
            description=t("form.area"),
            options=[(t(f"form.area_{a}"), a) for a in ("lower", "upper")],
            value=None,
            style=STYLE,
        )
        self.wake = w.TimePicker(description=t("form.wake"), style=STYLE)
        self.bedtime = w.TimePicker(description=t("form.bedtime"), style=STYLE)
        self.activity = w.Dropdown(
            description=t("form.activity"),
            options=[(label, key) for key, label in exercise.activities().items()],
            value="walking",
            style=STYLE,
            layout=FIELD_LAYOUT,
        )
        start_back = knowledge.load().care.start_back
        self.start_back = w.Dropdown(
            description=start_back.label,
            options=[(label, key) for key, label in start_back.options.items()],
            value="not_done",
            style=STYLE,
            layout=FIELD_LAYOUT,
        )
        self.heat_only = w.Checkbox(
            description=t("form.heat_only"), value=False, indent=False, style=STYLE
        )
        self.notes = w.Textarea(
            description=t("form.notes"),
            placeholder=t("form.notes_hint"),
            style=STYLE,
            layout=FIELD_LAYOUT,
        )
        self.fields = {
            "first_name": self.first_name,
            "age": self.age,
            "started": self.started,
            "area": self.area,
            "wake": self.wake,
            "bedtime": self.bedtime,
            "activity": self.activity,
            "heat_only": self.heat_only,
            "start_back": self.start_back,
            "notes": self.notes,
        }
        self.messages = {name: w.HTML() for name in self.fields}
        self.errors: dict[str, str] = {}
        rows = []
        for name, field in self.fields.items():
            field.observe(self._changed, names="value")
            field.add_class("bc-field")  # the layout CSS (widgets.css) targets these names
            row = w.HBox([field, self.messages[name]], layout=w.Layout(align_items="center"))
            row.add_class("bc-field-row")
            rows.append(row)
        super().__init__(children=rows)
        self.add_class("bc-ui")
        self.reset()
        self._on_change = on_change

    @in_locale
    def reset(self) -> None:
        now = self._now().replace(second=0, microsecond=0)
        self.first_name.value = ""
        self.age.value = ""
        self.started.value = now - timedelta(hours=knowledge.active().dashboard.start_hours_ago)
        self.area.value = None
        rules = knowledge.active().care.schedule
        self.wake.value = rules.default_wake
        self.bedtime.value = rules.default_bedtime
        self.activity.value = "walking"
        self.heat_only.value = False
        self.start_back.value = "not_done"
        self.notes.value = ""
        self.check()

    def check(self) -> dict[str, str]:
        """Check every field; put each message beside its field."""
        errors: dict[str, str] = {}

        def attempt(name, func):
            try:
                func()
            except ValueError as err:
                errors[name] = input_message(err)

        attempt("first_name", lambda: plan.clean_name(self.first_name.value))
        attempt(
            "notes",
            lambda: plan.clean_text(
                self.notes.value, "notes", max_length=plan.MAX_NOTES_LENGTH, multiline=True
            ),
        )
        text = knowledge.active().dashboard
        if not self.age.value.strip():
            errors["age"] = text.age_missing
        else:
            attempt("age", lambda: parse_age(self.age.value))
        if self.area.value is None:
            errors["area"] = text.area_missing
        if self.started.value is None:
            errors["started"] = knowledge.active().text("form.started_missing")
        else:
            attempt("started", lambda: plan.check_started(self.started.value, self._now()))
        if self.wake.value is None:
            errors["wake"] = knowledge.active().text("form.wake_missing")
        elif self.bedtime.value is None:
            errors["bedtime"] = knowledge.active().text("form.bedtime_missing")
        else:
            attempt("bedtime", lambda: schedule.check_day(self.wake.value, self.bedtime.value))
        self.errors = errors
        for name, message in self.messages.items():
            message.value = error_html(errors.get(name))
        return errors

    def facts(self) -> dict[str, object]:
        """Age, area and days since the start, each None while its field is empty or wrong:
        what the safety check needs."""
        errors = self.errors
        days = None
        if "started" not in errors and self.started.value is not None:
            profile_now = self._now()
            days = max(0, (profile_now - self.started.value).days)
        return {
            "age": None if "age" in errors else parse_age(self.age.value),
            "area": self.area.value,
            "days_since_start": days,
        }

    def restore(self, values: dict) -> None:
        """Put back values typed earlier (after a switch of language or region)."""
        for name, value in values.items():
            self.fields[name].value = value
        self.check()

    def profile(
        self, answers=None, *, lang: str | None = None, region: str | None = None
    ) -> plan.PatientProfile | None:
        if self.check():
            return None
        return plan.PatientProfile(
            lang=lang or self.locale[0],
            region=region or self.locale[1],
            started=self.started.value,
            first_name=self.first_name.value,
            age=parse_age(self.age.value),
            area=self.area.value,
            answers=answers or {},
            wake=self.wake.value,
            bedtime=self.bedtime.value,
            activity=self.activity.value,
            notes=self.notes.value,
            start_back=self.start_back.value,
            heat_only=self.heat_only.value,
        )

    @in_locale
    def _changed(self, _change) -> None:
        self.check()
        if self._on_change:
            self._on_change()


def parse_age(text: str) -> int:
    """Age as typed: whole years, 0 to 120."""
    cleaned = text.strip()
    if not (cleaned.isdigit() and cleaned.isascii() and len(cleaned) <= 3) or not (
        triage.MIN_AGE <= int(cleaned) <= triage.MAX_AGE
    ):
        raise InputError("input.age", low=triage.MIN_AGE, high=triage.MAX_AGE)
    return triage.check_age(int(cleaned))
