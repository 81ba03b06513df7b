"""`posc`: a thin command line over the library. Each command parses its arguments and calls
one library function; printing is formatting at the edge.

Exit codes: 0 every record ended done or already done; 1 some record ended otherwise;
2 usage or validation error (nothing was run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from robots.errors import ConfigError, JobFileError, JobFileErrors, PoscError
from robots.masking import redact

EXIT_OK, EXIT_RECORDS, EXIT_USAGE = 0, 1, 2
EXIT_CODES = """exit codes:
  0  every record ended done or already_done
  1  some record ended otherwise (rejected, failed, pending, or a dry run)
  2  usage or validation error: nothing was run"""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except JobFileError as error:
        _print_job_errors(error)
        return EXIT_USAGE
    except ConfigError as error:
        print(f"posc: {error}", file=sys.stderr)
        return EXIT_USAGE
    except PoscError as error:
        print(f"posc: {error}", file=sys.stderr)
        return EXIT_RECORDS
    except KeyboardInterrupt:
        print("posc: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a fault of posc's own: one clear line, the traceback on request
        if os.environ.get("POSC_DEBUG"):
            raise
        print(f"posc: internal error: {type(error).__name__}: {redact(str(error))} "
              "(set POSC_DEBUG=1 to see where)", file=sys.stderr)
        return EXIT_RECORDS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posc",
        description="Bulk One Care disenrollments and group-practice unlinks on MassHealth's POSC, "
        "exactly once, with evidence. Credentials: POSC_USER, POSC_PASSWORD and POSC_TOTP_SECRET "
        "(or the keyring); the bundled mock's demo user when none is set.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = commands.add_parser("demo", help="run the example jobs against the bundled mock portal")
    demo.add_argument("--out", type=Path, help="folder for the demo's runs (default: posc-runs/demo-<time>)")
    demo.add_argument("--workers", type=_positive, default=2)
    demo.add_argument("--headed", action="store_true", help="show the browser")
    demo.set_defaults(handler=_demo)

    run = commands.add_parser("run", help="run (or resume) a job file")
    run.add_argument("job", type=Path, metavar="JOB.yaml")
    run.add_argument("--portal", help="portal address; absent (and no `portal:` in the job): the bundled mock")
    run.add_argument("--workers", type=_positive, default=2, help="browser contexts at once (default 2)")
    run.add_argument(
        "--out", type=Path, help="output folder; the same folder again resumes (default: posc-runs/<job name>)"
    )
    run.add_argument("--dry-run", action="store_true", help="walk to the last panel before Submit and stop there")
    run.add_argument("--retry", metavar="WHAT",
                     help="work these finished records again: `rejected`, `failed`, or record numbers (3,7-9); "
                          "never a done one")
    run.add_argument("--headed", action="store_true", help="show the browser")
    run.add_argument("--no-pdf", action="store_true", help="write no report.pdf (the audit packet's printed report)")
    run.add_argument("--slow-mo", type=int, default=0, metavar="MS", help="slow each browser action down by MS")
    run.add_argument("--live", action="store_true", help="allow a portal that is not on loopback (asks first)")
    run.add_argument("--rpa-registration", metavar="ID",
                     help="the bot's MassHealth RPA registration, required for --live (default: POSC_RPA_REGISTRATION)")
    run.add_argument("--confirm-live", metavar="WHAT",
                     help="confirm a live run ahead of time, for a run nobody watches: the job's checksum "
                          "(from `posc validate`) or HOST:RECORDS")
    run.add_argument("--certify", metavar="NAME",
                     help="unlink: the job's certified_by person certifies the Agreement ahead of time "
                          "(a run nobody watches); otherwise they are asked at the terminal")
    run.add_argument("--pace", metavar="N/min", help="at most N records a minute across all workers (or N/h)")
    run.add_argument("--window", metavar="HH:MM-HH:MM",
                     help="start records only in this local-time window; the run waits for it and stops when it closes")
    run.add_argument("--ledger", metavar="URL",
                     help="several hosts: the PostgreSQL ledger (postgresql://...; default POSC_LEDGER_URL)")
    run.add_argument("--queue", metavar="URL",
                     help="several hosts: the Redis broker (redis://...; default POSC_QUEUE_URL)")
    run.add_argument("--login-gap", type=float, default=10.0, metavar="S",
                     help="at least S seconds between two logins of the run (default 10)")
    run.add_argument(
        "--browser-path", help="the Chromium to drive (default: POSC_CHROMIUM, Playwright's, the system's)"
    )
    run.set_defaults(handler=_run)

    worker = commands.add_parser("worker", help="several hosts: a worker taking records from the broker")
    worker.add_argument("--ledger", metavar="URL", help="the PostgreSQL ledger (default POSC_LEDGER_URL)")
    worker.add_argument("--queue", metavar="URL", help="the Redis broker (default POSC_QUEUE_URL)")
    worker.add_argument("--workers", type=_positive, default=1, help="processes, each with its own Chromium (1)")
    worker.add_argument("--lease", type=float, default=60, metavar="S",
                        help="how long a record stays this worker's without renewal (60)")
    worker.add_argument("--redeliver-after", type=float, default=300, metavar="S",
                        help="a task a lost worker took goes to another after this long (300)")
    worker.set_defaults(handler=_worker)

    status = commands.add_parser("status",
                                 help="several hosts: each job's records per state and host, in flight, stuck")
    status.add_argument("job", nargs="?", metavar="JOB", help="a job id, or a part of one (default: every job)")
    status.add_argument("--ledger", metavar="URL", help="the PostgreSQL ledger (default POSC_LEDGER_URL)")
    status.set_defaults(handler=_status)

    validate = commands.add_parser("validate", help="check job files (without a browser, unless --portal)")
    validate.add_argument("jobs", type=Path, nargs="+", metavar="JOB.yaml")
    validate.add_argument("--portal", help="also check the job against this portal: the options of a list its "
                                           "records choose from (the Disenrollment Reason dropdown); logs in, "
                                           "submits nothing")
    validate.add_argument("--live", action="store_true", help="allow a --portal that is not on loopback")
    validate.add_argument("--rpa-registration", metavar="ID", help="the bot's RPA registration, for --live")
    validate.set_defaults(handler=_validate)

    portal = commands.add_parser(
        "portal", help="serve the bundled mock portal",
        description="Serve the bundled mock POSC (and its Virtual Gateway) until interrupted; prints its URL once "
        "it accepts connections.")
    portal.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    portal.add_argument("--port", type=int, default=8700, help="port; 0 picks a free one (default 8700)")
    portal.add_argument("--fixture", type=Path, help="fixture YAML: users, providers, members (default: the bundled)")
    portal.add_argument("--faults", metavar="SPEC",
                        help="e.g. error_rate=0.1,latency_ms=200-800,session_ttl_s=60,lost_response_rate=0.05,seed=1")
    portal.add_argument("--variant", metavar="NAME", help="classic (default), restyled or drifted")
    portal.add_argument("--db", type=Path, help="keep the portal's state in this SQLite file across restarts")
    portal.add_argument("--login", choices=("gateway", "simple"),
                        help="gateway: the Virtual Gateway chain (default); simple: one User ID panel")
    portal.set_defaults(handler=_portal)

    reconcile = commands.add_parser("reconcile", help="each done disenrollment of a run against the plan's 834 files")
    reconcile.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    reconcile.add_argument("files", type=Path, nargs="+", metavar="FILE.834")
    reconcile.set_defaults(handler=_reconcile)

    follow = commands.add_parser("follow-up", help="each done unlink's request status on Inquire Profile Update Status")
    follow.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    follow.add_argument("--portal", help="the portal to read (default: the run's, from its results.json)")
    follow.add_argument("--live", action="store_true", help="allow a portal that is not on loopback")
    follow.add_argument("--rpa-registration", metavar="ID", help="the bot's RPA registration, for --live")
    follow.set_defaults(handler=_follow_up)

    verify = commands.add_parser("verify", help="check a run folder against its manifest.json (SHA-256 of each file)")
    verify.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    verify.set_defaults(handler=_verify)

    check = commands.add_parser("check-selectors", help="QA: visit every panel and check every selector")
    check.add_argument("--portal", help="portal address (default: the bundled mock)")
    check.add_argument("--out", type=Path, default=Path("posc-runs/check-selectors"))
    check.add_argument("--live", action="store_true", help="allow a portal that is not on loopback")
    check.add_argument("--rpa-registration", metavar="ID",
                       help="the bot's MassHealth RPA registration, required for --live "
                            "(default: POSC_RPA_REGISTRATION)")
    check.add_argument("--data", type=Path, help="YAML naming the records to walk with (see docs/qa.md)")
    check.set_defaults(handler=_check_selectors)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _run(args: argparse.Namespace) -> int:
    from flows import POSC
    from robots.engine import progress
    from robots.engine.config import RunConfig
    from robots.engine.pacing import Window, parse_pace
    from robots.engine.runner import run

    config = RunConfig(
        job_path=args.job,
        out_dir=args.out,
        portal=args.portal,
        workers=args.workers,
        dry_run=args.dry_run,
        headed=args.headed,
        slow_mo_ms=args.slow_mo,
        live=args.live,
        confirm_live=_ask_at_terminal,
        confirm_live_as=args.confirm_live,
        rpa_registration=args.rpa_registration,
        certify=args.certify,
        retry_records=args.retry,
        confirm_certification=_ask_at_terminal if sys.stdin.isatty() else None,
        login_gap_s=args.login_gap,
        pace_per_min=parse_pace(args.pace) if args.pace else None,
        window=Window.parse(args.window) if args.window else None,
        browser_path=args.browser_path,
        pdf=not args.no_pdf,
    )
    ledger, queue = _servers(args)
    if ledger:
        from robots.scaleout.follower import run_distributed

        summary = run_distributed(config, ledger, queue, progress=progress.for_stream(sys.stdout))
    else:
        summary = run(config, flows=POSC, progress=progress.for_stream(sys.stdout))
    _print_summary(summary)
    return summary.exit_code


def _servers(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The ledger and the broker of a run on several hosts (both, or neither)."""
    ledger = args.ledger or os.environ.get("POSC_LEDGER_URL")
    queue = args.queue or os.environ.get("POSC_QUEUE_URL")
    if bool(ledger) != bool(queue):
        raise ConfigError("a run on several hosts needs both --ledger (PostgreSQL) and --queue (Redis)")
    if ledger and not ledger.startswith(("postgresql://", "postgres://")):
        raise ConfigError("--ledger must be a postgresql:// address")
    if queue and not queue.startswith(("redis://", "rediss://")):
        raise ConfigError("--queue must be a redis:// address")
    return ledger, queue


def _worker(args: argparse.Namespace) -> int:
    from flows import POSC
    from robots.scaleout.worker_command import serve

    ledger, queue = _servers(args)
    if not ledger:
        raise ConfigError("posc worker needs --ledger (PostgreSQL) and --queue (Redis), or POSC_LEDGER_URL and "
                          "POSC_QUEUE_URL")
    from robots.ledger.postgres import connect

    connect(ledger).close()  # a wrong ledger address is said now, not at the first record (the broker is waited for)
    return serve(ledger, queue, POSC, processes=args.workers, lease_s=args.lease,
                 redeliver_after_s=args.redeliver_after)


def _status(args: argparse.Namespace) -> int:
    from robots.scaleout.status import show

    ledger = args.ledger or os.environ.get("POSC_LEDGER_URL")
    if not ledger:
        raise ConfigError("posc status needs --ledger (PostgreSQL) or POSC_LEDGER_URL")
    return show(ledger, args.job, sys.stdout)


def _print_summary(summary) -> None:
    totals = ", ".join(f"{status.replace('_', ' ')} {n}" for status, n in sorted(summary.totals.items()) if n)
    print(f"{summary.job}: {totals or 'no records'}")
    if summary.logins:
        print(f"logins: {summary.logins}")
    if summary.stopped:
        print(f"stopped early: {summary.stopped}")
    print(f"report: {summary.report}")


def _validate(args: argparse.Namespace) -> int:
    from robots.jobfile.job import load_job

    worst = EXIT_OK
    for path in args.jobs:
        try:
            job = load_job(path)
            JobFileErrors.raise_if_any(job.past_end_dates(dt.date.today()))
            checked = _check_on_portal(job, args) if args.portal else None
        except JobFileError as error:
            _print_job_errors(error)
            worst = EXIT_USAGE
            continue
        certified = f", certified by {job.certified_by}" if job.certified_by else ""
        print(f"{path}: ok, {len(job.records)} {job.kind.name} records for {job.provider_id}{certified}; "
              f"checksum {job.checksum()[:12]}")
        if checked:
            print(f"  {checked}")
    return worst


def _check_on_portal(job, args: argparse.Namespace) -> str:
    """What was checked on the portal, in one line; JobFileErrors for the records it refutes."""
    from flows import POSC
    from robots import fields
    from robots.credentials import resolve
    from robots.engine import live_mode
    from robots.engine.portal_facts import check_options

    try:
        portal = fields.portal_url(args.portal)
    except fields.FieldError as error:
        raise ConfigError(f"--portal: {error}") from None
    live_mode.check(portal, live=args.live, record_count=len(job.records), confirm=_ask_at_terminal,
                    registration=args.rpa_registration or os.environ.get("POSC_RPA_REGISTRATION"),
                    job_sha256=job.checksum())
    checked = check_options(job, POSC, portal, resolve(bundled_mock=False))
    if checked is None:
        return f"nothing of a {job.kind.name} job to check on the portal (its end dates were checked against today)"
    JobFileErrors.raise_if_any(checked.problems)
    return checked.summary(portal)


def _print_job_errors(error: JobFileError) -> None:
    errors = error.errors if isinstance(error, JobFileErrors) else [error]
    for each in errors:
        print(f"error: {each}", file=sys.stderr)


def _portal(args: argparse.Namespace) -> int:
    argv = [sys.executable, "-m", "mock_portal", "--host", args.host, "--port", str(args.port)]
    for name in ("fixture", "faults", "variant", "login", "db"):
        value = getattr(args, name)
        if value is not None:
            argv += [f"--{name}", str(value)]
    sys.stdout.flush()
    # The mock's own messages name the command the user typed.
    os.execve(sys.executable, argv, {**os.environ, "MOCK_PORTAL_PROG": "posc portal"})
    return EXIT_OK  # not reached


def _demo(args: argparse.Namespace) -> int:
    from robots.demo import run_demo

    out = args.out or Path("posc-runs") / f"demo-{dt.datetime.now():%Y%m%d-%H%M%S}"
    return run_demo(out, workers=args.workers, headed=args.headed)


def _reconcile(args: argparse.Namespace) -> int:
    """0: every done disenrollment is confirmed by an 834; 1: some is not (yet); 2: bad input."""
    from robots.followup.packet import repack
    from robots.followup.reconcile import CONFIRMED, NOT_OURS, reconcile
    from robots.followup.x12_834 import X12Error

    try:
        findings = reconcile(args.run_dir, args.files)
    except X12Error as error:
        raise ConfigError(str(error)) from None
    repack(args.run_dir)
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.status] = counts.get(finding.status, 0) + 1
    for finding in findings:
        if finding.status not in (CONFIRMED,):
            where = f"record {finding.record}" if finding.record else "a termination"
            print(f"  {where} ({redact(finding.member_id)}): {finding.status}"
                  + (f" (expected {finding.expected}, the 834 says {finding.found})" if finding.found else ""))
    print(f"{args.run_dir}: " + ", ".join(f"{status} {n}" for status, n in counts.items()))
    print(f"written: {args.run_dir / 'reconciliation.json'}, reconciliation.csv, report.html")
    done = [f for f in findings if f.status != NOT_OURS]
    return EXIT_OK if all(f.status == CONFIRMED for f in done) else EXIT_RECORDS


def _follow_up(args: argparse.Namespace) -> int:
    """0: every done unlink's request is processed; 1: some is not yet (or was returned)."""
    from flows import POSC, request_status
    from robots import fields
    from robots.credentials import resolve
    from robots.engine import live_mode
    from robots.followup.follow_up import all_processed, follow_up
    from robots.followup.packet import repack
    from robots.reports.refresh import finished_run

    results = finished_run(args.run_dir, "group_unlink", "follow-up reads unlink requests")  # before any credential
    try:
        portal = fields.portal_url(args.portal or results.get("portal", ""))
    except fields.FieldError as error:
        raise ConfigError(f"--portal: {error} (give the portal the run worked)") from None
    live_mode.check(portal, live=args.live, record_count=0, confirm=_ask_at_terminal,
                    registration=args.rpa_registration or os.environ.get("POSC_RPA_REGISTRATION"))
    document, changes = follow_up(args.run_dir, portal, resolve(bundled_mock=False), log_in=POSC.log_in,
                                  read_statuses=request_status.request_statuses)
    repack(args.run_dir)
    for change in changes:
        print(f"  record {change.record} (request {change.request_id}): {change.before or 'first seen'} -> "
              f"{change.now}")
    unchanged = len(document["requests"]) - len(changes)
    print(f"{args.run_dir}: {len(changes)} changed, {unchanged} as before; written: follow-up.json, report.html")
    return EXIT_OK if all_processed(document) else EXIT_RECORDS


def _verify(args: argparse.Namespace) -> int:
    """0: the folder is as its run left it; 1: something changed; 2: no manifest to check."""
    from robots.reports import manifest

    try:
        result = manifest.verify(args.run_dir)
    except FileNotFoundError:
        raise ConfigError(f"{args.run_dir} has no manifest.json: not a run folder, or its run never finished") from None
    except ValueError as error:
        raise ConfigError(str(error)) from None
    for line in result.lines():
        print(line)
    return EXIT_OK if result.intact else EXIT_RECORDS


def _check_selectors(args: argparse.Namespace) -> int:
    from robots.qa.check_selectors import check_selectors

    return check_selectors(portal=args.portal, out_dir=args.out, live=args.live, data=args.data,
                           confirm_live=_ask_at_terminal, rpa_registration=args.rpa_registration)


def _ask_at_terminal(question: str) -> bool:
    if not sys.stdin.isatty():
        print(f"posc: {question} — needs a yes typed at a terminal", file=sys.stderr)
        return False
    answer = input(f"{question}\nType yes to go on: ")
    return answer.strip().lower() == "yes"


if __name__ == "__main__":
    sys.exit(main())
