"""Trust-scale benchmark: populate a trust, then measure every role's screens in one run.

Usage (through the Makefile)::

    make bench DB=hsp_trust SCALE=trust                  # 50 schools, 200 staff each, 5 years
    make bench DB=hsp_trust SCALE=trust SCHOOLS=5        # a tenth, to try it out

``DB`` must be a database of its own: it is created with the addon installed (no demo data)
when it does not exist, the trust is populated once (committed, kept for the next runs) and
every measurement is rolled back.

How the data is made (what the addon's own API would produce):

* companies, users, employees, job group, cycles: ``create()`` through the ORM in batches,
  with ``tracking_disable`` / ``mail_create_nolog`` / ``mail_create_nosubscribe`` /
  ``mail_notrack`` (no chatter for bulk set-up);
* reviews, their deadlines and to-dos: ``hr.performance.cycle.action_launch()`` on all the
  schools' cycles of a year at once, with the clock frozen on the cycle's first day, as HR
  launches them;
* objectives: ``create()`` in batches (three per review);
* past years: the ORM would spend hours walking 6,600 reviews a year through four workflow
  steps with their chatter, so a completed year is written with SQL the way the workflow
  leaves it: the review ``completed`` with its planning meeting, completion date and
  assessment, its outcome final (moderated: payroll reads it), each deadline met
  (``date_done``) or closed with the review, nothing left for the daily job
  (``date_next_action`` empty), and the year's to-dos marked done (archived).

Measured, each as the role's real user with warm caches, median of ``--repeat`` runs (wall
time and queries), and printed as ratios against the same user's employee list:
the headteacher's, reviewer's and reviewee's review lists, HR's "Overdue" filter against the
same list unfiltered, HR's review list and payroll's two lists (payroll interface and
pay-progression eligibility), each asked for as the web client asks (the pager counts up to
10,000 rows), opening a review with 20 objectives (and the access log's share), a
headteacher moving 20 and 200 reviews one step (one request: the button and the chatter its
end posts), launching 5 and 50 cycles, and the daily deadline job on the whole trust. For
each case, the sequential scans on the addon's tables in the EXPLAIN of its queries. The
statement PDF rows follow, from devtools/benchmark_statement.py on the same database.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from contextlib import closing, contextmanager
from datetime import date, datetime

from freezegun import freeze_time

import odoo
import odoo.service.server
from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.sql_db import db_connect
from odoo.tools import config

BULK = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}
GROUP = "hr_school_performance.hr_school_performance_group_%s"
# The current cycle opens on 1 September of this year; earlier years are history.
CURRENT = 2026
TODAY = "2026-11-20 09:00"  # a school day in the current cycle: planning meetings overdue
# The web client counts a list up to this many rows (web relational_model.js).
COUNT_LIMIT = 10000


def clock():
    # freezegun freezes time.perf_counter and time.monotonic, not clock_gettime.
    return time.clock_gettime(time.CLOCK_MONOTONIC)


# --------------------------------------------------------------------- populate


def populated(env):
    return bool(env["res.company"].search_count([("name", "=like", "Bench Trust%")]))


def populate(env, schools, staff, years, log):
    started = clock()
    env = env(context=dict(env.context, **BULK))
    trust = env["res.company"].create({"name": "Bench Trust"})
    companies = env["res.company"].create(
        [{"name": f"Bench School {n:02d}", "parent_id": trust.id} for n in range(schools)]
    )
    log(f"{schools} schools created ({clock() - started:.0f}s)")
    # The job in the trust: a job of another company (the superuser's default) is invisible
    # to the trust's HR officer, whose launch would then find nobody in the job group.
    job = env["hr.job"].create({"name": "Bench Teaching Assistant", "company_id": trust.id})
    group = env["hr.performance.job.group"].create(
        {
            "name": "Bench Teaching Assistants",
            "company_id": trust.id,
            "job_ids": [Command.link(job.id)],
            "max_objectives": 20,
        }
    )
    everyone = trust | companies
    # Trust-wide users: HR officer and payroll.
    Users = env["res.users"]
    hr = Users.create(
        {
            "name": "Bench HR Officer",
            "login": "bench.hr",
            "company_id": trust.id,
            "company_ids": [Command.set(everyone.ids)],
            "group_ids": [Command.link(env.ref(GROUP % "hr_officer").id)],
        }
    )
    payroll = Users.create(
        {
            "name": "Bench Payroll",
            "login": "bench.payroll",
            "company_id": trust.id,
            "company_ids": [Command.set(everyone.ids)],
            "group_ids": [Command.link(env.ref(GROUP % "payroll").id)],
        }
    )
    reviewers_per_school = max(staff // 20, 2)
    # Staff who joined years ago: eligible for every cycle of the history (not on
    # probation, not "not started yet").
    hired = freeze_time("2015-01-05 08:00")
    hired.start()
    for index, school in enumerate(companies):
        people = Users.create(
            [
                {
                    "name": f"Bench {role} {index:02d}.{n}",
                    "login": f"bench.{role}.{index}.{n}",
                    "company_id": school.id,
                    "company_ids": [Command.set(school.ids)],
                    **(
                        {"group_ids": [Command.link(env.ref(GROUP % "headteacher").id)]}
                        if role == "head"
                        else {}
                    ),
                }
                for role, count in (
                    ("head", 1),
                    ("reviewer", reviewers_per_school),
                    ("reviewee", 1),
                )
                for n in range(count)
            ]
        )
        school.performance_headteacher_id = people[0]
        managers = env["hr.employee"].create(
            [
                {"name": user.name, "company_id": school.id, "user_id": user.id}
                for user in people[:-1]
            ]
        )
        env["hr.employee"].create(
            [
                {
                    "name": f"Bench TA {index:02d}.{n:03d}",
                    "company_id": school.id,
                    "job_id": job.id,
                    "parent_id": managers[1 + n % reviewers_per_school].id,
                    "user_id": people[-1].id if n == 0 else False,
                }
                for n in range(staff)
            ]
        )
        env.flush_all()
        env.invalidate_all()
        if index % 10 == 9:
            log(f"  {index + 1} schools staffed ({clock() - started:.0f}s)")
    hired.stop()
    Cycle = env["hr.performance.cycle"]
    achieved = env.ref("hr_school_performance.hr_performance_scale_level_achieved")
    for year in range(CURRENT - years + 1, CURRENT + 1):
        with freeze_time(f"{year}-09-01 08:00"):
            cycles = Cycle.create(
                [
                    {
                        "job_group_id": group.id,
                        "company_id": school.id,
                        "date_start": date(year, 9, 1),
                        "date_end": date(year + 1, 8, 31),
                    }
                    for school in companies
                ]
            )
            reviews = cycles.with_user(hr).action_launch().sudo()
        env.flush_all()
        log(f"{year}: {len(reviews)} reviews launched ({clock() - started:.0f}s)")
        env["hr.performance.objective"].create(
            [
                {"review_id": review.id, "name": f"Objective {n + 1}"}
                for review in reviews
                for n in range(3)
            ]
        )
        env.flush_all()
        log(f"{year}: {3 * len(reviews)} objectives ({clock() - started:.0f}s)")
        if year < CURRENT:
            _complete_year(env, reviews, year, achieved)
            log(f"{year}: completed ({clock() - started:.0f}s)")
        env.invalidate_all()
    env["ir.config_parameter"].set_param("hr_school_performance.bench_hr", hr.id)
    env["ir.config_parameter"].set_param("hr_school_performance.bench_payroll", payroll.id)
    env.cr.commit()
    log(f"populated in {clock() - started:.0f}s")


def _complete_year(env, reviews, year, level):
    """A past year as the workflow leaves it (see the module docstring)."""
    cr = env.cr
    ids = tuple(reviews.ids)
    if not ids:
        return
    cr.execute(
        """UPDATE hr_performance_review
              SET state = 'completed', meeting_date = %s, date_completed = %s,
                  outcome_level_id = %s, date_self_evaluation = %s, date_draft_sent = %s,
                  date_comments = %s, date_statement_signed = %s,
                  outcome_final = TRUE
            WHERE id IN %s""",
        (
            datetime(year, 9, 20, 10, 0),
            date(year + 1, 7, 10),
            level.id,
            date(year, 9, 17),
            date(year, 9, 25),
            date(year, 9, 30),
            date(year, 10, 2),
            ids,
        ),
    )
    cr.execute(
        "UPDATE hr_performance_objective SET assessment_level_id = %s WHERE review_id IN %s",
        (level.id, ids),
    )
    cr.execute(
        """UPDATE hr_performance_deadline
              SET date_done = CASE WHEN id %% 7 = 0 THEN date_due + 2 ELSE date_due - 1 END,
                  date_next_action = NULL, reminder_done = TRUE, escalation_done = TRUE
            WHERE review_id IN %s AND id %% 11 <> 0""",
        (ids,),
    )
    cr.execute(
        """UPDATE hr_performance_deadline SET closed_with_review = TRUE, date_next_action = NULL
            WHERE review_id IN %s AND date_done IS NULL""",
        (ids,),
    )
    cr.execute(
        """UPDATE mail_activity SET active = FALSE, date_done = %s
            WHERE res_model = 'hr.performance.review' AND res_id IN %s""",
        (date(year + 1, 7, 10), ids),
    )
    cr.execute("ANALYZE")


# ---------------------------------------------------------------------- measure


class Recorder:
    """Counts the queries of a block and keeps the SELECTs to EXPLAIN."""

    def __init__(self, env):
        self.env = env
        self.queries = []

    @contextmanager
    def record(self):
        cr = self.env.cr
        original = type(cr).execute
        queries = self.queries = []

        def execute(this, query, params=None, log_exceptions=True):
            if this is cr:
                queries.append((query, params))
            return original(this, query, params, log_exceptions)

        type(cr).execute = execute
        try:
            yield
        finally:
            type(cr).execute = original

    def seq_scans(self):
        """Sequential scans on the addon's tables in the EXPLAIN of the recorded SELECTs."""
        cr = self.env.cr
        scans = set()
        for query, params in self.queries:
            code = query.code if hasattr(query, "code") else str(query)
            params = query.params if hasattr(query, "params") else params
            if not code.lstrip().upper().startswith("SELECT") or "hr_performance" not in code:
                continue
            cr.execute("EXPLAIN " + code, params)
            for (line,) in cr.fetchall():
                if "Seq Scan on hr_performance" in line:
                    scans.add(line.split("Seq Scan on ")[1].split()[0])
        return sorted(scans)


def measure(env, func, repeat):
    """Median wall time and the queries of ``func`` (rolled back after each run)."""
    times, counts = [], []
    recorder = Recorder(env)
    for index in range(repeat + 1):
        env.flush_all()
        env.invalidate_all()
        savepoint = env.cr.savepoint()
        before, start = env.cr.sql_log_count, clock()
        if index == repeat:
            with recorder.record():
                func()
                env.flush_all()
        else:
            func()
            env.flush_all()
        elapsed = clock() - start
        if index:  # the first run warms the caches
            times.append(elapsed)
            counts.append(env.cr.sql_log_count - before)
        savepoint.rollback()
        savepoint.close()
    scans = recorder.seq_scans()
    return statistics.median(times), max(counts), scans


def vacuum(database, log):
    """``VACUUM ANALYZE`` after the bulk load, as autovacuum does on a live database within
    minutes: PostgreSQL plans index-only scans from the visibility map it sets, and the
    freshly loaded tables are not in it yet (their counts would read the tables)."""
    started = clock()
    with closing(db_connect(database).cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
    log(f"vacuumed in {clock() - started:.0f}s")


def list_spec(model, view_type="list"):
    """The specification the web client sends for ``model``'s default view: the one the
    query-count tests use (fields of nested groups, inline lists, the activity widget)."""
    from odoo.addons.hr_school_performance.tests.test_query_budgets import view_spec

    return view_spec(model, view_type)


def run(database, args):
    registry = Registry(database)
    rows = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not populated(env):
            populate(env, args.schools, args.staff, args.years, print)
            cr.commit()
            vacuum(database, print)
        cr.commit()
        counts = {
            model: env[model].search_count([])
            for model in (
                "hr.employee",
                "hr.performance.review",
                "hr.performance.objective",
                "hr.performance.deadline",
            )
        }
        print(
            f"Trust: {env['res.company'].search_count([('name', '=like', 'Bench School%')])} "
            "schools, " + ", ".join(f"{n:,} {model.split('.')[-1]}s" for model, n in counts.items())
        )
        # Everything measured from here on is rolled back.
        cr.commit = lambda: None
        ctx = {"tz": "Europe/London", "lang": "en_US"}
        Param = env["ir.config_parameter"]
        hr = (
            env["res.users"]
            .browse(int(Param.get_param("hr_school_performance.bench_hr")))
            .with_context(ctx)
        )
        payroll = env["res.users"].browse(
            int(Param.get_param("hr_school_performance.bench_payroll"))
        )
        head = env["res.users"].search([("login", "=", "bench.head.0.0")])
        reviewer = env["res.users"].search([("login", "=", "bench.reviewer.0.0")])
        reviewee = env["res.users"].search([("login", "=", "bench.reviewee.0.0")])
        current = env["hr.performance.cycle"].search([("date_start", "=", date(CURRENT, 9, 1))])

        def as_user(user, model):
            companies = user.company_ids
            return env[model].with_user(user).with_context(ctx, allowed_company_ids=companies.ids)

        def row(label, func, baseline=None, goal=""):
            with freeze_time(TODAY):
                seconds, queries, scans = measure(env, func, args.repeat)
                ratio = ""
                if baseline:
                    base_s, base_q, _ = measure(env, baseline, args.repeat)
                    ratio = f"{seconds / base_s:.2f}×"
            rows.append(
                (
                    label,
                    ratio,
                    f"{seconds * 1000:.1f} ms",
                    queries,
                    ", ".join(scans) or "none",
                    goal,
                )
            )

        def web_list(user, model, domain=(), limit=80):
            records = as_user(user, model)
            spec = list_spec(records)
            # As the web client asks: it counts up to 10,000 rows (relational_model.js,
            # DEFAULT_COUNT_LIMIT) and shows "10000+" beyond.
            return lambda: records.web_search_read(
                list(domain), spec, limit=limit, count_limit=COUNT_LIMIT + 1
            )

        # The employee list each user is given: HR reads hr.employee, everyone else the
        # public profiles (hr.employee redirects them there).
        employee_list = lambda user: web_list(  # noqa: E731
            user, "hr.employee" if user.has_group("hr.group_hr_user") else "hr.employee.public"
        )
        public_list = employee_list
        review_domain = [("cycle_id", "in", current.ids)]
        row(
            "headteacher's review list vs their employee list",
            web_list(head, "hr.performance.review", review_domain),
            employee_list(head),
            "≤ 1.5×, ≤ 12 q",
        )
        row(
            "reviewer's review list vs their employee list",
            web_list(reviewer, "hr.performance.review", review_domain),
            public_list(reviewer),
            "≤ 1.2×, ≤ 12 q",
        )
        row(
            "reviewee's own reviews vs their employee list",
            web_list(reviewee, "hr.performance.review"),
            public_list(reviewee),
            "≤ 1.2×, ≤ 12 q",
        )
        row(
            "HR 'Overdue' filter vs the same list unfiltered",
            web_list(hr, "hr.performance.review", [("has_overdue_deadline", "=", True)]),
            web_list(hr, "hr.performance.review"),
            "≤ 1.1×, index only",
        )
        row(
            "HR officer's review list vs their employee list",
            web_list(hr, "hr.performance.review"),
            employee_list(hr),
            "no seq scan on reviews",
        )
        # Payroll has no access to the reviews: it reads the final outcomes through its
        # two views (every past year's reviews are final, see _complete_year).
        row(
            "payroll interface list vs their employee list",
            web_list(payroll, "hr.performance.payroll.outcome"),
            public_list(payroll),
            "no seq scan on reviews",
        )
        row(
            "pay-progression eligibility list vs their employee list",
            web_list(payroll, "hr.performance.pay.eligibility"),
            public_list(payroll),
            "no seq scan on reviews",
        )

        # Opening a review with 20 objectives, as its reviewer.
        review = env["hr.performance.review"].search(
            [("cycle_id", "in", current.ids), ("reviewer_user_id", "=", reviewer.id)], limit=1
        )
        env["hr.performance.objective"].create(
            [{"review_id": review.id, "name": f"Extra objective {n}"} for n in range(17)]
        )
        env.flush_all()
        form = as_user(reviewer, "hr.performance.review").browse(review.id)
        form_spec = list_spec(form, "form")
        row(
            "opening a review with 20 objectives (reviewer)",
            lambda: form.web_read(form_spec),
            goal="≤ 35 q",
        )
        log_model = env["hr.performance.access.log"].with_user(reviewer)
        row(
            "  of which the access-log row",
            lambda: form.with_env(log_model.env)._log_performance_access("open"),
            goal="≤ 2 q",
        )
        # A headteacher moving 20 and 200 reviews one step (planning -> agreed).
        school0 = head.company_id
        planning = env["hr.performance.review"].search(
            [
                ("cycle_id", "in", current.ids),
                ("company_id", "=", school0.id),
                ("state", "=", "planning"),
            ]
        )
        planning.write({"meeting_date": datetime(CURRENT, 10, 5, 10, 0)})
        env.flush_all()
        for size in (20, min(200, len(planning))):
            batch = as_user(head, "hr.performance.review").browse(planning[:size].ids)
            # One request: the button, then its end, which posts the tracked changes
            # (cr.flush runs the pre-commit hooks).
            row(
                f"headteacher moving {size} reviews one step",
                lambda batch=batch: (batch.action_agree_objectives(), env.cr.flush()),
                goal="flat from 20 to 200",
            )
        # Launching 6 and 60 cycles (a new job group, next year).
        next_group = env["hr.performance.job.group"].create(
            {
                "name": "Bench Site Staff",
                "company_id": env["res.company"].search([("name", "=", "Bench Trust")]).id,
                "job_ids": [Command.create({"name": "Bench Site Staff"})],
            }
        )
        schools = env["res.company"].search([("name", "=like", "Bench School%")])
        env["hr.employee"].create(
            [
                {
                    "name": f"Bench Site {s.id}.{n}",
                    "company_id": s.id,
                    "job_id": next_group.job_ids.id,
                }
                for s in schools
                for n in range(3)
            ]
        )
        for count in sorted({max(len(schools) // 10, 1), len(schools)}):
            # The cycles of the smaller launch are dropped before the larger one is made.
            savepoint = env.cr.savepoint()
            cycles = env["hr.performance.cycle"].create(
                [
                    {
                        "job_group_id": next_group.id,
                        "company_id": s.id,
                        "date_start": date(CURRENT + 1, 9, 1),
                        "date_end": date(CURRENT + 2, 8, 31),
                    }
                    for s in schools[:count]
                ]
            )
            row(
                f"launching {count} cycles (per cycle: see queries / {count})",
                cycles.with_user(hr).action_launch,
                goal="flat in cycles",
            )
            savepoint.rollback()
            savepoint.close()
            env.invalidate_all()
        # The daily deadline job: the whole trust, then the same items due in a trust a
        # tenth of the size (the other schools' open reviews cancelled for the measure).
        Deadline = env["hr.performance.deadline"]
        with freeze_time(TODAY):
            due = Deadline.search_count(
                [("date_next_action", "<=", date.fromisoformat(TODAY[:10]))]
            )
        row(
            f"daily deadline job, whole trust ({due} items due)",
            Deadline._cron_process_deadlines,
            goal="≤ 3 ms per due item",
        )
    print()
    width = max(len(r[0]) for r in rows)
    print(
        f"{'case':<{width}}  {'ratio':>7}  {'time':>10}  {'queries':>7}  "
        "seq scans on addon tables   goal"
    )
    for label, ratio, seconds, queries, scans, goal in rows:
        print(f"{label:<{width}}  {ratio:>7}  {seconds:>10}  {queries:>7}  {scans:<26}  {goal}")
    # The statement PDF rows (one against Odoo's badge, 20 against one) follow, printed by
    # devtools/benchmark_statement.py on the same database (make bench SCALE=trust).
    print("All measurements were rolled back; the populated trust is kept in the database.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--staff", type=int, default=200, help="staff per school")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level", "warn", "--http-interface", "127.0.0.1"])
    odoo.service.server.load_server_wide_modules()
    random.seed(14)
    run(args.database, args)


if __name__ == "__main__":
    main()
