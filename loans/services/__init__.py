"""Loan use cases: one function per business action (see docs/architecture.md)."""
