"""drillapp's benchmarks: `python -m bench [NAME ...] [--repeat N]` from the repository root.

Each benchmark is a module in this folder that registers itself with `bench.runner.register`;
see bench/README.md.
"""
