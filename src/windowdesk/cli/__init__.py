"""Command line of the windowdesk client: ``windowdesk`` (the counter), ``windowdesk
print-samples`` and ``windowdesk audit-check``. The commands sit above every layer: they
may drive the services and open the database; nothing below imports them."""

from __future__ import annotations

import argparse
import sys

from windowdesk import __version__
from windowdesk.terminal import guarded_output

# The commands ``main`` dispatches before the window's own options are parsed; named in
# the epilog so that ``windowdesk --help`` shows them (each has its own ``--help``).
COMMANDS_EPILOG = """commands:
  print-samples --out DIR [--data-dir DIR]   write one PDF of every document from the demo data
  audit-check [--data-dir DIR]               check that the audit log is whole

  windowdesk COMMAND --help shows a command's options."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="windowdesk",
        description="Counter client for service halls",
        epilog=COMMANDS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"windowdesk {__version__}")
    parser.add_argument("--data-dir", help="folder of the local database, backups and logs")
    parser.add_argument("--locale", default=None, help="zh_CN (default) or en")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start with the demo catalog, a demo workstation and demo residents",
    )
    parser.add_argument(
        "--smoke-test",
        metavar="FILE.png",
        help="start, render the main window to FILE.png and exit (for CI and install checks)",
    )
    return parser


def build_samples_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="windowdesk print-samples", description="write one PDF of every document from the demo data"
    )
    parser.add_argument("--out", required=True, help="folder for the PDFs")
    parser.add_argument("--data-dir", help="use this data folder (default: a temporary demo one)")
    return parser


def build_audit_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="windowdesk audit-check",
        description="check that the audit log is whole: no entry changed, removed or inserted",
    )
    parser.add_argument("--data-dir", help="folder of the local database")
    return parser


def main(argv: list[str] | None = None) -> int:
    # Paths and names in what the commands print are shown, never obeyed by the terminal.
    with guarded_output():
        return _main(sys.argv[1:] if argv is None else argv)


def _main(argv: list[str]) -> int:
    if argv[:1] == ["print-samples"]:
        from windowdesk.cli.print_samples import run_print_samples

        return run_print_samples(build_samples_parser().parse_args(argv[1:]))
    if argv[:1] == ["audit-check"]:
        from windowdesk.cli.audit_check import run_audit_check

        return run_audit_check(build_audit_parser().parse_args(argv[1:]))
    args = build_parser().parse_args(argv)
    from windowdesk.heap import hold_collection_for_start

    hold_collection_for_start()  # until the first screen stands (windowdesk/heap.py)
    from windowdesk.app import run

    return run(args)
