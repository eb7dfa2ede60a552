"""Database helpers: the embedded SQLite backend and immutability triggers."""
