from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestLaunchReviewerCap(HrSchoolPerformanceCase):
    """The launch report lists the reviewers the launch put over the school's cap on
    reviewees per reviewer (seed 003: a school may cap reviewees per reviewer)."""

    @freeze_time("2026-09-01")
    def test_launch_reports_reviewers_over_the_cap(self):
        self.school.performance_reviewee_cap = 1
        cycle = self._create_cycle()
        reviews = self._launch(cycle)
        # Maria Manager line-manages both teaching assistants.
        self.assertEqual(len(reviews.filtered(lambda r: r.reviewer_id == self.manager)), 2)
        self.assertEqual(cycle.over_cap_reviewer_ids, self.manager)
        launched = cycle.message_ids.filtered(lambda m: "Cycle launched" in str(m.body))
        self.assertIn("Maria Manager", str(launched.body))
        self.assertIn("maximum of 1 reviewees", str(launched.body))

    @freeze_time("2026-09-01")
    def test_launch_within_the_cap_reports_nobody(self):
        self.school.performance_reviewee_cap = 2
        cycle = self._create_cycle()
        self._launch(cycle)
        self.assertFalse(cycle.over_cap_reviewer_ids)
        # No cap: nothing to report either.
        self.school.performance_reviewee_cap = 0
        other = self._create_cycle(start=date(2027, 9, 1), end=date(2028, 8, 31))
        self._launch(other)
        self.assertFalse(other.over_cap_reviewer_ids)
