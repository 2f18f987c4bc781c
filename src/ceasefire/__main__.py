"""``python -m ceasefire`` runs the command line."""

from ceasefire.cli import main

main()
