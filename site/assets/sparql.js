/* SPARQL in the browser: Oxigraph (WebAssembly) over the site's N-Triples dump, with no server.
 *
 * This one script is both the page's script and, started again as a worker, its engine: the worker imports
 * Oxigraph's ES module, loads the dump and runs the queries, so a large load or a slow query never freezes
 * the page and Stop can end it. A browser that cannot start the worker runs the same engine in the page.
 * It is a classic script rather than a module because browsers run no module of a site opened from disk,
 * and there the page must still say why it cannot query.
 *
 * Results are the SPARQL 1.1 JSON results Oxigraph writes, the format of `exokg query --format json`.
 * Every value reaches the page as text (textContent), never as HTML: literals are data from elsewhere,
 * and only site paths and http(s) IRIs become links.
 */
(function () {
  'use strict';

  // Rows put in the table at most; a longer result says so (LIMIT and OFFSET page through it).
  const MAX_ROWS = 2000;
  const XSD = 'http://www.w3.org/2001/XMLSchema#';
  const NUMERIC = new Set(['integer', 'decimal', 'double', 'float', 'long', 'int', 'short', 'byte',
    'nonNegativeInteger', 'positiveInteger', 'nonPositiveInteger', 'negativeInteger', 'unsignedLong',
    'unsignedInt', 'unsignedShort', 'unsignedByte'].map((t) => XSD + t));
  // Resources published as files, not pages (exokg.publish.site.page_file).
  const PUBLISHED_FILE = /\.(ttl|nt|jsonld|html|gz|trig|nq)$/;

  function messageOf(error) {
    return (error && error.message) || String(error);
  }

  // --- The engine: Oxigraph and one store, in the worker (or in the page) ---------------------------------

  class Engine {
    async open(urls, progress) {
      const started = performance.now();
      this.oxigraph = await import(urls.library);
      await this.oxigraph.default({ module_or_path: urls.wasm });
      progress({ phase: 'download' });
      const dump = await fetchDump(urls);
      const fetched = performance.now();
      progress({ phase: 'load', bytes: dump.bytes.length });
      const store = new this.oxigraph.Store();
      // One call, so one scope for blank node labels: Oxigraph renames them in each call to load().
      store.load(dump.bytes, { format: 'application/n-triples' });
      this.store = store;
      return {
        triples: store.size, bytes: dump.bytes.length, transferred: dump.transferred, source: dump.url,
        downloadMs: fetched - started, loadMs: performance.now() - fetched
      };
    }

    run(text) {
      const started = performance.now();
      const answer = this.store.query(text, { results_format: 'json' });
      const ms = performance.now() - started;
      const parsed = JSON.parse(answer);
      if (Array.isArray(parsed)) {
        // CONSTRUCT and DESCRIBE: Oxigraph writes graphs as JSON-LD; read back as triples.
        const triples = this.oxigraph.parse(answer, { format: 'application/ld+json' })
          .map((q) => [term(q.subject), term(q.predicate), term(q.object)]);
        triples.sort((a, b) => compareRows(a, b));
        return { form: 'graph', triples, ms };
      }
      if (Object.prototype.hasOwnProperty.call(parsed, 'boolean')) return { form: 'ASK', boolean: parsed.boolean, ms };
      return { form: 'SELECT', vars: parsed.head.vars || [], rows: parsed.results.bindings, ms };
    }
  }

  // An RDF/JS term as a SPARQL JSON results term.
  function term(t) {
    if (t.termType === 'NamedNode') return { type: 'uri', value: t.value };
    if (t.termType === 'BlankNode') return { type: 'bnode', value: t.value };
    if (t.termType === 'Literal') {
      const found = { type: 'literal', value: t.value };
      if (t.language) found['xml:lang'] = t.language;
      else if (t.datatype && t.datatype.value !== XSD + 'string') found.datatype = t.datatype.value;
      return found;
    }
    return { type: 'triple', value: t.toString() };
  }

  function compareRows(a, b) {
    for (let i = 0; i < a.length; i++) {
      const x = a[i].type + ' ' + a[i].value, y = b[i].type + ' ' + b[i].value;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  }

  async function fetchDump(urls) {
    if (typeof DecompressionStream === 'function') {
      try {
        const response = await fetch(urls.dumpGz);
        if (response.ok) {
          const packed = new Uint8Array(await response.arrayBuffer());
          // Not gzip (a server that sent it with Content-Encoding, or an error page): the plain dump below.
          if (packed[0] === 0x1f && packed[1] === 0x8b) {
            const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
            const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
            return { bytes, transferred: packed.length, url: urls.dumpGz };
          }
        }
      } catch (error) {
        // The plain dump holds the same triples.
      }
    }
    const response = await fetch(urls.dump);
    if (!response.ok) throw new Error(urls.dump + ': HTTP ' + response.status + ' ' + response.statusText);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { bytes, transferred: bytes.length, url: urls.dump };
  }

  // --- The page --------------------------------------------------------------------------------------------

  class Unavailable extends Error {}
  class Stopped extends Error {}

  // The engine in a worker; a worker that cannot start fails every call with Unavailable.
  class WorkerEngine {
    constructor(url) {
      this.calls = new Map();
      this.next = 1;
      this.answered = false;
      if (!url || typeof Worker !== 'function') throw new Unavailable();
      try {
        this.worker = new Worker(url);
      } catch (error) {
        throw new Unavailable(); // a page whose policy allows no worker
      }
      this.worker.addEventListener('message', (event) => {
        const { id, ok, result, error, progress } = event.data;
        const call = this.calls.get(id);
        if (!call) return;
        this.answered = true;
        if (progress) {
          call.progress(progress);
          return;
        }
        this.calls.delete(id);
        if (ok) call.resolve(result); else call.reject(new Error(error));
      });
      this.worker.addEventListener('error', (event) => {
        event.preventDefault();
        this.fail(this.answered ? new Error(event.message || 'the query worker stopped') : new Unavailable());
      });
    }

    call(op, args, progress) {
      const id = this.next++;
      return new Promise((resolve, reject) => {
        this.calls.set(id, { resolve, reject, progress: progress || (() => {}) });
        this.worker.postMessage({ id, op, args });
      });
    }

    stop() {
      this.worker.terminate();
      this.fail(new Stopped('stopped'));
    }

    fail(error) {
      const calls = [...this.calls.values()];
      this.calls.clear();
      calls.forEach((call) => call.reject(error));
    }
  }

  // The same engine in the page, where no worker starts: a long query freezes the page.
  class PageEngine {
    constructor() {
      this.engine = new Engine();
      this.stop = null;
    }

    call(op, args, progress) {
      return op === 'open' ? this.engine.open(args, progress || (() => {}))
        : Promise.resolve().then(() => this.engine.run(args.text));
    }
  }

  function page(script) {
    const box = document.getElementById('sparql');
    if (!box) return;
    const form = document.getElementById('sparql-form');
    const select = document.getElementById('sparql-cookbook');
    const textarea = document.getElementById('sparql-query');
    const about = document.getElementById('sparql-about');
    const needs = document.getElementById('sparql-needs');
    const runButton = document.getElementById('sparql-run');
    const stopButton = document.getElementById('sparql-stop');
    const statusLine = document.getElementById('sparql-status');
    const results = document.getElementById('sparql-results');
    const base = box.dataset.base;
    const root = box.dataset.root || './';
    const absolute = (path) => new URL(path, document.baseURI).href;
    const urls = {
      library: absolute(box.dataset.library), wasm: absolute(box.dataset.wasm),
      dump: absolute(box.dataset.dump), dumpGz: absolute(box.dataset.dumpGz)
    };
    let engine = null;
    let ready = null;
    let running = false;
    let queries = new Map();

    function say(text) {
      statusLine.textContent = text;
    }

    function state(value) {
      box.dataset.state = value;
    }

    function element(tag, className, text) {
      const node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    }

    function number(n) {
      return n.toLocaleString('en');
    }

    function duration(ms) {
      return ms < 1000 ? Math.max(1, Math.round(ms)) + ' ms' : (ms / 1000).toFixed(2) + ' s';
    }

    function size(bytes) {
      return bytes < 1e6 ? Math.max(1, Math.round(bytes / 1e3)) + ' kB' : (bytes / 1e6).toFixed(1) + ' MB';
    }

    // --- The cookbook

    function choose(name) {
      const query = queries.get(name);
      if (!query) return false;
      if (select) select.value = name;
      textarea.value = query.text;
      about.textContent = query.description;
      needs.hidden = !query.needs.length;
      needs.replaceChildren();
      if (query.needs.length) {
        needs.append('This query needs a value for ' + query.needs.join(', ') + ', and its header gives no default: ' +
          'replace the parameter in the text with a value, or run ', element('code', null, query.command), '.');
      }
      return true;
    }

    function named() {
      return new URLSearchParams(window.location.search).get('query');
    }

    function readCookbook() {
      const url = absolute(box.dataset.cookbook);
      return fetch(url).then((response) => {
        if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
        return response.json();
      }).then((data) => {
        queries = new Map(data.queries.map((q) => [q.name, q]));
      });
    }

    // Browsers refuse fetch() and WebAssembly of files opened from disk.
    const fromDisk = window.location.protocol === 'file:';
    const cookbook = fromDisk ? Promise.reject(new Error('the site is opened from disk')) : readCookbook();
    cookbook.catch(() => {});

    if (select) {
      select.addEventListener('change', () => {
        const name = select.value;
        const url = new URL(window.location.href);
        url.searchParams.set('query', name);
        history.replaceState(null, '', url.href);
        results.replaceChildren();
        cookbook.then(() => choose(name), (error) => {
          about.textContent = 'The saved queries could not be read (' + messageOf(error) + '): the text is unchanged.';
        });
      });
    }

    // --- Loading

    function progress(step) {
      if (step.phase === 'download') say('Downloading the graph…');
      else if (step.phase === 'load') say('Loading the graph (' + size(step.bytes) + ' of N-Triples)…');
    }

    async function start() {
      state(running ? 'running' : 'loading');
      say('Loading Oxigraph…');
      let info;
      try {
        engine = new WorkerEngine(script);
        info = await engine.call('open', urls, progress);
      } catch (error) {
        if (!(error instanceof Unavailable)) throw error;
        engine = new PageEngine();
        info = await engine.call('open', urls, progress);
      }
      box.dataset.loaded = String(info.triples);
      box.dataset.loadMs = String(Math.round(info.downloadMs + info.loadMs));
      const file = info.source === urls.dumpGz ? 'gzipped N-Triples' : 'N-Triples';
      say('Loaded ' + number(info.triples) + ' triples (' + size(info.transferred) + ' of ' + file + ') in ' +
        duration(info.downloadMs + info.loadMs) + ' (' + duration(info.loadMs) + ' to load). ' +
        'Choose a saved query or type one, then Run.');
      if (!running) state('ready');
      return info;
    }

    function load() {
      if (!ready) {
        ready = start().catch((error) => {
          ready = null;
          state('error');
          say('The graph could not be loaded: ' + messageOf(error));
          throw error;
        });
      }
      return ready;
    }

    // --- Results

    function pageOf(iri) {
      if (base && iri.startsWith(base)) {
        const hash = iri.indexOf('#');
        const local = iri.slice(base.length, hash < 0 ? iri.length : hash);
        const path = local === '' || local.endsWith('/') ? local + 'index.html'
          : PUBLISHED_FILE.test(local) ? local : local + '.html';
        return root + path + (hash < 0 ? '' : iri.slice(hash));
      }
      return /^https?:\/\//i.test(iri) ? iri : null;
    }

    function cell(term) {
      const td = element('td');
      if (!term) {
        td.dataset.type = 'unbound';
        return td;
      }
      td.dataset.type = term.type;
      if (term.type === 'uri') {
        const target = pageOf(term.value);
        if (target) {
          const a = element('a', null, term.value);
          a.href = target;
          td.append(a);
        } else {
          td.textContent = term.value;
        }
      } else if (term.type === 'bnode') {
        td.textContent = '_:' + term.value;
      } else {
        td.textContent = term.value;
        if (term['xml:lang']) {
          td.lang = term['xml:lang'];
          td.dataset.lang = term['xml:lang'];
          td.title = '@' + term['xml:lang'];
        } else if (term.datatype) {
          td.dataset.datatype = term.datatype;
          td.title = term.datatype;
          if (NUMERIC.has(term.datatype)) td.className = 'num';
        }
      }
      return td;
    }

    function table(vars, rows, get) {
      const t = element('table', 'result sparql-table');
      const head = t.createTHead().insertRow();
      vars.forEach((name) => {
        const th = element('th', null, name);
        th.scope = 'col';
        head.append(th);
      });
      const body = t.createTBody();
      rows.slice(0, MAX_ROWS).forEach((row) => {
        const tr = body.insertRow();
        vars.forEach((name, i) => tr.append(cell(get(row, name, i))));
      });
      results.append(t);
    }

    function counted(n, unit, ms) {
      const shown = n <= MAX_ROWS ? ''
        : ', the first ' + number(MAX_ROWS) + ' shown (LIMIT and OFFSET page through the rest)';
      return number(n) + ' ' + unit + (n === 1 ? '' : 's') + ' in ' + duration(ms) + shown + '.';
    }

    function show(answer) {
      results.replaceChildren();
      box.dataset.queryMs = String(Math.round(answer.ms));
      if (answer.form === 'ASK') {
        results.append(element('p', 'sparql-answer', answer.boolean ? 'true' : 'false'));
        say('ASK: ' + (answer.boolean ? 'true' : 'false') + ' in ' + duration(answer.ms) + '.');
      } else if (answer.form === 'graph') {
        table(['subject', 'predicate', 'object'], answer.triples, (row, name, i) => row[i]);
        say(counted(answer.triples.length, 'triple', answer.ms));
      } else {
        table(answer.vars, answer.rows, (row, name) => row[name]);
        say(counted(answer.rows.length, 'row', answer.ms));
      }
    }

    // --- Running

    async function run() {
      if (running) return;
      const text = textarea.value;
      if (!text.trim()) {
        say('Type a query first.');
        return;
      }
      state('running');
      running = true;
      runButton.disabled = true;
      results.replaceChildren();
      try {
        await load();
      } catch (error) {
        running = false;
        runButton.disabled = false;
        return; // load() said why
      }
      say('Running…');
      stopButton.hidden = !engine.stop;
      try {
        show(await engine.call('run', { text }));
        state('done');
      } catch (error) {
        if (error instanceof Stopped) {
          running = false;
          ready = null;
          say('Stopped. Loading the graph again…');
          load().catch(() => {});
          return;
        }
        say('The query failed: ' + messageOf(error));
        state('failed');
      } finally {
        running = false;
        runButton.disabled = false;
        stopButton.hidden = true;
      }
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      run();
    });
    textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        run();
      }
    });
    stopButton.addEventListener('click', () => {
      if (engine && engine.stop) engine.stop();
    });

    if (fromDisk) {
      say('This page runs SPARQL in the browser, which cannot load the graph from a site opened from disk. ' +
        'Serve the site folder over HTTP (exokg serve, or python3 -m http.server in the folder) and open ' +
        'sparql.html there.');
      state('unavailable');
      runButton.disabled = true;
      return;
    }
    cookbook.then(() => {
      const wanted = named();
      if (wanted === null) return false;
      if (!choose(wanted)) {
        about.textContent = 'There is no saved query named “' + wanted + '”.';
        return false;
      }
      return !queries.get(wanted).needs.length;
    }, (error) => {
      about.textContent = 'The saved queries could not be read: ' + messageOf(error);
      return false;
    }).then((runNow) => {
      if (runNow) run();
      else if (box.dataset.autoload === 'true') load().catch(() => {});
    });
  }

  if (typeof document === 'undefined') {
    // The worker: one engine, driven by the page's messages ({id, op, args}); answers {id, ok, result|error}.
    const engine = new Engine();
    self.addEventListener('message', async (event) => {
      const { id, op, args } = event.data;
      try {
        const result = op === 'open'
          ? await engine.open(args, (progress) => self.postMessage({ id, progress }))
          : engine.run(args.text);
        self.postMessage({ id, ok: true, result });
      } catch (error) {
        self.postMessage({ id, ok: false, error: messageOf(error) });
      }
    });
  } else {
    // Known only while the script first runs: the worker is started from the same file.
    const script = document.currentScript && document.currentScript.src;
    page(script);
  }
})();
