"""A minimal django-wiki site, the peer the benchmark compares intel with (see bench/peer.py)."""
