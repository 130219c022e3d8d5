from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import (
    COLLEAGUE,
    CPD_LEADER,
    GOVERNOR,
    GRANTEE,
    HEAD_A,
    HEAD_B,
    HR_B,
    HR_MANAGER,
    HR_TRUST,
    OBSERVER,
    PAYROLL,
    REVIEWEE,
    REVIEWER,
    ROLES,
    TODAY,
    HrSchoolPerformanceCase,
)

R, W, C, U = "read", "write", "create", "unlink"

EVERYONE = set(ROLES)
SCHOOL_B_ONLY = {HEAD_B, HR_B}
IN_SCHOOL_A = EVERYONE - SCHOOL_B_ONLY
MANAGER = {HR_MANAGER}
HR_A = {HR_TRUST, HR_MANAGER}
HEAD_OR_HR_A = {HEAD_A} | HR_A
REVIEW_READERS = {REVIEWEE, REVIEWER, GRANTEE} | HEAD_OR_HR_A
REVIEW_WRITERS = {REVIEWEE, REVIEWER} | HEAD_OR_HR_A
NOBODY = set()

# Who may do what on a record of school A (every role not listed is refused). The targets:
# the reviewee's current review (planning) and what belongs to it, configuration of the
# trust and of school A, and the rows of the reviewee's completed review in the read-only
# views for payroll, governors and the CPD leader.
EXPECTED = {
    "hr.performance.scale": {R: EVERYONE, W: MANAGER, C: MANAGER, U: MANAGER},
    "hr.performance.scale.level": {R: EVERYONE, W: MANAGER, C: MANAGER, U: MANAGER},
    # A trust-wide group: HR officers write the groups of the companies they are allowed in,
    # so only HR with the trust among them (the trust's HR officer and the HR manager, not
    # school B's HR officer).
    "hr.performance.job.group": {R: EVERYONE, W: HR_A, C: HR_A, U: HR_A},
    # The deadline rules of that trust-wide group: configured as the group is.
    "hr.performance.deadline.rule": {R: EVERYONE, W: HR_A, C: HR_A, U: HR_A},
    "hr.performance.sip.priority": {
        R: IN_SCHOOL_A,
        W: HEAD_OR_HR_A,
        C: HEAD_OR_HR_A,
        U: HEAD_OR_HR_A,
    },
    "hr.performance.cycle": {R: IN_SCHOOL_A, W: HR_A, C: HR_A, U: HR_A},
    "hr.performance.cycle.exclusion": {R: HEAD_OR_HR_A, W: HR_A, C: HR_A, U: HR_A},
    "hr.performance.group.objective": {
        R: IN_SCHOOL_A,
        W: HEAD_OR_HR_A,
        C: HEAD_OR_HR_A,
        U: HEAD_OR_HR_A,
    },
    "hr.performance.review": {R: REVIEW_READERS, W: REVIEW_WRITERS, C: HEAD_OR_HR_A, U: HR_A},
    "hr.performance.objective": {
        R: REVIEW_READERS,
        W: REVIEW_WRITERS,
        C: {REVIEWER} | HEAD_OR_HR_A,
        U: {REVIEWER} | HEAD_OR_HR_A,
    },
    "hr.performance.reviewer.change": {R: REVIEW_READERS, W: NOBODY, C: HEAD_OR_HR_A, U: NOBODY},
    "hr.performance.review.reassign": {R: {HEAD_A}, W: {HEAD_A}, C: HEAD_OR_HR_A, U: NOBODY},
    "hr.performance.access.grant": {
        R: {REVIEWEE, GRANTEE} | HEAD_OR_HR_A,
        W: HEAD_OR_HR_A,
        C: HEAD_OR_HR_A,
        U: NOBODY,
    },
    "hr.performance.access.log": {R: {REVIEWEE} | HR_A, W: NOBODY, C: NOBODY, U: NOBODY},
    "hr.performance.pay.eligibility": {
        R: {PAYROLL, GOVERNOR} | HEAD_OR_HR_A,
        W: NOBODY,
        C: NOBODY,
        U: NOBODY,
    },
    "hr.performance.school.closure": {
        R: IN_SCHOOL_A,
        W: HEAD_OR_HR_A,
        C: HEAD_OR_HR_A,
        U: HEAD_OR_HR_A,
    },
    "hr.performance.deadline": {
        R: {REVIEWEE, REVIEWER} | HEAD_OR_HR_A,
        W: NOBODY,
        C: NOBODY,
        U: NOBODY,
    },
    "hr.performance.deadline.waive": {R: {HEAD_A}, W: {HEAD_A}, C: HEAD_OR_HR_A, U: NOBODY},
    "hr.performance.observation": {
        R: {REVIEWEE, REVIEWER, OBSERVER} | HEAD_OR_HR_A,
        W: {REVIEWEE, REVIEWER, OBSERVER} | HEAD_OR_HR_A,
        C: {REVIEWER} | HEAD_OR_HR_A,
        U: HEAD_OR_HR_A,
    },
    # The reviewee's needs, of their completed review: they and their reviewer follow them up
    # (impact); the CPD leader reads them; only the reviewee, reviewer or head/HR record one.
    "hr.performance.training.need": {
        R: {REVIEWEE, REVIEWER, CPD_LEADER} | HEAD_OR_HR_A,
        W: {REVIEWEE, REVIEWER} | HEAD_OR_HR_A,
        C: {REVIEWEE, REVIEWER} | HEAD_OR_HR_A,
        U: HEAD_OR_HR_A,
    },
    "hr.performance.training.audit": {R: {HEAD_A}, W: {HEAD_A}, C: IN_SCHOOL_A, U: NOBODY},
    # Retention: HR place and release legal holds; the disposal log is the system's.
    "hr.performance.legal.hold": {R: HR_A, W: HR_A, C: HR_A, U: NOBODY},
    "hr.performance.disposal.log": {R: MANAGER, W: NOBODY, C: NOBODY, U: NOBODY},
    # School A's governors' report: its governors read it; the headteacher and HR prepare it.
    "hr.performance.governor.report": {
        R: {GOVERNOR} | HEAD_OR_HR_A,
        W: HEAD_OR_HR_A,
        C: HEAD_OR_HR_A,
        U: NOBODY,
    },
    "hr.performance.governor.report.line": {
        R: {GOVERNOR} | HEAD_OR_HR_A,
        W: HEAD_OR_HR_A,
        C: HEAD_OR_HR_A,
        U: HEAD_OR_HR_A,
    },
}


@tagged("post_install", "-at_install")
class TestPermissionMatrix(HrSchoolPerformanceCase):
    """Every role × every model of the addon × read/write/create/unlink, run as real users.
    Each cell is a subTest; the cells are generated from EXPECTED."""

    freeze_today = TODAY
    review_world = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A review with content is kept (six years) whoever asks: the unlink cell deletes an
        # empty review created by mistake, which HR may still delete.
        cls.review_empty = cls.env["hr.performance.review"].create(
            {"cycle_id": cls.cycle_a.id, "employee_id": cls.employees[GRANTEE].id}
        )

        # The needs of a completed review are kept for the retention period: the unlink cell
        # deletes one of the open review.
        cls.need_open = cls.env["hr.performance.training.need"].create(
            {"review_id": cls.review.id, "name": "Open need"}
        )
        cls.legal_hold = cls.env["hr.performance.legal.hold"].create(
            {
                "name": "SAR 1",
                "reason_kind": "sar",
                "company_id": cls.school.id,
                "review_ids": [(6, 0, cls.review.ids)],
            }
        )
        cls.disposal_log = (
            cls.env["hr.performance.disposal.log"]
            .sudo()
            .create(
                {
                    "res_model": "hr.performance.review",
                    "record_kind": "Performance review",
                    "res_id": 1,
                    "company_id": cls.school.id,
                    "method": "deleted",
                    "rule": "Test",
                }
            )
            .sudo(False)
        )
        cls.governor_report = cls.env["hr.performance.governor.report"].create(
            {"company_id": cls.school.id, "report_type": "governors", "year_start": 2025}
        )
        cls.governor_report.action_compute()

    def _unlink_target(self, model, record):
        if model == "hr.performance.training.need":
            return self.need_open
        return self.review_empty if model == "hr.performance.review" else record

    def _targets(self):
        """Per model: the record read, written and deleted, the field read, the values
        written and the values of a new record."""
        a = self.school
        review_vals = {"cycle_id": self.cycle_a.id, "employee_id": self.employees[COLLEAGUE].id}
        return {
            "hr.performance.scale": (
                self.spare_scale,
                "name",
                {"description": "Updated"},
                {"name": "New"},
            ),
            "hr.performance.scale.level": (
                self.spare_level,
                "name",
                {"description": "Updated"},
                {"scale_id": self.spare_scale.id, "name": "New"},
            ),
            "hr.performance.job.group": (
                self.spare_job_group,
                "name",
                {"sequence": 5},
                {"name": "New", "company_id": self.trust.id, "job_ids": [(6, 0, self.job_ta.ids)]},
            ),
            "hr.performance.deadline.rule": (
                self.spare_job_group.deadline_rule_ids[:1],
                "name",
                {"days": 3},
                {
                    "job_group_id": self.spare_job_group.id,
                    "code": "new",
                    "name": "New",
                    "event": "planning_meeting",
                    "days": 3,
                    "done_event": "draft_sent",
                },
            ),
            "hr.performance.sip.priority": (
                self.sip_priority,
                "name",
                {"description": "Updated"},
                {
                    "name": "New",
                    "company_id": a.id,
                    "date_start": date(2025, 9, 1),
                    "date_end": date(2026, 8, 31),
                },
            ),
            "hr.performance.cycle": (
                self.cycle_a_draft,
                "name",
                {"name": "Renamed"},
                {
                    "name": "New",
                    "job_group_id": self.job_group.id,
                    "company_id": a.id,
                    "date_start": date(2027, 9, 1),
                    "date_end": date(2028, 8, 31),
                },
            ),
            "hr.performance.cycle.exclusion": (
                self.exclusion,
                "reason",
                {"date_until": date(2026, 3, 1)},
                {
                    "cycle_id": self.cycle_a.id,
                    "employee_id": self.employees[GRANTEE].id,
                    "reason": "no_group",
                },
            ),
            "hr.performance.group.objective": (
                self.group_objective,
                "name",
                {"description": "Updated"},
                {"name": "New", "cycle_id": self.cycle_a.id},
            ),
            "hr.performance.review": (
                self.review,
                "final_assessment",
                {"disagreement_note": "Updated"},
                review_vals,
            ),
            "hr.performance.objective": (
                self.objective,
                "success_criteria",
                {"disagreement_note": "Updated"},
                {"review_id": self.review.id, "name": "New"},
            ),
            "hr.performance.reviewer.change": (
                self.review.reviewer_change_ids[:1],
                "reason",
                {"reason": "Updated"},
                {
                    "review_id": self.review.id,
                    # Creating the record changes the reviewer: to someone else.
                    "new_reviewer_id": self.employees[GRANTEE].id,
                    "reason": "New",
                },
            ),
            "hr.performance.review.reassign": (
                self.reassign_wizard,
                "reason",
                {"reason": "Updated"},
                {
                    "review_id": self.review.id,
                    "new_reviewer_id": self.employees[COLLEAGUE].id,
                    "reason": "New",
                },
            ),
            "hr.performance.access.grant": (
                self.grant,
                "purpose",
                {"date_to": date(2026, 7, 31)},
                {
                    "review_id": self.review.id,
                    "user_id": self.users[COLLEAGUE].id,
                    "purpose": "appeal",
                    "date_from": date(2026, 1, 14),
                },
            ),
            "hr.performance.access.log": (
                self.access_log,
                "access_type",
                {"access_type": "export"},
                {
                    "review_id": self.review.id,
                    "user_id": self.users[COLLEAGUE].id,
                    "access_type": "open",
                    "res_model": "hr.performance.review",
                    "res_id": self.review.id,
                },
            ),
            "hr.performance.pay.eligibility": (
                self.pay_row,
                "outcome_level_id",
                {"recommended_pay_level": "Grade 9"},
                {"employee_id": self.employees[REVIEWEE].id},
            ),
            "hr.performance.school.closure": (
                self.closure,
                "name",
                {"note": "Updated"},
                {
                    "name": "New",
                    "company_id": a.id,
                    "date_from": date(2026, 5, 25),
                    "date_to": date(2026, 5, 29),
                },
            ),
            "hr.performance.deadline": (
                self.review.deadline_ids[:1],
                "date_due",
                {"date_due": date(2026, 3, 2)},
                {"review_id": self.review.id, "kind": "planning_meeting"},
            ),
            "hr.performance.deadline.waive": (
                self.waive_wizard,
                "reason",
                {"reason": "Updated"},
                {"deadline_id": self.review.deadline_ids[:1].id, "reason": "New"},
            ),
            "hr.performance.observation": (
                self.observation,
                "purpose",
                {"reviewee_comments": "Updated"},
                {"review_id": self.review.id, "observer_id": self.employees[OBSERVER].id},
            ),
            "hr.performance.training.need": (
                self.training_need,
                "action",
                {"impact": "Updated"},
                {"review_id": self.review.id, "name": "New"},
            ),
            "hr.performance.training.audit": (
                self.audit_wizard,
                "include_done",
                {"include_done": False},
                {"company_ids": [(6, 0, a.ids)]},
            ),
            "hr.performance.legal.hold": (
                self.legal_hold,
                "name",
                {"name": "SAR 1 (renamed)"},
                {
                    "name": "New",
                    "reason_kind": "sar",
                    "company_id": a.id,
                    "review_ids": [(6, 0, self.review.ids)],
                },
            ),
            "hr.performance.disposal.log": (
                self.disposal_log,
                "rule",
                {"rule": "Changed"},
                {
                    "res_model": "x",
                    "record_kind": "x",
                    "res_id": 1,
                    "method": "deleted",
                    "rule": "x",
                },
            ),
            "hr.performance.governor.report": (
                self.governor_report,
                "name",
                {"threshold": 5},
                {"company_id": a.id, "report_type": "governors", "year_start": 2023},
            ),
            "hr.performance.governor.report.line": (
                self.governor_report.line_ids[:1],
                "value",
                {"note": "Checked"},
                {"report_id": self.governor_report.id, "table_key": "x", "table_title": "X"},
            ),
        }

    def _check_read(self, record, field):
        found = record.search_count([("id", "=", record.id)])
        try:
            record.read([field])
        except Exception:
            # The ORM must agree with itself: a record found is readable, and conversely.
            self.assertFalse(found, "A record found by search must be readable")
            raise
        self.assertTrue(found, "A readable record must be found by search")

    def test_permission_matrix(self):
        targets = self._targets()
        self.assertEqual(set(targets), set(EXPECTED), "Every model of the addon is in the matrix")
        for model, (record, field, write_vals, create_vals) in targets.items():
            self.assertTrue(record.exists(), f"The matrix needs a {model} record")
            operations = {
                R: lambda rec, f=field: self._check_read(rec, f),
                W: lambda rec, v=write_vals: rec.write(v),
                C: lambda rec, v=create_vals: rec.browse().create(v),
                U: lambda rec, m=model: self._unlink_target(m, rec).with_env(rec.env).unlink(),
            }
            for operation, allowed in EXPECTED[model].items():
                for role in ROLES:
                    with self.subTest(model=model, operation=operation, role=role):
                        as_role = self.as_role(role, record)
                        result = self.outcome(lambda op=operations[operation], r=as_role: op(r))
                        self.assertEqual(
                            result,
                            role in allowed,
                            f"{role} {'may' if role in allowed else 'may not'} {operation} {model}",
                        )

    def test_matrix_covers_every_model(self):
        """A new model of the addon must enter the matrix (the lead adds observations, training
        needs and meetings at merge)."""
        models = {
            model.model
            for model in self.env["ir.model"].search([])
            if model.modules
            and "hr_school_performance" in model.modules.split(", ")
            and not self.env[model.model]._abstract
            and model.model.startswith("hr.performance.")
        }
        self.assertEqual(models, set(EXPECTED))

    def test_hr_officers_configure_their_schools_job_groups(self):
        """An HR officer of school B configures school B's job groups, not the trust's."""
        Group = self.as_role(HR_B, self.env["hr.performance.job.group"])
        group = Group.create(
            {
                "name": "Birchfield site staff",
                "company_id": self.other_school.id,
                "job_ids": self.job_ta.ids,
            }
        )
        group.max_objectives = 5
        self.assertEqual(group.max_objectives, 5)
        with self.assertRaises(AccessError):
            Group.create(
                {"name": "Trust-wide", "company_id": self.trust.id, "job_ids": self.job_ta.ids}
            )
        with self.assertRaises(AccessError):
            self.as_role(HR_B, self.spare_job_group).write({"max_objectives": 1})
        self.assertNotEqual(self.spare_job_group.max_objectives, 1)
