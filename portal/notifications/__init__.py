"""Notifications in the web layer: e-mails sent after the commit through the task queue,
the inbox (unread count in the navigation), e-mail preferences and, for administrators, the
deliveries that failed."""


def register(app) -> None:
    from flask_babel import LazyString
    from flask_babel import lazy_gettext as _l

    from funds.notifications import services
    from funds.notifications.permissions import can_view_delivery_failures, has_inbox
    from portal.navigation import register_nav
    from portal.notifications import delivery
    from portal.notifications.views import inbox_label

    services.deliver = delivery.after_commit_send
    register_nav(app, "notifications.inbox", LazyString(inbox_label), has_inbox)
    register_nav(app, "notifications.failures", _l("Failed e-mails"), can_view_delivery_failures)
    app.cli.add_command(delivery.send_pending_command)
    from portal.notifications.bounces import record_bounces_command

    app.cli.add_command(record_bounces_command)
    from funds.proposals.permissions import can_see_team_links

    app.jinja_env.globals["can_see_team_links"] = can_see_team_links
