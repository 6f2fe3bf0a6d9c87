"""The funds tables' parts: how accounts, proposals, projects and the audit log are
exported, kept and erased for one person (registered on import)."""

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel, col, select

from funds.consent import queries as consent_queries
from funds.consent.models import ConsentEvent
from funds.errors import N_
from funds.hosts.models import Endorsement, HostOfficer
from funds.privacy import queries
from funds.privacy.registry import DataPart, ErasurePlan, Record, register_part
from funds.privacy.rules import draft_is_erasable, pseudonym_email, pseudonym_name
from funds.profiles.models import CoInvestigator, Profile, Publication
from funds.projects.models import Award, CouncilMember
from funds.projects.money.models import Movement
from funds.proposals.models import Attachment, Proposal, ProposalStatus


def _account_deleted(session: Session, user) -> list[Record]:
    found = [
        Record(
            "account",
            N_(
                "Name, e-mail, institution and ORCID iD: replaced by a "
                "pseudonym; password and sessions: ended"
            ),
        )
    ]
    if session.exec(select(Profile).where(Profile.user_id == user.id)).first():
        found.append(Record("profile", N_("Profile and CV")))
    pubs = session.exec(select(Publication).where(Publication.user_id == user.id)).all()
    if pubs:
        found.append(Record("profile", N_("Publications on the profile"), str(len(pubs))))
    return found


def _account_kept(session: Session, user) -> list[Record]:
    events = consent_queries.consent_events(session, user.id)
    return [Record("consent", N_("Consent history"), str(max(len(events), 1)))]


def _erase_account(session: Session, plan: ErasurePlan) -> None:
    uid = plan.user.id
    session.execute(delete(Publication).where(col(Publication.user_id) == uid))
    session.execute(delete(Profile).where(col(Profile.user_id) == uid))


def drafts_of(session: Session, user) -> list[Proposal]:
    """The person's proposals never submitted: deleted whole by an erasure."""
    props = queries.proposals_of(session, user.id)
    counts = queries.submission_counts(session, [p.id for p in props])
    return [p for p in props if draft_is_erasable(p.status, counts.get(p.id, 0))]


def _proposals_deleted(session: Session, user) -> list[Record]:
    found = [
        Record("draft", N_("Proposal never submitted"), p.title or "—")
        for p in drafts_of(session, user)
    ]
    entries = _team_entries_in_drafts(session, user)
    if entries:
        found.append(
            Record("draft", N_("Your entries in other people's draft teams"), str(len(entries)))
        )
    return found


def _proposals_kept(session: Session, user) -> list[Record]:
    drafts = {p.id for p in drafts_of(session, user)}
    kept = [
        Record("submitted", N_("Submitted proposal"), p.title or "—")
        for p in queries.proposals_of(session, user.id)
        if p.id not in drafts
    ]
    memberships = session.exec(
        select(Proposal.title)
        .join(CoInvestigator, col(CoInvestigator.proposal_id) == Proposal.id)
        .where(
            (CoInvestigator.user_id == user.id) | (CoInvestigator.email == user.email),
            Proposal.status != ProposalStatus.DRAFT,
        )
    ).all()
    kept += [
        Record("submitted", N_("Team membership in a submitted proposal"), t) for t in memberships
    ]
    return kept


def _team_entries_in_drafts(session: Session, user) -> list[CoInvestigator]:
    return list(
        session.exec(
            select(CoInvestigator)
            .join(Proposal, col(Proposal.id) == CoInvestigator.proposal_id)
            .where(
                (CoInvestigator.user_id == user.id) | (CoInvestigator.email == user.email),
                Proposal.status == ProposalStatus.DRAFT,
                Proposal.pi_id != user.id,
            )
        ).all()
    )


def _dependants_of_proposals() -> list:
    """Every table with a foreign key to proposal.id, dependants first (whatever feature)."""
    tables = reversed(SQLModel.metadata.sorted_tables)
    return [
        (t, c)
        for t in tables
        if t.name != "proposal"
        for c in t.columns
        if any(fk.column.table.name == "proposal" for fk in c.foreign_keys)
    ]


def _erase_proposals(session: Session, plan: ErasurePlan) -> None:
    """Drafts never submitted are deleted whole; the person's entries in other people's
    drafts become the pseudonym."""
    for member in _team_entries_in_drafts(session, plan.user):
        member.name, member.email = pseudonym_name(plan.tag), pseudonym_email(plan.tag)
        member.institution, member.confirm_token = "", None
        session.add(member)
    ids = plan.draft_ids
    if not ids:
        return
    plan.files_to_remove += list(
        session.exec(
            select(Attachment.stored_name).where(col(Attachment.proposal_id).in_(ids))
        ).all()
    )
    session.execute(
        update(Proposal).where(col(Proposal.copied_from_id).in_(ids)).values(copied_from_id=None)
    )
    session.flush()
    for table, column in _dependants_of_proposals():
        session.execute(delete(table).where(column.in_(ids)))
    session.execute(delete(Proposal).where(col(Proposal.id).in_(ids)))
    session.expire_all()


def _projects_kept(session: Session, user) -> list[Record]:
    awards = session.exec(
        select(Award)
        .join(Proposal, col(Proposal.id) == Award.proposal_id)
        .where(Proposal.pi_id == user.id)
    ).all()
    kept = []
    for award in awards:
        kept.append(
            Record("contract", N_("Contract, its reports and outputs"), award.contract_number)
        )
        paid = session.exec(select(Movement).where(Movement.award_id == award.id)).all()
        if paid:
            kept.append(
                Record(
                    "contract",
                    N_("Payments (advance, tranches, settlement, refunds, liquidation)"),
                    f"{award.contract_number}: {len(paid)}",
                )
            )
    councils = session.exec(select(CouncilMember).where(CouncilMember.user_id == user.id)).all()
    if councils:
        kept.append(Record("contract", N_("Acceptance council memberships"), str(len(councils))))
    return kept


def _audit_kept(session: Session, user) -> list[Record]:
    return [
        Record(
            "audit",
            N_("Audit log entries (by account number only)"),
            str(queries.audit_count(session, user.id)),
        )
    ]


# The sign-in features' tables, reached through the metadata so that this package does not
# depend on how those features are laid out: sessions (with addresses and browsers), e-mailed
# tokens, second factors, and the sign-in throttle keyed by the e-mail address. Exported
# without any secret or hash; deleted on erasure.
SECURITY_EXPORT = {
    "user_session": (
        "created_at",
        "last_seen_at",
        "revoked_at",
        "client_ip",
        "user_agent",
        "second_factor",
    ),
    "account_token": ("purpose", "created_at", "expires_at", "used_at"),
    "totp_credential": ("created_at", "confirmed_at"),
    "recovery_code": ("created_at", "used_at"),
}


def _table(name: str):
    return SQLModel.metadata.tables.get(name)


def _security_export(session: Session, user) -> dict:
    found = {}
    for name, columns in SECURITY_EXPORT.items():
        table = _table(name)
        if table is not None:
            wanted = [table.c[c] for c in columns if c in table.c]
            found[name] = [
                {k: queries.plain(v) for k, v in r._mapping.items()}
                for r in session.execute(select(*wanted).where(table.c.user_id == user.id))
            ]
    return {"sign_in_records": found}


def _erase_security(session: Session, plan: ErasurePlan) -> None:
    """After the sessions are revoked, their rows (addresses, browsers) and tokens go."""
    for name in SECURITY_EXPORT:
        table = _table(name)
        if table is not None:
            session.execute(delete(table).where(table.c.user_id == plan.user.id))
    throttle = _table("sign_in_throttle")
    if throttle is not None:
        session.execute(
            delete(throttle).where(
                throttle.c.key == "account:" + plan.user.email.strip().lower()[:250]
            )
        )


register_part(
    DataPart(
        name="account_security",
        order=85,
        export=_security_export,
        erase=_erase_security,
        tables=(*SECURITY_EXPORT, "sign_in_throttle"),
    )
)
register_part(
    DataPart(
        name="account",
        order=80,
        export=queries.account_rows,
        deleted=_account_deleted,
        kept=_account_kept,
        erase=_erase_account,
        tables=(
            "user",
            "user_role",
            "profile",
            "publication",
            ConsentEvent.__tablename__,
            "personal_data_erasure",
        ),
    )
)


def _publication_imports_deleted(session: Session, user) -> list[Record]:
    from funds.profiles.imports.models import PublicationImport

    found = session.exec(select(PublicationImport).where(PublicationImport.user_id == user.id))
    count = len(found.all())
    return [Record("profile", N_("Publication files uploaded"), str(count))] if count else []


def _erase_publication_imports(session: Session, plan: ErasurePlan) -> None:
    from funds.profiles.imports.models import PublicationImport

    session.execute(delete(PublicationImport).where(col(PublicationImport.user_id) == plan.user.id))


# the entries of an uploaded publication file, kept between its preview and its confirmation
register_part(
    DataPart(
        name="publication_imports",
        order=79,
        deleted=_publication_imports_deleted,
        erase=_erase_publication_imports,
        tables=("publication_import",),
    )
)
register_part(
    DataPart(
        name="proposals",
        order=50,
        export=queries.proposal_rows,
        deleted=_proposals_deleted,
        kept=_proposals_kept,
        erase=_erase_proposals,
        tables=("proposal", "co_investigator", "attachment", "submission"),
    )
)
register_part(
    DataPart(
        name="projects",
        order=50,
        export=queries.project_rows,
        kept=_projects_kept,
        tables=("council_member", "self_evaluation"),
    )
)
register_part(
    DataPart(
        name="audit", order=90, export=queries.audit_rows, kept=_audit_kept, tables=("audit_entry",)
    )
)


def _hosts_export(session: Session, user) -> dict:
    links = session.exec(select(HostOfficer).where(HostOfficer.user_id == user.id)).all()
    decided = session.exec(select(Endorsement).where(Endorsement.decided_by == user.id)).all()
    return {
        "host_officer": [
            {"host_id": r.host_id, "since": queries.plain(r.created_at)} for r in links
        ],
        "endorsements_decided": [
            {"proposal_id": e.proposal_id, "status": e.status, "at": queries.plain(e.decided_at)}
            for e in decided
        ],
    }


def _hosts_kept(session: Session, user) -> list[Record]:
    decided = session.exec(select(Endorsement.id).where(Endorsement.decided_by == user.id)).all()
    if not decided:
        return []
    return [Record("contract", N_("Endorsements given for your organisation"), str(len(decided)))]


def _erase_hosts(session: Session, plan: ErasurePlan) -> None:
    """The person no longer acts for any organisation; endorsements they gave stay on the
    proposals' record (by account number), and organisations are not personal data."""
    session.execute(delete(HostOfficer).where(col(HostOfficer.user_id) == plan.user.id))


# Host organisations (funds.hosts): an organisation's record (its finance contact is the
# organisation's, not an account) and the import report stay; officer links are the person's.
register_part(
    DataPart(
        name="hosts",
        order=60,
        export=_hosts_export,
        kept=_hosts_kept,
        erase=_erase_hosts,
        tables=("host", "host_officer", "endorsement", "host_import_issue"),
    )
)
# Acts of fund staff (decisions, rules, imports, acknowledgements, the jobs they started:
# assignments and imports, which only fund staff start) are the fund's records: they refer
# to the staff member's account number and stay as they are.
register_part(
    DataPart(
        name="staff_records",
        order=99,
        tables=(
            "decision",
            "change_request",
            "money_movement",
            "money_settlement",
            "budget_import",
            "job",
            "compliance_rule",
            "compliance_rule_version",
            "slate_acknowledgement",
            "fund_manager",
            "legal_instrument",
            "legal_instrument_version",
            "legal_setting",
        ),
    )
)


def _contracts_export(session: Session, user) -> dict:
    from funds.appraisal.models import AppraisalAppraiser
    from funds.contracts.models import Contract, ContractSignature

    seats = session.exec(
        select(AppraisalAppraiser).where(AppraisalAppraiser.user_id == user.id)
    ).all()
    signed = session.exec(
        select(ContractSignature, Contract.number)
        .join(Contract, col(Contract.id) == ContractSignature.contract_id)
        .where(ContractSignature.user_id == user.id)
    ).all()
    return {
        "appraiser_of": [
            {"appraisal_id": a.appraisal_id, "since": queries.plain(a.appointed_at)} for a in seats
        ],
        "contract_signatures": [
            {
                "contract": number,
                "party": s.party,
                "sha256": s.sha256,
                "at": queries.plain(s.signed_at),
            }
            for s, number in signed
        ],
    }


def _contracts_kept(session: Session, user) -> list[Record]:
    from funds.contracts.models import ContractSignature

    signed = session.exec(
        select(ContractSignature.id).where(ContractSignature.user_id == user.id)
    ).all()
    if not signed:
        return []
    return [Record("contract", N_("Your signatures of contracts"), str(len(signed)))]


# Appraisals and contracts (funds.appraisal, funds.contracts): the appraisal's lines and the
# signed contract are the fund's contract records; a signature keeps the signer's account
# number, time and hash, as the contract requires.
register_part(
    DataPart(
        name="contracts",
        order=60,
        export=_contracts_export,
        kept=_contracts_kept,
        tables=(
            "appraisal",
            "appraisal_appraiser",
            "contract",
            "contract_template",
            "contract_document",
            "contract_signature",
        ),
    )
)


# Decision letters (funds.letters): a letter addressed to a person names them as it was
# issued; it is the fund's decision record and is kept as sent (exported, listed as kept).
# The template versions and the issuing manager's account number are the fund's records.
def _letters_of(session: Session, user):
    from funds.letters.models import DecisionLetter
    from funds.proposals.models import Decision, Proposal

    return session.exec(
        select(DecisionLetter)
        .join(Decision, col(Decision.id) == DecisionLetter.decision_id)
        .join(Proposal, col(Proposal.id) == Decision.proposal_id)
        .where(Proposal.pi_id == user.id)
        .order_by(col(DecisionLetter.id))
    ).all()


def _letters_export(session: Session, user) -> dict:
    return {
        "decision_letters": [
            {
                "number": letter.number,
                "issued_at": queries.plain(letter.issued_at),
                "amount_vnd": letter.amount_vnd,
                "text": letter.body,
                "sha256": letter.sha256,
            }
            for letter in _letters_of(session, user)
        ]
    }


def _letters_kept(session: Session, user) -> list[Record]:
    letters = _letters_of(session, user)
    if not letters:
        return []
    numbers = ", ".join(letter.number for letter in letters)
    return [Record("submitted", N_("Decision letters addressed to you"), numbers)]


register_part(
    DataPart(
        name="letters",
        order=60,
        export=_letters_export,
        kept=_letters_kept,
        tables=("decision_letter", "letter_template"),
    )
)


# Notifications (funds.notifications): a person's inbox, the e-mails sent to them (also to an
# address invited before it had an account) and their e-mail choices are theirs: exported,
# and deleted by an erasure (before the account's address is replaced by a pseudonym).
def _notifications_export(session: Session, user) -> dict:
    from funds.notifications.models import Notification, NotificationPreference

    rows = session.exec(select(Notification).where(_notifications_of(user))).all()
    prefs = session.exec(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    ).all()
    return {
        "notifications": [
            {
                "kind": n.kind,
                "about": f"{n.object_type} {n.object_id}",
                "created_at": queries.plain(n.created_at),
                "read_at": queries.plain(n.read_at),
                "email": n.email_state,
            }
            for n in rows
        ],
        "email_preferences": {p.kind: p.email for p in prefs},
    }


def _notifications_of(user):
    from funds.notifications.models import Notification

    return (col(Notification.user_id) == user.id) | (
        col(Notification.email) == user.email.strip().lower()
    )


def _notifications_deleted(session: Session, user) -> list[Record]:
    from funds.notifications.models import Notification

    count = len(session.exec(select(Notification.id).where(_notifications_of(user))).all())
    return (
        [Record("notifications", N_("Notifications and their e-mails"), str(count))]
        if count
        else []
    )


def _erase_notifications(session: Session, plan: ErasurePlan) -> None:
    from funds.notifications.models import Notification, NotificationPreference

    session.execute(delete(Notification).where(_notifications_of(plan.user)))
    session.execute(
        delete(NotificationPreference).where(col(NotificationPreference.user_id) == plan.user.id)
    )


register_part(
    DataPart(
        name="notifications",
        order=40,
        export=_notifications_export,
        deleted=_notifications_deleted,
        erase=_erase_notifications,
        tables=("notification", "notification_preference"),
    )
)


def _erase_outbox(session: Session, plan: ErasurePlan) -> None:
    """Work not done yet that names the person's address (an e-mail to them) goes: the
    outbox erases the arguments of finished work itself, so only waiting rows hold any."""
    from funds.outbox.models import OutboxMessage, OutboxState

    session.execute(
        delete(OutboxMessage).where(
            col(OutboxMessage.state) != OutboxState.DONE,
            col(OutboxMessage.args).contains(f'"{plan.user.email}"', autoescape=True),
        )
    )


register_part(DataPart(name="outbox", order=30, erase=_erase_outbox, tables=("outbox",)))
