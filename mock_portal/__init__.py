"""The bundled mock of MassHealth's Provider Online Service Center (POSC).

A real web server (Starlette, Jinja2 templates, uvicorn) with its state in SQLite, reproducing
the panels of two job aids and the EOHHS Virtual Gateway's login chain in front of them.
`docs/portal.md` is its specification. It knows nothing of the
robot: the robot drives it through a browser, like the real portal.
"""
