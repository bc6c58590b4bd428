/* Full-text search of the site, in the browser: MiniSearch over the documents the build wrote.
 *
 * The documents come from search/index.json; browsers refuse to fetch local files, so a site opened from
 * disk loads the same documents from search/index.js instead. Every piece of text reaches the page as a
 * text node (textContent, append of strings), never as HTML: titles and abstracts are data from elsewhere.
 */
(function () {
  'use strict';

  var LIMIT = 100;
  // MiniSearch's own tokenizer splits on these; matching the same tokens lets results mark what matched.
  var TOKEN = /[^\n\r\p{Z}\p{P}]+/gu;
  var KIND_BOOST = { article: 1.5, claim: 1.2 };
  var SNIPPET_BEFORE = 80;
  var SNIPPET_LENGTH = 240;
  // Where a match is shown from when it is not in the title, and what the snippet is called then.
  // Authors, year and journal are on the byline already.
  var SNIPPET_FIELDS = [['text', ''], ['labels', 'Also called: '], ['keywords', 'Keywords: ']];

  var box = document.getElementById('search');
  if (!box) return;
  var statusLine = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var form = box.querySelector('form');
  var input = document.getElementById('search-page-q');
  var siteRoot = box.getAttribute('data-root') || '';

  function say(text) {
    statusLine.textContent = text;
  }

  function fold(term) {
    // "Müller" and "Muller", "miR" and "MIR" are the same word to a reader.
    return term.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error('cannot load ' + src)); };
      document.head.appendChild(script);
    });
  }

  function loadIndex() {
    var url = box.getAttribute('data-index');
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
      return response.json();
    }).catch(function (error) {
      // Opened from disk (file:), or a server that does not serve .json: the script form of the same data.
      return loadScript(box.getAttribute('data-index-script')).then(function () {
        if (!window.exokgSearchIndex) throw error;
        return window.exokgSearchIndex;
      });
    });
  }

  function makeIndex(documents) {
    var index = new MiniSearch({
      fields: ['title', 'text', 'labels', 'authors', 'keywords', 'journal', 'year'],
      processTerm: function (term) { return fold(term); },
      searchOptions: {
        boost: { title: 3, labels: 1.5, authors: 1.5, keywords: 1.5 },
        // The articles are what the site is about; the rest is read from them.
        boostDocument: function (id) { return KIND_BOOST[documents[id].kind] || 1; },
        // The last word may be unfinished while typing; long words forgive a typo.
        prefix: function (term, i, terms) { return i === terms.length - 1; },
        fuzzy: function (term) { return term.length > 5 ? 0.2 : false; }
      }
    });
    // In chunks, so that a large site's index does not freeze the page while it is built.
    return index.addAllAsync(documents.map(function (doc, id) { return Object.assign({ id: id }, doc); }),
      { chunkSize: 2000 }).then(function () { return index; });
  }

  function marked(parent, text, terms) {
    var at = 0;
    for (var match of text.matchAll(TOKEN)) {
      if (!terms.has(fold(match[0]))) continue;
      parent.append(text.slice(at, match.index), element('mark', null, match[0]));
      at = match.index + match[0].length;
    }
    parent.append(text.slice(at));
  }

  function snippet(doc, result, terms) {
    var fields = new Set();
    Object.keys(result.match).forEach(function (term) {
      result.match[term].forEach(function (f) { fields.add(f); });
    });
    var chosen = SNIPPET_FIELDS.find(function (f) { return fields.has(f[0]) && doc[f[0]]; }) ||
      (doc.text ? SNIPPET_FIELDS[0] : null);
    if (!chosen) return null;
    var text = doc[chosen[0]];
    var first = 0;
    for (var match of text.matchAll(TOKEN)) {
      if (terms.has(fold(match[0]))) { first = match.index; break; }
    }
    var from = Math.max(0, first - SNIPPET_BEFORE);
    if (from > 0) from = Math.min(first, text.indexOf(' ', from) + 1 || first);
    var to = Math.min(text.length, from + SNIPPET_LENGTH);
    if (to < text.length) to = text.lastIndexOf(' ', to) > first ? text.lastIndexOf(' ', to) : to;
    var p = element('p', 'snippet', chosen[1]);
    marked(p, (from > 0 ? '…' : '') + text.slice(from, to) + (to < text.length ? '…' : ''), terms);
    return p;
  }

  function byline(doc, terms) {
    var parts = [];
    if (doc.authors) {
      var names = doc.authors.split('; ');
      parts.push(names.slice(0, 3).join(', ') + (names.length > 3 ? ' et al.' : ''));
    }
    if (doc.year) parts.push(doc.year);
    if (doc.journal) parts.push(doc.journal);
    if (!parts.length) return null;
    var p = element('p', 'byline');
    marked(p, parts.join(' · '), terms);
    return p;
  }

  function item(doc, result, kinds) {
    var terms = new Set(result.terms);
    var li = element('li', 'result result-' + doc.kind);
    li.append(element('span', 'kind', kinds[doc.kind] || doc.kind));
    var title = element('p', 'result-title');
    var link = element('a');
    // Pages are site paths; anything with a scheme (javascript:, data:) is not one of them.
    link.href = /^[a-z][a-z0-9+.-]*:/i.test(doc.url) ? '#' : siteRoot + doc.url;
    marked(link, doc.title || doc.url, terms);
    title.append(link);
    li.append(title);
    [byline(doc, terms), snippet(doc, result, terms)].forEach(function (node) { if (node) li.append(node); });
    return li;
  }

  function show(index, data, query) {
    list.replaceChildren();
    var q = query.trim();
    if (!q) {
      say(data.documents.length + ' pages can be searched: articles, the works they cite, claims and concepts.');
      return;
    }
    var results = index.search(q, { combineWith: 'AND' });
    var some = false;
    if (!results.length) {
      results = index.search(q, { combineWith: 'OR' });
      some = results.length > 0;
    }
    if (!results.length) {
      say('No results for “' + q + '”.');
      return;
    }
    say(results.length + (results.length === 1 ? ' result' : ' results') + ' for “' + q + '”' +
      (some ? ' (no page has every word; these have some of them)' : '') +
      (results.length > LIMIT ? ', the first ' + LIMIT + ' shown' : '') + '.');
    results.slice(0, LIMIT).forEach(function (result) {
      list.append(item(data.documents[result.id], result, data.kinds || {}));
    });
  }

  function queryOf(location) {
    return new URLSearchParams(location.search).get('q') || '';
  }

  if (typeof MiniSearch === 'undefined') {
    say('The search library did not load, so the site cannot be searched here.');
    box.setAttribute('data-state', 'error');
    return;
  }
  input.value = queryOf(window.location);
  var data;
  loadIndex().then(function (loaded) {
    data = loaded;
    performance.mark('exokg-search-index-start');
    return makeIndex(data.documents);
  }).then(function (index) {
    performance.measure('exokg-search-index', 'exokg-search-index-start');
    function run(query, how) {
      show(index, data, query);
      var url = new URL(window.location.href);
      if (query.trim()) url.searchParams.set('q', query.trim()); else url.searchParams.delete('q');
      if (how && url.href !== window.location.href) history[how](null, '', url.href);
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      run(input.value, 'pushState');
    });
    input.addEventListener('input', function () { run(input.value, 'replaceState'); });
    window.addEventListener('popstate', function () {
      input.value = queryOf(window.location);
      show(index, data, input.value);
    });
    show(index, data, input.value);
    box.setAttribute('data-state', 'ready');
  }).catch(function (error) {
    say('The search index could not be loaded: ' + error.message);
    box.setAttribute('data-state', 'error');
  });
})();
