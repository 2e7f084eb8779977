"""A minimal Django project hosting django-appointment for bench/peer.py.

It runs in its own virtual environment (var/peer-venv), never in ours, and is not
importable from the product. The directory is not called `bench/peer/` because a
package of that name would shadow the script `bench/peer.py` on import.
"""
