"""Server-side settings for hosting the dashboard: a ceiling on kernels.

Every visitor of the dashboard gets a kernel (a Python process). With no limit, a burst of
visitors starts kernels until the machine runs out of memory and every visit fails. Voila
uses this kernel manager (``voila.json``: ``VoilaConfiguration.multi_kernel_manager_class``);
beyond ``CappedKernelManager.max_kernels`` running kernels (preheated ones included) a new
visitor gets the template's friendly "busy" page (HTTP 503, ``503.html``) instead, and can
try again a little later. ``docs/deployment.md`` says how the ceiling was sized.

Two more things keep a visit from freezing. ``voila.json`` sets
``KernelRestarter.restart_limit`` to 0: a kernel that dies is not restarted empty behind a page
that looks alive; it is ended, and the page shows "This page has stopped" (template
``kernel_lost.html.j2``). And each kernel talks to the server over Unix sockets
(:class:`UnixSocketKernelManager`), not TCP ports: with TCP, the server picks a free port and
the kernel binds it a moment later, so when many visitors arrive at once another connection can
take the port first; the kernel then dies at start ("Address already in use").

Only Voila (or a Jupyter server) imports this module; nothing else in the kit needs it.
"""

from __future__ import annotations

import os

import zmq
from jupyter_server.services.kernels.kernelmanager import (
    AsyncMappingKernelManager,
    ServerKernelManager,
)
from tornado import web
from traitlets import Integer, default

# The longest socket name the kernel makes: the connection file's name plus "-ipc-N".
IPC_SUFFIX = "-ipc-99"
IPC_PATH_MAX = getattr(zmq, "IPC_PATH_MAX_LEN", 0)


def unix_sockets_fit(connection_file: str) -> bool:
    """Whether a kernel with this connection file can use Unix sockets: they exist on this
    system (not Windows) and the socket names beside the file are short enough (107 bytes on
    Linux, 103 on macOS, whose long temporary folders can exceed it)."""
    path = os.path.splitext(os.path.abspath(connection_file))[0] + IPC_SUFFIX
    return os.name == "posix" and 0 < len(os.fsencode(path)) <= IPC_PATH_MAX


class UnixSocketKernelManager(ServerKernelManager):
    """A kernel that talks to the server over Unix sockets beside its connection file (in
    Voila's private temporary folder), or over TCP where they cannot be had."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc" if self.connection_file and unix_sockets_fit(self.connection_file) else "tcp"


class CappedKernelManager(AsyncMappingKernelManager):
    """A kernel manager that refuses new kernels beyond a ceiling, and starts kernels that
    talk over Unix sockets."""

    max_kernels = Integer(
        0,
        config=True,
        help="Most kernels running at once (0: no ceiling). A page request beyond it gets the "
        "template's 503 page.",
    )

    @default("kernel_manager_class")
    def _default_kernel_manager_class(self) -> str:
        return f"{__name__}.UnixSocketKernelManager"

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
