"""The HTTP edge the API (`adapters.api`) and the pages (`adapters.web`) both stand on.

Who is calling (`caller`: the session cookie or header, resolved once per request), the FastAPI
dependencies that hand a route its runtime and actor (`deps`), login throttling (`logins`) and rate
limits (`limits`), the status each kind of refusal answers with and the error bodies (`errors`),
and security and download headers (`headers`). Neither the API nor the pages import each other's
internals: what both need lives here.
"""
