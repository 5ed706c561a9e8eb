"""The ``cjm`` command: ``cjm report JOURNEY -o report.html`` (see ``cjm report --help``).

Errors are one line on stderr, ``cjm report: error: <what is wrong>``, never a
traceback (``--traceback`` shows one, for bug reports). Exit codes: 0 done;
1 the run failed (a missing or invalid input, an unwritable output, a failing
cell, no Chromium for ``--pdf``); 2 the command line is wrong (unknown or
missing option, unknown ``--template``, an output not ending in ``.html``);
130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

__all__ = ["main", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_INTERRUPTED"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

_REPORT_HELP = """\
Build a journey report: a notebook made from a report template, executed, and
exported as ONE self-contained HTML page that opens offline in any browser (the
map, a read-only editor, plots and tables; nothing loads from the network).
The executed notebook is written beside the page (same name, .ipynb), and with
--pdf a PDF (same name, .pdf). Every file is written atomically: a failed run
leaves existing files as they were.

Sections: summary, map, editor, emotion curve per persona, pain points ranked
by severity x frequency, opportunities, action plan; with --events also funnel,
flow between stages, time between stages; with --surveys satisfaction; with
--segment the segment comparison.
"""

_REPORT_EPILOG = """\
JOURNEY is read by this rule:
  an existing folder         a CSV folder written by Journey.to_csv
  an existing *.json file    read_json
  an existing *.xlsx/*.xlsm  read_excel
  otherwise a template name  one of: {templates}
  (an existing file or folder wins over a template of the same name)

LOG and SURVEYS: a file ending in .csv/.tsv/.txt (optionally .gz) is read as
CSV (types sniffed; ISO timestamps become timestamps), anything else as Parquet
(a file or a glob such as 'logs/*.parquet', streamed by DuckDB). The log needs
customer, time and event columns (--customer/--time/--event); surveys one row
per answer with touchpoint id and score columns (--touchpoint/--score).
MAPPING is a JSON file {{"event name": "touchpoint id", ...}}; without it the
journey's own event mapping is used (Journey.map_events).

Exit status: 0 done; 1 the run failed (missing or invalid input, unwritable
output, a failing report cell, no Chromium for --pdf); 2 usage error (unknown or
missing option, unknown --template, output not ending in .html); 130 interrupted.
Errors are one line on stderr: "cjm report: error: ...".

Example:
  cjm report colleen --events log.parquet --surveys surveys.csv --segment segment -o colleen.html
"""


class _UsageError(Exception):
    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and ``main`` decides the exit."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(self.prog, f"{message} (see '{self.prog} --help')")


def _parser() -> _Parser:
    from .sharing.report_notebook import template_names
    from .templates import names

    parser = _Parser(prog="cjm", description="cjm_jupyter on the command line.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    rep = commands.add_parser(
        "report",
        help="build, execute and export a journey report (HTML page + notebook)",
        description=_REPORT_HELP,
        epilog=_REPORT_EPILOG.format(templates=", ".join(names())),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rep.add_argument("journey", metavar="JOURNEY", help="journey file, CSV folder or template (rule below)")
    rep.add_argument("-o", "--output", required=True, metavar="REPORT.html", help="the HTML page to write")
    log = rep.add_argument_group("event log and surveys (optional)")
    log.add_argument("--events", metavar="LOG", help="event log: Parquet file or glob, or CSV")
    log.add_argument("--surveys", metavar="SURVEYS", help="survey answers: Parquet or CSV")
    log.add_argument("--mapping", metavar="MAPPING.json", help="event name -> touchpoint id (JSON object)")
    log.add_argument("--segment", metavar="COL", help="log column that splits every metric (adds Segments)")
    log.add_argument("--customer", default="customer_id", metavar="COL", help="customer id (%(default)s)")
    log.add_argument("--time", default="timestamp", metavar="COL", help="time column (%(default)s)")
    log.add_argument("--event", default="event", metavar="COL", help="event name column (%(default)s)")
    log.add_argument("--score", default="score", metavar="COL", help="survey score column (%(default)s)")
    log.add_argument(
        "--touchpoint", default="touchpoint_id", metavar="COL", help="survey touchpoint id (%(default)s)"
    )
    log.add_argument(
        "--scale",
        default="csat",
        choices=("csat", "nps", "likert5", "likert7"),
        help="survey scale, mapped onto emotions -2..+2 (%(default)s)",
    )
    out = rep.add_argument_group("output")
    out.add_argument(
        "--template",
        default="journey",
        metavar="NAME",
        help=f"report template: {', '.join(template_names())}, or your own .ipynb with a cell "
        "tagged 'parameters' (%(default)s)",
    )
    out.add_argument("--pdf", action="store_true", help="also print the page to PDF (needs chromium)")
    out.add_argument("--theme", default="light", choices=("light", "dark"), help="page theme (%(default)s)")
    out.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help="per cell (%(default)s)")
    out.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary line")
    out.add_argument("--traceback", action="store_true", help="show the traceback of an error")
    return parser


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, OSError) and exc.filename and text.startswith("[Errno"):
        text = f"{exc.filename}: {exc.strerror}"  # Python's raw form: name the file, not the errno
    known = isinstance(exc, OSError | ValueError | RuntimeError)
    return text if known and text else f"{type(exc).__name__}: {text}".rstrip(": ")


def _report(args: argparse.Namespace) -> int:
    from .sharing.report_notebook import template_path
    from .sharing.reporting import HTML_SUFFIXES, report

    if Path(args.output).suffix.lower() not in HTML_SUFFIXES:
        wrong = f"the output {args.output!r} must end in .html (see 'cjm report --help')"
        raise _UsageError("cjm report", wrong)
    template_path(args.template)  # an unknown template is a usage error, raised before any work
    files = report(
        args.journey,
        args.output,
        events=args.events,
        surveys=args.surveys,
        mapping=args.mapping,
        segment_col=args.segment,
        customer_col=args.customer,
        time_col=args.time,
        event_col=args.event,
        score_col=args.score,
        touchpoint_col=args.touchpoint,
        scale=args.scale,
        template=args.template,
        pdf=args.pdf,
        theme=args.theme,
        timeout=args.timeout,
        progress=False if args.quiet else None,
    )
    if not args.quiet:
        print("wrote " + ", ".join(str(p) for p in (files.html, files.notebook, files.pdf) if p is not None))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``cjm`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Examples
    --------
    >>> main(["report", "colleen", "-o", "colleen.html", "--quiet"])  # doctest: +SKIP
    0
    """
    from .sharing.report_notebook import UnknownTemplateError

    prog = "cjm"
    args = None
    try:
        args = _parser().parse_args(argv)
        prog = f"cjm {args.command}"
        return _report(args)
    except SystemExit as exc:  # --help / --version print and exit 0
        return int(exc.code or 0)
    except (_UsageError, UnknownTemplateError) as exc:
        print(f"{getattr(exc, 'prog', prog)}: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if args is not None and args.traceback:
            raise
        print(f"{prog}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
