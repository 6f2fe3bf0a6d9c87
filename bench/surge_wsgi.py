"""The portal as gunicorn serves it in the benchmark, plus a bare endpoint as the ceiling."""

from portal import create_app

app = create_app()


@app.get("/_bare")
def bare():
    """No session, no database: what the server and Flask cost by themselves."""
    return "ok"
