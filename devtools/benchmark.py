"""Benchmark of the addon's batch paths on a real database, rolled back afterwards.

Usage (through the Makefile): ``make bench [DB=hsp_demo] [SIZES="10 100 1000"]``.

For each size N it creates, inside one transaction that is rolled back at the end, a school
with N support staff in one job group, then measures:

* launching the cycle (one review per employee, batch creation);
* the daily deadline job when nothing is due (its cost must not grow with N);
* the daily deadline job when every planning meeting is overdue (escalations).

It prints wall time and SQL query counts. Query counts are the stable figure (the tests
assert them); times depend on the machine and are for comparison between runs.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from freezegun import freeze_time

import odoo
import odoo.service.server
from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import config


def REAL_CLOCK():
    # freezegun freezes time.perf_counter and time.monotonic, not clock_gettime.
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def _measure(env, func):
    env.flush_all()
    env.invalidate_all()
    before, start = env.cr.sql_log_count, REAL_CLOCK()
    result = func()
    env.flush_all()
    return result, REAL_CLOCK() - start, env.cr.sql_log_count - before


def _scenario(env, size, index):
    school = env["res.company"].create({"name": f"Benchmark School {index}"})
    job = env["hr.job"].create({"name": f"Benchmark TA {index}", "company_id": school.id})
    group = env["hr.performance.job.group"].create(
        {
            "name": f"Benchmark group {index}",
            "company_id": school.id,
            "job_ids": [Command.link(job.id)],
        }
    )
    managers = env["hr.employee"].create(
        [
            {
                "name": f"Benchmark manager {index}.{m}",
                "company_id": school.id,
                "user_id": env["res.users"]
                .create(
                    {
                        "name": f"Benchmark manager {index}.{m}",
                        "login": f"bench_manager_{index}_{m}",
                        "company_id": school.id,
                        "company_ids": [Command.set(school.ids)],
                    }
                )
                .id,
            }
            for m in range(5)
        ]
    )
    env["hr.employee"].create(
        [
            {
                "name": f"Benchmark TA {index}.{n}",
                "company_id": school.id,
                "job_id": job.id,
                "parent_id": managers[n % len(managers)].id,
            }
            for n in range(size)
        ]
    )
    # The headteacher receives the escalations of overdue planning meetings.
    headteacher = managers[0].user_id
    headteacher.group_ids = [
        Command.link(env.ref("hr_school_performance.hr_school_performance_group_headteacher").id)
    ]
    school.performance_headteacher_id = headteacher
    cycle = env["hr.performance.cycle"].create(
        {
            "job_group_id": group.id,
            "company_id": school.id,
            "date_start": date(2026, 9, 1),
            "date_end": date(2027, 8, 31),
        }
    )
    return cycle


def run(database, sizes):
    registry = Registry(database)
    rows = []
    with registry.cursor() as cr:
        # The deadline job commits its progress after each batch; here nothing may be kept,
        # so commits are turned into no-ops and everything is rolled back at the end.
        cr.commit = lambda: None
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        Deadline = env["hr.performance.deadline"]
        try:
            for index, size in enumerate(sizes):
                with freeze_time("2026-09-01"):
                    cycle = _scenario(env, size, index)
                    reviews, launch_s, launch_q = _measure(env, cycle.action_launch)
                with freeze_time("2026-09-02 06:00"):
                    __, idle_s, idle_q = _measure(env, Deadline._cron_process_deadlines)
                with freeze_time("2026-12-01 06:00"):
                    __, due_s, due_q = _measure(env, Deadline._cron_process_deadlines)
                rows.append((size, len(reviews), launch_s, launch_q, idle_s, idle_q, due_s, due_q))
        finally:
            cr.rollback()
    header = (
        f"{'staff':>6} {'reviews':>8} {'launch s':>9} {'queries':>8} "
        f"{'cron idle s':>12} {'queries':>8} {'cron due s':>11} {'queries':>8}"
    )
    print(header)
    for size, count, ls, lq, is_, iq, ds, dq in rows:
        print(f"{size:>6} {count:>8} {ls:>9.2f} {lq:>8} {is_:>12.3f} {iq:>8} {ds:>11.2f} {dq:>8}")
    print("All data created by the benchmark was rolled back.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--sizes", default="10 100 1000")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level", "warn", "--http-interface", "127.0.0.1"])
    odoo.service.server.load_server_wide_modules()
    run(args.database, [int(size) for size in args.sizes.split()])


if __name__ == "__main__":
    main()
