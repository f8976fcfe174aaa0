#!/usr/bin/python3
"""What a screen reader sees of the kiosk: its AT-SPI tree, read through pyatspi.

Run it by hand from the repository root (as root on Debian it needs, besides scripts/run's
packages: `apt-get install at-spi2-core python3-pyatspi xvfb xauth`):

    scripts/atspi_tree.py                       # the job question, in Chinese
    scripts/atspi_tree.py --screen result --lang en
    scripts/atspi_tree.py --screen review --all --json

It starts everything it needs and leaves nothing running: a private D-Bus session
(`dbus-run-session`, which also starts the accessibility bus), a virtual X screen
(`xvfb-run`), and the kiosk itself under .venv's Python (Qt's AT-SPI bridge needs a real
window system: the offscreen platform has none). The kiosk walks a sample visit
(resources/examples/worked_example.json) to the screen asked for; this script, the AT-SPI
client, then prints every object that is showing on the kiosk's window: role, name, the
states that matter (focusable, focused, checkable, checked, disabled) and the description,
plus the events a screen reader got while that screen appeared (announcement, focus,
name changes) and the locale the application reports.

The same file is the kiosk side (`--serve`, under .venv's Python): it reads one command a
line on standard input (`go SCREEN LANG`: walk to the screen before it; `next`: the tap
that shows it; `quit`) and answers each with `at <the screen it shows>`.

Exit status: 0 done; 1 the kiosk or the accessibility bus did not answer; 3 something this
needs is not installed (one line says what).
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
APP_NAME = "branch-risk-kiosk"
SESSION_FLAG = "KIOSK_ATSPI_SESSION"
REPORT = "KIOSK_ATSPI_REPORT"
"""The file the client writes its report to: the session's daemons write to its stdout."""
MISSING = 3
EVENTS = (
    "object:announcement",
    "focus:",
    "object:state-changed:focused",
    "object:state-changed:checked",
    "object:property-change:accessible-name",
    "object:property-change:accessible-description",
)
SHOWN_STATES = ("focusable", "focused", "checkable", "checked")
"""The states printed (as pyatspi's STATE_… names, lower case, without the prefix)."""


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screen", default="job", help="a question id, review or result")
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--size", default="1920x1080", help="the screen, WIDTHxHEIGHT")
    parser.add_argument("--all", action="store_true", help="also objects that are not showing")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# ---------------------------------------------------------------------- the kiosk side


def plan(window: Any, driver: Any, screen: str, lang: str) -> list[Callable[[], None]]:
    """The taps from the attract screen to `screen` (one action a screen), answering as
    resources/examples/worked_example.json does."""
    from kiosk.engine.resources import default_resources_dir  # noqa: PLC0415 - .venv only
    from kiosk.ui.visit import CONSENT, OPTIONAL_INTRO, RATING, RESULT, REVIEW  # noqa: PLC0415

    example = json.loads(
        (default_resources_dir() / "examples" / "worked_example.json").read_text("utf-8")
    )
    actions: list[Callable[[], None]] = [
        lambda: driver.tap_and_wait(f"attract.lang.{lang}"),
        lambda: driver.tap_and_wait("consent.accept"),
    ]
    flow = list(window.flow)
    if screen not in flow:
        raise SystemExit(f"atspi_tree: {screen!r} is not a screen of the visit: {flow}")
    taps = {
        OPTIONAL_INTRO: "nav.next",
        REVIEW: "review.confirm",
        RESULT: "result.finish",
        RATING: "rating.skip",
    }
    for step in flow[flow.index(CONSENT) + 1 : flow.index(screen)]:
        if step in taps:
            actions.append(lambda name=taps[step]: driver.tap_and_wait(name))
        else:
            actions.append(lambda step=step: driver.answer(step, example.get(step)))
    return actions[: flow.index(screen)]


def serve(size: tuple[int, int]) -> int:
    """The kiosk in a real window, driven to the screen each `go` line asks for."""
    from PySide6.QtCore import QSocketNotifier  # noqa: PLC0415 - .venv only

    from kiosk.ui import main_window, question_pages  # noqa: PLC0415
    from kiosk.ui.app import ensure_app  # noqa: PLC0415
    from kiosk.ui.driver import VisitDriver  # noqa: PLC0415

    app = ensure_app()
    question_pages.HIGHLIGHT_MS = 0
    folder = Path(tempfile.mkdtemp(prefix="kiosk-atspi-"))
    settings = folder / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{folder / "data"}"\n', "utf-8")
    window: Any = main_window(settings)
    window.resize(*size)
    window.show()
    window.activateWindow()  # there is no window manager on the virtual screen to do it
    driver = VisitDriver(window)

    last: list[Callable[[], None]] = []

    def command() -> None:
        words = sys.stdin.readline().split()
        if not words or words[0] == "quit":
            window.exit_to_desktop()
            window.shutdown()
            app.exit(0)
            return
        if words[0] == "go":  # to the screen before SCREEN, so that the client can listen
            window.wipe()
            *before, final = plan(window, driver, words[1], words[2]) or [lambda: None]
            for action in before:
                action()
            last[:] = [final]
        elif words[0] == "next" and last:  # the tap that shows SCREEN
            last.pop()()
        print(f"at {driver.screen}", flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    print("ready", flush=True)
    status = app.exec()
    shutil.rmtree(folder, ignore_errors=True)
    return status


# ---------------------------------------------------------------------- the AT-SPI client


def fail(status: int, message: str) -> int:
    print(f"atspi_tree: {message}", file=sys.stderr)
    return status


def in_session(argv: list[str], size: tuple[int, int]) -> int:
    """Run this script again inside a private D-Bus session on a virtual X screen."""
    for tool, package in (("dbus-run-session", "dbus-daemon"), ("xvfb-run", "xvfb")):
        if shutil.which(tool) is None:
            return fail(MISSING, f"{tool} is missing (apt-get install {package})")
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        return fail(MISSING, "the accessibility bus is missing (apt-get install at-spi2-core)")
    screen = f"-screen 0 {size[0]}x{size[1]}x24"
    command = ["dbus-run-session", "--", "xvfb-run", "-a", "-s", screen]
    command += [sys.executable, str(Path(__file__).resolve()), *argv]
    with tempfile.TemporaryDirectory(prefix="atspi-tree-") as folder:
        report = Path(folder) / "report"
        run = subprocess.run(
            command,
            env={**os.environ, SESSION_FLAG: "1", REPORT: str(report)},
            stdout=sys.stderr,  # the accessibility daemons' chatter
            check=False,
        )
        if report.exists():
            sys.stdout.write(report.read_text("utf-8"))
    return run.returncode


class Kiosk:
    """The kiosk process (`--serve`) and its command lines."""

    def __init__(self, size: tuple[int, int], log: Path) -> None:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "xcb",
            "QT_ACCESSIBILITY": "1",
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "XDG_CONFIG_HOME": str(log.parent),
            "XDG_DATA_HOME": str(log.parent),
        }
        self.log = log
        self.process = subprocess.Popen(
            [
                str(VENV_PYTHON),
                str(Path(__file__).resolve()),
                "--serve",
                "--size",
                "x".join(map(str, size)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
            env=env,
            cwd=ROOT,
        )

    def read(self, timeout_s: float, pump: Any) -> str:
        """One line from the kiosk, pumping the client's events while waiting."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.02)
            if ready:
                return self.process.stdout.readline().strip()
            pump(0)
            if self.process.poll() is not None:
                break
        return ""

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.send("quit")
                self.process.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()

    def problem(self) -> tuple[int, str]:
        text = self.log.read_text("utf-8", "replace")
        if "could not load the Qt platform plugin" in text or "no Qt platform plugin" in text:
            return MISSING, "Qt's xcb platform plugin cannot load (scripts/run installs it)"
        tail = " | ".join(text.strip().splitlines()[-5:])
        return 1, f"the kiosk did not answer: {tail}"


def node(accessible: Any, depth: int) -> dict[str, Any]:
    import pyatspi  # noqa: PLC0415 - system python3 only

    states = accessible.getState()
    shown = [
        name for name in SHOWN_STATES if states.contains(getattr(pyatspi, f"STATE_{name.upper()}"))
    ]
    if not states.contains(pyatspi.STATE_SENSITIVE):
        shown.append("disabled")
    if not states.contains(pyatspi.STATE_SHOWING):
        shown.append("not-showing")
    return {
        "depth": depth,
        "role": accessible.getRoleName(),
        "name": accessible.name or "",
        "description": accessible.description or "",
        "states": shown,
    }


def walk(accessible: Any, depth: int, everything: bool, out: list[dict[str, Any]]) -> None:
    import pyatspi  # noqa: PLC0415

    if depth > 0 and not everything and not accessible.getState().contains(pyatspi.STATE_SHOWING):
        return
    out.append(node(accessible, depth))
    for index in range(accessible.childCount):
        child = accessible.getChildAtIndex(index)
        if child is not None:
            walk(child, depth + 1, everything, out)


def describe(accessible: Any) -> str:
    if accessible is None:
        return "?"
    try:
        return f"{accessible.getRoleName()} {accessible.name!r}"
    except Exception:
        return "(gone)"


class Client:
    """The AT-SPI side: finds the kiosk on the bus, hears its events, walks its tree."""

    def __init__(self, pyatspi: Any, glib: Any) -> None:
        self.pyatspi = pyatspi
        self.context = glib.MainContext.default()
        self.events: list[dict[str, str]] = []

    def pump(self, seconds: float) -> None:
        """Let the events that have arrived be dispatched, for `seconds` at least."""
        deadline = time.monotonic() + seconds
        while True:
            while self.context.iteration(False):
                pass
            if time.monotonic() >= deadline:
                return
            time.sleep(0.01)

    def heard(self, event: Any) -> None:
        detail = event.any_data if isinstance(event.any_data, str) else ""
        if event.type.startswith("object:state-changed"):
            detail = str(event.detail1)
        self.events.append(
            {"type": str(event.type), "source": describe(event.source), "detail": detail}
        )

    def application(self, pid: int, timeout_s: float = 20) -> Any:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            desktop = self.pyatspi.Registry.getDesktop(0)
            for index in range(desktop.childCount):
                candidate = desktop.getChildAtIndex(index)
                if candidate is not None and candidate.get_process_id() == pid:
                    return candidate
            self.pump(0.1)
        return None

    def visit(self, kiosk: Kiosk, args: argparse.Namespace) -> tuple[int, dict[str, Any]]:
        """Drive the kiosk to the screen and read it: (exit status, report)."""
        if kiosk.read(60, self.pump) != "ready":
            return kiosk.problem(), {}
        application = self.application(kiosk.process.pid)
        if application is None:
            return (1, "the kiosk never showed up on the accessibility bus"), {}
        self.pyatspi.Registry.registerEventListener(self.heard, *EVENTS)
        kiosk.send(f"go {args.screen} {args.lang}")
        kiosk.read(60, self.pump)
        self.pump(0.5)
        self.events.clear()  # only what the screen's own appearance brings
        kiosk.send("next")
        answer = kiosk.read(60, self.pump)
        if answer != f"at {args.screen}":
            return (1, f"the kiosk did not reach {args.screen!r} ({answer or 'no answer'})"), {}
        self.pump(1.0)  # the announcement and focus events of the new screen
        self.pyatspi.Registry.deregisterEventListener(self.heard, *EVENTS)
        nodes: list[dict[str, Any]] = []
        windows = [application.getChildAtIndex(i) for i in range(application.childCount)]
        for window in windows:
            if window is not None:
                walk(window, 0, args.all, nodes)
        report = {
            "screen": args.screen,
            "lang": args.lang,
            "application": application.name,
            "locale": application.get_object_locale(),
            "window_locale": windows[0].get_object_locale() if windows else "",
            "nodes": nodes,
            "events": [e for e in self.events if e["source"] != "(gone)"][-40:],
        }
        return (0, ""), report


def write(report: dict[str, Any], as_json: bool) -> None:
    target = os.environ.get(REPORT)
    with open(target, "w", encoding="utf-8") if target else sys.stdout as out:
        if as_json:
            print(json.dumps(report, ensure_ascii=False, indent=1), file=out)
            return
        locales = f"application {report['locale']}, window {report['window_locale']}"
        print(f"# {report['application']} · screen {report['screen']} · {report['lang']}", file=out)
        print(f"# locale: {locales}", file=out)
        for item in report["nodes"]:
            states = f" [{', '.join(item['states'])}]" if item["states"] else ""
            described = f" — {item['description']}" if item["description"] else ""
            line = f"{'  ' * item['depth']}{item['role']} {item['name']!r}{states}{described}"
            print(line, file=out)
        print("# events while the screen appeared:", file=out)
        for event in report["events"]:
            detail = f" {event['detail']!r}" if event["detail"] else ""
            print(f"  {event['type']} {event['source']}{detail}", file=out)


def client(args: argparse.Namespace, size: tuple[int, int]) -> int:
    try:
        import pyatspi  # noqa: PLC0415 - the system's python3 only
        from gi.repository import GLib  # noqa: PLC0415
    except ImportError:
        return fail(
            MISSING,
            "pyatspi is missing: apt-get install python3-pyatspi, and run this with "
            "the system's /usr/bin/python3",
        )
    if not VENV_PYTHON.exists():
        return fail(MISSING, f"{VENV_PYTHON} is missing (scripts/run creates it)")
    folder = Path(tempfile.mkdtemp(prefix="atspi-tree-"))
    kiosk = Kiosk(size, folder / "kiosk.log")
    try:
        (status, problem), report = Client(pyatspi, GLib).visit(kiosk, args)
    finally:
        kiosk.stop()
        shutil.rmtree(folder, ignore_errors=True)
    if status:
        return fail(status, problem)
    write(report, args.json)
    return 0


def main(argv: list[str]) -> int:
    args = arguments(argv)
    try:
        width, height = (int(part) for part in args.size.split("x"))
    except ValueError:
        return fail(2, f"--size: {args.size!r} is not WIDTHxHEIGHT")
    if args.serve:
        return serve((width, height))
    if os.environ.get(SESSION_FLAG) != "1":
        return in_session(argv, (width, height))
    return client(args, (width, height))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
