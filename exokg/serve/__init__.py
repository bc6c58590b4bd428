"""The serve stage: the built site and the store behind one local HTTP server.

sources -> model -> graph -> validate -> publish -> **serve**. It reads only what a build left: the site
folder and the on-disk store (or the site's N-Triples dump). Modules: :mod:`~exokg.serve.negotiation`
(Accept headers), :mod:`~exokg.serve.files` (site paths, resources, content negotiation),
:mod:`~exokg.serve.sparql` (the SPARQL 1.1 Protocol), :mod:`~exokg.serve.worker` and
:mod:`~exokg.serve.pool` (queries in killable processes), :mod:`~exokg.serve.app` (one request in, one
response out, with or without a socket) and :mod:`~exokg.serve.server` (the HTTP server).

This module imports nothing: a query worker process imports only :mod:`exokg.serve.worker`.
"""
