"""The engine's side of read-aloud (kiosk.ui.speech): one QTextToSpeech per engine and
process, in a thread of its own, driven by queued calls of its slots.

PySide6 keeps Python's GIL through every QTextToSpeech call, and with speech-dispatcher
most calls (connecting, listing voices, setting a locale or a voice, say, stop) wait for
the daemon's answer: such a call made from Python, in any thread, holds up the GUI thread
for as long as the daemon does not answer. So each of them is a queued call: the GUI
thread emits a signal of `Commands` and returns at once, and the speech thread's event
loop makes the call in C++, without the GIL. Python runs in that thread only to start the
daemon (kiosk.ui.speech.SpeechDaemon) and to read what the engine has already listed
(availableLocales and availableVoices answer from memory).

Connecting takes seconds (speech-dispatcher lists 13,000 espeak-ng voices and variants,
twice with its mbrola module), so the engine is made once per process, ahead of the first
read-aloud where the window asks for it (`Speaker.prepare`), and shared.

Imported only where QtTextToSpeech loads (kiosk.ui.speech imports it on first use).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import shiboken6
from PySide6.QtCore import (
    Q_ARG,
    QEventLoop,
    QLocale,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

from kiosk.engine.resources import LANGS

log = logging.getLogger("kiosk.speech")

QUEUED = Qt.ConnectionType.QueuedConnection

_loop: QEventLoop | None = None  # the speech thread's event loop
_runner: threading.Thread | None = None
_engines: dict[str, Engine] = {}


class Commands(QObject):
    """What the GUI thread asks of the engine. Each signal is connected, queued, to the
    QTextToSpeech slot it names (ping to Engine.ping), which runs in the speech thread."""

    say = Signal(str)
    stop = Signal()
    set_locale = Signal(QLocale)
    set_voice = Signal(QVoice)
    set_rate = Signal(float)
    ping = Signal(int)


class Relay(QObject):
    """In the GUI thread: the engine's signals, passed to the Speaker that used it last
    (`owner`), and the voice chosen for each language."""

    def __init__(self) -> None:
        super().__init__()
        self.owner: Any = None
        self.voices: dict[str, QVoice | None] | None = None
        """The voice for each language (None: none it can read), once connected."""

    def take(self, owner: Any) -> None:
        """`owner` uses the engine now; the one before lets go of its reading."""
        if self.owner is not None and self.owner is not owner:
            self.owner.engine_released()
        self.owner = owner

    def listed(self, voices: dict[str, QVoice | None]) -> None:
        self.voices = voices
        if self.owner is not None:
            self.owner.engine_listed()

    def state(self, state: QTextToSpeech.State) -> None:
        if self.owner is not None:
            self.owner.engine_state(state)

    def error(self, _reason: QTextToSpeech.ErrorReason, message: str) -> None:
        log.warning("read-aloud: %s", message)

    def voice_changed(self, voice: QVoice) -> None:
        if self.owner is not None:
            self.owner.engine_voice_changed(voice)

    def pong(self, serial: int) -> None:
        if self.owner is not None:
            self.owner.engine_pong(serial)


class Engine(QObject):
    """One QTextToSpeech, made and connected in the speech thread."""

    listed = Signal(dict)
    pong = Signal(int)
    _locale = Signal(QLocale)
    _collect = Signal()
    _done = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.commands = Commands()  # both stay in the GUI thread
        self.relay = Relay()
        self.tts: QTextToSpeech | None = None
        self.daemon: Any = None
        self.voices: list[QVoice] = []
        self.listed.connect(self.relay.listed)
        self.pong.connect(self.relay.pong)

    def ended(self) -> bool:
        """Its daemon has ended: a new engine (and daemon) is needed."""
        return self.daemon is not None and self.daemon.process.poll() is not None

    @Slot()
    def start(self) -> None:
        """In the speech thread: the daemon (speech-dispatcher), a QTextToSpeech with a
        stand-in engine (made at once, no daemon), then the real engine and the survey of
        its voices as queued calls."""
        from kiosk.ui.speech import SpeechDaemon  # noqa: PLC0415 - a cycle otherwise

        # Owned by the thread's QThread (made by Qt for this thread, deleted when it ends):
        # never deleted from another thread, nor at exit while the thread is held up.
        self.setParent(QThread.currentThread())
        if self.name == "speechd":
            self.daemon = SpeechDaemon.ensure()
            if self.daemon is None:
                log.warning("read-aloud is off: speech-dispatcher could not be started")
                self.listed.emit({})
                return
        # QTextToSpeech(name) would connect here, holding the GIL: the stand-in is Qt's
        # mock engine (no daemon), replaced by the real one in a queued setEngine call.
        mock = self.name == "mock" or "mock" in QTextToSpeech.availableEngines()
        self.tts = tts = QTextToSpeech("mock" if mock else "none", self)
        relay, commands = self.relay, self.commands
        tts.stateChanged.connect(relay.state)
        tts.errorOccurred.connect(relay.error)
        tts.voiceChanged.connect(relay.voice_changed)
        commands.say.connect(tts.say, QUEUED)
        commands.stop.connect(tts.stop, QUEUED)
        commands.set_locale.connect(tts.setLocale, QUEUED)
        commands.set_voice.connect(tts.setVoice, QUEUED)
        commands.set_rate.connect(tts.setRate, QUEUED)
        commands.ping.connect(self.ping, QUEUED)
        self._locale.connect(tts.setLocale, QUEUED)
        self._collect.connect(self._collect_voices, QUEUED)
        self._done.connect(self._surveyed, QUEUED)
        if self.name != "mock":
            QMetaObject.invokeMethod(tts, "setEngine", QUEUED, Q_ARG(str, self.name))
            # The stand-in's volume (0.5) would be carried over: the engine's loudest, as
            # QTextToSpeech(name) had it.
            QMetaObject.invokeMethod(tts, "setVolume", QUEUED, Q_ARG(float, 1.0))
        QMetaObject.invokeMethod(self, "_survey", QUEUED)

    @Slot()
    def _survey(self) -> None:
        """Visit every locale (each a queued setLocale) and take its voices: Qt lists only
        the voices of the engine's current locale."""
        assert self.tts is not None
        self.voices = []
        for locale in self.tts.availableLocales():
            self._locale.emit(locale)
            self._collect.emit()
        self._done.emit()

    @Slot()
    def _collect_voices(self) -> None:
        assert self.tts is not None
        self.voices += self.tts.availableVoices()

    @Slot()
    def _surveyed(self) -> None:
        """Choose the voice of each language (here: among 13,000 voices it takes 0.1 s)."""
        from kiosk.ui.speech import choose_voice  # noqa: PLC0415 - a cycle otherwise

        assert self.tts is not None
        chosen = {lang: choose_voice(self.voices, lang) for lang in LANGS}
        for lang, voice in chosen.items():
            if voice is None:
                # Qt's test engine has English, Norwegian and Finnish voices only.
                log.log(
                    logging.INFO if self.name == "mock" else logging.WARNING,
                    "read-aloud: the %s engine has no voice for %s (%d voices; %s)",
                    self.name,
                    lang,
                    len(self.voices),
                    self.tts.errorString() or "no error",
                )
            else:
                log.info("read-aloud: %s is read by %r", lang, voice.name())
        self.voices = []
        self.listed.emit(chosen)

    @Slot(int)
    def ping(self, serial: int) -> None:
        """Every command sent before it has been made."""
        self.pong.emit(serial)

    def voice(self) -> tuple[str, str] | None:
        """(name, locale) of QTextToSpeech.voice() (from memory, no daemon)."""
        if self.tts is None or not shiboken6.isValid(self.tts):
            return None
        voice = self.tts.voice()
        return voice.name(), voice.locale().name()


def speech_thread() -> QThread:
    """The speech thread, started on first use: a Python daemon thread running a Qt event
    loop. Not a QThread of our own: one still held by a daemon that does not answer when
    the process exits would abort it ("QThread: Destroyed while thread is still running");
    a daemon thread is simply left. speech-dispatcher is started from this thread, so its
    pdeathsig (kiosk.ui.speech) follows this thread, which lives as long as the process."""
    global _loop  # noqa: PLW0603 - one thread for the process
    if _loop is None:
        started = threading.Event()
        box: list[QEventLoop] = []

        def run() -> None:
            box.append(QEventLoop())
            started.set()
            box[0].exec()

        global _runner  # noqa: PLW0603
        _runner = threading.Thread(target=run, name="kiosk-speech", daemon=True)
        _runner.start()
        started.wait()
        _loop = box[0]
    thread = _loop.thread()
    assert thread is not None
    return thread


def engine(name: str) -> Engine:
    """The process's engine `name`, started in the speech thread if there is none (or
    its daemon has ended)."""
    current = _engines.get(name)
    if current is not None and not current.ended():
        return current
    _engines[name] = current = Engine(name)
    current.moveToThread(speech_thread())
    QMetaObject.invokeMethod(current, "start", QUEUED)
    return current


def shut_down(wait_s: float = 3.0) -> bool:
    """End the speech thread (at exit): its engines are deleted with it, each closing its
    connection. False when it does not end in time: it is inside a call to a daemon that
    does not answer, and is left, with its engines, to end with the process (deleting
    one, or killing the daemon, under a call in progress crashes libspeechd)."""
    global _loop, _runner  # noqa: PLW0603
    loop, runner = _loop, _runner
    if loop is None or runner is None:
        return True
    QMetaObject.invokeMethod(loop, "quit", QUEUED)
    runner.join(wait_s)
    if runner.is_alive():
        log.warning(
            "read-aloud: the speech thread has not ended in %.0f s (its daemon does not "
            "answer?); it ends with the process",
            wait_s,
        )
        return False
    _engines.clear()
    _loop = _runner = None
    return True
