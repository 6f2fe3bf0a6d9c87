"""Host organisations: the register, an organisation's page, "My organisation" for its
officers, the PI's choice of host, and the endorsement of submitted proposals."""


def register(app) -> None:
    from flask_babel import lazy_gettext as _l

    from funds.hosts.permissions import can_register_hosts, has_organisation
    from portal.navigation import register_nav

    register_nav(app, "hosts.register", _l("Host organisations"), can_register_hosts)
    register_nav(app, "hosts.mine", _l("My organisation"), has_organisation)
    from funds.hosts.permissions import can_choose_host

    app.jinja_env.globals["may_choose_host"] = can_choose_host
