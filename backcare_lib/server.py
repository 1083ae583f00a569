"""Server-side settings for hosting the dashboard: a ceiling on kernels.

Every visitor of the dashboard gets a kernel (a Python process). With no limit, a burst of
visitors starts kernels until the machine runs out of memory and every visit fails. Voila
uses this kernel manager (``voila.json``: ``VoilaConfiguration.multi_kernel_manager_class``);
beyond ``CappedKernelManager.max_kernels`` running kernels (preheated ones included) a new
visitor gets the template's friendly "busy" page (HTTP 503, ``503.html``) instead, and can
try again a little later. A kernel that dies is not left restarted and empty behind a page
that looks alive: it is shut down, and the page shows "This page has stopped" (template).
``docs/deployment.md`` says how the ceiling was sized.

Only Voila (or a Jupyter server) imports this module; nothing else in the kit needs it.
"""

from __future__ import annotations

import asyncio
import functools

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer


class CappedKernelManager(AsyncMappingKernelManager):
    """A kernel manager that refuses new kernels beyond a ceiling."""

    max_kernels = Integer(
        0,
        config=True,
        help="Most kernels running at once (0: no ceiling). A page request beyond it gets the "
        "template's 503 page.",
    )

    async def start_kernel(self, *args, kernel_id: str | None = None, **kwargs) -> str:
        running = len(self.list_kernel_ids())
        if kernel_id is None and self.max_kernels and running >= self.max_kernels:
            self.log.warning(
                "Kernel ceiling reached: %d kernels running (max_kernels=%d); visitor turned away",
                running,
                self.max_kernels,
            )
            raise web.HTTPError(503, "kernel ceiling reached", reason="Busy")
        kernel_id = await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
        self.get_kernel(kernel_id).add_restart_callback(
            functools.partial(self._restarted, kernel_id), "restart"
        )
        return kernel_id

    def _restarted(self, kernel_id: str) -> None:
        """A kernel that died is restarted empty (the notebook is not run again), so its page
        can no longer work: end it, and the page shows its "start again" message."""
        self.log.warning("Kernel %s died; its page cannot go on: shutting it down", kernel_id)
        asyncio.ensure_future(self.shutdown_kernel(kernel_id))
