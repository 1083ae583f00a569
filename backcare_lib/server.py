"""Server-side settings for hosting the dashboard: a ceiling on kernels.

Every visitor of the dashboard gets a kernel (a Python process). With no limit, a burst of
visitors starts kernels until the machine runs out of memory and every visit fails. Voila
uses this kernel manager (``voila.json``: ``VoilaConfiguration.multi_kernel_manager_class``);
beyond ``CappedKernelManager.max_kernels`` running kernels (preheated ones included) a new
visitor gets the template's friendly "busy" page (HTTP 503, ``503.html``) instead, and can
try again a little later. ``docs/deployment.md`` says how the ceiling was sized.

Two more kernel settings in ``voila.json`` keep a visit from freezing:
``KernelRestarter.restart_limit`` 0 (a kernel that dies is not restarted empty behind a page that
looks alive: it is ended, and the page shows "This page has stopped", template
``kernel_lost.html.j2``) and ``KernelManager.transport`` "ipc" (kernels talk to the server over
Unix sockets, so kernels starting at the same moment never race for a TCP port).

Only Voila (or a Jupyter server) imports this module; nothing else in the kit needs it.
"""

from __future__ import annotations

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
        return await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
