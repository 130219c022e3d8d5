from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import HrSchoolPerformanceCase, london


@tagged("post_install", "-at_install")
class TestTranslatableLabels(HrSchoolPerformanceCase):
    """Month names and meeting kinds reach users through Odoo's translations (selection
    labels), not through Python constants or the server's locale."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")

    def _translate_selection(self, model, field, value, label):
        selection = self.env["ir.model.fields.selection"].search(
            [("field_id.model", "=", model), ("field_id.name", "=", field), ("value", "=", value)]
        )
        self.assertEqual(len(selection), 1)
        selection.with_context(lang="fr_FR").name = label
        self.env.registry.clear_cache("stable")

    def test_month_in_message_is_translated(self):
        self._translate_selection("hr.performance.job.group", "cycle_start_month", "2", "février")
        group = self.job_group.with_context(lang="fr_FR")
        with self.assertRefused(ValidationError, "février has no day 30"):
            group.write({"cycle_start_month": "2", "cycle_start_day": 30})
        self.assertEqual(group.cycle_start_month, "9")

    def test_month_labels_do_not_follow_the_server_locale(self):
        labels = dict(
            self.env["hr.performance.job.group"]
            .with_context(lang="en_US")
            ._fields["cycle_start_month"]
            ._description_selection(self.env(context={"lang": "en_US"}))
        )
        self.assertEqual(labels["1"], "January")
        self.assertEqual(labels["12"], "December")

    def test_meeting_kind_in_message_is_translated(self):
        self._translate_selection(
            "calendar.event", "performance_meeting_kind", "planning", "Entretien de planification"
        )
        with freeze_time("2026-09-01 08:00"):
            review = self._launched_review(self.ta_1)
        with freeze_time("2026-10-01 09:00"):
            event = self._book(review, london(date(2026, 10, 22)))
        with freeze_time("2026-10-12 09:00"):
            event.with_user(self.reviewer_user).with_context(lang="fr_FR").write(
                {"start": london(date(2026, 11, 3), 14), "stop": london(date(2026, 11, 3), 15)}
            )
        self.assertIn("Entretien de planification", review.message_ids[1].body)
