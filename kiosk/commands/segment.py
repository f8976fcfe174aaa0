"""`kiosk segment` (SPEC §17): a branch's client list in, the same rows with each
client's segment and service plan out; bad rows stop the run or go to a rejects file;
optionally a one-page summary (PDF)."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path

from kiosk import engine
from kiosk.commands.common import EXIT_OK, InputError, UsageError, settings_for
from kiosk.files import write_atomic


def cmd_segment(args: argparse.Namespace) -> int:
    # Imported here: only this command reads client lists (openpyxl, reportlab).
    from kiosk.segment import ListError, detect, plan_for, segment_list  # noqa: PLC0415

    settings = settings_for(args)
    lang = args.lang or settings.kiosk.language
    tables = engine.load_questionnaire().tables
    source_path: Path = args.in_file
    try:
        source = detect(source_path)
    except ListError as exc:
        raise InputError(str(exc)) from None
    outputs = {"--out": args.out}
    if args.skip_bad is not None:
        outputs["--skip-bad"] = args.skip_bad
    for option, path in outputs.items():
        _check_output(option, path, source_path, source.kind)
    if args.summary is not None:
        _check_output("--summary", args.summary, source_path, "pdf")
    named = [*outputs.values(), *([args.summary] if args.summary else [])]
    if len({p.resolve() for p in named}) < len(named):
        raise UsageError(
            f"{', '.join(map(str, named))}: the outputs must be different files; "
            "choose another name for one"
        )
    try:
        run = segment_list(source, args.out, tables, plan_for(lang), rejects=args.skip_bad)
    except ListError as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(
            f"{exc.filename or args.out}: cannot be written ({exc.strerror})"
        ) from None
    written = [f"{run.rows_out:,} to {args.out}"]
    if args.skip_bad is not None:
        written.append(f"{run.rejected:,} rejected to {args.skip_bad}")
    if args.summary is not None:
        from kiosk.report.segment_summary import (  # noqa: PLC0415 - reportlab
            SummaryHeader,
            build_segment_summary,
        )

        header = SummaryHeader(settings.branch.name, source_path.name, datetime.now().astimezone())
        pdf = build_segment_summary(run, tables, header, lang=lang)
        try:
            write_atomic(args.summary, pdf)
        except OSError as exc:
            raise InputError(f"{args.summary}: cannot be written ({exc.strerror})") from None
        written.append(f"summary {args.summary}")
    print(
        f"{run.rows_in:,} in = {run.rows_out:,} out + {run.rejected:,} rejected; "
        + "; ".join(written)
    )
    return EXIT_OK


_SUFFIXES = {"csv": (".csv", ".txt"), "xlsx": (".xlsx",), "pdf": (".pdf",)}


def _check_output(option: str, path: Path, source: Path, kind: str) -> None:
    """An output of the input's kind, not the input itself, in a folder we can write."""
    if path.exists() and not path.is_file():
        what = "a folder" if path.is_dir() else "not a regular file"
        raise UsageError(f"{option} {path}: is {what}; expected a new or a regular file")
    if path.suffix.lower() not in _SUFFIXES[kind]:
        why = {"csv": "the input is CSV", "xlsx": "the input is XLSX", "pdf": "it is a PDF"}
        raise UsageError(
            f"{option} {path}: {why[kind]}, so expected a {_SUFFIXES[kind][0]} file name"
        )
    if path.exists() and source.exists() and path.resolve() == source.resolve():
        raise UsageError(f"{option} {path}: is the input list; choose another name")
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"{option} {path}: its folder {folder} does not exist; create it")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{option} {path}: its folder {folder} is not writable")
