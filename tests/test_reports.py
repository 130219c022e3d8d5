import io
import json
from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from .common import (
    COLLEAGUE,
    CPD_LEADER,
    HEAD_A,
    HEAD_B,
    HR_TRUST,
    OBSERVER,
    REVIEWEE,
    REVIEWER,
    TODAY,
    HrSchoolPerformanceCase,
    pdf_text,
)

PREFIX = "hr_school_performance."
MEMO = PREFIX + "report_invitation_memo"
PRE_REVIEW = PREFIX + "report_pre_review"
SELF_EVALUATION = PREFIX + "report_self_evaluation"
MIDYEAR = PREFIX + "report_midyear"
TRAINING = PREFIX + "report_training_needs"
OBSERVATION = PREFIX + "report_observation"
REVIEW_REPORTS = (MEMO, PRE_REVIEW, SELF_EVALUATION, MIDYEAR, TRAINING)
PAYLOAD = "<script>alert(1)</script><b>x</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"


class ReportsCase(HrSchoolPerformanceCase):
    """The review of the security fixture, filled in as the policy forms ask."""

    freeze_today = TODAY
    review_world = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employees[REVIEWEE].job_title = "Teaching Assistant"
        cls.review.write(
            {
                "meeting_location": "the library",
                "pre_successes": "Phonics group",
                "pre_helping_factors": "Weekly planning time",
                "pre_hindering_factors": "Cover duties",
                "pre_training_received": "Read Write Inc. training",
                "pre_future_areas": "Early reading",
                "pre_learning_needs": "Makaton level 2",
                "pre_jd_amendments": "Add the phonics group",
                "pre_career_goals": "Higher level teaching assistant",
                "self_contributions": "Led the reading café",
                "self_new_skills": "Signing",
                "midyear_contributions": "Ran the parents' phonics evening",
            }
        )
        cls.objective.write(
            {
                "target_date": date(2026, 7, 31),
                "self_actions": "Ran the sessions every morning",
                "self_barriers": "Pupils absent on Fridays",
                "self_training": "Phonics refresher",
                "self_notes": "Parents helped at home",
                "observation_feedback": "Well paced sessions",
                "midyear_progress": "Four of eight pupils on track",
                "midyear_barriers": "Timetable clash in spring",
                "midyear_support": "A second adult on Tuesdays",
            }
        )
        cls.training_need.date_planned = date(2026, 10, 31)
        cls.observation.write(
            {
                "date_observation": datetime(2026, 1, 12, 9, 30),
                "year_group": "Year 1",
                "subject": "Phonics",
                "pupil_count": 8,
                "summary": "Clear modelling of sounds",
                "strengths": "Pace and praise",
                "development_areas": "Check understanding more often",
                "reviewee_comments": "Thank you for the feedback",
            }
        )

    def render(self, report, records, role=REVIEWER):
        html, report_type = self.as_role(role, self.env["ir.actions.report"])._render_qweb_html(
            report, records.ids
        )
        self.assertEqual(report_type, "html")
        return html.decode()

    def assertContains(self, html, *texts):
        for text in texts:
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestReports(ReportsCase):
    """Every policy form prints from the record it belongs to, with what was written on
    it, British dates and the school's letterhead."""

    def test_bound_to_the_print_menus(self):
        for xmlid, model in (
            ("hr_performance_review_report_invitation_memo", "hr.performance.review"),
            ("hr_performance_review_report_pre_review", "hr.performance.review"),
            ("hr_performance_review_report_self_evaluation", "hr.performance.review"),
            ("hr_performance_review_report_midyear", "hr.performance.review"),
            ("hr_performance_review_report_training_needs", "hr.performance.review"),
            ("hr_performance_observation_report_record", "hr.performance.observation"),
        ):
            with self.subTest(report=xmlid):
                report = self.env.ref(PREFIX + xmlid)
                self.assertEqual(report.report_type, "qweb-pdf")
                self.assertEqual(report.binding_model_id.model, model)
                self.assertEqual(report.binding_type, "report")
                self.assertEqual(report.paperformat_id.format, "A4")

    def test_pre_review_form(self):
        html = self.render(PRE_REVIEW, self.review)
        self.assertContains(
            html,
            "Performance Management Pre-Review Meeting Form",
            "Test Primary School",  # the school's letterhead
            "Tom Assistant",
            "Teaching Assistant",
            "Key successes / achievements over the last year",
            "Phonics group",
            "Factors that have hindered achievements over the last year, and possible solutions",
            "Cover duties",
            "Read Write Inc. training",
            "Areas of further learning and development",
            "Makaton level 2",
            "Add the phonics group",
            "Higher level teaching assistant",
            "I ran the phonics group all year.",
        )

    def test_self_evaluation_form(self):
        html = self.render(SELF_EVALUATION, self.review, role=REVIEWEE)
        self.assertContains(
            html,
            "Performance Management Review Self-Evaluation Form",
            "Review of Objectives for",
            "01/09/2025",
            "31/08/2026",
            "Objective 1",
            "Run the Year 2 phonics intervention",
            "Please describe your actions to achieve this objective",
            "Ran the sessions every morning",
            "Please describe any barriers to achieving this objective",
            "Pupils absent on Fridays",
            "What training / development did you have to support you with this objective?",
            "Phonics refresher",
            "Parents helped at home",
            "Feedback from classroom observation (if applicable)",
            "Well paced sessions",
            "Are there any particular contributions that you would like to be recorded",
            "Led the reading café",
            "Signing",
            "Reviewer Overall Assessment of Performance",
            "Not yet written.",
            "Objectives for the Next Cycle",
            "Reviewee Signature",
            "Reviewer Signature",
            "Inclusion Manager",
        )
        # The form of the cycle that ended lists the objectives agreed for the next one.
        html = self.render(SELF_EVALUATION, self.review_done)
        self.assertContains(
            html,
            "An excellent year.",
            "Exceeded",
            "Objectives for the Next Cycle",
            "Run the Year 2 phonics intervention",
            "Six of eight pupils at the expected standard",
        )
        self.assertNotIn("Ran the sessions every morning", html)

    def test_midyear_form(self):
        html = self.render(MIDYEAR, self.review)
        self.assertContains(
            html,
            "Performance Management Mid-Year Review Form",
            "Objective 1",
            "Run the Year 2 phonics intervention",
            "31/07/2026",
            "Please summarise the progress made towards achieving the agreed objective",
            "Four of eight pupils on track",
            "Timetable clash in spring",
            "A second adult on Tuesdays",
            "Ran the parents&#39; phonics evening",
            "Reviewee Signature",
        )

    def test_training_needs_form(self):
        html = self.render(TRAINING, self.review_done)
        self.assertContains(
            html,
            "Training and Development Needs / CPD",
            "submitted by the reviewer to the CPD leader",
            "Makaton level 1",
            "Course or training event",
            "Two-day course in the autumn term",
            "31/10/2026",
            "Action to Be Taken",
            "Reviewee Signature",
        )

    def test_observation_record(self):
        # The observer prints the record they wrote without reading the review.
        self.assertFalse(self.as_role(OBSERVER, self.review)._filtered_access("read"))
        html = self.render(OBSERVATION, self.observation, role=OBSERVER)
        self.assertContains(
            html,
            "Lesson Observation Form",
            "Support Staff",
            "Tom Assistant",
            "Observer",
            "12/01/2026 09:30",
            "Year 1",
            "Phonics",
            "8",
            "Clear modelling of sounds",
            "Pace and praise",
            "Check understanding more often",
            "Thank you for the feedback",
        )

    def test_invitation_memo(self):
        """The printed memo says what the e-mail says: one QWeb body for both."""
        html = self.render(MEMO, self.review)
        # 20 September 2025 at 09:00 UTC is 10:00 in London (summer time).
        expected = (
            "Memo: Support Staff Performance Management Review",
            "Dear Tom Assistant",
            "Performance Management review",
            "Saturday 20 September 2025",
            "10:00",
            "the library",
            "may last up to an hour",
            "Your reviewer (performance manager) is",
            "Inclusion Manager",
            "Self-Evaluation Sheet",
            "consider 3 targets",
            "Be specific to your work-related duties",
        )
        # The booked meeting's memo, as e-mailed.
        template = self.env.ref(PREFIX + "mail_template_performance_meeting_invitation")
        event = (
            self.env["calendar.event"]
            .with_user(self.users[REVIEWER])
            .create(
                {
                    "name": "Planning meeting",
                    "performance_review_id": self.review.id,
                    "start": datetime(2026, 2, 3, 14, 0),
                    "stop": datetime(2026, 2, 3, 15, 0),
                    "location": "Room 4",
                    "partner_ids": self.users[REVIEWEE].partner_id.ids,
                }
            )
        )
        mail = template._render_field("body_html", event.ids)[event.id]
        printed = self.render(MEMO, self.review)
        self.assertContains(html, *expected)
        for text in expected[:3] + expected[6:] + ("Tuesday 3 February 2026", "14:00", "Room 4"):
            with self.subTest(text=text):
                self.assertIn(text, mail)
                self.assertIn(text, printed)

    def test_memo_without_meeting(self):
        self._advance(self.review, "in_progress")
        with self.assertRefused(UserError, "No mid-year review is booked"):
            self.render(MEMO, self.review)

    def test_reviewee_language(self):
        """The form speaks the reviewee's language; dates stay British."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.employees[REVIEWEE].work_contact_id.lang = "fr_FR"
        html = self.render(MEMO, self.review)
        self.assertIn("samedi 20 septembre 2025", html)
        self.assertIn("31/07/2026", self.render(MIDYEAR, self.review))

    def test_html_and_script_are_escaped(self):
        """A payload typed into any text of a form prints as text, in every report."""
        text_fields = [
            name
            for name, field in self.review._fields.items()
            if field.type in ("text", "char") and field.store and not field.related
            if name.startswith(("pre_", "self_", "midyear_", "training_"))
        ]
        self.review.write(dict.fromkeys(text_fields, PAYLOAD) | {"meeting_location": PAYLOAD})
        # HTML fields keep their (sanitised) formatting; a script never survives.
        self.review.write({"self_evaluation": "<p>Fine<script>alert(1)</script></p>"})
        self.objective.write(
            dict.fromkeys(
                [
                    "name",
                    "description",
                    "self_actions",
                    "self_barriers",
                    "self_training",
                    "self_notes",
                    "observation_feedback",
                    "midyear_progress",
                    "midyear_barriers",
                    "midyear_support",
                    "assessment_notes",
                ],
                PAYLOAD,
            )
        )
        self.training_need.write({"name": PAYLOAD, "action": PAYLOAD, "review_id": self.review.id})
        self.observation.write(
            dict.fromkeys(
                ["year_group", "subject", "summary", "strengths", "development_areas"], PAYLOAD
            )
            | {"reviewee_comments": PAYLOAD}
        )
        for report, records in [(report, self.review) for report in REVIEW_REPORTS] + [
            (OBSERVATION, self.observation)
        ]:
            with self.subTest(report=report):
                html = self.render(report, records, role=HEAD_A)
                self.assertIn(ESCAPED, html)
                self.assertNotIn("<script>alert", html)
                self.assertNotIn("<b>x</b>", html)

    def test_only_readers_print(self):
        """Whoever cannot read the review cannot print any of its forms; printing is logged."""
        Report = self.env["ir.actions.report"]
        for report in REVIEW_REPORTS:
            for role in (COLLEAGUE, HEAD_B, CPD_LEADER, OBSERVER):
                with self.subTest(report=report, role=role), self.assertRaises(AccessError):
                    self.as_role(role, Report)._render_qweb_html(report, self.review.ids)
            with self.subTest(report=report, role=COLLEAGUE), self.assertRaises(AccessError):
                self.as_role(COLLEAGUE, Report)._render_qweb_pdf(report, self.review.ids)
        with self.assertRaises(AccessError):
            self.as_role(COLLEAGUE, Report)._render_qweb_html(OBSERVATION, self.observation.ids)
        Log = self.env["hr.performance.access.log"]
        self.assertFalse(Log.search([("access_type", "=", "print")]))
        for report in REVIEW_REPORTS:
            self.as_role(HEAD_A, Report)._render_qweb_pdf(report, self.review.ids)
        self.as_role(HEAD_A, Report)._render_qweb_pdf(OBSERVATION, self.observation.ids)
        printed = Log.search([("access_type", "=", "print"), ("review_id", "=", self.review.id)])
        self.assertEqual(printed.user_id, self.users[HEAD_A])
        self.assertEqual(
            set(printed.mapped("res_model")),
            {"hr.performance.review", "hr.performance.observation"},
        )
        # The reviewee printing their own forms leaves no trace.
        self.render(SELF_EVALUATION, self.review, role=REVIEWEE)
        self.assertFalse(Log.search([("user_id", "=", self.users[REVIEWEE].id)]))


@tagged("post_install", "-at_install")
class TestReportRoutes(ReportsCase, HttpCase):
    """The report routes a browser uses, and a real PDF from wkhtmltopdf."""

    freeze_today = False

    def _download(self, report, record):
        url = f"/report/pdf/{report}/{record.id}"
        return self.url_open("/report/download", params={"data": json.dumps([url, "qweb-pdf"])})

    @mute_logger("odoo.http", "odoo.addons.web.controllers.report")
    def test_report_routes(self):
        """Outsiders get nothing from the direct HTML route nor from the download the web
        client uses; readers print through the download, and are logged. (A reader on the
        direct routes, which are read-only, has the log written in a transaction of its
        own, which the test cursor cannot open: see hr.performance.access.log.)"""
        for report in REVIEW_REPORTS:
            for role in (COLLEAGUE, HEAD_B):
                with self.subTest(report=report, role=role):
                    self._login(role)
                    response = self.url_open(f"/report/html/{report}/{self.review.id}")
                    self.assertNotEqual(response.status_code, 200)
                    self.assertNotIn(b"Teaching Assistant", response.content)
                    response = self._download(report, self.review)
                    self.assertNotIn(b"Teaching Assistant", response.content)
            with self.subTest(report=report, role=REVIEWER):
                self._login(REVIEWER)
                response = self._download(report, self.review)
                self.assertEqual(response.status_code, 200)
                self.assertIn(b"Teaching Assistant", response.content)
        self._login(COLLEAGUE)
        response = self.url_open(f"/report/html/{OBSERVATION}/{self.observation.id}")
        self.assertNotIn(b"Clear modelling of sounds", response.content)
        self._login(OBSERVER)
        response = self._download(OBSERVATION, self.observation)
        self.assertIn(b"Clear modelling of sounds", response.content)
        log = self.env["hr.performance.access.log"].search([("access_type", "=", "print")])
        self.assertEqual(log.user_id, self.users[REVIEWER] | self.users[OBSERVER])

    def _real_pdf(self):
        Report = self.as_role(HEAD_A, self.env["ir.actions.report"]).with_context(
            force_report_rendering=True
        )
        pdf, report_type = Report._render_qweb_pdf(PRE_REVIEW, self.review.ids)
        self.assertEqual(report_type, "pdf")
        return pdf

    def test_real_pdf(self):
        """wkhtmltopdf renders the form, fetching its style sheets from the running server
        (a failed fetch would show as a wkhtmltopdf warning in the log); printing is logged
        once."""
        pdf = self._real_pdf()
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreaterEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 1)
        log = self.env["hr.performance.access.log"].search([("access_type", "=", "print")])
        self.assertEqual((len(log), log.user_id), (1, self.users[HEAD_A]))

    def test_real_pdf_text(self):
        """The form has a text layer (searchable, read aloud by screen readers) with any
        wkhtmltopdf build: its text is set in a font installed on the server, which even
        Debian's unpatched build embeds as text, not in the layout's web font."""
        text = pdf_text(self._real_pdf())
        for expected in (
            "Performance Management Pre-Review Meeting Form",
            "Tom Assistant",
            "Key successes",
            "Phonics group",
        ):
            self.assertIn(expected, text)

    def test_real_pdf_letterhead(self):
        """The school's letterhead (its name and address) heads the PDF with any
        wkhtmltopdf build: where the build draws no header band (Debian's, unpatched Qt),
        it is drawn at the top of the document's body."""
        self.school.partner_id.write(
            {"street": "12 Letterhead Lane", "city": "Stafford", "zip": "ST16 2AA"}
        )
        text = pdf_text(self._real_pdf())
        self.assertIn("12 Letterhead Lane", text)
        self.assertLess(text.index("12 Letterhead Lane"), text.index("Tom Assistant"))

    def test_several_forms_in_one_pdf(self):
        """HR prints the form of reviews of two schools at once: one PDF, each review on
        its own pages under its own school's letterhead (Debian's build refused more than
        one document per run)."""
        self.school.partner_id.street = "12 Letterhead Lane"
        self.review_b.company_id.partner_id.street = "3 Second School Road"
        Report = self.as_role(HR_TRUST, self.env["ir.actions.report"]).with_context(
            force_report_rendering=True
        )
        reviews = self.review | self.review_b
        pdf, report_type = Report._render_qweb_pdf(PRE_REVIEW, reviews.ids)
        self.assertEqual(report_type, "pdf")
        pages = [pdf_text(pdf_page) for pdf_page in self._split_pages(pdf)]
        first = next(i for i, page in enumerate(pages) if "Reviewee B" in page)
        self.assertGreater(first, 0, "the second review starts on a page of its own")
        self.assertIn("12 Letterhead Lane", pages[0])
        self.assertIn("Tom Assistant", pages[0])
        self.assertNotIn("Reviewee B", "".join(pages[:first]))
        self.assertIn("3 Second School Road", pages[first])

    def _split_pages(self, pdf):
        reader = PdfFileReader(io.BytesIO(pdf))
        pages = []
        for page in reader.pages:
            writer = PdfFileWriter()
            writer.add_page(page)
            stream = io.BytesIO()
            writer.write(stream)
            pages.append(stream.getvalue())
        return pages
