"""The server's query page: a form for SPARQL, preloaded with the project's saved queries (the cookbook).

It is one self-contained page (no library, no request to any other host): a select of the saved
queries, a textarea, and a script that POSTs the query to the endpoint with ``fetch`` and shows the
answer as a table (SELECT), a word (ASK) or Turtle (CONSTRUCT, DESCRIBE). Every value reaches the page
through ``textContent`` or escaped markup; links are made only for http(s) IRIs.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence

import jinja2
from markupsafe import Markup

from exokg.errors import QueryError
from exokg.query import SavedQuery, bind

_SCRIPT = """
(function () {
  "use strict";
  var cookbook = JSON.parse(document.getElementById("cookbook-data").textContent);
  var form = document.getElementById("query-form");
  var choice = document.getElementById("cookbook");
  var text = document.getElementById("query");
  var about = document.getElementById("about-query");
  var status = document.getElementById("status");
  var results = document.getElementById("results");

  choice.addEventListener("change", function () {
    var chosen = cookbook[choice.value];
    if (!chosen) { return; }
    text.value = chosen.text;
    about.textContent = chosen.description;
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    results.replaceChildren();
    status.textContent = "Running…";
    var started = performance.now();
    fetch(form.action, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: new URLSearchParams({query: text.value})
    }).then(function (response) {
      return response.text().then(function (body) {
        var seconds = ((performance.now() - started) / 1000).toFixed(2);
        if (!response.ok) {
          status.textContent = "Error " + response.status + ": " + body;
          return;
        }
        var type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
        if (type === "application/sparql-results+json") {
          show(JSON.parse(body), seconds);
        } else {
          var pre = document.createElement("pre");
          pre.textContent = body;
          results.appendChild(pre);
          status.textContent = "Graph answer (" + type + ") in " + seconds + " s";
        }
      });
    }).catch(function (error) {
      status.textContent = "The request failed: " + error;
    });
  });

  function show(doc, seconds) {
    if (Object.prototype.hasOwnProperty.call(doc, "boolean")) {
      status.textContent = "ASK: " + (doc.boolean ? "yes" : "no") + " (" + seconds + " s)";
      return;
    }
    var vars = doc.head.vars, rows = doc.results.bindings;
    var table = document.createElement("table");
    table.className = "results";
    var head = table.createTHead().insertRow();
    vars.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = "?" + name;
      head.appendChild(th);
    });
    var body = table.createTBody();
    rows.forEach(function (binding) {
      var tr = body.insertRow();
      vars.forEach(function (name) { cell(tr.insertCell(), binding[name]); });
    });
    results.appendChild(table);
    status.textContent = rows.length + (rows.length === 1 ? " row" : " rows") + " in " + seconds + " s";
  }

  function cell(td, term) {
    if (!term) { return; }
    if (term.type === "uri" && /^https?:\\/\\//i.test(term.value)) {
      var a = document.createElement("a");
      a.href = term.value;
      a.textContent = term.value;
      td.appendChild(a);
      return;
    }
    td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
    if (term["xml:lang"]) { td.lang = term["xml:lang"]; td.title = "@" + term["xml:lang"]; }
    else if (term.datatype) { td.title = term.datatype; }
  }
})();
"""

_STYLE = """
#query { width: 100%; box-sizing: border-box; font-family: monospace; font-size: 0.9rem; }
#status { display: block; margin: 0.6rem 0; white-space: pre-wrap; }
#results pre { white-space: pre-wrap; font-size: 0.85rem; }
form.sparql label { display: block; margin: 0.6rem 0 0.2rem; }
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPARQL · {{ title }}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/style.css">
<style>{{ style }}</style>
</head>
<body>
<header class="site"><a class="home" href="./">{{ title }}</a></header>
<main>
<h1>SPARQL endpoint</h1>
<p>This page and any SPARQL 1.1 client query the graph at <code>{{ endpoint }}</code> (GET, or POST form-encoded
or <code>application/sparql-query</code>). SELECT and ASK answer as JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE
as Turtle, JSON-LD, N-Triples or RDF/XML, chosen by the Accept header. The endpoint is read-only; a query may run
{{ timeout }} s and return {{ max_rows }} rows.</p>
<form id="query-form" class="sparql" method="post" action="sparql">
<label for="cookbook">Saved queries (the cookbook)</label>
<select id="cookbook">
{% for q in queries %}
<option value="{{ q.name }}"{% if loop.first %} selected{% endif %}>{{ q.summary }}</option>
{% endfor %}
</select>
<p id="about-query">{{ first_description }}</p>
<label for="query">Query</label>
<textarea id="query" name="query" rows="18" spellcheck="false">{{ first_text }}</textarea>
<p><button type="submit">Run query</button></p>
</form>
<output id="status" role="status" for="query"></output>
<div id="results"></div>
</main>
<script type="application/json" id="cookbook-data">{{ data }}</script>
<script>{{ script }}</script>
</body>
</html>
"""

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# The page's own script and style are allowed by their digests; nothing else runs, and it may connect
# only back to this server.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src {_digest(_SCRIPT)}; style-src 'self' {_digest(_STYLE)}; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'"
)


def cookbook_text(query: SavedQuery) -> str:
    """The saved query ready to run: parameters bound to their defaults when it has them, else as written."""
    try:
        return bind(query, {})
    except QueryError:
        return query.text


def script_json(value: object) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u`` escapes, so no ``</script>`` can end it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def query_page(title: str, endpoint: str, queries: Sequence[SavedQuery], timeout: float, max_rows: int) -> bytes:
    texts = {q.name: cookbook_text(q) for q in queries}
    data = {q.name: {"summary": q.summary, "description": q.description, "text": texts[q.name]} for q in queries}
    first = queries[0] if queries else None
    html = _ENV.from_string(_TEMPLATE).render(
        title=title,
        endpoint=endpoint,
        queries=queries,
        first_text=texts[first.name] if first else "SELECT * WHERE { ?s ?p ?o } LIMIT 10\n",
        first_description=first.description if first else "",
        data=script_json(data),
        script=Markup(_SCRIPT),
        style=Markup(_STYLE),
        timeout=f"{timeout:g}",
        max_rows=f"{max_rows:,}",
    )
    return html.encode("utf-8")
