from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import HrSchoolPerformanceCase, london

MEMO = "hr_school_performance.mail_template_performance_meeting_invitation"


@tagged("post_install", "-at_install")
class TestMeetings(HrSchoolPerformanceCase):
    """Planning, mid-year and revision meetings are calendar events with the reviewer and
    the reviewee, booked from the review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-09-01 08:00"):
            cls.review = cls._launched_review(cls.ta_1)
        cls.Event = cls.env["calendar.event"]

    def _memos(self, partner):
        return (
            self.env["mail.mail"]
            .search([("model", "=", "calendar.event"), ("recipient_ids", "in", partner.ids)])
            .filtered(lambda m: m.subject.startswith("Your "))
        )

    @freeze_time("2026-10-01 09:00")
    def test_book_planning_meeting_from_the_review(self):
        action = (
            self.review.with_user(self.reviewer_user)
            .with_context(performance_meeting_kind="planning")
            .action_book_meeting()
        )
        self.assertEqual(action["res_model"], "calendar.event")
        with Form(
            self.Event.with_user(self.reviewer_user).with_context(**action["context"])
        ) as form:
            form.start = london(date(2026, 10, 22))
            form.stop = london(date(2026, 10, 22), 11)
            form.location = "Meeting room 2"
        event = form.record
        self.assertEqual(event.performance_review_id, self.review)
        self.assertEqual(event.performance_meeting_kind, "planning")
        self.assertEqual(event.privacy, "private")
        self.assertEqual(event.res_model, "hr.performance.review")
        self.assertEqual(event.res_id, self.review.id)
        self.assertEqual(
            event.partner_ids, self.reviewer_user.partner_id | self.reviewee_user.partner_id
        )
        self.assertEqual(event.name, "Planning / Review Meeting: Tom Assistant")
        # The review follows the event.
        self.assertEqual(self.review.meeting_date, event.start)
        self.assertEqual(self.review.meeting_location, "Meeting room 2")
        self.assertFalse(event.performance_short_notice)
        self.assertEqual(event.performance_notice_days, 15)
        self.assertEqual(self.review.meeting_count, 1)
        # The invitation memo (academy trust policy, Appendix 1), to the reviewee only.
        memo = self._memos(self.reviewee_user.partner_id)
        self.assertEqual(len(memo), 1)
        self.assertEqual(memo.recipient_ids, self.reviewee_user.partner_id)
        self.assertEqual(memo.subject, "Your Performance Management Review on 22 October 2026")
        for text in (
            "Dear Tom Assistant",
            "Performance Management review",
            "Thursday 22 October 2026",
            "10:00",
            "Meeting room 2",
            "may last up to an hour",
            "Maria Manager",
            "Inclusion Manager",
            "Self-Evaluation Sheet",
            "consider 3 targets",
            "Be linked to the school / Trust development / improvement plan",
            "Be specific to your work-related duties",
            "explore your own aspirations and professional development",
        ):
            self.assertIn(text, memo.body_html)
        self.assertEqual(self.review.date_invitation_sent, date(2026, 10, 1))
        self.assertIn(
            "booked for Thursday 22 October 2026, 10:00", self.review.message_ids.mapped("body")[1]
        )

    def test_meeting_moved_and_cancelled(self):
        with freeze_time("2026-10-01 09:00"):
            event = self._book(self.review, london(date(2026, 10, 22)))
        with freeze_time("2026-10-12 09:00"):
            event.with_user(self.reviewer_user).write(
                {"start": london(date(2026, 11, 3), 14), "stop": london(date(2026, 11, 3), 15)}
            )
            self.assertEqual(self.review.meeting_date, london(date(2026, 11, 3), 14))
            self.assertEqual(event.performance_notice_date, date(2026, 10, 12))
            self.assertEqual(len(self._memos(self.reviewee_user.partner_id)), 2)
            self.assertEqual(self.review.date_invitation_sent, date(2026, 10, 12))
            self.assertIn(
                "moved to Tuesday 3 November 2026, 14:00", self.review.message_ids[1].body
            )
        event.with_user(self.reviewer_user).action_archive()
        self.assertFalse(self.review.meeting_date)

    @freeze_time("2026-10-19 09:00")
    def test_short_notice_is_flagged_not_blocked(self):
        event = self._book(self.review, london(date(2026, 10, 22)))
        self.assertTrue(event.performance_short_notice)
        self.assertEqual(event.performance_notice_days, 3)
        self.assertEqual(event.performance_notice_required, 5)
        self.assertTrue(self.review.meeting_short_notice)
        # The headteacher is no attendee of the private event, but sees the flag.
        self.assertTrue(self.review.with_user(self.headteacher_user).meeting_short_notice)
        self.assertEqual(self.review.meeting_date, event.start)
        notes = "".join(self.review.message_ids.mapped("body"))
        self.assertIn("Short notice: 3 working days given", notes)
        # The notice deadline (5 working days before, 15 October) is recorded as late.
        notice = self._deadline(self.review, "notice")
        self.assertEqual(notice.date_due, date(2026, 10, 15))
        self.assertEqual(notice.status, "late")

    @freeze_time("2026-10-19 09:00")
    def test_meeting_in_the_past_is_refused(self):
        with self.assertRefused(ValidationError, "is in the past"):
            self._book(self.review, london(date(2026, 10, 16)))
        self.assertFalse(self.Event.search([("performance_review_id", "=", self.review.id)]))
        self.assertStored(self.review, "meeting_date", False)
        self.assertFalse(self._memos(self.reviewee_user.partner_id))
        # Earlier today is the past too.
        with self.assertRefused(ValidationError, "is in the past"):
            self._book(self.review, london(date(2026, 10, 19), 8))
        event = self._book(self.review, london(date(2026, 10, 29)))
        with self.assertRefused(ValidationError, "is in the past"):
            event.with_user(self.reviewer_user).write(
                {"start": london(date(2026, 10, 12)), "stop": london(date(2026, 10, 12), 11)}
            )
        self.assertStored(event, "start", london(date(2026, 10, 29)))
        self.assertStored(self.review, "meeting_date", london(date(2026, 10, 29)))

    def test_notes_on_a_past_meeting_can_still_be_written(self):
        with freeze_time("2026-10-01 09:00"):
            event = self._book(self.review, london(date(2026, 10, 22)))
        with freeze_time("2026-10-23 09:00"):
            event.with_user(self.reviewer_user).notes = "<p>Objectives discussed</p>"
        self.assertIn("Objectives discussed", event.notes)

    @freeze_time("2026-10-01 09:00")
    def test_only_who_manages_the_review_books_its_meetings(self):
        with self.assertRaises(AccessError):
            self.review.with_user(self.reviewee_user).action_book_meeting()
        with self.assertRaises(AccessError):
            self.Event.with_user(self.reviewee_user).create(
                {
                    "name": "My own review",
                    "performance_review_id": self.review.id,
                    "start": london(date(2026, 10, 22)),
                    "stop": london(date(2026, 10, 22), 11),
                }
            )
        self.assertFalse(self.review.meeting_date)
        # The headteacher may book it.
        self._book(self.review, london(date(2026, 10, 22)), user=self.headteacher_user)
        self.assertTrue(self.review.meeting_date)

    def test_midyear_meeting_memo(self):
        with freeze_time("2026-10-01 09:00"):
            self._book(self.review, london(date(2026, 10, 22)))
        with freeze_time("2027-01-11 09:00"):
            planning = self.review.meeting_date
            event = self._book(self.review, london(date(2027, 3, 18), 14), kind="midyear")
            self.assertEqual(event.name, "Mid-Year Review: Tom Assistant")
            self.assertEqual(self.review.meeting_date, planning)
            memo = self._memos(self.reviewee_user.partner_id).filtered(
                lambda m: "Mid-Year" in m.subject
            )
            self.assertEqual(len(memo), 1)
            self.assertIn("Mid-year review", memo.body_html)
            self.assertIn("14:00", memo.body_html)

    def test_revision_meeting_records_what_changed(self):
        with freeze_time("2027-01-11 09:00"):
            event = self._book(self.review, london(date(2027, 1, 14)), kind="revision")
            self.assertFalse(self._memos(self.reviewee_user.partner_id))
        with freeze_time("2027-01-14 11:00"):
            event.with_user(self.reviewer_user).write(
                {
                    "performance_changes": "<p>Objective 2 now covers Year 3 phonics only.</p>",
                    "performance_changes_agreed": "agreed",
                }
            )
        body = self.review.message_ids[0].body
        self.assertIn("Revision meeting of Thursday 14 January 2027, 10:00", body)
        self.assertIn("Agreed by both", body)
        self.assertIn("Year 3 phonics", body)

    @freeze_time("2026-10-01 09:00")
    def test_reviewee_without_email_gets_the_memo_in_person(self):
        review = self._launched_review(self.ta_2)
        self.ta_2.work_contact_id.email = False
        self._book(review, london(date(2026, 10, 22)))
        self.assertFalse(review.date_invitation_sent)
        self.assertIn("has no e-mail address", review.message_ids[0].body)
        notice = self._deadline(review, "notice")
        self.assertEqual(notice.status, "upcoming")
        with freeze_time("2026-10-02 09:00"):
            review.date_invitation_sent = date(2026, 10, 2)
            self.assertEqual(notice.status, "met")
        self.assertEqual(notice.date_due, date(2026, 10, 15))
