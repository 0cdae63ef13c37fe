"""A test-only OpenID Connect provider (see serve.py)."""

# Every user at the test provider has this password.
PASSWORD = "provider-pw"  # noqa: S105
