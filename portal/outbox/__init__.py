"""The transactional outbox in the web layer: `later(task, *args)` writes the work in the
caller's transaction; once committed it is relayed to the queue at once and, should the
queue be down, by `flask relay-outbox` or the consumer's periodic relay. Administrators see
the dead letters at /admin/outbox and replay them."""


def register(app) -> None:
    from flask_babel import lazy_gettext as _l

    from funds.outbox.permissions import can_manage_outbox
    from portal.navigation import register_nav
    from portal.outbox import relay

    register_nav(app, "outbox.dead_letters", _l("Task queue"), can_manage_outbox)
    app.cli.add_command(relay.relay_command)
