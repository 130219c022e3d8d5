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
