from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import (
    COLLEAGUE,
    CPD_LEADER,
    GOVERNOR,
    GROUP,
    HEAD_A,
    HEAD_B,
    HR_MANAGER,
    HR_TRUST,
    OBSERVER,
    PAYROLL,
    REVIEWEE,
    REVIEWER,
    HrSchoolPerformanceCase,
    london,
)

ANALYSIS = "hr.performance.review.analysis"
WORKLOAD = "hr.performance.reviewer.workload"


@tagged("post_install", "-at_install")
class TestDashboards(HrSchoolPerformanceCase):
    """The dashboards (Performance › Reporting › Dashboards): completion and overdue items
    by school and reviewer, reviewer workload against the school's maximum, observation
    hours against the cap and moderation progress, read as the headteacher and HR, and by
    no one else.

    Today is Thursday 1 October 2026. School A allows one reviewee per reviewer. Maria
    reviews Tom and Tina (Teaching Assistants 2026–27) and one of the two midday
    supervisors (2026–27); Helen reviews the other. At school B (no maximum), its
    headteacher reviews one teaching assistant."""

    freeze_today = "2026-10-01"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school.performance_reviewee_cap = 1
        cls._launch_team()
        cls.midday_cycle = cls._group_with_staff("Midday Supervisors", 2)
        with freeze_time("2026-09-01 08:00"):
            cls._launch(cls.midday_cycle)
        cls.head_b = cls.employees[HEAD_B]
        cls.ta_b = cls.env["hr.employee"].create(
            {
                "name": "Bella Assistant",
                "company_id": cls.other_school.id,
                "job_id": cls.job_ta.id,
                "parent_id": cls.head_b.id,
            }
        )
        cls.cycle_b = cls._create_cycle(school=cls.other_school)
        with freeze_time("2026-09-01 08:00"):
            cls._launch(cls.cycle_b)
        cls.review_b = cls.cycle_b.review_ids
        cls.env.flush_all()

    def _rows(self, role, model, domain=(), groupby=(), aggregates=("__count",)):
        """``formatted_read_group`` as the role's user: {group key: aggregates}."""
        Model = self.as_role(role, self.env[model])
        result = {}
        for group in Model.formatted_read_group(list(domain), list(groupby), list(aggregates)):
            key = tuple(
                group[name][0] if isinstance(group[name], tuple) else group[name]
                for name in groupby
            )
            result[key[0] if len(key) == 1 else key] = {
                aggregate: group[aggregate] for aggregate in aggregates
            }
        return result

    # ------------------------------------------------------------------
    # Reviewer workload
    # ------------------------------------------------------------------
    def test_reviewer_over_the_cap(self):
        """Maria carries three reviewees in the school's open cycles against a maximum of
        one: over by two, on each of her rows; Helen, with one, is at the maximum."""
        Workload = self.as_role(HEAD_A, self.env[WORKLOAD])
        maria = Workload.search([("reviewer_id", "=", self.manager.id)])
        self.assertEqual(
            {row.cycle_id: row.reviewee_count for row in maria},
            {self.cycle: 2, self.midday_cycle: 1},
        )
        for row in maria:
            self.assertEqual(row.school_load, 3)
            self.assertEqual(row.reviewee_cap, 1)
            self.assertTrue(row.over_cap)
            self.assertEqual(row.over_by, 2)
            self.assertEqual(row.load_percent, 300.0)
        helen = Workload.search([("reviewer_id", "=", self.head.id)])
        self.assertEqual(len(helen), 1)
        self.assertEqual((helen.school_load, helen.over_cap, helen.over_by), (1, False, 0))
        # Per reviewer, as the pivot shows it: the load is the reviewer's, not a sum.
        rows = self._rows(
            HEAD_A,
            WORKLOAD,
            groupby=["reviewer_id"],
            aggregates=["reviewee_count:sum", "school_load:max", "reviewee_cap:max"],
        )
        self.assertEqual(
            rows[self.manager.id],
            {"reviewee_count:sum": 3, "school_load:max": 3, "reviewee_cap:max": 1},
        )
        # The same reviewers as the launch's warning (one predicate).
        over = self.cycle.review_ids._reviewers_over_cap()
        self.assertEqual(Workload.search([("over_cap", "=", True)]).reviewer_id, over[self.school])
        self.assertEqual(Workload.search_count([("over_cap", "=", True)]), 2)

    def test_workload_follows_the_reviews(self):
        """A cancelled review leaves the load, a higher maximum clears the flag, and a
        school without a maximum flags no one."""
        self._advance(self.review_tina, "cancelled", self.hr_officer)
        maria = self.as_role(HEAD_A, self.env[WORKLOAD]).search(
            [("reviewer_id", "=", self.manager.id)]
        )
        self.assertEqual(set(maria.mapped("school_load")), {2})
        self.school.performance_reviewee_cap = 2
        self.assertFalse(maria.search([("over_cap", "=", True)]))
        row_b = self.as_role(HR_TRUST, self.env[WORKLOAD]).search(
            [("company_id", "=", self.other_school.id)]
        )
        self.assertEqual(row_b.reviewer_id, self.head_b)
        self.assertEqual((row_b.school_load, row_b.reviewee_cap), (1, 0))
        self.assertFalse(row_b.over_cap)
        self.assertEqual(row_b.load_percent, 0.0)

    # ------------------------------------------------------------------
    # Observation hours
    # ------------------------------------------------------------------
    def _observe(self, review, hours, when=date(2026, 11, 18)):
        return self._create_as(
            self.reviewer_user,
            "hr.performance.observation",
            {
                "review_id": review.id,
                "observer_id": self.employees[OBSERVER].id,
                "date_observation": london(when, 9),
                "duration_hours": hours,
                "purpose": "Evidence for objective 1",
            },
        )

    def test_observation_hours_against_the_cap(self):
        """Tom (full time, 3 hours) has 2.5 hours arranged, 1.5 of them observed, and one
        cancelled observation that does not count; Tina (half time, 1.5 hours) has used her
        whole cap. Lowering the job group's cap afterwards shows both over it."""
        mornings = self.env["resource.calendar"].create(
            {
                "name": "Mornings",
                "tz": "Europe/London",
                "company_id": self.school.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Morning {weekday}",
                            "dayofweek": str(weekday),
                            "hour_from": 8,
                            "hour_to": 12,
                        }
                    )
                    for weekday in range(5)
                ],
            }
        )
        self.ta_2.resource_calendar_id = mornings
        observed = self._observe(self.review, 1.5, when=date(2026, 9, 28))
        observed.with_user(self.users[OBSERVER]).action_observed()
        self._observe(self.review, 1.0)
        self._observe(self.review, 0.5).with_user(self.reviewer_user).action_cancel()
        self._observe(self.review_tina, 1.5)

        Analysis = self.as_role(HEAD_A, self.env[ANALYSIS])
        tom = Analysis.browse(self.review.id)
        self.assertEqual(tom.employee_id, self.ta_1)
        self.assertEqual(tom.observation_count, 2)
        self.assertAlmostEqual(tom.observation_hours, 2.5)
        self.assertAlmostEqual(tom.observation_done_hours, 1.5)
        self.assertAlmostEqual(tom.observation_cap_hours, 3.0)
        self.assertAlmostEqual(tom.observation_remaining_hours, 0.5)
        self.assertAlmostEqual(tom.observation_usage, 250 / 3)
        self.assertFalse(tom.observation_over_cap)
        tina = Analysis.browse(self.review_tina.id)
        self.assertAlmostEqual(tina.observation_cap_hours, 1.5)
        self.assertAlmostEqual(tina.observation_remaining_hours, 0.0)
        self.assertAlmostEqual(tina.observation_usage, 100.0)
        self.assertFalse(tina.observation_over_cap)
        # The same cap as the review's own (one computation, pro rata).
        for review in self.review | self.review_tina:
            self.assertAlmostEqual(
                Analysis.browse(review.id).observation_cap_hours, review.observation_cap_hours
            )
        # Summed per reviewer, as the pivot shows it.
        rows = self._rows(
            HEAD_A,
            ANALYSIS,
            domain=[("cycle_id", "=", self.cycle.id)],
            groupby=["reviewer_id"],
            aggregates=["observation_hours:sum", "observation_cap_hours:sum"],
        )
        self.assertAlmostEqual(rows[self.manager.id]["observation_hours:sum"], 4.0)
        self.assertAlmostEqual(rows[self.manager.id]["observation_cap_hours:sum"], 4.5)

        self.job_group.observation_cap_hours = 2.0
        self.env.invalidate_all()
        self.assertEqual(
            Analysis.search([("observation_over_cap", "=", True)]).review_id,
            self.review | self.review_tina,
        )
        self.assertAlmostEqual(Analysis.browse(self.review.id).observation_remaining_hours, -0.5)

    # ------------------------------------------------------------------
    # Completion and overdue items
    # ------------------------------------------------------------------
    def test_completion_and_overdue_by_school_and_reviewer(self):
        """Last year's reviews of Tom and Tina were never completed: open after their period
        ended. Tom's review of this year is completed on time. The deadlines missed are
        those the deadline model calls missed."""
        with freeze_time("2025-09-01 08:00"):
            last_year = self._create_cycle(start=date(2025, 9, 1), end=date(2026, 8, 31))
            self._launch(last_year)
        with freeze_time("2026-09-25 12:00"):
            self._prepare_for(self.review, "planning")
            self._advance(self.review, "final_review")
            self._prepare_for(self.review, "final_review")
            self._advance(self.review, "completed")
        self.env.flush_all()
        aggregates = [
            "review_count:sum",
            "completed_count:sum",
            "on_time_count:sum",
            "late_count:sum",
            "open_count:sum",
            "overdue_count:sum",
            "completion_rate:avg",
            "deadline_missed_count:sum",
        ]
        rows = self._rows(HEAD_A, ANALYSIS, groupby=["reviewer_id"], aggregates=aggregates)
        maria = rows[self.manager.id]
        self.assertEqual(
            [maria[name] for name in aggregates[:6]],
            [5, 1, 1, 0, 4, 2],
        )
        self.assertAlmostEqual(maria["completion_rate:avg"], 20.0)
        self.assertEqual(rows[self.head.id]["review_count:sum"], 1)
        self.assertEqual(rows[self.head.id]["completed_count:sum"], 0)
        Deadline = self.env["hr.performance.deadline"]
        for reviewer in self.manager | self.head:
            missed = Deadline.search_count(
                [
                    ("status", "in", ["missed"]),
                    ("review_id.reviewer_id", "=", reviewer.id),
                    ("company_id", "=", self.school.id),
                ]
            )
            self.assertEqual(rows[reviewer.id]["deadline_missed_count:sum"], missed)
        self.assertGreater(maria["deadline_missed_count:sum"], 0)
        # By school: only school A for its headteacher; both for the trust's HR officer.
        self.assertEqual(
            set(self._rows(HEAD_A, ANALYSIS, groupby=["company_id"])), {self.school.id}
        )
        by_school = self._rows(
            HR_TRUST, ANALYSIS, groupby=["company_id"], aggregates=["review_count:sum"]
        )
        self.assertEqual(
            by_school,
            {
                self.school.id: {"review_count:sum": 6},
                self.other_school.id: {"review_count:sum": 1},
            },
        )
        # The workload cards count the same missed deadlines.
        workload = self._rows(
            HEAD_A, WORKLOAD, groupby=["reviewer_id"], aggregates=["deadline_missed_count:sum"]
        )
        self.assertEqual(
            workload[self.manager.id]["deadline_missed_count:sum"],
            maria["deadline_missed_count:sum"],
        )

    # ------------------------------------------------------------------
    # Moderation progress
    # ------------------------------------------------------------------
    def _complete_signed(self, review):
        with freeze_time("2026-09-25 12:00"):
            self._prepare_for(review, "planning")
            self._advance(review, "final_review")
            review.sudo().date_statement_signed = date(2026, 9, 25)
            self._prepare_for(review, "final_review")
            self._advance(review, "completed")
        self.env.flush_all()

    def test_moderation_progress(self):
        """All statements of the teaching assistants' cycle are moderated: Tom's confirmed,
        Tina's sent back for a revised statement; the midday supervisors' cycle moderates
        none."""
        self._record_moderation(self.cycle, "all")
        self._record_moderation(self.midday_cycle, "none")
        rows = self._rows(
            HEAD_A,
            ANALYSIS,
            domain=[("moderation_selected", "=", True)],
            groupby=["cycle_id", "moderation_state"],
        )
        self.assertEqual(rows, {(self.cycle.id, "awaiting_statement"): {"__count": 2}})
        self._complete_signed(self.review)
        self._complete_signed(self.review_tina)
        head = self.headteacher_user
        self.review.with_user(head).action_moderation_confirm()
        self.review_tina.with_user(head).action_moderation_revise("Not consistent with the team")
        self.env.flush_all()
        aggregates = [
            "__count",
            "moderation_todo_count:sum",
            "moderation_confirmed_count:sum",
            "moderation_progress:avg",
        ]
        rows = self._rows(
            HEAD_A,
            ANALYSIS,
            domain=[("moderation_selected", "=", True)],
            groupby=["cycle_id"],
            aggregates=aggregates,
        )
        self.assertEqual(
            rows,
            {
                self.cycle.id: {
                    "__count": 2,
                    "moderation_todo_count:sum": 1,
                    "moderation_confirmed_count:sum": 1,
                    "moderation_progress:avg": 50.0,
                }
            },
        )
        states = self._rows(
            HEAD_A,
            ANALYSIS,
            domain=[("cycle_id", "=", self.cycle.id)],
            groupby=["moderation_state"],
        )
        self.assertEqual(set(states), {"confirmed", "revision"})
        midday = self._rows(
            HEAD_A,
            ANALYSIS,
            domain=[("cycle_id", "=", self.midday_cycle.id)],
            groupby=["moderation_state"],
        )
        self.assertEqual(midday, {"not_required": {"__count": 2}})

    # ------------------------------------------------------------------
    # Who may see what
    # ------------------------------------------------------------------
    def test_headteachers_see_their_school_only(self):
        for model in (ANALYSIS, WORKLOAD):
            with self.subTest(model=model):
                for role, school, other in (
                    (HEAD_A, self.school, self.other_school),
                    (HEAD_B, self.other_school, self.school),
                ):
                    Model = self.as_role(role, self.env[model])
                    self.assertTrue(Model.search_count([]))
                    self.assertEqual(Model.search([]).company_id, school)
                    self.assertFalse(Model.search_count([("company_id", "=", other.id)]))
                    self.assertFalse(
                        Model.formatted_read_group(
                            [("company_id", "=", other.id)], ["company_id"], ["__count"]
                        )
                    )
                Model = self.as_role(HR_TRUST, self.env[model])
                self.assertEqual(Model.search([]).company_id, self.school | self.other_school)
        # A school B row opened by id by school A's headteacher.
        with self.assertRaises(AccessError):
            self.as_role(HEAD_A, self.env[ANALYSIS]).browse(self.review_b.id).read(["state"])

    def test_other_roles_cannot_read_the_dashboards(self):
        for role in (REVIEWEE, REVIEWER, COLLEAGUE, PAYROLL, GOVERNOR, CPD_LEADER, OBSERVER):
            for model in (ANALYSIS, WORKLOAD):
                with self.subTest(role=role, model=model):
                    Model = self.as_role(role, self.env[model])
                    with self.assertRaises(AccessError):
                        Model.search_count([])
                    with self.assertRaises(AccessError):
                        Model.formatted_read_group([], ["company_id"], ["__count"])

    def test_a_headteachers_review_stays_private(self):
        """Helen's own review, by a governors' panel, is not in the dashboards of another
        headteacher of her school; she and HR see it; the workload never counts it."""
        head_review = self.env["hr.performance.review"].create(
            {
                "cycle_id": self.midday_cycle.id,
                "employee_id": self.head.id,
                "reviewer_id": self.manager.id,
            }
        )
        self.env["hr.performance.headteacher.panel"].create(
            {"review_id": head_review.id, "chair_user_id": self.users[GOVERNOR].id}
        )
        self.env.flush_all()
        deputy_head = self._make_user("hsp.deputy_head", groups=GROUP % "headteacher")
        Analysis = self.env[ANALYSIS]
        self.assertFalse(
            Analysis.with_user(deputy_head).search_count([("review_id", "=", head_review.id)])
        )
        self.assertTrue(self.as_role(HEAD_A, Analysis).search_count([("id", "=", head_review.id)]))
        self.assertTrue(
            self.as_role(HR_MANAGER, Analysis).search_count([("id", "=", head_review.id)])
        )
        maria = self.as_role(HR_TRUST, self.env[WORKLOAD]).search(
            [("reviewer_id", "=", self.manager.id), ("cycle_id", "=", self.midday_cycle.id)]
        )
        self.assertEqual(maria.reviewee_count, 1)

    def test_dashboards_menu_and_views(self):
        """The Dashboards menu shows to the headteacher and HR (and the CPD leader, for CPD),
        not to staff, payroll or governors; every view of the actions opens for the
        headteacher."""
        menu = self.env.ref("hr_school_performance.hr_school_performance_menu_dashboards")
        workload_menu = self.env.ref("hr_school_performance.hr_performance_reviewer_workload_menu")
        for role, visible in (
            (HEAD_A, True),
            (HR_TRUST, True),
            (CPD_LEADER, True),
            (REVIEWEE, False),
            (REVIEWER, False),
            (PAYROLL, False),
            (GOVERNOR, False),
        ):
            with self.subTest(role=role):
                menus = self.env["ir.ui.menu"].with_user(self.users[role])._visible_menu_ids()
                self.assertEqual(menu.id in menus, visible)
                self.assertEqual(workload_menu.id in menus, visible and role != CPD_LEADER)
        for xmlid in (
            "hr_performance_review_analysis_action_completion",
            "hr_performance_review_analysis_action_observation",
            "hr_performance_review_analysis_action_moderation",
            "hr_performance_reviewer_workload_action",
        ):
            with self.subTest(action=xmlid):
                action = self.env.ref(f"hr_school_performance.{xmlid}")
                Model = self.as_role(HEAD_A, self.env[action.res_model])
                views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
                views.append((action.search_view_id.id, "search"))
                result = Model.get_views(views)
                self.assertEqual(set(result["views"]), {mode for __, mode in views})
                fields_info = result["models"][action.res_model]["fields"]
                self.assertIn("company_id", fields_info)

    def test_cpd_volume_and_cost_by_school(self):
        """The CPD dashboard (training needs) sums volume and cost of the reader's school."""
        Need = self.env["hr.performance.training.need"]
        Need.create(
            [
                {"review_id": self.review.id, "name": "Makaton", "cost": 120.0},
                {"review_id": self.review_tina.id, "name": "First aid", "cost": 80.0},
                {"review_id": self.review_b.id, "name": "Team Teach", "cost": 300.0},
            ]
        )
        for role in (CPD_LEADER, HEAD_A):
            with self.subTest(role=role):
                rows = self._rows(
                    role,
                    "hr.performance.training.need",
                    groupby=["company_id"],
                    aggregates=["__count", "cost:sum"],
                )
                self.assertEqual(rows, {self.school.id: {"__count": 2, "cost:sum": 200.0}})
