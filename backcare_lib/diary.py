"""The recovery diary: pain, activity, plank holds, drinks, ice and heat, in a SQLite file on
the user's own machine.

- The file lives in the user's data folder (platformdirs) or at a path the user gives; the
  environment variable ``BACKCARE_DIARY_PATH`` overrides the default (the tests use it).
- WAL journal, full sync, a schema-version table and ordered migrations; a file that is not a
  BackCare diary (corrupt, foreign, or from a newer kit) is reported and never overwritten.
- Pain uses the 0-10 Numeric Rating Scale: 0 none, 1-3 mild, 4-6 moderate, 7-10 severe. A
  change of 2 points or more is a real change (the minimal clinically important difference).
- CSV export and import; an import with any bad row reports every bad row by line number and
  adds nothing (one transaction).

Nothing here is used by the dashboard: a diary is opened only when a person asks for one.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import statistics
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path

from backcare_lib.checks import InputError, items_of, whole_number

APP_ID = "backcare-diary"
SQLITE_HEADER = b"SQLite format 3\x00"
ENV_PATH = "BACKCARE_DIARY_PATH"
ACTIVITIES = ("walking", "swimming", "cycling", "stretching", "plank", "other")
MEANINGFUL_CHANGE = 2
MAX_NOTE = 1000

# Each migration takes the diary from version i to i + 1: statements run one by one in the
# opening transaction (executescript would commit it). Never edit one that has shipped; add a
# new one at the end.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        pain INTEGER CHECK (pain BETWEEN 0 AND 10),
        activity TEXT,
        activity_minutes INTEGER CHECK (activity_minutes BETWEEN 0 AND 600),
        plank_seconds INTEGER CHECK (plank_seconds BETWEEN 0 AND 600),
        water_glasses REAL CHECK (water_glasses BETWEEN 0 AND 30),
        ice_sessions INTEGER CHECK (ice_sessions BETWEEN 0 AND 12),
        heat_sessions INTEGER CHECK (heat_sessions BETWEEN 0 AND 12),
        note TEXT
    )
    """,
    ),
    ("CREATE INDEX entries_recorded_at ON entries (recorded_at)",),
)
SCHEMA_VERSION = len(MIGRATIONS)


class DiaryError(ValueError):
    """The diary file cannot be used as it is (it is left untouched)."""


def pain_category(pain: int) -> str:
    """The Numeric Rating Scale band: ``none``, ``mild``, ``moderate`` or ``severe`` (an id; its
    words are the texts ``pain.<band>``)."""
    whole_number("pain", pain, 0, 10)
    return "none" if pain == 0 else "mild" if pain <= 3 else "moderate" if pain <= 6 else "severe"


@dataclass(frozen=True)
class Entry:
    recorded_at: datetime
    pain: int | None = None
    activity: str | None = None
    activity_minutes: int | None = None
    plank_seconds: int | None = None
    water_glasses: float | None = None
    ice_sessions: int | None = None
    heat_sessions: int | None = None
    note: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        when = self.recorded_at
        if not isinstance(when, datetime):
            raise ValueError(f"recorded_at must be a date and time, got {when!r}")
        if when.tzinfo is None:  # a time without a zone is the user's local time
            object.__setattr__(self, "recorded_at", when.astimezone())
        _whole("pain", self.pain, 0, 10)
        _whole("activity_minutes", self.activity_minutes, 0, 600)
        _whole("plank_seconds", self.plank_seconds, 0, 600)
        _whole("ice_sessions", self.ice_sessions, 0, 12)
        _whole("heat_sessions", self.heat_sessions, 0, 12)
        glasses = self.water_glasses
        if glasses is not None and (
            isinstance(glasses, bool)
            or not isinstance(glasses, (int, float))
            or not 0 <= glasses <= 30
        ):
            raise ValueError(f"water_glasses must be a number from 0 to 30, got {glasses!r}")
        if self.activity is not None and self.activity not in ACTIVITIES:
            raise ValueError(f"activity must be one of {list(ACTIVITIES)}, got {self.activity!r}")
        if self.activity_minutes and self.activity is None:
            raise InputError("input.minutes_need_activity")
        object.__setattr__(self, "note", _note(self.note))
        measures = [getattr(self, f.name) for f in fields(self)][1:-2]
        if all(m is None for m in measures) and self.note is None:
            raise InputError("input.entry_empty")

    @property
    def pain_category(self) -> str | None:
        return None if self.pain is None else pain_category(self.pain)


def _whole(name: str, value: object, low: int, high: int) -> None:
    if value is None:
        return
    whole_number(name, value, low, high)


def _note(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"note must be text, got {type(value).__name__}")
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value:
        return None
    if len(value) > MAX_NOTE:
        raise InputError("input.too_long", field="note", length=len(value), max_length=MAX_NOTE)
    for c in value:
        if unicodedata.category(c) == "Cc" and c not in "\n\t":
            raise InputError(
                "input.hidden_character_in_lines", field="note", code=f"U+{ord(c):04X}"
            )
    return value


def default_path() -> Path:
    """``$BACKCARE_DIARY_PATH``, else ``diary.sqlite3`` in the user's data folder."""
    if os.environ.get(ENV_PATH):
        return Path(os.environ[ENV_PATH]).expanduser()
    from platformdirs import user_data_path

    return user_data_path("backcare-kit", appauthor=False) / "diary.sqlite3"


class Diary:
    """One diary file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_path()
        self._check_file()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise DiaryError(
                f"{self.path} cannot be read as a diary ({exc}); it was left unchanged"
            ) from None

    # -- opening --------------------------------------------------------------------------
    def _check_file(self) -> None:
        if not self.path.exists():
            return
        if self.path.is_dir():
            raise DiaryError(f"{self.path} is a folder; give the path of a diary file")
        with self.path.open("rb") as handle:
            header = handle.read(16)
        if header and header != SQLITE_HEADER:
            raise DiaryError(
                f"{self.path} is not a BackCare diary (it is not a SQLite database, or it is "
                "damaged); it was left unchanged. Choose another file name."
            )

    def _prepare(self) -> None:
        db = self._db
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "backcare_meta" not in tables:
            raise DiaryError(
                f"{self.path} is a SQLite database of another program, not a BackCare diary; "
                "it was left unchanged. Choose another file name."
            )
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        with self._transaction():
            db.execute(
                "CREATE TABLE IF NOT EXISTS backcare_meta "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            db.execute("INSERT OR IGNORE INTO backcare_meta VALUES ('app', ?)", (APP_ID,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT max(version) FROM schema_version").fetchone()
            app = db.execute("SELECT value FROM backcare_meta WHERE key='app'").fetchone()[0]
            if app != APP_ID:
                raise DiaryError(
                    f"{self.path} belongs to {app!r}, not BackCare Kit; left unchanged"
                )
            version = row[0] or 0
            if version > SCHEMA_VERSION:
                raise DiaryError(
                    f"{self.path} was made by a newer BackCare Kit (diary version {version}, this "
                    f"kit reads up to {SCHEMA_VERSION}); update the kit. "
                    "The file was left unchanged."
                )
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number]:
                    db.execute(statement)
                db.execute("INSERT INTO schema_version VALUES (?)", (number + 1,))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return self._db.execute("SELECT max(version) FROM schema_version").fetchone()[0]

    def integrity_check(self) -> str:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Diary:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------
    _COLUMNS = (
        "recorded_at",
        "pain",
        "activity",
        "activity_minutes",
        "plank_seconds",
        "water_glasses",
        "ice_sessions",
        "heat_sessions",
        "note",
    )

    def _row(self, entry: Entry) -> tuple:
        values = asdict(entry)
        values["recorded_at"] = entry.recorded_at.isoformat(timespec="seconds")
        return tuple(values[c] for c in self._COLUMNS)

    def add(self, entry: Entry) -> int:
        if not isinstance(entry, Entry):
            raise ValueError("add() takes an Entry")
        with self._transaction() as db:
            cur = db.execute(
                f"INSERT INTO entries ({', '.join(self._COLUMNS)}) VALUES ({', '.join('?' * 9)})",
                self._row(entry),
            )
        return cur.lastrowid

    def add_many(self, entries: Iterable[Entry]) -> int:
        rows = [self._row(e) for e in entries]
        with self._transaction() as db:
            db.executemany(
                f"INSERT INTO entries ({', '.join(self._COLUMNS)}) VALUES ({', '.join('?' * 9)})",
                rows,
            )
        return len(rows)

    def delete(self, entry_id: int) -> None:
        with self._transaction() as db:
            if db.execute("DELETE FROM entries WHERE id = ?", (entry_id,)).rowcount == 0:
                raise ValueError(f"no diary entry with id {entry_id!r}")

    def delete_all(self) -> int:
        """Remove every entry (the file stays, empty). To remove the file: delete ``path``."""
        with self._transaction() as db:
            count = db.execute("DELETE FROM entries").rowcount
        self._db.execute("VACUUM")
        return count

    # -- reading --------------------------------------------------------------------------
    def entries(self) -> list[Entry]:
        rows = self._db.execute(
            f"SELECT id, {', '.join(self._COLUMNS)} FROM entries ORDER BY recorded_at, id"
        )
        return [
            Entry(**{**dict(r), "recorded_at": datetime.fromisoformat(r["recorded_at"])})
            for r in rows
        ]

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM entries").fetchone()[0]

    # -- CSV ------------------------------------------------------------------------------
    CSV_HEADER = _COLUMNS

    def export_csv(self) -> str:
        """Every entry as CSV text (UTF-8), the header first."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.CSV_HEADER)
        for entry in self.entries():
            writer.writerow(["" if v is None else v for v in self._row(entry)])
        return out.getvalue()

    def import_csv(self, text: str) -> int:
        """Add the entries of a CSV made by :meth:`export_csv`. Every row is checked first: if
        any is bad, nothing is added and the error lists each bad row by its line number."""
        entries, problems = parse_csv(text)
        if problems:
            shown = "; ".join(problems[:20]) + (
                f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
            )
            raise ValueError(f"nothing was imported: {len(problems)} bad row(s): {shown}")
        return self.add_many(entries)


_NUMBERS = {
    "pain": int,
    "activity_minutes": int,
    "plank_seconds": int,
    "water_glasses": float,
    "ice_sessions": int,
    "heat_sessions": int,
}


def parse_csv(text: str) -> tuple[list[Entry], list[str]]:
    """Entries from CSV text, and a message for each bad line ("line 4: pain must be ...")."""
    if not isinstance(text, str):
        raise ValueError("CSV must be text")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        return _parse_rows(reader)
    except csv.Error as exc:
        return [], [f"line {reader.line_num}: not valid CSV ({exc})"]


def _parse_rows(reader: csv.DictReader) -> tuple[list[Entry], list[str]]:
    missing = [c for c in ("recorded_at",) if c not in (reader.fieldnames or [])]
    if missing:
        return [], [
            f"line 1: the header needs the column(s) {missing}; expected {list(Diary.CSV_HEADER)}"
        ]
    unknown = sorted(set(reader.fieldnames or []) - set(Diary.CSV_HEADER))
    if unknown:
        return [], [f"line 1: unknown column(s) {unknown}; allowed {list(Diary.CSV_HEADER)}"]
    entries, problems = [], []
    for row in reader:
        line = reader.line_num
        try:
            values: dict = {}
            for key, raw in row.items():
                if key is None:
                    raise ValueError("this row has more cells than the header")
                raw = (raw or "").strip()
                if raw == "":
                    continue
                if key == "recorded_at":
                    try:
                        values[key] = datetime.fromisoformat(raw)
                    except ValueError:
                        raise ValueError(
                            f"recorded_at must be like 2026-11-27T09:00:00+00:00, got {raw!r}"
                        ) from None
                elif key in _NUMBERS:
                    try:
                        values[key] = _NUMBERS[key](raw)
                    except ValueError:
                        raise ValueError(f"{key} must be a number, got {raw!r}") from None
                else:
                    values[key] = raw
            if "recorded_at" not in values:
                raise ValueError("recorded_at is empty")
            entries.append(Entry(**values))
        except ValueError as err:
            problems.append(f"line {line}: {err}")
    return entries, problems


# -- queries (pure: they take entries, so they are easy to test and to chart) -------------------
@dataclass(frozen=True)
class DaySummary:
    day: date
    entries: int
    pain_mean: float | None
    pain_max: int | None
    activity_minutes: int
    best_plank_seconds: int | None
    water_glasses: float
    ice_sessions: int
    heat_sessions: int


def daily_summaries(entries: Iterable[Entry]) -> list[DaySummary]:
    by_day: dict[date, list[Entry]] = {}
    for e in items_of(entries, Entry, "entries"):
        by_day.setdefault(e.recorded_at.date(), []).append(e)
    out = []
    for day, items in sorted(by_day.items()):
        pains = [e.pain for e in items if e.pain is not None]
        planks = [e.plank_seconds for e in items if e.plank_seconds is not None]
        out.append(
            DaySummary(
                day=day,
                entries=len(items),
                pain_mean=round(statistics.mean(pains), 1) if pains else None,
                pain_max=max(pains) if pains else None,
                activity_minutes=sum(e.activity_minutes or 0 for e in items),
                best_plank_seconds=max(planks) if planks else None,
                water_glasses=sum(e.water_glasses or 0 for e in items),
                ice_sessions=sum(e.ice_sessions or 0 for e in items),
                heat_sessions=sum(e.heat_sessions or 0 for e in items),
            )
        )
    return out


@dataclass(frozen=True)
class PainTrend:
    """How pain changed between days. ``first`` and ``latest`` are the average pain of the
    first and last days compared (each day counts once, whatever its number of entries);
    ``days_compared`` is how many days each side holds (0 with under 2 days of scores)."""

    first: float | None
    latest: float | None
    change: float | None
    real_change: bool
    average_last_7_days: float | None
    summary: str
    days_compared: int = 0
    based_on: str = ""


TREND_DAYS = 3


def pain_trend(entries: Iterable[Entry], *, today: date | None = None) -> PainTrend:
    """The change in pain between days, never between two entries of one day: the average of
    the last (up to) 3 days with a score against the first (up to) 3, with no day on both
    sides. A change of 2 points or more is a real change. Also the 7-day average."""
    from backcare_lib import knowledge

    t = knowledge.active().text
    if today is not None and not isinstance(today, date):
        raise ValueError(f"today must be a date, got {today!r}")
    days = [d for d in daily_summaries(entries) if d.pain_mean is not None]
    if not days:
        return PainTrend(None, None, None, False, None, t("diary.trend.none"))
    today = today or days[-1].day
    scored = [e for e in items_of(entries, Entry, "entries") if e.pain is not None]
    week = [e.pain for e in scored if today - timedelta(days=6) <= e.recorded_at.date() <= today]
    average = round(statistics.mean(week), 1) if week else None
    if len(days) == 1:
        pain = round(days[0].pain_mean)
        text = t(
            "diary.trend.one_day",
            day=knowledge.active().date(days[0].day),
            pain=_num(days[0].pain_mean),
            band=t(f"pain.{pain_category(pain)}"),
        )
        return PainTrend(days[0].pain_mean, days[0].pain_mean, None, False, average, text)
    count = min(TREND_DAYS, len(days) // 2)
    early, late = days[:count], days[-count:]
    first = round(statistics.mean(d.pain_mean for d in early), 1)
    latest = round(statistics.mean(d.pain_mean for d in late), 1)
    change = round(latest - first, 1)
    real = abs(change) >= MEANINGFUL_CHANGE
    values = {"first": _num(first), "last": _num(latest)}
    if change == 0:
        text = t("diary.trend.same", last=values["last"])
    elif real:
        text = t("diary.trend.down_real" if change < 0 else "diary.trend.up_real", **values)
    else:
        text = t("diary.trend.small", **values)
    based_on = t("diary.trend.based_on", first_span=_span(early), last_span=_span(late))
    return PainTrend(first, latest, change, real, average, f"{text} {based_on}", count, based_on)


def _num(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _span(days: list[DaySummary]) -> str:
    from backcare_lib import knowledge

    kb = knowledge.active()
    if len(days) == 1:
        return kb.text("diary.trend.one_day_span", day=kb.date(days[0].day))
    return kb.text(
        "diary.trend.days_span",
        count=len(days),
        start=kb.date(days[0].day, "day_month"),
        end=kb.date(days[-1].day, "day_month"),
    )


def best_plank_over_time(entries: Iterable[Entry]) -> list[tuple[date, int]]:
    """The best plank hold so far, day by day."""
    best, out = 0, []
    for day in daily_summaries(entries):
        if day.best_plank_seconds is not None:
            best = max(best, day.best_plank_seconds)
            out.append((day.day, best))
    return out


def activity_summary(entries: Iterable[Entry]) -> str:
    """One sentence on the days with activity (the texts ``diary.active*``)."""
    from backcare_lib import knowledge

    t = knowledge.active().text
    days = daily_summaries(entries)
    active = [d for d in days if d.activity_minutes]
    if not active:
        return t("diary.active_none")
    return t(
        "diary.active",
        active=len(active),
        days=len(days),
        total=sum(d.activity_minutes for d in active),
        longest=max(d.activity_minutes for d in active),
    )


class DiaryStore:
    """The learner's diary as the lessons use it: the file is opened only when there is one,
    and made only when the first entry is saved, so reading a lesson writes nothing. Every
    widget of one kernel shares one store per file (:func:`shared_store`); ``subscribe``
    tells them when the entries change."""

    def __init__(self, path: Path | str | None = None, *, diary: Diary | None = None) -> None:
        if diary is not None and not isinstance(diary, Diary):
            raise ValueError("diary must be a Diary")
        self._diary = diary
        self.path = diary.path if diary is not None else _diary_path(path)
        self._listeners: list = []

    @property
    def exists(self) -> bool:
        return self._diary is not None or self.path.exists()

    def _open(self, *, create: bool) -> Diary | None:
        if self._diary is None and (create or self.path.exists()):
            self._diary = Diary(self.path)
        return self._diary

    def entries(self) -> list[Entry]:
        diary = self._open(create=False)
        return diary.entries() if diary is not None else []

    def __len__(self) -> int:
        diary = self._open(create=False)
        return len(diary) if diary is not None else 0

    def add(self, entry: Entry) -> int:
        if not isinstance(entry, Entry):
            raise ValueError("add() takes an Entry")
        new_id = self._open(create=True).add(entry)
        self._changed()
        return new_id

    def export_csv(self) -> str:
        diary = self._open(create=False)
        if diary is None:
            return ",".join(Diary.CSV_HEADER) + "\n"
        return diary.export_csv()

    def delete(self) -> bool:
        """Delete the diary file (and SQLite's -wal and -shm files beside it). True if there
        was a diary to delete."""
        existed = self.exists
        if self._diary is not None:
            self._diary.close()
            self._diary = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        if existed:
            self._changed()
        return existed

    def subscribe(self, callback) -> None:
        if not callable(callback):
            raise ValueError("callback must be callable")
        self._listeners.append(callback)

    def _changed(self) -> None:
        for callback in list(self._listeners):
            callback()


def _diary_path(path: object) -> Path:
    if path is None:
        return default_path()
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise ValueError(f"path must be a file name, got {path!r}")
    return Path(path).expanduser()


_STORES: dict[Path, DiaryStore] = {}


def shared_store(path: Path | str | None = None) -> DiaryStore:
    """One store per diary file in this process, so the lesson's cells (each run on its own
    or all together) show the same diary."""
    key = _diary_path(path).resolve()
    if key not in _STORES:
        _STORES[key] = DiaryStore(key)
    return _STORES[key]
