"""A real OpenID Connect provider for the single sign-on tests (django-oauth-toolkit).

`serve.py` runs it as its own process on a loopback port with its own SQLite file; the tests
in `test_oidc.py` sign in through it like a browser would. Not part of Leitwerk.
"""
