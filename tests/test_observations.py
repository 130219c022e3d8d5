from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import HrSchoolPerformanceCase, london


@tagged("post_install", "-at_install")
class TestObservations(HrSchoolPerformanceCase):
    """Classroom observations: arrangements, record, deadlines, notice, the 3-hour cap pro
    rata and the QTS rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()
        cls.Observation = cls.env["hr.performance.observation"].with_user(cls.reviewer_user)
        cls.observer_user = cls._make_user("hsp_observer")
        cls.deputy.user_id = cls.observer_user

    def _observe(self, review=None, hours=1.0, when=date(2026, 11, 18), **extra):
        return self.Observation.create(
            {
                "review_id": (review or self.review).id,
                "observer_id": self.deputy.id,
                "date_observation": london(when, 9),
                "duration_hours": hours,
                "purpose": "Evidence for objective 1",
                **extra,
            }
        )

    @freeze_time("2026-11-02 09:00")
    def test_arrange_from_the_review_form(self):
        with (
            Form(self.review.with_user(self.reviewer_user)) as form,
            form.observation_ids.new() as line,
        ):
            line.observer_id = self.deputy
            line.date_observation = london(date(2026, 11, 18), 9)
            line.duration_hours = 1.5
            line.purpose = "Phonics group work"
        observation = self.review.observation_ids
        self.assertEqual(observation.duration_hours, 1.5)
        self.assertEqual(self.review.observation_hours, 1.5)
        self.assertEqual(self.review.observation_cap_hours, 3.0)
        self.assertFalse(observation.short_notice)
        self.assertEqual(observation.notice_days, 16)

    @freeze_time("2026-11-02 09:00")
    def test_cap_of_three_hours_per_cycle(self):
        long_one = self._observe(hours=2)
        self._observe(hours=1, when=date(2027, 2, 3))
        with self.assertRefused(ValidationError, r"would total 3\.5 hours .* the cap is 3\.0"):
            self._observe(hours=0.5, when=date(2027, 5, 12))
        self.assertEqual(len(self.review.observation_ids), 2)
        # A cancelled observation frees its time.
        long_one.with_user(self.reviewer_user).action_cancel()
        self._observe(hours=0.5, when=date(2027, 5, 12))
        self.assertEqual(self.review.observation_hours, 1.5)

    @freeze_time("2026-11-02 09:00")
    def test_cap_is_pro_rata_for_part_time_staff(self):
        half_time = self.env["resource.calendar"].create(
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
        self.ta_2.resource_calendar_id = half_time
        self.assertEqual(self.review_tina._observation_cap(), 1.5)
        observation = self._observe(review=self.review_tina, hours=1.5)
        with self.assertRefused(ValidationError, "the cap is 1.5 hours"):
            observation.duration_hours = 2
        self.assertStored(observation, "duration_hours", 1.5)

    @freeze_time("2026-11-02 09:00")
    def test_observer_of_a_teacher_must_hold_qts(self):
        self.job_group.teaching_staff = True
        with self.assertRefused(ValidationError, "must hold Qualified Teacher Status"):
            self._observe()
        self.assertFalse(self.review.observation_ids)
        self.deputy.performance_qts = True
        self._observe()
        self.assertEqual(len(self.review.observation_ids), 1)
        with self.assertRefused(ValidationError, "cannot observe themselves"):
            self.Observation.create(
                {"review_id": self.review.id, "observer_id": self.ta_1.id, "duration_hours": 1}
            )

    @freeze_time("2026-11-16 09:00")
    def test_short_notice_is_flagged(self):
        observation = self._observe(when=date(2026, 11, 18))
        self.assertTrue(observation.short_notice)
        self.assertEqual(observation.notice_days, 2)
        self.assertIn("Short notice", observation.message_ids[0].body)
        observation.date_observation = london(date(2026, 11, 27), 9)
        self.assertFalse(observation.short_notice)

    def test_record_feedback_and_deadlines(self):
        with freeze_time("2026-11-02 09:00"):
            observation = self._observe(when=date(2026, 11, 18))
        self.assertEqual(observation.date_feedback_due, date(2026, 11, 19))
        self.assertEqual(observation.date_record_due, date(2026, 11, 25))
        as_observer = observation.with_user(self.observer_user)
        with freeze_time("2026-11-17 09:00"), self.assertRefused(UserError, "not taken place"):
            as_observer.action_observed()
        with freeze_time("2026-11-18 11:00"):
            as_observer.action_observed()
            with self.assertRefused(UserError, "summary of main points"):
                as_observer.action_share_record()
            as_observer.write(
                {
                    "year_group": "Year 2",
                    "subject": "Phonics",
                    "pupil_count": 6,
                    "summary": "Well-paced group session.",
                    "strengths": "Clear modelling of sounds.",
                    "development_areas": "Check understanding of the quieter pupils.",
                    "date_feedback": date(2026, 11, 18),
                }
            )
        with freeze_time("2026-11-26 09:00"):
            as_observer.action_share_record()
            self.assertEqual(observation.state, "shared")
            self.assertEqual(observation.date_record_shared, date(2026, 11, 26))
            status = {d.kind: d.status for d in observation.deadline_ids}
        self.assertEqual(status, {"observation_feedback": "met", "observation_record": "late"})
        # The reviewee appends comments, and nothing else.
        as_reviewee = observation.with_user(self.reviewee_user)
        as_reviewee.reviewee_comments = "The group had a supply teacher that morning."
        self.assertIn("supply teacher", observation.reviewee_comments)
        with self.assertRaises(AccessError):
            as_reviewee.summary = "Outstanding"
        self.assertStored(observation, "summary", "Well-paced group session.")

    @freeze_time("2026-11-02 09:00")
    def test_who_sees_observations(self):
        observation = self._observe()
        self.assertEqual(
            self.env["hr.performance.observation"].with_user(self.observer_user).search([]),
            observation,
        )
        self.assertEqual(
            self.env["hr.performance.observation"].with_user(self.reviewee_user).search([]),
            observation,
        )
        # The observer sees the observation, not the review.
        with self.assertRaises(AccessError):
            self.review.with_user(self.observer_user).read(["final_assessment"])
        with self.assertRefused(UserError, "cannot move to another review"):
            observation.review_id = self.review_tina
        stranger = self._make_user("hsp_stranger")
        self.assertFalse(self.env["hr.performance.observation"].with_user(stranger).search([]))
        with self.assertRaises(AccessError):
            self.env["hr.performance.observation"].with_user(self.observer_user).create(
                {"review_id": self.review.id, "observer_id": self.deputy.id, "duration_hours": 1}
            )
