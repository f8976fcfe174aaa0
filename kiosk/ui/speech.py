"""Read-aloud: the question and its options spoken in the screen's language, where the
system has a speech engine (speech-dispatcher with espeak-ng on Linux).

With speech-dispatcher the kiosk runs a daemon of its own, a child process on a private
socket, rather than letting libspeechd autospawn one: an autospawned daemon detaches and
outlives the kiosk (speech-dispatcher 0.11's idle timeout did not end it, and a SIGTERM
can hang while it closes an output module). The kiosk's daemon is started at the first
read-aloud (about 0.3 s, once), gets SIGKILL from the kernel when the kiosk dies in any
way (`setpriv --pdeathsig`), and is killed with its output modules (its process group)
when the kiosk exits. SPEECHD_CMD points libspeechd's autospawn at `false`, so nothing
else is started behind the kiosk's back.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from typing import Any, ClassVar

from PySide6.QtCore import QLocale

log = logging.getLogger("kiosk.speech")

# Voice names to look for, best first (espeak-ng's Mandarin voices report the locale "C").
VOICE_HINTS = {
    "zh_CN": ("Chinese (Mandarin, latin as Pinyin)", "Chinese (Mandarin", "Mandarin", "cmn"),
    "en": ("English (Great Britain)", "English (America)", "English"),
}


def _module() -> Any:
    """QtTextToSpeech, or None where its libraries (libpulse, libspeechd) are missing."""
    try:
        from PySide6 import QtTextToSpeech  # noqa: PLC0415
    except ImportError as exc:
        log.info("read-aloud is off: %s", exc)
        return None
    return QtTextToSpeech


def real_engines() -> list[str]:
    """Speech engines that really speak ('mock' is Qt's test engine)."""
    module = _module()
    if module is None:
        return []
    return [name for name in module.QTextToSpeech.availableEngines() if name != "mock"]


class SpeechDaemon:
    """A speech-dispatcher of this process's own, on a private socket (see the module)."""

    current: ClassVar[SpeechDaemon | None] = None

    def __init__(self, process: subprocess.Popen[bytes], folder: str) -> None:
        self.process = process
        self.folder = folder
        self.socket = os.path.join(folder, "speechd.sock")

    @classmethod
    def ensure(cls) -> SpeechDaemon | None:
        """The running daemon, started (and libspeechd pointed at it) when there is none."""
        daemon = cls.current
        if daemon is not None and daemon.process.poll() is None:
            return daemon
        if daemon is not None:
            log.warning(
                "speech-dispatcher ended (exit %s); starting it again", daemon.process.returncode
            )
            daemon.stop()
        cls.current = daemon = cls.start()
        if daemon is not None:
            os.environ["SPEECHD_ADDRESS"] = f"unix_socket:{daemon.socket}"
            os.environ["SPEECHD_CMD"] = shutil.which("false") or "/bin/false"
        return daemon

    @classmethod
    def start(cls, timeout: float = 5.0) -> SpeechDaemon | None:
        program = shutil.which("speech-dispatcher")
        if program is None:
            return None
        folder = tempfile.mkdtemp(prefix="kiosk-speechd-")
        command = [program, "--run-single", "--timeout", "0", "--log-level", "1"]
        command += ["--communication-method", "unix_socket"]
        command += ["--socket-path", os.path.join(folder, "speechd.sock")]
        command += ["--pid-file", os.path.join(folder, "speechd.pid"), "--log-dir", folder]
        setpriv = shutil.which("setpriv")  # util-linux: SIGKILL when this process dies
        if setpriv is not None:
            command = [setpriv, "--pdeathsig", "KILL", "--", *command]
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, with its output modules
            )
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            log.warning("read-aloud: speech-dispatcher could not be started: %s", exc)
            return None
        daemon = cls(process, folder)
        atexit.register(daemon.stop)
        deadline = time.monotonic() + timeout
        while not os.path.exists(daemon.socket):
            if process.poll() is not None or time.monotonic() > deadline:
                log.warning("read-aloud: speech-dispatcher did not start (exit %s)", process.poll())
                daemon.stop()
                return None
            time.sleep(0.02)
        return daemon

    def stop(self) -> None:
        """Kill the daemon and its output modules (nothing to save; SIGTERM can hang)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
        if SpeechDaemon.current is self:
            SpeechDaemon.current = None


class Speaker:
    """One speech engine for the window, made on first use."""

    def __init__(self, engine: str | None = None) -> None:
        engines = real_engines() if engine is None else [engine]
        self.engine = "speechd" if "speechd" in engines else (engines[0] if engines else "")
        self.tts: Any = None
        self.daemon: SpeechDaemon | None = None  # the one self.tts talks to
        self.last: tuple[str, str] | None = None

    @property
    def available(self) -> bool:
        return bool(self.engine)

    def say(self, text: str, lang: str) -> None:
        if not self.engine:
            return
        if self.engine == "speechd":
            daemon = SpeechDaemon.ensure()
            if daemon is not self.daemon:
                self.tts = None  # connected to a daemon that has ended
                self.daemon = daemon
        if self.tts is None:
            self.tts = _module().QTextToSpeech(self.engine)
        self.tts.stop()
        voice = self._voice(lang)
        if voice is not None:
            self.tts.setVoice(voice)
        else:
            self.tts.setLocale(QLocale(lang))
        self.last = (text, lang)
        self.tts.say(text)

    def stop(self) -> None:
        if self.tts is not None:
            self.tts.stop()

    def _voice(self, lang: str) -> Any:
        assert self.tts is not None
        voices = self.tts.availableVoices()
        for hint in VOICE_HINTS.get(lang, ()):
            for voice in voices:
                if voice.name().startswith(hint):
                    return voice
        return None
