"""Demo data for duplicate and overlapping work: two tasks of the national register, one
close to a demo proposal, and the submitted demo proposals screened against them."""

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.proposals.models import Proposal, ProposalStatus
from reviews.overlap.register.services import import_register
from reviews.overlap.services import screen_proposal

REGISTER = (
    "code,title,title_en,summary,keywords,host,pi,start_year,end_year\n"
    "KC.01.05/24-DEMO,Thiết kế vi mạch RISC-V tiết kiệm năng lượng cho thiết bị IoT,"
    "Energy-efficient RISC-V chip design for IoT devices,"
    "Thiết kế và chế tạo thử vi mạch RISC-V tiết kiệm năng lượng (dữ liệu minh hoạ).,"
    "RISC-V; vi mạch; semiconductor,Viện Vi điện tử (demo),Phạm Văn Demo,2024,2026\n"
    "KC.04.02/23-DEMO,Giống lúa chịu mặn cho Đồng bằng sông Cửu Long,"
    "Salt-tolerant rice varieties for the Mekong Delta,"
    "Chọn tạo giống lúa chịu mặn (dữ liệu minh hoạ).,"
    "lúa; chịu mặn,Viện Lúa (demo),Lê Thị Demo,2023,2025\n"
)


def seed_overlap(session: Session, *, manager: User) -> None:
    """Import the demo register and screen every submitted demo proposal."""
    import_register(session, actor=manager, data=REGISTER.encode("utf-8"))
    submitted = session.exec(
        select(Proposal.id)
        .where(Proposal.status == ProposalStatus.SUBMITTED)
        .order_by(col(Proposal.id))
    ).all()
    for proposal_id in submitted:
        screen_proposal(session, proposal_id=proposal_id)
