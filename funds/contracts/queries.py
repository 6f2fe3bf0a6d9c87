"""Reads of contracts: the current document and its signatures, and the contract's record —
everything its document shows (the template's text filled in, and the annexes: the approved
work plan, the budget by category and year, the products and their quality indicators, the
payment and reporting schedules, the closeout regime and the amendments)."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, func, select

from funds.accounts.models import User
from funds.appraisal import queries as appraisal_queries
from funds.appraisal.queries import BudgetRow, WorkRow
from funds.calls.models import Fund
from funds.clock import to_local, utcnow
from funds.contracts import rules
from funds.contracts.models import (
    Contract,
    ContractDocument,
    ContractProduct,
    ContractSignature,
    ContractStatus,
    ContractTemplate,
    ContractTranche,
    Party,
)
from funds.hosts.models import Host
from funds.legal import settings as legal_settings
from funds.projects.models import ChangeRequest, ChangeStatus
from funds.projects.regimes import services as regimes
from funds.projects.rules import add_months, final_report_due, report_due_dates
from funds.proposals.models import Proposal
from funds.proposals.sections import counterparts

TEMPLATE_FILE = "contract_template_vi.txt"


def builtin_template() -> str:
    """The built-in Vietnamese contract text, used by a fund without its own template."""
    from importlib.resources import files

    return (files("funds") / "data" / TEMPLATE_FILE).read_text(encoding="utf-8")


def latest_template(session: Session, fund_id: int) -> ContractTemplate | None:
    return session.exec(
        select(ContractTemplate)
        .where(ContractTemplate.fund_id == fund_id)
        .order_by(col(ContractTemplate.version).desc())
    ).first()


def templates_of(session: Session, fund_id: int) -> list[ContractTemplate]:
    return list(
        session.exec(
            select(ContractTemplate)
            .where(ContractTemplate.fund_id == fund_id)
            .order_by(col(ContractTemplate.version).desc())
        ).all()
    )


def live_contract(session: Session, proposal_id: int) -> Contract | None:
    """The proposal's contract that is not cancelled, if any."""
    return session.exec(
        select(Contract).where(
            Contract.proposal_id == proposal_id, Contract.status != ContractStatus.CANCELLED
        )
    ).first()


def contract_of_award(session: Session, award_id: int) -> Contract | None:
    return session.exec(select(Contract).where(Contract.award_id == award_id)).first()


def documents(session: Session, contract_id: int) -> list[ContractDocument]:
    return list(
        session.exec(
            select(ContractDocument)
            .where(ContractDocument.contract_id == contract_id)
            .order_by(col(ContractDocument.version).desc())
        ).all()
    )


def latest_document(session: Session, contract_id: int) -> ContractDocument | None:
    return session.exec(
        select(ContractDocument)
        .where(ContractDocument.contract_id == contract_id)
        .order_by(col(ContractDocument.version).desc())
    ).first()


def next_version(session: Session, contract_id: int) -> int:
    last = session.exec(
        select(func.max(ContractDocument.version)).where(
            ContractDocument.contract_id == contract_id
        )
    ).one()
    return (last or 0) + 1


def is_current(contract: Contract, document: ContractDocument | None) -> bool:
    """The document was made on the contract's present terms."""
    return document is not None and document.terms_revision == contract.terms_revision


def signatures(session: Session, contract_id: int) -> list[ContractSignature]:
    return list(
        session.exec(
            select(ContractSignature)
            .where(ContractSignature.contract_id == contract_id)
            .order_by(col(ContractSignature.signed_at))
        ).all()
    )


def signed_parties(session: Session, document_id: int) -> set[str]:
    return set(
        session.exec(
            select(ContractSignature.party).where(ContractSignature.document_id == document_id)
        ).all()
    )


def products(session: Session, contract_id: int) -> list[ContractProduct]:
    return list(
        session.exec(
            select(ContractProduct)
            .where(ContractProduct.contract_id == contract_id)
            .order_by(col(ContractProduct.position), col(ContractProduct.id))
        ).all()
    )


def tranches(session: Session, contract_id: int) -> dict[int, int]:
    """Work line id → the tranche paid when its milestone is accepted."""
    return {
        t.work_line_id: t.amount_vnd
        for t in session.exec(
            select(ContractTranche).where(ContractTranche.contract_id == contract_id)
        ).all()
    }


@dataclass(frozen=True)
class WorkItem:
    """A work package of the approved work plan, with its milestone's due date and tranche."""

    line_id: int
    owner: str
    task: str
    due_month: int
    due_date: date
    deliverable: str
    tranche_vnd: int


@dataclass(frozen=True)
class Amendment:
    number: int
    kind: str
    text: str
    decided_at: object


@dataclass
class ContractRecord:
    """What the contract's document shows: the template's text filled in and the annexes."""

    number: str
    status: str
    title: str
    fund_name: str
    fund_signatory: str
    host: Host | None
    pi_name: str
    start_date: date
    end_date: date
    months: int
    funding_mode: str
    contract_date: date | None
    budget: list[tuple[str, int, int]]
    total_vnd: int
    counterparts: list[tuple[str, int | None, int]]
    differences_budget: list[BudgetRow]
    differences_work: list[WorkRow]
    work: list[WorkItem]
    products: list[ContractProduct]
    advance_share: object
    payments: list[rules.Payment]
    reports: list[date]
    final_report_due: date
    regime_code: str
    regime_basis: str
    body: str
    template_id: int | None
    template_version: int | None
    amendments: list[Amendment] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({y for _c, y, _a in self.budget})

    @property
    def categories(self) -> list[str]:
        seen: list[str] = []
        for c, _y, _a in self.budget:
            if c not in seen:
                seen.append(c)
        return seen

    def amount(self, category: str, year: int) -> int:
        return sum(a for c, y, a in self.budget if c == category and y == year)

    def year_total(self, year: int) -> int:
        return sum(a for _c, y, a in self.budget if y == year)

    def category_total(self, category: str) -> int:
        return sum(a for c, _y, a in self.budget if c == category)

    @property
    def counterpart_total(self) -> int:
        return sum(a for _s, _y, a in self.counterparts)


def work_items(session: Session, contract: Contract) -> list[WorkItem]:
    amounts = tranches(session, contract.id)
    return [
        WorkItem(
            line_id=i,
            owner=v.owner,
            task=v.task,
            due_month=v.due_month,
            due_date=add_months(contract.start_date, v.due_month),
            deliverable=v.deliverable,
            tranche_vnd=amounts.get(i, 0),
        )
        for i, v in appraisal_queries.approved_work(session, contract.proposal_id) or []
    ]


def state_total(session: Session, contract: Contract) -> int:
    return sum(
        a for _c, _y, a in appraisal_queries.approved_budget(session, contract.proposal_id) or []
    )


def amendments(session: Session, contract: Contract) -> list[Amendment]:
    """The approved change requests of the award, each an amendment (numbered annex)."""
    if contract.award_id is None:
        return []
    rows = session.exec(
        select(ChangeRequest)
        .where(
            ChangeRequest.award_id == contract.award_id,
            ChangeRequest.status == ChangeStatus.APPROVED,
            col(ChangeRequest.annex_number).is_not(None),
        )
        .order_by(col(ChangeRequest.annex_number))
    ).all()
    return [
        Amendment(c.annex_number or 0, c.kind, c.annex_text or c.reason, c.decided_at) for c in rows
    ]


def _fund_signatory(session: Session, contract: Contract) -> str:
    """Who signs for the fund: the manager who signed, else the one who drafted it."""
    signer = session.exec(
        select(User.name)
        .join(ContractSignature, col(ContractSignature.user_id) == User.id)
        .where(ContractSignature.contract_id == contract.id, ContractSignature.party == Party.FUND)
        .order_by(col(ContractSignature.signed_at).desc())
    ).first()
    return signer or session.get_one(User, contract.created_by).name


def contract_record(session: Session, contract: Contract) -> ContractRecord:
    """Everything the contract's document shows, on its present terms."""
    proposal = session.get_one(Proposal, contract.proposal_id)
    fund = session.get_one(Fund, contract.fund_id)
    pi = session.get_one(User, proposal.pi_id)
    host = proposal.host
    budget = appraisal_queries.approved_budget(session, proposal.id) or []
    total = sum(a for _c, _y, a in budget)
    share = legal_settings.value(session, "money.advance_share")
    advance = rules.advance_of(total, share)
    work = work_items(session, contract)
    payments = rules.payment_schedule(total, advance, [(w.due_month, w.tranche_vnd) for w in work])
    on = contract.signed_on or to_local(utcnow()).date()
    regime = regimes.regime_for_contract(session, on)
    months = rules.months_between(contract.start_date, contract.end_date)
    final_due = final_report_due(contract.end_date)
    template = latest_template(session, fund.id)
    cps = [(c.source, c.fiscal_year, c.amount_vnd) for c in counterparts(session, proposal.id)]
    values = {
        "contract_number": contract.number,
        "contract_date": rules.day(contract.signed_on),
        "fund_name": fund.name,
        "fund_signatory": _fund_signatory(session, contract),
        "host_name": host.name_vi if host else "",
        "host_tax_code": (host.tax_code or "") if host else "",
        "host_address": host.address if host else "",
        "host_representative": host.representative_name if host else "",
        "host_representative_title": host.representative_title if host else "",
        "pi_name": pi.name,
        "project_title": proposal.title,
        "start_date": rules.day(contract.start_date),
        "end_date": rules.day(contract.end_date),
        "duration_months": str(months),
        "total_vnd": rules.vnd(total),
        "counterpart_vnd": rules.vnd(sum(a for _s, _y, a in cps)),
        "funding_mode": "khoán đến sản phẩm cuối cùng"
        if contract.funding_mode == "lump_sum"
        else "khoán từng phần (theo dự toán chi tiết)",
        "advance_share": rules.percent(share),
        "advance_vnd": rules.vnd(advance),
        "final_report_due": rules.day(final_due),
        "regime_basis": regime.basis,
    }
    appraisal_id = contract.appraisal_id
    return ContractRecord(
        number=contract.number,
        status=contract.status,
        title=proposal.title,
        fund_name=fund.name,
        fund_signatory=values["fund_signatory"],
        host=host,
        pi_name=pi.name,
        start_date=contract.start_date,
        end_date=contract.end_date,
        months=months,
        funding_mode=contract.funding_mode,
        contract_date=contract.signed_on,
        budget=budget,
        total_vnd=total,
        counterparts=cps,
        differences_budget=[
            r for r in appraisal_queries.budget_rows(session, appraisal_id) if r.changed
        ],
        differences_work=[
            r for r in appraisal_queries.work_rows(session, appraisal_id) if r.changed
        ],
        work=work,
        products=products(session, contract.id),
        advance_share=share,
        payments=payments,
        reports=report_due_dates(contract.start_date, contract.end_date),
        final_report_due=final_due,
        regime_code=regime.code,
        regime_basis=regime.basis,
        body=rules.fill_template(template.body if template else builtin_template(), values),
        template_id=template.id if template else None,
        template_version=template.version if template else None,
        amendments=amendments(session, contract),
    )
