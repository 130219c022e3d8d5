from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTrustLanding(HttpCase):
    """A trust-level user opens the web client on the trust and the schools under it,
    not on the trust alone (where no review lives)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.trust = Company.create({"name": "Landing Trust"})
        cls.school_a = Company.create({"name": "Landing School A", "parent_id": cls.trust.id})
        cls.school_b = Company.create({"name": "Landing School B", "parent_id": cls.trust.id})
        cls.outsider = Company.create({"name": "Landing Outsider"})
        cls.trust_officer = new_test_user(
            cls.env,
            login="landing_trust_officer",
            groups="base.group_user,hr_school_performance.hr_school_performance_group_hr_officer",
            company_id=cls.trust.id,
            company_ids=[Command.set((cls.trust | cls.school_a | cls.school_b | cls.outsider).ids)],
        )
        cls.school_user = new_test_user(
            cls.env,
            login="landing_school_user",
            company_id=cls.school_a.id,
            company_ids=[Command.set(cls.school_a.ids)],
        )

    def _open_web_client(self, login, cookies=None):
        self.authenticate(login, login)
        if cookies:
            self.opener.cookies.update(cookies)
        response = self.url_open("/odoo")
        self.assertEqual(response.status_code, 200)
        return response

    def test_trust_user_lands_on_trust_and_schools(self):
        response = self._open_web_client(self.trust_officer.login)
        expected = "-".join(map(str, [self.trust.id, *sorted((self.school_a | self.school_b).ids)]))
        self.assertEqual(response.cookies.get("cids"), expected)
        # the session info the web client boots from names the trust as default company
        info = self.url_open(
            "/web/session/get_session_info", json={"jsonrpc": "2.0", "params": {}}
        ).json()["result"]
        self.assertEqual(info["user_companies"]["current_company"], self.trust.id)

    def test_own_choice_is_kept(self):
        response = self._open_web_client(
            self.trust_officer.login, cookies={"cids": str(self.school_b.id)}
        )
        self.assertNotIn("cids", response.cookies)

    def test_school_user_unchanged(self):
        response = self._open_web_client(self.school_user.login)
        self.assertNotIn("cids", response.cookies)
