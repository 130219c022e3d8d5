#!/usr/bin/env python3
"""Judge an Odoo test run from its log file.

Used by ``make test`` (devtools/dev.sh).  The run fails when:

* Odoo's exit status is non-zero;
* any test failed or errored;
* no test ran at all (or the run summary is missing, e.g. Odoo crashed);
* any log record has level WARNING, ERROR or CRITICAL (they are printed);
* the caller reports another failure (``--extra-failure``, e.g. the linters);
* a check run outside Odoo's test runner failed (``--extra-check "FAIL name: why"``, e.g. the
  two cron workers of devtools/cron_workers_check.py); ``--extra-check "PASS name"`` counts
  as a passed test.

The last line printed is always ``N passed, N failed``.

Odoo 19 writes, at the end of a ``--test-enable --stop-after-init`` run
(odoo/service/server.py, ThreadedServer.run)::

    ... INFO db odoo.tests.result: 0 failed, 0 error(s) of 12 tests when loading database 'db'

(ERROR level when something failed, WARNING when no test ran) and, per module
(odoo/tests/result.py, OdooTestResult.log_stats)::

    ... INFO db odoo.tests.stats: hr_school_performance: 12 tests 3.21s 4567 queries

Skipped tests are logged as ``skipped <test> : <reason>`` by the test's logger.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

RECORD_RE = re.compile(
    r"^(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) (?P<pid>\d+) "
    r"(?P<level>[A-Z_]+) (?P<db>\S+) (?P<logger>[^\s:]+): (?P<msg>.*)$"
)
SUMMARY_RE = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database '(?P<db>[^']*)'"
)
STATS_RE = re.compile(r"^(?P<module>\S+): (?P<count>\d+) tests (?P<secs>[\d.]+)s")
BAD_LEVELS = frozenset({"WARNING", "ERROR", "CRITICAL"})
MAX_CONTINUATION_LINES = 60


@dataclass
class Record:
    """One log record: its first line plus continuation lines (tracebacks)."""

    level: str
    logger: str
    message: str
    first_line: str
    continuation: list[str] = field(default_factory=list)


@dataclass
class Summary:
    failures: int
    errors: int
    run: int


def iter_records(lines: Iterable[str]) -> Iterator[Record]:
    current: Record | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        match = RECORD_RE.match(line)
        if match:
            if current is not None:
                yield current
            current = Record(
                level=match["level"],
                logger=match["logger"],
                message=match["msg"].rstrip(),
                first_line=line,
            )
        elif current is not None:
            current.continuation.append(line)
        elif line.strip():
            # text before the first record (should not happen with --logfile)
            yield Record(level="UNKNOWN", logger="", message=line, first_line=line)
    if current is not None:
        yield current


def format_record(record: Record) -> str:
    extra = record.continuation
    if len(extra) > MAX_CONTINUATION_LINES:
        hidden = len(extra) - MAX_CONTINUATION_LINES
        extra = [*extra[:MAX_CONTINUATION_LINES], f"    ... ({hidden} more lines in the log)"]
    return "\n".join([record.first_line, *extra])


def is_test_logger(logger: str, module: str) -> bool:
    return logger.startswith(f"odoo.addons.{module}.tests")


def analyse(
    records: list[Record], module: str
) -> tuple[Summary | None, list[Record], int, dict[str, int]]:
    summary: Summary | None = None
    bad: list[Record] = []
    skipped = 0
    per_module: dict[str, int] = {}
    for record in records:
        if record.level in BAD_LEVELS:
            bad.append(record)
        if record.logger == "odoo.tests.result":
            match = SUMMARY_RE.match(record.message)
            if match:
                summary = Summary(int(match["failed"]), int(match["errors"]), int(match["run"]))
        elif record.logger == "odoo.tests.stats":
            match = STATS_RE.match(record.message)
            if match:
                per_module[match["module"]] = int(match["count"])
        elif record.logger.startswith("odoo.addons.") and record.message.startswith("skipped "):
            skipped += 1
    if summary is None:
        # Odoo did not reach its final report (crash, kill...): count what we can.
        run = sum(
            1
            for r in records
            if is_test_logger(r.logger, module)
            and r.message.startswith("Starting ")
            and r.message.endswith(" ...")
        )
        failed = sum(
            1 for r in records if r.level == "ERROR" and r.message.startswith(("FAIL: ", "ERROR: "))
        )
        if run or failed:
            summary = Summary(failures=failed, errors=0, run=run)
    return summary, bad, skipped, per_module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("logfile", type=Path, help="Odoo log file (--logfile)")
    parser.add_argument("--module", default="hr_school_performance", help="addon under test")
    parser.add_argument("--odoo-rc", type=int, default=0, help="exit status of the Odoo process")
    parser.add_argument(
        "--extra-failure",
        action="append",
        default=[],
        metavar="TEXT",
        help="another failure to report (repeatable), e.g. 'lint failed'",
    )
    parser.add_argument(
        "--extra-check",
        action="append",
        default=[],
        metavar="RESULT",
        help="result line of a check run outside Odoo: 'PASS name' or 'FAIL name: reason'",
    )
    args = parser.parse_args(argv)

    try:
        text = args.logfile.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"cannot read Odoo log {args.logfile}: {exc}")
        print("0 passed, 0 failed")
        return 1

    records = list(iter_records(text.splitlines()))
    summary, bad, skipped, per_module = analyse(records, args.module)
    reasons: list[str] = list(args.extra_failure)

    if bad:
        print(f"\n=== {len(bad)} log record(s) at WARNING level or above in {args.logfile}:")
        for record in bad:
            print(format_record(record))
        reasons.append(f"{len(bad)} WARNING/ERROR/CRITICAL log record(s)")

    if summary is None:
        reasons.append("no Odoo test summary found in the log (did Odoo crash?)")
        summary = Summary(0, 0, 0)
    failed = summary.failures + summary.errors
    passed = max(summary.run - failed - skipped, 0)
    for result in args.extra_check:
        if result.startswith("PASS "):
            passed += 1
        else:
            failed += 1
            reasons.append(result)
    if failed:
        reasons.append(f"{summary.failures} test failure(s), {summary.errors} test error(s)")
    if summary.run == 0:
        reasons.append("zero tests ran")
    elif args.module not in per_module:
        reasons.append(f"no test of module {args.module} ran")
    if args.odoo_rc != 0:
        reasons.append(f"Odoo exited with status {args.odoo_rc}")

    print()
    print(
        f"Odoo: {summary.failures} failed, {summary.errors} error(s) of {summary.run} tests"
        + (f" (modules: {', '.join(sorted(per_module))})" if per_module else "")
    )
    if skipped:
        print(f"{skipped} test(s) skipped")
    print(f"Odoo log: {args.logfile}")
    if reasons:
        print("FAILED: " + "; ".join(reasons))
    else:
        print("OK")
    print(f"{passed} passed, {failed} failed")
    return 1 if reasons else 0


if __name__ == "__main__":
    sys.exit(main())
