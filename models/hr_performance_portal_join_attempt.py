import ipaddress
import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.misc import hmac

from .hr_performance_portal_invitation import normalise_code

# After MAX_FAILURES refused sign-ups with one code, or MAX_ADDRESS_FAILURES from one
# address, within the period, the sign-up page refuses that code or address until the period
# has passed since the last one (system parameters of the same names override the defaults).
# An address is often a whole school behind one router: its limit is high enough for many
# colleagues' typos, and still stops one machine from trying many codes.
MAX_FAILURES_PARAM = "hr_school_performance.portal_join_max_failures"
MAX_ADDRESS_FAILURES_PARAM = "hr_school_performance.portal_join_max_address_failures"
LOCK_MINUTES_PARAM = "hr_school_performance.portal_join_lock_minutes"
MAX_FAILURES = 5
MAX_ADDRESS_FAILURES = 50
LOCK_MINUTES = 15
HMAC_SCOPE = "hr_school_performance.portal_join_attempt"
# Refused attempts are kept this long (the address is personal data), then vacuumed.
KEEP_DAYS = 2


class HrPerformancePortalJoinAttempt(models.Model):
    """A refused attempt to sign up on ``/performance/join``: the address it came from and
    a keyed hash of the code typed (never the code). Kept in the database, so that every
    worker of the server counts the same attempts. Two limits, each within ``LOCK_MINUTES``
    and each lifted ``LOCK_MINUTES`` after the last refusal it counts:

    - **a code** refused ``MAX_FAILURES`` times (5, parameter
      ``hr_school_performance.portal_join_max_failures``), from any address, is refused —
      the right code too. It is the limit for one code, whoever types it; it covers an
      address typing one code too, so no separate limit per (address, code) is needed;
    - **an address** with ``MAX_ADDRESS_FAILURES`` refusals (50, parameter
      ``hr_school_performance.portal_join_max_address_failures``, never below the code
      limit), whatever codes were typed, is refused. A school's staff usually share one
      public address, so a few colleagues' typos must not lock it; someone trying many codes
      from one machine is stopped after that many. An IPv6 address counts as its ``/64``
      network (what one subscriber is given), so that it cannot be dodged by moving within
      it.

    ``hr_school_performance.portal_join_lock_minutes`` sets ``LOCK_MINUTES`` (15). The
    system's alone (the public sign-up page writes it as superuser); administrators may
    read it."""

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
        """(failures that lock a code, failures that lock an address, length of the lock)
        from the system parameters."""
        params = self.env["ir.config_parameter"].sudo()

        def number(param, default):
            return max(int(params.get_param(param, default) or default), 1)

        failures = number(MAX_FAILURES_PARAM, MAX_FAILURES)
        address_failures = max(number(MAX_ADDRESS_FAILURES_PARAM, MAX_ADDRESS_FAILURES), failures)
        minutes = number(LOCK_MINUTES_PARAM, LOCK_MINUTES)
        return failures, address_failures, timedelta(minutes=minutes)

    @api.model
    def _address_key(self, ip_address):
        """The address as counted: an IPv4 address as such, an IPv6 address as its ``/64``
        network (an IPv4 address mapped into IPv6 as the IPv4 address)."""
        try:
            address = ipaddress.ip_address(ip_address or "")
        except ValueError:
            return ip_address or False
        if address.version == 6:
            if address.ipv4_mapped:
                return str(address.ipv4_mapped)
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        return str(address)

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
        failures, address_failures, period = self._limits()
        now = fields.Datetime.now()
        address = self._address_key(ip_address)
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{HMAC_SCOPE}:{address}"]
        )
        until = False
        for key, value, limit in (
            ("ip_address", address, address_failures),
            ("code_digest", self._digest(code), failures),
        ):
            if not value:
                continue
            recent = self.search_fetch(
                [(key, "=", value), ("date_attempt", ">", now - period)],
                ["date_attempt"],
                limit=limit,
            )
            if len(recent) >= limit:
                end = recent[0].date_attempt + period
                until = max(until, end) if until else end
        return until

    @api.model
    def _record_failure(self, ip_address, code, reason):
        return self.create(
            {
                "ip_address": self._address_key(ip_address),
                "code_digest": self._digest(code),
                "reason": reason,
            }
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
