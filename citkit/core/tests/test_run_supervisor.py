"""scripts/run-with-worker: `make run` and `make serve` start the web server and the worker
together, and one Ctrl-C stops both.

The first tests use two small stand-in processes that write down every signal they
get; the last two run the real pairs (runserver + worker, gunicorn + worker) on a
database of their own and ask /readyz, which is ready only once the worker's
heartbeat is in.
"""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "run-with-worker"

CHILD = textwrap.dedent(
    """
    import pathlib, signal, sys, time

    name, folder, mode = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]

    def note(signum, frame):
        with (folder / "signals").open("a") as f:
            f.write(f"{name} {signal.Signals(signum).name}\\n")
        if mode != "stubborn":
            sys.exit(0)

    signal.signal(signal.SIGINT, note)
    signal.signal(signal.SIGTERM, note)
    (folder / f"{name}.started").touch()
    if mode == "crash":
        time.sleep(0.5)
        sys.exit(3)
    while True:
        time.sleep(0.05)
    """
)


def wait_for(condition, timeout=30.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def all_gone(groups) -> bool:
    """No process left in any of the groups. A grandchild killed last is reaped by
    init, not by the supervisor, so it may take a moment to disappear."""
    try:
        wait_for(lambda: not any(group_exists(pid) for pid in groups), 5, "the groups to empty")
    except AssertionError:
        return False
    return True


class Run:
    """The supervisor in a session of its own, as a terminal would start it."""

    def __init__(self, args, tmp_path, env=None):
        self.out = (tmp_path / "out.log").open("w+")
        self.process = subprocess.Popen(
            [sys.executable, str(SCRIPT), *args],
            cwd=ROOT,
            env=env,
            stdout=self.out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        self.out.flush()
        return Path(self.out.name).read_text()

    def child_pids(self) -> dict[str, int]:
        return {
            name: int(pid)
            for name, pid in re.findall(r"started (\w+) \(pid (\d+)\)", self.output())
        }

    def wait(self, timeout=60.0) -> int:
        return self.process.wait(timeout=timeout)

    def cleanup(self):
        # Only what this test started: the supervisor and its children's groups.
        for pid in self.child_pids().values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.out.close()


@pytest.fixture
def start(tmp_path):
    runs = []
    child = tmp_path / "child.py"
    child.write_text(CHILD)

    def start(web_mode="normal", worker_mode="normal", **kwargs):
        worker = f"{sys.executable} {child} worker {tmp_path} {worker_mode}"
        run = Run(
            ["--worker", worker, "--", sys.executable, str(child), "web", str(tmp_path), web_mode],
            tmp_path,
            **kwargs,
        )
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.cleanup()


def signals(tmp_path) -> list[str]:
    path = tmp_path / "signals"
    return sorted(path.read_text().split("\n")[:-1]) if path.exists() else []


def both_started(tmp_path):
    return (tmp_path / "web.started").exists() and (tmp_path / "worker.started").exists()


def test_ctrl_c_in_the_terminal_stops_both_and_each_gets_it_once(start, tmp_path):
    run = start()
    wait_for(lambda: both_started(tmp_path), what="both children")
    # The terminal sends Ctrl-C to its whole foreground group: here, the supervisor's.
    os.killpg(run.process.pid, signal.SIGINT)
    assert run.wait() == 0
    assert signals(tmp_path) == ["web SIGINT", "worker SIGINT"]
    assert all_gone(run.child_pids().values())


def test_sigterm_from_a_service_manager_stops_both(start, tmp_path):
    run = start()
    wait_for(lambda: both_started(tmp_path), what="both children")
    run.process.terminate()
    assert run.wait() == 0
    assert signals(tmp_path) == ["web SIGTERM", "worker SIGTERM"]


def test_when_the_web_server_dies_the_worker_is_stopped_and_the_failure_reported(start, tmp_path):
    run = start(web_mode="crash")
    assert run.wait() == 3
    assert signals(tmp_path) == ["worker SIGTERM"]
    assert "web stopped by itself" in run.output()
    assert all_gone(run.child_pids().values())


def test_a_second_ctrl_c_kills_what_does_not_stop(start, tmp_path):
    run = start(worker_mode="stubborn")
    wait_for(lambda: both_started(tmp_path), what="both children")
    os.killpg(run.process.pid, signal.SIGINT)
    wait_for(lambda: "worker SIGINT" in signals(tmp_path), what="the first signal")
    assert run.process.poll() is None  # still waiting for the stubborn worker
    os.killpg(run.process.pid, signal.SIGINT)
    assert run.wait(timeout=10) == 0
    assert all_gone(run.child_pids().values())


def test_a_web_command_is_required(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 2
    assert "name the web server's command" in result.stderr


# --- The real pairs -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


_opener = urllib.request.build_opener(_NoRedirect)


def get(url: str, headers=None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http://127.0.0.1 only)
    try:
        with _opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def ready(url: str) -> bool:
    try:
        return get(url)[0] == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    """A migrated SQLite database of its own, never the developer's var/."""
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CITKIT_"))}
    env.update(CITKIT_VAR_DIR=str(var), PYTHONUNBUFFERED="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return env


@pytest.fixture
def real_run(tmp_path):
    runs = []

    def start(args, env):
        run = Run(args, tmp_path, env=env)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.cleanup()


def test_make_run_pair_serves_the_site_runs_the_worker_and_stops_on_ctrl_c(site_env, real_run):
    port = free_port()
    run = real_run(
        ["--", sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"], dict(site_env)
    )
    # Ready means the database answers, migrations are applied and the worker's heartbeat is in.
    wait_for(lambda: ready(f"http://127.0.0.1:{port}/readyz"), 90, "/readyz to answer 200")
    groups = run.child_pids()
    assert set(groups) == {"web", "worker"}

    os.killpg(run.process.pid, signal.SIGINT)
    assert run.wait() == 0
    # Nothing of either is left, runserver's reloaded child included.
    assert all_gone(groups.values())
    with pytest.raises(OSError):
        get(f"http://127.0.0.1:{port}/healthz")


def test_make_serve_pair_runs_gunicorn_with_json_access_logs_and_stops_on_sigterm(
    site_env, real_run
):
    port = free_port()
    env = dict(
        site_env,
        CITKIT_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1",
        CITKIT_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )
    run = real_run(["--", sys.executable, "-m", "gunicorn", "citkit.wsgi"], env)
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: ready(f"{url}/readyz"), 90, "/readyz to answer 200")

    # Probed over plain HTTP, as a load balancer inside the network does: no redirect.
    status, headers, body = get(f"{url}/readyz", {"X-Request-ID": "probe-42"})
    assert status == 200
    assert json.loads(body)["checks"]["worker"]["ok"]
    assert headers["X-Request-ID"] == "probe-42"
    # Pages still go to HTTPS.
    assert get(f"{url}/accounts/login/?next=/")[0] == 301

    def access_line():
        for line in run.output().splitlines():
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if entry.get("logger") == "gunicorn.access" and entry["request_id"] == "probe-42":
                    return entry
        return None

    wait_for(access_line, 10, "the access log line")
    entry = access_line()
    assert entry["method"] == "GET"
    assert entry["path"] == "/readyz"
    assert entry["status"] == 200
    assert {"time", "level", "message", "duration_ms"} <= set(entry)

    groups = run.child_pids()
    run.process.terminate()
    assert run.wait() == 0
    assert all_gone(groups.values())
