"""Locust users for the dashboard and the trivial notebook (protocol level, no browser).

Each user is one visitor who walks once and leaves (a consult is one walk; a returning
person is a new visitor with a new kernel). Every step is reported to Locust as a request
named after the step, so Locust's own statistics and web UI work as usual:

    .venv/bin/locust -f benchmarks/locustfile.py --host http://127.0.0.1:8866/ ConsultVisitor

``benchmarks/capacity.py`` (``make bench``) drives the same users as a library.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gevent
from locust import User, constant, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))

from consult import Walk, walk_consult, walk_trivial  # noqa: E402


class _Visitor(User):
    abstract = True
    wait_time = constant(0)
    kind = ""

    def walk(self, on_step) -> Walk:
        raise NotImplementedError

    def _report(self, name: str, seconds: float, error: Exception | None) -> None:
        self.environment.events.request.fire(
            request_type=self.kind,
            name=name,
            response_time=seconds * 1000,
            response_length=0,
            exception=error,
            context={},
        )

    @task
    def visit(self) -> None:
        walks = getattr(self.environment, "walks", None)
        try:
            result = self.walk(self._report)
        except Exception as err:  # reported by _report already; keep the failed walk too
            result = Walk(errors=[f"{type(err).__name__}: {err}"])
        if walks is not None:
            walks.append(result)
            # One walk per visitor. Stay (idle) rather than stop: while Locust is still spawning
            # at a slow rate it replaces a stopped user, which would add visitors.
            while True:
                gevent.sleep(3600)
        raise StopUser()


class ConsultVisitor(_Visitor):
    """The clinician's consult: six steps, the safety check, the form, the three files."""

    kind = "consult"

    def walk(self, on_step) -> Walk:
        return walk_consult(self.host, on_step=on_step)


class TrivialVisitor(_Visitor):
    """The baseline: open the one-button notebook and press the button."""

    kind = "trivial"

    def walk(self, on_step) -> Walk:
        return walk_trivial(self.host, on_step=on_step)
