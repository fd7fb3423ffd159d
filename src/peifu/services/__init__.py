"""Units of work: each public function reads what it needs, applies domain rules, writes the result.

Services own transactions' contents but not their boundaries: callers (API, worker, CLI, tests)
open a unit of work and hand the session in, so one request is one transaction.
"""
