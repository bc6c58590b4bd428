"""What a web server needs to serve the site as linked data: content negotiation and header rules,
signposting, sitemap and robots.txt. See docs/decisions/0005-content-negotiation.md.

A resource ``<base>work/x`` is published as ``work/x.html``, ``.ttl``, ``.jsonld`` and ``.nt``. A server
that can negotiate answers the IRI itself with the representation the ``Accept`` header prefers (HTML when
nothing else is preferred); a host that cannot still serves every representation at its file name.

Every rule is relative to the folder the site is deployed in, so the same files work whether the site is
served at the root of a host or under the base IRI's path (``/exokg/``). The few things a server can only
express as absolute paths (the 404 page, per-resource header rules) accept both of those two prefixes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from exokg.graph.iris import doi_iri
from exokg.graph.namespaces import EXO, FABIO, PRISM, VOID
from exokg.publish.site import FORMATS, Site, href, page_file

HTACCESS = ".htaccess"
HEADERS = "_headers"
REDIRECTS = "_redirects"
NGINX_HTTP = "nginx/exokg-http.conf"
NGINX_SITE = "nginx/exokg-site.conf"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
VOID_WELL_KNOWN = ".well-known/void"
# sitemaps.org: one sitemap file holds at most 50,000 URLs and 50 MB uncompressed.
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 1000 * 1000

# Media types by file extension. Text types get "; charset=utf-8"; JSON-LD and N-Triples are UTF-8 by
# definition and their registrations define no charset parameter.
MEDIA_TYPES = {
    "css": "text/css", "csv": "text/csv", "gif": "image/gif", "gz": "application/gzip", "html": "text/html",
    "ico": "image/vnd.microsoft.icon", "jpeg": "image/jpeg", "jpg": "image/jpeg", "js": "text/javascript",
    "json": "application/json", "jsonld": "application/ld+json", "md": "text/markdown", "mjs": "text/javascript",
    "nq": "application/n-quads", "nt": "application/n-triples", "pdf": "application/pdf", "png": "image/png",
    "rdf": "application/rdf+xml", "rq": "application/sparql-query", "svg": "image/svg+xml",
    "trig": "application/trig", "tsv": "text/tab-separated-values", "ttl": "text/turtle", "txt": "text/plain",
    "wasm": "application/wasm", "webp": "image/webp", "woff": "font/woff", "woff2": "font/woff2",
    "xml": "application/xml", "yaml": "application/yaml", "yml": "application/yaml", "zip": "application/zip",
}
CHARSET_TYPES = frozenset({"text/css", "text/csv", "text/html", "text/javascript", "text/markdown", "text/plain",
                           "text/tab-separated-values", "text/turtle", "application/xml", "image/svg+xml",
                           "application/sparql-query"})
# What the IRI of a resource can be negotiated to, in the server's order of preference on a tie.
NEGOTIATED = (("html", "text/html"), *((ext, media) for ext, media, _ in FORMATS))

SCHEMA = "https://schema.org/"
# schema.org types for signposting ``rel="type"``, where the graph's type says clearly what a thing is.
SCHEMA_TYPES = {
    str(EXO.Article): "ScholarlyArticle", str(FABIO.Expression): "ScholarlyArticle",
    str(EXO.Claim): "Claim", str(FABIO.Journal): "Periodical", str(VOID.Dataset): "Dataset",
    "http://www.w3.org/ns/dcat#Dataset": "Dataset", "http://xmlns.com/foaf/0.1/Person": "Person",
    "http://www.w3.org/2004/02/skos/core#Concept": "DefinedTerm",
    "http://www.w3.org/2004/02/skos/core#ConceptScheme": "DefinedTermSet",
    "http://www.w3.org/ns/prov#SoftwareAgent": "SoftwareApplication",
}
DCTERMS_LICENSE = "http://purl.org/dc/terms/license"


def media_type(path: str) -> str | None:
    """The Content-Type a file is served with, charset included; None for an unknown extension."""
    if path == VOID_WELL_KNOWN or path.endswith("/" + VOID_WELL_KNOWN):
        return "text/turtle; charset=utf-8"
    ext = posixpath.basename(path).rpartition(".")[2] if "." in posixpath.basename(path) else ""
    media = MEDIA_TYPES.get(ext)
    if media is None:
        return None
    return f"{media}; charset=utf-8" if media in CHARSET_TYPES else media


# --- Signposting -------------------------------------------------------------------------------------------


def signposting(site: Site, iri: str, path: str) -> list[dict[str, str]]:
    """FAIR signposting typed links for a page's head (``rel``, ``href`` and, when known, ``type``).

    Only a resource's own page gets them: what to cite it as (its DOI, else its IRI, which is persistent),
    its types, the three files that describe it, the items it holds (the dataset's dumps) and its licence.
    Links to files of the site are relative, so they hold wherever the site is deployed.
    """
    view = site.view
    resource = iri.split("#", 1)[0]
    if not view.describes(resource) or page_file(site.iris, resource) != path or not path.endswith(".html"):
        return []
    if path not in site.resource_paths:
        return []  # not a resource page of plan_resources, which writes the three files beside each
    stem = path[: -len(".html")]
    doi = view.value(resource, str(PRISM.doi))
    links = [_link("cite-as", doi_iri(doi) if doi else resource)]
    types = {SCHEMA_TYPES[t] for t in view.types(resource) if t in SCHEMA_TYPES}
    links += [_link("type", SCHEMA + name) for name in sorted({"AboutPage", *types})]
    links += [_link("describedby", href(path, f"{stem}.{ext}"), media) for ext, media, _ in FORMATS]
    for item in sorted(set(view.values(resource, str(VOID.dataDump)))):
        local = site.iris.local_path(item)
        links.append(_link("item", href(path, local) if local else item, media_type(local or item) or ""))
    links += [_link("license", licence) for licence in sorted(set(view.values(resource, DCTERMS_LICENSE)))]
    return links


def _link(rel: str, target: str, media: str = "") -> dict[str, str]:
    return {"rel": rel, "href": target, "type": media.split(";", 1)[0]}


_UNSAFE_IN_HEADER = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!&'()*+,;=%]")


def link_header(links: Iterable[dict[str, str]]) -> str:
    """Links as the value of an HTTP ``Link`` header (RFC 8288).

    Characters that could end the ``<…>`` or a configuration string early (``<>"\\``, spaces, ``$``) are
    percent-encoded, so the value is safe in every server's configuration syntax.
    """
    parts = []
    for link in links:
        target = _UNSAFE_IN_HEADER.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), link["href"])
        part = f'<{target}>; rel="{link["rel"]}"'
        if link.get("type"):
            part += f'; type="{link["type"]}"'
        parts.append(part)
    return ", ".join(parts)


# --- What the rules are made from ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A resource page: its IRI, its HTML file and the path its IRI is served at below the site folder."""

    iri: str
    path: str
    links: tuple[dict[str, str], ...]

    @property
    def stem(self) -> str:
        return self.path[: -len(".html")]

    @property
    def served_at(self) -> str:
        """The site-relative request path of the IRI: ``work/x``, or ``concept/`` for a folder IRI."""
        return self.stem[: -len("index")] if self.stem == "index" or self.stem.endswith("/index") else self.stem


@dataclass(frozen=True)
class Deployment:
    """What every rule set needs to know about the site."""

    base: str
    prefix: str  # the base IRI's path, "/exokg/"; the site may be served there or at "/"
    pages: tuple[Page, ...]
    extra_links: tuple[tuple[str, str], ...]  # (site file, Link header) for files that are not pages
    files: tuple[str, ...]
    version: str

    @property
    def prefixes(self) -> tuple[str, ...]:
        return (self.prefix, "/") if self.prefix != "/" else ("/",)


def resource_pages(site: Site) -> list[Page]:
    """Every resource page of the plan, in IRI order, with its signposting links."""
    pages = []
    for iri in site.view.pages():
        path = page_file(site.iris, iri)
        if path is None or path not in site.plan.files:
            continue
        links = signposting(site, iri, path)
        if links:
            pages.append(Page(iri, path, tuple(links)))
    return pages


def _deployment(site: Site) -> Deployment:
    pages = tuple(resource_pages(site))
    extra: dict[str, str] = {}
    for page in pages:
        # The dataset's dumps point back at it: signposting's "collection" for content resources.
        for link in page.links:
            if link["rel"] != "item" or re.match(r"^[a-z][a-z0-9+.-]*:", link["href"], re.I):
                continue
            item = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), link["href"]))
            if item in site.plan.files:
                extra[item] = link_header([_link("collection", page.iri)])
    prefix = urlsplit(site.iris.base).path or "/"
    return Deployment(site.iris.base, prefix, pages, tuple(sorted(extra.items())), tuple(sorted(site.plan.files)),
                      site.input.version)


def plan_serving(site: Site) -> None:
    """Content-negotiation rules for Apache, nginx and static hosts, ``sitemap.xml`` and ``robots.txt``."""
    deployment = _deployment(site)
    if deployment.prefix != "/":
        clash = sorted(f for f in deployment.files if ("/" + f).startswith(deployment.prefix))
        if clash:
            site.warn(f"{clash[0]}: a file of the site starts with the base IRI's path {deployment.prefix}, so the "
                      f"server rules cannot tell a site served at / from one served at {deployment.prefix}")
    outputs = {
        HTACCESS: apache_rules(deployment),
        NGINX_HTTP: nginx_http(deployment),
        NGINX_SITE: nginx_site(deployment),
        HEADERS: static_headers(deployment),
        REDIRECTS: static_redirects(deployment),
        ROBOTS: robots(site.iris.base),
    }
    outputs.update(sitemaps(page_urls(site, deployment.pages), site.input.build_date.isoformat(), site.iris.base))
    for path, text in outputs.items():
        if path in site.plan.files:
            site.warn(f"{path}: already planned by another part of the site; the serving rules did not replace it")
            continue
        site.add_file(path, text.encode("utf-8"))


# --- Accept header negotiation, shared by nginx and Apache ---------------------------------------------------
#
# A q value is written as four digits of thousandths ("0500", "1000"), so that comparing two q values is
# comparing two strings of digits, which a regular expression can do; both servers then pick the
# representation with the highest q exactly as RFC 9110 section 12.5.1 says, to three decimals.

# Parameters of a media range other than q; after q come accept-extensions, then the next range or the end.
_PARAMS = r"(?:\s*;\s*(?!q\s*=)[^,;]*)*"
_AFTER = r"\s*(?:;[^,]*)?(?:,|$)"
# (regex of a qvalue, its four-digit form: literal text and numbers of the groups of digits to copy)
_QVALUES: tuple[tuple[str, tuple[str | int, ...]], ...] = (
    (r"1(?:\.0{0,3})?", ("1000",)),
    (r"0\.(?P<exokg_d1>\d)(?P<exokg_d2>\d)(?P<exokg_d3>\d)", ("0", 1, 2, 3)),
    (r"0\.(?P<exokg_d1>\d)(?P<exokg_d2>\d)", ("0", 1, 2, "0")),
    (r"0\.(?P<exokg_d1>\d)", ("0", 1, "00")),
    (r"0\.?", ("0000",)),
)
# "a,Xb" where a and b are four-digit q values and X one letter: true when a > b. Whatever the prefix p
# the two share, the next digit of a is the greater one. Group 1 (exokg_q) is a, for Apache to copy.
GREATER = (r"^(?=(?P<exokg_q>\d{4}),)(?P<exokg_p>\d*)(?:"
           + "|".join(rf"{d}\d*,[a-z](?P=exokg_p)[0-{d - 1}]" for d in range(1, 10)) + ")")
_CODES = "abcdefgh"  # one letter per negotiated representation, in order of preference


@dataclass(frozen=True)
class QRule:
    """If ``pattern`` matches the Accept header (case-insensitively), the q value is ``value``."""

    pattern: str
    value: tuple[str | int, ...]

    def nginx(self) -> str:
        return "".join(p if isinstance(p, str) else f"${{exokg_d{p}}}" for p in self.value)

    def apache(self) -> str:
        return "".join(p if isinstance(p, str) else f"%{p}" for p in self.value)


def q_rules(media: str) -> list[QRule]:
    """How to read the q value of ``media`` from an Accept header: the first rule that matches decides.

    The most specific range that names the type wins (``text/turtle``, then ``text/*``, then ``*/*``);
    a missing or empty header accepts everything; a header naming none of them accepts nothing ("0000").
    """
    rules = []
    for accepted in (media, media.split("/")[0] + "/*", "*/*"):
        start = rf"(?:^|,)\s*{re.escape(accepted)}{_PARAMS}"
        rules += [QRule(rf"{start}\s*;\s*q\s*=\s*{q}{_AFTER}", value) for q, value in _QVALUES]
        rules.append(QRule(rf"{start}\s*(?:,|$)", ("1000",)))
    rules.append(QRule(r"^\s*$", ("1000",)))
    return rules


def _nginx_string(text: str) -> str:
    if re.search(r"\\[\\tnr\"']", text):
        raise ValueError(f"not expressible in an nginx string: {text!r}")  # the parser would unescape it
    return '"' + text.replace('"', '\\"') + '"'


def _nginx_key(key: str) -> str:
    # A map source starting with "~" is a regex, and these words are map parameters: "\" makes them plain.
    special = key.startswith(("~", "\\")) or key in {"default", "hostnames", "include", "volatile"}
    return _nginx_string(("\\" if special else "") + key)


def _prefix_regex(prefix: str) -> str:
    return re.escape(prefix.rstrip("/"))


# --- nginx -------------------------------------------------------------------------------------------------


def nginx_http(d: Deployment) -> str:
    """The ``http {}`` part for nginx: maps from the request to the representation, headers and 404 page."""
    keys = {page.stem: link_header(page.links) for page in d.pages}
    keys.update(d.extra_links)
    longest = max((len(k) for k in keys), default=0)
    lines = [
        f"# exokg {d.version}: content negotiation and signposting for nginx, part 1 of 2 (http context).",
        "# Generated with the site; rebuild rather than edit. Include it once inside http { }, and include",
        f"# {posixpath.basename(NGINX_SITE)} where the site is served (a server {{ }} or a location {{ }}):",
        "#",
        "#     http {",
        f"#         include /srv/site/{NGINX_HTTP};",
        "#         server {",
        "#             root /srv/site;",
        f"#             include /srv/site/{NGINX_SITE};",
        "#         }",
        "#     }",
        "#",
        f"# The site may be served at / or under {d.prefix} (the base IRI's path), with `root` pointing at the",
        f"# folder holding it in `location {d.prefix}` (not `alias`). If this http block sets the two map_hash",
        "# sizes below already, keep the larger values.",
        f"map_hash_bucket_size {_power_of_two(longest + 32, 64)};",
        f"map_hash_max_size {_power_of_two(2 * len(keys), 2048)};",
        "",
        "# The q value (thousandths, four digits) the Accept header gives each representation.",
    ]
    variables = []
    for ext, media in NEGOTIATED:
        variable = f"$exokg_q_{ext}"
        variables.append(variable)
        lines.append(f"map $http_accept {variable} {{")
        lines.append('    default "0000";')
        lines += [f"    {_nginx_string('~*' + rule.pattern)} {_nginx_string(rule.nginx())};" for rule in q_rules(media)]
        lines.append("}")
    lines.append("# The best of them: a later representation replaces the one kept so far only with a higher q.")
    best = f"{_CODES[0]}{variables[0]}"
    for index, (ext, _media) in enumerate(NEGOTIATED[1:], start=1):
        name = "$exokg_best" if index == len(NEGOTIATED) - 1 else f"$exokg_best_{ext}"
        lines += [f'map "{variables[index]},{best}" {name} {{', f'    default "{best}";',
                  f"    {_nginx_string('~' + GREATER)} \"{_CODES[index]}{variables[index]}\";", "}"]
        best = name
    lines.append("map $exokg_best $exokg_ext {")
    lines.append(f"    default {NEGOTIATED[0][0]};")
    lines += [f"    ~^{_CODES[i]} {ext};" for i, (ext, _m) in enumerate(NEGOTIATED) if i]
    lines.append("}")
    lines += [
        "# The file a request would be for: a folder stands for its index.",
        "map $uri $exokg_stem {",
        '    "~^(?P<exokg_dir>.*/)$" "${exokg_dir}index";',
        "    default $uri;",
        "}",
        "# The file of a request not ending in / (to redirect a folder named without its slash).",
        "map $uri $exokg_folder {",
        '    "~/$" "";',
        "    default $request_filename;",
        "}",
        "# Vary: Accept when the file served is not the one named (a negotiated answer).",
        'map "$uri|$request_uri" $exokg_vary {',
        '    default "Accept";',
        '    "~^(?P<exokg_u>[^|?]*)\\|(?P=exokg_u)(?:\\?.*)?$" "";',
        "}",
        "# The request's path below the site's folder, served at / or under the base IRI's path.",
        "map $request_uri $exokg_path {",
    ]
    lines += [f'    "~^{_prefix_regex(p)}/(?P<exokg_rest>[^?]*)" $exokg_rest;' for p in d.prefixes]
    lines += [
        "}",
        "map $exokg_path $exokg_key {",
        "    default $exokg_path;",
        '    "~^(?P<exokg_k>.*/)?$" "${exokg_k}index";',
        '    "~^(?P<exokg_k>.+)\\.html$" $exokg_k;',
        "}",
    ]
    if "404.html" in d.files:
        lines.append("map $request_uri $exokg_404 {")
        lines.append('    default "/404.html";')
        lines += [f'    "~^{_prefix_regex(p)}/" "{p}404.html";' for p in d.prefixes if p != "/"]
        lines.append("}")
    # nginx looks exact map keys up case-insensitively; IRIs are case-sensitive, so keys that differ only by
    # case (ontology/Article, ontology/article) become case-sensitive regexes, which the lookup cannot confuse.
    folded: dict[str, int] = {}
    for key in keys:
        folded[key.lower()] = folded.get(key.lower(), 0) + 1
    lines += ["# Signposting: the Link header of every resource page and of the files the dataset holds.",
              "map $exokg_key $exokg_link {", '    default "";']
    for key, value in sorted(keys.items()):
        source = _nginx_string(f"~^{re.escape(key)}$") if folded[key.lower()] > 1 else _nginx_key(key)
        lines.append(f"    {source} {_nginx_string(value)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def nginx_site(d: Deployment) -> str:
    """The ``server {}``/``location {}`` part for nginx: types, negotiation, headers and the 404 page."""
    types = sorted(MEDIA_TYPES.items(), key=lambda item: (item[1], item[0]))
    grouped: dict[str, list[str]] = {}
    for ext, media in types:
        grouped.setdefault(media, []).append(ext)
    lines = [
        f"# exokg {d.version}: content negotiation and signposting for nginx, part 2 of 2 (server or location).",
        f"# Needs {posixpath.basename(NGINX_HTTP)} in the http block; see there. Generated; rebuild rather than edit.",
        "types {",
        *(f"    {media} {' '.join(exts)};" for media, exts in sorted(grouped.items())),
        "}",
        "default_type application/octet-stream;",
        "charset utf-8;",
        f"charset_types {' '.join(sorted(CHARSET_TYPES - {'text/html'}))};",
        "index index.html;",
        "absolute_redirect off;",
    ]
    if "404.html" in d.files:
        lines.append("error_page 404 $exokg_404;")
    lines += [
        "# A folder asked for without its slash: redirect, so that the page's relative links resolve. (The",
        "# test is false for a path ending in /: a true `if` inside a location would lose try_files.)",
        "if (-d $exokg_folder) {",
        "    rewrite ^(.*)$ $1/ permanent;",
        "}",
        "# The file itself if it exists, else the representation Accept prefers, else HTML.",
        "try_files $uri $exokg_stem.$exokg_ext $exokg_stem.html =404;",
        "add_header Vary $exokg_vary;",
        "add_header Link $exokg_link;",
    ]
    if VOID_WELL_KNOWN in d.files:
        lines += ["# VoID discovery (VoID section 7): a Turtle file without an extension.",
                  "location ~ /\\.well-known/void$ {", "    default_type text/turtle;", "}"]
    return "\n".join(lines) + "\n"


def _power_of_two(at_least: int, minimum: int) -> int:
    size = minimum
    while size < at_least:
        size *= 2
    return size


# --- Apache -----------------------------------------------------------------------------------------------


def _apache_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _apache_header_value(text: str) -> str:
    # mod_headers reads %-sequences as formats; a literal % (from percent-encoding) is written %%.
    return _apache_string(text.replace("%", "%%"))


def apache_rules(d: Deployment) -> str:
    """An ``.htaccess`` for the site folder: types, negotiation with q values, Vary, signposting, 404 page."""
    lines = [
        f"# exokg {d.version}: content negotiation and signposting for Apache httpd 2.4 (mod_rewrite, mod_headers,",
        "# mod_mime). Generated with the site; rebuild rather than edit. Needs AllowOverride FileInfo Options.",
        f"# The site may be served at / or under {d.prefix} (the base IRI's path). Behind an Alias, add",
        "# `RewriteBase /the/alias/` after RewriteEngine On.",
        "Options -MultiViews",
        "",
        "<IfModule mod_mime.c>",
    ]
    for ext, media in sorted(MEDIA_TYPES.items()):
        lines.append(f"AddType {media} .{ext}")
    lines.append("AddCharset utf-8 " + " ".join(f".{e}" for e, m in sorted(MEDIA_TYPES.items()) if m in CHARSET_TYPES))
    lines += ["# The gzip dump is a download: its bytes are the file's, not a transfer encoding of the N-Triples.",
              "RemoveEncoding .gz", "</IfModule>"]
    if VOID_WELL_KNOWN in d.files:
        lines += ['<If "%{REQUEST_URI} =~ m#/\\.well-known/void$#">', 'ForceType "text/turtle; charset=utf-8"', "</If>"]
    if "404.html" in d.files:
        if d.prefix != "/":
            lines += [f'<If "%{{REQUEST_URI}} =~ m#^{_prefix_regex(d.prefix)}/#">',
                      f"ErrorDocument 404 {d.prefix}404.html", "</If>", "<Else>", "ErrorDocument 404 /404.html",
                      "</Else>"]
        else:
            lines.append("ErrorDocument 404 /404.html")
    lines += [
        "",
        "<IfModule mod_rewrite.c>",
        "RewriteEngine On",
        "# A resource page, asked for by its IRI or as .html, names the files that describe it (see Link below).",
        r"RewriteCond %{REQUEST_FILENAME} ^(.+?)(?:\.html)?$",
        "RewriteCond %1.ttl -f",
        r"RewriteRule ^(?:.*/)?([^/]+?)(?:\.html)?$ - [E=EXOKG_DESCRIBED:$1]",
        "RewriteCond %{REQUEST_FILENAME} -d",
        "RewriteCond %{REQUEST_FILENAME} ^(.*?)/?$",
        "RewriteCond %1/index.ttl -f",
        "RewriteRule (?:^|/)$ - [E=EXOKG_DESCRIBED:index]",
        "# A file that exists is served as it is.",
        "RewriteCond %{REQUEST_FILENAME} -f",
        "RewriteRule ^ - [END]",
        "# The q value (thousandths, four digits) the Accept header gives each representation: the rules run",
        "# from the least specific to the most, so the most specific one that matches is the one that stays.",
        "RewriteRule ^ - [" + ",".join(f"E=EXOKG_Q_{ext.upper()}:0000" for ext, _ in NEGOTIATED) + "]",
    ]
    for ext, media in NEGOTIATED:
        for rule in reversed(q_rules(media)):
            lines += [f"RewriteCond %{{HTTP:Accept}} {rule.pattern} [NC]",
                      f"RewriteRule ^ - [E=EXOKG_Q_{ext.upper()}:{rule.apache()}]"]
    first = NEGOTIATED[0][0].upper()
    lines += ["# The best of them: a later representation replaces the one kept so far only with a higher q.",
              f"RewriteCond %{{ENV:EXOKG_Q_{first}}} ^(.*)$", f"RewriteRule ^ - [E=EXOKG_BEST:{_CODES[0]}%1]"]
    for index, (ext, _media) in enumerate(NEGOTIATED[1:], start=1):
        lines += [f"RewriteCond %{{ENV:EXOKG_Q_{ext.upper()}}},%{{ENV:EXOKG_BEST}} {GREATER}",
                  f"RewriteRule ^ - [E=EXOKG_BEST:{_CODES[index]}%1]"]
    lines.append(f"RewriteRule ^ - [E=EXOKG_EXT:{NEGOTIATED[0][0]}]")
    for index, (ext, _media) in enumerate(NEGOTIATED[1:], start=1):
        lines += [f"RewriteCond %{{ENV:EXOKG_BEST}} ^{_CODES[index]}", f"RewriteRule ^ - [E=EXOKG_EXT:{ext}]"]
    lines += [
        "# A folder: its index in that representation, else in HTML.",
        "RewriteCond %{REQUEST_FILENAME} -d",
        "RewriteCond %{REQUEST_FILENAME} ^(.*?)/?$",
        "RewriteCond %1/index.%{ENV:EXOKG_EXT} -f",
        "RewriteRule ^(.*/)?$ $1index.%{ENV:EXOKG_EXT} [END,E=EXOKG_NEGOTIATED:1]",
        "RewriteCond %{REQUEST_FILENAME} -d",
        "RewriteCond %{REQUEST_FILENAME} ^(.*?)/?$",
        "RewriteCond %1/index.html -f",
        "RewriteRule ^(.*/)?$ $1index.html [END,E=EXOKG_NEGOTIATED:1]",
        "# A resource: its file in that representation, else its page.",
        "RewriteCond %{REQUEST_FILENAME}.%{ENV:EXOKG_EXT} -f",
        "RewriteRule ^(.+)$ $1.%{ENV:EXOKG_EXT} [END,E=EXOKG_NEGOTIATED:1]",
        "RewriteCond %{REQUEST_FILENAME}.html -f",
        "RewriteRule ^(.+)$ $1.html [END,E=EXOKG_NEGOTIATED:1]",
        "</IfModule>",
        "",
        "<IfModule mod_headers.c>",
        "# After a negotiated (internal) rewrite Apache renames the variables set above REDIRECT_….",
        "Header merge Vary Accept env=REDIRECT_EXOKG_NEGOTIATED",
    ]
    for variable in ("EXOKG_DESCRIBED", "REDIRECT_EXOKG_DESCRIBED"):
        # %{NAME}e is mod_headers' format for an environment variable: the page's name, set above.
        value = ", ".join(f'<%{{{variable}}}e.{ext}>; rel="describedby"; type="{media}"' for ext, media, _ in FORMATS)
        lines.append(f"Header add Link {_apache_string(value)} env={variable}")
    lines.append("# Links that name a particular resource: the dataset's items and licence, and what holds a dump.")
    specific: list[tuple[str, str]] = []
    for page in d.pages:
        if any(link["rel"] == "item" for link in page.links):
            others = [link for link in page.links if link["rel"] != "describedby"]
            specific.append((page.served_at, link_header(others)))
    specific += list(d.extra_links)
    for path, value in sorted(specific):
        prefixes = "|".join(_prefix_regex(p) for p in d.prefixes if p != "/")
        start = f"^(?:{prefixes})?/" if prefixes else "^/"
        suffix = r"(?:\.html)?" if not path.endswith("/") and "." not in posixpath.basename(path) else ""
        lines += [f'<If "%{{REQUEST_URI}} =~ m#{start}{re.escape(path)}{suffix}$#">',
                  f"Header add Link {_apache_header_value(value)}", "</If>"]
    lines.append("</IfModule>")
    return "\n".join(lines) + "\n"


# --- Static hosts ------------------------------------------------------------------------------------------


def static_headers(d: Deployment) -> str:
    """``_headers`` (Netlify, Cloudflare Pages): content types, and the dataset's signposting.

    Kept to a bounded number of rules whatever the size of the graph: Cloudflare Pages reads at most 100,
    and per-resource rules would need one or two per page (see the decision record); every page carries
    its own signposting links in its HTML head.
    """
    lines = [
        f"# exokg {d.version}: response headers for static hosts that read _headers (Netlify, Cloudflare Pages).",
        "# They cannot negotiate on Accept: a resource's IRI gives its HTML page, and its data is at the same",
        "# path with .ttl, .jsonld or .nt. Each page's <head> carries its signposting links.",
    ]
    extensions = sorted({posixpath.basename(f).rpartition(".")[2] for f in d.files if "." in posixpath.basename(f)})
    for ext in extensions:
        media = media_type(f"x.{ext}")
        if media and ext != "html":
            lines += [f"/*.{ext}", f"  Content-Type: {media}"]
    if VOID_WELL_KNOWN in d.files:
        lines += [f"/{VOID_WELL_KNOWN}", f"  Content-Type: {media_type(VOID_WELL_KNOWN)}"]
    rules: list[tuple[str, str]] = []
    for page in d.pages:
        if any(link["rel"] == "item" for link in page.links):
            value = link_header(page.links)
            rules += [(f"/{page.served_at}", value), (f"/{page.path}", value)]
    rules += [(f"/{path}", value) for path, value in d.extra_links]
    for path, value in sorted(set(rules)):
        lines += [path, f"  Link: {value}"]
    return "\n".join(lines) + "\n"


def static_redirects(d: Deployment) -> str:
    """``_redirects`` (Netlify, Cloudflare Pages): an IRI whose last segment has a dot, served its page.

    These hosts serve ``x.html`` at ``/x`` by themselves, and their own ``404.html`` for unknown paths; a
    name with a dot (``claim/a.causes.b``) looks like a file with an extension to them, so it gets a rule.
    Only exact paths: a wildcard rewrite would also catch the .ttl files (Cloudflare Pages applies rules
    even where a file exists), and neither host can match on Accept.
    """
    lines = [
        f"# exokg {d.version}: rewrites for static hosts that read _redirects (Netlify, Cloudflare Pages). They",
        "# cannot negotiate on Accept. They serve x.html at /x and 404.html for unknown paths by themselves;",
        "# an IRI whose last segment has a dot is served its page by the rules below.",
    ]
    for page in sorted(d.pages, key=lambda p: p.served_at):
        name = posixpath.basename(page.served_at)
        if name and "." in name:
            lines.append(f"/{page.served_at} /{page.path} 200")
    return "\n".join(lines) + "\n"


# --- Sitemap and robots.txt --------------------------------------------------------------------------------


def page_urls(site: Site, pages: Sequence[Page]) -> list[str]:
    """The absolute URL of every HTML page under the base: a resource page by its IRI, a folder's index by
    the folder. The 404 page is not a page to index."""
    by_path = {page.path: page.iri for page in pages}
    urls = set()
    for path in site.plan.files:
        if not path.endswith(".html") or path == "404.html":
            continue
        if path in by_path:
            url = by_path[path]
        elif path == "index.html" or path.endswith("/index.html"):
            url = site.iris.base + path[: -len("index.html")]
        else:
            url = site.iris.base + path
        urls.add(quote(url, safe=":/?#[]@!$&'()*+,;=%~"))
    return sorted(urls)


def sitemaps(urls: Sequence[str], lastmod: str, base: str, max_urls: int = SITEMAP_MAX_URLS,
             max_bytes: int = SITEMAP_MAX_BYTES) -> dict[str, str]:
    """``sitemap.xml``, or when the URLs exceed one file's limits, ``sitemap.xml`` as an index of
    ``sitemap-1.xml``, ``sitemap-2.xml``…"""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    tail = "</urlset>\n"
    chunks: list[list[str]] = [[]]
    size = len(head) + len(tail)
    for url in urls:
        entry = f"  <url><loc>{xml_escape(url)}</loc><lastmod>{lastmod}</lastmod></url>\n"
        if chunks[-1] and (len(chunks[-1]) >= max_urls or size + len(entry.encode()) > max_bytes):
            chunks.append([])
            size = len(head) + len(tail)
        chunks[-1].append(entry)
        size += len(entry.encode())
    if len(chunks) == 1:
        return {SITEMAP: head + "".join(chunks[0]) + tail}
    files = {f"sitemap-{n}.xml": head + "".join(chunk) + tail for n, chunk in enumerate(chunks, start=1)}
    index = ['<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    index += [f"  <sitemap><loc>{xml_escape(base + name)}</loc><lastmod>{lastmod}</lastmod></sitemap>\n"
              for name in files]
    index.append("</sitemapindex>\n")
    return {SITEMAP: "".join(index), **files}


def robots(base: str) -> str:
    """Every page may be crawled; the sitemap lists them."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP}\n"
