from collections import Counter
from datetime import date

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged, users, warmup

from .common import HEAD_A, HR_TRUST, PAYROLL, REVIEWEE, REVIEWER, HrSchoolPerformanceCase
from .test_launch_queries import CACHE_FILLS, COMPANY_LOOKUP, _shape
from .test_query_budgets import view_spec

LOGIN = "hsp.%s"
# What each role's screens may cost (issue 14): the same for a list of 10 reviews and of
# 100 (but for the pager's count past 80 rows, as in every Odoo list). Every role meets the
# goal of 12 since 2 December 2026: the list's search fetches the columns the record rules
# read (hr.performance.review._ACCESS_RULE_FIELDS), so core mail.activity's check that the
# reader may read each review of the activity column reads no review row again.
LIST_BUDGET = 12
# The goal is 35. Measured on 1 December 2026 after the statement, appeals, job chat and
# capability features joined the form: 36 (the development plan is a second read of the
# training needs, and the record rule's check of the opened review computes the user's
# running grants once). Not met by one query: see issue 14.
FORM_BUDGET = 36
# Payroll's lists (the payroll interface and pay-progression eligibility): payroll reads no
# review, so its review list, empty, measured nothing (2 December 2026).
PAYROLL_BUDGET = 12
ACCESS_LOG_BUDGET = 2


@tagged("post_install", "-at_install")
class TestScaleQueryBudgets(HrSchoolPerformanceCase):
    """Each role's review list, the "Overdue" filter and the review form cost a fixed
    number of queries whatever the number of rows; the access log of an opening is one
    INSERT (and the read that finds a repeat)."""

    freeze_today = "2026-10-01 09:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small = cls._group_with_staff("Small team", 10)
        cls.large = cls._group_with_staff("Large team", 100)
        cls._launch(cls.small | cls.large)
        cls._build_pay_scale()
        cls.job_group.max_objectives = 20
        cls.review = cls._launched_review(cls.ta_1)
        cls.review.write(
            {"objective_ids": [Command.create({"name": f"Objective {n}"}) for n in range(20)]}
        )
        cls.env.flush_all()

    def _as_user(self, records):
        return records.with_env(self.env)

    def _count(self, func):
        """Run ``func`` and return its result, its number of queries and their shapes (for
        the message of a failed budget)."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        with self.assertLogs("odoo.sql_db", level="DEBUG") as logs:
            result = func()
            self.env.flush_all()
        shapes = Counter(
            _shape(message.split("query: ", 1)[-1])
            for message in (record.getMessage() for record in logs.records)
            if "query: " in message
        )
        return result, self.cr.sql_log_count - before, shapes

    def _assert_budget(self, count, budget, shapes, what):
        if not self.warm:
            return  # the first run of @warmup fills the registry's caches
        self.assertLessEqual(
            count,
            budget,
            f"{what} as {self.env.user.login}: {count} queries > {budget}: "
            + "\n".join(f"{n} × {shape}" for shape, n in shapes.most_common()),
        )

    @users(LOGIN % REVIEWER, LOGIN % HEAD_A, LOGIN % HR_TRUST)
    @warmup
    def test_review_list_costs_the_same_for_10_and_100_rows(self):
        Review = self._as_user(self.env["hr.performance.review"])
        spec = view_spec(Review, "list")
        counts = []
        for cycle in (self.small, self.large):
            result, count, shapes = self._count(
                lambda c=cycle: Review.web_search_read([("cycle_id", "=", c.id)], spec, limit=80)
            )
            # The pager's count of the rows past the first 80 is the one extra query, as
            # in every list of Odoo's.
            count -= 1 if result["length"] > 80 else 0
            self._assert_budget(count, LIST_BUDGET, shapes, f"list of {cycle.display_name}")
            counts.append(count)
        if self.warm:
            self.assertEqual(counts[0], counts[1], "a list of 100 costs more than a list of 10")

    def _final_outcomes(self, cycles):
        """Every review of ``cycles`` completed on Grade 4 point 7 with point 8 recommended,
        its outcome final. Written the way the workflow leaves it (as the trust benchmark
        writes past years): walking 110 reviews through statements and moderation is
        what test_pay_decision tests; here only the number of rows matters."""
        achieved = self.env.ref("hr_school_performance.hr_performance_scale_level_achieved")
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE hr_performance_review
                  SET state = 'completed', date_completed = '2027-07-10', outcome_final = TRUE,
                      outcome_level_id = %s, pay_progression_eligible = TRUE,
                      current_pay_point_id = %s, recommended_pay_point_id = %s
                WHERE cycle_id IN %s""",
            (achieved.id, self.point_7.id, self.point_8.id, tuple(cycles.ids)),
        )
        self.env.invalidate_all()

    @users(LOGIN % PAYROLL)
    @warmup
    def test_payroll_lists_cost_the_same_for_10_and_100_rows(self):
        """Payroll's two lists, the payroll interface and pay-progression eligibility (each
        a view of the final outcomes): a fixed number of queries for 10 and for 100 rows."""
        self._final_outcomes(self.small | self.large)
        for model in ("hr.performance.payroll.outcome", "hr.performance.pay.eligibility"):
            Rows = self._as_user(self.env[model])
            spec = view_spec(Rows, "list")
            counts = []
            for cycle, size in ((self.small, 10), (self.large, 100)):
                result, count, shapes = self._count(
                    lambda c=cycle, r=Rows, s=spec: r.web_search_read(
                        [("cycle_id", "=", c.id)], s, limit=80
                    )
                )
                self.assertEqual(result["length"], size)
                self.assertEqual(len(result["records"]), min(size, 80))
                count -= 1 if size > 80 else 0
                self._assert_budget(count, PAYROLL_BUDGET, shapes, f"{model} of {size}")
                counts.append(count)
            if self.warm:
                self.assertEqual(counts[0], counts[1], f"{model}: 100 rows cost more than 10")

    @users(LOGIN % REVIEWEE)
    @warmup
    def test_own_review_list(self):
        Review = self._as_user(self.env["hr.performance.review"])
        spec = view_spec(Review, "list")
        result, count, shapes = self._count(lambda: Review.web_search_read([], spec, limit=80))
        self.assertEqual(result["length"], 1)
        self._assert_budget(count, LIST_BUDGET, shapes, "own reviews")

    @users(LOGIN % HR_TRUST)
    @warmup
    def test_overdue_filter_costs_what_the_list_costs(self):
        Review = self._as_user(self.env["hr.performance.review"])
        spec = view_spec(Review, "list")
        domain = [("cycle_id", "in", (self.small | self.large).ids)]
        __, plain, __ = self._count(lambda: Review.web_search_read(domain, spec, limit=80))
        __, overdue, shapes = self._count(
            lambda: Review.web_search_read(
                [*domain, ("has_overdue_deadline", "=", True)], spec, limit=80
            )
        )
        self._assert_budget(overdue, plain, shapes, "the Overdue filter")

    @users(LOGIN % REVIEWER)
    @warmup
    def test_form_with_20_objectives(self):
        review = self._as_user(self.review)
        spec = view_spec(review, "form")
        Log = self.env["hr.performance.access.log"].sudo()
        log_before = Log.search_count([])
        __, count, shapes = self._count(lambda: review.web_read(spec))
        self._assert_budget(count, FORM_BUDGET, shapes, "the review form")
        self.assertEqual(Log.search_count([]), log_before + 1)

    @users(LOGIN % REVIEWER)
    @warmup
    def test_access_log_entry_is_one_insert(self):
        review = self._as_user(self.review)
        self.env["hr.performance.access.log"].sudo().search([]).unlink()
        __, count, shapes = self._count(lambda: review._log_performance_access("open"))
        self._assert_budget(count, ACCESS_LOG_BUDGET, shapes, "the access-log entry")
        entry = self.env["hr.performance.access.log"].sudo().search([], limit=1)
        self.assertEqual(
            (entry.review_id, entry.employee_id, entry.company_id, entry.user_id),
            (self.review, self.review.employee_id, self.review.company_id, self.env.user),
        )
        self.assertEqual(entry.employee_user_id, self.review.employee_user_id)
        # Opened again within the minute: no second entry, one query.
        __, count, __ = self._count(lambda: review._log_performance_access("open"))
        self.assertEqual(self.env["hr.performance.access.log"].sudo().search_count([]), 1)
        self.assertLessEqual(count, ACCESS_LOG_BUDGET)


@tagged("post_install", "-at_install")
class TestLaunchManyCycles(HrSchoolPerformanceCase):
    """Launching a whole trust's cycles at once costs what launching a few does."""

    def _schools_with_cycles(self, count, tag):
        schools = self.env["res.company"].create(
            [{"name": f"{tag} school {n}", "parent_id": self.trust.id} for n in range(count)]
        )
        self.env["hr.employee"].create(
            [
                {
                    "name": f"{tag} TA {school.id}.{n}",
                    "company_id": school.id,
                    "job_id": self.job_ta.id,
                }
                for school in schools
                for n in range(2)
            ]
        )
        self.hr_officer.company_ids |= schools
        return self.env["hr.performance.cycle"].create(
            [
                {
                    "job_group_id": self.job_group.id,
                    "company_id": school.id,
                    "date_start": date(2026, 9, 1),
                    "date_end": date(2027, 8, 31),
                }
                for school in schools
            ]
        )

    def _launch_count(self, cycles):
        self.env.flush_all()
        self.env.invalidate_all()
        hr = self.hr_officer
        before = self.cr.sql_log_count
        with self.assertLogs("odoo.sql_db", level="DEBUG") as logs:
            reviews = (
                cycles.with_user(hr)
                .with_context(allowed_company_ids=hr.company_ids.ids)
                .action_launch()
            )
            self.env.flush_all()
        shapes = Counter(
            _shape(message.split("query: ", 1)[-1])
            for message in (record.getMessage() for record in logs.records)
            if "query: " in message
        )
        self.assertEqual(len(reviews), 2 * len(cycles))
        return self.cr.sql_log_count - before, shapes

    @freeze_time("2026-09-01")
    def test_launch_cost_does_not_grow_with_the_number_of_cycles(self):
        self._launch_count(self._schools_with_cycles(2, "Warm"))
        two, two_shapes = self._launch_count(self._schools_with_cycles(2, "Two"))
        six, six_shapes = self._launch_count(self._schools_with_cycles(6, "Six"))
        # The reviews, deadlines, to-dos, exclusions and launch notes of every cycle are
        # created in batches, and the working days of every school are loaded together
        # (res.company._performance_working_calendars: one search each for the schedules'
        # attendances, the public holidays and the closures of all the schools): launching
        # 6 cycles costs what launching 2 does, down from 8 queries a cycle (24 before).
        message = (
            f"2 cycles: {two} queries, 6 cycles: {six}; only with 6: {six_shapes - two_shapes}; "
            f"only with 2: {two_shapes - six_shapes}"
        )

        # Only the cache fills of test_launch_queries may land in either launch, depending
        # on what ran before in the process: a read of a user's and of a partner's row and
        # the lookup of a user's companies, once each at most, never once per cycle.
        def counted(shapes):
            return sum(
                n
                for shape, n in shapes.items()
                if not shape.startswith((COMPANY_LOOKUP, *CACHE_FILLS))
            )

        self.assertLessEqual(counted(six_shapes), counted(two_shapes), message)
        for prefix in (COMPANY_LOOKUP, *CACHE_FILLS):
            reads = [
                sum(n for shape, n in shapes.items() if shape.startswith(prefix))
                for shapes in (two_shapes, six_shapes)
            ]
            self.assertLessEqual(reads[1], reads[0] + 1, message)
        cycle = self.env["hr.performance.cycle"].search([("company_id.name", "=", "Six school 5")])
        self.assertIn("Cycle launched: 2 reviews created", str(cycle.message_ids[:1].body))
