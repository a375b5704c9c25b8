"""Driving a real JupyterLab in Chromium, for the test suite and the benchmarks.

Nothing in the reader imports this package. It needs the test extra (playwright):
``pip install 'reader-ext[test]'``.
"""
