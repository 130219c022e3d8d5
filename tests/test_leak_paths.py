import base64

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import (
    COLLEAGUE,
    CPD_LEADER,
    FORMER_REVIEWER,
    GOVERNOR,
    GRANTEE,
    HEAD_A,
    HEAD_B,
    HR_B,
    HR_TRUST,
    OBSERVER,
    OUTSIDERS,
    PAYROLL,
    REVIEWEE,
    REVIEWER,
    TODAY,
    HrSchoolPerformanceCase,
)

TECHNICAL = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}


@tagged("post_install", "-at_install")
class TestLeakPaths(HrSchoolPerformanceCase):
    """Everything a role that must not see a review could try, field by field."""

    freeze_today = TODAY
    review_world = True

    def _protected_fields(self, model):
        return sorted(
            name
            for name, field in self.env[model]._fields.items()
            if field.store
            and field.type not in ("one2many", "many2many", "binary")
            and name not in TECHNICAL
            and not name.startswith("message_")
        )

    def _condition_value(self, record, name):
        value = record[name]
        if record._fields[name].type == "many2one":
            return value.id
        return value

    def test_guessing_field_values_returns_nothing(self):
        """Domains on each stored field of the review and of its objectives, one guess at a
        time, with the true values: no outsider gets a single row, grouped or not."""
        for model, records in (
            ("hr.performance.review", self.review | self.review_done),
            ("hr.performance.objective", self.objective),
        ):
            names = self._protected_fields(model)
            self.assertIn("outcome_level_id" if model == "hr.performance.review" else "name", names)
            for record in records:
                for name in names:
                    value = self._condition_value(record, name)
                    groupable = record._fields[name]._description_groupable(self.env)
                    for role in OUTSIDERS:
                        with self.subTest(model=model, record=record.id, field=name, role=role):
                            Model = self.as_role(role, self.env[model])
                            self.assertFalse(
                                Model.search_count([(name, "=", value), ("id", "=", record.id)])
                            )
                            self.assertFalse(
                                Model.search_count(
                                    [
                                        ("employee_id", "=", record.employee_id.id),
                                        (name, "=", value),
                                    ]
                                )
                            )
                            if groupable:
                                by_month = record._fields[name].type in ("date", "datetime")
                                self.assertFalse(
                                    Model.formatted_read_group(
                                        [("employee_id", "=", record.employee_id.id)],
                                        groupby=[f"{name}:month" if by_month else name],
                                        aggregates=["__count"],
                                    )
                                )

    def test_paths_through_readable_models(self):
        """Readable neighbours (cycles, the pay and CPD views) do not open a path to the review:
        a domain through them is filtered with the reader's own rights."""
        cycle = self.cycle_a_previous
        for role in (COLLEAGUE, PAYROLL, GOVERNOR, CPD_LEADER, OBSERVER):
            with self.subTest(role=role):
                Cycle = self.as_role(role, self.env["hr.performance.cycle"])
                self.assertEqual(Cycle.search_count([("id", "=", cycle.id)]), 1)
                self.assertFalse(
                    Cycle.search_count(
                        [
                            ("id", "=", cycle.id),
                            ("review_ids.outcome_level_id", "=", self.level_exceeded.id),
                        ]
                    )
                )
                self.assertFalse(
                    Cycle.search_count(
                        [
                            ("id", "=", cycle.id),
                            ("review_ids.final_assessment", "ilike", "excellent"),
                        ]
                    )
                )
        Pay = self.as_role(PAYROLL, self.env["hr.performance.pay.eligibility"])
        self.assertEqual(Pay.search_count([("id", "=", self.review_done.id)]), 1)
        self.assertFalse(
            Pay.search_count([("cycle_id.review_ids.final_assessment", "ilike", "excellent")])
        )
        Needs = self.as_role(CPD_LEADER, self.env["hr.performance.training.need"])
        self.assertEqual(Needs.search_count([]), 1)
        try:
            guessed = Needs.search_count(
                [("review_id.outcome_level_id", "=", self.level_exceeded.id)]
            )
        except AccessError:
            guessed = 0
        self.assertFalse(guessed, "the CPD leader cannot filter needs on the assessment")
        # A field the user may not read is refused in a domain, even on their own review.
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, self.env["hr.performance.review"]).search(
                [("employee_id.performance_capability", "=", True)]
            )

    def test_partial_roles_see_only_their_slice(self):
        """Payroll and governors read the outcome and eligibility, the CPD leader the needs
        and actions — and nothing of the review, its objectives or assessments."""
        for role in (PAYROLL, GOVERNOR):
            with self.subTest(role=role):
                row = self.as_role(role, self.pay_row).read()[0]
                self.assertEqual(row["outcome_level_id"][0], self.level_exceeded.id)
                self.assertTrue(row["pay_progression_eligible"])
                self.assertEqual(row["recommended_pay_level"], "Grade 4 point 8")
                self.assertNotIn("final_assessment", row)
                with self.assertRaises(AccessError):
                    self.as_role(role, self.training_need).read(["name"])
        row = self.as_role(CPD_LEADER, self.training_need).read()[0]
        self.assertEqual(row["name"], "Makaton level 1")
        self.assertEqual(row["action"], "Two-day course in the autumn term")
        self.assertEqual(row["employee_id"][0], self.review_done.employee_id.id)
        # A training need carries no review content: no assessment, objective or statement.
        self.assertFalse(
            {"final_assessment", "outcome_level_id", "objective_ids", "self_evaluation"} & set(row)
        )
        with self.assertRaises(AccessError):
            self.as_role(CPD_LEADER, self.training_need.review_id).read(["final_assessment"])
        with self.assertRaises(AccessError):
            self.as_role(CPD_LEADER, self.pay_row).read(["outcome_level_id"])
        # The current review's needs are not sent until the objectives are agreed.
        self.assertFalse(self.env["hr.performance.pay.eligibility"].browse(self.review.id).exists())
        for role in (PAYROLL, GOVERNOR, CPD_LEADER, OBSERVER):
            with self.subTest(role=role):
                for records in (self.review, self.review_done, self.objective):
                    with self.assertRaises(AccessError):
                        self.as_role(role, records).read(["display_name"])

    def test_names_and_exports(self):
        for role in OUTSIDERS:
            with self.subTest(role=role):
                Review = self.as_role(role, self.env["hr.performance.review"])
                for review in self.review | self.review_done:
                    self.assertFalse(Review.name_search(review.name))
                    self.assertFalse(Review.search_read([("name", "=", review.name)], ["name"]))
                with self.assertRaises(AccessError):
                    self.as_role(role, self.review).read(["display_name"])
                with self.assertRaises(AccessError):
                    self.as_role(role, self.review).export_data(["final_assessment"])
                with self.assertRaises(AccessError):
                    self.as_role(role, self.objective).export_data(["description"])
        exported = self.as_role(HEAD_A, self.review).export_data(["final_assessment"])
        self.assertEqual(exported["datas"], [["<p>Not yet written.</p>"]])

    def test_attachments_follow_the_review(self):
        attachment = self.env["ir.attachment"].create(
            {
                "name": "signed-statement.pdf",
                "res_model": "hr.performance.review",
                "res_id": self.review.id,
                "datas": base64.b64encode(b"%PDF-1.4 statement"),
            }
        )
        for role in OUTSIDERS:
            with self.subTest(role=role):
                Attachment = self.as_role(role, self.env["ir.attachment"])
                self.assertFalse(Attachment.search([("res_model", "=", "hr.performance.review")]))
                self.assertFalse(Attachment.search([("name", "=", "signed-statement.pdf")]))
                with self.assertRaises(AccessError):
                    self.as_role(role, attachment).read(["datas"])
        for role in (REVIEWEE, REVIEWER, GRANTEE, HEAD_A, HR_TRUST):
            with self.subTest(role=role):
                self.assertEqual(self.as_role(role, attachment).raw, b"%PDF-1.4 statement")
        with self.assertRefused(ValidationError, "cannot be made public"):
            self.as_role(REVIEWER, attachment).write({"public": True})
        with self.assertRefused(ValidationError, "cannot be made public"):
            self.as_role(REVIEWER, self.env["ir.attachment"]).create(
                {
                    "name": "public.pdf",
                    "res_model": "hr.performance.objective",
                    "res_id": self.objective.id,
                    "public": True,
                    "raw": b"x",
                }
            )
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "hr.employee")]),
            "Nothing of performance management is ever attached to the employee record",
        )

    def test_chatter_messages_and_tracking(self):
        self.as_role(REVIEWER, self.review).message_post(
            body="Notes from the planning meeting",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.as_role(REVIEWER, self.review).write({"outcome_level_id": self.level_progressing.id})
        self.env.cr.flush()  # tracking values are written before commit
        messages = self.env["mail.message"].search(
            [("model", "=", "hr.performance.review"), ("res_id", "=", self.review.id)]
        )
        tracked = messages.filtered("tracking_value_ids")
        self.assertTrue(tracked, "The outcome change is tracked")
        for role in OUTSIDERS:
            with self.subTest(role=role):
                Message = self.as_role(role, self.env["mail.message"])
                self.assertFalse(
                    Message.search(
                        [("model", "=", "hr.performance.review"), ("res_id", "=", self.review.id)]
                    )
                    - messages.filtered(lambda m, r=role: m.author_id == self.users[r].partner_id)
                )
                self.assertFalse(Message.search([("body", "ilike", "planning meeting")]))
                with self.assertRaises(AccessError):
                    self.as_role(role, tracked).read(["body", "tracking_value_ids"])
                with self.assertRaises(AccessError):
                    self.as_role(role, self.env["mail.tracking.value"]).search(
                        [("mail_message_id", "in", tracked.ids)]
                    )
        reviewee_view = self.as_role(REVIEWEE, self.env["mail.message"]).search(
            [("model", "=", "hr.performance.review"), ("res_id", "=", self.review.id)]
        )
        self.assertEqual(reviewee_view, messages)

    def test_notifications_only_reach_readers(self):
        """A follower who lost access (here the replaced reviewer, put back as a follower
        behind the review's back) gets no notification and cannot read the message."""
        former = self.users[FORMER_REVIEWER]
        self.assertNotIn(
            former.partner_id, self.review.message_partner_ids, "Unsubscribed when replaced"
        )
        self.review._message_subscribe(partner_ids=former.partner_id.ids)
        self.review.message_subscribe(partner_ids=self.users[REVIEWEE].partner_id.ids)
        self.as_role(HEAD_A, self.review).message_post(
            body="Outcome moderated", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        message = self.review.message_ids[0]
        notified = message.notification_ids.res_partner_id
        self.assertIn(self.users[REVIEWEE].partner_id, notified)
        self.assertNotIn(former.partner_id, notified)
        with self.assertRaises(AccessError):
            self.as_role(FORMER_REVIEWER, message).read(["body"])

    def test_followers_and_mentions_limited_to_readers(self):
        colleague = self.users[COLLEAGUE].partner_id
        followers_before = self.review.message_partner_ids
        with self.assertRefused(UserError, "cannot see"):
            self.as_role(HEAD_A, self.review).message_subscribe(partner_ids=colleague.ids)
        with self.assertRefused(UserError, "cannot see"):
            self.as_role(REVIEWER, self.review).message_post(
                body="FYI", partner_ids=colleague.ids, message_type="comment"
            )
        with self.assertRefused(UserError, "cannot see"):
            self.as_role(HEAD_A, self.review).message_notify(
                body="Direct notification", partner_ids=colleague.ids
            )
        outsider = self.env["res.partner"].create({"name": "Outside", "email": "out@example.com"})
        with self.assertRefused(UserError, "cannot see"):
            self.as_role(HEAD_A, self.review).message_subscribe(partner_ids=outsider.ids)
        self.assertEqual(self.review.message_partner_ids, followers_before)
        # Readers can be added.
        self.as_role(HEAD_A, self.review).message_subscribe(
            partner_ids=self.users[GRANTEE].partner_id.ids
        )
        self.as_role(REVIEWER, self.review).message_subscribe(
            partner_ids=self.users[REVIEWER].partner_id.ids
        )
        followers = self.review.message_follower_ids
        for role in OUTSIDERS:
            with self.subTest(role=role):
                Followers = self.as_role(role, self.env["mail.followers"])
                self.assertFalse(Followers.search([("res_model", "=", "hr.performance.review")]))
                self.assertFalse(Followers.search([("res_model", "=", "hr.performance.objective")]))
                with self.assertRaises(AccessError):
                    self.as_role(role, followers).read(["partner_id"])
        self.assertEqual(
            self.as_role(REVIEWEE, self.env["mail.followers"]).search(
                [("res_model", "=", "hr.performance.review"), ("res_id", "=", self.review.id)]
            ),
            followers,
        )
        # Followers of other models keep core's behaviour.
        partner = self.env["res.partner"].create({"name": "Supplier"})
        partner.message_subscribe(partner_ids=self.users[HEAD_A].partner_id.ids)
        self.assertTrue(
            self.as_role(COLLEAGUE, self.env["mail.followers"]).search(
                [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
            )
        )

    def test_activities_follow_the_review(self):
        Activity = self.env["mail.activity"].with_context(active_test=False)
        former_activity = Activity.search(
            [
                ("res_model", "=", "hr.performance.review"),
                ("res_id", "=", self.review.id),
                ("user_id", "=", self.users[FORMER_REVIEWER].id),
            ]
        )
        self.assertTrue(former_activity, "The replaced reviewer's activity is kept, done")
        self.assertFalse(former_activity.active)
        current = Activity.search(
            [
                ("res_model", "=", "hr.performance.review"),
                ("res_id", "=", self.review.id),
                ("active", "=", True),
            ]
        )
        self.assertEqual(current.user_id, self.users[REVIEWER])
        for role in OUTSIDERS:
            with self.subTest(role=role):
                Activity_as = self.as_role(role, Activity)
                self.assertFalse(Activity_as.search([("res_model", "=", "hr.performance.review")]))
                for activity in former_activity | current:
                    with self.assertRaises(AccessError):
                        self.as_role(role, activity).read(["summary", "note", "res_name"])
        self.assertTrue(self.as_role(REVIEWER, current).read(["res_name"]))
        with self.assertRefused(ValidationError, "cannot see"):
            self.as_role(HEAD_A, self.review).activity_schedule(
                "mail.mail_activity_data_todo",
                summary="Check the grade",
                user_id=self.users[COLLEAGUE].id,
            )
        with self.assertRefused(ValidationError, "cannot see"):
            self.as_role(REVIEWER, current).write({"user_id": self.users[PAYROLL].id})

    def test_employee_profile_counts(self):
        employee = self.employees[REVIEWEE]
        expected = {
            COLLEAGUE: 0,
            FORMER_REVIEWER: 0,
            CPD_LEADER: 0,
            PAYROLL: 0,
            OBSERVER: 0,
            REVIEWER: 2,
            GRANTEE: 1,
            REVIEWEE: 2,
            HEAD_A: 2,
            HR_TRUST: 2,
        }
        for role, count in expected.items():
            with self.subTest(role=role):
                public = self.as_role(role, self.env["hr.employee.public"].browse(employee.id))
                self.assertEqual(public.performance_review_count, count)
                self.assertEqual(len(public.performance_review_ids), count)
                if not count:
                    self.assertFalse(public.performance_objective_ids)
        for role in (HEAD_B, HR_B):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.as_role(role, self.env["hr.employee.public"].browse(employee.id)).read(
                    ["performance_review_count"]
                )
        # Group objectives list only the objectives the reader can read.
        self.group_objective.review_ids = self.review
        self.assertFalse(self.as_role(COLLEAGUE, self.group_objective).objective_ids)
        self.assertFalse(self.as_role(COLLEAGUE, self.group_objective).review_ids)
        self.assertEqual(self.as_role(REVIEWER, self.group_objective).review_ids, self.review)

    def _form_spec(self, records):
        fields_info = records.get_views([(False, "form")])["models"][records._name]["fields"]
        spec = {}
        for name in fields_info:
            field = records._fields[name]
            relational = field.type in ("many2one", "one2many", "many2many")
            spec[name] = {"fields": {"display_name": {}}} if relational else {}
        return spec

    def test_forms_open_for_every_reader(self):
        """Every field of the review and objective forms loads for each role that may read
        them — what they may not see of related records is filtered, not an error."""
        for role in (REVIEWEE, REVIEWER, GRANTEE, HEAD_A, HR_TRUST):
            for records in (self.review, self.review_done, self.objective):
                if role == GRANTEE and records == self.review_done:
                    continue
                with self.subTest(role=role, model=records._name, record=records.id):
                    as_role = self.as_role(role, records)
                    values = as_role.web_read(self._form_spec(as_role))[0]
                    self.assertEqual(values["id"], records.id)
                    if records._name == "hr.performance.review" and role in (REVIEWER, GRANTEE):
                        self.assertEqual(values["access_log_ids"], [])

    def test_computed_copies_follow_the_reader(self):
        """Counts and lists computed on readable records (cycles, employees, group
        objectives) use the reader's rights; no stored copy of review content sits on a
        record an outsider can read."""
        cycle = self.cycle_a_previous
        for role in (COLLEAGUE, PAYROLL, CPD_LEADER, OBSERVER, GOVERNOR):
            with self.subTest(role=role):
                as_role = self.as_role(role, cycle)
                self.assertEqual((as_role.review_count, as_role.review_done_count), (0, 0))
                self.assertFalse(as_role.review_ids)
        as_hr = self.as_role(HR_TRUST, cycle)
        self.assertEqual((as_hr.review_count, as_hr.review_done_count), (1, 1))
        # Stored fields copied from the review live only on records guarded like the review.
        review_copies = {
            model: [
                name
                for name, field in self.env[model]._fields.items()
                if field.store and (field.related or "").startswith("review_id.")
            ]
            for model in (
                "hr.performance.objective",
                "hr.performance.access.grant",
                "hr.performance.access.log",
                "hr.performance.reviewer.change",
            )
        }
        self.assertIn("employee_id", review_copies["hr.performance.objective"])
        for model, names in review_copies.items():
            records = self.env[model].search([])
            for role in OUTSIDERS:
                with self.subTest(model=model, role=role):
                    Model = self.as_role(role, self.env[model])
                    for name in names:
                        for record in records:
                            value = self._condition_value(record, name)
                            self.assertFalse(
                                Model.search_count([("id", "=", record.id), (name, "=", value)])
                            )

    def test_reviewer_access_period(self):
        """The reviewer reads a completed review for the school's period after completion
        (6 months here, to 20 February), then no more; a replaced reviewer at once."""
        self.assertEqual(str(self.review_done.reviewer_access_until), "2026-02-20")
        self.assertTrue(self.as_role(REVIEWER, self.review_done).read(["final_assessment"]))
        self.assertTrue(
            self.as_role(REVIEWER, self.env["hr.performance.objective"]).search_count([])
        )
        with freeze_time("2026-02-21"):
            self.env.invalidate_all()
            with self.assertRaises(AccessError):
                self.as_role(REVIEWER, self.review_done).read(["final_assessment"])
            self.assertEqual(
                self.as_role(REVIEWER, self.env["hr.performance.review"]).search([]), self.review
            )
            self.assertTrue(self.as_role(REVIEWEE, self.review_done).read(["final_assessment"]))
        # The school shortens the period: access ends on completion.
        self.school.performance_reviewer_access_months = 0
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.as_role(REVIEWER, self.review_done).read(["final_assessment"])
        # A replaced reviewer lost the current review at once, and its objectives.
        for records in (self.review, self.objective, self.review.reviewer_change_ids):
            with self.assertRaises(AccessError):
                self.as_role(FORMER_REVIEWER, records).read(["display_name"])
        # A cancelled review ends the reviewer's access; reopening it gives it back.
        self.as_role(HEAD_A, self.review).action_cancel()
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.as_role(REVIEWER, self.review).read(["final_assessment"])
        self.as_role(HR_TRUST, self.review).action_reset_to_planning()
        self.env.invalidate_all()
        self.assertTrue(self.as_role(REVIEWER, self.review).read(["final_assessment"]))

    def test_two_schools(self):
        """Nothing crosses between the schools of the trust but trust-level HR."""
        Review = self.env["hr.performance.review"]
        school_a_reviews = self.review | self.review_done
        visible = {
            HEAD_A: school_a_reviews,
            HEAD_B: self.review_b,
            HR_B: self.review_b,
            HR_TRUST: school_a_reviews | self.review_b,
        }
        for role, reviews in visible.items():
            with self.subTest(role=role):
                self.assertEqual(self.as_role(role, Review).search([]), reviews)
                for model, rows in (
                    (
                        "hr.performance.pay.eligibility",
                        reviews.filtered(lambda r: r.state == "completed"),
                    ),
                    ("hr.performance.access.grant", reviews.access_grant_ids),
                ):
                    self.assertEqual(self.as_role(role, self.env[model]).search([]).ids, rows.ids)
        # HR of one school only sees it even when asking for the other explicitly.
        with self.assertRaises(AccessError):
            self.as_role(HR_B, self.review).read(["final_assessment"])
        with self.assertRaises(AccessError):
            self.as_role(HEAD_A, self.review_b).read(["final_assessment"])
        # A headteacher cannot grant access to another school's review, nor to someone who
        # is not allowed in the review's school.
        with self.assertRaises(AccessError):
            self.as_role(HEAD_B, self.env["hr.performance.access.grant"]).create(
                {
                    "review_id": self.review.id,
                    "user_id": self.users[HR_TRUST].id,
                    "purpose": "appeal",
                }
            )
        with self.assertRefused(ValidationError, "not allowed in"):
            self.as_role(HEAD_A, self.env["hr.performance.access.grant"]).create(
                {"review_id": self.review.id, "user_id": self.users[HEAD_B].id, "purpose": "appeal"}
            )
        self.assertEqual(
            self.env["hr.performance.access.grant"].search([("review_id", "=", self.review.id)]),
            self.grant,
        )
