"""A Voila visitor at the protocol level, without a browser.

It does what Voila's page does in Chromium, message for message:

1. ``GET`` the page (Voila runs the notebook while it streams the HTML) and the scripts and
   style sheets the HTML names; read the kernel id from ``jupyter-config-data``;
2. open the kernel websocket (``/api/kernels/<id>/channels``);
3. open a ``jupyter.widget.control`` comm and send ``request_states``: the reply
   (``update_states``) holds every widget's state, which is when a browser can draw them;
4. send the comm messages a browser sends when a person uses a widget: ``update`` with the
   new state (a ticked box, typed text, a chosen option's ``index``) or ``custom`` with
   ``{"event": "click"}`` for a button; each is done when the kernel's status returns to
   ``idle`` for that message (every widget update it caused arrives before that);
5. on leaving, ``POST /voila/api/shutdown/<kernel id>`` as the page's ``beforeunload`` does.

Widgets are found by what the page exposes (CSS classes, descriptions, option labels), never
by their position among siblings, so the walk survives changes to the layout.

Synchronous on purpose (requests + websocket-client): under Locust, gevent makes it
cooperative, and a test can call it directly.
"""

from __future__ import annotations

import html
import json
import re
import struct
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlparse

import requests
import websocket

CONFIG_RE = re.compile(
    r'<script id="jupyter-config-data" type="application/json">\s*(.*?)\s*</script>', re.S
)
ASSET_RE = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"')
MODEL_REF = "IPY_MODEL_"


class VisitorError(RuntimeError):
    """The page, the kernel or a widget did not do what a browser would have seen it do."""


@dataclass
class Widget:
    model_id: str
    model_name: str
    state: dict

    @property
    def classes(self) -> list[str]:
        return self.state.get("_dom_classes", [])

    @property
    def description(self) -> str:
        return self.state.get("description", "") or ""

    @property
    def options(self) -> list[str]:
        return list(self.state.get("_options_labels", []))

    @property
    def children(self) -> list[str]:
        kids = self.state.get("children", [])
        return [k[len(MODEL_REF) :] for k in kids if isinstance(k, str)]


@dataclass
class Visitor:
    """One simulated person. ``timings`` maps each step's name to seconds."""

    base_url: str
    path: str = ""
    timeout: float = 120.0
    fetch_assets: bool = True
    http: requests.Session = field(default_factory=requests.Session)
    timings: dict[str, float] = field(default_factory=dict)
    widgets: dict[str, Widget] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    kernel_id: str | None = None
    root_ids: list[str] = field(default_factory=list)
    _ws: websocket.WebSocket | None = None
    _session: str = field(default_factory=lambda: uuid.uuid4().hex)

    # -- page and kernel ------------------------------------------------------------------
    def open_page(self, query: str = "") -> None:
        """GET the page and its assets; Voila starts a kernel and runs the notebook."""
        url = urljoin(self.base_url, self.path) + (f"?{query}" if query else "")
        response = self.http.get(url, timeout=self.timeout)
        if response.status_code != 200:
            raise VisitorError(f"GET {url}: HTTP {response.status_code}")
        page = response.text
        found = CONFIG_RE.search(page)
        if not found:
            raise VisitorError("the page has no jupyter-config-data (no kernel)")
        self.kernel_id = json.loads(found.group(1))["kernelId"]
        self.root_ids = re.findall(r"model_id(?:\\)?\"?:\s*(?:\\)?\"([0-9a-f]{32})", page)
        if "application/vnd.jupyter.stderr" in page or "Traceback" in page:
            self.errors.append("the page shows an error output")
        if self.fetch_assets:
            for asset in dict.fromkeys(ASSET_RE.findall(page)):
                target = urljoin(url, html.unescape(asset))
                if urlparse(target).netloc == urlparse(url).netloc:
                    self.http.get(target, timeout=self.timeout)

    def connect(self) -> None:
        base = urlparse(self.base_url)
        scheme = "wss" if base.scheme == "https" else "ws"
        url = (
            f"{scheme}://{base.netloc}{base.path.rstrip('/')}/api/kernels/{self.kernel_id}"
            f"/channels?session_id={self._session}"
        )
        cookies = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        self._ws = websocket.create_connection(
            url, timeout=self.timeout, header=[f"Cookie: {cookies}"] if cookies else []
        )

    def load_widgets(self) -> None:
        """The control comm, as Voila's widget manager opens it (``_loadFromKernel``)."""
        comm_id = uuid.uuid4().hex
        self._send(
            "comm_open",
            {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": "1.0.0"},
        )
        msg_id = self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        states = None
        for msg in self._messages(until_idle=msg_id):
            data = msg["content"].get("data", {})
            if msg["msg_type"] == "comm_msg" and data.get("method") == "update_states":
                states = data["states"]
        if states is None:
            raise VisitorError("the kernel sent no widget state")
        for model_id, entry in states.items():
            self.widgets[model_id] = Widget(model_id, entry["model_name"], entry["state"])
        missing = [m for m in self.root_ids if m not in self.widgets]
        if missing:
            raise VisitorError(f"the page shows widgets the kernel does not have: {missing}")
        self._send("comm_close", {"comm_id": comm_id, "data": {}})

    def leave(self) -> None:
        """Close the tab: the page's ``beforeunload`` asks Voila to shut the kernel down."""
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        if self.kernel_id:
            # Voila's notebook page sets no _xsrf cookie, so its beforeunload shutdown is
            # refused (403) unless one exists; the kit's template sets a random one, as here.
            xsrf = self.http.cookies.get("_xsrf") or uuid.uuid4().hex
            self.http.cookies.set("_xsrf", xsrf, domain=urlparse(self.base_url).hostname, path="/")
            self.http.post(
                urljoin(self.base_url, f"voila/api/shutdown/{self.kernel_id}"),
                data={"_xsrf": xsrf},
                timeout=self.timeout,
            )

    # -- using widgets --------------------------------------------------------------------
    def set(self, widget: Widget, **state) -> None:
        """Change a widget as a person would (the browser sends an ``update``)."""
        widget.state.update(state)
        self._act(widget, {"method": "update", "state": state, "buffer_paths": []})

    def click(self, widget: Widget) -> None:
        self._act(widget, {"method": "custom", "content": {"event": "click"}})

    def choose(self, widget: Widget, label: str) -> None:
        """Pick an option by its visible label (selection widgets sync ``index``)."""
        labels = widget.options
        if label not in labels:
            raise VisitorError(f"{widget.description!r} has no option {label!r}: {labels}")
        self.set(widget, index=labels.index(label))

    def _act(self, widget: Widget, data: dict) -> None:
        msg_id = self._send("comm_msg", {"comm_id": widget.model_id, "data": data})
        for _ in self._messages(until_idle=msg_id):
            pass

    # -- finding widgets ------------------------------------------------------------------
    def find_all(
        self,
        *,
        model: str | None = None,
        cls: str | None = None,
        description: str | Callable[[str], bool] | None = None,
        within: Widget | None = None,
        visible_only: bool = False,
    ) -> list[Widget]:
        if within is not None:
            pool = self.subtree(within, visible_only=visible_only)
        else:
            pool = self.shown() if visible_only else list(self.widgets.values())
        out = []
        for wgt in pool:
            if model and wgt.model_name != model:
                continue
            if cls and cls not in wgt.classes:
                continue
            if description is not None:
                matches = (
                    description(wgt.description)
                    if callable(description)
                    else wgt.description == description
                )
                if not matches:
                    continue
            out.append(wgt)
        return out

    def find(self, **query) -> Widget:
        found = self.find_all(**query)
        if len(found) != 1:
            raise VisitorError(f"expected one widget for {query}, found {len(found)}")
        return found[0]

    def subtree(self, top: Widget, *, visible_only: bool = True) -> list[Widget]:
        """``top`` and everything inside it; with ``visible_only``, a Stack or Tab shows
        only its selected child (what the person sees)."""
        out: list[Widget] = []

        def walk(wgt: Widget) -> None:
            out.append(wgt)
            kids = wgt.children
            if visible_only and wgt.model_name in {"StackModel", "TabModel", "AccordionModel"}:
                index = wgt.state.get("selected_index")
                kids = [kids[index]] if index is not None and index < len(kids) else []
            for kid in kids:
                if kid in self.widgets:
                    walk(self.widgets[kid])

        walk(top)
        return out

    def shown(self) -> list[Widget]:
        out: list[Widget] = []
        for root in self.root_ids:
            if root in self.widgets:
                out.extend(self.subtree(self.widgets[root]))
        return out

    def visible_text(self, top: Widget | None = None) -> str:
        """The text a person sees (HTML and labels, tags removed), in page order."""
        pool = self.subtree(top) if top else self.shown()
        parts = []
        for wgt in pool:
            if wgt.model_name in {"HTMLModel", "LabelModel", "HTMLMathModel"}:
                parts.append(strip_tags(wgt.state.get("value", "")))
        return " ".join(p for p in parts if p)

    # -- wire format ----------------------------------------------------------------------
    def _send(self, msg_type: str, content: dict, *, metadata: dict | None = None) -> str:
        if self._ws is None:
            raise VisitorError("not connected to the kernel")
        msg_id = uuid.uuid4().hex
        msg = {
            "header": {
                "msg_id": msg_id,
                "msg_type": msg_type,
                "username": "visitor",
                "session": self._session,
                "date": datetime.now(timezone.utc).isoformat(),
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "buffers": [],
            "channel": "shell",
        }
        self._ws.send(json.dumps(msg))
        return msg_id

    def _messages(self, *, until_idle: str) -> Iterator[dict]:
        """Kernel messages until the kernel is idle again after ``until_idle``; widget
        updates are applied on the way, as the browser's widget manager applies them."""
        deadline = time.monotonic() + self.timeout
        while True:
            if time.monotonic() > deadline:
                raise VisitorError(f"no reply from the kernel within {self.timeout:.0f} s")
            try:
                frame = self._ws.recv()
            except websocket.WebSocketTimeoutException as err:
                raise VisitorError("no reply from the kernel (websocket timed out)") from err
            except websocket.WebSocketConnectionClosedException as err:
                raise VisitorError("the server closed the kernel websocket") from err
            msg = decode(frame)
            msg_type = msg.get("msg_type") or msg["header"]["msg_type"]
            msg["msg_type"] = msg_type
            parent = msg.get("parent_header", {}).get("msg_id")
            content = msg.get("content", {})
            if msg_type == "status" and content.get("execution_state") in {"dead", "restarting"}:
                raise VisitorError(f"the kernel is {content['execution_state']}")
            if msg_type == "error":
                self.errors.append(f"{content.get('ename')}: {content.get('evalue')}")
            self._apply(msg_type, content)
            yield msg
            if (
                msg_type == "status"
                and parent == until_idle
                and content.get("execution_state") == "idle"
            ):
                return

    def _apply(self, msg_type: str, content: dict) -> None:
        data = content.get("data", {})
        if msg_type == "comm_open" and content.get("target_name") == "jupyter.widget":
            state = data.get("state", {})
            self.widgets[content["comm_id"]] = Widget(
                content["comm_id"], state.get("_model_name", ""), state
            )
        elif msg_type == "comm_msg" and data.get("method") in {"update", "echo_update"}:
            wgt = self.widgets.get(content["comm_id"])
            if wgt is not None:
                wgt.state.update(data.get("state", {}))
        elif msg_type == "comm_close":
            self.widgets.pop(content.get("comm_id"), None)


def decode(frame: str | bytes) -> dict:
    """A kernel message from the websocket: JSON text, or jupyter_server's binary framing
    (a count of buffers, their offsets, then the JSON message and the buffers)."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = struct.unpack("!I", frame[:4])[0]
    offsets = list(struct.unpack(f"!{count}I", frame[4 : 4 * (count + 1)])) + [len(frame)]
    msg = json.loads(frame[offsets[0] : offsets[1]].decode("utf-8"))
    msg["buffers"] = [frame[offsets[i] : offsets[i + 1]] for i in range(1, count)]
    return msg


def strip_tags(markup: str) -> str:
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()
