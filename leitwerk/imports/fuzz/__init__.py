"""Coverage-guided fuzzing of the import readers (catalogue row D3).

`harness.one_input(data)` is the single entry: atheris calls it (`make fuzz`, or
`python -m leitwerk.imports.fuzz [atheris options] DIR`), and the pytest replay in
`leitwerk/imports/tests/test_fuzz_corpus.py` runs every committed corpus file and crasher
through the same function, so a regression fails CI without atheris.
"""
