"""Multi-process check of the daily deadline job on a committed database.

Run by ``make test`` (devtools/dev.sh) on the test database once Odoo's own test run is over,
before the database is dropped; its result is counted in the final "N passed, N failed".
It needs a database where the addon is installed; everything it creates is committed there
(``make test`` drops the database afterwards: never point it at a database you keep).

Two scenarios, each with items due *today* (real time: the workers are real processes):

1. **Two cron workers.** A school of staff is launched through the addon's own API with
   planning meetings overdue and to-dos, reminders and escalations due. The deadline job is
   scheduled twice (two ``ir.cron`` rows running the same code, small batches), and
   ``odoo --workers=2 --max-cron-threads=2`` is started: its two cron worker processes run
   the job at the same time. Checked afterwards: every deadline due was processed (none
   lost), no deadline got two to-dos, and each person got exactly one digest e-mail.
2. **Crash mid-batch.** Another school, due the same way; a process runs the job and dies
   (``os._exit``) in the middle of its second batch, after the first batch was committed.
   The job is run again: everything is processed once, each person gets one digest.

Prints ``PASS <name>`` or ``FAIL <name>: <reason>`` per scenario; exit status 3 when a scenario
failed (any other non-zero status is a crash of the check itself).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

import odoo
import odoo.service.server
from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import config

SCENARIO_FAILED = 3
JOB_CODE = "model._cron_process_deadlines(batch_size=%d)"
DIGEST_LIKE = ("Performance deadlines%", "Overdue performance deadlines%")


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


def _make_school(env, tag, headcount):
    """A school with a headteacher, two line managers and ``headcount`` staff in one job
    group, and the group's cycle launched through the addon (as the HR button does), its
    start far enough in the past that planning meetings are overdue today."""
    today = fields.Date.context_today(env["res.users"])
    school = env["res.company"].create({"name": f"Worker check school {tag}"})
    users = env["res.users"].create(
        [
            {
                "name": f"Worker check {role} {tag}",
                "login": f"worker_check_{role}_{tag}",
                "email": f"{role}.{tag}@worker-check.example.com",
                "company_id": school.id,
                "company_ids": [Command.set(school.ids)],
            }
            for role in ("head", "manager")
        ]
    )
    users[0].group_ids = [
        Command.link(env.ref("hr_school_performance.hr_school_performance_group_headteacher").id)
    ]
    school.performance_headteacher_id = users[0]
    managers = env["hr.employee"].create(
        [{"name": user.name, "company_id": school.id, "user_id": user.id} for user in users]
    )
    job = env["hr.job"].create({"name": f"Worker check TA {tag}", "company_id": school.id})
    group = env["hr.performance.job.group"].create(
        {
            "name": f"Worker check group {tag}",
            "company_id": school.id,
            "job_ids": [Command.link(job.id)],
        }
    )
    env["hr.employee"].create(
        [
            {
                "name": f"Worker check TA {tag}.{n}",
                "company_id": school.id,
                "job_id": job.id,
                "parent_id": managers[n % 2].id,
            }
            for n in range(headcount)
        ]
    )
    start = today - timedelta(days=40)
    cycle = env["hr.performance.cycle"].create(
        {
            "job_group_id": group.id,
            "company_id": school.id,
            "date_start": start,
            "date_end": start + timedelta(days=364),
        }
    )
    cycle.action_launch()
    return cycle


def _due(env, cycle):
    today = fields.Date.context_today(env["res.users"])
    return env["hr.performance.deadline"].search(
        [("review_id.cycle_id", "=", cycle.id), ("date_next_action", "<=", today)]
    )


def _mail_ids(env):
    return set(env["mail.mail"].search(["|", *(("subject", "=like", s) for s in DIGEST_LIKE)]).ids)


def _check(env, cycle, due_ids, mails_before):
    """Reasons the run was wrong: deadlines left due, deadlines with two to-dos, persons
    with two digests or a digest missing."""
    env.invalidate_all()
    reasons = []
    today = fields.Date.context_today(env["res.users"])
    Deadline = env["hr.performance.deadline"]
    due = Deadline.browse(due_ids)
    left = due.filtered(lambda d: d.date_next_action and d.date_next_action <= today)
    if left:
        reasons.append(f"{len(left)} of {len(due)} deadlines due were not processed (lost)")
    todo_type = env.ref("hr_school_performance.mail_activity_type_deadline")
    activities = (
        env["mail.activity"]
        .with_context(active_test=False)
        .search(
            [
                ("res_model", "=", "hr.performance.review"),
                ("res_id", "in", cycle.review_ids.ids),
                ("activity_type_id", "=", todo_type.id),
            ]
        )
    )
    twice = [key for key, n in Counter((a.res_id, a.summary) for a in activities).items() if n > 1]
    if twice:
        reasons.append(f"{len(twice)} deadline to-dos were created twice")
    digests = env["mail.mail"].browse(sorted(_mail_ids(env) - mails_before))
    per_person = Counter(partner for mail in digests for partner in mail.recipient_ids)
    doubled = [partner.name for partner, n in per_person.items() if n > 1]
    if doubled:
        reasons.append(f"two digests for {', '.join(doubled)}")
    expected = (
        due.filtered("date_reminder_sent").responsible_user_id.partner_id
        | due.filtered("escalation_done").escalation_user_id.partner_id
    )
    missing = expected - env["res.partner"].browse([p.id for p in per_person])
    if missing:
        reasons.append(f"no digest for {', '.join(missing.mapped('name'))}")
    pending = due.filtered(
        lambda d: d.reminder_digest_pending or (d.escalation_done and not d.escalation_digest_sent)
    )
    if pending:
        reasons.append(f"{len(pending)} items still wait for a digest")
    if not digests:
        reasons.append("no digest was sent at all")
    return reasons


def _log_tail(log):
    """What the workers said about the jobs, and any warning or error, for the report (the
    log itself stays on the machine that ran the check)."""
    try:
        with open(log, encoding="utf-8", errors="replace") as handle:
            lines = [
                line.rstrip()
                for line in handle
                if " WARNING " in line
                or " ERROR " in line
                or " CRITICAL " in line
                or "Job 'Performance" in line
                or "Traceback" in line
            ]
    except OSError as error:
        return f"no log ({error})"
    return f"log {log}, last lines:\n  " + "\n  ".join(lines[-15:] or ["(nothing)"])


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scenario_two_workers(registry, args):
    with registry.cursor() as cr:
        env = _env(cr)
        cycle = _make_school(env, f"w{int(time.time())}", args.headcount)
        due = _due(env, cycle)
        mails_before = _mail_ids(env)
        job = env.ref("hr_school_performance.ir_cron_performance_deadlines")
        later = fields.Datetime.now() + timedelta(days=30)
        # Nothing runs before both workers are up, and nothing else runs meanwhile (the
        # mail queue would send and delete the digests).
        env["ir.cron"].search([]).write({"nextcall": later})
        env["ir.cron.trigger"].search([]).unlink()
        # lastcall is set when a run ends (to the second: not comparable with a start time
        # taken here), so it is cleared and the wait is for it to be set again.
        job.write({"code": JOB_CODE % args.batch, "active": True, "lastcall": False})
        twin = job.copy({"name": f"{job.name} (second worker)", "nextcall": later})
        twin.lastcall = False
        cr.commit()
        jobs = (job | twin).ids
    if not due:
        return ["nothing was due: the scenario did not test anything"]
    port = _free_port()
    log = os.path.join(args.logdir, f"cron-workers-{args.database}.log")
    if os.path.exists(log):
        os.remove(log)  # the server appends: the reasons below read this run only
    server = subprocess.Popen(
        [
            *args.odoo,
            "server",
            "-c",
            args.config,
            "-d",
            args.database,
            "--db-filter",
            f"^{args.database}$",
            "--workers",
            "2",
            "--max-cron-threads",
            "2",
            "--http-port",
            str(port),
            "--gevent-port",
            str(_free_port()),
            "--http-interface",
            "127.0.0.1",
            "--logfile",
            log,
            "--log-level",
            "info",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + args.timeout
        # Both cron workers up (they LISTEN for triggers), then both jobs triggered at once:
        # each worker takes one, and the two run the deadline job at the same time.
        while time.monotonic() < deadline:
            time.sleep(1)
            if server.poll() is not None:
                return [f"the server exited with status {server.returncode}: {_log_tail(log)}"]
            if not os.path.exists(log):
                continue  # the server has not opened its log yet
            with open(log, encoding="utf-8", errors="replace") as handle:
                if sum("Worker WorkerCron" in line and "alive" in line for line in handle) >= 2:
                    break
        else:
            return [f"the two cron workers did not start within {args.timeout}s: {_log_tail(log)}"]
        time.sleep(3)
        with registry.cursor() as cr:
            env = _env(cr)
            for cron in env["ir.cron"].browse(jobs):
                cron._trigger()
            cr.commit()
        while time.monotonic() < deadline:
            time.sleep(2)
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM ir_cron WHERE id IN %s AND lastcall IS NOT NULL",
                    [tuple(jobs)],
                )
                done = cr.fetchone()[0]
                cr.execute(
                    "SELECT count(*) FROM ir_cron_trigger WHERE cron_id IN %s", [tuple(jobs)]
                )
                if done == len(jobs) and not cr.fetchone()[0]:
                    break
        else:
            return [f"the two cron workers did not finish within {args.timeout}s: {_log_tail(log)}"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    with registry.cursor() as cr:
        env = _env(cr)
        reasons = _check(env, env["hr.performance.cycle"].browse(cycle.id), due.ids, mails_before)
    with open(log, encoding="utf-8", errors="replace") as handle:
        started = {
            int(line.split(") starting")[0].rsplit("(", 1)[1])
            for line in handle
            if "Job 'Performance: deadline" in line and ") starting" in line
        }
    with open(log, encoding="utf-8", errors="replace") as handle:
        problems = [line for line in handle if re.search(r" (WARNING|ERROR|CRITICAL) ", line)]
    if problems:
        reasons.append(
            f"{len(problems)} warning(s) or error(s) in the workers' log: {_log_tail(log)}"
        )
    if not set(jobs) <= started:
        reasons.append(
            f"both jobs should have run in the workers, ran: {sorted(started)} (log: {log})"
        )
    pids = set()
    with open(log, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if "Job 'Performance: deadline" in line and ") starting" in line:
                pids.add(line.split()[2])
    if len(pids) < 2:
        reasons.append(f"the jobs ran in {len(pids)} process(es), expected two cron workers")
    return reasons


CRASHER = """
import os, sys
import odoo, odoo.service.server
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config
config.parse_config(["-c", sys.argv[1], "--log-level", "warn"])
odoo.service.server.load_server_wide_modules()
registry = Registry(sys.argv[2])
Deadline = registry["hr.performance.deadline"]
original = Deadline._process_due
calls = []
def process_due(self, today):
    calls.append(1)
    result = original(self, today)
    if len(calls) == 2:
        self.env.flush_all()
        os._exit(3)  # dies with the second batch done but not committed
    return result
Deadline._process_due = process_due
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["hr.performance.deadline"]._cron_process_deadlines(batch_size=int(sys.argv[3]))
sys.exit(0)
"""


def scenario_crash(registry, args):
    with registry.cursor() as cr:
        env = _env(cr)
        # Only this school's items are due when the crashing run starts.
        env["hr.performance.deadline"]._cron_process_deadlines()
        cycle = _make_school(env, f"c{int(time.time())}", args.headcount)
        due = _due(env, cycle)
        mails_before = _mail_ids(env)
        cr.commit()
    if len(due) <= 2 * args.batch:
        return [f"only {len(due)} items due: too few for a crash in the second batch"]
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHER, args.config, args.database, str(args.batch)],
        check=False,
        capture_output=True,
        text=True,
    )
    if crashed.returncode != 3:
        return [
            f"the crashing run did not crash as planned ({crashed.returncode}): "
            f"{crashed.stderr[-500:]}"
        ]
    with registry.cursor() as cr:
        env = _env(cr)
        env.invalidate_all()
        today = fields.Date.context_today(env["res.users"])
        done = (
            env["hr.performance.deadline"]
            .browse(due.ids)
            .filtered(lambda d: not d.date_next_action or d.date_next_action > today)
        )
        if len(done) != args.batch:
            return [
                f"after the crash {len(done)} items were kept, "
                f"expected the first batch ({args.batch})"
            ]
        # Restart: the job resumes with what is left.
        env["hr.performance.deadline"]._cron_process_deadlines(batch_size=args.batch)
        cr.commit()
        return _check(env, env["hr.performance.cycle"].browse(cycle.id), due.ids, mails_before)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--logdir", required=True)
    parser.add_argument("--odoo", nargs="+", default=["odoo"])
    parser.add_argument("--headcount", type=int, default=40)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level", "warn"])
    odoo.service.server.load_server_wide_modules()
    registry = Registry(args.database)
    failed = 0
    for name, scenario in (
        ("two cron workers on a committed database", scenario_two_workers),
        ("crash in the middle of a batch, then resume", scenario_crash),
    ):
        try:
            reasons = scenario(registry, args)
        except Exception as exc:  # noqa: BLE001 - reported as a failed check
            reasons = [f"{type(exc).__name__}: {exc}"]
        if reasons:
            failed += 1
            print(f"FAIL {name}: {'; '.join(reasons)}")
        else:
            print(f"PASS {name}")
    # 3: a scenario failed (and said why above); any other error status is a crash.
    sys.exit(SCENARIO_FAILED if failed else 0)


if __name__ == "__main__":
    main()
