from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import HrSchoolPerformanceCase, london


@tagged("post_install", "-at_install")
class TestMidyearRule(HrSchoolPerformanceCase):
    """One rule: the mid-year review is due the group's offset (5 of 12 months in the
    fixture) into the review period, whatever day the planning meeting is held; a shortened
    first review has it at the same fraction of its own period."""

    def _starter_review(self, start):
        self.ta_2.contract_date_start = start
        with freeze_time("2026-09-01 08:00"):
            review = self._launched_review(self.ta_2)
        self.assertTrue(review.is_shortened)
        self.assertEqual(review.date_start, start)
        return review

    def test_full_review_midyear_does_not_follow_the_meeting(self):
        with freeze_time("2026-09-01 08:00"):
            review = self._launched_review(self.ta_1)
        self.assertEqual(review.date_midyear, date(2027, 2, 1))
        with freeze_time("2026-10-01 09:00"):
            self._book(review, london(date(2026, 10, 22)))
        self.assertEqual(review.date_midyear, date(2027, 2, 1), "5 months after 1 September")
        self.assertEqual(self._deadline(review, "midyear").date_due, date(2027, 2, 1))

    def test_shortened_review_midyear_proportional_inside_the_period(self):
        # 15 January – 31 August 2027: 228 days, 5/12 of them is 95 days.
        review = self._starter_review(date(2027, 1, 15))
        self.assertEqual(review.date_midyear, date(2027, 4, 20))
        with freeze_time("2027-01-18 09:00"):
            self._book(review, london(date(2027, 1, 20)))
        self.assertEqual(self._deadline(review, "midyear").date_due, date(2027, 4, 20))

    def test_late_starter_midyear_is_not_pushed_to_the_end_of_the_period(self):
        # A June starter met on 15 June: 5 months after the meeting would be November,
        # capped to the period's last working day; the mid-year is 38 days into the
        # 91-day period instead.
        review = self._starter_review(date(2027, 6, 1))
        with freeze_time("2027-06-10 09:00"):
            self._book(review, london(date(2027, 6, 15)))
        self.assertEqual(review.date_midyear, date(2027, 7, 9))
        self.assertLess(review.date_midyear, date(2027, 7, 22), "before the summer closure")
        self.assertEqual(self._deadline(review, "midyear").date_due, date(2027, 7, 9))

    def test_shortened_review_refuses_a_meeting_before_its_period(self):
        review = self._starter_review(date(2027, 1, 15))
        with freeze_time("2027-01-05 09:00"), self.assertRaises(ValidationError) as caught:
            self._book(review, london(date(2027, 1, 11)))
        self.assertIn("before its review period starts (2027-01-15)", str(caught.exception))
        self.assertFalse(review.meeting_date)
        # A full review may still be planned shortly before the cycle opens.
        with freeze_time("2026-08-20 09:00"):
            full = self._launched_review(self.ta_1)
            self._book(full, london(date(2026, 8, 27)))
        self.assertEqual(full.meeting_date.date(), date(2026, 8, 27))
