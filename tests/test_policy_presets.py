from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import HrSchoolPerformanceCase

# What each seed says, as the job group and its deadline rules must read after the preset
# is applied to an empty trust: (group settings, {rule code: (days, day kind)}).
SEED_NUMBERS = {
    "county_abbreviated": (
        {"process": "abbreviated", "max_objectives": 5, "pay_progression": True},
        {},
    ),
    "borough_support": (
        {"cycle_start_month": "9", "cycle_start_day": 1, "process": "full"},
        {
            "draft_statement": (5, "working"),
            "comments": (5, "working"),
            "final_statement": (10, "working"),
        },
    ),
    "academy_sep": (
        {"cycle_start_month": "9", "midyear_offset_months": 5, "max_objectives": 3},
        {
            "notice": (5, "working"),
            "self_evaluation": (2, "working"),
            "draft_statement": (5, "working"),
            "final_statement": (10, "working"),
            "observation_feedback": (1, "school"),
            "observation_record": (5, "working"),
        },
    ),
    "academy_apr": (
        {"cycle_start_month": "4", "midyear_offset_months": 7, "max_objectives": 3},
        {"observation_feedback": (1, "school")},
    ),
    "county_all": (
        {"cycle_start_month": "9", "pay_decision_month": "10", "observation_cap_hours": 3.0},
        {
            "notice": (5, "working"),
            "moderation": (10, "working"),
            "observation_record": (5, "working"),
        },
    ),
    "trust_support": (
        {"cycle_start_month": "4", "pay_decision_month": "3", "pay_decision_day": 31},
        {},
    ),
    "trust_teachers": (
        {"cycle_start_month": "9", "pay_decision_month": "10", "teaching_staff": True},
        {},
    ),
}


@tagged("post_install", "-at_install")
class TestPolicyPresets(HrSchoolPerformanceCase):
    """Each seed policy as a preset: applied to an empty trust it yields the policy's
    calendars, caps and deadlines; the preview shows what changes; undo restores; running
    cycles are listed and keep their dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr_manager = cls.users["hr_manager"]

    def _empty_trust(self, name="Empty Trust"):
        trust = self.env["res.company"].create({"name": name})
        self.hr_manager.company_ids = [Command.link(trust.id)]
        group = self.env["hr.performance.job.group"].create(
            {
                "name": "All support staff",
                "company_id": trust.id,
                "max_objectives": 4,
                "midyear_offset_months": 6,
                "cycle_start_month": "1",
                "pay_progression": False,
                "observation_cap_hours": 2.0,
                "process": "full",
            }
        )
        group.deadline_rule_ids.filtered(lambda r: r.code == "notice").days = 3
        return trust, group

    def _preset(self, code):
        return self.env.ref(f"hr_school_performance.hr_performance_policy_preset_{code}")

    def _wizard(self, preset, user=None, **target):
        Apply = self.env["hr.performance.policy.preset.apply"].with_user(user or self.hr_manager)
        context = {f"default_{k}": v.id for k, v in target.items()}
        return Apply.with_context(
            **context, allowed_company_ids=self.hr_manager.company_ids.ids
        ).create({"preset_id": preset.id})

    def _snapshot(self, group):
        values = {
            name: group[name]
            for name in (
                "cycle_start_month",
                "cycle_start_day",
                "midyear_offset_months",
                "max_objectives",
                "process",
                "pay_progression",
                "pay_decision_month",
                "observation_cap_hours",
                "teaching_staff",
                "scale_id",
            )
        }
        rules = {rule.code: (rule.days, rule.day_kind) for rule in group.deadline_rule_ids}
        return values, rules

    def test_every_seed_has_a_preset_citing_its_sections(self):
        presets = self.env["hr.performance.policy.preset"].search([])
        self.assertGreaterEqual(len(presets), 5)
        for code in SEED_NUMBERS:
            preset = self._preset(code)
            self.assertTrue(preset.line_ids)
            self.assertTrue(all(line.section for line in preset.line_ids))

    def test_each_preset_on_an_empty_trust_then_undo(self):
        for code, (settings, rules) in SEED_NUMBERS.items():
            with self.subTest(preset=code):
                trust, group = self._empty_trust(f"Empty Trust {code}")
                before = self._snapshot(group)
                wizard = self._wizard(self._preset(code), company_id=trust)
                self.assertTrue(wizard.change_count)
                self.assertIn("o_hsp_preset_preview", wizard.preview)
                action = wizard.action_apply()
                application = self.env[action["res_model"]].browse(action["res_id"])
                for name, value in settings.items():
                    self.assertEqual(group[name], value, name)
                by_code = {rule.code: rule for rule in group.deadline_rule_ids}
                for rule_code, (days, kind) in rules.items():
                    self.assertEqual(
                        (by_code[rule_code].days, by_code[rule_code].day_kind),
                        (days, kind),
                        rule_code,
                    )
                self.assertEqual(group.policy_preset_id, self._preset(code))
                self.assertEqual(len(application.change_ids), wizard.change_count)
                self.assertTrue(all(change.section for change in application.change_ids))
                # Nothing differs from the adopted preset any more.
                self.assertEqual(
                    self._wizard(self._preset(code), job_group_id=group).change_count, 0
                )
                application.with_user(self.hr_manager).action_undo()
                self.assertEqual(self._snapshot(group), before)
                self.assertEqual(application.state, "undone")
                self.assertFalse(group.policy_preset_id)

    def test_differences_after_adjusting_one_setting(self):
        trust, group = self._empty_trust()
        self._wizard(self._preset("academy_sep"), company_id=trust).action_apply()
        group.max_objectives = 4
        wizard = self._wizard(group.policy_preset_id, job_group_id=group)
        self.assertEqual(wizard.change_count, 1)
        self.assertIn("6.2 During the Meeting", wizard.preview)
        # Undo is refused while a setting was changed again since, saying which.
        application = self.env["hr.performance.policy.preset.application"].search(
            [("company_id", "=", trust.id)]
        )
        with self.assertRefused(UserError, "Maximum Objectives"):
            application.action_undo()

    def test_running_cycle_is_listed_and_keeps_its_dates(self):
        self._launch_team()
        cycle = self.cycle
        dates = (cycle.date_start, cycle.date_end, cycle.date_midyear)
        due = self.review.date_planning_due
        wizard = self._wizard(
            self._preset("academy_apr"), user=self.hr_officer, job_group_id=self.job_group
        )
        self.assertTrue(wizard.has_running_cycles)
        self.assertIn(cycle.display_name, wizard.running_cycles)
        with self.assertRefused(UserError, "Running cycles depend on these settings"):
            wizard.action_apply()
        self.assertEqual(self.job_group.cycle_start_month, "9")
        wizard.confirm_running = True
        wizard.action_apply()
        self.assertEqual(self.job_group.cycle_start_month, "4")
        self.assertEqual(self.job_group.midyear_offset_months, 7)
        # The running cycle keeps its dates; the new timing applies from the next cycle.
        self.assertEqual((cycle.date_start, cycle.date_end, cycle.date_midyear), dates)
        self.assertEqual(self.review.date_planning_due, due)
        start, _end = self.job_group._cycle_bounds(date(2027, 6, 1))
        self.assertEqual(start, date(2027, 4, 1))

    def test_only_hr_apply(self):
        wizard_model = self.env["hr.performance.policy.preset.apply"].with_user(self.reviewer_user)
        with self.assertRaises(AccessError):
            wizard_model.create(
                {"preset_id": self._preset("county_all").id, "job_group_id": self.job_group.id}
            )

    def test_bad_setting_line_refused(self):
        preset = self._preset("county_all")
        with self.assertRefused(ValidationError, "not a setting"):
            self.env["hr.performance.policy.preset.line"].create(
                {
                    "preset_id": preset.id,
                    "target_model": "hr.performance.job.group",
                    "field_name": "no_such_field",
                    "value": "1",
                    "section": "x",
                }
            )
        with self.assertRefused(ValidationError, "cannot be read"):
            self.env["hr.performance.policy.preset.line"].create(
                {
                    "preset_id": preset.id,
                    "target_model": "hr.performance.job.group",
                    "field_name": "max_objectives",
                    "value": "five",
                    "section": "x",
                }
            )

    def test_form_preview(self):
        trust, group = self._empty_trust()
        with Form(
            self.env["hr.performance.policy.preset.apply"]
            .with_user(self.hr_manager)
            .with_context(allowed_company_ids=self.hr_manager.company_ids.ids)
        ) as form:
            form.preset_id = self._preset("trust_support")
            form.company_id = trust
            self.assertIn("4.2 Support Staff", form.preview)
