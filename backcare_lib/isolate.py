"""Run one heavy call in a short-lived child process and take back only its result.

A dashboard visitor's kernel lives for the whole consult. Drawing a chart loads matplotlib
(about 45 MB) and making a PDF loads WeasyPrint (about 40 MB); once imported they stay in
the kernel until it ends. ``call`` forks the kernel, runs the function in the child (which
shares the parent's memory until it writes, so nothing is imported or loaded twice up to
that point), sends the result back through a pipe and exits: the libraries and every large
object the call made go away with the child. The cost is the import in each child
(measured by ``benchmarks/steps.py``).

Where ``os.fork`` does not exist (Windows) the call simply runs in this process.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Set by the dashboard (a long-lived kernel per visitor); scripts and tests leave it off.
enabled = False


def heavy(func: Callable[..., T], *args, **kwargs) -> T:
    """``func(*args, **kwargs)``: in a forked child when ``enabled``, else right here."""
    return call(func, *args, **kwargs) if enabled else func(*args, **kwargs)


def call(func: Callable[..., T], *args, **kwargs) -> T:
    """``func(*args, **kwargs)`` in a forked child; its exception is raised here."""
    if not hasattr(os, "fork"):
        return func(*args, **kwargs)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running any exit handler
        status = 0
        try:
            os.close(read_end)
            try:
                payload = pickle.dumps((True, func(*args, **kwargs)))
            except BaseException as err:  # noqa: BLE001 - every failure goes to the parent
                try:
                    payload = pickle.dumps((False, err))
                except Exception:
                    payload = pickle.dumps((False, RuntimeError(f"{type(err).__name__}: {err}")))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        except BaseException:  # noqa: BLE001
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        raise RuntimeError(f"the child process for {func.__qualname__} ended with status {status}")
    ok, value = pickle.loads(payload)
    if not ok:
        raise value
    return value
