"""The one test world of the addon, which every test class builds on.

A trust with two schools, one real user per role of the permission matrix (with an employee
record where the role needs one), the schools' working calendar in London time with the bank
holidays of England and school A's closures, and the job groups. Reviews are made through
the workflow (launching a cycle, recording the meeting, the buttons as the users who press
them, the reviewer-change record), never by writing ``state``:

- ``_launched_review()`` launches the 2026–27 cycle of school A (once) and returns a review;
- a class that sets ``review_world = True`` also gets the reviews of the permission matrix
  (see ``_build_review_world``), built once per class.

Compare ``addons/hr_holidays/tests/common.py``.
"""

import io
import shutil
import subprocess
from contextlib import closing, contextmanager
from datetime import date, datetime, time, timedelta

import pytz
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tools.pdf import PdfFileReader

# The day the classes with ``freeze_today`` run on (a Wednesday in the spring term).
TODAY = "2026-01-14"

# Roles of the permission matrix: one real user each (``cls.users[role]``).
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


def pdf_text(pdf):
    """The text layer of a PDF, laid out as on the page (pdftotext, which make test
    installs), else as pypdf extracts it."""
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
    reader = PdfFileReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


GROUP = "hr_school_performance.hr_school_performance_group_%s"

LONDON = pytz.timezone("Europe/London")

# Bank holidays of England and Wales.
BANK_HOLIDAYS = (
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),
    date(2027, 1, 1),
    date(2027, 3, 26),
    date(2027, 3, 29),
    date(2027, 5, 3),
    date(2027, 5, 31),
    date(2027, 8, 30),
    date(2027, 12, 27),
    date(2027, 12, 28),
)
# School A's year 2026–27: (name, first day, last day, type).
CLOSURES = (
    ("INSET days", date(2026, 9, 1), date(2026, 9, 2), "no_pupils"),
    ("Autumn half-term", date(2026, 10, 26), date(2026, 10, 30), "closed"),
    ("INSET day", date(2026, 11, 2), date(2026, 11, 2), "no_pupils"),
    ("Christmas holiday", date(2026, 12, 21), date(2027, 1, 1), "closed"),
    ("INSET day", date(2027, 1, 4), date(2027, 1, 4), "no_pupils"),
    ("February half-term", date(2027, 2, 15), date(2027, 2, 19), "closed"),
    ("Easter holiday", date(2027, 3, 29), date(2027, 4, 9), "closed"),
    ("May half-term", date(2027, 5, 31), date(2027, 6, 4), "closed"),
    ("Summer holiday", date(2027, 7, 23), date(2027, 8, 31), "closed"),
)


# The workflow buttons in the order a review moves through them: (state reached, button).
WORKFLOW = (
    ("agreed", "action_agree_objectives"),
    ("in_progress", "action_start_monitoring"),
    ("final_review", "action_start_final_review"),
    ("completed", "action_complete"),
)


# Roles that must learn nothing of the reviewee's reviews in school A.
OUTSIDERS = (COLLEAGUE, FORMER_REVIEWER, HEAD_B, HR_B, CPD_LEADER, PAYROLL, GOVERNOR, OBSERVER)


def london(day, hour=10, minute=0):
    """A naive UTC datetime, as the ORM stores it, for a London wall-clock time."""
    local = LONDON.localize(datetime.combine(day, time(hour, minute)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


class HrSchoolPerformanceCase(TransactionCase):
    """The one test world (see the module docstring). No demo data is used.

    School A (``school``): the reviewee Tom (``ta_1``) and Tina (``ta_2``), teaching
    assistants managed by the reviewer Maria (``manager``); the headteacher Helen
    (``head``); Dan the deputy (``deputy``, no login) and Carl the cleaner (``cleaner``),
    who belong to no job group; every other role of school A holds a support-staff job.
    School B (``other_school``): its headteacher and its HR officer.
    """

    # A date string to run the whole class on (freezegun), or False for the real clock
    # (browser tests: sessions expire against it).
    freeze_today = False
    # Build the reviews of the permission matrix (``_build_review_world``).
    review_world = False
    # The scheduled action ``_run_cron`` runs: the daily deadline job.
    cron_xmlid = "hr_school_performance.ir_cron_performance_deadlines"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.freeze_today:
            cls.startClassPatcher(freeze_time(cls.freeze_today))
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        cls._build_schools()
        cls._build_people()
        cls._build_job_groups()
        if cls.review_world:
            cls._build_review_world()
        # Run the pre-commit hooks (tracking) as a commit would: later writes are tracked.
        cls.env.cr.flush()

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------
    @classmethod
    def _build_schools(cls):
        Company = cls.env["res.company"]
        cls.trust = Company.create({"name": "Test Learning Trust"})
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "School week", "tz": "Europe/London", "company_id": cls.trust.id}
        )
        cls.school = Company.create(
            {
                "name": "Test Primary School",
                "parent_id": cls.trust.id,
                "resource_calendar_id": cls.calendar.id,
                "email": "office@test-primary.example.com",
            }
        )
        cls.other_school = Company.create(
            {"name": "Test Secondary School", "parent_id": cls.trust.id}
        )
        cls.calendar.company_id = cls.school
        cls.env["resource.calendar.leaves"].create(
            [
                {
                    "name": f"Bank holiday {day}",
                    "calendar_id": cls.calendar.id,
                    "date_from": london(day, 0, 0),
                    "date_to": london(day, 23, 59),
                }
                for day in BANK_HOLIDAYS
            ]
        )
        cls.closures = cls.env["hr.performance.school.closure"].create(
            [
                {
                    "name": name,
                    "company_id": cls.school.id,
                    "date_from": first,
                    "date_to": last,
                    "closure_type": kind,
                }
                for name, first, last, kind in CLOSURES
            ]
        )

    @classmethod
    def _build_people(cls):
        a, b, trust = cls.school, cls.other_school, cls.trust
        named = {
            REVIEWER: ("Maria Manager", "maria@test-primary.example.com"),
            REVIEWEE: ("Tom Assistant", "tom@test-primary.example.com"),
            HEAD_A: ("Helen Head", "helen@test-primary.example.com"),
            HR_TRUST: ("Hr Officer Trust", "hr@test-trust.example.com"),
        }
        cls.users = {
            REVIEWEE: cls._user(REVIEWEE, a, named=named),
            REVIEWER: cls._user(REVIEWER, a, named=named),
            FORMER_REVIEWER: cls._user(FORMER_REVIEWER, a),
            COLLEAGUE: cls._user(COLLEAGUE, a),
            GRANTEE: cls._user(GRANTEE, a),
            HEAD_A: cls._user(HEAD_A, a, GROUP % "headteacher", named=named),
            HEAD_B: cls._user(HEAD_B, b, GROUP % "headteacher"),
            HR_TRUST: cls._user(HR_TRUST, a, GROUP % "hr_officer", trust | a | b, named=named),
            HR_B: cls._user(HR_B, b, GROUP % "hr_officer"),
            HR_MANAGER: cls._user(HR_MANAGER, trust, GROUP % "hr_manager", trust | a | b),
            CPD_LEADER: cls._user(CPD_LEADER, a, GROUP % "cpd_leader"),
            PAYROLL: cls._user(PAYROLL, a, GROUP % "payroll"),
            GOVERNOR: cls._user(GOVERNOR, a, GROUP % "governor"),
            OBSERVER: cls._user(OBSERVER, a, GROUP % "observer"),
        }
        cls.reviewee_user = cls.users[REVIEWEE]
        cls.reviewer_user = cls.users[REVIEWER]
        cls.headteacher_user = cls.users[HEAD_A]
        cls.hr_officer = cls.users[HR_TRUST]
        a.performance_headteacher_id = cls.headteacher_user

        Job = cls.env["hr.job"]
        cls.job_ta = Job.create({"name": "Teaching Assistant", "company_id": False})
        cls.job_cleaner = Job.create({"name": "Cleaner", "company_id": a.id})
        cls.job_support = Job.create({"name": "Learning Mentor", "company_id": False})

        Employee = cls.env["hr.employee"]
        cls.manager = Employee.create(
            {
                "name": "Maria Manager",
                "company_id": a.id,
                "user_id": cls.reviewer_user.id,
                "job_title": "Inclusion Manager",
            }
        )
        cls.head = Employee.create(
            {"name": "Helen Head", "company_id": a.id, "user_id": cls.headteacher_user.id}
        )
        cls.deputy = Employee.create({"name": "Dan Deputy", "company_id": a.id})
        cls.ta_1 = Employee.create(
            {
                "name": "Tom Assistant",
                "company_id": a.id,
                "job_id": cls.job_ta.id,
                "parent_id": cls.manager.id,
                "user_id": cls.reviewee_user.id,
            }
        )
        cls.ta_2 = Employee.create(
            {
                "name": "Tina Assistant",
                "company_id": a.id,
                "job_id": cls.job_ta.id,
                "parent_id": cls.manager.id,
                "work_email": "tina@test-primary.example.com",
            }
        )
        cls.cleaner = Employee.create(
            {"name": "Carl Cleaner", "company_id": a.id, "job_id": cls.job_cleaner.id}
        )
        cls.employees = {REVIEWEE: cls.ta_1, REVIEWER: cls.manager, HEAD_A: cls.head}
        others = [role for role in ROLES if role not in cls.employees and role != HR_MANAGER]
        for role, employee in zip(
            others,
            Employee.create(
                [
                    {
                        "name": cls.users[role].name,
                        "user_id": cls.users[role].id,
                        "company_id": cls.users[role].company_id.id,
                        "job_id": cls.job_support.id,
                    }
                    for role in others
                ]
            ),
            strict=True,
        ):
            cls.employees[role] = employee

    @classmethod
    def _build_job_groups(cls):
        Group = cls.env["hr.performance.job.group"]
        cls.scale = cls.env.ref("hr_school_performance.hr_performance_scale_county")
        cls.level_exceeded = cls.env.ref(
            "hr_school_performance.hr_performance_scale_level_exceeded"
        )
        cls.level_progressing = cls.env.ref(
            "hr_school_performance.hr_performance_scale_level_progressing"
        )
        cls.job_group = Group.create(
            {
                "name": "Teaching Assistants",
                "company_id": cls.trust.id,
                "job_ids": [Command.link(cls.job_ta.id)],
                "scale_id": cls.scale.id,
                "cycle_start_month": "9",
                "cycle_start_day": 1,
                "midyear_offset_months": 5,
                "max_objectives": 3,
            }
        )
        # The other roles' jobs: members of a group, so not reported as "in no group".
        cls.support_group = Group.create(
            {
                "name": "Support staff",
                "company_id": cls.trust.id,
                "job_ids": [Command.link(cls.job_support.id)],
            }
        )

    @classmethod
    def _build_review_world(cls):
        """The reviews of the permission matrix, made through the workflow.

        School A: ``review`` (planning, the reviewee's current review, 2025–26) was first
        given to the former reviewer, then changed to the reviewer through the
        reviewer-change record; the grantee holds a running access grant on it.
        ``review_done`` is the reviewee's completed review of 2024–25, by the reviewer.
        School B: ``review_b`` of another member of staff. Tina is on capability for these
        past cycles, so the reviewer reviews only the reviewee.
        """
        a, b = cls.school, cls.other_school
        hr, head = cls.hr_officer, cls.headteacher_user
        cls.ta_2.performance_capability = True
        with freeze_time("2024-09-02 08:00"):
            cls.cycle_a_previous = cls._create_cycle(start=date(2024, 9, 1), end=date(2025, 8, 31))
            cls.review_done = cls.cycle_a_previous.with_user(hr).action_launch()
        reviewer_done = cls.review_done.with_user(cls.reviewer_user)
        with freeze_time("2024-09-20 09:00"):
            cls.review_done.write(
                {
                    "meeting_date": datetime(2024, 9, 20, 9, 0),
                    "current_pay_level": "Grade 4 point 7",
                    "recommended_pay_level": "Grade 4 point 8",
                }
            )
            done_objective = cls.env["hr.performance.objective"].create(
                {"review_id": cls.review_done.id, "name": "Lead the Makaton signing club"}
            )
            reviewer_done.action_agree_objectives()
            cls._excuse_statement(cls.review_done)
            reviewer_done.action_start_monitoring()
        with freeze_time("2025-08-20 09:00"):
            reviewer_done.action_start_final_review()
            done_objective.assessment_level_id = cls.level_exceeded
            cls.review_done.write(
                {
                    "final_assessment": "<p>An excellent year.</p>",
                    "outcome_level_id": cls.level_exceeded.id,
                    "pay_criteria_met": "met",
                }
            )
            reviewer_done.action_complete()
            # End the request: what the completion computes (its date) is computed today.
            cls.env.flush_all()

        cls.ta_1.parent_id = cls.employees[FORMER_REVIEWER]
        with freeze_time("2025-09-01 08:00"):
            cls.cycle_a = cls._create_cycle(start=date(2025, 9, 1), end=date(2026, 8, 31))
            cls.review = cls.cycle_a.with_user(hr).action_launch()
            cls.cycle_b = cls._create_cycle(school=b, start=date(2025, 9, 1), end=date(2026, 8, 31))
            cls.cycle_b.with_user(hr).action_launch()
        # School B's teaching assistant joined after the launch; its HR officer adds his
        # review by hand (no activity, no follower: nothing of it reaches school A).
        cls.reviewee_b_employee = cls.env["hr.employee"].create(
            {
                "name": "Reviewee B",
                "company_id": b.id,
                "job_id": cls.job_ta.id,
                "parent_id": cls.employees[HEAD_B].id,
            }
        )
        cls.review_b = cls._create_as(
            cls.users[HR_B],
            "hr.performance.review",
            {
                "cycle_id": cls.cycle_b.id,
                "employee_id": cls.reviewee_b_employee.id,
                "reviewer_id": cls.employees[HEAD_B].id,
            },
        )
        cls.ta_1.parent_id = cls.manager
        cls.ta_2.performance_capability = False
        cls.cycle_a_draft = cls._create_cycle()
        cls.review.write(
            {
                "self_evaluation": "<p>I ran the phonics group all year.</p>",
                "pre_successes": "Phonics group",
                "reasonable_adjustments": "Hearing loop in meetings",
                "final_assessment": "<p>Not yet written.</p>",
                "meeting_date": datetime(2025, 9, 20, 9, 0),
            }
        )
        cls.review_b.final_assessment = "<p>School B content.</p>"
        cls.objective = cls.env["hr.performance.objective"].create(
            {
                "review_id": cls.review.id,
                "name": "Run the Year 2 phonics intervention",
                "description": "Daily 20-minute sessions for eight pupils.",
                "success_criteria": "Six of eight pupils at the expected standard",
            }
        )
        # The former reviewer follows the review, then is replaced by the headteacher.
        cls.review.message_subscribe(partner_ids=cls.users[FORMER_REVIEWER].partner_id.ids)
        cls.review.with_user(head)._reassign_reviewer(
            cls.employees[REVIEWER], "The line manager changed."
        )

        cls.grant = cls._create_as(
            head,
            "hr.performance.access.grant",
            {
                "review_id": cls.review.id,
                "user_id": cls.users[GRANTEE].id,
                "purpose": "line_management",
                "note": "Manages the reviewee's timetable.",
                "date_from": date(2025, 9, 1),
            },
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
            {
                "name": "Spare group",
                "company_id": cls.trust.id,
                "job_ids": [Command.set(cls.job_ta.ids)],
            }
        )
        cls.reassign_wizard = cls._create_as(
            head,
            "hr.performance.review.reassign",
            {
                "review_id": cls.review.id,
                "new_reviewer_id": cls.employees[COLLEAGUE].id,
                "reason": "Workload",
            },
        )
        cls.waive_wizard = cls._create_as(
            head,
            "hr.performance.deadline.waive",
            {"deadline_id": cls.review.deadline_ids[:1].id, "reason": "Agreed"},
        )
        cls.audit_wizard = cls._create_as(
            head,
            "hr.performance.training.audit",
            {"company_ids": [Command.set(a.ids)]},
        )
        # One opening of the review by the headteacher, logged.
        cls.review.with_user(head).read(["final_assessment"])
        cls.access_log = cls.env["hr.performance.access.log"].search(
            [("review_id", "=", cls.review.id)], limit=1
        )
        # School A moderated none of the 2024-25 statements: that outcome is final.
        cls._record_moderation(cls.cycle_a_previous, "none")
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

    @classmethod
    def _create_as(cls, user, model, vals):
        """Create a record of ``model`` as ``user`` would, and return it in the superuser's
        environment."""
        return cls.env[model].with_user(user).create(vals).with_env(cls.env)

    @classmethod
    def _user(cls, role, company, groups="base.group_user", companies=None, named=None):
        """The user of ``role``. Everyone may export, so that exports are refused by the
        record rules alone."""
        name, email = (named or {}).get(
            role, (role.replace("_", " ").title(), f"{role}@test-trust.example.com")
        )
        return new_test_user(
            cls.env,
            login=f"hsp.{role}",
            name=name,
            email=email,
            groups=f"{groups},base.group_allow_export",
            company_id=company.id,
            company_ids=[Command.set((companies or company).ids)],
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @classmethod
    def _create_cycle(cls, group=None, school=None, start=date(2026, 9, 1), end=date(2027, 8, 31)):
        return cls.env["hr.performance.cycle"].create(
            {
                "job_group_id": (group or cls.job_group).id,
                "company_id": (school or cls.school).id,
                "date_start": start,
                "date_end": end,
            }
        )

    @classmethod
    def _launch(cls, cycle):
        """Launch ``cycle`` as the trust's HR officer, the way the button does."""
        return cycle.with_user(cls.hr_officer).action_launch()

    @classmethod
    def _group_with_staff(cls, name, headcount, start=date(2026, 9, 1)):
        """A job group of school A with ``headcount`` members (see ``_add_staff``), whose
        cycles start on the day and month of ``start``, and its draft cycle from ``start``."""
        job = cls.env["hr.job"].create({"name": name, "company_id": cls.school.id})
        group = cls.env["hr.performance.job.group"].create(
            {
                "name": name,
                "company_id": cls.school.id,
                "job_ids": [Command.link(job.id)],
                "cycle_start_month": str(start.month),
                "cycle_start_day": start.day,
            }
        )
        cls._add_staff(group, headcount)
        end = start.replace(year=start.year + 1) - timedelta(days=1)
        return cls._create_cycle(group=group, start=start, end=end)

    @classmethod
    def _add_staff(cls, group, headcount):
        """``headcount`` new members of ``group``'s job, managed in turn by the reviewer and
        the headteacher."""
        job = group.job_ids
        known = cls.env["hr.employee"].search_count([("job_id", "=", job.id)])
        managers = cls.manager | cls.head
        return cls.env["hr.employee"].create(
            [
                {
                    "name": f"{group.name} {index}",
                    "company_id": cls.school.id,
                    "job_id": job.id,
                    "parent_id": managers[index % 2].id,
                }
                for index in range(known, known + headcount)
            ]
        )

    @classmethod
    def _record_moderation(cls, cycle, mode, **vals):
        """The headteacher's moderation of ``cycle``: ``mode`` all, sample or none."""
        moderation = cls._create_as(
            cls.headteacher_user,
            "hr.performance.moderation",
            {"cycle_id": cycle.id, "mode": mode, **vals},
        )
        # What depends on it (outcome_final) is read by SQL views: store it now.
        cls.env.flush_all()
        return moderation

    @classmethod
    def _make_user(cls, login, groups="base.group_user", company=None, name=None):
        """A user with no role in the world (a stranger, a newly appointed reviewer)."""
        company = company or cls.school
        return new_test_user(
            cls.env,
            login=login,
            name=name or login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            email=f"{login}@test-primary.example.com",
        )

    @classmethod
    def _build_pay_scale(cls):
        """The trust's pay spine: Grade 4 with points 7-9 (``point_7`` ... ``point_9``) and
        Grade 5 with point 18 (``point_18``)."""
        cls.pay_scale = cls.env["hr.performance.pay.scale"].create(
            {
                "name": "NJC pay spine",
                "company_id": cls.trust.id,
                "grade_ids": [
                    Command.create({"name": "Grade 4", "sequence": 4}),
                    Command.create({"name": "Grade 5", "sequence": 5}),
                ],
            }
        )
        grade_4, grade_5 = cls.pay_scale.grade_ids
        Point = cls.env["hr.performance.pay.point"]
        cls.point_7, cls.point_8, cls.point_9 = Point.create(
            [{"grade_id": grade_4.id, "name": str(point), "sequence": point} for point in (7, 8, 9)]
        )
        cls.point_18 = Point.create({"grade_id": grade_5.id, "name": "18", "sequence": 18})
        return cls.pay_scale

    @classmethod
    def _launched_review(cls, employee=None, start=date(2026, 9, 1)):
        """Launch the fixture cycle (once) and return the review of ``employee``."""
        cycle = cls.env["hr.performance.cycle"].search(
            [
                ("job_group_id", "=", cls.job_group.id),
                ("company_id", "=", cls.school.id),
                ("date_start", "=", start),
            ]
        )
        if not cycle:
            cycle = cls._create_cycle(start=start, end=start + timedelta(days=364))
        if cycle.state == "draft":
            cls._launch(cycle)
        return cycle.review_ids.filtered(lambda r: r.employee_id == (employee or cls.ta_1))

    @classmethod
    def _launch_team(cls, meeting=None):
        """Launch the 2026–27 cycle of school A (``cycle``) on 1 September 2026 and keep
        Tom's and Tina's reviews (``review``, ``review_tina``); with a ``meeting`` day, the
        reviewer books Tom's planning meeting for it on 1 October (``event``)."""
        with freeze_time("2026-09-01 08:00"):
            cls.review = cls._launched_review(cls.ta_1)
            cls.review_tina = cls._launched_review(cls.ta_2)
        cls.cycle = cls.review.cycle_id
        if meeting:
            with freeze_time("2026-10-01 09:00"):
                cls.event = cls._book(cls.review, london(meeting))

    def _run_cron(self):
        """Run the scheduled action ``cron_xmlid`` the way the scheduler does."""
        with self.enter_registry_test_mode():
            self.env.ref(self.cron_xmlid).method_direct_trigger()
        self.env.invalidate_all()

    @classmethod
    def _prepare_for(cls, review, state):
        """Give ``review`` what leaving ``state`` asks for (content, written as the
        superuser): a planning meeting and an objective to agree, an assessment of each
        objective and an overall one to complete."""
        achieved = cls.env.ref("hr_school_performance.hr_performance_scale_level_achieved")
        if state == "planning":
            review.write(
                {
                    "meeting_date": datetime(2026, 9, 15, 10, 0),
                    "objective_ids": [Command.create({"name": "Run the phonics group"})],
                }
            )
        elif state == "final_review":
            review.objective_ids.assessment_level_id = achieved
            review.outcome_level_id = achieved

    @classmethod
    def _advance(cls, review, state, user=None):
        """Move ``review`` on to ``state`` with the workflow buttons, pressed by ``user`` (by
        default its reviewer), as the users do: never by writing ``state``. The review must
        hold what each step asks for (see ``_prepare_for``)."""
        actor = review.with_user(user or review.reviewer_user_id)
        if state == "cancelled":
            actor.action_cancel()
            return
        states = ["planning", *(target for target, _button in WORKFLOW)]
        for _target, button in WORKFLOW[states.index(review.state) : states.index(state)]:
            if button == "action_start_monitoring":
                cls._excuse_statement(review)
            getattr(actor, button)()

    @classmethod
    def _excuse_statement(cls, reviews):
        """Let ``reviews`` move on to monitoring without a signed statement: the
        headteacher's recorded exception (the statement's own path, and the gate itself,
        are driven in test_statement.py)."""
        waiting = reviews.filtered(
            lambda r: r._statement_gate_applies() and not r.statement_exception_reason
        )
        if waiting:
            waiting.sudo().action_record_statement_exception("The statement was signed on paper.")

    def _deadline(self, review, kind, observation=None):
        return review.deadline_ids.filtered(
            lambda d: d.kind == kind and d.observation_id == (observation or d.observation_id)
        )

    @classmethod
    def _book(cls, review, when, kind="planning", user=None, **extra):
        """Book a performance meeting the way the review form does: the calendar with the
        review's defaults, as the reviewer."""
        user = user or cls.reviewer_user
        action = (
            review.with_user(user).with_context(performance_meeting_kind=kind).action_book_meeting()
        )
        context = {
            key: value for key, value in action["context"].items() if key.startswith("default_")
        }
        vals = {"start": when, "stop": when + timedelta(hours=1), **extra}
        return cls.env["calendar.event"].with_user(user).with_context(**context).create(vals)

    def _login(self, role):
        """Sign the browser in as the role's user (classes that mix in ``HttpCase``; the
        password is the login)."""
        login = self.users[role].login
        self.authenticate(login, login)

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

    def assertStored(self, record, fname, expected):
        """Assert what the database holds, not the cache: a refused write is rolled back
        to its savepoint, but values it put in the cache stay there."""
        self.env.invalidate_all()
        self.assertEqual(record[fname], expected)
