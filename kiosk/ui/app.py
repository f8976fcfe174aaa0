"""The QApplication: the bundled font, the style sheet, Qt's messages into logging."""

from __future__ import annotations

import contextlib
import logging
import os
import sys

from PySide6.QtCore import QLocale, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.engine.errors import DataError
from kiosk.fonts import font_path
from kiosk.palette import ACCENT, DISABLED, INK, LINE, MUTED, OUTLINE, PANEL, PAPER, WARNING, WHITE

log = logging.getLogger("kiosk.qt")

FONT_FAMILY = "WenQuanYi Micro Hei"
QUIET_NOTICES = (
    "pipewire",  # QtMultimedia looks for PipeWire first, then uses PulseAudio
    "propagateSizeHints",  # the offscreen platform cannot resize a real window
)
LARGE_TEXT_SCALE = 1.3
MIN_TEXT_SCALE = 1.0
"""Text never shrinks below its design size (body 28 px): smaller screens scale targets
and spacing, not the text."""


def ensure_app() -> QApplication:
    """The process's QApplication (created once, offscreen when there is no display),
    with the bundled font loaded when it can be (main_window says when it cannot)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        if not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        qInstallMessageHandler(_qt_message)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("branch-risk-kiosk")
    with contextlib.suppress(DataError):
        load_font(app)
    return app


def apply_locale(lang: str, window: QWidget) -> None:
    """Make the visit's language the locale of `window` and its widgets, which Qt's
    accessibility bridge reports to a screen reader as each object's locale (AT-SPI), so
    that it reads them with a Chinese or an English voice, not the system's ("C" on a
    kiosk). No widget of the kiosk formats anything by locale: nothing on screen changes.
    It costs ~15 ms over the whole window, so the window does it only for a screen reader.

    Not QLocale.setDefault (the application's own AT-SPI locale): QTextToSpeech lists only
    the voices of its engine's locale, which starts as that default, and espeak-ng's
    Mandarin voice is listed under "C" alone, so read-aloud would lose it
    (kiosk.ui.speech; tests/ui/test_kiosk.py::test_a_real_speech_engine_is_found_and_speaks)."""
    locale = QLocale(lang)
    if window.locale().name() != locale.name():
        window.setLocale(locale)


def load_font(app: QApplication) -> None:
    """Use the bundled CJK font, never whatever the system has (SPEC: same file as the sheet).

    Once per application; raises DataError naming the file when it cannot be loaded.
    """
    if app.property("kiosk_font") is not None:
        return
    path = font_path()
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
    if font_id < 0:
        raise DataError([f"{path}: the screen font is missing or damaged; reinstall the kiosk"])
    app.setProperty("kiosk_font", FONT_FAMILY)
    font = QFont(FONT_FAMILY)
    font.setPixelSize(28)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(kind, logging.WARNING)
    if level == logging.WARNING and any(notice in message for notice in QUIET_NOTICES):
        level = logging.INFO
    log.log(level, "%s", message)


def screen_scale(width: int, height: int) -> float:
    """Sizes are designed for 1920×1080; smaller screens scale them down. A portrait
    screen is as wide as a landscape one is high, and has room below: it scales by its
    width, so its text is as large as on a landscape screen of the same size."""
    if height > width:
        return round(max(0.72, min(1.2, width / 1080, height / 1600)), 2)
    return round(max(0.72, min(1.2, height / 1000, width / 1200)), 2)


def style_sheet(large_text: bool, scale: float = 1.0) -> str:
    """The kiosk's look: large, calm, high contrast; every size scales with the screen
    and again in large-text mode."""
    k = (LARGE_TEXT_SCALE if large_text else 1.0) * max(scale, MIN_TEXT_SCALE)

    def px(size: float) -> str:
        """A text size: follows the screen and large-text mode."""
        return f"{round(size * k)}px"

    def normal(size: float) -> str:
        """A text size without large text (where large text cannot fit)."""
        return f"{round(size * max(scale, MIN_TEXT_SCALE))}px"

    def dim(size: float) -> str:
        """A target size: follows the screen only, so large text still fits the page."""
        return f"{round(size * scale)}px"

    return f"""
    QWidget {{ color: {INK}; font-family: "{FONT_FAMILY}"; font-size: {px(28)}; }}
    #kiosk {{ background: {PAPER}; }}
    #header {{ background: {PANEL}; border-bottom: 2px solid {LINE}; }}
    #header QLabel {{ font-size: {px(24)}; color: {MUTED}; }}
    #header QLabel#header.branch {{ color: {ACCENT}; }}
    QLabel[role="title"] {{ font-size: {px(44)}; color: {ACCENT}; }}
    QLabel[role="question"] {{ font-size: {px(40)}; }}
    QLabel[role="help"] {{ font-size: {px(26)}; color: {MUTED}; }}
    QLabel[role="hint"] {{ font-size: {px(34)}; color: {MUTED}; }}
    QLabel[role="big"] {{ font-size: {px(88)}; color: {ACCENT}; }}
    QLabel[role="score"] {{ font-size: {px(72)}; color: {ACCENT}; }}
    QLabel[role="value"] {{ font-size: {px(80)}; color: {INK}; }}
    QLabel[role="level"] {{ font-size: {px(36)}; }}
    QLabel[role="warning"] {{ font-size: {px(28)}; color: {WARNING}; }}
    QLabel[role="small"] {{ font-size: {px(22)}; color: {MUTED}; }}
    QFrame[role="card"] {{ background: {PANEL}; border: 1px solid {LINE}; border-radius: 16px; }}
    QPushButton {{
        background: {PANEL}; border: 2px solid {ACCENT}; border-radius: 14px;
        padding: {dim(8)} {dim(22)}; min-height: {dim(72)}; font-size: {px(30)}; color: {ACCENT};
    }}
    QPushButton:disabled {{ border: 2px dashed {OUTLINE}; background: {DISABLED}; color: {MUTED}; }}
    QPushButton[role="primary"] {{ background: {ACCENT}; color: {WHITE}; }}
    QPushButton[role="primary"]:disabled {{ background: {DISABLED}; color: {MUTED}; }}
    QPushButton[role="option"] {{ min-height: 0; border-color: {OUTLINE}; padding: 0; }}
    OptionGrid {{ qproperty-naturalHeight: {dim(100)}; qproperty-leastHeight: {max(60, round(64 * scale))}; }}
    QPushButton[role="option"] QLabel {{ font-size: {px(34)}; color: {INK}; }}
    OptionGrid[tight="true"] QPushButton[role="option"] QLabel {{ font-size: {normal(34)}; }}
    ResultPage[fit="2"] QLabel, ResultPage[fit="2"] Gauge {{ font-size: {normal(28)}; }}
    ResultPage[fit="2"] QLabel[role="help"] {{ font-size: {normal(26)}; }}
    ResultPage[fit="2"] QLabel[role="score"] {{ font-size: {normal(60)}; }}
    ResultPage[fit="2"] QLabel[role="level"] {{ font-size: {normal(32)}; }}
    ResultPage[fit="2"] QLabel[role="small"] {{ font-size: {normal(22)}; }}
    ResultPage[fit="2"] QLabel[compact="true"] {{ font-size: {normal(23)}; }}
    ResultPage[fit="2"] QLabel[role="score"][compact="true"] {{ font-size: {normal(48)}; }}
    QPushButton[role="option"][chosen="true"] {{ background: {ACCENT}; border-color: {ACCENT}; }}
    QPushButton[role="option"][chosen="true"] QLabel {{ color: {WHITE}; }}
    QPushButton[role="key"] {{ font-size: {px(44)}; min-height: {dim(84)}; min-width: {dim(120)}; padding: {dim(4)}; color: {INK}; }}
    QPushButton[role="key"][word="true"] {{ font-size: {px(30)}; }}
    QPushButton[role="quiet"] {{ border-color: {OUTLINE}; color: {MUTED}; font-size: {px(24)}; min-height: {px(56)}; }}
    QPushButton[role="lang"] {{ border-color: {OUTLINE}; color: {MUTED}; font-size: {px(24)}; min-height: {px(56)}; padding: 4px {px(18)}; }}
    QPushButton[role="quiet"][current="true"] {{ background: {ACCENT}; color: {WHITE}; border-color: {ACCENT}; }}
    QPushButton[role="lang"][current="true"] {{ background: {ACCENT}; color: {WHITE}; border-color: {ACCENT}; }}
    QPushButton[role="face"] {{ font-size: {px(36)}; min-height: {dim(120)}; min-width: {dim(120)}; padding: {dim(8)}; }}
    QPushButton#admin\\.corner {{ background: transparent; border: none; min-height: 0; padding: 0; }}
    QPushButton#attract\\.start {{
        background: transparent; border: none; min-height: 0; padding: 0;
    }}
    QLineEdit, QComboBox, QSpinBox {{
        min-height: {dim(64)}; padding: 2px {dim(12)}; font-size: {px(28)};
        background: {PANEL}; border: 2px solid {OUTLINE}; border-radius: 8px;
    }}
    QListWidget {{ font-size: {px(28)}; background: {PANEL}; border: 2px solid {OUTLINE}; }}
    QListWidget::item {{ min-height: {dim(56)}; }}
    AdminPanel QPushButton[role="quiet"], PinPage QPushButton[role="quiet"] {{
        min-height: {dim(72)}; padding: {dim(8)} {dim(22)}; font-size: {px(26)};
    }}
    PinPage QPushButton[role="quiet"] {{ min-width: {dim(240)}; }}
    AdminPanel QLineEdit {{ min-height: {dim(82)}; }}
    AdminPanel QLabel[field="true"] {{ min-height: {round(72 * scale) + 2 * round(8 * scale) + 4}px; }}
    AdminPanel QListWidget::item {{ min-height: {dim(90)}; padding: 0 {dim(12)}; }}
    AdminPanel QListWidget::item:selected {{ background: {ACCENT}; color: {WHITE}; }}
    Keyboard QPushButton[role="key"] {{
        min-width: 0; min-height: {dim(72)}; padding: {dim(8)} 0; font-size: {px(34)};
    }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; }}
    QScrollBar:vertical {{ width: {dim(18)}; background: {PAPER}; }}
    QScrollBar::handle:vertical {{ background: {OUTLINE}; border-radius: {dim(9)}; min-height: {dim(60)}; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; }}
    #idle\\.countdown {{ background: rgba(31, 42, 54, 200); }}
    #idle\\.countdown QFrame[role="card"] {{ background: {PANEL}; }}
    """
