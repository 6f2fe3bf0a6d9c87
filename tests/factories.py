"""Test data made through the domain's own services (no second code path)."""

from datetime import timedelta
from itertools import count

from sqlmodel import Session, select

from funds.accounts.mfa import rules as mfa_rules
from funds.accounts.mfa import services as mfa
from funds.accounts.mfa.models import TotpCredential
from funds.accounts.services import create_user
from funds.calls.managers import add_fund_manager
from funds.calls.services import create_call, create_fund
from funds.clock import to_local, utcnow
from funds.proposals import services as proposal_svc
from funds.submission import services as submission_svc
from reviews.reviewing.services import assign_reviewer

PASSWORD = "correct-horse-battery"
_seq = count(1)


def enrol_totp(session: Session, user) -> str:
    """Enrol an authenticator through the service, as the enrolment page does; the secret
    is kept on the user object (`user.totp_secret`) and returned."""
    enrolment = mfa.start_enrolment(session, actor=user)
    # confirmed with the previous step's code, so the current and next steps stay free
    step = mfa_rules.time_step(utcnow()) - 1
    codes = mfa.confirm_enrolment(
        session, actor=user, code=mfa_rules.code_at(enrolment.secret, step)
    )
    # not table columns: set past pydantic's check of field names
    object.__setattr__(user, "totp_secret", enrolment.secret)
    object.__setattr__(user, "totp_recovery_codes", codes)
    return enrolment.secret


def totp_code(session: Session, user_id: int) -> str:
    """A code the account's authenticator would accept now, not used yet, and still valid a
    step from now (a slow page does not outlive it).

    Codes are single use and three are valid at a time (the previous, this and the next
    step); the latest not yet used is given. When a test has used it, the credential's
    last-used step is moved back, as if its last sign-in were a minute ago (a test of replay
    checks codes itself). The previous step's code was given first until 2026-12-02: a
    sign-in that crossed a step boundary then failed (a CI flake)."""
    cred = session.exec(select(TotpCredential).where(TotpCredential.user_id == user_id)).one()
    session.refresh(cred)
    secret = mfa_rules.unseal(cred.secret, key=mfa.sealing_key, user_id=user_id)
    now = mfa_rules.time_step(utcnow())
    if cred.last_used_step is not None and cred.last_used_step >= now + 1:
        cred.last_used_step = now - 2
        session.add(cred)
        session.commit()
    return mfa_rules.code_at(secret, now + 1)


def complete_sections(requested_vnd: int, year: int | None = None) -> dict:
    """Everything a call asks for beyond the title, so the draft can be submitted; the budget
    in `year`, the call's first fiscal year (the year it closes, Vietnam time)."""
    year = year or to_local(utcnow()).year
    return {
        "title_en": "Semiconductor chip research",
        "keywords": "chip; bán dẫn",
        "trl_now": 3,
        "trl_target": 6,
        "duration_months": 24,
        "work_packages": [
            {"owner": "PI", "task": "Thiết kế", "due_month": 6, "deliverable": "Bản thiết kế"}
        ],
        "budget_lines": [("personnel", year, requested_vnd)] if requested_vnd else [],
    }


class Factories:
    def __init__(self, session: Session):
        self.session = session
        self._manager = None
        self._admin = None

    def user(
        self,
        *roles: str,
        email: str | None = None,
        name: str | None = None,
        institution: str = "Viện Nghiên cứu",
        commit: bool = True,
        totp: bool | None = None,
        **kw,
    ):
        """An account; administrators and managers get an authenticator unless totp=False."""
        n = next(_seq)
        user = create_user(
            self.session,
            actor=None,
            email=email or f"user{n}@example.org",
            name=name or f"Người dùng {n}",
            password=PASSWORD,
            roles=list(roles or ["applicant"]),
            institution=institution,
            **kw,
        )
        if totp or (totp is None and mfa_rules.is_mandatory(roles)):
            enrol_totp(self.session, user)
        self._done(commit)
        return user

    def manager(self):
        if self._manager is None:
            self._manager = self.user("manager", name="Quản lý Quỹ")
        return self._manager

    def admin(self):
        if self._admin is None:
            self._admin = self.user("admin", name="Quản trị viên")
        return self._admin

    def manager_of(self, fund, *, user=None, commit=True):
        """A manager (a new one unless given) whom an administrator links to the fund; the
        fund's creator, make.manager(), manages every fund the factories make."""
        user = user or self.user("manager")
        add_fund_manager(self.session, actor=self.admin(), fund_id=fund.id, user_id=user.id)
        self._done(commit)
        return user

    def fund(self, *, code: str | None = None, name: str = "Quỹ thử nghiệm", commit=True):
        fund = create_fund(
            self.session, actor=self.manager(), code=code or f"F{next(_seq)}", name=name
        )
        self._done(commit)
        return fund

    def call(
        self,
        *,
        fund=None,
        opens_in=timedelta(days=-1),
        closes_in=timedelta(days=30),
        ceiling_vnd=2_000_000_000,
        budget_vnd=20_000_000_000,
        area_codes=None,
        title: str = "Đợt gọi thử nghiệm",
        commit=True,
        **kw,
    ):
        now = utcnow()
        call = create_call(
            self.session,
            actor=self.manager(),
            fund_id=(fund or self.fund()).id,
            title=title,
            opens_at=now + opens_in,
            closes_at=now + closes_in,
            ceiling_vnd=ceiling_vnd,
            budget_vnd=budget_vnd,
            area_codes=area_codes,
            **kw,
        )
        self._done(commit)
        return call

    def proposal(
        self,
        *,
        pi=None,
        call=None,
        title: str = "Nghiên cứu chip bán dẫn",
        requested_vnd: int = 1_000_000_000,
        area_code=None,
        submit: bool = False,
        commit=True,
        **kw,
    ):
        pi = pi or self.user("applicant")
        call = call or self.call()
        first_year = to_local(call.closes_at).year
        sections = {} if kw.pop("bare", False) else complete_sections(requested_vnd, first_year)
        sections.update(kw)
        p = proposal_svc.create_draft(
            self.session,
            actor=pi,
            call_id=call.id,
            title=title,
            requested_vnd=requested_vnd,
            area_code=area_code,
            abstract=sections.pop("abstract", "Tóm tắt."),
            **sections,
        )
        if submit:
            submission_svc.submit_proposal(self.session, actor=pi, proposal_id=p.id)
        self._done(commit)
        return p

    def assignment(self, *, proposal=None, reviewer=None, commit=True):
        proposal = proposal or self.proposal(submit=True)
        reviewer = reviewer or self.user("reviewer")
        a = assign_reviewer(
            self.session, actor=self.manager(), proposal_id=proposal.id, reviewer_id=reviewer.id
        )
        self._done(commit)
        return a

    def host(self, *, name_vi: str | None = None, tax_code: str | None = None, commit=True, **kw):
        """An organisation of the register, registered by an administrator."""
        from funds.hosts.services import register_host

        n = next(_seq)
        host = register_host(
            self.session,
            actor=self.admin(),
            name_vi=name_vi or f"Viện Nghiên cứu số {n}",
            tax_code=tax_code if tax_code is not None else f"{n:010d}",
            **kw,
        )
        self._done(commit)
        return host

    def host_officer(self, host, *, user=None, commit=True):
        """An account with the host officer role, linked to the organisation by an admin."""
        from funds.hosts.services import link_officer

        user = user or self.user("host_officer", name="Cán bộ Tổ chức chủ trì")
        link_officer(self.session, actor=self.admin(), host_id=host.id, user_id=user.id)
        self._done(commit)
        return user

    def _done(self, commit: bool) -> None:
        self.session.flush()
        if commit:
            self.session.commit()
