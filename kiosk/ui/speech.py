"""Read-aloud: the question and its options spoken in the screen's language, where the
system has a speech engine (speech-dispatcher with espeak-ng on Linux).

With speech-dispatcher the kiosk runs a daemon of its own, a child process on a private
socket, rather than letting libspeechd autospawn one: an autospawned daemon detaches and
outlives the kiosk (speech-dispatcher 0.11's idle timeout did not end it, and a SIGTERM
can hang while it closes an output module). The kiosk's daemon is started when a visit
begins, or at the first read-aloud (about 0.3 s, then 2–5 s while the engine lists its
voices, all in the speech thread), gets SIGKILL from the kernel when the kiosk dies in
any way (`setpriv --pdeathsig`; the speech thread that starts it lives as long as the
kiosk), and is killed with its output modules (its process group) when the kiosk exits.
SPEECHD_CMD points libspeechd's autospawn at `false`, so nothing else is started behind
the kiosk's back. The daemon runs in the C.UTF-8 locale: under a LANG whose locale is
not installed (zh_CN.UTF-8 on a minimal system) it exits at once.

Voices: Qt's availableVoices() lists only the voices of the engine's current locale (that
of the voice last set, at first the system's), and espeak-ng lists its Mandarin voices
under the locale "C". Choosing from that list read Chinese with whatever voice the system
locale or the last English read-aloud had left: under zh_CN.UTF-8 espeak-ng's Mandarin
"latin as English" voice, which reads 您的 as "nin two, de five". So the engine's voices
are listed once across all its locales, the voice for each language is chosen by name
and locale (`choose_voice`), and every say() sets the locale, the voice and the rate.

The engine runs in a thread of its own and is only ever called there, by queued calls
(kiosk.ui.speech_engine): a speech daemon that does not answer cannot hold up the screen.
`Speaker.say()` and `stop()` return at once.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import QLocale, QObject, QTimer
from PySide6.QtGui import QGuiApplication

log = logging.getLogger("kiosk.speech")

# Voice names to prefer, best first; then the voices of these locales.
VOICE_HINTS = {
    "zh_CN": ("Chinese (Mandarin, latin as Pinyin)",),
    "en": ("English (Great Britain)", "English (America)"),
}
VOICE_LOCALES = {"zh_CN": ("zh_CN",), "en": ("en_GB", "en_US")}
UNINTELLIGIBLE = ("latin as English", "Cantonese", "Hakka", "Min Nan")
"""Never for Chinese text: espeak-ng's "Chinese (Mandarin, latin as English)" reads
Chinese characters as English-spelled pinyin with tone digits (您的 → "nin two, de five");
the others are not Mandarin."""

LONGEST_S = 15.0
"""How long one question may take to read: a longer text is read faster, up to FASTEST."""
FASTEST = 0.3
"""The fastest rate (QTextToSpeech, -1…1): espeak-ng at 254 words a minute, about five
Mandarin syllables a second, brisk conversational speed."""
NORMAL_WPM, MAX_WPM = 170, 449
"""espeak-ng's words a minute under speech-dispatcher at rate 0 and 1 (its module's
EspeakNormalRate and EspeakMaxRate: rate r ≥ 0 speaks 170 + 279·r)."""
SPOKEN_UNITS = {"zh_CN": re.compile(r"[\u3400-\u9fff]|\d+"), "en": re.compile(r"[A-Za-z0-9]")}
SECONDS_PER_UNIT = {"zh_CN": 0.35, "en": 0.1}
"""Seconds each character (Chinese) or letter (English) takes at rate 0, pauses included:
the most any question took, measured with espeak-ng at 170 words a minute (0.30–0.37 s a
Chinese character, 0.08–0.11 s an English letter)."""
NO_ANSWER_MS = 10_000
"""A reading that has not begun by then is given up (the button reads "Read aloud" again)."""


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


def _voice_rank(name: str, locale: QLocale, lang: str) -> int | None:
    """How well a voice reads `lang` (0 best), None if it must not."""
    if lang == "zh_CN" and any(word in name for word in UNINTELLIGIBLE):
        return None
    hints = VOICE_HINTS.get(lang, ())
    locales = VOICE_LOCALES.get(lang, (lang,))
    if name in hints:
        rank = hints.index(name)
    elif locale.name() in locales:
        rank = len(hints) + locales.index(locale.name())
    elif lang == "zh_CN" and "Mandarin" in name:
        rank = len(hints) + len(locales)
    elif locale.language() == QLocale(lang).language() and locale.territory() not in (
        QLocale.Country.HongKong,  # Chinese there is Cantonese
        QLocale.Country.Macao,
    ):
        rank = len(hints) + len(locales) + 1
    else:
        return None
    # espeak-ng's variants ("… +Adam") after the plain voice.
    return rank + (10 if "+" in name else 0)


def choose_voice(voices: Iterable[Any], lang: str) -> Any | None:
    """The voice to read `lang` with (Mandarin for zh_CN, English for en), or None: the
    best by name, then by locale; a voice listed earlier wins a tie."""
    best, best_rank = None, None
    for voice in voices:
        rank = _voice_rank(voice.name(), voice.locale(), lang)
        if rank is not None and (best_rank is None or rank < best_rank):
            best, best_rank = voice, rank
    return best


def speech_rate(text: str, lang: str) -> float:
    """The rate to read `text` at: 0 (the engine's normal), faster for a text that would
    take longer than LONGEST_S, never faster than FASTEST."""
    units = SPOKEN_UNITS.get(lang)
    if units is None:
        return 0.0
    seconds = len(units.findall(text)) * SECONDS_PER_UNIT[lang]
    if seconds <= LONGEST_S:
        return 0.0
    needed = NORMAL_WPM * seconds / LONGEST_S
    return min(FASTEST, round((needed - NORMAL_WPM) / (MAX_WPM - NORMAL_WPM), 2))


class SpeechDaemon:
    """A speech-dispatcher of this process's own, on a private socket (see the module)."""

    current: ClassVar[SpeechDaemon | None] = None
    options: ClassVar[list[str]] = []
    """More options for speech-dispatcher (tests give a configuration folder whose audio
    output works without a sound card)."""

    def __init__(
        self, process: subprocess.Popen[bytes], folder: str, *, dies_with_us: bool
    ) -> None:
        self.process = process
        self.folder = folder
        self.socket = os.path.join(folder, "speechd.sock")
        self.dies_with_us = dies_with_us
        """The kernel kills it when this process dies (setpriv --pdeathsig)."""

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
        command += cls.options
        setpriv = shutil.which("setpriv")  # util-linux: SIGKILL when this process dies
        if setpriv is not None:
            command = [setpriv, "--pdeathsig", "KILL", "--", *command]
        # Its own locale: it exits ("setlocale: No such file or directory") under a LANG
        # that is not installed. The voice, not the daemon's locale, decides the language.
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        env.pop("LANGUAGE", None)
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # its own process group, with its output modules
            )
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            log.warning("read-aloud: speech-dispatcher could not be started: %s", exc)
            return None
        daemon = cls(process, folder, dies_with_us=setpriv is not None)
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


Listener = Callable[[bool], None]


class Speaker(QObject):
    """Read-aloud for the window. The engine is made on first use (or `prepare()`), once
    per process, and works in its own thread (kiosk.ui.speech_engine): `say()` and
    `stop()` return at once. The listener given to say() is told True at once and False
    when that reading ends, is stopped, gives way to another or does not begin."""

    def __init__(self, engine: str | None = None) -> None:
        super().__init__()
        engines = real_engines() if engine is None else [engine]
        self.engine = "speechd" if "speechd" in engines else (engines[0] if engines else "")
        self.last: tuple[str, str] | None = None
        """The last text given to say(), with its language."""
        self.voice: tuple[str, str] | None = None
        """(name, locale) of the voice the engine last took, as it reported it."""
        self._engine: Any = None  # kiosk.ui.speech_engine.Engine
        self._pending: tuple[str, str] | None = None
        self._listener: Listener | None = None
        self._active = False  # a reading is asked for and not over
        self._begun = False  # …and the engine has said that it speaks
        self._stopped = True  # the last thing asked was stop()
        self._sent = self._done = 0  # pings sent to the engine and answered
        self._no_answer = QTimer(self)
        self._no_answer.setSingleShot(True)
        self._no_answer.setInterval(NO_ANSWER_MS)
        self._no_answer.timeout.connect(self._gave_up)

    @property
    def available(self) -> bool:
        return bool(self.engine)

    @property
    def speaking(self) -> bool:
        """A reading is asked for and has not ended."""
        return self._active

    @property
    def settled(self) -> bool:
        """The engine has made everything asked of it (it is not held up)."""
        return self._done >= self._sent

    def prepare(self) -> None:
        """Start the engine now, in the background: connecting takes seconds (2–5 s with
        speech-dispatcher). Not on the offscreen platform (tests, screenshots), where no
        one listens; a reading asked for there starts it all the same."""
        if self.engine and QGuiApplication.platformName() != "offscreen":
            self._connect()

    @property
    def begun(self) -> bool:
        """The engine has said that it speaks the reading asked for last."""
        return self._begun

    def say(self, text: str, lang: str, listener: Listener | None = None) -> None:
        """Read `text` in `lang` (zh_CN or en), instead of what is being read."""
        if not self.engine:
            return
        self.last = (text, lang)
        if self._active and self._listener is not listener:
            self._tell(False)  # the page that was being read
        self._listener = listener
        self._active, self._begun, self._stopped = True, False, False
        self._tell(True)
        self._no_answer.start()
        relay = self._connect().relay
        relay.take(self)
        if relay.voices is None:
            self._pending = (text, lang)  # said once the engine has listed its voices
        else:
            self._send(text, lang)

    def stop(self) -> None:
        """Stop reading (a second tap, a new screen); nothing is sent when nothing is read."""
        self._pending = None
        self._no_answer.stop()
        if self._stopped:
            return
        self._stopped = True
        if self._engine is not None and self._engine.relay.voices is not None:
            self._engine.relay.take(self)
            self._engine.commands.stop.emit()
            self._ping()
        if self._active:
            self._active = False
            self._tell(False)

    def engine_voice(self) -> tuple[str, str] | None:
        """(name, locale) of QTextToSpeech.voice(); read it when `settled`."""
        return None if self._engine is None else self._engine.voice()

    # ------------------------------------------------------------------ the engine's side

    def _connect(self) -> Any:
        from kiosk.ui import speech_engine  # noqa: PLC0415 - needs QtTextToSpeech

        self._engine = speech_engine.engine(self.engine)
        return self._engine

    def engine_listed(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self._send(*pending)

    def engine_state(self, state: Any) -> None:
        name = getattr(state, "name", str(state))
        if name == "Speaking":
            self._no_answer.stop()
            if not self._stopped:
                self._begun = True
                if not self._active:  # an earlier reading's end made it look over
                    self._active = True
                    self._tell(True)
        elif name == "Ready":
            # A Ready before it speaks is the end of the reading it replaced.
            if self._active and self._begun:
                self._finish()
        elif name == "Error" and self._active:
            self._finish()

    def engine_released(self) -> None:
        """Another Speaker uses the engine now (one process, one engine)."""
        self._pending = None
        self._stopped = True
        if self._active:
            self._finish()

    def engine_voice_changed(self, voice: Any) -> None:
        self.voice = (voice.name(), voice.locale().name())

    def engine_pong(self, serial: int) -> None:
        self._done = max(self._done, serial)

    def _send(self, text: str, lang: str) -> None:
        voice = (self._engine.relay.voices or {}).get(lang)
        if voice is None:  # silence rather than a voice the client cannot follow
            self._finish()
            return
        commands = self._engine.commands
        commands.set_locale.emit(voice.locale())
        commands.set_voice.emit(voice)
        commands.set_rate.emit(speech_rate(text, lang))
        commands.say.emit(text)
        self._ping()

    def _ping(self) -> None:
        self._sent += 1
        self._engine.commands.ping.emit(self._sent)

    def _gave_up(self) -> None:
        if self._active and not self._begun:
            log.warning("read-aloud: the speech engine has not begun in %d s", NO_ANSWER_MS // 1000)
            self._finish()

    def _finish(self) -> None:
        self._no_answer.stop()
        self._active = False
        self._tell(False)

    def _tell(self, speaking: bool) -> None:
        listener = self._listener
        widget = getattr(listener, "__self__", None)
        if isinstance(widget, QObject) and not shiboken6.isValid(widget):
            self._listener = listener = None  # its page is gone (a window closed)
        if listener is not None:
            listener(speaking)


@atexit.register
def _at_exit() -> None:
    """End the speech thread, then the daemon: killed under a call in progress, the daemon
    would crash libspeechd. A thread held by a daemon that does not answer is left, with
    the daemon, to end with the process (pdeathsig)."""
    engines = sys.modules.get("kiosk.ui.speech_engine")
    ended = engines is None or engines.shut_down()
    daemon = SpeechDaemon.current
    if daemon is None:
        return
    if ended or not daemon.dies_with_us:
        daemon.stop()
    else:
        shutil.rmtree(daemon.folder, ignore_errors=True)  # its socket; it dies with us
