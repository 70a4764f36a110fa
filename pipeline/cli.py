"""Command line: ``python -m pipeline`` or ``vnextract``.

Exit status: 0 every document processed; 1 some documents became error
records (or a pattern check failed); 2 bad usage; 130 interrupted; 141 the
reader of the standard output went away (``| head``).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .batch import Options, UsageError, run
from .formats import DEFAULT_INCLUDE
from .patterns import PatternFileError, languages
from .read import MAX_BYTES

FORMATS = """formats (told by content, then extension):
  plain text   UTF-8 (BOM or not), UTF-16/32 with BOM, UTF-16 without BOM, cp1252, cp1258
  HTML         visible text only (no script, style, nav, header, footer)
  .docx        paragraphs and table rows, cells joined with " | "
  PDF          its text layer (a PDF of images only, or encrypted, is an error record)

"""

EPILOG = """exit status:
  0    every document was processed
  1    some documents became error records (see their "error" field)
  2    bad usage (unknown option, existing output without --overwrite/--resume)
  130  interrupted (complete lines are kept in OUT.partial; rerun with --resume)
  141  the reader of the standard output went away (as with | head)
"""


def _lang_choices() -> list[str]:
    return ["auto", *languages()]


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def byte_size(value: str) -> int:
    """``--max-bytes``: a number of bytes, or with a K, M or G suffix (binary: 1K = 1024)."""
    v = value.strip().upper().removesuffix("B").removesuffix("I")
    unit = v[-1:] if v[-1:] in _UNITS else ""
    try:
        n = int(v[:len(v) - len(unit)]) * _UNITS[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 500000, 64M, 1G)") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 byte: {value!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="vnextract",
        description="Extract document identifiers, dates, periods and figures from Vietnamese "
                    "Party and State texts (French, English, Vietnamese) as validated JSON lines.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract mentions from files or folders into JSON lines",
                        epilog=FORMATS + EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ex.add_argument("paths", nargs="+", help="files, folders (walked recursively) or - for stdin")
    ex.add_argument("-o", "--output", required=True, help="output .jsonl file, or - for stdout")
    ex.add_argument("--lang", default="auto", choices=_lang_choices(),
                    help="document language (default: from a folder named fr/en/vi, else detected)")
    ex.add_argument("--include", action="append", metavar="GLOB",
                    help="in folders, take files matching GLOB (repeatable; a GLOB with / matches the path "
                         f"under the folder; case ignored; default: {' '.join(DEFAULT_INCLUDE)})")
    ex.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                    help="in folders, skip files and sub-folders matching GLOB (repeatable)")
    ex.add_argument("--max-bytes", type=byte_size, default=MAX_BYTES, metavar="SIZE",
                    help="larger inputs become too_large error records (bytes, or 500K, 64M, 1G; default 256M)")
    ex.add_argument("--workers", type=int, default=1,
                    help="parallel worker processes (output order is kept); with --engine dask, the processes "
                         "of the local Dask cluster (not used with --scheduler)")
    ex.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="local: this machine (default); dask: a Dask cluster, local or at --scheduler "
                         '(needs the extra: pip install "vnextract[dask]")')
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --engine dask: the running scheduler to use, e.g. tcp://10.0.0.5:8786 (the "
                         "workers read the inputs at the same paths)")
    again = ex.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true",
                       help="complete an interrupted or earlier run, skipping documents already done")
    again.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    ex.add_argument("--with-text", action="store_true", help="include each document's text in its record")
    ex.add_argument("--granularity", choices=["document", "mention"], default="document",
                    help="one line per document (default) or one line per mention, each with its "
                         "document's source, sha256 and lang (an error record stays one line)")
    ex.add_argument("--quiet", action="store_true", help="no progress bar and no summary")

    xp = sub.add_parser("explain", help="show what matched in a text or file, and why")
    xp.add_argument("input", help="a file path, or the text itself")
    xp.add_argument("--lang", default="auto", choices=_lang_choices())
    xp.add_argument("--candidates", action="store_true", help="also list dropped matches and the reason")

    pt = sub.add_parser("patterns", help="work with the pattern files")
    pt_sub = pt.add_subparsers(dest="patterns_command", required=True)
    pt_sub.add_parser("check", help="validate every pattern file and run its examples")

    rp = sub.add_parser("report", help="write one self-contained HTML page to review records")
    rp.add_argument("paths", nargs="+", help="text files or folders (extracted now), or .jsonl output of extract")
    rp.add_argument("-o", "--output", required=True, help="the .html file to write (replaced), or - for stdout")
    rp.add_argument("--lang", default="auto", choices=_lang_choices(), help="language of the text inputs")
    rp.add_argument("--title", default="vnextract report", help="the page title")

    sc = sub.add_parser("schema", help="print the JSON Schema of an output line")
    sc.add_argument("--granularity", choices=["document", "mention"], default="document",
                    help="the schema of a document record (default) or of a mention line")
    sc.add_argument("-o", "--output", default="-", help="write to this file instead of stdout")
    return ap


def cmd_extract(a: argparse.Namespace) -> int:
    progress = not a.quiet and sys.stderr.isatty()
    try:
        summary = run(a.paths, a.output,
                      Options(lang=a.lang, with_text=a.with_text, max_bytes=a.max_bytes, granularity=a.granularity),
                      workers=a.workers, resume=a.resume, overwrite=a.overwrite, progress=progress,
                      include=a.include or DEFAULT_INCLUDE, exclude=a.exclude, engine=a.engine,
                      scheduler=a.scheduler)
    except UsageError as e:
        print(f"vnextract: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vnextract: interrupted; complete lines are in the .partial file: rerun with --resume",
              file=sys.stderr)
        return 130
    if not a.quiet:
        print(summary.render(), file=sys.stderr)
    return 1 if summary.failed or summary.skipped_failed else 0


def cmd_explain(a: argparse.Namespace) -> int:
    from .explain import explain
    path = Path(a.input)
    if len(a.input) < 4096 and path.is_file():
        from .read import ReadError, read_document
        try:
            loaded = read_document(path)
        except ReadError as e:
            print(f"vnextract: error: {e.message}", file=sys.stderr)
            return 1
        text, source = loaded.text, str(path)
    else:
        text, source = a.input, "<text>"
    print(explain(text, source, a.lang, a.candidates))
    return 0


def cmd_patterns_check(a: argparse.Namespace) -> int:
    from .pattern_check import check_all
    failures, count = check_all()
    for f in failures:
        print(f, file=sys.stderr)
    print(f"{count} examples and counter-examples checked, {len(failures)} failed")
    return 1 if failures else 0


def cmd_report(a: argparse.Namespace) -> int:
    from .report import write_report
    views = write_report(a.paths, a.output, lang=a.lang, title=a.title)
    if a.output != "-":
        failed = sum(len(v.failed) for v in views)
        print(f"{a.output}: {len(views)} documents, {sum(len(v.mentions) for v in views)} mentions, "
              f"{failed} failed checks", file=sys.stderr)
    return 0


def cmd_schema(a: argparse.Namespace) -> int:
    from .schema import render
    text = render(a.granularity)
    if a.output == "-":
        sys.stdout.write(text)
    else:
        Path(a.output).write_text(text, encoding="utf-8", newline="\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    try:
        if a.command == "extract":
            return cmd_extract(a)
        if a.command == "explain":
            return cmd_explain(a)
        if a.command == "patterns":
            return cmd_patterns_check(a)
        if a.command == "report":
            return cmd_report(a)
        return cmd_schema(a)
    except PatternFileError as e:
        print(f"vnextract: pattern error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (| head): stop without a traceback, as other commands do. Further
        # writes (the interpreter's final flush) go to /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
