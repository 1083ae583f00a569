"""The pieces of JupyterHub that `make hub` adds for the BackCare Kit (loaded by
``jupyterhub_config.py`` in this folder).

JupyterHub runs one authenticator per hub, and the kit needs two ways in:

- **anonymous visitors** (the consult dashboard): ``jupyterhub-tmpauthenticator``'s own
  ``/hub/tmplogin`` handler gives everyone who opens ``/`` a fresh account (``visitor-…``) and
  starts a server for them, with no page to fill in;
- **learners** (the lessons in JupyterLab): a named login form at ``/hub/learner-login`` that
  hands the name and password to a second, ordinary form-based authenticator (the hub's own
  ``SharedPasswordAuthenticator`` here, for local testing; your organisation's in production,
  e.g. PAM or LDAP).

``BackCareAuthenticator`` is ``TmpAuthenticator`` with that second route added: one
authenticator, two login handlers, each account marked by its name (``visitor-`` names can
only come from the anonymous route).

``BackCareSpawner`` is JupyterHub's ``SimpleLocalProcessSpawner`` (no system account per user)
that never runs a server as root: when the hub is root it drops every server to one
unprivileged account (``nobody``) with a home folder of its own under the hub's state folder.
It stands in for KubeSpawner (one container per user) on a single machine.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from jupyterhub.auth import Authenticator
from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
from jupyterhub.handlers.login import LoginHandler
from jupyterhub.spawner import SimpleLocalProcessSpawner
from jupyterhub.utils import url_path_join
from tmpauthenticator import TmpAuthenticator
from tornado.escape import url_escape
from traitlets import Instance, Type, Unicode, default

VISITOR_PREFIX = "visitor-"
LEARNER_LOGIN_PATH = "learner-login"


def is_visitor(name: str) -> bool:
    return name.startswith(VISITOR_PREFIX)


class LearnerLoginHandler(LoginHandler):
    """``/hub/learner-login``: the named login form, shown even though the hub logs anonymous
    visitors in automatically (``auto_login``), and posting back to itself."""

    def _learner_url(self) -> str:
        return url_path_join(self.hub.base_url, LEARNER_LOGIN_PATH)

    async def _render(self, login_error=None, username=None, **kwargs):
        next_url = self.get_argument("next", default="")
        action = self._learner_url() + (f"?next={url_escape(next_url)}" if next_url else "")
        return await self.render_template(
            "learner_login.html",
            **{
                **kwargs,
                "username": username,
                "login_error": login_error,
                "authenticator_login_url": action,
                "login_service": None,  # show the form, not "Sign in with ..."
                "custom_html": "",
                "authenticator": self.authenticator.learner_authenticator,
                "xsrf": self.xsrf_token.decode("ascii"),
            },
        )

    async def get(self):
        user = self.current_user
        if user and not is_visitor(user.name):
            self.redirect(self.get_next_url(user))
            return
        # A visitor who wants to sign in as a learner: the login below replaces their cookie.
        self.finish(await self._render(username=self.get_argument("username", default="")))


class BackCareAuthenticator(TmpAuthenticator):
    """Anonymous visitors through tmpauthenticator, learners through a named login form."""

    learner_authenticator_class = Type(
        SharedPasswordAuthenticator,
        klass=Authenticator,
        help="""A form-based authenticator (name and password) that checks learners:
        SharedPasswordAuthenticator for local testing; your organisation's (e.g. PAM, LDAP)
        in production.""",
    ).tag(config=True)

    learner_authenticator = Instance(Authenticator)

    @default("learner_authenticator")
    def _default_learner_authenticator(self):
        return self.learner_authenticator_class(parent=self, log=self.log)

    @default("allow_all")
    def _default_allow_all(self):
        # Anyone may visit the dashboard; learners are checked by learner_authenticator
        # (including its own allowed_users, if set).
        return True

    def get_handlers(self, app):
        return [*super().get_handlers(app), (f"/{LEARNER_LOGIN_PATH}", LearnerLoginHandler)]

    async def authenticate(self, handler, data):
        if isinstance(handler, LearnerLoginHandler):
            name = (data or {}).get("username", "")
            if not name or is_visitor(name.lower()):
                return None
            # The inner authenticator's whole check: normalise, validate, password, allowed.
            return await self.learner_authenticator.get_authenticated_user(handler, data)
        return {"name": f"{VISITOR_PREFIX}{uuid.uuid4().hex[:12]}"}


_usable_accounts: dict[str, tuple[int, int] | None] = {}


def _can_run_python(account: str) -> tuple[int, int] | None:
    """(uid, gid) of ``account`` if it can start this Python, else None."""
    try:
        entry = pwd.getpwnam(account)
    except KeyError:
        return None
    if entry.pw_uid == 0:
        raise ValueError("BackCareSpawner.run_as must not be root")

    def drop():
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import jupyterhub"],
            preexec_fn=drop,
            capture_output=True,
            timeout=30,
            cwd="/",
        )
    except OSError:
        return None
    return (entry.pw_uid, entry.pw_gid) if probe.returncode == 0 else None


def check_account(account: str) -> tuple[int, int] | None:
    """Probe ``account`` once (BackCareSpawner uses the answer)."""
    if account not in _usable_accounts:
        _usable_accounts[account] = _can_run_python(account)
    return _usable_accounts[account]


class BackCareSpawner(SimpleLocalProcessSpawner):
    """A local process per user, never as root; a throw-away home for each visitor."""

    run_as = Unicode(
        "nobody",
        help="""System account the servers run as when the hub runs as root (all users share
        it: a stand-in for one container per user). Not used when the hub is not root (the
        servers then run as the hub's own account), nor when that account cannot run the
        hub's Python (then the servers run as root, with a warning in the log).""",
    ).tag(config=True)

    def _account(self) -> tuple[int, int] | None:
        """(uid, gid) to drop to, or None to stay the hub's own user."""
        if os.getuid() != 0:
            return None
        return check_account(self.run_as)

    def get_args(self):
        args = super().get_args()
        if os.getuid() == 0 and self._account() is None:
            args.append("--allow-root")
        return args

    def make_preexec_fn(self, name):
        home = self.home_dir
        account = self._account()

        def preexec():
            os.makedirs(home, 0o700, exist_ok=True)
            if account is not None:
                uid, gid = account
                os.chown(home, uid, gid)
                os.setgroups([])
                os.setgid(gid)
                os.setuid(uid)
            os.chdir(home)

        return preexec

    def user_env(self, env):
        env = super().user_env(env)
        if self._account() is not None:
            env["USER"] = self.run_as
        return env

    def remove_visitor_home(self) -> None:
        """A visitor's home holds nothing worth keeping (the dashboard writes no file); it goes
        when their server stops, so nothing of theirs stays on disk."""
        if is_visitor(self.user.name):
            shutil.rmtree(Path(self.home_dir), ignore_errors=True)
