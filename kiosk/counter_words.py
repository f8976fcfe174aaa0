"""The counter's words (SPEC §16): a found sheet's whole profile, and a refusal, in the
language staff chose. No Qt: the window (kiosk.ui.counter) only lays these out.

The staff copy's facts (segment, key client, service strategy) are said as on the sheet's
second page (kiosk.report.staff_page), the explanation as on the result screen
(kiosk.wording.explanation_lines), every answer as the client read it
(kiosk.wording.answer)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.engine import Profile, Questionnaire
from kiosk.i18n import texts
from kiosk.wording import Explained, answer, explanation_lines, shares
from kiosk.wording import sentences as sentences_of


@dataclass(frozen=True)
class Fact:
    """One line of the profile: its name for tests (`counter.<key>`), label and value."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Score:
    """Risk capacity or risk attitude (`counter.<key>.score`, `counter.<key>.level`)."""

    key: str
    label: str
    score: str
    level: str


@dataclass(frozen=True)
class AnswerLine:
    question_id: str
    question: str
    answer: str
    points: str
    """The points it scored ('' for an unscored question)."""


@dataclass(frozen=True)
class ProfileWords:
    heading: str
    """"Sheet 0000-20261202-1001"."""
    signature: str
    signature_ok: bool
    """The code's signature was checked and holds (valid)."""
    scores: tuple[Score, Score]
    facts: tuple[Fact, ...]
    """Allocation, life stage, family life cycle."""
    explained: Explained
    staff: tuple[Fact, ...]
    """Segment, key client, capital, activity, service level, service content."""
    answers_heading: str
    answers: tuple[AnswerLine, ...]


def profile_words(
    questionnaire: Questionnaire,
    profile: Profile,
    sheet: str,
    signature: str,
    lang: str,
) -> ProfileWords:
    """Everything the counter shows of one profile, in `lang`."""
    _ = texts(lang)
    tables = questionnaire.tables
    capacity = tables.level(profile.capacity.level).capacity.get(lang)
    attitude = tables.level(profile.attitude.level).attitude.get(lang)
    signatures = {
        "valid": _("Signature valid: printed by a kiosk of this bank, unchanged"),
        "unsigned": _("Unsigned code (no sheet key is set here)"),
        "not_recorded": _("From this machine's session log (no sheet code was recorded)"),
        "fleet": _("From the bank's fleet database (rebuilt from the answers recorded there)"),
    }
    stage = tables.life_stage(profile.life_stage)
    cycle = (
        tables.life_cycle_stage(profile.life_cycle).name.get(lang)
        if profile.life_cycle is not None
        else _("Not answered")
    )
    allocation = " / ".join(
        f"{name} {percent}%" for name, percent in shares(tables, profile.allocation, lang)
    )
    return ProfileWords(
        heading=_("Sheet {number}").format(number=sheet),
        signature=signatures.get(signature, signature),
        signature_ok=signature == "valid",
        scores=(
            Score("capacity", _("Risk capacity"), str(profile.capacity.score), capacity),
            Score("attitude", _("Risk attitude"), str(profile.attitude.score), attitude),
        ),
        facts=(
            Fact("allocation", _("Suggested asset allocation"), allocation),
            Fact("life_stage", _("Life stage"), stage.name.get(lang)),
            Fact("life_cycle", _("Family life cycle"), cycle),
        ),
        explained=explanation_lines(tables, profile, lang),
        staff=_staff_facts(questionnaire, profile, lang),
        answers_heading=_("Answers"),
        answers=_answer_lines(questionnaire, profile, lang),
    )


def _staff_facts(questionnaire: Questionnaire, profile: Profile, lang: str) -> tuple[Fact, ...]:
    _ = texts(lang)
    tables = questionnaire.tables
    segment = profile.segment
    if segment is None:
        return (Fact("segment", _("Client segment"), _("Not answered")),)
    capital = tables.capital_band(segment.capital)
    activity = tables.activity_band(segment.activity)
    name = tables.segment_label.get(lang).format(
        activity=activity.name.get(lang), capital=capital.name.get(lang)
    )
    flag = _("Key client") if segment.key_client else _("Not a key client")
    if segment.id == tables.most_important_segment:
        flag += " · " + _("the most important segment")
    level = tables.service_level(capital.service_level)
    contents = _("; ").join(
        _("{name}: {description}").format(
            name=service.name.get(lang), description=service.description.get(lang)
        )
        for service in (tables.service(s) for s in activity.services)
    )
    return (
        Fact("segment", _("Client segment"), f"{name} ({segment.id})"),
        Fact("key_client", _("Key client"), flag),
        Fact("capital", _("Capital"), capital.name.get(lang)),
        Fact(
            "activity", _("Activity"), f"{activity.name.get(lang)} — {activity.turnover.get(lang)}"
        ),
        Fact(
            "service_level",
            _("Service level"),
            f"{level.name.get(lang)} — {level.description.get(lang)}",
        ),
        Fact("services", _("Service content"), contents),
    )


def _answer_lines(
    questionnaire: Questionnaire, profile: Profile, lang: str
) -> tuple[AnswerLine, ...]:
    _ = texts(lang)
    points = dict(profile.capacity.points) | dict(profile.attitude.points)
    given = dict(profile.answers)
    lines = []
    for question in questionnaire.questions:
        value = given.get(question.id)
        shown = _("Not answered") if value is None else answer(question, value, lang)
        scored = points.get(question.id)
        lines.append(
            AnswerLine(
                question.id,
                question.text.get(lang),
                shown,
                "" if scored is None else _("{points} points").format(points=scored),
            )
        )
    return tuple(lines)


def refusal_words(
    reason: str, lang: str, *, sheet: str = "", version: str = "", from_log: bool = False
) -> str:
    """Why the counter shows nothing, in one or two calm sentences."""
    _ = texts(lang)
    sentences = {
        "too_long": _("Refused: this is longer than any sheet code."),
        "character": _("Refused: this has characters that no sheet code has."),
        "not_text": _("Refused: this is neither a sheet code nor a sheet number."),
        "prefix": _("Refused: this is neither a sheet code nor a sheet number."),
        "fields": _("Refused: this code is incomplete or malformed. Scan it again."),
        "tag_format": _("Refused: the code's signature is malformed. Scan it again."),
        "tag": _(
            "Refused: the code does not match its signature. It was changed, or it was "
            "signed with another bank's key."
        ),
        "no_key": _(
            "Refused: the code is signed, but no sheet key is set on this counter to check "
            "it. Ask support to set the bank's sheet key."
        ),
        "unsigned": _("Refused: the code is unsigned, but this bank's sheets are signed."),
        "sheet_number": _("Refused: the code's sheet number is malformed."),
        "version": _(
            "Refused: the sheet was made with questionnaire version {version}, which this "
            "counter does not have."
        ).format(version=version or "?"),
        "answers": _("Refused: an answer in the code is not one the questionnaire accepts."),
        "not_found": _(
            "Sheet {number} is not in the records this counter can read. "
            "Scan the sheet's QR code instead."
        ).format(number=sheet),
        "unreadable": _(
            "The records of sheets cannot be read just now. Scan the sheet's QR code instead."
        ),
        "empty": _("Scan the QR code on the client's sheet, or type a sheet number."),
    }
    said = sentences.get(reason, _("Refused: this is neither a sheet code nor a sheet number."))
    if from_log:
        said = sentences_of(
            lang, _("The code recorded for sheet {number}:").format(number=sheet), said
        )
    return said
