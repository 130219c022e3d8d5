from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import (
    COLLEAGUE,
    GOVERNOR,
    HEAD_A,
    HEAD_B,
    HR_TRUST,
    REVIEWER,
    HrSchoolPerformanceCase,
)

GOVERNOR_GROUP = "hr_school_performance.hr_school_performance_group_governor"
HEADTEACHER_GROUP = "hr_school_performance.hr_school_performance_group_headteacher"


class HeadteacherReviewCase(HrSchoolPerformanceCase):
    """Helen, the headteacher of school A, reviewed by a panel of governors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        job = cls.env["hr.job"].create({"name": "Headteacher", "company_id": cls.school.id})
        group = cls.env["hr.performance.job.group"].create(
            {"name": "Headteachers", "company_id": cls.school.id, "job_ids": [Command.link(job.id)]}
        )
        cls.head.job_id = job
        cycle = cls._create_cycle(group=group, start=date(2026, 9, 1), end=date(2027, 8, 31))
        with freeze_time("2026-09-01 08:00"):
            cls._launch(cycle)
        cls.head_review = cycle.review_ids
        cls.head_review.objective_ids = [Command.create({"name": "Raise attendance to 96%"})]
        cls.second_governor = cls._make_user("hsp.governor2", GOVERNOR_GROUP)
        cls.third_governor = cls._make_user("hsp.governor3", GOVERNOR_GROUP)
        # Another headteacher allowed in school A (an executive head of the trust).
        cls.other_head = cls._make_user("hsp.other.head", HEADTEACHER_GROUP)

    @classmethod
    def _panel(cls, **vals):
        values = {
            "review_id": cls.head_review.id,
            "chair_user_id": cls.users[GOVERNOR].id,
            "governor_user_ids": [Command.set(cls.second_governor.ids)],
            "adviser_name": "Dr Jane Okoro, external adviser",
            "date_deadline": date(2026, 12, 31),
        }
        values.update(vals)
        return cls._create_as(cls.hr_officer, "hr.performance.headteacher.panel", values)


@tagged("post_install", "-at_install")
class TestHeadteacherReview(HeadteacherReviewCase):
    freeze_today = "2026-11-18"

    def test_panel_and_objection(self):
        panel = self._panel(governor_user_ids=[])
        self.assertTrue(self.head_review.is_headteacher_review)
        # The headteacher objects, in writing, to a named governor.
        objection = self._create_as(
            self.headteacher_user,
            "hr.performance.headteacher.objection",
            {
                "panel_id": panel.id,
                "user_id": self.third_governor.id,
                "reason": "He is a parent of a pupil in my class.",
            },
        )
        self.assertEqual(objection.date_objection, date(2026, 11, 18))
        # Bad input: the governor objected to sitting on the panel.
        with self.assertRefused(ValidationError, "objected to hsp.governor3"):
            self.as_role(HR_TRUST, panel).governor_user_ids = [Command.set(self.third_governor.ids)]
        self.assertStored(panel, "governor_user_ids", self.env["res.users"])
        with self.assertRefused(UserError, "two or three governors"):
            self.as_role(HR_TRUST, panel).action_appoint()
        with self.assertRefused(ValidationError, "is not a governor"):
            self.as_role(HR_TRUST, panel).governor_user_ids = [
                Command.set(self.users[COLLEAGUE].ids)
            ]
        as_hr = self.as_role(HR_TRUST, panel)
        as_hr.governor_user_ids = [Command.set(self.second_governor.ids)]
        as_hr.adviser_name = " "
        with self.assertRefused(UserError, "external adviser"):
            as_hr.action_appoint()
        as_hr.adviser_name = "Dr Jane Okoro, external adviser"
        as_hr.action_appoint()
        self.assertEqual(panel.state, "appointed")
        self.assertEqual(panel.access_grant_id.user_id, self.users[GOVERNOR])
        self.assertEqual(panel.access_grant_id.purpose, "headteacher_review")
        # Only HR appoints; only the headteacher objects.
        with self.assertRaises(AccessError):
            self.as_role(HEAD_A, panel).chair_user_id = self.second_governor
        with self.assertRaises(AccessError):
            self._create_as(
                self.users[GOVERNOR],
                "hr.performance.headteacher.objection",
                {"panel_id": panel.id, "user_id": self.second_governor.id, "reason": "x"},
            )

    def test_deadline_set_by_the_panel(self):
        """The governors' date (31 December) is a deadline of the review, owed by the
        panel's chair, moved with the panel's date and met when the statement is signed."""
        self.assertFalse(self._deadline(self.head_review, "headteacher_review"))
        panel = self._panel()
        deadline = self._deadline(self.head_review, "headteacher_review")
        self.assertEqual(self.head_review.date_headteacher_review_due, date(2026, 12, 31))
        # 31 December falls in the Christmas holidays: due the next working day, as every
        # deadline on a closed day.
        self.assertEqual(deadline.date_due, date(2027, 1, 4))
        self.assertEqual(deadline.responsible_user_id, self.users[GOVERNOR])
        self.assertFalse(deadline.date_done)
        self.as_role(HR_TRUST, panel).write(
            {"date_deadline": date(2026, 12, 18), "chair_user_id": self.second_governor.id}
        )
        deadline = self._deadline(self.head_review, "headteacher_review")
        self.assertEqual(deadline.date_due, date(2026, 12, 18))
        self.assertEqual(deadline.responsible_user_id, self.second_governor)
        # No other review of the trust's schools gets it (the demo has its own).
        self.assertEqual(
            self.env["hr.performance.deadline"].search(
                [
                    ("kind", "=", "headteacher_review"),
                    ("review_id.company_id", "in", (self.school | self.other_school).ids),
                ]
            ),
            deadline,
        )
        self.head_review.sudo().date_statement_signed = date(2026, 11, 17)
        self.assertEqual(
            self._deadline(self.head_review, "headteacher_review").date_done, date(2026, 11, 17)
        )

    def test_the_panels_chair_is_the_reviewer(self):
        """While the panel is appointed its chair acts as the headteacher's reviewer (seed
        003 §4.1): plans and agrees the objectives, drafts the statement and owes the
        reviewer's deadlines; the other governors do not. A new chair takes over; a closed
        panel hands the review back."""
        review = self.head_review
        chair, second = self.users[GOVERNOR], self.second_governor
        before = review.reviewer_user_id
        panel = self._panel()
        self.assertEqual(review.reviewer_user_id, before, "a panel being appointed acts not")
        todo = review.activity_ids
        self.as_role(HR_TRUST, panel).chair_user_id = second
        self.assertEqual(review.activity_ids, todo, "nor does it take over the to-do")
        self.as_role(HR_TRUST, panel).chair_user_id = chair
        self.as_role(HR_TRUST, panel).action_appoint()
        self.assertEqual(review.reviewer_user_id, chair)
        planning_todo = self.env.ref("hr_school_performance.mail_activity_type_planning_meeting")
        self.assertEqual(review.activity_ids.activity_type_id, planning_todo)
        self.assertEqual(review.activity_ids.user_id, chair)
        self.assertEqual(
            set(
                review.deadline_ids.filtered(lambda d: d.rule_id.responsible == "reviewer").mapped(
                    "responsible_user_id"
                )
            ),
            {chair},
        )
        as_chair = self.as_role(GOVERNOR, review)
        as_chair.write(
            {
                "meeting_date": datetime(2026, 10, 5, 16, 0),
                "objective_ids": [Command.create({"name": "Lead the attendance project"})],
            }
        )
        # The other governor on the panel reads nothing and writes nothing.
        as_second = review.with_user(second).with_context(
            allowed_company_ids=second.company_ids.ids
        )
        with self.assertRaises(AccessError):
            as_second.write({"meeting_date": datetime(2026, 10, 6, 16, 0)})
        with self.assertRaises(AccessError):
            as_second.action_agree_objectives()
        self.assertEqual(review.state, "planning")
        as_chair.action_agree_objectives()
        self.assertEqual(review.state, "agreed")
        as_chair.action_draft_statement()
        self.assertEqual(review.statement_id.reviewer_user_id, chair)
        # A new chair takes over the review; the former one loses it.
        self.as_role(HR_TRUST, panel).chair_user_id = second
        self.env.invalidate_all()
        self.assertEqual(review.reviewer_user_id, second)
        self.assertEqual(review.activity_ids.user_id, second)
        self.assertFalse(review.with_user(chair)._filtered_access("read"))
        with self.assertRaises(AccessError):
            review.with_user(chair).write({"meeting_date": datetime(2026, 10, 7, 16, 0)})
        self.assertTrue(as_second._filtered_access("write"))
        # A closed panel hands the review back.
        self.as_role(HR_TRUST, panel).action_close()
        self.env.invalidate_all()
        self.assertEqual(review.reviewer_user_id, before)
        self.assertFalse(review.with_user(second)._filtered_access("read"))

    def test_appeal_against_the_headteachers_review_goes_to_the_governors(self):
        """The panel's chair takes the review through to completion; the headteacher's
        appeal against it is heard by the governing body, never by the headteacher
        (the school's escalation user) nor by the chair who reviewed."""
        self.as_role(HR_TRUST, self._panel()).action_appoint()
        review = self.head_review
        self._prepare_for(review, "planning")
        self._advance(review, "final_review")  # pressed by its reviewer: the chair
        self._prepare_for(review, "final_review")
        self._advance(review, "completed")
        self.assertEqual(review.state, "completed")
        review.sudo().date_statement_signed = date(2026, 11, 17)
        # The school moderates every statement, but not the headteacher's own: the
        # headteacher cannot moderate it, and the panel's outcome is final once completed.
        self._record_moderation(review.cycle_id, "all")
        self.assertEqual(review.moderation_mode, "none")
        self.assertFalse(review.moderation_selected)
        self.assertTrue(review.outcome_final)
        appeal = self._create_as(
            self.headteacher_user,
            "hr.performance.appeal",
            {
                "review_id": review.id,
                "entries_appealed": "The attendance objective assessed as Progressing.",
                "grounds": "The local authority's figures were not available until November.",
            },
        )
        as_hr = self.as_role(HR_TRUST, appeal)
        as_hr.write(
            {
                "informal_waived": True,
                "informal_waiver_reason": "The chair of governors reviewed the headteacher.",
            }
        )
        as_hr.action_make_formal()
        self.assertEqual((appeal.state, appeal.hearer), ("formal", "governors"))
        self.assertFalse(appeal.panel_user_ids)
        self.assertIn(
            "own review, to be heard by the governing body",
            "".join(appeal.message_ids.mapped("body")),
        )
        with self.assertRefused(ValidationError, "cannot hear the appeal"):
            as_hr.panel_user_ids = [Command.set(self.users[GOVERNOR].ids)]
        as_hr.panel_user_ids = [Command.set((self.second_governor | self.third_governor).ids)]
        self.assertEqual(
            appeal.access_grant_ids.user_id, self.second_governor | self.third_governor
        )

    def test_confidentiality(self):
        panel = self._panel()
        self.as_role(HR_TRUST, panel).action_appoint()
        review = self.head_review
        objective = review.objective_ids
        readers = {
            "chair": self.users[GOVERNOR],
            "hr": self.hr_officer,
            "headteacher": self.headteacher_user,
        }
        for name, user in readers.items():
            with self.subTest(reader=name):
                self.env.invalidate_all()
                as_user = review.with_user(user).with_context(
                    allowed_company_ids=user.company_ids.ids
                )
                self.assertEqual(as_user.search([("id", "=", review.id)]), review)
                self.assertTrue(as_user.read(["objective_ids"]))
        outsiders = {
            "other headteacher": self.other_head,
            "other governor on the panel": self.second_governor,
            "colleague": self.users[COLLEAGUE],
            "reviewer of others": self.users[REVIEWER],
            "headteacher of school B": self.users[HEAD_B],
        }
        for name, user in outsiders.items():
            with self.subTest(outsider=name):
                self.env.invalidate_all()
                as_user = review.with_user(user).with_context(
                    allowed_company_ids=user.company_ids.ids
                )
                self.assertFalse(as_user.search([("id", "=", review.id)]))
                with self.assertRaises(AccessError):
                    as_user.read(["final_assessment"])
                with self.assertRaises(AccessError):
                    objective.with_user(user).read(["name"])
                self.assertFalse(
                    self.env["hr.performance.deadline"]
                    .with_user(user)
                    .search([("review_id", "=", review.id)])
                )
                with self.assertRaises(AccessError):
                    panel.with_user(user).read(["adviser_name"])
        # Nor does the outcome distribution show it, once completed, to anyone but its
        # readers (a job group of one would give the outcome away).
        self.env.cr.execute(
            "UPDATE hr_performance_review SET state = 'completed' WHERE id = %s", [review.id]
        )
        self.env.invalidate_all()
        Report = self.env["hr.performance.outcome.report"]
        for name, user in {
            "chair": self.users[GOVERNOR],
            "headteacher": self.headteacher_user,
        }.items():
            with self.subTest(report_reader=name):
                as_user = Report.with_user(user).with_context(
                    allowed_company_ids=user.company_ids.ids
                )
                self.assertIn(review.id, as_user.search([]).ids)  # a row's id is its review's
        for name in ("other headteacher", "other governor on the panel", "headteacher of school B"):
            user = outsiders[name]
            with self.subTest(report_outsider=name):
                as_user = Report.with_user(user).with_context(
                    allowed_company_ids=user.company_ids.ids
                )
                self.assertNotIn(review.id, as_user.search([]).ids)
        # Governors see the distribution without the review column: never by review.
        as_governor = Report.with_user(self.second_governor).with_context(
            allowed_company_ids=self.second_governor.company_ids.ids
        )
        with self.assertRaises(AccessError):
            as_governor.search([("review_id", "=", review.id)])
        # The other headteacher still reads the school's other reviews.
        tom = self._launched_review(self.ta_1)
        self.assertTrue(tom.with_user(self.other_head)._filtered_access("read"))
        # A closed panel ends the chair's access.
        self.as_role(HR_TRUST, panel).action_close()
        self.env.invalidate_all()
        self.assertFalse(review.with_user(self.users[GOVERNOR])._filtered_access("read"))


@tagged("post_install", "-at_install")
class TestHeadteacherReviewRpc(HeadteacherReviewCase, HttpCase):
    """The same confidentiality through the web client's JSON-RPC."""

    def _read(self, login):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/hr.performance.review/web_read",
            {
                "model": "hr.performance.review",
                "method": "web_read",
                "args": [[self.head_review.id]],
                "kwargs": {"specification": {"final_assessment": {}, "employee_id": {}}},
            },
        )

    def test_rpc(self):
        panel = self._panel()
        panel.with_user(self.hr_officer).action_appoint()
        for user in (self.other_head, self.second_governor, self.users[COLLEAGUE]):
            with self.subTest(user=user.login):
                with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
                    self._read(user.login)
                self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
        values = self._read(self.users[GOVERNOR].login)
        self.assertEqual(values[0]["id"], self.head_review.id)
        values = self._read(self.users[HR_TRUST].login)
        self.assertEqual(values[0]["id"], self.head_review.id)
