"""Notifications: an in-app inbox per person and the e-mail that goes with each entry,
sent after the commit; each person chooses the optional e-mails, the required ones always go."""
