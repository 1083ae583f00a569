"""What the page's address asks for (``?lang=es&region=uk``), also with preheated kernels.

With Voila's preheated kernels (``preheat_kernel``/``pool_size``) a kernel runs the notebook
before anyone asks for the page, so the request's query string is not known yet. Voila's
helper ``voila.utils.get_query_string()`` waits, in that case only, until the kernel is handed
to a visitor and the request's details arrive; without preheating it returns at once. The
dashboard notebook therefore builds everything it can first and reads the address last.

Without a choice in the address, the server's default applies: the ``BACKCARE_LANG`` and
``BACKCARE_REGION`` environment variables of the Voila server (``server_default``).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

# What the address may choose, with the kit's defaults (knowledge.load's fixed interface).
CHOICES = {"lang": ("en", "es"), "region": ("intl", "us", "uk")}


def server_default() -> tuple[str, str]:
    """The server's default language and region, from its configuration (environment); a value
    the kit does not have falls back to English for an international reader."""
    lang = (os.environ.get("BACKCARE_LANG") or "").strip().lower()
    region = (os.environ.get("BACKCARE_REGION") or "").strip().lower()
    return (
        lang if lang in CHOICES["lang"] else "en",
        region if region in CHOICES["region"] else "intl",
    )


def query_string() -> str:
    """The page request's query string; waits for it in a preheated kernel. Outside Voila
    (JupyterLab, a script, a test) there is none."""
    if "VOILA_KERNEL_ID" not in os.environ and "QUERY_STRING" not in os.environ:
        return ""
    # Voila puts the request into the kernel's environment unless the kernel is preheated
    # (VOILA_PREHEAT=True). Only then is its helper needed: importing voila.utils loads the
    # whole Voila server (about 2.5 CPU seconds), which every plain page load would pay.
    if os.environ.get("VOILA_PREHEAT", "False") != "True":
        return os.environ.get("QUERY_STRING", "")
    try:
        from voila.utils import get_query_string
    except ImportError:
        return os.environ.get("QUERY_STRING", "")
    return get_query_string() or ""


def choices(query: str | None = None) -> dict[str, str]:
    """``lang`` and ``region`` asked for in the address, each only if it is one the kit has;
    anything else in the address is ignored (never an error: a visitor typed it)."""
    params = parse_qs(query_string() if query is None else query)
    out = {}
    for key, allowed in CHOICES.items():
        values = params.get(key)
        if values and values[-1].lower() in allowed:
            out[key] = values[-1].lower()
    return out
