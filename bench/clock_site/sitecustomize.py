"""Imported by Python at start-up when this folder is on PYTHONPATH: a server the load test
starts with --db-clock times its database calls (bench/db_clock.py)."""

from bench import db_clock

db_clock.install_from_environment()
