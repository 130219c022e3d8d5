from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import GROUP, HrSchoolPerformanceCase

# The settings added after the first presets: on the job group (moderation, appeals,
# support periods, warnings) and on each school or trust (retention, reviewer access).
GROUP_SETTINGS = (
    "moderation",
    "appeal_route",
    "appeal_window_days",
    "support_limit_kind",
    "support_max_days",
    "support_min_weeks",
    "support_max_weeks",
    "support_max_extension_weeks",
    "support_extend_by_absence",
    "warning_first_months",
    "warning_final_months",
)
COMPANY_SETTINGS = ("performance_retention_years", "performance_reviewer_access_months")

SEED_002 = {
    # 4.8 Appeals: the grievance procedure; 4.6: no more than 30 working days of support;
    # 5.2: 12 months for a written warning, two years for a final written warning.
    "appeal_route": "grievance",
    "support_limit_kind": "working_days",
    "support_max_days": 30,
    "warning_first_months": 12,
    "warning_final_months": 24,
}
SEED_004 = {
    # 5.5: objectives moderated across the trust; 8.1: monitoring normally 4 to 8 working
    # weeks, exceptionally extended by not normally more than 4 weeks.
    "moderation": "all",
    "support_limit_kind": "weeks",
    "support_min_weeks": 4,
    "support_max_weeks": 8,
    "support_max_extension_weeks": 4,
}
# What each seed says of those settings: (job group, school and trust). A seed silent on a
# setting has no line for it: the school's own value stays.
SEED_SETTINGS = {
    # Seed 001 says nothing of appeals, support periods, warnings or retention.
    "county_abbreviated": ({}, {}),
    # Seed 000, Appeals: the headteacher hears it (the governing body when the headteacher
    # reviewed); Confidentiality: kept for a minimum of 6 years.
    "borough_support": ({"appeal_route": "hearing"}, {"performance_retention_years": 6}),
    "academy_sep": (SEED_002, {}),
    "academy_apr": (SEED_002, {}),
    # Seed 003, 8. Right of Appeal: the grievance procedure; 7. Confidentiality: six years.
    "county_all": ({"appeal_route": "grievance"}, {"performance_retention_years": 6}),
    "trust_support": (SEED_004, {}),
    "trust_teachers": (SEED_004, {}),
}
# Values no seed gives, to start from: applying a preset must change every setting it
# names, and undo must bring these back.
OTHER_VALUES = {
    "moderation": {"all": "none"},
    "appeal_route": {"hearing": "grievance", "grievance": "hearing"},
    "support_limit_kind": {"weeks": "working_days", "working_days": "weeks"},
}


@tagged("post_install", "-at_install")
class TestPolicyPresetSettings(HrSchoolPerformanceCase):
    """The seeds' moderation, appeal, support-period, warning and retention settings as
    preset lines: applied to an empty trust (and its school) they yield the seed's numbers,
    leave what the seed is silent on, list the running cycles that depend on them, and undo
    restores the previous values."""

    def _empty_trust(self, code):
        """A trust with one school and one trust-wide job group, every setting the preset
        names holding some other value."""
        group_seed, company_seed = SEED_SETTINGS[code]
        trust = self.env["res.company"].create({"name": f"Empty Trust {code}"})
        school = self.env["res.company"].create(
            {"name": f"Empty School {code}", "parent_id": trust.id}
        )
        other = {
            name: OTHER_VALUES[name][value] if name in OTHER_VALUES else value + 3
            for name, value in {**group_seed, **company_seed}.items()
        }
        group = self.env["hr.performance.job.group"].create(
            {
                "name": "All support staff",
                "company_id": trust.id,
                "appeal_window_days": 15,
                "support_extend_by_absence": True,
                **{name: value for name, value in other.items() if name in GROUP_SETTINGS},
            }
        )
        (trust | school).write(
            {
                "performance_reviewer_access_months": 4,
                **{name: value for name, value in other.items() if name in COMPANY_SETTINGS},
            }
        )
        admin = self._make_user(
            f"trust_admin_{code}",
            groups=f"base.group_erp_manager,{GROUP % 'hr_manager'}",
            company=trust,
        )
        admin.company_ids = [Command.link(school.id)]
        return trust, school, group, admin

    def _preset(self, code):
        return self.env.ref(f"hr_school_performance.hr_performance_policy_preset_{code}")

    def _wizard(self, preset, user, **target):
        context = {f"default_{key}": record.id for key, record in target.items()}
        return (
            self.env["hr.performance.policy.preset.apply"]
            .with_user(user)
            .with_context(**context, allowed_company_ids=user.company_ids.ids)
            .create({"preset_id": preset.id})
        )

    def _snapshot(self, group, companies):
        self.env.invalidate_all()
        return (
            {name: group[name] for name in GROUP_SETTINGS},
            {company: {name: company[name] for name in COMPANY_SETTINGS} for company in companies},
        )

    def test_each_preset_yields_the_seed_settings_then_undo(self):
        for code, (group_seed, company_seed) in SEED_SETTINGS.items():
            with self.subTest(preset=code):
                trust, school, group, admin = self._empty_trust(code)
                before_group, before_companies = self._snapshot(group, trust | school)
                wizard = self._wizard(self._preset(code), admin, company_id=trust)
                action = wizard.action_apply()
                application = self.env[action["res_model"]].browse(action["res_id"])
                after_group, after_companies = self._snapshot(group, trust | school)
                # The seed's numbers; what it is silent on is left as it was.
                self.assertEqual(after_group, {**before_group, **group_seed})
                for company in trust | school:
                    self.assertEqual(
                        after_companies[company], {**before_companies[company], **company_seed}
                    )
                # Each change recorded with the section of the policy it comes from.
                changed = {
                    (change.res_model, change.field_name)
                    for change in application.change_ids
                    if change.field_name in GROUP_SETTINGS + COMPANY_SETTINGS
                }
                self.assertEqual(
                    changed,
                    {("hr.performance.job.group", name) for name in group_seed}
                    | {("res.company", name) for name in company_seed},
                )
                self.assertTrue(all(change.section for change in application.change_ids))
                application.with_user(admin).action_undo()
                self.assertEqual(
                    self._snapshot(group, trust | school), (before_group, before_companies)
                )

    def test_sections_cited_and_silence_respected(self):
        Line = self.env["hr.performance.policy.preset.line"]
        lines = Line.search([("field_name", "in", GROUP_SETTINGS + COMPANY_SETTINGS)])
        self.assertTrue(lines)
        self.assertTrue(all(line.section for line in lines))
        # No seed gives a number of days to appeal in, nor a reviewer's access period after
        # completion, and seed 001 none of these settings: no line invents one.
        self.assertFalse(
            lines.filtered(
                lambda line: (
                    line.field_name in ("appeal_window_days", "performance_reviewer_access_months")
                )
            )
        )
        self.assertFalse(
            lines.filtered(lambda line: line.preset_id == self._preset("county_abbreviated"))
        )
        # The warning periods cite seed 002's section 5.2.
        warning = lines.filtered(
            lambda line: (
                line.field_name == "warning_final_months"
                and line.preset_id == self._preset("academy_sep")
            )
        )
        self.assertEqual(warning.value, "24")
        self.assertIn("5.2", warning.section)

    def test_school_settings_need_the_right_to_edit_the_school(self):
        """An HR manager who may not edit the company is refused, naming the school and the
        settings, with nothing changed; applied to the job group alone the preset works."""
        trust, _school, group, _admin = self._empty_trust("borough_support")
        hr_manager = self.users["hr_manager"]
        hr_manager.company_ids = [Command.link(trust.id)]
        wizard = self._wizard(self._preset("borough_support"), hr_manager, company_id=trust)
        with self.assertRefused(AccessError, "Retention after the Cycle Ends"):
            wizard.action_apply()
        self.env.invalidate_all()
        self.assertEqual(group.appeal_route, "grievance")
        self.assertEqual(trust.performance_retention_years, 9)
        self.assertFalse(
            self.env["hr.performance.policy.preset.application"].search(
                [("company_id", "=", trust.id)]
            )
        )
        wizard = self._wizard(self._preset("borough_support"), hr_manager, job_group_id=group)
        wizard.action_apply()
        self.assertEqual(group.appeal_route, "hearing")
        self.assertEqual(trust.performance_retention_years, 9)

    def test_limits_written_together_and_restored_together(self):
        """A monitoring minimum above the old maximum is accepted with its new maximum (one
        write per record), and undo puts both back together."""
        trust, _school, group, admin = self._empty_trust("trust_support")
        group.write({"support_min_weeks": 1, "support_max_weeks": 2})
        wizard = self._wizard(self._preset("trust_support"), admin, company_id=trust)
        action = wizard.action_apply()
        self.assertEqual((group.support_min_weeks, group.support_max_weeks), (4, 8))
        self.env[action["res_model"]].browse(action["res_id"]).with_user(admin).action_undo()
        self.assertEqual((group.support_min_weeks, group.support_max_weeks), (1, 2))
        with self.assertRaises(ValidationError):
            group.support_min_weeks = 3

    def test_running_cycle_listed_for_moderation_and_school_settings(self):
        """A running cycle depends on its group's moderation and on its school's reviewer
        access: the preview lists it, applying needs the tick, undo restores."""
        self._launch_team()
        self.job_group.moderation = "none"
        self.assertFalse(self.review.moderation_selected)
        preset = self.env["hr.performance.policy.preset"].create(
            {
                "name": "Moderate everything",
                "source": "Test policy",
                "line_ids": [
                    Command.create(
                        {
                            "target_model": "hr.performance.job.group",
                            "field_name": "moderation",
                            "value": "'all'",
                            "section": "5. Moderation",
                        }
                    ),
                    Command.create(
                        {
                            "target_model": "res.company",
                            "field_name": "performance_reviewer_access_months",
                            "value": "3",
                            "section": "7. Confidentiality",
                        }
                    ),
                ],
            }
        )
        wizard = self._wizard(preset, self.hr_officer, job_group_id=self.job_group)
        self.assertTrue(wizard.has_running_cycles)
        self.assertIn(self.cycle.display_name, wizard.running_cycles)
        self.assertIn("Moderation", wizard.running_cycles)
        with self.assertRefused(UserError, "Running cycles depend on these settings"):
            wizard.action_apply()
        self.assertFalse(self.review.moderation_selected)
        wizard.confirm_running = True
        action = wizard.action_apply()
        self.assertEqual(self.job_group.moderation, "all")
        self.assertTrue(self.review.moderation_selected)
        # Applied to the job group, the school's own settings are not touched.
        self.assertEqual(self.school.performance_reviewer_access_months, 6)
        # Undoing lists the running cycle too, and asks to go ahead the same way.
        application = (
            self.env[action["res_model"]].browse(action["res_id"]).with_user(self.hr_officer)
        )
        self.assertTrue(application.has_undo_running_cycles)
        self.assertIn(self.cycle.display_name, application.undo_running_cycles)
        self.assertIn("Moderation", application.undo_running_cycles)
        with self.assertRefused(UserError, "Running cycles depend on these settings"):
            application.action_undo()
        self.assertEqual(self.job_group.moderation, "all")
        self.assertEqual(application.state, "applied")
        application.action_undo_confirm_running()
        self.assertEqual(application.state, "undone")
        self.assertFalse(application.has_undo_running_cycles)
        self.assertEqual(self.job_group.moderation, "none")
        self.assertFalse(self.review.moderation_selected)
        # Applied to the school: its reviewer access is a setting the running cycle of the
        # school depends on.
        admin = self._make_user(
            "school_admin", groups=f"base.group_erp_manager,{GROUP % 'hr_manager'}"
        )
        wizard = self._wizard(preset, admin, company_id=self.school)
        self.assertIn(self.cycle.display_name, wizard.running_cycles)
        self.assertIn("Reviewer Access after Completion", wizard.running_cycles)
        wizard.confirm_running = True
        wizard.action_apply()
        self.assertEqual(self.school.performance_reviewer_access_months, 3)
