"""Log-in security around django-allauth: who must use two-factor
authentication, the staff idle timeout, the security log, and Wagtail's log-in
sent to the one log-in. See docs/architecture.md, "Security"."""
