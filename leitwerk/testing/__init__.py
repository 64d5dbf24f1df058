"""Support code shared by the tests: worlds of tagged rows, the route walk, crawls and matrices.

Not product code: nothing outside the tests and their conftests imports this package, and
coverage leaves it out (pyproject.toml). It lives outside the `tests` folders so that no test
module has to import another test module for a helper.
"""
