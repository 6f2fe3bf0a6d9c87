"""The signed-in person's own account: password, e-mail address, sessions."""
