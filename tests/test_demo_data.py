from odoo.exceptions import UserError
from odoo.fields import Date
from odoo.tests import TransactionCase, tagged
from odoo.tools import format_date

MODULE = "hr_school_performance"
ROLE_LOGINS = (
    "hr.manager",
    "hr.officer",
    "head.oakfield",
    "head.riverside",
    "reviewer.ta",
    "reviewee.ta",
    "business.oakfield",
    "deputy.riverside",
    "business.riverside",
    "site.riverside",
    "cpd.leader",
    "payroll",
    "governor",
    "observer",
)


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo speaks British English and shows every feature to every role. These
    tests read the demo data, so they only run where it is installed (make test)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.observer = cls.env.ref(f"{MODULE}.user_observer_demo", raise_if_not_found=False)
        if not cls.observer:
            cls.skipTest(cls, "demo data not installed")
        cls.users = {
            user.login: user for user in cls.env["res.users"].search([("login", "in", ROLE_LOGINS)])
        }

    def _as(self, login, model):
        user = self.users[login]
        return (
            self.env[model].with_user(user).with_context(allowed_company_ids=user.company_ids.ids)
        )

    def test_british_english(self):
        self.assertEqual(set(self.users), set(ROLE_LOGINS))
        for user in self.users.values():
            self.assertEqual(user.lang, "en_GB", user.login)
        self.assertEqual(self.env.ref("base.user_admin").lang, "en_GB")
        for xmlid in ("company_trust_demo", "company_oakfield_demo", "company_riverside_demo"):
            self.assertEqual(self.env.ref(f"{MODULE}.{xmlid}").partner_id.lang, "en_GB")
        env_gb = self.env(context={"lang": "en_GB"})
        self.assertEqual(format_date(env_gb, Date.to_date("2026-10-31")), "31/10/2026")

    def test_observer_has_observations(self):
        employee = self.env.ref(f"{MODULE}.employee_tom_barker_demo")
        self.assertEqual(employee.user_id, self.observer)
        observations = self._as("observer", "hr.performance.observation").search([])
        self.assertEqual(observations.observer_id, employee)
        self.assertEqual(set(observations.mapped("state")), {"planned", "shared"})
        shared = observations.filtered(lambda o: o.state == "shared")
        self.assertTrue(shared.summary and shared.reviewee_comments and shared.date_feedback)

    def test_cpd_leader_has_training_needs(self):
        needs = self._as("cpd.leader", "hr.performance.training.need").search([])
        self.assertGreaterEqual(len(set(needs.mapped("need_type"))), 4)
        self.assertEqual(set(needs.mapped("state")), {"identified", "planned", "done"})
        self.assertEqual(
            set(needs.company_id.mapped("name")), {"Oakfield Primary School", "Riverside Academy"}
        )
        self.assertTrue(all(need.impact for need in needs if need.state == "done"))

    def test_access_grants_log_meetings_attachment(self):
        Grant = self.env["hr.performance.access.grant"]
        grants = Grant.search([("review_id.company_id.name", "=", "Oakfield Primary School")])
        self.assertTrue({"active", "expired", "revoked"} <= set(grants.mapped("state")))
        emily = self.env.ref(f"{MODULE}.review_emily_carter_demo")
        readers = self.env["hr.performance.access.log"].search([("review_id", "=", emily.id)])
        self.assertTrue(
            {"head.oakfield", "business.oakfield", "hr.officer"}
            <= set(readers.user_id.mapped("login"))
        )
        events = self.env["calendar.event"].search([("performance_review_id", "!=", False)])
        self.assertEqual(set(events.mapped("performance_meeting_kind")), {"planning", "midyear"})
        daniel = self.env.ref(f"{MODULE}.review_daniel_morgan_demo")
        self.assertEqual(
            daniel.meeting_date, self.env.ref(f"{MODULE}.calendar_event_daniel_planning_demo").start
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "hr.performance.review"), ("res_id", "=", emily.id)]
        )
        self.assertTrue(attachments)

    def test_every_role_lands_on_data(self):
        """Each demo login finds something in the screens the README sends them to, with
        the companies the web client activates at login."""
        models_by_role = {
            "hr.officer": "hr.performance.review",
            "hr.manager": "hr.performance.review",
            "head.oakfield": "hr.performance.review",
            "reviewer.ta": "hr.performance.review",
            "reviewee.ta": "hr.performance.review",
            "cpd.leader": "hr.performance.training.need",
            "payroll": "hr.performance.pay.eligibility",
            "governor": "hr.performance.pay.eligibility",
            "observer": "hr.performance.observation",
        }
        for login, model in models_by_role.items():
            with self.subTest(login=login):
                self.assertTrue(self._as(login, model).search_count([]), f"{login}: no {model}")

    def _demo(self, xmlid):
        return self.env.ref(f"{MODULE}.{xmlid}")

    def test_statements_signed_through_their_path(self):
        """This year's planning statements went through the statement's path: most signed by
        both (their hashes verify), a few at the steps a school sees on any day."""
        signed_names = (
            "gareth_evans",
            "julie_simmons",
            "linda_price",
            "rachel_hughes",
            "karen_whitmore",
            "emily_carter",
            "aisha_begum",
            "barbara_nolan",
        )
        signed = self.env["hr.performance.review"].browse(
            [self._demo(f"review_{name}_demo").id for name in signed_names]
        )
        statements = signed.statement_id
        self.assertEqual(len(statements), len(signed_names))
        self.assertEqual(set(statements.mapped("state")), {"signed"})
        for statement in statements:
            self.assertEqual(
                set(statement.signature_ids.mapped("signer_role")), {"reviewee", "reviewer"}
            )
        self.assertFalse(statements._verify_integrity())
        self.assertEqual(set(statements.mapped("integrity_status")), {"ok"})
        # Those who have no back-office login signed on the self-service pages.
        portal = statements.signature_ids.filtered(lambda s: s.route == "portal")
        self.assertEqual(
            set(portal.signer_user_id.mapped("login")),
            {"julie.simmons", "linda.price", "aisha.begum", "barbara.nolan"},
        )
        # The events the deadlines measure were stamped by the path, in order.
        for review in signed:
            self.assertTrue(
                review.meeting_date.date()
                <= review.date_draft_sent
                <= review.date_comments
                <= review.date_statement_signed
                <= Date.context_today(review),
                review.display_name,
            )
        # A statement records the outcome of the cycle that ended: its signature sets off
        # the moderation of that (previous) review; this year's reviews wait for their own.
        self.assertEqual(set(signed.mapped("moderation_state")), {"awaiting_statement"})
        barbara = self._demo("review_barbara_nolan_demo").statement_id
        self.assertFalse(barbara.previous_review_id, "a first review assesses no earlier cycle")
        recording = statements.filtered("previous_review_id")
        for name in ("rachel_hughes", "linda_price"):
            self.assertEqual(
                self._demo(f"review_{name}_demo").statement_id.previous_review_id,
                self._demo(f"review_{name}_prev_demo"),
            )
        for statement in recording:
            outcome = statement.previous_review_id
            self.assertEqual(outcome.outcome_statement_id, statement, statement.display_name)
            self.assertEqual(outcome.date_outcome_signed, statement.review_id.date_statement_signed)
            self.assertNotEqual(outcome.moderation_state, "awaiting_statement")
        # The steps in between.
        steve = self._demo("review_steve_collins_demo").statement_id
        self.assertEqual(
            (steve.state, steve.reviewer_signed, steve.reviewee_signed), ("final", True, False)
        )
        jean = self._demo("review_jean_holt_demo").statement_id
        self.assertEqual(jean.state, "commented")
        self.assertTrue(jean.reviewee_comments)
        # Karen Whitmore signed in the meeting, on her reviewer's device, as herself.
        karen = self._demo("review_karen_whitmore_demo").statement_id
        meeting = karen.signature_ids.filtered(lambda s: s.route == "meeting")
        self.assertEqual(meeting.signer_user_id.login, "karen.whitmore")
        self.assertEqual(meeting.signer_role, "reviewee")
        self.assertEqual(self._demo("review_priya_shah_demo").statement_id.state, "sent")
        # The signed content is frozen, for the superuser too.
        emily = self._demo("review_emily_carter_demo").statement_id
        with self.assertRaises(UserError):
            emily.sudo().overall_assessment = "Changed after signing"

    def test_deadlines_mostly_met(self):
        """The statement, moderation and pay decision deadlines show a school's normal day:
        most met, some due, a handful missed."""
        kinds = (
            "draft_statement",
            "comments",
            "final_statement",
            "moderation",
            "revised_statement",
            "pay_decision",
        )
        deadlines = self.env["hr.performance.deadline"].search([("kind", "in", kinds)])
        status = {
            key: deadlines.filtered(lambda d, k=key: d.status == k)
            for key in ("met", "late", "due", "missed")
        }
        self.assertGreaterEqual(len(status["met"]), 20)
        self.assertTrue(status["late"])
        self.assertTrue(status["due"])
        self.assertLessEqual(len(status["missed"]), 8, status["missed"].mapped("display_name"))
        # This year's statements: only the overdue signature and the review in the
        # capability procedure (a different route) miss theirs.
        this_year = status["missed"].filtered(
            lambda d: (
                d.kind in ("draft_statement", "comments", "final_statement")
                and d.review_id.state not in ("completed", "final_review")
            )
        )
        self.assertEqual(
            set(this_year.review_id.employee_id.mapped("name")), {"Steve Collins", "Ben Wright"}
        )
