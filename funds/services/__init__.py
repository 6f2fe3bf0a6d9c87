"""One function per use case; each takes the session and the acting user, flushes, never commits."""
