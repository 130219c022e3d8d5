from contextlib import closing, contextmanager
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user

# The day the security tests run on (a Wednesday in the spring term).
TODAY = "2026-01-14"

# Roles of the permission matrix: one real user each (see HrSchoolPerformanceSecurityCase).
REVIEWEE = "reviewee"
REVIEWER = "reviewer"
FORMER_REVIEWER = "former_reviewer"
COLLEAGUE = "colleague"
GRANTEE = "grantee"
HEAD_A = "headteacher_a"
HEAD_B = "headteacher_b"
HR_TRUST = "hr_officer_trust"
HR_B = "hr_officer_b"
HR_MANAGER = "hr_manager"
CPD_LEADER = "cpd_leader"
PAYROLL = "payroll"
GOVERNOR = "governor"
OBSERVER = "observer"
ROLES = (
    REVIEWEE,
    REVIEWER,
    FORMER_REVIEWER,
    COLLEAGUE,
    GRANTEE,
    HEAD_A,
    HEAD_B,
    HR_TRUST,
    HR_B,
    HR_MANAGER,
    CPD_LEADER,
    PAYROLL,
    GOVERNOR,
    OBSERVER,
)

GROUP = "hr_school_performance.hr_school_performance_group_%s"


class HrSchoolPerformanceSecurityCase(TransactionCase):
    """A trust with two schools and one user per role.

    School A: ``review`` (planning, the reviewee's current review) was first given to the
    former reviewer, then reassigned to the reviewer; the line manager holds a running access
    grant on it. ``review_done`` is the reviewee's completed review of the previous cycle,
    by the same reviewer. School B: ``review_b`` of another member of staff.
    """

    # Browser tests keep the real clock (sessions expire against it).
    freeze_today = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.freeze_today:
            cls.startClassPatcher(freeze_time(TODAY))
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        Company = cls.env["res.company"]
        cls.trust = Company.create({"name": "Meadow Academy Trust"})
        cls.school_a = Company.create({"name": "Ashgrove Primary", "parent_id": cls.trust.id})
        cls.school_b = Company.create({"name": "Birchfield Primary", "parent_id": cls.trust.id})
        cls.job = cls.env["hr.job"].create({"name": "Teaching Assistant", "company_id": False})
        cls.scale = cls.env.ref("hr_school_performance.hr_performance_scale_county")
        cls.level_exceeded = cls.env.ref(
            "hr_school_performance.hr_performance_scale_level_exceeded"
        )
        cls.level_progressing = cls.env.ref(
            "hr_school_performance.hr_performance_scale_level_progressing"
        )
        cls.job_group = cls.env["hr.performance.job.group"].create(
            {
                "name": "Support staff",
                "company_id": cls.trust.id,
                "job_ids": [(6, 0, cls.job.ids)],
                "scale_id": cls.scale.id,
                "max_objectives": 3,
            }
        )

        a, b, trust = cls.school_a, cls.school_b, cls.trust
        cls.users = {
            REVIEWEE: cls._user(REVIEWEE, a),
            REVIEWER: cls._user(REVIEWER, a),
            FORMER_REVIEWER: cls._user(FORMER_REVIEWER, a),
            COLLEAGUE: cls._user(COLLEAGUE, a),
            GRANTEE: cls._user(GRANTEE, a),
            HEAD_A: cls._user(HEAD_A, a, GROUP % "headteacher"),
            HEAD_B: cls._user(HEAD_B, b, GROUP % "headteacher"),
            HR_TRUST: cls._user(HR_TRUST, a, GROUP % "hr_officer", companies=a | b),
            HR_B: cls._user(HR_B, b, GROUP % "hr_officer"),
            HR_MANAGER: cls._user(HR_MANAGER, trust, GROUP % "hr_manager", companies=trust | a | b),
            CPD_LEADER: cls._user(CPD_LEADER, a, GROUP % "cpd_leader"),
            PAYROLL: cls._user(PAYROLL, a, GROUP % "payroll"),
            GOVERNOR: cls._user(GOVERNOR, a, GROUP % "governor"),
            OBSERVER: cls._user(OBSERVER, a, GROUP % "observer"),
        }
        cls.employees = {
            role: cls.env["hr.employee"].create(
                {
                    "name": role.replace("_", " ").title(),
                    "user_id": user.id,
                    "company_id": user.company_id.id,
                    "job_id": cls.job.id,
                }
            )
            for role, user in cls.users.items()
            if role not in (HR_MANAGER,)
        }
        cls.reviewee_b_employee = cls.env["hr.employee"].create(
            {"name": "Reviewee B", "company_id": b.id, "job_id": cls.job.id}
        )

        Cycle = cls.env["hr.performance.cycle"]
        cycle_vals = {"job_group_id": cls.job_group.id, "state": "open"}
        # Names given: the cycle computes its name after the insert, too late for NOT NULL.
        cls.cycle_a = Cycle.create(
            dict(
                cycle_vals,
                name="Support staff 2025–26, A",
                company_id=a.id,
                date_start=date(2025, 9, 1),
                date_end=date(2026, 8, 31),
            )
        )
        cls.cycle_a_previous = Cycle.create(
            dict(
                cycle_vals,
                name="Support staff 2024–25, A",
                company_id=a.id,
                date_start=date(2024, 9, 1),
                date_end=date(2025, 8, 31),
            )
        )
        cls.cycle_a_draft = Cycle.create(
            dict(
                cycle_vals,
                name="Support staff 2026–27, A",
                state="draft",
                company_id=a.id,
                date_start=date(2026, 9, 1),
                date_end=date(2027, 8, 31),
            )
        )
        cls.cycle_b = Cycle.create(
            dict(
                cycle_vals,
                name="Support staff 2025–26, B",
                company_id=b.id,
                date_start=date(2025, 9, 1),
                date_end=date(2026, 8, 31),
            )
        )

        Review = cls.env["hr.performance.review"]
        cls.review = Review.create(
            {
                "cycle_id": cls.cycle_a.id,
                "employee_id": cls.employees[REVIEWEE].id,
                "reviewer_id": cls.employees[FORMER_REVIEWER].id,
                "self_evaluation": "<p>I ran the phonics group all year.</p>",
                "pre_successes": "Phonics group",
                "reasonable_adjustments": "Hearing loop in meetings",
                "final_assessment": "<p>Not yet written.</p>",
                "meeting_date": datetime(2025, 9, 20, 9, 0),
            }
        )
        cls.objective = cls.env["hr.performance.objective"].create(
            {
                "review_id": cls.review.id,
                "name": "Run the Year 2 phonics intervention",
                "description": "Daily 20-minute sessions for eight pupils.",
                "success_criteria": "Six of eight pupils at the expected standard",
            }
        )
        # The former reviewer follows the review, then is replaced.
        cls.review.message_subscribe(partner_ids=cls.users[FORMER_REVIEWER].partner_id.ids)
        cls.review._schedule_next_activity()
        cls.review._reassign_reviewer(cls.employees[REVIEWER], "The line manager changed.")

        cls.review_done = Review.create(
            {
                "cycle_id": cls.cycle_a_previous.id,
                "employee_id": cls.employees[REVIEWEE].id,
                "reviewer_id": cls.employees[REVIEWER].id,
                "final_assessment": "<p>An excellent year.</p>",
                "outcome_level_id": cls.level_exceeded.id,
                "pay_criteria_met": "met",
                "current_pay_level": "Grade 4 point 7",
                "recommended_pay_level": "Grade 4 point 8",
            }
        )
        # The superuser writes the workflow fields directly (the buttons need a full cycle).
        cls.review_done.write({"state": "completed", "date_completed": date(2025, 8, 20)})

        cls.review_b = Review.create(
            {
                "cycle_id": cls.cycle_b.id,
                "employee_id": cls.reviewee_b_employee.id,
                "reviewer_id": cls.employees[HEAD_B].id,
                "final_assessment": "<p>School B content.</p>",
            }
        )

        cls.grant = (
            cls.env["hr.performance.access.grant"]
            .with_user(cls.users[HEAD_A])
            .create(
                {
                    "review_id": cls.review.id,
                    "user_id": cls.users[GRANTEE].id,
                    "purpose": "line_management",
                    "note": "Manages the reviewee's timetable.",
                    "date_from": date(2025, 9, 1),
                }
            )
            .with_user(cls.env.user)
        )
        cls.exclusion = cls.env["hr.performance.cycle.exclusion"].create(
            {
                "cycle_id": cls.cycle_a.id,
                "employee_id": cls.employees[COLLEAGUE].id,
                "reason": "probation",
            }
        )
        cls.group_objective = cls.env["hr.performance.group.objective"].create(
            {"name": "Calmer lunchtimes", "cycle_id": cls.cycle_a.id}
        )
        cls.sip_priority = cls.env["hr.performance.sip.priority"].create(
            {
                "name": "Early reading",
                "company_id": a.id,
                "date_start": date(2025, 9, 1),
                "date_end": date(2026, 8, 31),
            }
        )
        cls.spare_scale = cls.env["hr.performance.scale"].create({"name": "Spare scale"})
        cls.spare_level = cls.env["hr.performance.scale.level"].create(
            {"scale_id": cls.spare_scale.id, "name": "Spare level"}
        )
        cls.spare_job_group = cls.env["hr.performance.job.group"].create(
            {"name": "Spare group", "company_id": cls.trust.id, "job_ids": [(6, 0, cls.job.ids)]}
        )
        cls.reassign_wizard = (
            cls.env["hr.performance.review.reassign"]
            .with_user(cls.users[HEAD_A])
            .create(
                {
                    "review_id": cls.review.id,
                    "new_reviewer_id": cls.employees[COLLEAGUE].id,
                    "reason": "Workload",
                }
            )
            .with_user(cls.env.user)
        )
        cls.waive_wizard = (
            cls.env["hr.performance.deadline.waive"]
            .with_user(cls.users[HEAD_A])
            .create({"deadline_id": cls.review.deadline_ids[:1].id, "reason": "Agreed"})
            .with_user(cls.env.user)
        )
        cls.audit_wizard = (
            cls.env["hr.performance.training.audit"]
            .with_user(cls.users[HEAD_A])
            .create({"company_ids": [(6, 0, a.ids)]})
            .with_user(cls.env.user)
        )
        # One opening of the review by the headteacher, logged.
        cls.review.with_user(cls.users[HEAD_A]).read(["final_assessment"])
        cls.access_log = cls.env["hr.performance.access.log"].search(
            [("review_id", "=", cls.review.id)], limit=1
        )
        cls.pay_row = cls.env["hr.performance.pay.eligibility"].browse(cls.review_done.id)
        cls.observation = cls.env["hr.performance.observation"].create(
            {
                "review_id": cls.review.id,
                "observer_id": cls.employees[OBSERVER].id,
                "purpose": "Phonics group, Year 1",
                "duration_hours": 1.0,
            }
        )
        cls.closure = cls.env["hr.performance.school.closure"].create(
            {
                "name": "February half-term",
                "company_id": a.id,
                "date_from": date(2026, 2, 16),
                "date_to": date(2026, 2, 20),
            }
        )
        cls.training_need = cls.env["hr.performance.training.need"].create(
            {
                "name": "Makaton level 1",
                "need_type": "course",
                "review_id": cls.review_done.id,
                "action": "Two-day course in the autumn term",
            }
        )
        # Run the pre-commit hooks (tracking) as a commit would: later writes are tracked.
        cls.env.cr.flush()

    @classmethod
    def _user(cls, login, company, groups="base.group_user", companies=None):
        # Everyone may export, so that exports are refused by the record rules alone.
        return new_test_user(
            cls.env,
            login=f"hsp_{login}",
            name=login.replace("_", " ").title(),
            groups=f"{groups},base.group_allow_export",
            company_id=company.id,
            company_ids=[(6, 0, (companies or company).ids)],
        )

    def as_role(self, role, records):
        """``records`` seen by the role's user, with every school they are allowed in
        selected in the company switcher (their widest view)."""
        user = self.users[role]
        # The record cache is shared between users within a transaction (a request starts
        # with an empty one): drop what the superuser read while setting up.
        self.env.invalidate_all()
        return records.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)

    @contextmanager
    def assertRefused(self, exception, message):
        """``assertRaises`` (which rolls back what the refused call did, as the request would)
        plus a check of the message the user gets."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), message)

    def outcome(self, operation):
        """Run ``operation`` in a savepoint that is always rolled back and tell whether the
        ORM allowed it (True) or refused it with an AccessError (False). Any other error is
        a failure of the test: the matrix must only meet access decisions."""
        self.env.invalidate_all()
        with closing(self.env.cr.savepoint()):
            try:
                operation()
                self.env.flush_all()
            except AccessError:
                return False
        return True
