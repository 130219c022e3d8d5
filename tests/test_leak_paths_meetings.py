from contextlib import contextmanager
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
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

# Every model that points at a confidential record (a review, an objective, an
# observation), and how its records are kept from people who cannot read that record.
# "guarded": followers, messages and attachments follow the record
# (hr.performance.guarded.mixin); "rule": record rules on the model itself, checked by
# test_records_pointing_at_a_review below; "transient": a wizard, rows of the user who opens
# it. A model added without being listed here fails test_every_pointing_model_is_covered.
POINTING_MODELS = {
    "calendar.event": "guarded",
    "hr.performance.training.need": "guarded",
    "hr.performance.objective": "guarded",
    "hr.performance.observation": "guarded",
    "hr.performance.review.behaviour": "guarded",
    "hr.performance.deadline": "rule",
    "hr.performance.access.grant": "rule",
    "hr.performance.access.log": "rule",
    "hr.performance.reviewer.change": "rule",
    "hr.performance.review.reassign": "transient",
    "hr.performance.statement": "guarded",
    "hr.performance.signature": "rule",
    "hr.performance.pay.decision": "guarded",
    "hr.performance.moderation.revise": "transient",
    "hr.performance.appeal": "guarded",
    "hr.performance.concern": "guarded",
    "hr.performance.concern.target": "rule",
    "hr.performance.statement.revise": "transient",
    "hr.performance.statement.exception": "transient",
    "hr.performance.warning": "guarded",
    "hr.performance.headteacher.panel": "guarded",
    "hr.performance.review.restart": "transient",
    # The dashboards' per-review figures (test_dashboards): read by the headteacher and HR
    # only (access rights), in their schools (rule); outsiders without access are refused.
    "hr.performance.review.analysis": "rule",
    # The outcome distribution: headteachers and governors (access rights), their schools
    # and a headteacher's own review to its readers only (rules); the review column is the
    # headteachers' (field groups), governors see the distribution without it.
    "hr.performance.outcome.report": "rule",
}
CONFIDENTIAL = ("hr.performance.review", "hr.performance.objective", "hr.performance.observation")


class PerformanceMeetingCase(HrSchoolPerformanceCase):
    """The security world plus a revision meeting on the current review, booked by the
    reviewer with the reviewee (Odoo sends the reviewee an invitation with invitation.ics)."""

    freeze_today = TODAY
    review_world = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reviewer, reviewee = cls.users[REVIEWER], cls.users[REVIEWEE]
        # Two weeks ahead, also for the browser tests that keep the real clock.
        start = fields.Datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
        start += timedelta(days=14)
        cls.meeting = (
            cls.env["calendar.event"]
            .with_user(reviewer)
            .create(
                {
                    "name": "Revision Meeting: Reviewee",
                    "description": "<p>Talk about the phonics objective</p>",
                    "performance_review_id": cls.review.id,
                    "performance_meeting_kind": "revision",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "partner_ids": [Command.set((reviewer | reviewee).partner_id.ids)],
                }
            )
            .with_user(cls.env.user)
        )
        cls.meeting.with_user(reviewer).write(
            {
                "performance_changes": "<p>Objective eased after a stress-related absence</p>",
                "performance_changes_agreed": "agreed",
            }
        )
        cls.meeting.message_subscribe(partner_ids=reviewee.partner_id.ids)
        cls.training_need.message_subscribe(partner_ids=reviewer.partner_id.ids)
        cls.ics = cls.env["ir.attachment"].search(
            [("res_model", "=", "calendar.event"), ("res_id", "=", cls.meeting.id)]
        )
        cls.env.cr.flush()

    @contextmanager
    def former_reviewer_back(self):
        """The time before the change of reviewer: the former reviewer reviews again (a
        recipient of the review's messages must be able to read it), then is replaced once
        more, both through the reviewer-change record."""
        head = self.review.with_user(self.users[HEAD_A])
        head._reassign_reviewer(self.employees[FORMER_REVIEWER], "Back from leave.")
        yield
        head._reassign_reviewer(self.employees[REVIEWER], "The line manager changed.")


@tagged("post_install", "-at_install")
class TestLeakPathsMeetings(PerformanceMeetingCase):
    """The data around a review: meeting invitations, attendees, followers, chatter after
    access ends, the access overview, refusal messages and deadline rows."""

    def test_meeting_invitation_attachment(self):
        self.assertEqual(self.meeting.privacy, "private")
        self.assertIn("invitation.ics", self.ics.mapped("name"), "Odoo attached the invitation")
        ics = self.ics.filtered(lambda a: a.name == "invitation.ics")[:1]
        self.assertIn(b"Revision Meeting: Reviewee", ics.raw)
        # The calendar app's own demo events (not performance meetings) get invitations
        # too once they lie in the future: what an outsider must not find is any document
        # of a performance meeting.
        meetings = (
            self.env["calendar.event"].sudo().search([("performance_review_id", "!=", False)])
        )
        of_meetings = [("res_model", "=", "calendar.event"), ("res_id", "in", meetings.ids)]
        for role in OUTSIDERS:
            with self.subTest(role=role):
                Attachment = self.as_role(role, self.env["ir.attachment"])
                self.assertFalse(Attachment.search([("name", "=", "invitation.ics"), *of_meetings]))
                self.assertFalse(Attachment.search(of_meetings))
                self.assertFalse(Attachment.search([("id", "in", self.ics.ids)]))
                self.assertFalse(
                    Attachment.formatted_read_group(
                        of_meetings, groupby=["res_model"], aggregates=["__count"]
                    )
                )
                with self.assertRaises(AccessError):
                    self.as_role(role, ics).read(["datas", "name"])
        for role in (REVIEWEE, REVIEWER, HEAD_A):
            with self.subTest(role=role):
                self.assertIn(b"BEGIN:VCALENDAR", self.as_role(role, ics).raw)
        # A performance meeting stays private, and its documents are never public.
        with self.assertRefused(ValidationError, "always private"):
            self.as_role(REVIEWER, self.meeting).write({"privacy": "public"})
        with self.assertRefused(ValidationError, "cannot be made public"):
            self.as_role(REVIEWER, ics).write({"public": True})

    def test_meeting_attendees(self):
        for role in OUTSIDERS:
            with self.subTest(role=role):
                Attendee = self.as_role(role, self.env["calendar.attendee"])
                self.assertFalse(Attendee.search([("event_id", "=", self.meeting.id)]))
                self.assertFalse(
                    Attendee.search([("partner_id", "=", self.users[REVIEWEE].partner_id.id)])
                )
                with self.assertRaises(AccessError):
                    self.as_role(role, self.meeting.attendee_ids).read(["partner_id"])
        for role in (REVIEWEE, REVIEWER, HEAD_A):
            with self.subTest(role=role):
                Attendee = self.as_role(role, self.env["calendar.attendee"])
                self.assertEqual(
                    Attendee.search([("event_id", "=", self.meeting.id)]),
                    self.meeting.attendee_ids,
                )
        # Other events keep core's behaviour.
        event = self.env["calendar.event"].create(
            {
                "name": "Staff briefing",
                "start": datetime(2026, 1, 20, 8, 0),
                "stop": datetime(2026, 1, 20, 8, 30),
                "partner_ids": [Command.set(self.users[HEAD_A].partner_id.ids)],
            }
        )
        self.assertTrue(
            self.as_role(COLLEAGUE, self.env["calendar.attendee"]).search(
                [("event_id", "=", event.id)]
            )
        )

    def test_meeting_search_answers_as_reading(self):
        reviewee = self.users[REVIEWEE]
        guesses = [
            [("performance_review_id", "!=", False)],
            [("performance_review_id", "=", self.review.id)],
            [("name", "ilike", "Revision Meeting")],
            [("description", "ilike", "phonics")],
            [("partner_ids.name", "ilike", reviewee.name)],
            [("partner_ids", "in", reviewee.partner_id.ids)],
            [("attendee_ids.partner_id", "=", reviewee.partner_id.id)],
            [("performance_meeting_kind", "=", "revision")],
            [("performance_meeting_kind", "!=", False)],
            [("performance_changes", "ilike", "stress")],
            [("performance_changes", "ilike", "absence")],
            [("res_model", "=", "hr.performance.review")],
            [("res_id", "=", self.review.id)],
        ]
        for role in OUTSIDERS:
            Event = self.as_role(role, self.env["calendar.event"])
            # Busy time stays visible, as for any private event.
            self.assertEqual(Event.search([("id", "=", self.meeting.id)]), self.meeting)
            self.assertEqual(
                Event.search([("id", "=", self.meeting.id), ("name", "=", "Busy")]), self.meeting
            )
            self.assertEqual(self.as_role(role, self.meeting).name, "Busy")
            for domain in guesses:
                with self.subTest(role=role, domain=domain):
                    self.assertFalse(Event.search_count([("id", "=", self.meeting.id), *domain]))
                    self.assertFalse(Event.search_count(domain))
            with self.subTest(role=role, check="read_group"):
                groups = Event.formatted_read_group(
                    [("id", "=", self.meeting.id)],
                    groupby=["performance_meeting_kind"],
                    aggregates=["__count"],
                )
                self.assertFalse([g for g in groups if g["performance_meeting_kind"] == "revision"])
        # Who reads the review finds its meetings (the review's "Meetings" button), though
        # Odoo shows them as "Busy" to anyone but the attendees.
        for role in (HEAD_A, HR_TRUST, GRANTEE):
            with self.subTest(role=role):
                Event = self.as_role(role, self.env["calendar.event"])
                self.assertEqual(
                    Event.search([("performance_review_id", "=", self.review.id)]), self.meeting
                )
        for role in (REVIEWER, REVIEWEE):
            Event = self.as_role(role, self.env["calendar.event"])
            for domain in guesses:
                with self.subTest(role=role, domain=domain):
                    self.assertEqual(
                        Event.search([("id", "=", self.meeting.id), *domain]), self.meeting
                    )

    def test_followers_of_needs_and_meetings(self):
        checks = (
            (self.training_need, (COLLEAGUE, HEAD_B, HR_B, PAYROLL, GOVERNOR, OBSERVER)),
            (self.meeting, OUTSIDERS),
        )
        for record, outsiders in checks:
            followers = self.env["mail.followers"].search(
                [("res_model", "=", record._name), ("res_id", "=", record.id)]
            )
            self.assertTrue(followers)
            for role in outsiders:
                with self.subTest(model=record._name, role=role):
                    Followers = self.as_role(role, self.env["mail.followers"])
                    self.assertFalse(Followers.search([("res_model", "=", record._name)]))
                    self.assertFalse(Followers.search([("id", "in", followers.ids)]))
                    with self.assertRaises(AccessError):
                        self.as_role(role, followers).read(["partner_id"])
        for role in (REVIEWER, HEAD_A):
            with self.subTest(role=role):
                Followers = self.as_role(role, self.env["mail.followers"])
                self.assertTrue(
                    Followers.search(
                        [("res_model", "=", "calendar.event"), ("res_id", "=", self.meeting.id)]
                    )
                )
        self.assertTrue(
            self.as_role(CPD_LEADER, self.env["mail.followers"]).search(
                [("res_model", "=", self.training_need._name)]
            ),
            "The CPD leader reads the needs, and who follows them",
        )

    def _message(self, record, body, **kwargs):
        # Superuser: the message reaches the partners given whatever their access.
        return record.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment", **kwargs
        )

    def test_chatter_after_access_ends(self):
        former, reviewer = self.users[FORMER_REVIEWER], self.users[REVIEWER]
        # The former reviewer wrote on the review and was sent a message before the change.
        with self.former_reviewer_back():
            written = self._message(self.review, "Mid-year notes", author_id=former.partner_id.id)
            sent = self._message(self.review, "Please prepare", partner_ids=former.partner_id.ids)
        # The reviewer of the completed review, while the access period runs.
        done_note = self._message(
            self.review_done, "Final review moderated", partner_ids=reviewer.partner_id.ids
        )
        self.assertEqual(self.as_role(REVIEWER, done_note).read(["body"])[0]["id"], done_note.id)
        messages = {FORMER_REVIEWER: written | sent}
        with freeze_time("2026-02-21"):
            messages[REVIEWER] = done_note
            for role, readable in messages.items():
                with self.subTest(role=role):
                    self.env.invalidate_all()
                    Message = self.as_role(role, self.env["mail.message"])
                    review = readable.mapped("res_id")
                    self.assertFalse(
                        Message.search(
                            [("model", "=", "hr.performance.review"), ("res_id", "in", review)]
                        )
                    )
                    self.assertFalse(Message.search([("id", "in", readable.ids)]))
                    self.assertFalse(Message.search([("needaction", "=", True)]) & readable)
                    self.assertFalse(
                        Message.formatted_read_group(
                            [("model", "=", "hr.performance.review"), ("res_id", "in", review)],
                            groupby=["res_id"],
                            aggregates=["__count"],
                        )
                    )
                    for message in readable:
                        with self.assertRaises(AccessError):
                            self.as_role(role, message).read(["body", "record_name"])
        # Messages on a performance meeting follow the review too.
        on_meeting = self._message(self.meeting, "Room changed")
        for role in OUTSIDERS:
            with self.subTest(role=role, model="calendar.event"):
                Message = self.as_role(role, self.env["mail.message"])
                self.assertFalse(Message.search([("model", "=", "calendar.event")]) & on_meeting)
                with self.assertRaises(AccessError):
                    self.as_role(role, on_meeting).read(["body"])
        self.assertTrue(self.as_role(REVIEWEE, on_meeting).read(["body"]))

    def test_access_overview_detail_for_the_reviewee_only(self):
        appeal = (
            self.env["hr.performance.access.grant"]
            .with_user(self.users[HEAD_A])
            .create(
                {
                    "review_id": self.review.id,
                    "user_id": self.users[COLLEAGUE].id,
                    "purpose": "appeal",
                    "note": "Disputes the mid-year notes written by the reviewer.",
                    "date_from": date(2026, 1, 14),
                }
            )
        )
        self.env.invalidate_all()
        secrets = (
            "Disputes the mid-year notes",
            "Manages the reviewee",
            "Hearing an appeal",
            "Line management",
            "granted by",
            self.users[COLLEAGUE].name,
            self.users[GRANTEE].name,
            self.users[HEAD_A].name,
        )
        for role in (REVIEWER, GRANTEE, COLLEAGUE):
            with self.subTest(role=role):
                overview = str(self.as_role(role, self.review).access_overview)
                for secret in secrets:
                    self.assertNotIn(secret, overview.replace("&#39;", "'"))
                for policy in ("Headteacher", "HR", "Reviewer", "CPD leader"):
                    self.assertIn(policy, overview)
                self.assertIn(self.users[REVIEWER].name, overview)
        for role in (REVIEWEE, HEAD_A, HR_TRUST):
            with self.subTest(role=role):
                overview = str(self.as_role(role, self.review).access_overview)
                self.assertIn("Disputes the mid-year notes", overview)
                self.assertIn(self.users[COLLEAGUE].name, overview)
                self.assertIn("Hearing an appeal", overview)
        self.assertTrue(appeal)

    def test_refusals_do_not_name_the_review(self):
        reviews = self.review | self.review_done | self.review_b
        names = [name for review in reviews for name in (review.display_name, review.name)]
        names += [self.users[REVIEWEE].name, self.reviewee_b_employee.name]
        todo = self.env.ref("mail.mail_activity_data_todo")
        for role in (COLLEAGUE, PAYROLL, CPD_LEADER, HEAD_B, FORMER_REVIEWER, OBSERVER):
            user = self.users[role]
            for review in reviews:
                if role == HEAD_B and review == self.review_b:
                    continue
                attempts = {
                    "subscribe": lambda r=review, u=user, ro=role: self.as_role(
                        ro, r
                    ).message_subscribe(partner_ids=u.partner_id.ids),
                    "activity": lambda r=review, u=user, ro=role: self.as_role(
                        ro, self.env["mail.activity"]
                    ).create(
                        {
                            "res_model_id": self.env["ir.model"]._get_id(r._name),
                            "res_id": r.id,
                            "activity_type_id": todo.id,
                            "user_id": u.id,
                        }
                    ),
                    "meeting": lambda r=review, u=user, ro=role: self.as_role(
                        ro, self.env["calendar.event"]
                    ).create(
                        {
                            "name": "Catch-up",
                            "performance_review_id": r.id,
                            "performance_meeting_kind": "midyear",
                            "start": datetime(2026, 2, 2, 10, 0),
                            "stop": datetime(2026, 2, 2, 11, 0),
                            "partner_ids": [Command.set(u.partner_id.ids)],
                        }
                    ),
                }
                for kind, attempt in attempts.items():
                    with self.subTest(role=role, review=review.id, kind=kind):
                        with self.assertRaises(UserError) as caught:
                            attempt()
                        for name in names:
                            self.assertNotIn(name, str(caught.exception))
        # Who reads the review is still told which one.
        with self.assertRefused(UserError, "Tom Assistant"):
            self.as_role(HEAD_A, self.review).message_subscribe(
                partner_ids=self.users[COLLEAGUE].partner_id.ids
            )

    def test_deadline_rows_follow_the_review(self):
        Deadline = self.env["hr.performance.deadline"]
        rows = Deadline.search([("review_id", "=", self.review.id)])
        self.assertTrue(rows)
        for role in (FORMER_REVIEWER, OBSERVER, *OUTSIDERS):
            with self.subTest(role=role):
                as_role = self.as_role(role, Deadline)
                self.assertFalse(as_role.search([("review_id", "=", self.review.id)]))
                self.assertFalse(
                    as_role.formatted_read_group(
                        [("review_id", "in", (self.review | self.review_done).ids)],
                        groupby=["review_id"],
                        aggregates=["__count"],
                    )
                )
                with self.assertRaises(AccessError):
                    self.as_role(role, rows[:1]).read(["review_id"])
        # Grantees read the review, not its workflow deadlines.
        for role in (REVIEWEE, REVIEWER, HEAD_A, HR_TRUST):
            with self.subTest(role=role):
                self.assertEqual(
                    self.as_role(role, Deadline).search([("review_id", "=", self.review.id)]),
                    rows,
                )
        # The reviewer of the completed review, past the access period.
        done_rows = Deadline.search([("review_id", "=", self.review_done.id)])
        if done_rows:
            with freeze_time("2026-02-21"):
                self.assertFalse(
                    self.as_role(REVIEWER, Deadline).search(
                        [("review_id", "=", self.review_done.id)]
                    )
                )

    def test_every_pointing_model_is_covered(self):
        """A new model pointing at a confidential record must be listed (and so checked)
        here; one with a chatter must guard its followers, messages and attachments."""
        pointing = {}
        for name, model_cls in self.env.registry.items():
            if model_cls._abstract or name in CONFIDENTIAL[:1]:
                continue
            for field in self.env[name]._fields.values():
                if (
                    field.type == "many2one"
                    and field.comodel_name in CONFIDENTIAL
                    and (field.store or model_cls._transient)
                ):
                    pointing.setdefault(name, []).append(field.name)
        self.assertEqual(
            set(pointing), set(POINTING_MODELS), "A model pointing at a review is not covered"
        )
        for name in pointing:
            with self.subTest(model=name):
                model = self.env[name]
                if POINTING_MODELS[name] == "transient":
                    self.assertTrue(model._transient)
                    continue
                if isinstance(model, self.env.registry["mail.thread"]):
                    self.assertEqual(POINTING_MODELS[name], "guarded")
                if POINTING_MODELS[name] == "guarded":
                    self.assertTrue(getattr(model, "_performance_guarded", False))
        for name in CONFIDENTIAL:
            self.assertTrue(getattr(self.env[name], "_performance_guarded", False))

    def test_records_pointing_at_a_review(self):
        """Every model pointing at the review (by rule or guard) shows outsiders nothing of
        the reviewee's current review: rows, counts and groups."""
        allowed = {
            # Each role reads its own slice, checked in its own tests.
            "hr.performance.training.need": {CPD_LEADER},
            "hr.performance.observation": {OBSERVER},
            "hr.performance.pay.decision": {GOVERNOR},
            # Governors read the school's distribution, never by review: refused the column
            # (field groups), checked in test_headteacher_review.
            "hr.performance.outcome.report": {GOVERNOR},
        }
        for name, how in POINTING_MODELS.items():
            if how == "transient":
                continue
            model = self.env[name]
            fields_to_review = [
                f.name
                for f in model._fields.values()
                if f.type == "many2one" and f.comodel_name == "hr.performance.review" and f.store
            ]
            for field_name in fields_to_review:
                for role in OUTSIDERS:
                    if role in allowed.get(name, ()):
                        continue
                    with self.subTest(model=name, field=field_name, role=role):
                        Model = self.as_role(role, self.env[name])
                        domain = [(field_name, "in", (self.review | self.review_done).ids)]
                        if not Model.has_access("read"):
                            with self.assertRaises(AccessError):
                                Model.search_count(domain)
                            continue
                        self.assertFalse(Model.search_count(domain))
                        self.assertFalse(
                            Model.formatted_read_group(
                                domain, groupby=[field_name], aggregates=["__count"]
                            )
                        )
