from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import SchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestLaunchQueries(SchoolPerformanceCase):
    """Launching a cycle creates its reviews in one batch: the number of queries does not
    depend on how many employees the cycle covers."""

    def _group_with_staff(self, name, headcount):
        job = self.env["hr.job"].create({"name": name, "company_id": self.school.id})
        group = self.env["hr.performance.job.group"].create(
            {"name": name, "company_id": self.school.id, "job_ids": [Command.link(job.id)]}
        )
        managers = self.manager | self.head
        self.env["hr.employee"].create(
            [
                {
                    "name": f"{name} {index}",
                    "company_id": self.school.id,
                    "job_id": job.id,
                    "parent_id": managers[index % 2].id,
                }
                for index in range(headcount)
            ]
        )
        return self._create_cycle(group=group)

    def _count_launch_queries(self, cycle):
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        before = self.cr.sql_log_count
        reviews = cycle.with_user(self.hr_officer).action_launch()
        self.env.flush_all()
        return self.cr.sql_log_count - before, reviews

    @freeze_time("2026-09-01")
    def test_launch_cost_does_not_grow_with_headcount(self):
        warmup = self._group_with_staff("Warm-up", 3)
        small = self._group_with_staff("Small team", 10)
        large = self._group_with_staff("Large team", 100)
        self._count_launch_queries(warmup)
        small_count, small_reviews = self._count_launch_queries(small)
        large_count, large_reviews = self._count_launch_queries(large)
        self.assertEqual(len(small_reviews), 10)
        self.assertEqual(len(large_reviews), 100)
        self.assertEqual(len(large_reviews.activity_ids), 100)
        self.assertEqual(
            small_count,
            large_count,
            f"launching 10 reviews took {small_count} queries, 100 took {large_count}",
        )
