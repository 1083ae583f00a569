# JupyterHub for the BackCare Kit on one machine: `make hub PORT=8000`.
#
#   http://127.0.0.1:8000/                      anonymous visitor -> the consult dashboard
#   http://127.0.0.1:8000/hub/learner-login     named learner -> JupyterLab on the lessons
#   http://127.0.0.1:8000/hub/health            health check (200 when the hub answers)
#
# Settings come from the environment (the Makefile and the tests set them):
#   BACKCARE_HUB_PORT              public port on 127.0.0.1 (8000)
#   BACKCARE_HUB_STATE             folder for the hub's database, secrets, homes (.hub/ here)
#   BACKCARE_HUB_LEARNER_PASSWORD  learners' shared password (made up and printed if unset)
#   BACKCARE_HUB_CULL_TIMEOUT      seconds a server may sit idle before it is stopped (900)
#   BACKCARE_HUB_ACTIVE_LIMIT      servers running at once; more get a "busy" page (30)
#   BACKCARE_HUB_SPAWN_LIMIT       servers starting at once; more get a "busy" page (4)
#   BACKCARE_HUB_MEM_LIMIT, BACKCARE_HUB_CPU_LIMIT   per-server limits (1G, 1)
#   BACKCARE_HUB_MONITOR_TOKEN     if set, a read-only API token (users, servers, metrics)
#
# Nothing is written into the repository: every file the hub, the proxy and the servers
# write goes under BACKCARE_HUB_STATE (git ignores .hub/).
import os
import secrets
import shutil
import socket
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import backcare_hub  # noqa: E402
import server_settings  # noqa: E402

c = get_config()  # noqa: F821  (provided by JupyterHub)


def env(name, default):
    return os.environ.get(f"BACKCARE_HUB_{name}", default)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_existing(*paths):
    for path in paths:
        if path.exists():
            return path
    raise FileNotFoundError(f"none of {[str(p) for p in paths]} exists")


STATE = Path(env("STATE", ROOT / ".hub")).resolve()
HOMES = STATE / "home"
for folder in (STATE, HOMES):
    folder.mkdir(parents=True, exist_ok=True)
    # The servers run as an unprivileged account: they may pass through these folders to
    # their own home, but not list them. The hub's own files below stay private (0600).
    folder.chmod(0o711)

# The consult dashboard and the lessons, wherever the repository keeps them.
DASHBOARD = first_existing(ROOT / "app" / "dashboard.ipynb", ROOT / "notebooks" / "dashboard.ipynb")
LESSONS = first_existing(ROOT / "lessons", ROOT / "notebooks")
LESSON_COPY = "backcare-lessons"

# -- network: everything on 127.0.0.1 ---------------------------------------------------
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(env("PORT", 8000))
# A busy port is an error (the proxy would otherwise fail quietly while the hub carries on).
with socket.socket() as probe:
    try:
        probe.bind(("127.0.0.1", c.JupyterHub.port))
    except OSError as err:
        sys.exit(
            f"BackCare hub: port {c.JupyterHub.port} on 127.0.0.1 is busy ({err}); "
            "stop what uses it or choose another: make hub PORT=8001"
        )
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = free_port()
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.Spawner.ip = "127.0.0.1"

# -- the hub's own files --------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.template_paths = [str(HERE / "templates")]

# -- who gets in: anonymous visitors and named learners ---------------------------------------
c.JupyterHub.authenticator_class = backcare_hub.BackCareAuthenticator
password_file = STATE / "learner-password"
password = env("LEARNER_PASSWORD", "")
if not password:
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(9))
        password_file.chmod(0o600)
    password = password_file.read_text().strip()
c.SharedPasswordAuthenticator.user_password = password
c.SharedPasswordAuthenticator.allow_all = True
print(
    f"BackCare hub: visitors open http://127.0.0.1:{c.JupyterHub.port}/ ; learners sign in at "
    f"http://127.0.0.1:{c.JupyterHub.port}/hub/learner-login with any name and the password "
    f"{'in $BACKCARE_HUB_LEARNER_PASSWORD' if env('LEARNER_PASSWORD', '') else password}",
    file=sys.stderr,
)

# -- servers: one local process each, never as root ---------------------------------------------
c.JupyterHub.spawner_class = backcare_hub.BackCareSpawner
c.BackCareSpawner.home_dir_template = str(HOMES / "{username}")
c.BackCareSpawner.run_as = RUN_AS = env("RUN_AS", "nobody")
if os.getuid() == 0:
    # Find out now (not during a visitor's spawn) whether RUN_AS can run this Python.
    if backcare_hub.check_account(RUN_AS) is None:
        print(
            f"BackCare hub: WARNING: the account {RUN_AS!r} cannot run {sys.executable} (is "
            "Python under a private folder such as /root?), so the servers run as root. "
            "Install Python where every account can read it, or use KubeSpawner.",
            file=sys.stderr,
        )
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
# Advertised to the server (MEM_LIMIT / CPU_LIMIT): a local process spawner cannot enforce
# them; KubeSpawner and SystemdSpawner do (deploy/z2jh/values.yaml sets the same figures).
c.Spawner.mem_limit = env("MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(env("CPU_LIMIT", 1))

CULL_TIMEOUT = int(env("CULL_TIMEOUT", 900))
# How often a server reports activity and the hub reads the proxy's: often enough that the
# culler sees a visitor who is still clicking.
ACTIVITY_INTERVAL = max(2, min(300, CULL_TIMEOUT // 4))
c.JupyterHub.last_activity_interval = ACTIVITY_INTERVAL

# Settings from voila.json, once for each kind of server.
CONFIG = {
    "visitor": STATE / "config" / "visitor",
    "learner": STATE / "config" / "learner",
}
for kind, folder in CONFIG.items():
    server_settings.write(folder, visitor=kind == "visitor")

SHARED_CACHE = STATE / "cache"


def _shared_cache(spawner):
    """Matplotlib's font cache, built once and shared, not once per visitor's home."""
    SHARED_CACHE.mkdir(exist_ok=True)
    account = spawner._account()
    if account is not None:
        os.chown(SHARED_CACHE, *account)
    return str(SHARED_CACHE)


def pre_spawn_hook(spawner):
    name = spawner.user.name
    environment = {
        "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
        "JUPYTERHUB_ACTIVITY_INTERVAL": str(ACTIVITY_INTERVAL),
        "MPLCONFIGDIR": _shared_cache(spawner),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    if backcare_hub.is_visitor(name):
        environment["JUPYTER_CONFIG_PATH"] = str(CONFIG["visitor"])
        spawner.notebook_dir = str(DASHBOARD.parent)
        spawner.default_url = f"/voila/render/{DASHBOARD.name}"
    else:
        environment["JUPYTER_CONFIG_PATH"] = str(CONFIG["learner"])
        # The learner's own copy of the lessons beside their diary (which lives in their home,
        # ~/.local/share/backcare-kit): their saves never touch the repository.
        home = Path(spawner.home_dir)
        copy = home / LESSON_COPY
        if not copy.exists():
            shutil.copytree(
                LESSONS,
                copy,
                ignore=shutil.ignore_patterns("dashboard.ipynb", ".ipynb_checkpoints"),
            )
            account = spawner._account()
            if account is not None:
                for path in [home, *home.rglob("*")]:
                    os.chown(path, *account)
        spawner.notebook_dir = str(home)
        first = sorted(p.name for p in copy.glob("*.ipynb"))[0]
        spawner.default_url = f"/lab/tree/{LESSON_COPY}/{first}"
    spawner.environment = environment


def post_stop_hook(spawner):
    spawner.remove_visitor_home()


c.Spawner.pre_spawn_hook = pre_spawn_hook
c.Spawner.post_stop_hook = post_stop_hook

# -- a burst of visitors cannot exhaust the machine -----------------------------------------------
# Past either limit a visitor gets templates/error.html's "busy, try again in a minute" page
# (HTTP 429) instead of a server.
c.JupyterHub.concurrent_spawn_limit = int(env("SPAWN_LIMIT", 4))
c.JupyterHub.active_server_limit = int(env("ACTIVE_LIMIT", 30))

# -- idle servers end: jupyterhub-idle-culler ---------------------------------------------------
# --cull-users also removes the visitors' throw-away accounts (and post_stop_hook their homes).
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={max(1, min(60, CULL_TIMEOUT // 4))}",
            "--cull-users=true",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": [
            "list:users",
            "read:users:activity",
            "read:servers",
            "delete:servers",
            "admin:users",  # --cull-users deletes the visitors' accounts
        ],
        "services": ["idle-culler"],
    }
]
monitor_token = env("MONITOR_TOKEN", "")
if monitor_token:
    c.JupyterHub.services.append({"name": "monitor", "api_token": monitor_token})
    c.JupyterHub.load_roles.append(
        {
            "name": "monitor",
            "scopes": ["list:users", "read:users", "read:servers", "read:metrics"],
            "services": ["monitor"],
        }
    )

# A stopped hub stops every server it started.
c.JupyterHub.cleanup_servers = True
