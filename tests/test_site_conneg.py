"""Serving the site as linked data: content negotiation against a real nginx, the Apache and static-host
rules checked against the planned files, FAIR signposting, sitemap and robots.txt.

nginx (Debian's ``nginx-light`` or ``nginx``) serves a written site on 127.0.0.1, at the root and under the
base IRI's path; the listening socket is opened here and handed to nginx, so requests never race its start.
Which representation each Accept header should get is decided by a small RFC 9110 negotiator written here,
independently of the regular expressions the rules are made of.
"""

from __future__ import annotations

import dataclasses
import gzip
import os
import posixpath
import random
import re
import shutil
import socket
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from graph_fixtures import INFO, small_corpus
from project_fixtures import ROOT
from pyoxigraph import NamedNode

from exokg.graph.mapping import map_bibliography
from exokg.graph.store import read_turtle_folder
from exokg.model import Corpus
from exokg.publish.plan import SiteInput, SitePlan, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.publish.serving import sitemaps
from exokg.publish.write import write_site
from exokg.works import resolve

TYPES = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples"}
CONTENT_TYPES = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
                 "jsonld": "application/ld+json", "nt": "application/n-triples"}
SIGNPOSTS = frozenset({"cite-as", "describedby", "item", "type", "license", "collection"})
DOI_WORK = "work/doi-10.1016_j.reth.2024.01.009"  # the review of the small corpus: it has a DOI
PMID_WORK = "work/pmid-30992990"  # the listing of the small corpus: a PubMed ID, no DOI
HOSTILE_DOI = '10.1000/x"$y<z>{7}'


@dataclasses.dataclass(frozen=True)
class Built:
    """A planned site and its resource pages (page file -> IRI), found from the triples it was made from."""

    plan: SitePlan
    pages: dict[str, str]
    _links: dict[str, list[dict[str, str]]] = dataclasses.field(default_factory=dict)

    @property
    def files(self) -> dict[str, bytes]:
        return self.plan.files

    def links(self, page: str) -> list[dict[str, str]]:
        """The signposting links in the head of ``page``, read once."""
        if page not in self._links:
            self._links[page] = head_links(self.files[page])
        return self._links[page]


def plan_for(corpus: Corpus, base: str = INFO.base_iri) -> Built:
    info = dataclasses.replace(INFO, base_iri=base)
    env = make_renderer(ROOT / "site")
    triples = map_bibliography(resolve(corpus), info)
    vocabulary = read_turtle_folder(ROOT / "ontology", "ontology")
    data = SiteInput(triples=triples, title=info.title, base_iri=base, build_date=info.build_date, version="test",
                     licence=info.licence, vocabulary=vocabulary, assets=read_assets(ROOT / "site"))
    plan = plan_site(data, lambda t, c: render_with(env, t, c))
    subjects = {t.subject.value.split("#", 1)[0] for t in [*triples, *vocabulary] if isinstance(t.subject, NamedNode)}
    pages = {}
    for iri in subjects:
        local = iri[len(base):] if iri.startswith(base) else None
        if local is not None and local != "" and not re.search(r"\.(ttl|nt|jsonld)$", local):
            pages[local + "index.html" if local.endswith("/") else local + ".html"] = iri
    return Built(plan, pages)


def served_at(page: str) -> str:
    """The path a page's IRI is requested by: ``work/x`` for ``work/x.html``, ``concept/`` for its index."""
    stem = page.removesuffix(".html")
    return stem.removesuffix("index") if stem.endswith("/index") else stem


@pytest.fixture(scope="module")
def site() -> Built:
    return plan_for(small_corpus())


@pytest.fixture(scope="module")
def hostile() -> Built:
    """A site at the root of its host, with a DOI full of characters that mean something to servers."""
    listing, review = small_corpus().articles
    return plan_for(Corpus((listing, dataclasses.replace(review, doi=HOSTILE_DOI))), "https://kg.example.org/")


# --- An independent negotiator (RFC 9110 section 12.5.1) ----------------------------------------------------


def preferred(accept: str | None) -> str:
    """The extension the site should answer ``accept`` with: highest q, HTML on a tie or when none fits."""
    if accept is None or not accept.strip():
        return "html"
    ranges: list[tuple[str, float]] = []
    for element in accept.split(","):
        fields = [f.strip() for f in element.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                q = float(value)
                break
        ranges.append((fields[0].lower(), q))

    def quality(media: str) -> float:
        for candidate in (media, media.split("/")[0] + "/*", "*/*"):
            found = [q for name, q in ranges if name == candidate]
            if found:
                return found[0]
        return 0.0

    best, best_q = "html", quality(TYPES["html"])
    for ext in ("ttl", "jsonld", "nt"):
        if quality(TYPES[ext]) > best_q:
            best, best_q = ext, quality(TYPES[ext])
    return best


FIXED_ACCEPTS = [
    None, "", "*/*", "text/turtle", "application/ld+json", "application/n-triples", "text/html",
    "TEXT/Turtle", "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/turtle;q=0.9, application/ld+json", "text/html;q=0.5, text/turtle;q=0.7, application/ld+json;q=0.8",
    "text/turtle;q=0, */*", "text/turtle;q=0", "application/*", "application/*;q=0.5, text/*;q=0.4",
    "text/*", "image/png", "text/turtle;q=0.555, application/n-triples;q=0.55",
    "application/n-triples ; q=1.0 , text/html ; q=0.999", "text/turtle;charset=utf-8;q=0.7, text/html;q=0.3",
    "text/html;level=1;q=0.2, application/ld+json;q=0.3", "text/plain, application/rdf+xml",
]


def random_accepts(count: int) -> list[str]:
    pool = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "text/*", "application/*",
            "*/*", "image/png", "application/xhtml+xml", "text/plain", "application/rdf+xml"]
    qs = [None, "0", "0.", "0.1", "0.5", "0.55", "0.555", "0.9", "1", "1.0", "1.000", "0.001", "0.8", "0.80"]
    chooser = random.Random(20261121)
    accepts = []
    for _ in range(count):
        elements = []
        for media in chooser.sample(pool, chooser.randint(1, 5)):
            element = media.upper() if chooser.random() < 0.1 else media
            if chooser.random() < 0.15:
                element += ";charset=utf-8"
            q = chooser.choice(qs)
            if q is not None:
                element += chooser.choice([";q=", "; q=", " ;q="]) + q
            elements.append(element)
        accepts.append(chooser.choice([",", ", ", " , "]).join(elements))
    return accepts


def test_the_reference_negotiator_reads_accept_headers_as_the_rfc_says() -> None:
    assert [preferred(a) for a in (None, "*/*", "text/turtle;q=0.9, application/ld+json", "text/turtle;q=0",
                                   "application/*", "text/turtle;q=0.555, application/n-triples;q=0.55")] == \
        ["html", "html", "jsonld", "html", "jsonld", "ttl"]


# --- Signposting in the HTML head ---------------------------------------------------------------------------


class _HeadLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link" and values.get("rel") in SIGNPOSTS:
            self.links.append({"rel": values["rel"], "href": values["href"], "type": values.get("type", "")})


def head_links(html: bytes) -> list[dict[str, str]]:
    parser = _HeadLinks()
    parser.feed(html.decode("utf-8"))
    return parser.links


def resolve_href(page: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), target))


def test_a_work_page_signposts_its_doi_types_descriptions(site: Built) -> None:
    links = site.links(f"{DOI_WORK}.html")
    assert {"rel": "cite-as", "href": "https://doi.org/10.1016/j.reth.2024.01.009", "type": ""} in links
    types = {link["href"] for link in links if link["rel"] == "type"}
    assert types == {"https://schema.org/AboutPage", "https://schema.org/ScholarlyArticle"}
    described = [(resolve_href(f"{DOI_WORK}.html", link["href"]), link["type"])
                 for link in links if link["rel"] == "describedby"]
    assert described == [(f"{DOI_WORK}.ttl", "text/turtle"), (f"{DOI_WORK}.jsonld", "application/ld+json"),
                         (f"{DOI_WORK}.nt", "application/n-triples")]
    # Without a DOI a work is cited by its own (persistent) IRI.
    listing = site.links(f"{PMID_WORK}.html")
    assert [link["href"] for link in listing if link["rel"] == "cite-as"] == [INFO.base_iri + PMID_WORK]


def test_the_dataset_page_signposts_its_dumps_and_licence(site: Built) -> None:
    links = site.links("dataset.html")
    items = {resolve_href("dataset.html", link["href"]): link["type"] for link in links if link["rel"] == "item"}
    assert items == {"dump.ttl": "text/turtle", "dump.nt": "application/n-triples",
                     "dump.nt.gz": "application/gzip", "dump.jsonld": "application/ld+json"}
    assert all(path in site.files for path in items)
    assert [link["href"] for link in links if link["rel"] == "license"] == [INFO.licence]
    assert "https://schema.org/Dataset" in {link["href"] for link in links if link["rel"] == "type"}


def test_every_resource_page_and_only_those_signpost_existing_descriptions(site: Built) -> None:
    assert len(site.pages) > 400 and all(page in site.files for page in site.pages)
    for page in site.pages:
        links = site.links(page)
        described = [resolve_href(page, link["href"]) for link in links if link["rel"] == "describedby"]
        assert described == [page.removesuffix(".html") + f".{ext}" for ext in ("ttl", "jsonld", "nt")], page
        assert len([link for link in links if link["rel"] == "cite-as"]) == 1, page
    for page in sorted(p for p in site.files if p.endswith(".html") and p not in site.pages):
        assert site.links(page) == [], page


# --- nginx ------------------------------------------------------------------------------------------------


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if found is None:
        pytest.fail("nginx is not installed: install the Debian package nginx-light (or nginx) to run these tests")
    return found


class Nginx:
    """nginx serving a written site on a free port of 127.0.0.1, in a folder of its own."""

    def __init__(self, written: Path, work: Path, prefix: str) -> None:
        """Serve the site written in ``written`` at ``prefix``: "/" or "/<name of its folder>/"."""
        self.prefix = prefix
        self.site = written
        docroot = written.parent if prefix != "/" else written
        assert prefix in ("/", f"/{written.name}/")
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}{prefix}"
        temp = "\n".join(f'    {name}_temp_path "{work}/{name}";' for name in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        site_rules = f'include "{self.site}/nginx/exokg-site.conf";'
        serve = site_rules if prefix == "/" else f"location {prefix} {{\n        {site_rules}\n    }}"
        conf = work / "nginx.conf"
        conf.write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f'daemon off;\nworker_processes 1;\npid "{work}/nginx.pid";\nerror_log "{work}/error.log" warn;\n'
            f"events {{ worker_connections 256; }}\nhttp {{\n    access_log off;\n{temp}\n"
            f'    include "{self.site}/nginx/exokg-http.conf";\n'
            f'    server {{\n    listen 127.0.0.1:{port};\n    root "{docroot}";\n    {serve}\n    }}\n}}\n',
            encoding="utf-8")
        command = [nginx_binary(), "-p", str(work), "-c", str(conf)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, f"nginx rejects the generated configuration:\n{checked.stderr}"
        assert "[warn]" not in checked.stderr, checked.stderr
        fd = self.listener.fileno()
        os.set_inheritable(fd, True)
        # nginx takes over a listening socket named in $NGINX (as on a binary upgrade): no start-up race.
        self.process = subprocess.Popen(command, pass_fds=(fd,), env={**os.environ, "NGINX": f"{fd};"},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.session = requests.Session()

    def get(self, path: str, accept: str | None = None) -> requests.Response:
        # requests sends "Accept: */*" unless told otherwise; None leaves the header out altogether.
        headers: dict[str, str | None] = {"Accept": accept}
        return self.session.get(self.url + path, headers=headers, timeout=20, allow_redirects=False)

    def stop(self) -> None:
        self.session.close()
        self.process.terminate()
        self.process.wait(timeout=20)
        self.listener.close()


@pytest.fixture(scope="module")
def written(site: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site written once, in a folder named like the base IRI's path so it can be served under it."""
    folder = tmp_path_factory.mktemp("www") / "exokg"
    write_site(site.files, folder)
    return folder


@pytest.fixture(scope="module", params=["/exokg/", "/"], ids=["under-base-path", "at-root"])
def nginx(request: pytest.FixtureRequest, written: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    server = Nginx(written, tmp_path_factory.mktemp("nginx"), request.param)
    yield server
    server.stop()


def link_set(header: str) -> set[tuple[str, str, str]]:
    """A Link header as (target, rel, type) triples; targets hold no "," or ">" (they are encoded)."""
    found = set()
    for part in re.findall(r"<([^>]*)>((?:\s*;\s*[a-z]+=\"[^\"]*\")*)", header):
        params = dict(re.findall(r'([a-z]+)="([^"]*)"', part[1]))
        found.add((part[0], params["rel"], params.get("type", "")))
    return found


def test_nginx_answers_every_resource_iri_with_the_representation_asked_for(nginx: Nginx, site: Built) -> None:
    for number, page in enumerate(sorted(site.pages)):
        stem = page.removesuffix(".html")
        expected_links = {(link["href"], link["rel"], link["type"]) for link in site.links(page)}
        ext = ("ttl", "jsonld", "nt", "html")[number % 4]  # every page once, every representation many times
        response = nginx.get(served_at(page), TYPES[ext])
        assert response.status_code == 200, (page, ext)
        assert response.headers["Content-Type"] == CONTENT_TYPES[ext], (page, ext)
        assert response.headers["Vary"] == "Accept", page
        assert response.content == site.files[f"{stem}.{ext}"], (page, ext)
        assert link_set(response.headers["Link"]) == expected_links, page
        if number % 10 == 0:
            direct = nginx.get(page)
            assert direct.content == site.files[page] and "Vary" not in direct.headers, page
            assert link_set(direct.headers["Link"]) == expected_links, page


def test_nginx_weighs_accept_headers_as_the_rfc_says(nginx: Nginx, site: Built) -> None:
    for accept in [*FIXED_ACCEPTS, *random_accepts(150)]:
        ext = preferred(accept)
        response = nginx.get(DOI_WORK, accept)
        assert response.status_code == 200, accept
        assert response.headers["Content-Type"] == CONTENT_TYPES[ext], accept
        assert response.content == site.files[f"{DOI_WORK}.{ext}"], accept
        assert response.headers["Vary"] == "Accept", accept


def test_nginx_serves_files_as_they_are_with_their_types(nginx: Nginx, site: Built) -> None:
    for path, content_type in (("dump.ttl", "text/turtle; charset=utf-8"), ("dump.nt", "application/n-triples"),
                               ("dump.jsonld", "application/ld+json"), ("dump.nt.gz", "application/gzip"),
                               (".well-known/void", "text/turtle; charset=utf-8"),
                               ("sitemap.xml", "application/xml; charset=utf-8"),
                               ("robots.txt", "text/plain; charset=utf-8"),
                               ("assets/style.css", "text/css; charset=utf-8"),
                               (f"{DOI_WORK}.ttl", "text/turtle; charset=utf-8")):
        response = nginx.get(path, "text/html")
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == content_type, path
        assert "Vary" not in response.headers and "Content-Encoding" not in response.headers, path
        assert response.content == site.files[path], path
    assert gzip.decompress(nginx.get("dump.nt.gz").content) == site.files["dump.nt"]
    # A dump names the dataset that holds it.
    assert link_set(nginx.get("dump.ttl").headers["Link"]) == {(INFO.base_iri + "dataset", "collection", "")}


def test_nginx_redirects_a_folder_without_its_slash_and_answers_404_with_the_page(nginx: Nginx, site: Built) -> None:
    folder = nginx.get("concept", "text/turtle")
    assert folder.status_code == 301
    assert folder.headers["Location"] == nginx.prefix + "concept/"
    assert nginx.get("concept/", "text/turtle").content == site.files["concept/index.ttl"]
    assert nginx.get("", "text/turtle").content == site.files["index.html"]  # the home page is HTML only
    for missing in ("no/such/page", "work/doi-10.0000_none", f"{DOI_WORK}.rdf"):
        response = nginx.get(missing, "text/turtle")
        assert response.status_code == 404, missing
        assert response.content == site.files["404.html"], missing


def test_nginx_keeps_iris_that_differ_only_by_case_apart(nginx: Nginx, site: Built) -> None:
    stems = [p.removesuffix(".ttl") for p in site.files if p.startswith("ontology/") and p.endswith(".ttl")]
    pairs = [(a, b) for a in stems for b in stems if a < b and a.lower() == b.lower()]
    assert pairs, "the ontology has a class and a property whose names differ only by case"
    for stem in pairs[0]:
        links = link_set(nginx.get(stem).headers["Link"])
        assert (os.path.basename(stem) + ".ttl", "describedby", "text/turtle") in links
        assert (INFO.base_iri + stem, "cite-as", "") in links


def test_hostile_identifiers_cannot_break_the_server_configuration(hostile: Built, tmp_path: Path) -> None:
    page = next(p for p in hostile.pages if p.startswith("work/doi-10.1000_x"))
    write_site(hostile.files, tmp_path / "site")
    server = Nginx(tmp_path / "site", tmp_path, "/")
    try:
        response = server.get(served_at(page), "application/ld+json")
        assert response.content == hostile.files[page.replace(".html", ".jsonld")]
        cite = [target for target, rel, _ in link_set(response.headers["Link"]) if rel == "cite-as"]
        assert cite == ["https://doi.org/10.1000/x%22%24y%3Cz%3E%7B7%7D"]
    finally:
        server.stop()


# --- Apache: the rules read by a small interpreter of the mod_rewrite subset they use --------------------------


@dataclasses.dataclass(frozen=True)
class Rewrite:
    kind: str  # "cond" or "rule"
    first: str
    second: str
    flags: tuple[str, ...]


def apache_rewrites(text: str) -> list[Rewrite]:
    block = text.split("<IfModule mod_rewrite.c>", 1)[1].split("</IfModule>", 1)[0]
    rewrites = []
    for line in block.splitlines():
        if not line.startswith(("RewriteCond", "RewriteRule")):
            continue
        words = line.split()
        assert len(words) in (3, 4), line
        flags = tuple(words[3].strip("[]").split(",")) if len(words) == 4 else ()
        rewrites.append(Rewrite("cond" if words[0] == "RewriteCond" else "rule", words[1], words[2], flags))
    return rewrites


def apache_serves(rewrites: list[Rewrite], files: set[str], path: str,
                  accept: str | None) -> tuple[str, dict[str, str]]:
    """What the rules rewrite a request for ``path`` (below the .htaccess folder) to, and the variables set.

    As mod_rewrite does: a rule's pattern is matched first, then its conditions in order; %N are the groups
    of the last condition matched, $N the rule's; a rule with END ends the rewriting.
    """
    folders = {""} | {"/".join(f.split("/")[:i]) for f in files for i in range(1, f.count("/") + 1)}
    root = "/srv/site/"
    env: dict[str, str] = {}

    def exists(filename: str, folder: bool) -> bool:
        relative = filename.removeprefix(root)
        return relative.rstrip("/") in folders if folder else relative in files

    def expand(text: str, rule: re.Match[str], groups: tuple[str | None, ...]) -> str:
        text = text.replace("%{REQUEST_FILENAME}", root + path).replace("%{HTTP:Accept}", accept or "")
        text = re.sub(r"%\{ENV:(\w+)\}", lambda m: env.get(m.group(1), ""), text)
        text = re.sub(r"%(\d)", lambda m: groups[int(m.group(1))] or "", text)
        return re.sub(r"\$(\d)", lambda m: rule.group(int(m.group(1))) or "", text)

    conditions: list[Rewrite] = []
    for step in rewrites:
        if step.kind == "cond":
            conditions.append(step)
            continue
        pending, conditions = conditions, []
        match = re.search(step.first, path)
        if match is None:
            continue
        groups: tuple[str | None, ...] = ()
        passed = True
        for cond in pending:
            tested = expand(cond.first, match, groups)
            if cond.second in ("-f", "-d"):
                passed = exists(tested, cond.second == "-d")
            else:
                found = re.search(cond.second, tested, re.I if "NC" in cond.flags else 0)
                passed = found is not None
                if found:
                    groups = (found.group(0), *found.groups())
            if not passed:
                break
        if not passed:
            continue
        for flag in step.flags:
            if flag.startswith("E="):
                name, _, value = flag[2:].partition(":")
                env[name] = expand(value, match, groups)
        if "END" in step.flags:
            return (path if step.second == "-" else expand(step.second, match, groups)), env
    return path, env


def test_the_apache_rules_negotiate_like_the_rfc_and_name_existing_files(site: Built) -> None:
    text = site.files[".htaccess"].decode()
    rewrites = apache_rewrites(text)
    for step in rewrites:
        for pattern in (step.second if step.kind == "cond" else step.first,):
            if pattern not in ("-f", "-d"):
                re.compile(pattern)
    files = set(site.files)
    pages = sorted(site.pages)
    checks = [(page, accept) for page in (f"{DOI_WORK}.html", "concept/index.html")
              for accept in [*FIXED_ACCEPTS, *random_accepts(40)]]
    checks += [(page, TYPES[("ttl", "jsonld", "nt", "html")[n % 4]]) for n, page in enumerate(pages[::7])]
    for page, accept in checks:
        stem = page.removesuffix(".html")
        target, env = apache_serves(rewrites, files, served_at(page), accept)
        assert target == f"{stem}.{preferred(accept)}", (page, accept)
        assert env["EXOKG_NEGOTIATED"] == "1"
        assert env["EXOKG_DESCRIBED"] == posixpath.basename(stem)
    for page in pages[::7]:
        target, env = apache_serves(rewrites, files, page, "text/turtle")
        assert target == page and "EXOKG_NEGOTIATED" not in env  # an existing file is served as it is
        assert env["EXOKG_DESCRIBED"] == posixpath.basename(page.removesuffix(".html"))
    assert apache_serves(rewrites, files, "", "text/turtle")[0] == "index.html"
    assert apache_serves(rewrites, files, "dump.ttl", "application/ld+json")[0] == "dump.ttl"


def test_the_apache_headers_and_error_page_name_existing_files(site: Built) -> None:
    text = site.files[".htaccess"].decode()
    for target in re.findall(r"^ErrorDocument 404 (\S+)$", text, re.M):
        assert target.removeprefix("/exokg/").removeprefix("/") in site.files
    assert "AddType text/turtle .ttl" in text and "AddType application/ld+json .jsonld" in text
    assert "AddType application/n-triples .nt" in text and "RemoveEncoding .gz" in text
    assert "Header merge Vary Accept env=REDIRECT_EXOKG_NEGOTIATED" in text
    blocks = re.findall(r'<If "%\{REQUEST_URI\} =~ m#(.*?)#">\nHeader add Link "(.*?)"\n</If>', text)
    assert blocks
    for pattern, value in blocks:
        served = [p for p in site.files if re.search(pattern, "/exokg/" + p) and re.search(pattern, "/" + p)]
        assert served, pattern
        for target, _rel, _type in link_set(value.replace('\\"', '"')):
            if not target.startswith("https://"):
                assert resolve_href(served[0], target) in site.files, (pattern, target)


# --- Static hosts ------------------------------------------------------------------------------------------


def test_headers_for_static_hosts_stay_small_and_name_existing_files(site: Built) -> None:
    lines = site.files["_headers"].decode().splitlines()
    rules: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("/"):
            rules[line] = []
        else:
            assert line.startswith("  ") and ": " in line, line
            rules[list(rules)[-1]].append(line.strip())
    assert len(rules) <= 100 and all(len(line) <= 2000 for line in lines)  # Cloudflare Pages' limits
    for ext in ("ttl", "jsonld", "nt", "gz"):
        assert rules[f"/*.{ext}"] == [f"Content-Type: {CONTENT_TYPES.get(ext, 'application/gzip')}"]
    assert rules["/.well-known/void"] == ["Content-Type: text/turtle; charset=utf-8"]
    for path, headers in rules.items():
        if "*" in path:
            continue
        local = path[1:]
        assert local in site.files or f"{local}.html" in site.files, path
        for header in headers:
            name, _, value = header.partition(": ")
            if name == "Content-Type":
                continue
            assert name == "Link", header
            for target, _rel, _type in link_set(value):
                if not target.startswith("https://"):
                    assert resolve_href(local, target) in site.files, (path, target)
    assert link_set(rules["/dataset"][0].partition(": ")[2]) == {
        (link["href"], link["rel"], link["type"]) for link in site.links("dataset.html")}


def test_redirects_serve_dotted_iris_their_pages(site: Built) -> None:
    lines = [line for line in site.files["_redirects"].decode().splitlines() if line and not line.startswith("#")]
    rules = {}
    for line in lines:
        source, target, status = line.split()
        assert status == "200" and source not in rules
        assert source[1:] not in site.files and target[1:] in site.files and target == source + ".html", line
        rules[source] = target
    dotted = {"/" + served_at(p) for p in site.pages if "." in posixpath.basename(served_at(p))}
    assert set(rules) == dotted and f"/{DOI_WORK}" in rules


# --- Sitemap and robots.txt --------------------------------------------------------------------------------


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_every_page_once_by_its_address(site: Built) -> None:
    root = ET.fromstring(site.files["sitemap.xml"])
    assert root.tag == f"{SITEMAP_NS}urlset"
    urls = [u.findtext(f"{SITEMAP_NS}loc") or "" for u in root]
    assert urls == sorted(urls) and len(urls) == len(set(urls))
    assert {u.findtext(f"{SITEMAP_NS}lastmod") for u in root} == {INFO.build_date.isoformat()}
    pages = set()
    for url in urls:
        assert url.startswith(INFO.base_iri), url
        local = url[len(INFO.base_iri):]
        page = local + "index.html" if local == "" or local.endswith("/") else \
            local if local.endswith(".html") else local + ".html"
        assert page in site.files, url
        pages.add(page)
    assert pages == {p for p in site.files if p.endswith(".html")} - {"404.html"}
    assert f"{INFO.base_iri}{DOI_WORK}" in urls and f"{INFO.base_iri}concept/" in urls


def test_a_large_sitemap_is_split_under_an_index() -> None:
    urls = [f"https://kg.example.org/work/w{n:03d}" for n in range(7)]
    files = sitemaps(urls, "2026-11-21", "https://kg.example.org/", max_urls=3)
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    parts = [s.findtext(f"{SITEMAP_NS}loc") or "" for s in index]
    assert parts == [f"https://kg.example.org/sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = []
    for part in parts:
        urlset = ET.fromstring(files[part.rsplit("/", 1)[1]])
        assert len(urlset) <= 3
        listed += [u.findtext(f"{SITEMAP_NS}loc") for u in urlset]
    assert listed == urls
    by_size = sitemaps(urls, "2026-11-21", "https://kg.example.org/", max_bytes=400)
    parts_by_size = [text for name, text in by_size.items() if name != "sitemap.xml"]
    assert len(parts_by_size) > 1 and all(len(text.encode()) <= 400 for text in parts_by_size)


def test_robots_allows_all_and_points_at_the_sitemap(site: Built) -> None:
    robots = site.files["robots.txt"].decode().splitlines()
    assert "User-agent: *" in robots and "Allow: /" in robots and not any(r.startswith("Disallow: /") for r in robots)
    assert f"Sitemap: {INFO.base_iri}sitemap.xml" in robots


def test_a_site_at_the_root_of_its_host_has_rules_without_a_prefix(hostile: Built) -> None:
    assert hostile.plan.warnings == []
    http = hostile.files["nginx/exokg-http.conf"].decode()
    assert "\"~^/(?P<exokg_rest>[^?]*)\" $exokg_rest;" in http and "~^/exokg" not in http
    assert "ErrorDocument 404 /404.html" in hostile.files[".htaccess"].decode()
    assert hostile.files["robots.txt"].decode().endswith("Sitemap: https://kg.example.org/sitemap.xml\n")
