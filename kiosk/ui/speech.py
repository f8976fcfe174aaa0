"""Read-aloud: the question and its options spoken in the screen's language, where the
system has a speech engine (speech-dispatcher with espeak-ng on Linux)."""

from __future__ import annotations

import logging
from typing import Any

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


class Speaker:
    """One speech engine for the window, made on first use."""

    def __init__(self, engine: str | None = None) -> None:
        engines = real_engines() if engine is None else [engine]
        self.engine = "speechd" if "speechd" in engines else (engines[0] if engines else "")
        self.tts: Any = None
        self.last: tuple[str, str] | None = None

    @property
    def available(self) -> bool:
        return bool(self.engine)

    def say(self, text: str, lang: str) -> None:
        if not self.engine:
            return
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
