"""Read-aloud (kiosk.ui.speech): the voice for each language whatever the system locale and
whatever was read before, the button that says it reads and stops it, the number pad read
aloud, and a speech daemon that does not answer never holding up the screen.

The tests with the real engine (speech-dispatcher and espeak-ng) run the kiosk in a child
process, under each LANG; they skip, saying why, where the engine is missing. Their
daemon gets a configuration whose audio output is ALSA's null device: without a sound
card speech-dispatcher never finishes a reading and stops answering after it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QLocale, QObject
from pytestqt.qtbot import QtBot

from kiosk.engine import Questionnaire
from kiosk.ui.driver import VisitDriver
from kiosk.ui.pages import NumberPage, QuestionPage
from kiosk.ui.speech import (
    FASTEST,
    LONGEST_S,
    SECONDS_PER_UNIT,
    SPOKEN_UNITS,
    Speaker,
    choose_voice,
    real_engines,
    speech_rate,
)
from kiosk.ui.window import KioskWindow
from tests.test_processes import left_behind, marked

ROOT = Path(__file__).resolve().parents[2]
SPEECHD_CONFIG = Path("/etc/speech-dispatcher")
MANDARIN = "Chinese (Mandarin, latin as Pinyin)"

needs_speechd = pytest.mark.skipif(
    "speechd" not in real_engines() or shutil.which("speech-dispatcher") is None,
    reason="no speech-dispatcher engine here (speech-dispatcher, libspeechd, Qt's plugin)",
)
needs_speechd_plugin = pytest.mark.skipif(
    "speechd" not in real_engines() or shutil.which("setpriv") is None,
    reason="Qt's speech-dispatcher plugin (libspeechd) and setpriv are needed",
)


# ---------------------------------------------------------------------- choosing a voice


@dataclass
class Voice:
    """Stands in for QVoice: what choose_voice reads."""

    voice_name: str
    locale_name: str

    def name(self) -> str:
        return self.voice_name

    def locale(self) -> QLocale:
        return QLocale(self.locale_name)


ESPEAK = [  # as speech-dispatcher lists espeak-ng's voices ("C": no Qt locale for cmn)
    Voice("Bishnupriya Manipuri", "C"),
    Voice("Chinese (Mandarin, latin as English)", "C"),
    Voice("Chinese (Mandarin, latin as English)+Adam", "C"),
    Voice("Chinese (Mandarin, latin as Pinyin)+Adam", "C"),
    Voice("Chinese (Mandarin, latin as Pinyin)", "C"),
    Voice("Hakka Chinese", "C"),
    Voice("Chinese (Cantonese)", "yue_HK"),
    Voice("English (Scotland)", "en_GB"),
    Voice("English (America)", "en_US"),
    Voice("English (Great Britain)+Zac", "en_GB"),
    Voice("English (Great Britain)", "en_GB"),
]


def test_mandarin_with_pinyin_and_a_british_voice_among_espeak_ngs_voices() -> None:
    assert choose_voice(ESPEAK, "zh_CN").name() == MANDARIN
    assert choose_voice(reversed(ESPEAK), "zh_CN").name() == MANDARIN
    assert choose_voice(ESPEAK, "en").name() == "English (Great Britain)"


def test_chinese_is_never_given_a_voice_that_cannot_read_it() -> None:
    # "latin as English" reads 您的 as "nin two, de five"; the others are not Mandarin.
    unreadable = [
        Voice("Chinese (Mandarin, latin as English)", "C"),
        Voice("Chinese (Cantonese)", "yue_HK"),
        Voice("Hakka Chinese", "C"),
        Voice("Microsoft Tracy", "zh_HK"),
        Voice("English (Great Britain)", "en_GB"),
    ]
    assert choose_voice(unreadable, "zh_CN") is None


def test_other_engines_voices_are_chosen_by_locale() -> None:
    windows = [Voice("Microsoft Zira", "en_US"), Voice("Microsoft Huihui", "zh_CN")]
    assert choose_voice(windows, "zh_CN").name() == "Microsoft Huihui"
    assert choose_voice(windows, "en").name() == "Microsoft Zira"
    mock = [Voice("Bob", "en_GB"), Voice("Kari", "fi_FI")]  # Qt's test engine
    assert choose_voice(mock, "zh_CN") is None


def estimated_seconds(text: str, lang: str) -> float:
    """The model speech_rate uses: seconds at rate 0, shortened by the words a minute
    the rate adds (espeak-ng under speech-dispatcher: 170 + 279 × rate)."""
    seconds = len(SPOKEN_UNITS[lang].findall(text)) * SECONDS_PER_UNIT[lang]
    return seconds * 170 / (170 + 279 * speech_rate(text, lang))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_long_questions_are_read_faster_and_none_too_fast(
    questionnaire: Questionnaire, lang: str
) -> None:
    rates = {}
    for question in questionnaire.questions:
        parts = [question.text.get(lang), question.help.get(lang)]
        parts += [f"{n}. {o.text.get(lang)}" for n, o in enumerate(question.options, 1)]
        text = "\n".join(parts)
        rates[question.id] = rate = speech_rate(text, lang)
        assert 0 <= rate <= FASTEST
        if rate < FASTEST:
            assert estimated_seconds(text, lang) <= LONGEST_S + 0.5, question.id
    assert rates["age"] == 0  # a short text at the engine's own pace
    assert rates["housing"] > 0  # the longest, read faster


# ---------------------------------------------------------------------- the button


@pytest.fixture
def mock_speaker(window: KioskWindow) -> Speaker:
    """Qt's test engine (it speaks a word every 100 ms, with the states of a real one)."""
    window.speaker = Speaker(engine="mock")
    return window.speaker


def on_job(drive: VisitDriver, lang: str = "en") -> QuestionPage:
    drive.begin(lang)
    drive.answer("age", 38)
    assert drive.screen == "job"
    page = drive.window.pages["job"]  # type: ignore[attr-defined]
    assert isinstance(page, QuestionPage)
    return page


def test_the_button_says_that_it_reads_and_a_second_tap_stops_it(
    mock_speaker: Speaker, drive: VisitDriver, qtbot: QtBot
) -> None:
    page = on_job(drive)
    assert drive.text("job.speak") == "Read aloud"
    drive.tap("job.speak")
    assert drive.text("job.speak") == "Stop reading"
    assert page.speaker.property("current") == "true"
    assert mock_speaker.speaking
    qtbot.waitUntil(lambda: mock_speaker.begun, timeout=5000)
    drive.tap("job.speak")
    assert drive.text("job.speak") == "Read aloud"
    assert page.speaker.property("current") == "false"
    assert not mock_speaker.speaking
    qtbot.waitUntil(lambda: mock_speaker.settled, timeout=5000)
    qtbot.wait(300)  # the engine's Ready after the stop changes nothing
    assert drive.text("job.speak") == "Read aloud"


def test_the_button_returns_when_the_reading_ends(
    mock_speaker: Speaker, drive: VisitDriver, qtbot: QtBot
) -> None:
    on_job(drive)
    drive.tap("job.speak")
    qtbot.waitUntil(lambda: mock_speaker.begun, timeout=5000)
    assert drive.text("job.speak") == "Stop reading"
    qtbot.waitUntil(lambda: drive.text("job.speak") == "Read aloud", timeout=15_000)
    assert not mock_speaker.speaking


def test_a_new_screen_stops_the_reading(
    mock_speaker: Speaker, drive: VisitDriver, qtbot: QtBot
) -> None:
    page = on_job(drive)
    drive.tap("job.speak")
    qtbot.waitUntil(lambda: mock_speaker.begun, timeout=5000)
    drive.answer("job", "regular_income")
    assert not mock_speaker.speaking
    assert not page.speaking
    assert page.speaker.text() == "Read aloud"


def test_the_button_in_chinese(window: KioskWindow, drive: VisitDriver) -> None:
    page = on_job(drive, "zh_CN")
    assert drive.text("job.speak") == "朗读"
    page.show_speaking(True)
    assert drive.text("job.speak") == "停止朗读"
    window.set_language("en")
    assert drive.text("job.speak") == "Stop reading"
    page.show_speaking(False)
    assert drive.text("job.speak") == "Read aloud"


# ---------------------------------------------------------------------- the number pad


def test_the_number_pad_reads_its_range_and_the_number_typed(
    mock_speaker: Speaker, window: KioskWindow, drive: VisitDriver
) -> None:
    drive.begin("en")
    page = window.pages["age"]
    assert isinstance(page, NumberPage)
    text = page.spoken_text()
    assert text.startswith("How old are you?\n")
    assert "Please enter a number from 18 to 100" in text
    assert "You entered" not in text
    drive.type_number("age", 150)
    assert mock_speaker.last is None  # read-aloud was not asked for: the keys are silent
    assert "You entered 150 years" in page.spoken_text()
    assert "150 is not possible here" in page.spoken_text()
    drive.tap("age.speak")
    assert mock_speaker.last is not None
    assert "You entered 150 years" in mock_speaker.last[0]
    drive.tap("age.key.clear")  # from now on each key is answered
    assert mock_speaker.last == ("Please enter a number from 18 to 100", "en")
    drive.tap("age.key.3")
    assert mock_speaker.last == ("You entered 3 years", "en")
    drive.tap("age.key.8")
    assert mock_speaker.last == ("You entered 38 years", "en")
    assert page.speaking  # the button stops the number's reading too


def test_the_number_pad_in_chinese(mock_speaker: Speaker, window: KioskWindow) -> None:
    drive = VisitDriver(window)
    drive.begin("zh_CN")
    page = window.pages["age"]
    assert isinstance(page, NumberPage)
    assert "请输入 18 至 100 之间的数字" in page.spoken_text()
    drive.tap("age.speak")
    drive.type_number("age", 38)
    assert mock_speaker.last == ("您输入的是 38岁", "zh_CN")


def test_a_new_visit_does_not_read_the_keys(mock_speaker: Speaker, window: KioskWindow) -> None:
    drive = VisitDriver(window)
    drive.begin("en")
    drive.tap("age.speak")
    window.wipe()
    mock_speaker.last = None
    drive.begin("en")
    drive.type_number("age", 38)
    assert mock_speaker.last is None


# ---------------------------------------------------------------------- the real engine


def null_audio_config(folder: Path) -> list[str]:
    """speech-dispatcher options: the system's configuration, with ALSA's null device as
    its audio output (a reading then ends at once, with or without a sound card)."""
    if not (SPEECHD_CONFIG / "speechd.conf").is_file():
        pytest.skip(f"no {SPEECHD_CONFIG}/speechd.conf to start from")
    config = folder / "speechd-config"
    shutil.copytree(SPEECHD_CONFIG, config, symlinks=True)
    with (config / "speechd.conf").open("a", encoding="utf-8") as conf:
        conf.write('\nAudioOutputMethod "alsa"\nAudioALSADevice "null"\n')
    return ["--config-dir", str(config)]


def run_child(
    tmp_path: Path, script: str, *args: str, lang: str = "C.UTF-8", timeout: float = 240
) -> tuple[subprocess.CompletedProcess[str], str]:
    mark, env = marked(tmp_path)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        env.pop(name, None)
    env["LANG"] = lang
    run = subprocess.run(
        [sys.executable, "-c", script, *args],
        check=False,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return run, mark


def result(run: subprocess.CompletedProcess[str]) -> Any:
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, run.stdout + run.stderr
    return json.loads(lines[-1])


ALTERNATING = textwrap.dedent(
    """\
    import json, sys
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication
    from kiosk.ui import speech
    from kiosk.ui.driver import wait_until

    app = QApplication([])
    speech.SpeechDaemon.options = sys.argv[1:]
    speaker = speech.Speaker()
    readings = [
        ("zh_CN", "您的年龄是？"),
        ("en", "How old are you?"),
        ("zh_CN", "您的工作收入属于哪一种？"),
        ("en", "You entered 38 years"),
        ("zh_CN", "请输入 18 至 100 之间的数字"),
    ]
    seen = []
    for lang, text in readings:
        speaker.say(text, lang)
        wait_until(lambda: speaker.begun, 60)
        wait_until(lambda: speaker.settled, 10)
        name, locale = speaker.engine_voice()
        wait_until(lambda: not speaker.speaking, 30)  # the engine said the reading ended
        seen.append({"lang": lang, "voice": name, "locale": locale, "reported": speaker.voice})
    print(json.dumps({"system": QLocale.system().name(), "seen": seen}), flush=True)
    """
)


@needs_speechd
@pytest.mark.parametrize("lang", ["C.UTF-8", "zh_CN.UTF-8", "en_US.UTF-8"])
def test_the_voice_fits_the_language_whatever_the_locale_and_what_was_read_before(
    tmp_path: Path, lang: str
) -> None:
    run, mark = run_child(tmp_path, ALTERNATING, *null_audio_config(tmp_path), lang=lang)
    found = result(run)
    assert found["system"] == lang.split(".", maxsplit=1)[0]
    assert [each["lang"] for each in found["seen"]] == ["zh_CN", "en", "zh_CN", "en", "zh_CN"]
    for each in found["seen"]:
        assert each["reported"] == [each["voice"], each["locale"]]  # voiceChanged agrees
        if each["lang"] == "zh_CN":
            assert "Mandarin" in each["voice"] or each["locale"].startswith("zh_"), each
            assert "latin as English" not in each["voice"], each
            if "Chinese (" in each["voice"]:  # espeak-ng
                assert each["voice"] == MANDARIN
        else:
            assert each["locale"].startswith("en_"), each
    assert left_behind(mark) == []


# ---------------------------------------------------------------------- a hung daemon

HUNG_WINDOW = textwrap.dedent(
    """\
    import json, os, signal, sys, time
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from kiosk.ui import main_window, speech
    from kiosk.ui.driver import VisitDriver, wait_until

    speech.NO_ANSWER_MS = 2000
    speech.SpeechDaemon.options = sys.argv[2:]
    window = main_window(Path(sys.argv[1]), lockdown=False)
    window.resize(1280, 800)
    window.show()
    drive = VisitDriver(window)
    drive.begin("zh_CN")
    drive.answer("age", 38)
    drive.tap("job.speak")
    wait_until(lambda: window.speaker.begun, 60)
    wait_until(lambda: window.speaker.settled, 10)
    daemon = speech.SpeechDaemon.current
    os.kill(daemon.process.pid, signal.SIGSTOP)  # the kiosk's speech-dispatcher stops answering

    gaps, last = [], [time.monotonic()]
    def beat():
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now
    heart = QTimer()
    heart.timeout.connect(beat)
    heart.start(10)
    took = {}
    def timed(name, call):
        start = time.monotonic()
        call()
        took[name] = max(took.get(name, 0.0), time.monotonic() - start)
    def pump(seconds):
        end = time.monotonic() + seconds
        wait_until(lambda: time.monotonic() > end, seconds + 5)

    speaker = window.speaker
    timed("stop", speaker.stop)  # the engine is now held in spd_cancel_all
    pump(0.5)
    held = not speaker.settled
    for _ in range(3):
        timed("say", lambda: speaker.say("您的工作收入属于哪一种？", "zh_CN"))
        timed("stop", speaker.stop)
    timed("tap read aloud", lambda: drive.tap("job.speak"))
    shown = drive.text("job.speak")
    pump(3)  # the reading does not begin: given up after NO_ANSWER_MS
    given_up = drive.text("job.speak")
    timed("tap read aloud", lambda: drive.tap("job.speak"))
    drive.answer("job", "regular_income")  # a tap, the highlight, the next question
    timed("new screen", lambda: drive.tap("nav.back"))
    timed("new screen", lambda: window.show_screen("burden"))
    pump(1)
    heart.stop()
    print(json.dumps({
        "held": held, "took": took, "longest_gap": max(gaps), "beats": len(gaps),
        "shown": shown, "given_up": given_up, "screen": drive.screen,
    }), flush=True)
    window.exit_to_desktop()
    """
)


@needs_speechd
def test_a_stopped_speech_daemon_never_holds_up_the_screen(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    options = null_audio_config(tmp_path)
    start = time.monotonic()
    run, mark = run_child(tmp_path, HUNG_WINDOW, str(settings), *options)
    found = result(run)
    assert found["held"], found  # the daemon really held the engine
    for call, seconds in found["took"].items():
        assert seconds < 0.1, (call, found)
    # The event loop never stopped (a 10 ms timer; a busy machine may delay one a little).
    assert found["longest_gap"] < 0.25, found
    assert found["beats"] > 200, found
    assert found["shown"] == "停止朗读"  # the tap shows at once that it reads…
    assert found["given_up"] == "朗读"  # …and gives up when the engine does not begin
    assert found["screen"] == "burden"
    assert "has not ended" in run.stderr  # the exit left the held thread, and did not wait
    assert time.monotonic() - start < 120
    assert left_behind(mark) == []  # the stopped daemon died with the kiosk


SILENT_DAEMON = textwrap.dedent(
    """\
    import json, os, subprocess, sys, tempfile, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from kiosk.ui import speech
    from kiosk.ui.driver import wait_until

    # A speech "daemon" that accepts every connection and never answers.
    SERVER = (
        "import socket, sys\\n"
        "server = socket.socket(socket.AF_UNIX)\\n"
        "server.bind(sys.argv[1])\\n"
        "server.listen(8)\\n"
        "held = []\\n"
        "while True:\\n"
        "    held.append(server.accept()[0])\\n"
    )

    def start(cls, timeout=5.0):
        folder = tempfile.mkdtemp(prefix="kiosk-speechd-")
        path = os.path.join(folder, "speechd.sock")
        command = ["setpriv", "--pdeathsig", "KILL", "--", sys.executable, "-c", SERVER, path]
        process = subprocess.Popen(command, start_new_session=True)
        while not os.path.exists(path):
            time.sleep(0.01)
        return cls(process, folder, dies_with_us=True)

    speech.SpeechDaemon.start = classmethod(start)
    speech.NO_ANSWER_MS = 1000
    app = QApplication([])
    speaker = speech.Speaker("speechd")
    told = []
    gaps, last = [], [time.monotonic()]
    def beat():
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now
    heart = QTimer()
    heart.timeout.connect(beat)
    heart.start(10)
    took = {"say": 0.0, "stop": 0.0}
    for _ in range(5):
        for name, call in (
            ("say", lambda: speaker.say("您的年龄是？", "zh_CN", told.append)),
            ("stop", speaker.stop),
            ("say", lambda: speaker.say("How old are you?", "en", told.append)),
        ):
            begin = time.monotonic()
            call()
            took[name] = max(took[name], time.monotonic() - begin)
        end = time.monotonic() + 0.3
        wait_until(lambda: time.monotonic() > end)
    wait_until(lambda: not speaker.speaking, 5)  # given up: it never began
    heart.stop()
    print(json.dumps({"took": took, "longest_gap": max(gaps), "told": told}), flush=True)
    """
)


@needs_speechd_plugin
def test_a_daemon_that_never_answers_never_holds_up_the_gui_thread(tmp_path: Path) -> None:
    start = time.monotonic()
    run, mark = run_child(tmp_path, SILENT_DAEMON, timeout=120)
    found = result(run)
    assert found["took"]["say"] < 0.1, found
    assert found["took"]["stop"] < 0.1, found
    assert found["longest_gap"] < 0.25, found  # a 10 ms timer kept ticking
    assert found["told"][0] is True
    assert found["told"][-1] is False  # the last reading never began, and the button says so
    assert time.monotonic() - start < 60
    assert left_behind(mark) == []


def test_without_an_engine_read_aloud_does_nothing() -> None:
    """Without an engine read-aloud is off: say() and stop() do nothing at all."""
    speaker = Speaker(engine="")
    assert not speaker.available
    speaker.say("您好", "zh_CN", lambda _on: pytest.fail("told about a reading"))
    speaker.stop()
    assert not speaker.speaking


def test_a_closed_windows_page_is_not_told(qtbot: QtBot) -> None:
    """A reading that ends after its page is gone (a window closed) tells no one."""

    class Page(QObject):
        def show_speaking(self, speaking: bool) -> None:
            told.append(speaking)

    told: list[bool] = []
    page = Page()
    speaker = Speaker(engine="mock")
    speaker.say("How old are you?", "en", page.show_speaking)
    assert told == [True]
    shiboken6.delete(page)
    speaker.stop()  # would raise: Internal C++ object already deleted
    assert told == [True]
    qtbot.waitUntil(lambda: speaker.settled, timeout=5000)
