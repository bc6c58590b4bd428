"""A claim extraction process (``python -m exokg.claims.worker``), started by :mod:`exokg.claims.parallel`.

It reads one pickled ``(scheme, documents)`` from stdin, each document a list of sentences, and writes the
pickled list of their claims to stdout. It is a module of its own, imported by nothing else, so that
running it with ``-m`` does not load it twice.
"""

from __future__ import annotations

import gc
import pickle
import sys

from exokg.claims.documents import document_claims


def main() -> None:
    gc.disable()  # a short-lived process making many objects and no cycles worth collecting (model.collector_paused)
    scheme, documents = pickle.load(sys.stdin.buffer)
    claims = [document_claims(sentences, scheme) for sentences in documents]
    sys.stdout.buffer.write(pickle.dumps(claims, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
