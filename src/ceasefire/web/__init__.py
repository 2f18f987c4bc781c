"""The web app (``ceasefire serve``): FastAPI, jinja2 and htmx, runs stored in SQLite."""
