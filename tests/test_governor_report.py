import random
import re
from datetime import date, datetime
from fractions import Fraction

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import HttpCase, TransactionCase, tagged

from ..tools.suppression import derivable, pinned, suppress
from .common import (
    GOVERNOR,
    HEAD_A,
    HEAD_B,
    HR_MANAGER,
    HR_TRUST,
    PAYROLL,
    HrSchoolPerformanceCase,
    pdf_text,
)

TOTAL = "__total__"


class GovernorReportCase(HrSchoolPerformanceCase):
    """School A's catering team of ten in 2025–26: seven reviews completed on time (four
    "Exceeded", three "Progressing"), two completed late ("Achieved") and one left open.
    Staff 0, 2, 4, 6, 8 are reviewed by the reviewer, 1, 3, 5, 7, 9 by the headteacher."""

    freeze_today = "2026-10-01"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        levels = {
            "exceeded": ref("hr_school_performance.hr_performance_scale_level_exceeded"),
            "achieved": ref("hr_school_performance.hr_performance_scale_level_achieved"),
            "progressing": ref("hr_school_performance.hr_performance_scale_level_progressing"),
        }
        with freeze_time("2025-09-01 08:00"):
            cls.catering_cycle = cls._group_with_staff("Catering", 10, start=date(2025, 9, 1))
            cls.catering_cycle.job_group_id.scale_id = cls.scale
            cls._launch(cls.catering_cycle)
        reviews = cls.catering_cycle.review_ids.sorted(lambda r: r.employee_id.name)
        cls.catering_reviews = reviews
        plan = (
            ["exceeded", "progressing"] * 3
            + ["exceeded"]  # 0..6 on time
            + ["achieved", "achieved"]  # 7, 8 late
            + [None]  # 9 open
        )
        for index, (review, level) in enumerate(zip(reviews, plan, strict=True)):
            employee = review.employee_id
            employee.write(
                {
                    "sex": "female" if index % 3 else "male",
                    "birthday": date(1970 + 3 * index, 5, 1),
                }
            )
            with freeze_time("2025-09-20 09:00"):
                review.write(
                    {
                        "meeting_date": datetime(2025, 9, 20, 9, 0),
                        "objective_ids": [Command.create({"name": "Healthy menus"})],
                    }
                )
                cls._advance(review, "in_progress")
            if level is None:
                continue
            when = "2026-07-01 10:00" if index < 7 else "2026-09-15 10:00"
            with freeze_time(when):
                cls._advance(review, "final_review")
                review.objective_ids.assessment_level_id = levels[level]
                review.outcome_level_id = levels[level]
                cls._advance(review, "completed")
                cls.env.flush_all()
        # Training needs identified in the year at school A: six courses (five done, one
        # whose agreed support could not be provided), two coaching.
        Need = cls.env["hr.performance.training.need"]
        needs = []
        for index in range(8):
            needs.append(
                {
                    "name": f"Need {index}",
                    "need_type": "course" if index < 6 else "coaching",
                    "employee_id": reviews[index].employee_id.id,
                    "company_id": cls.school.id,
                    "date_identified": date(2025, 10, 1),
                    "cost": 100,
                    "state": "done" if index < 5 else "planned",
                    "support_not_provided": index == 5,
                }
            )
        Need.create(needs)
        cls.Report = cls.env["hr.performance.governor.report"]

    def _report(self, role=HR_TRUST, company=None, kind="governors", year=2025):
        report = self.as_role(role, self.Report).create(
            {"company_id": (company or self.school).id, "report_type": kind, "year_start": year}
        )
        report.action_compute()
        return report

    def _figures(self, report, table):
        """{(row label, column label): published figure or None when hidden}."""
        return {
            (line.row_label, line.col_label): None if line.suppressed else line.value
            for line in report.sudo().line_ids
            if line.table_key == table and line.col_label
        }


@tagged("post_install", "-at_install")
class TestGovernorReportFigures(GovernorReportCase):
    def test_figures_on_known_data_with_low_threshold(self):
        self.school.performance_report_threshold = 2
        report = self._report()
        reviews = self._figures(report, "reviews")
        # Every published figure is the true one; the one open review is hidden, with
        # what would give it away (secondary suppression chooses which).
        true = {
            ("Catering", "Completed on time"): 7,
            ("Catering", "Completed late"): 2,
            ("Catering", "Not launched (not eligible)"): 0,
            ("Catering", "Cancelled"): 0,
        }
        for key, value in true.items():
            self.assertIn(reviews[key], (None, value), key)
        self.assertIsNone(reviews[("Catering", "Not completed")])  # one person
        # The due total (10) may be hidden too: with the outcomes' total (9) = on time + late
        # and on time + late + open = due, publishing it would give the open review away
        # once on time and late are hidden.
        self.assertIn(reviews[("Catering", "Total")], (None, 10))
        outcomes = self._figures(report, "outcomes")
        self.assertEqual(outcomes[("Catering", "Exceeded")], 4)
        self.assertEqual(outcomes[("Catering", "Progressing")], 3)
        self.assertEqual(outcomes[("Catering", "Achieved")], 2)
        self.assertEqual(outcomes[("Total", "Total")], 9)
        training = self._figures(report, "training")
        self.assertIsNone(training[("Course or training event", "Planned")])  # one need
        self.assertEqual(training[("Total", "Total")], 8)
        # Every published training figure is the true one.
        true = {("Course or training event", "Met (done)"): 5, ("Coaching", "Planned"): 2}
        for key, value in true.items():
            self.assertIn(training[key], (None, value))
        support = self._figures(report, "support")
        self.assertIsNone(support[("Course or training event", "Needs")])
        deadlines = self._figures(report, "deadlines")
        self.assertTrue(deadlines)
        # Moderation and appeals come from their own records: the nine completed catering
        # reviews, none moderated (no moderation was recorded for the cycle), no appeal.
        moderation = self._figures(report, "moderation")
        self.assertEqual(moderation[("Catering", "Total")], 9)
        self.assertEqual(moderation[("Total", "Total")], 9)
        self.assertFalse(any(self._figures(report, "appeals").values()))
        self.assertFalse(report.sudo().line_ids.filtered("not_recorded"))
        self.assertEqual(report.threshold, 2)
        # No name of anyone appears in the report.
        html = str(report.summary_html)
        for employee in self.catering_reviews.employee_id:
            self.assertNotIn(employee.name, html)

    def test_a_cell_of_four_is_hidden_and_cannot_be_recovered(self):
        report = self._report()  # threshold 5
        outcomes = self._figures(report, "outcomes")
        reviews = self._figures(report, "reviews")
        self.assertIsNone(outcomes[("Catering", "Exceeded")])
        # The late reviews (2) are hidden; were the outcome total (9) and the on-time
        # reviews (7) both published, late = 9 - 7 would follow.
        self.assertIsNone(reviews[("Catering", "Completed late")])
        self.assertTrue(
            outcomes[("Catering", "Total")] is None
            or reviews[("Catering", "Completed on time")] is None
        )
        # And no combination of the published figures gives any hidden one.
        lines = report.sudo().line_ids.filtered(lambda line: line.col_label)
        cells, relations, hidden = self._rebuild(lines)
        self.assertTrue(hidden)
        self.assertFalse(derivable(hidden, relations))
        # Only figures of at least five people are published (zero is no one).
        for key, value in cells.items():
            if key not in hidden:
                self.assertFalse(0 < value < 5, key)

    def _rebuild(self, lines):
        """The published figures and the relations a reader knows from the layout: rows add
        up to their total, columns to theirs, and completed reviews (on time + late) equal
        the outcomes' total."""
        cells, hidden, tables = {}, set(), {}
        for line in lines:
            key = (line.table_key, line.row_label, line.col_label)
            cells[key] = line.value
            if line.suppressed:
                hidden.add(key)
            table = tables.setdefault(line.table_key, {"rows": set(), "cols": set()})
            table["rows"].add(line.row_label)
            table["cols"].add(line.col_label)
        relations = []
        for name, table in tables.items():
            rows = table["rows"] - {"Total"}
            cols = table["cols"] - {"Total"}
            for row in table["rows"]:
                if (name, row, "Total") in cells:
                    relations.append(((name, row, "Total"), [(name, row, c) for c in cols]))
            for col in table["cols"]:
                if (name, "Total", col) in cells:
                    relations.append(
                        ((name, "Total", col), [(name, r, c) for r in rows for c in [col]])
                    )
        relations.append(
            (
                ("outcomes", "Catering", "Total"),
                [
                    ("reviews", "Catering", "Completed on time"),
                    ("reviews", "Catering", "Completed late"),
                ],
            )
        )
        relations = [
            (total, members)
            for total, members in relations
            if total in cells and all(member in cells for member in members)
        ]
        return cells, relations, hidden

    def test_trust_report_covers_both_schools(self):
        self.trust.performance_report_threshold = 2
        report = self._report(role=HR_MANAGER, company=self.trust)
        reviews = self._figures(report, "reviews")
        self.assertIn(reviews[("Catering", "Total")], (None, 10))
        outcomes = self._figures(report, "outcomes")
        self.assertEqual(outcomes[("Catering", "Exceeded")], 4)

    def test_no_school_figure_follows_from_the_trust_by_difference(self):
        """School B's one completed course is hidden in its report; the trust's figure
        (six) and school A's (five) would give it by difference, so one of them is hidden
        too. In every table, no figure hidden in one of the three reports is the trust's
        minus the other school's published figures."""
        self.env["hr.performance.training.need"].create(
            {
                "name": "Food hygiene level 2",
                "need_type": "course",
                "employee_id": self.employees[HEAD_B].id,
                "company_id": self.other_school.id,
                "date_identified": date(2025, 10, 1),
                "state": "done",
            }
        )
        companies = {"trust": self.trust, "a": self.school, "b": self.other_school}
        reports = {
            key: self._report(role=HR_MANAGER, company=company)
            for key, company in companies.items()
        }
        cell = ("Course or training event", "Met (done)")
        training = {key: self._figures(report, "training") for key, report in reports.items()}
        self.assertIsNone(training["b"][cell])
        self.assertTrue(training["trust"][cell] is None or training["a"][cell] is None)
        tables = set(reports["trust"].sudo().line_ids.mapped("table_key"))
        for table in tables:
            figures = {key: self._figures(report, table) for key, report in reports.items()}
            for key, trust_value in figures["trust"].items():
                # A figure a school does not show (no such row) is known to be none.
                parts = [figures[school].get(key, 0) for school in ("a", "b")]
                with self.subTest(table=table, figure=key):
                    self.assertFalse(
                        trust_value is not None and parts.count(None) == 1,
                        "a school's hidden figure is the trust's minus the other school's",
                    )

    def test_recompute_replaces_figures(self):
        report = self._report()
        count = len(report.sudo().line_ids)
        report.with_user(self.hr_officer).action_compute()
        self.assertEqual(len(report.sudo().line_ids), count)

    def test_report_html_and_pdf_template(self):
        self.school.performance_report_threshold = 2
        report = self._report()
        html, __ = self.as_role(GOVERNOR, self.env["ir.actions.report"])._render_qweb_html(
            "hr_school_performance.report_governor", report.ids
        )
        html = html.decode()
        for expected in (
            "Governors&#39; Annual Report 2025–26 – Test Primary School",
            "Reviews due",
            "Catering",
            "Completed on time",
            "Moderation",
            "01/09/2025",
            "—",
        ):
            self.assertIn(expected, html)
        # The outcome row: 4 exceeded, 2 achieved, 3 progressing, 9 in all.
        compact = re.sub(r">\s+<", "><", html)
        self.assertIn(
            '<th>Catering</th><td class="text-end">4</td><td class="text-end">2</td>'
            '<td class="text-end">3</td><td class="text-end">9</td>',
            compact,
        )
        self.assertNotIn(self.catering_reviews[0].employee_id.name, html)


@tagged("post_install", "-at_install")
class TestGovernorReportAccess(GovernorReportCase):
    def test_governor_reads_own_school_report_only(self):
        report_a = self._report()
        report_b = self._report(company=self.other_school)
        equality_a = self._report(kind="equality")
        trust = self._report(role=HR_MANAGER, company=self.trust)
        governor = self.as_role(GOVERNOR, self.Report)
        self.assertEqual(governor.search([]), report_a.with_env(governor.env))
        self.assertTrue(governor.browse(report_a.id).summary_html)
        for other in (report_b, equality_a, trust):
            with self.assertRaises(AccessError):
                governor.browse(other.id).read(["name"])
        lines = self.as_role(GOVERNOR, self.env["hr.performance.governor.report.line"]).search([])
        self.assertEqual(lines.report_id.ids, report_a.ids)
        with self.assertRaises(AccessError):
            governor.browse(report_a.id).action_compute()
        with self.assertRaises(AccessError):
            governor.create({"company_id": self.school.id, "year_start": 2024})
        with self.assertRaises(AccessError):
            self.as_role(GOVERNOR, self.env["ir.actions.report"])._render_qweb_html(
                "hr_school_performance.report_governor", report_b.ids
            )

    def test_headteacher_of_another_school_and_payroll_refused(self):
        report_a = self._report()
        with self.assertRaises(AccessError):
            self.as_role(HEAD_B, self.Report).browse(report_a.id).read(["name"])
        with self.assertRaises(AccessError):
            self.as_role(PAYROLL, self.Report).search([])
        # A headteacher cannot prepare the trust's report (other schools' reviews).
        with self.assertRaises(AccessError):
            self._report(role=HEAD_A, company=self.trust)

    def test_scope_context_key_is_no_door(self):
        """The context key that narrows a report's scope for the joint suppression is
        ignored from a caller: HR computing school A's report with it set to school B
        still gets school A's figures, never B's stored in A's report."""
        report = self._report()
        expected = self._figures(report, "reviews")
        self.as_role(HR_TRUST, report).with_context(
            hsp_report_scope_ids=[self.other_school.id]
        ).action_compute()
        self.assertEqual(self._figures(report, "reviews"), expected)
        self.assertTrue(expected)

    def test_headteacher_prepares_own_school(self):
        report = self._report(role=HEAD_A)
        self.assertEqual(report.computed_by_id, self.headteacher_user)
        self.assertTrue(report.line_ids)

    def test_report_identity_cannot_change(self):
        report = self._report()
        with self.assertRefused(UserError, "cannot change"):
            report.with_user(self.hr_officer).year_start = 2024
        with self.assertRaises(ValidationError):
            self._report(year=20)


@tagged("post_install", "-at_install")
class TestEqualityMonitoring(GovernorReportCase):
    def test_outcomes_by_gender_and_age_with_suppression(self):
        self.school.performance_report_threshold = 2
        report = self._report(kind="equality")
        gender = self._figures(report, "gender")
        # Staff 0, 3, 6 are male (index % 3 == 0); 9 is open: completed males 0, 3, 6.
        self.assertEqual(gender[("Male", "Total")], 3)
        self.assertEqual(gender[("Female", "Total")], 6)
        age = self._figures(report, "age")
        self.assertTrue(age)
        # Pay decisions come from their records (none on these reviews).
        self.assertFalse(any(self._figures(report, "pay").values()))
        self.assertFalse(report.sudo().line_ids.filtered("not_recorded"))

    def test_consistency_flag_between_reviewers(self):
        self.school.write({"performance_report_threshold": 4, "performance_equality_spread": 25})
        report = self._report(kind="equality")
        flags = report.sudo().line_ids.filtered("is_flag")
        self.assertEqual(len(flags), 1)
        self.assertIn("between reviewers", flags.row_label)
        self.assertIn("25%", flags.row_label)
        self.assertIn("100%", flags.row_label)
        self.school.performance_equality_spread = 80
        report.action_compute()
        self.assertFalse(report.sudo().line_ids.filtered("is_flag"))

    def test_equality_is_for_headteacher_and_hr_only(self):
        report = self._report(kind="equality", role=HEAD_A)
        for role in (GOVERNOR, PAYROLL):
            with self.assertRaises(AccessError):
                self.as_role(role, self.Report).browse(report.id).read(["name"])


def _dense_derivable(hidden, relations):
    """Reference: the hidden cells fixed by the relations, from the dense reduced row
    echelon form over the rationals (a row with a single non-zero entry)."""
    variables = sorted(hidden, key=repr)
    matrix = []
    for total, members in relations:
        row = dict.fromkeys(variables, Fraction(0))
        for key, coefficient in [(total, 1), *((member, -1) for member in members)]:
            if key in hidden:
                row[key] += coefficient
        matrix.append([row[var] for var in variables])
    pivot_row = 0
    for col in range(len(variables)):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col]), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for r, row in enumerate(matrix):
            if r != pivot_row and row[col]:
                factor = row[col]
                matrix[r] = [a - factor * b for a, b in zip(row, matrix[pivot_row], strict=True)]
        pivot_row += 1
    found = set()
    for row in matrix:
        nonzero = [index for index, value in enumerate(row) if value]
        if len(nonzero) == 1:
            found.add(variables[nonzero[0]])
    return found


@tagged("post_install", "-at_install")
class TestSuppressionAlgorithm(HrSchoolPerformanceCase):
    """The suppression on random tables with totals: no published figure counts fewer than
    the threshold, and no hidden figure follows from the published ones."""

    def test_random_tables(self):
        rnd = random.Random(20260114)
        for __ in range(200):
            rows, cols, threshold = rnd.randint(1, 4), rnd.randint(1, 4), rnd.randint(2, 6)
            cells, relations = {}, []
            for r in range(rows):
                for c in range(cols):
                    cells[(r, c)] = rnd.choice([0, 1, 2, 3, 4, 5, 7, 9, 15])
            for r in range(rows):
                cells[("row", r)] = sum(cells[(r, c)] for c in range(cols))
                relations.append((("row", r), [(r, c) for c in range(cols)]))
            for c in range(cols):
                cells[("col", c)] = sum(cells[(r, c)] for r in range(rows))
                relations.append((("col", c), [(r, c) for r in range(rows)]))
            cells[("all",)] = sum(cells[("row", r)] for r in range(rows))
            relations.append((("all",), [("row", r) for r in range(rows)]))
            relations.append((("all",), [("col", c) for c in range(cols)]))
            hidden = suppress(cells, relations, threshold)
            for key, value in cells.items():
                if 0 < value < threshold:
                    self.assertIn(key, hidden)
            self.assertFalse(derivable(hidden, relations))
            self.assertFalse({key for key in pinned(hidden, relations, cells) if cells[key]})

    def test_bounds_inference_is_protected(self):
        """No count is negative: with C = y + z + w published as 0, y, z and w are 0, and
        then x = A - y = 1, though no linear combination of the relations gives x. The
        suppression hides until x cannot be pinned either."""
        cells = {"x": 1, "y": 0, "z": 0, "w": 0, "A": 1, "B": 1, "C": 0}
        relations = [("A", ["x", "y"]), ("B", ["x", "z"]), ("C", ["y", "z", "w"])]
        unknown = {"x", "y", "z", "w"}
        self.assertFalse(derivable(unknown, relations))
        self.assertEqual(pinned(unknown, relations, cells), unknown)
        hidden = suppress(cells, relations, 5)
        self.assertIn("x", hidden)
        self.assertNotIn("x", derivable(hidden, relations) | pinned(hidden, relations, cells))

    def test_sparse_elimination_agrees_with_dense(self):
        """The component-wise, sparse elimination behind ``derivable`` finds exactly the
        cells a dense reduced row echelon form over the rationals finds, on random systems
        (repeated members, totals of one member, cells in no relation)."""
        rnd = random.Random(20261202)
        for __ in range(500):
            keys = list(range(rnd.randint(2, 12)))
            relations = [
                (rnd.choice(keys), rnd.sample(keys, rnd.randint(1, min(4, len(keys)))))
                for __ in range(rnd.randint(1, 9))
            ]
            hidden = set(rnd.sample(keys, rnd.randint(0, len(keys))))
            self.assertEqual(derivable(hidden, relations), _dense_derivable(hidden, relations))

    def test_single_hidden_cell_in_a_row_is_protected(self):
        cells = {"a": 4, "b": 10, "total": 14}
        hidden = suppress(cells, [("total", ["a", "b"])], 5)
        self.assertIn("a", hidden)
        self.assertGreaterEqual(len(hidden), 2)


@tagged("post_install", "-at_install")
class TestGovernorReportPdf(GovernorReportCase, HttpCase):
    """The report as a real PDF from wkhtmltopdf, on the school's letterhead."""

    freeze_today = False

    def test_real_pdf(self):
        self.school.performance_report_threshold = 2
        report = self._report()
        Report = self.as_role(GOVERNOR, self.env["ir.actions.report"]).with_context(
            force_report_rendering=True
        )
        self.school.partner_id.street = "12 Letterhead Lane"
        pdf, report_type = Report._render_qweb_pdf(
            "hr_school_performance.report_governor", report.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # The figures are text in the PDF, under the school's letterhead: the outcome row
        # of the catering team reads 4 exceeded, 2 achieved, 3 progressing, 9 in all.
        text = pdf_text(pdf)
        self.assertIn("12 Letterhead Lane", text)
        self.assertIn("Governors' Annual Report 2025–26", text)
        outcome_rows = [
            line.split()
            for line in text.splitlines()
            if line.strip().startswith("Catering") and line.split()[-4:] == ["4", "2", "3", "9"]
        ]
        self.assertTrue(outcome_rows, text)
        for employee in self.catering_reviews.employee_id:
            self.assertNotIn(employee.name, text)


@tagged("post_install", "-at_install")
class TestGovernorReportDemo(TransactionCase):
    """The demo's governor reads last year's governors' reports (with figures) of the
    schools and the trust, never the equality monitoring. Runs where the demo is installed."""

    def test_demo_governor_reads_reports(self):
        report = self.env.ref(
            "hr_school_performance.governor_report_riverside_prev_demo", raise_if_not_found=False
        )
        if not report:
            self.skipTest("demo data not installed")
        governor = self.env.ref("hr_school_performance.user_governor_demo")
        Report = (
            self.env["hr.performance.governor.report"]
            .with_user(governor)
            .with_context(allowed_company_ids=governor.company_ids.ids)
        )
        reports = Report.search([])
        self.assertEqual(set(reports.mapped("report_type")), {"governors"})
        self.assertEqual(len(reports), 3)
        riverside = reports.filtered(lambda r: r.company_id == report.company_id)
        figures = {
            (line.row_label, line.col_label): line.value
            for line in riverside.line_ids
            if line.table_key == "reviews" and not line.suppressed
        }
        # Last year's Teaching Assistants at Riverside: some figure is published.
        self.assertTrue(any(figures.values()), figures)
        self.assertIn("Teaching Assistants", {row for row, __ in figures})
        equality = self.env.ref("hr_school_performance.equality_report_trust_prev_demo")
        self.assertTrue(equality.line_ids)
