"""The app's routes, one module per concept: scenarios and runs under ``/api/``, and the pages."""
