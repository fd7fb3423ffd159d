"""The rules of the after-sale world, in plain Python.

Nothing in this package imports a web framework or a database driver: the same rules run in the
API, the worker, the simulator and the tests, and a reader finds each rule in exactly one module.
"""
