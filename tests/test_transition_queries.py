from collections import Counter
from datetime import datetime

from odoo.tests import tagged

from .common import HrSchoolPerformanceCase
from .test_launch_queries import _shape

# The ORM inserts rows 100 at a time (odoo.orm.models.INSERT_BATCH_SIZE): the rows of 101
# reviews are two INSERTs, those of 11 one. Moving 101 reviews may cost one more INSERT per
# table of rows made per review: the next to-dos and the closed to-dos' messages (the
# button), the state-change messages and their tracking values (the end of the request).
MAX_INSERT_CHUNKS = 4


@tagged("post_install", "-at_install")
class TestTransitionQueries(HrSchoolPerformanceCase):
    """A headteacher moving 20 or 200 reviews one step: the to-dos the step closes and the
    state-change messages are posted in batches (hr.performance.deadline._close_todos,
    hr.performance.review._message_track), so the request costs the same number of queries
    for both; a follower of the step is still told."""

    freeze_today = "2026-10-01 09:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warm = cls._group_with_staff("Warm-up team", 4)
        cls.small = cls._group_with_staff("Small team", 20)
        cls.large = cls._group_with_staff("Large team", 200)
        cycles = cls.warm | cls.small | cls.large
        cls._launch(cycles)
        reviews = cycles.review_ids
        reviews.write({"meeting_date": datetime(2026, 9, 20, 10, 0)})
        cls.env["hr.performance.objective"].create(
            [{"review_id": review.id, "name": "Objective"} for review in reviews]
        )
        cls.agreed = cls.env.ref("hr_school_performance.mt_review_agreed")
        # The steps are not sent by default: the reviewer asks for "Objectives agreed" on
        # the one review of theirs in each batch.
        for cycle in (cls.small, cls.large):
            review = cls._batch(cycle)[1]
            review.message_subscribe(
                partner_ids=cls.reviewer_user.partner_id.ids, subtype_ids=cls.agreed.ids
            )
        cls.env.cr.flush()

    @classmethod
    def _batch(cls, cycle):
        """The headteacher's own reviewees of ``cycle`` (nobody to notify: she authors the
        step) and one review of the reviewer's, who asked to be told of the step: one
        notification whatever the size."""
        reviews = cycle.review_ids
        own = reviews.filtered(lambda r: r.reviewer_user_id == cls.headteacher_user)
        theirs = reviews.filtered(lambda r: r.reviewer_user_id == cls.reviewer_user)
        return own | theirs[:1], theirs[:1]

    def _move(self, reviews):
        """Move ``reviews`` to "agreed" as the headteacher, as one request: the button, then
        the end of the request that posts the tracking (cr.flush runs the pre-commit hooks).
        Returns the number of queries and their shapes."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        with self.assertLogs("odoo.sql_db", level="DEBUG") as logs:
            reviews.with_user(self.headteacher_user).action_agree_objectives()
            self.env.flush_all()
            self.env.cr.flush()
        shapes = Counter(
            _shape(message.split("query: ", 1)[-1])
            for message in (record.getMessage() for record in logs.records)
            if "query: " in message
        )
        return self.cr.sql_log_count - before, shapes

    def _messages(self, reviews):
        return self.env["mail.message"].search(
            [
                ("model", "=", reviews._name),
                ("res_id", "in", reviews.ids),
                ("subtype_id", "=", self.agreed.id),
            ]
        )

    def test_moving_20_or_200_reviews_posts_their_messages_in_one_batch(self):
        # The first move fills the registry's caches (and posts one review alone: core's
        # own path, which the batch must match).
        single = self._batch(self.warm)[0][:1]
        self._move(single)
        self._move(self._batch(self.warm)[0] - single)
        results = {}
        for cycle in (self.small, self.large):
            reviews, notified = self._batch(cycle)
            results[len(reviews)] = (reviews, notified, *self._move(reviews))
        (
            (small, __, small_count, small_shapes),
            (large, notified, large_count, large_shapes),
        ) = results.values()
        self.assertEqual((len(small), len(large)), (11, 101))
        extra = large_shapes - small_shapes
        self.assertLessEqual(
            large_count,
            small_count + MAX_INSERT_CHUNKS,
            f"moving {len(small)} reviews: {small_count} queries, {len(large)}: "
            f"{large_count}; only with {len(large)}: {extra}",
        )
        self.assertTrue(all(review.state == "agreed" for review in small | large))

        # One message per review, as core posts it: the step's subtype, the state's
        # tracking value, the headteacher as author, a notification.
        messages = self._messages(large)
        self.assertEqual(sorted(messages.mapped("res_id")), sorted(large.ids))
        head = self.headteacher_user.partner_id
        for message in messages:
            self.assertEqual(message.message_type, "notification")
            self.assertEqual(message.author_id, head)
            self.assertEqual(message.tracking_value_ids.field_id.name, "state")
            self.assertEqual(
                (
                    message.tracking_value_ids.old_value_char,
                    message.tracking_value_ids.new_value_char,
                ),
                ("Planning", "Objectives Agreed"),
            )
        # The same values as the message core posted on the review moved alone.
        alone = self._messages(single)
        self.assertEqual(len(alone), 1)
        compared = ("subtype_id", "author_id", "email_from", "reply_to", "record_company_id")
        compared += ("record_alias_domain_id", "body", "email_add_signature", "is_internal")
        for name in compared:
            self.assertEqual(messages[0][name], alone[name], name)
        self.assertEqual(messages[0].parent_id.model, alone.parent_id.model)
        self.assertTrue(all(message.parent_id for message in messages | alone))

        # The reviewer follows the step on their review: told, the headteacher not.
        told = messages.notification_ids
        self.assertEqual(told.res_partner_id, self.reviewer_user.partner_id)
        self.assertEqual(told.mail_message_id.res_id, notified.id)

        # Each closed to-do is told as core tells it: its own "done" message, by the
        # headteacher, with the to-do's type, and the to-do archived with the feedback.
        done = self.env["mail.message"].search(
            [
                ("model", "=", large._name),
                ("res_id", "in", large.ids),
                ("subtype_id", "=", self.env.ref("mail.mt_activities").id),
            ]
        )
        self.assertEqual(sorted(done.mapped("res_id")), sorted(large.ids))
        self.assertEqual(done.author_id, head)
        self.assertEqual(
            done.mail_activity_type_id,
            self.env.ref("hr_school_performance.mail_activity_type_planning_meeting"),
        )
        self.assertIn("Done: the review moved on.", str(done[0].body))
        closed = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", large._name),
                    ("res_id", "in", large.ids),
                    ("active", "=", False),
                ]
            )
        )
        self.assertEqual(set(closed.mapped("feedback")), {"Done: the review moved on."})
