import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.misc import hmac

from .hr_performance_portal_invitation import normalise_code

# After this many refused sign-ups from one address, or with one code, within the period,
# the sign-up page refuses that address or code until the period has passed since the last
# one (system parameters of the same names override the defaults).
MAX_FAILURES_PARAM = "hr_school_performance.portal_join_max_failures"
LOCK_MINUTES_PARAM = "hr_school_performance.portal_join_lock_minutes"
MAX_FAILURES = 5
LOCK_MINUTES = 15
HMAC_SCOPE = "hr_school_performance.portal_join_attempt"
# Refused attempts are kept this long (the address is personal data), then vacuumed.
KEEP_DAYS = 2


class HrPerformancePortalJoinAttempt(models.Model):
    """A refused attempt to sign up on ``/performance/join``: the address it came from and
    a keyed hash of the code typed (never the code). Kept in the database, so that every
    worker of the server counts the same attempts: after ``MAX_FAILURES`` within
    ``LOCK_MINUTES`` from one address, or with one code, that address or code is refused —
    a correct code too — until ``LOCK_MINUTES`` after the last one. The system's alone
    (the public sign-up page writes it as superuser); administrators may read it."""

    _name = "hr.performance.portal.join.attempt"
    _description = "Refused Portal Sign-up"
    _order = "date_attempt desc, id desc"

    date_attempt = fields.Datetime(
        string="When", required=True, default=fields.Datetime.now, readonly=True, index=True
    )
    ip_address = fields.Char(string="Address", readonly=True, index=True)
    code_digest = fields.Char(readonly=True, index=True)
    reason = fields.Selection(
        [("code", "Code not valid"), ("password", "Password refused")],
        required=True,
        readonly=True,
    )

    @api.model
    def _limits(self):
        """(failures that lock, length of the lock) from the system parameters."""
        params = self.env["ir.config_parameter"].sudo()
        failures = int(params.get_param(MAX_FAILURES_PARAM, MAX_FAILURES) or MAX_FAILURES)
        minutes = int(params.get_param(LOCK_MINUTES_PARAM, LOCK_MINUTES) or LOCK_MINUTES)
        return max(failures, 1), timedelta(minutes=max(minutes, 1))

    @api.model
    def _digest(self, code):
        code = normalise_code(code)
        # sudo: the database secret keys the hash.
        return hmac(self.env(su=True), HMAC_SCOPE, code) if code else False

    @api.model
    def _locked_until(self, ip_address, code):
        """When the lock on ``ip_address`` or ``code`` ends, or ``False`` when neither is
        locked. Takes a transaction lock per address, so that parallel requests from one
        address are counted one after the other."""
        failures, period = self._limits()
        now = fields.Datetime.now()
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{HMAC_SCOPE}:{ip_address}"]
        )
        until = False
        digest = self._digest(code)
        for key, value in (("ip_address", ip_address), ("code_digest", digest)):
            if not value:
                continue
            recent = self.search_fetch(
                [(key, "=", value), ("date_attempt", ">", now - period)],
                ["date_attempt"],
                limit=failures,
            )
            if len(recent) >= failures:
                end = recent[0].date_attempt + period
                until = max(until, end) if until else end
        return until

    @api.model
    def _record_failure(self, ip_address, code, reason):
        return self.create(
            {"ip_address": ip_address, "code_digest": self._digest(code), "reason": reason}
        )

    @api.model
    def _lock_message(self, until):
        minutes = max(1, math.ceil((until - fields.Datetime.now()).total_seconds() / 60))
        if minutes == 1:
            return self.env._(
                "Too many unsuccessful sign-up attempts: for your security, sign-up is paused "
                "for one more minute. Try again then, or ask HR or your reviewer for help."
            )
        return self.env._(
            "Too many unsuccessful sign-up attempts: for your security, sign-up is paused for "
            "%(minutes)s more minutes. Try again then, or ask HR or your reviewer for help.",
            minutes=minutes,
        )

    @api.autovacuum
    def _gc_join_attempts(self):
        limit = fields.Datetime.now() - timedelta(days=KEEP_DAYS)
        self.sudo().search([("date_attempt", "<", limit)]).unlink()
