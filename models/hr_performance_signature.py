import base64
from hashlib import sha256

from odoo import api, fields, models
from odoo.exceptions import UserError

from .hr_performance_statement import canonical_json


class HrPerformanceSignature(models.Model):
    """One signature of one party on one document of a review (the statement, a revision
    of it, a mid-year review), whatever the route it was given by: the back office, the
    reviewer's device in the meeting after the reviewee authenticated, or the self-service
    portal. Signatures are written only by the statement's and the review's signature
    writers, never changed, and chained: each hash covers the previous one, the signed
    content and the signature itself (as ``account.move``'s inalterability hash)."""

    _name = "hr.performance.signature"
    _description = "Performance Document Signature"
    _order = "id"
    _check_company_auto = True

    statement_id = fields.Many2one(
        "hr.performance.statement", index="btree_not_null", ondelete="restrict", readonly=True
    )
    review_id = fields.Many2one(
        "hr.performance.review", required=True, index=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    document_kind = fields.Selection(
        [
            ("statement", "Planning and review statement"),
            ("revision", "Revision of the statement"),
            ("midyear", "Mid-year review"),
        ],
        required=True,
        readonly=True,
    )
    res_model = fields.Char(compute="_compute_document", string="Document Model")
    res_id = fields.Integer(compute="_compute_document", string="Document ID")
    signer_role = fields.Selection(
        [("reviewee", "Reviewee"), ("reviewer", "Reviewer")], required=True, readonly=True
    )
    signer_user_id = fields.Many2one("res.users", required=True, readonly=True)
    signer_partner_id = fields.Many2one(
        "res.partner", related="signer_user_id.partner_id", store=True, string="Signer"
    )
    signed_name = fields.Char(required=True, readonly=True)
    signature = fields.Image(max_width=1024, max_height=1024, required=True, readonly=True)
    signed_on = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    route = fields.Selection(
        [
            ("backoffice", "signed in the back office"),
            ("meeting", "signed in the meeting after authenticating"),
            ("portal", "signed on the self-service pages"),
        ],
        required=True,
        readonly=True,
    )
    content_hash = fields.Char(readonly=True)
    previous_hash = fields.Char(readonly=True)
    signature_hash = fields.Char(readonly=True, index="btree_not_null")

    @api.depends("statement_id", "review_id", "document_kind")
    def _compute_document(self):
        for signature in self:
            if signature.statement_id:
                signature.res_model = "hr.performance.statement"
                signature.res_id = signature.statement_id.id
            else:
                signature.res_model = "hr.performance.review"
                signature.res_id = signature.review_id.id

    @api.model
    def _get_integrity_hash_fields(self):
        return (
            "statement_id",
            "review_id",
            "document_kind",
            "signer_role",
            "signer_user_id",
            "signed_name",
            "signed_on",
            "route",
            "content_hash",
        )

    def _signature_values(self):
        self.ensure_one()
        values = {}
        for name in self._get_integrity_hash_fields():
            value = self[name]
            if self._fields[name].type == "many2one":
                value = value.id
            values[name] = str(value)
        image = base64.b64decode(self.signature or b"")
        values["signature"] = sha256(image).hexdigest()
        return values

    def _compute_signature_hash(self, previous_hash):
        self.ensure_one()
        current = canonical_json(self._signature_values())
        return sha256(((previous_hash or "") + current).encode()).hexdigest()

    @api.model
    def _create_signature(self, vals, content):
        """Create one signature on ``content`` (the canonical signed values), chained to
        the last signature of the school. Called by the signature writers only, after they
        checked who signs what."""
        content_hash = sha256(canonical_json(content).encode()).hexdigest()
        # sudo: signatures are never created nor changed by users directly (no access
        # right); the writer calling this checked the signer and the document.
        Signature = self.sudo()
        review = self.env["hr.performance.review"].sudo().browse(vals["review_id"])
        # One chain per school: serialise the signers of a school.
        self.env.cr.execute(
            "SELECT id FROM res_company WHERE id = %s FOR UPDATE", [review.company_id.id]
        )
        previous = Signature.search(
            [("company_id", "=", review.company_id.id)], order="id desc", limit=1
        )
        signature = Signature.create(
            {**vals, "content_hash": content_hash, "previous_hash": previous.signature_hash or ""}
        )
        signature.signature_hash = signature._compute_signature_hash(signature.previous_hash)
        return signature.with_env(self.env)

    def _verify_chain(self):
        """The signatures of ``self``'s schools whose hash, or link to the previous one,
        no longer matches: the whole chain of each school is walked."""
        bad = self.browse()
        for company in self.sudo().company_id:
            chain = self.sudo().search([("company_id", "=", company.id)], order="id")
            previous_hash = ""
            for signature in chain:
                expected = signature._compute_signature_hash(previous_hash)
                document = signature.statement_id
                content_ok = True
                if document and document.state == "signed":
                    content = sha256(
                        canonical_json(document._content_payload()).encode()
                    ).hexdigest()
                    content_ok = content == signature.content_hash
                if (
                    signature.previous_hash != previous_hash
                    or signature.signature_hash != expected
                    or not content_ok
                ):
                    bad |= signature
                previous_hash = signature.signature_hash
        return bad

    def write(self, vals):
        self.check_access("write")
        if set(vals) - {"signature_hash"} or self.filtered("signature_hash"):
            raise UserError(self.env._("A signature cannot be changed once given."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A signature cannot be deleted."))
