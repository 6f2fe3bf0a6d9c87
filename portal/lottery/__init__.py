"""The lottery at the funding line: the manager's commit and draw, the replay page, and the
`flask lottery-replay` command anyone with the revealed seed can run."""

import click
from flask.cli import with_appcontext


def _members(values: tuple[str, ...]) -> dict[int, int]:
    pairs = (v.split(":", 1) for v in values)
    return {int(pid): int(amount) for pid, amount in pairs}


@click.command("lottery-replay")
@with_appcontext
@click.option("--call", "call_id", type=int, help="Replay the stored draw of this call.")
@click.option("--seed", help="The revealed seed (hex).")
@click.option("--commitment", default="", help="The SHA-256 published before the draw (hex).")
@click.option("--remainder", type=int, default=0, help="The money left for the group (đồng).")
@click.option("--member", multiple=True, help="A group member as ID:REQUESTED_VND (repeat).")
def lottery_replay_command(call_id, seed, commitment, remainder, member):
    """Recompute a lottery at the funding line from its seed (docs/lottery.md): the draw
    order, the proposals funded, and whether the seed matches its commitment."""
    from reviews.consolidation.lottery.queries import lottery_of, replay_lottery
    from reviews.consolidation.lottery.rules import ids_of, ids_text, replay

    if call_id is not None:
        from portal import db

        lottery = lottery_of(db.session(), call_id)
        if lottery is None or not lottery.drawn:
            raise click.ClickException(f"call {call_id} has no drawn lottery")
        again = replay_lottery(lottery)
        stored = (ids_of(lottery.order_ids), ids_of(lottery.funded_ids))
        click.echo(f"stored order:  {lottery.order_ids}\nstored funded: {lottery.funded_ids}")
        agrees = again.commitment_matches and (again.order, again.funded) == stored
    else:
        if not seed:
            raise click.UsageError("give --call, or --seed with --member and --remainder")
        again = replay(seed, commitment, [*_members(member)], _members(member), remainder)
        agrees = again.commitment_matches or not commitment
    click.echo(f"order:  {ids_text(again.order)}\nfunded: {ids_text(again.funded)}")
    click.echo(f"commitment matches: {'yes' if again.commitment_matches else 'no'}")
    if not agrees:
        raise click.ClickException("the replay does not agree")


def register(app) -> None:
    app.cli.add_command(lottery_replay_command)
