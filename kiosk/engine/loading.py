"""Load the questionnaire and tables in `resources/` into the frozen model.

Reads the two TOML files, fingerprints them (sha256), and builds `kiosk.engine.model`
from them through a `Checker`, so that every problem is collected (not just the first)
with the file, the key path and the value; bad data raises one DataError listing all of
them, and `kiosk check-config` shows that list.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from kiosk.engine.errors import DataError
from kiosk.engine.explanation_data import check_rules, explanation_texts
from kiosk.engine.model import (
    LIFE_CYCLE_QUESTIONS,
    RISK_CLASS_IDS,
    SCORED_SECTIONS,
    SECTIONS,
    ActivityBand,
    CapitalBand,
    Level,
    LifeCycleRule,
    LifeCycleStage,
    LifeStage,
    LinearPoints,
    Option,
    Question,
    Questionnaire,
    RiskClass,
    Service,
    Text,
)
from kiosk.engine.resources import LANGS, QUESTIONNAIRE_FILE, TABLES_FILE, default_resources_dir
from kiosk.engine.tables import Tables
from kiosk.engine.validation import (
    Checker,
    check_bands,
    check_life_cycle_coverage,
    check_rule_questions,
    check_score_range,
    check_thresholds,
    join_ids,
)


def load_questionnaire(resources: Path | None = None) -> Questionnaire:
    """Read, validate and freeze the questionnaire and its tables.

    Raises DataError listing every problem (file, key path, value) when the data is bad.
    """
    folder = resources if resources is not None else default_resources_dir()
    problems: list[str] = []
    raw_q = _read_toml(folder / QUESTIONNAIRE_FILE, problems)
    raw_t = _read_toml(folder / TABLES_FILE, problems)
    if problems:
        raise DataError(problems)
    digest = hashlib.sha256()
    for name in (QUESTIONNAIRE_FILE, TABLES_FILE):
        digest.update((folder / name).read_bytes())
        digest.update(b"\0")
    qp = Checker(QUESTIONNAIRE_FILE, problems)
    tp = Checker(TABLES_FILE, problems)
    header, questions = _questionnaire(qp, raw_q)
    tables = _tables(tp, raw_t, questions)
    if problems:
        raise DataError(problems)
    questionnaire = Questionnaire(
        id=header[0],
        version=header[1],
        sha256=digest.hexdigest(),
        questions=questions,
        tables=tables,
    )
    check_life_cycle_coverage(tp, questionnaire)
    if problems:
        raise DataError(problems)
    return questionnaire


def _read_toml(path: Path, problems: list[str]) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        problems.append(f"{path}: file not found; expected the bundled {path.name}")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror}); check its permissions")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}: not valid TOML ({exc}); fix the syntax")
    except UnicodeDecodeError:
        problems.append(f"{path}: not UTF-8 text; save it as UTF-8")
    return {}


# ---------------------------------------------------------------------- questionnaire.toml


def _questionnaire(
    check: Checker, raw: Mapping[str, object]
) -> tuple[tuple[str, str], tuple[Question, ...]]:
    top = check.table(raw, "", ("id", "version", "questions"))
    header = (check.string(top, "id", ""), check.string(top, "version", ""))
    questions = tuple(
        _question(check, item, f"questions[{index}]")
        for index, item in enumerate(check.entries(top, "questions"))
    )
    ids = [q.id for q in questions]
    check.unique(ids, "questions")
    check_rule_questions(check, questions)
    check_score_range(check, questions)
    return header, questions


def _question(check: Checker, raw: object, path: str) -> Question:
    table = check.table(
        raw,
        path,
        ("id", "section", "kind", "text", "help"),
        ("options", "min", "max", "unit", "points"),
    )
    qid = check.ident(table, "id", path)
    section = check.string(table, "section", path)
    if section and section not in SECTIONS:
        check.bad(f"{path}.section", section, f"is unknown; expected one of {join_ids(SECTIONS)}")
    kind = table.get("kind")
    text = check.text(table, "text", path)
    help_text = check.text(table, "help", path)
    if kind == "number":
        for key in ("options",):
            if key in table:
                check.bad(f"{path}.{key}", table[key], "is not allowed for a number question")
        minimum = check.integer(table, "min", path)
        maximum = check.integer(table, "max", path)
        for key in ("min", "max", "unit", "points"):
            if key not in table:
                check.missing(f"{path}.{key}", "a value for a number question")
        if minimum > maximum:
            check.bad(f"{path}.min", minimum, f"is above max {maximum}; expected min ≤ max")
        rule = check.table(
            table.get("points", {}), f"{path}.points", ("base", "per_unit", "floor", "cap")
        )
        where = f"{path}.points"
        points_rule = LinearPoints(
            base=check.integer(rule, "base", where),
            per_unit=check.integer(rule, "per_unit", where),
            floor=check.integer(rule, "floor", where),
            cap=check.integer(rule, "cap", where),
        )
        return Question(
            id=qid,
            section=section,
            kind="number",
            text=text,
            help=help_text,
            minimum=minimum,
            maximum=maximum,
            unit=check.text(table, "unit", path),
            points_rule=points_rule,
        )
    if kind != "choice":
        check.bad(f"{path}.kind", kind, "is unknown; expected choice or number")
    for key in ("min", "max", "unit", "points"):
        if key in table:
            check.bad(f"{path}.{key}", table[key], "is not allowed for a choice question")
    scored = section in SCORED_SECTIONS
    options: list[Option] = []
    for where, opt in check.records(
        table, "options", path, ("id", "text", "points") if scored else ("id", "text")
    ):
        points = check.integer(opt, "points", where, 0, 100) if scored else None
        options.append(
            Option(
                id=check.ident(opt, "id", where), text=check.text(opt, "text", where), points=points
            )
        )
    check.unique([o.id for o in options], f"{path}.options")
    return Question(
        id=qid, section=section, kind="choice", text=text, help=help_text, options=tuple(options)
    )


# ---------------------------------------------------------------------- tables.toml


def _tables(check: Checker, raw: Mapping[str, object], questions: tuple[Question, ...]) -> Tables:
    top = check.table(
        raw,
        "",
        (
            "levels",
            "risk_classes",
            "allocation",
            "life_stages",
            "life_cycle",
            "segments",
            "service_levels",
            "services",
            "general_services",
            "explanation",
            "checks",
        ),
    )
    by_id = {q.id: q for q in questions}
    levels = _levels(check, top)
    near_within, explanation = explanation_texts(check, top, levels)
    level_ids = tuple(level.id for level in levels)
    service_levels = _services(check, top, "service_levels")
    services = _services(check, top, "services")
    capital, activity = _segments(check, top, by_id, service_levels, services)
    general = check.table(
        top.get("general_services", {}), "general_services", ("level", "services")
    )
    general_level = check.string(general, "level", "general_services")
    if general_level and general_level not in [s.id for s in service_levels]:
        check.bad("general_services.level", general_level, "is not a service level id")
    segments = check.table(
        top.get("segments", {}), "segments", ("capital", "activity", "key_clients", "label")
    )
    key_table = check.table(
        segments.get("key_clients", {}), "segments.key_clients", ("ids", "most_important")
    )
    segment_ids = [f"{a.id}_{c.id}" for a in activity for c in capital]
    key_clients = check.id_list(key_table, "ids", "segments.key_clients", segment_ids)
    most_important = check.string(key_table, "most_important", "segments.key_clients")
    if most_important and most_important not in segment_ids:
        check.bad(
            "segments.key_clients.most_important",
            most_important,
            f"is unknown; expected one of {join_ids(segment_ids)}",
        )
    label = check.table(segments.get("label", {}), "segments.label", LANGS)
    return Tables(
        levels=levels,
        risk_classes=_risk_classes(check, top),
        allocation=_allocation(check, top, level_ids),
        life_stages=_life_stages(check, top, by_id.get("age")),
        life_cycle_rules=_life_cycle_rules(check, top, by_id),
        life_cycle_stages=_life_cycle_stages(check, top),
        capital=capital,
        activity=activity,
        key_clients=frozenset(key_clients),
        most_important_segment=most_important,
        segment_label=Text(
            zh_CN=check.string(label, "zh_CN", "segments.label"),
            en=check.string(label, "en", "segments.label"),
        ),
        service_levels=service_levels,
        services=services,
        general_service_level=general_level,
        general_services=check.id_list(
            general, "services", "general_services", [s.id for s in services]
        ),
        near_within=near_within,
        checks=check_rules(check, top, by_id, levels),
        explanation=explanation,
    )


def _levels(check: Checker, top: Mapping[str, object]) -> tuple[Level, ...]:
    levels: list[Level] = []
    for where, table in check.records(
        top, "levels", "", ("id", "min", "max", "name", "capacity", "attitude")
    ):
        levels.append(
            Level(
                id=check.ident(table, "id", where),
                minimum=check.integer(table, "min", where, 0, 100),
                maximum=check.integer(table, "max", where, 0, 100),
                name=check.text(table, "name", where),
                capacity=check.text(table, "capacity", where),
                attitude=check.text(table, "attitude", where),
            )
        )
    check.unique([level.id for level in levels], "levels")
    check_bands(check, "levels", [(lv.minimum, lv.maximum) for lv in levels], (0, 100))
    return tuple(levels)


def _risk_classes(check: Checker, top: Mapping[str, object]) -> tuple[RiskClass, ...]:
    classes: list[RiskClass] = []
    for where, table in check.records(top, "risk_classes", "", ("id", "name", "examples")):
        classes.append(
            RiskClass(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                examples=check.text_list(table, "examples", where),
            )
        )
    ids = [c.id for c in classes]
    check.unique(ids, "risk_classes")
    if ids != list(RISK_CLASS_IDS) and all(ids):
        check.bad("risk_classes", ids, f"are not in order; expected {join_ids(RISK_CLASS_IDS)}")
    return tuple(classes)


def _allocation(
    check: Checker, top: Mapping[str, object], level_ids: tuple[str, ...]
) -> Mapping[tuple[str, str], tuple[int, int, int]]:
    matrix = check.table(top.get("allocation", {}), "allocation", level_ids)
    cells: dict[tuple[str, str], tuple[int, int, int]] = {}
    for attitude in level_ids:
        row = check.table(matrix.get(attitude, {}), f"allocation.{attitude}", level_ids)
        for capacity in level_ids:
            where = f"allocation.{attitude}.{capacity}"
            if capacity not in row:
                continue  # reported as missing by table()
            cell = row[capacity]
            if (
                not isinstance(cell, list)
                or len(cell) != len(RISK_CLASS_IDS)
                or any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in cell)
            ):
                check.bad(
                    where, cell, "is not three whole percentages; expected [low, medium, high]"
                )
                continue
            if sum(cell) != 100:
                check.bad(where, cell, f"sums to {sum(cell)}; expected 100")
            cells[(attitude, capacity)] = (cell[0], cell[1], cell[2])
    return MappingProxyType(cells)


def _life_stages(
    check: Checker, top: Mapping[str, object], age: Question | None
) -> tuple[LifeStage, ...]:
    stages: list[LifeStage] = []
    for where, table in check.records(
        top, "life_stages", "", ("id", "min_age", "max_age", "name", "trait", "focus")
    ):
        stages.append(
            LifeStage(
                id=check.ident(table, "id", where),
                min_age=check.integer(table, "min_age", where, 0, 200),
                max_age=check.integer(table, "max_age", where, 0, 200),
                name=check.text(table, "name", where),
                trait=check.text(table, "trait", where),
                focus=check.text(table, "focus", where),
            )
        )
    check.unique([s.id for s in stages], "life_stages")
    if stages and age is not None:
        first = stages[0].min_age
        if first > age.minimum:
            check.bad(
                "life_stages[0].min_age",
                first,
                f"is above the youngest age; expected ≤ {age.minimum}",
            )
        spans = [(s.min_age, s.max_age) for s in stages]
        check_bands(check, "life_stages", spans, (first, age.maximum), ("min_age", "max_age"))
    return tuple(stages)


def _life_cycle_rules(
    check: Checker, top: Mapping[str, object], questions: Mapping[str, Question]
) -> tuple[LifeCycleRule, ...]:
    cycle = check.table(top.get("life_cycle", {}), "life_cycle", ("rules", "stages"))
    raw_stages = cycle.get("stages")
    stage_ids = [
        item.get("id")
        for item in (raw_stages if isinstance(raw_stages, list) else [])
        if isinstance(item, dict)
    ]
    rules: list[LifeCycleRule] = []
    for where, table in check.records(
        cycle,
        "rules",
        "life_cycle",
        ("stage",),
        optional=(*LIFE_CYCLE_QUESTIONS, "min_age", "max_age"),
    ):
        stage = check.string(table, "stage", where)
        if stage and stage not in stage_ids:
            check.bad(f"{where}.stage", stage, "is not a life_cycle.stages id")
        conditions = []
        for key in LIFE_CYCLE_QUESTIONS:
            if key in table and key in questions:
                accepted = check.id_list(table, key, where, questions[key].option_ids)
                conditions.append((key, frozenset(accepted)))
        rules.append(
            LifeCycleRule(
                stage=stage,
                conditions=tuple(conditions),
                min_age=check.optional_int(table, "min_age", where),
                max_age=check.optional_int(table, "max_age", where),
            )
        )
    return tuple(rules)


def _life_cycle_stages(check: Checker, top: Mapping[str, object]) -> tuple[LifeCycleStage, ...]:
    cycle = top.get("life_cycle", {})
    cycle = cycle if isinstance(cycle, dict) else {}
    stages: list[LifeCycleStage] = []
    for where, table in check.records(
        cycle, "stages", "life_cycle", ("id", "name", "situation", "needs")
    ):
        stages.append(
            LifeCycleStage(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                situation=check.text(table, "situation", where),
                needs=check.text(table, "needs", where),
            )
        )
    check.unique([s.id for s in stages], "life_cycle.stages")
    return tuple(stages)


def _services(check: Checker, top: Mapping[str, object], key: str) -> tuple[Service, ...]:
    services: list[Service] = []
    for where, table in check.records(top, key, "", ("id", "name", "description")):
        services.append(
            Service(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                description=check.text(table, "description", where),
            )
        )
    check.unique([s.id for s in services], key)
    return tuple(services)


def _segments(
    check: Checker,
    top: Mapping[str, object],
    questions: Mapping[str, Question],
    service_levels: tuple[Service, ...],
    services: tuple[Service, ...],
) -> tuple[tuple[CapitalBand, ...], tuple[ActivityBand, ...]]:
    segments = top.get("segments", {})
    segments = segments if isinstance(segments, dict) else {}
    level_ids = [s.id for s in service_levels]
    capital: list[CapitalBand] = []
    for where, table in check.records(
        segments,
        "capital",
        "segments",
        ("id", "name", "min_cny", "service_level"),
        optional=("max_cny",),
    ):
        level = check.string(table, "service_level", where)
        if level and level not in level_ids:
            check.bad(
                f"{where}.service_level",
                level,
                f"is unknown; expected one of {join_ids(level_ids)}",
            )
        capital.append(
            CapitalBand(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                min_cny=check.integer(table, "min_cny", where, 0),
                max_cny=check.optional_int(table, "max_cny", where),
                service_level=level,
            )
        )
    activity: list[ActivityBand] = []
    for where, table in check.records(
        segments,
        "activity",
        "segments",
        ("id", "name", "turnover", "min_turnover", "services"),
        optional=("max_turnover",),
    ):
        activity.append(
            ActivityBand(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                turnover=check.text(table, "turnover", where),
                min_turnover=check.integer(table, "min_turnover", where, 0),
                max_turnover=check.optional_int(table, "max_turnover", where),
                services=check.id_list(table, "services", where, [s.id for s in services]),
            )
        )
    for name, bands in (("capital", capital), ("activity", activity)):
        ids = [band.id for band in bands]
        check.unique(ids, f"segments.{name}")
        if name in questions:
            check.exactly(ids, questions[name].option_ids, f"segments.{name}")
    check_thresholds(
        check, "segments.capital", [(c.min_cny, c.max_cny) for c in capital], inclusive=True
    )
    check_thresholds(
        check,
        "segments.activity",
        [(a.min_turnover, a.max_turnover) for a in activity],
        inclusive=False,
    )
    return tuple(capital), tuple(activity)
