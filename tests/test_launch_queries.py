import re
from collections import Counter

from freezegun import freeze_time

from odoo.tests import tagged

from .common import HrSchoolPerformanceCase


def _shape(query):
    """A query with its numbers blanked and its value lists folded: the same statement on 10
    or on 100 rows has one shape."""
    query = re.sub(r"\d+", "N", query)
    query = re.sub(r"\((N|%s)(, (N|%s))*\)", "(N…)", query)
    return re.sub(r"\(N…\)(, \(N…\))*", "(N…)…", query)[:200]


COMPANY_LOOKUP = 'SELECT "res_company"."id" FROM "res_company" WHERE ("res_company"."active"'
# Reads of a user's and a partner's row (cache fills).
CACHE_FILLS = (
    'SELECT "res_users"."id", "res_users"."partner_id"',
    'SELECT "res_partner"."id", "res_partner"."email_normalized"',
)


@tagged("post_install", "-at_install")
class TestLaunchQueries(HrSchoolPerformanceCase):
    """Launching a cycle creates its reviews in one batch: the number of queries does not
    depend on how many employees the cycle covers."""

    def _count_launch_queries(self, cycle):
        """The number of queries of the launch, and their shapes (numbers blanked), so that a
        mismatch says which query repeats."""
        # Each launch starts with an empty record cache, as a new request does; the
        # registry's caches (access rules, groups) stay warm, as in a running server.
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        with self.assertLogs("odoo.sql_db", level="DEBUG") as logs:
            reviews = cycle.with_user(self.hr_officer).action_launch()
            self.env.flush_all()
        shapes = Counter(
            _shape(message.split("query: ", 1)[-1])
            for message in (record.getMessage() for record in logs.records)
            if "query: " in message
        )
        return self.cr.sql_log_count - before, reviews, shapes

    @freeze_time("2026-09-01")
    def test_launch_cost_does_not_grow_with_headcount(self):
        # Warm up with one launch of each size: the first launches fill caches (users,
        # partners, company memberships) whose cost is paid once, not per employee, and
        # depends on what ran before in the same process.
        warmups = (
            self._group_with_staff("Warm-up small", 10),
            self._group_with_staff("Warm-up large", 100),
        )
        small = self._group_with_staff("Small team", 10)
        large = self._group_with_staff("Large team", 100)
        for warmup in warmups:
            self._count_launch_queries(warmup)
        small_count, small_reviews, small_shapes = self._count_launch_queries(small)
        large_count, large_reviews, large_shapes = self._count_launch_queries(large)
        self.assertEqual(len(small_reviews), 10)
        self.assertEqual(len(large_reviews), 100)
        self.assertEqual(len(large_reviews.activity_ids), 100)
        # The addon's own work (reviews, deadlines, activities, followers) is the same queries
        # for 10 and for 100 employees: batch creation, nothing per employee.
        own = ("hr_performance", "mail_activity", "mail_followers")
        self.assertEqual(
            Counter(
                {shape: n for shape, n in small_shapes.items() if any(t in shape for t in own)}
            ),
            Counter(
                {shape: n for shape, n in large_shapes.items() if any(t in shape for t in own)}
            ),
        )

        # And every other query too. Only the ORM's lookup of a user's companies is left out:
        # after other test classes it may be refilled once, in either launch, whatever its
        # size (strict equality of the totals holds when this test runs alone).
        def counted(shapes):
            return sum(
                n
                for shape, n in shapes.items()
                if not shape.startswith((COMPANY_LOOKUP, *CACHE_FILLS))
            )

        message = (
            f"launching 10 reviews took {small_count} queries, 100 took {large_count}; "
            f"only with 100: {large_shapes - small_shapes}; "
            f"only with 10: {small_shapes - large_shapes}"
        )
        # Launching 100 costs no more than launching 10.
        self.assertLessEqual(counted(large_shapes), counted(small_shapes), message)
        # Either launch may pay one read of an assignee's user and partner that the other
        # finds prefetched with records it loaded, depending on what ran before in the
        # process: a cost per launch, never per employee.
        for prefix in CACHE_FILLS:
            reads = [
                sum(n for shape, n in shapes.items() if shape.startswith(prefix))
                for shapes in (small_shapes, large_shapes)
            ]
            self.assertLessEqual(reads[1], reads[0] + 1, message)
