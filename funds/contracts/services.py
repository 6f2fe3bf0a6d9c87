"""Use cases of contracts: the fund's template versions, drafting a contract from an approved
appraisal (its number from the fund's sequence), its terms, each generated version (PDF and
DOCX, hashed), sending it for signature, the three signatures on one version, and entry
into force — the award is created from the contract and the advance paid. Every step is
audited (object `contract`, `contract_template`)."""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from sqlmodel import Session, delete, select

from funds import audit, sequences
from funds.accounts.models import User
from funds.appraisal import queries as appraisal_queries
from funds.calls.models import Fund
from funds.calls.permissions import manages_fund
from funds.clock import to_local, utcnow
from funds.contracts import queries, rules
from funds.contracts.models import (
    Contract,
    ContractDocument,
    ContractProduct,
    ContractSequence,
    ContractSignature,
    ContractStatus,
    ContractTemplate,
    ContractTranche,
    Party,
)
from funds.contracts.permissions import (
    can_cancel,
    can_draft_contract,
    can_edit_terms,
    can_generate,
    can_return_to_draft,
    can_send,
    can_view_contract,
    party_to_sign,
)
from funds.contracts.queries import ContractRecord
from funds.contracts.rules import CONTRACT
from funds.errors import N_, InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.legal import settings as legal_settings
from funds.projects import services as projects
from funds.projects.models import Award
from funds.projects.money import services as money
from funds.projects.regimes.services import CommittedIndicator
from funds.proposals.models import Proposal
from funds.rules import Violation

# The portal renders the record to (PDF, DOCX) bytes; the domain stores and hashes them.
Renderer = Callable[[ContractRecord], tuple[bytes, bytes]]


@dataclass(frozen=True)
class ProductTerm:
    """A product with one quality indicator, as the contract commits it."""

    product: str
    indicator: str
    target: str = ""
    unit: str = ""


@dataclass(frozen=True)
class ContractAccess:
    contract: Contract
    proposal: Proposal


def _refuse(found: list[Violation]) -> NoReturn:
    raise RuleViolation(found[0].message, found, **found[0].params)


def _audit(session, actor: User | None, contract: Contract, action: str, before=None, detail=""):
    audit.record(
        session,
        actor_id=actor.id if actor else None,
        object_type="contract",
        object_id=contract.id,
        action=action,
        from_state=before,
        to_state=contract.status,
        detail=detail[:4000],
    )


def get_contract_for(session: Session, *, actor: User, contract_id: int) -> ContractAccess:
    """The contract if this user may see it (the fund's managers, the PI, the host's
    officers); otherwise NotFound."""
    contract = session.get(Contract, contract_id)
    proposal = session.get(Proposal, contract.proposal_id) if contract else None
    if contract is None or proposal is None or not can_view_contract(proposal, actor):
        raise NotFound(N_("No such contract."))
    return ContractAccess(contract, proposal)


def save_template(
    session: Session, *, actor: User, fund_id: int, body: str, note: str = ""
) -> ContractTemplate:
    """A new version of the fund's contract text; earlier versions stay, and each document
    records the version it was made from."""
    fund = session.get(Fund, fund_id)
    if fund is None or not manages_fund(actor, fund):
        raise NotFound(N_("No such fund."))
    found = rules.template_violations(body)
    if found:
        _refuse(found)
    latest = queries.latest_template(session, fund.id)
    template = ContractTemplate(
        fund_id=fund.id,
        version=(latest.version if latest else 0) + 1,
        body=body.replace("\r\n", "\n"),
        note=note.strip(),
        created_by=actor.id,
    )
    session.add(template)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="contract_template",
        object_id=template.id,
        action="create",
        to_state=f"v{template.version}",
        detail=f"fund {fund.id}; {template.note}"[:4000],
    )
    session.flush()
    return template


def next_number(session: Session, *, fund_id: int, year: int) -> int:
    """The fund's next contract number of the year (race-safe: funds.sequences)."""
    table = ContractSequence.__table__  # type: ignore[attr-defined]
    return sequences.next_number(session, table, fund_id=fund_id, year=year)


def _default_products(proposal: Proposal) -> list[ProductTerm]:
    """The outputs the proposal planned, as products with a first indicator each."""
    found = []
    if proposal.publications_planned:
        found.append(
            ProductTerm(
                "Bài báo khoa học", "Số bài công bố", str(proposal.publications_planned), "bài"
            )
        )
    if proposal.patents_planned:
        found.append(
            ProductTerm(
                "Đơn đăng ký sáng chế",
                "Số đơn được chấp nhận hợp lệ",
                str(proposal.patents_planned),
                "đơn",
            )
        )
    if proposal.prototypes_planned.strip():
        found.append(
            ProductTerm(
                proposal.prototypes_planned.strip()[:500],
                "Đạt các thông số kỹ thuật theo thuyết minh",
            )
        )
    return found


def draft_contract(session: Session, *, actor: User, proposal_id: int) -> Contract:
    """The fund drafts the contract of a funded proposal whose appraisal is approved: its
    number from the fund's sequence, dates from the proposal's duration, the products it
    planned, and the tranches after the advance split over the approved work packages."""
    proposal = session.get(Proposal, proposal_id)
    appraisal = appraisal_queries.approved_appraisal(session, proposal_id) if proposal else None
    taken = proposal is not None and (
        queries.live_contract(session, proposal.id) is not None
        or session.exec(select(Award.id).where(Award.proposal_id == proposal.id)).first()
        is not None
    )
    if proposal is None or not can_draft_contract(
        proposal, actor, appraised=appraisal is not None, taken=taken
    ):
        raise NotFound(N_("No contract can be drafted for this proposal."))
    assert appraisal is not None
    fund = session.get_one(Fund, proposal.call.fund_id)
    today = to_local(utcnow()).date()
    start, end = rules.default_dates(today, proposal.duration_months or 24)
    contract = Contract(
        proposal_id=proposal.id,
        fund_id=fund.id,
        appraisal_id=appraisal.id,
        number=rules.contract_number(
            fund.code, today.year, next_number(session, fund_id=fund.id, year=today.year)
        ),
        start_date=start,
        end_date=end,
        created_by=actor.id,
    )
    session.add(contract)
    session.flush()
    _write_products(session, contract, _default_products(proposal))
    _write_tranches(session, contract, _default_tranches(session, contract))
    _audit(session, actor, contract, "draft", detail=contract.number)
    session.flush()
    return contract


def _default_tranches(session: Session, contract: Contract) -> dict[int, int]:
    total = queries.state_total(session, contract)
    advance = rules.advance_of(total, _share(session))
    lines = [i for i, _v in appraisal_queries.approved_work(session, contract.proposal_id) or []]
    return dict(zip(lines, rules.split_evenly(total - advance, len(lines)), strict=True))


def _share(session: Session):
    return legal_settings.value(session, "money.advance_share")


def _write_products(session: Session, contract: Contract, items: Sequence[ProductTerm]) -> None:
    session.exec(delete(ContractProduct).where(ContractProduct.contract_id == contract.id))  # type: ignore[arg-type]
    for n, p in enumerate(items):
        session.add(
            ContractProduct(
                contract_id=contract.id,
                position=n,
                product=p.product.strip(),
                indicator=p.indicator.strip(),
                target=p.target.strip(),
                unit=p.unit.strip(),
            )
        )


def _write_tranches(session: Session, contract: Contract, amounts: Mapping[int, int]) -> None:
    session.exec(delete(ContractTranche).where(ContractTranche.contract_id == contract.id))  # type: ignore[arg-type]
    for line_id, amount in amounts.items():
        session.add(
            ContractTranche(contract_id=contract.id, work_line_id=line_id, amount_vnd=amount)
        )


def update_terms(
    session: Session,
    *,
    actor: User,
    contract_id: int,
    start_date: date,
    end_date: date,
    funding_mode: str,
    products: Sequence[ProductTerm],
    tranches: Mapping[int, int],
) -> Contract:
    """The draft's terms: dates, funding mode, products with their quality indicators and
    the tranche of each approved work package. A document made before needs remaking."""
    found = get_contract_for(session, actor=actor, contract_id=contract_id)
    contract = found.contract
    if not can_edit_terms(contract, found.proposal, actor):
        raise NotAllowed(N_("The fund's managers change the terms of a draft."))
    violations = _terms_violations(
        session, contract, start_date, end_date, funding_mode, products, tranches
    )
    if violations:
        _refuse(violations)
    contract.start_date, contract.end_date = start_date, end_date
    contract.funding_mode = funding_mode
    contract.terms_revision += 1
    session.add(contract)
    _write_products(session, contract, products)
    _write_tranches(session, contract, tranches)
    _audit(session, actor, contract, "update_terms", detail=f"revision {contract.terms_revision}")
    session.flush()
    return contract


def _terms_violations(session, contract, start, end, mode, products, tranches) -> list[Violation]:
    found = []
    if end <= start:
        found.append(Violation("end_date", N_("The project must end after it starts.")))
    if mode not in ("itemised", "lump_sum"):
        found.append(Violation("funding_mode", N_("Choose itemised or lump-sum funding.")))
    if any(not (p.product.strip() and p.indicator.strip()) for p in products):
        found.append(Violation("products", N_("Each row needs a product and an indicator.")))
    if mode == "lump_sum" and not products:
        found.append(
            Violation(
                "products", N_("Lump-sum funding commits at least one product quality indicator.")
            )
        )
    lines = {i for i, _v in appraisal_queries.approved_work(session, contract.proposal_id) or []}
    if not set(tranches) <= lines:
        found.append(Violation("tranches", N_("A tranche belongs to an approved work package.")))
    total = queries.state_total(session, contract)
    found += rules.schedule_violations(
        total, rules.advance_of(total, _share(session)), tranches.values()
    )
    return found


def generate_document(
    session: Session, *, actor: User, contract_id: int, render: Renderer
) -> ContractDocument:
    """A new version of the contract's document (PDF and DOCX) from its record; while it
    awaits signatures, signatures of earlier versions no longer count."""
    found = get_contract_for(session, actor=actor, contract_id=contract_id)
    contract = found.contract
    if not can_generate(contract, found.proposal, actor):
        raise NotAllowed(
            N_("The fund's managers make the contract's documents until it is in force.")
        )
    record = queries.contract_record(session, contract)
    pdf, docx = render(record)
    document = ContractDocument(
        contract_id=contract.id,
        version=queries.next_version(session, contract.id),
        terms_revision=contract.terms_revision,
        template_id=record.template_id,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        docx=docx,
        docx_sha256=hashlib.sha256(docx).hexdigest(),
        generated_by=actor.id,
    )
    session.add(document)
    session.flush()
    earlier = len(queries.signatures(session, contract.id))
    _audit(
        session,
        actor,
        contract,
        "generate",
        detail=f"v{document.version} sha256={document.sha256}"
        + (f"; {earlier} earlier signatures no longer count" if earlier else ""),
    )
    session.flush()
    return document


def send_for_signature(session: Session, *, actor: User, contract_id: int) -> Contract:
    """The draft goes to the three parties, on its latest version."""
    found = get_contract_for(session, actor=actor, contract_id=contract_id)
    contract = found.contract
    current = queries.is_current(contract, queries.latest_document(session, contract.id))
    if not can_send(contract, found.proposal, actor, current=current):
        raise InvalidTransition(N_("Make the document on the present terms, then send it."))
    before = CONTRACT.move(contract, ContractStatus.AWAITING_SIGNATURES)
    session.add(contract)
    _audit(session, actor, contract, "send", before)
    session.flush()
    return contract


def return_to_draft(session: Session, *, actor: User, contract_id: int) -> Contract:
    """Back to the draft to change its terms; a new version will need new signatures."""
    found = get_contract_for(session, actor=actor, contract_id=contract_id)
    if not can_return_to_draft(found.contract, found.proposal, actor):
        raise InvalidTransition(CONTRACT.refusal)
    before = CONTRACT.move(found.contract, ContractStatus.DRAFT)
    session.add(found.contract)
    _audit(session, actor, found.contract, "return_to_draft", before)
    session.flush()
    return found.contract


def cancel_contract(session: Session, *, actor: User, contract_id: int, reason: str) -> Contract:
    """A contract not yet in force is cancelled with a reason (its number is not reused)."""
    found = get_contract_for(session, actor=actor, contract_id=contract_id)
    if not can_cancel(found.contract, found.proposal, actor):
        raise InvalidTransition(CONTRACT.refusal)
    if not reason.strip():
        _refuse([Violation("reason", N_("Give the reason."))])
    before = CONTRACT.move(found.contract, ContractStatus.CANCELLED)
    found.contract.cancel_reason = reason.strip()
    session.add(found.contract)
    _audit(session, actor, found.contract, "cancel", before, reason.strip())
    session.flush()
    return found.contract


def sign_contract(
    session: Session, *, actor: User, contract_id: int, sha256: str, allocation_override: str = ""
) -> ContractSignature:
    """The actor signs the latest version for their party (fund, host or PI), on the SHA-256
    they were shown; another version is refused. The fund's signature checks the fund's
    allocation of each year (a reason lets it go past). The third signature brings the
    contract into force."""
    found = get_contract_for(session, actor=actor, contract_id=contract_id)
    contract, proposal = found.contract, found.proposal
    document = queries.latest_document(session, contract.id)
    if document is None or not queries.is_current(contract, document):
        raise InvalidTransition(N_("This contract has no document to sign."))
    signed = queries.signed_parties(session, document.id)
    party = party_to_sign(contract, proposal, actor, signed=signed)
    if party is None:
        raise NotAllowed(N_("You have nothing to sign on this contract now."))
    if sha256.strip() != document.sha256:
        raise InvalidTransition(
            N_("This is not the version you were shown: read the contract again and sign.")
        )
    if party == Party.FUND:
        _check_allocation(session, contract, proposal, allocation_override)
        contract.allocation_override = allocation_override.strip()
        session.add(contract)
    row = ContractSignature(
        contract_id=contract.id,
        document_id=document.id,
        party=party,
        user_id=actor.id,
        sha256=document.sha256,
    )
    session.add(row)
    session.flush()
    _audit(
        session,
        actor,
        contract,
        "sign",
        detail=f"{party} v{document.version} sha256={document.sha256}",
    )
    if rules.in_force(signed | {party}):
        _enter_into_force(session, contract, proposal, document)
    session.flush()
    return row


def _state_years(session: Session, proposal_id: int) -> dict[int, int]:
    years: dict[int, int] = {}
    for _c, year, amount in appraisal_queries.approved_budget(session, proposal_id) or []:
        years[year] = years.get(year, 0) + amount
    return years


def _check_allocation(session, contract: Contract, proposal: Proposal, override: str) -> None:
    money.refuse_over_allocation(
        session,
        fund_id=contract.fund_id,
        basis="committed",
        adding=_state_years(session, proposal.id),
        override=override,
    )


def _enter_into_force(session: Session, contract: Contract, proposal: Proposal, document) -> None:
    """The award from the contract (its number and date: the last signature's day), the
    milestones of the approved work plan with their tranches, and the advance."""
    fund_signer = session.get_one(
        User,
        session.exec(
            select(ContractSignature.user_id).where(
                ContractSignature.document_id == document.id, ContractSignature.party == Party.FUND
            )
        ).one(),
    )
    signed_on = to_local(utcnow()).date()
    items = queries.products(session, contract.id)
    award = projects.create_award(
        session,
        actor=fund_signer,
        proposal_id=proposal.id,
        contract_number=contract.number,
        contract_date=signed_on,
        start_date=contract.start_date,
        end_date=contract.end_date,
        funding_mode=contract.funding_mode,
        indicators=[CommittedIndicator(p.product, p.indicator, p.target, p.unit) for p in items]
        if contract.funding_mode == "lump_sum"
        else (),
        allocation_override=contract.allocation_override,
    )
    for item in queries.work_items(session, contract):
        projects.add_milestone(
            session,
            actor=fund_signer,
            award_id=award.id,
            owner=item.owner,
            task=item.task,
            due_date=item.due_date,
            deliverable=item.deliverable,
            tranche_vnd=item.tranche_vnd,
        )
    before = CONTRACT.move(contract, ContractStatus.IN_FORCE)
    contract.signed_on, contract.award_id = signed_on, award.id
    session.add(contract)
    session.flush()
    _audit(session, fund_signer, contract, "in_force", before, f"award {award.id}")
    _pay_advance(session, contract, award, fund_signer)


def _pay_advance(session: Session, contract: Contract, award: Award, fund_signer: User) -> None:
    """The advance, unless the fund's allocation of this year has no room for it: then the
    manager pays it from the project's Money section with a reason (audited here)."""
    total = queries.state_total(session, contract)
    amount = rules.advance_of(total, _share(session))
    if amount <= 0:
        return
    try:
        money.refuse_over_allocation(
            session,
            fund_id=contract.fund_id,
            basis="disbursed",
            adding={to_local(utcnow()).year: amount},
            override="",
        )
    except RuleViolation:
        _audit(
            session,
            fund_signer,
            contract,
            "advance_deferred",
            detail=f"advance {amount}: allocation",
        )
        return
    money.pay_advance(session, actor=fund_signer, award_id=award.id)


def contract_for_award(session: Session, *, actor: User, award_id: int) -> Contract | None:
    """The contract an award was created from, if this user may see it."""
    contract = queries.contract_of_award(session, award_id)
    if contract is None:
        return None
    try:
        return get_contract_for(session, actor=actor, contract_id=contract.id).contract
    except NotFound:
        return None
