"""The real OpenID Connect provider for the accounts tests (started only when a test asks)."""

from tests.accounts.oidc_provider import client_key_file, idp  # noqa: F401
