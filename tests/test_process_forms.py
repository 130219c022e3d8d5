from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import HrSchoolPerformanceCase, london


@tagged("post_install", "-at_install")
class TestProcessForms(HrSchoolPerformanceCase):
    """Each role opens the screens of the year-round process it is given: the forms load
    and read without an access error (fields of other models, computed counters)."""

    @freeze_time("2026-10-01 09:00")
    def test_each_role_opens_its_screens(self):
        review = self._launched_review(self.ta_1)
        self._book(review, london(date(2026, 10, 22)))
        observer = self._make_user("hsp_observer")
        self.deputy.user_id = observer
        observation = (
            self.env["hr.performance.observation"]
            .with_user(self.reviewer_user)
            .create(
                {
                    "review_id": review.id,
                    "observer_id": self.deputy.id,
                    "date_observation": london(date(2026, 11, 18), 9),
                    "duration_hours": 1,
                }
            )
        )
        cpd_leader = self._make_user("hsp_cpd")
        self.school.performance_cpd_leader_id = cpd_leader
        need = (
            self.env["hr.performance.training.need"]
            .with_user(self.reviewer_user)
            .create({"review_id": review.id, "name": "Makaton level 1"})
        )
        for user in (self.reviewer_user, self.reviewee_user, self.headteacher_user):
            form = Form(review.with_user(user))
            # The meeting is a private event of its attendees.
            self.assertEqual(form.meeting_count, 0 if user == self.headteacher_user else 1)
            self.assertEqual(len(form.deadline_ids), len(review.deadline_ids))
            self.assertEqual(form.observation_cap_hours, 3.0)
            self.assertEqual(form.training_need_count, 1)
            Form(review.deadline_ids[0].with_user(user))
            Form(observation.with_user(user))
            Form(need.with_user(user))
            if user != self.headteacher_user:
                Form(review.meeting_ids.with_user(user))
        Form(observation.with_user(observer))
        Form(need.with_user(cpd_leader))
        Form(self.env["hr.performance.training.audit"].with_user(cpd_leader))
        Form(self.job_group.with_user(self.hr_officer))
        Form(self.school.with_user(self.hr_officer))
