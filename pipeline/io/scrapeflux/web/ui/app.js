// scrapeflux UI: renders Targets, Service Discovery and Configuration from the JSON API.
(function () {
  'use strict';
  var PAGE_SIZE = 100;
  var content = document.getElementById('content');
  var errorBox = document.getElementById('error');

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'className') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) { if (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); } });
    return e;
  }

  function api(path) {
    return fetch(path, { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.text().then(function (body) {
        var json = null;
        try { json = JSON.parse(body); } catch (e) { /* not JSON, e.g. 503 text */ }
        if (!r.ok || !json || json.status !== 'success') {
          throw new Error((json && json.error) || (r.status + ' ' + body.trim()));
        }
        return json.data;
      });
    });
  }

  function showError(err) {
    errorBox.hidden = false;
    errorBox.textContent = 'Error loading data: ' + err.message;
    content.textContent = '';
  }

  function labelBadges(labels) {
    var td = el('td');
    Object.keys(labels).sort().forEach(function (k) {
      td.appendChild(el('span', { className: 'label', text: k + '="' + labels[k] + '"' }));
    });
    return td;
  }

  function labelText(labels) {
    return Object.keys(labels).map(function (k) { return k + '="' + labels[k] + '"'; }).join(' ');
  }

  function ago(iso) {
    if (!iso || iso.indexOf('0001-01-01') === 0) { return 'never'; }
    var s = (Date.now() - Date.parse(iso)) / 1000;
    if (s < 0) { s = 0; }
    if (s < 60) { return s.toFixed(1) + 's ago'; }
    if (s < 3600) { return Math.floor(s / 60) + 'm ' + Math.floor(s % 60) + 's ago'; }
    if (s < 172800) { return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm ago'; }
    return Math.floor(s / 86400) + 'd ago';
  }

  function duration(sec) {
    if (!sec) { return '0ms'; }
    return sec < 1 ? (sec * 1000).toFixed(1) + 'ms' : sec.toFixed(3) + 's';
  }

  // A collapsible pool with a paged table; rows are built only for the visible page.
  function poolSection(name, countsText, countsBad, items, header, renderRow, open) {
    var details = el('details', { className: 'pool', 'data-pool': name });
    details.open = open;
    var counts = el('span', { className: 'counts' + (countsBad ? ' bad' : ''), text: countsText });
    details.appendChild(el('summary', null, [name, counts]));
    var page = 0;
    var body = el('div');
    details.appendChild(body);
    function render() {
      body.textContent = '';
      if (items.length === 0) { body.appendChild(el('div', { className: 'empty', text: 'No matching targets.' })); return; }
      var pages = Math.ceil(items.length / PAGE_SIZE);
      if (page >= pages) { page = pages - 1; }
      var table = el('table', null, [header()]);
      var tbody = el('tbody');
      items.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).forEach(function (it) { tbody.appendChild(renderRow(it)); });
      table.appendChild(tbody);
      body.appendChild(table);
      if (pages > 1) {
        var prev = el('button', { type: 'button', text: '\u2039 Prev' });
        var next = el('button', { type: 'button', text: 'Next \u203a' });
        prev.disabled = page === 0;
        next.disabled = page === pages - 1;
        prev.onclick = function () { page--; render(); };
        next.onclick = function () { page++; render(); };
        body.appendChild(el('div', { className: 'pager' }, [prev,
          el('span', { text: 'Page ' + (page + 1) + ' of ' + pages + ' (' + items.length + ' targets)' }), next]));
      }
    }
    details.addEventListener('toggle', function () { if (details.open) { render(); } });
    if (open) { render(); }
    return details;
  }

  function toolbar(extra) {
    var search = el('input', { type: 'search', id: 'search', placeholder: 'Filter by endpoint or labels', 'aria-label': 'Search' });
    var expand = el('button', { type: 'button', id: 'expand-all', text: 'Expand all' });
    var collapse = el('button', { type: 'button', id: 'collapse-all', text: 'Collapse all' });
    var summary = el('span', { className: 'summary', id: 'summary' });
    var bar = el('div', { className: 'toolbar' }, [search].concat(extra).concat([expand, collapse, summary]));
    expand.onclick = function () { content.querySelectorAll('details.pool').forEach(function (d) { d.open = true; }); };
    collapse.onclick = function () { content.querySelectorAll('details.pool').forEach(function (d) { d.open = false; }); };
    return { bar: bar, search: search, summary: summary };
  }

  function targetsPage() {
    api('/api/v1/targets?state=active').then(function (data) {
      var byPool = {};
      data.activeTargets.forEach(function (t) { (byPool[t.scrapePool] = byPool[t.scrapePool] || []).push(t); });
      var pools = Object.keys(byPool).sort();
      var unhealthy = el('input', { type: 'checkbox', id: 'unhealthy-only' });
      var tb = toolbar([el('label', null, [unhealthy, ' Unhealthy only'])]);
      var list = el('div', { id: 'pools' });
      var openByDefault = data.activeTargets.length <= 1000;
      function header() {
        return el('thead', null, [el('tr', null, ['Endpoint', 'State', 'Labels', 'Last Scrape', 'Scrape Duration', 'Error']
          .map(function (h) { return el('th', { text: h }); }))]);
      }
      function row(t) {
        var tr = el('tr', { className: 'target-row', 'data-health': t.health });
        tr.appendChild(el('td', null, [el('a', { href: t.globalUrl, text: t.scrapeUrl })]));
        tr.appendChild(el('td', null, [el('span', { className: 'state-badge state-' + t.health, text: t.health.toUpperCase() })]));
        tr.appendChild(labelBadges(t.labels));
        tr.appendChild(el('td', { title: t.lastScrape, text: ago(t.lastScrape) }));
        tr.appendChild(el('td', { text: duration(t.lastScrapeDuration) }));
        tr.appendChild(el('td', { className: 'error', text: t.lastError }));
        return tr;
      }
      function render() {
        var q = tb.search.value.toLowerCase();
        var onlyBad = unhealthy.checked;
        list.textContent = '';
        var shown = 0;
        pools.forEach(function (p) {
          var all = byPool[p];
          var up = all.filter(function (t) { return t.health === 'up'; }).length;
          var items = all.filter(function (t) {
            if (onlyBad && t.health === 'up') { return false; }
            return !q || (t.scrapeUrl + ' ' + labelText(t.labels)).toLowerCase().indexOf(q) >= 0;
          });
          if (items.length === 0 && (onlyBad || q)) { return; }
          shown += items.length;
          list.appendChild(poolSection(p, '(' + up + '/' + all.length + ' up)', up < all.length, items, header, row, openByDefault || !!q || onlyBad));
        });
        if (list.childNodes.length === 0) { list.appendChild(el('div', { className: 'empty', text: onlyBad ? 'All targets are healthy.' : 'No targets.' })); }
        tb.summary.textContent = shown + ' of ' + data.activeTargets.length + ' targets in ' + pools.length + ' pools';
      }
      tb.search.addEventListener('input', render);
      unhealthy.addEventListener('change', render);
      content.textContent = '';
      content.appendChild(tb.bar);
      content.appendChild(list);
      render();
    }).catch(showError);
  }

  function serviceDiscoveryPage() {
    api('/api/v1/targets').then(function (data) {
      var byPool = {};
      function add(pool, entry) { (byPool[pool] = byPool[pool] || []).push(entry); }
      data.activeTargets.forEach(function (t) { add(t.scrapePool, { discovered: t.discoveredLabels, target: t.labels, dropped: false }); });
      data.droppedTargets.forEach(function (t) { add(t.scrapePool, { discovered: t.discoveredLabels, target: null, dropped: true }); });
      var counts = data.droppedTargetCounts || {};
      Object.keys(counts).forEach(function (p) { byPool[p] = byPool[p] || []; });
      var pools = Object.keys(byPool).sort();
      var show = el('select', { id: 'sd-show', 'aria-label': 'Show' }, [
        el('option', { value: 'all', text: 'All targets' }), el('option', { value: 'active', text: 'Active only' }),
        el('option', { value: 'dropped', text: 'Dropped only' })]);
      var tb = toolbar([show]);
      var list = el('div', { id: 'pools' });
      var total = data.activeTargets.length + data.droppedTargets.length;
      function header() {
        return el('thead', null, [el('tr', null, [el('th', { text: 'Discovered Labels' }), el('th', { text: 'Target Labels' })])]);
      }
      function row(e) {
        var tr = el('tr', { className: 'sd-row', 'data-state': e.dropped ? 'dropped' : 'active' });
        tr.appendChild(labelBadges(e.discovered));
        tr.appendChild(e.dropped ? el('td', null, [el('span', { className: 'state-badge state-dropped', text: 'DROPPED' })]) : labelBadges(e.target));
        return tr;
      }
      function render() {
        var q = tb.search.value.toLowerCase();
        var mode = show.value;
        list.textContent = '';
        pools.forEach(function (p) {
          var all = byPool[p];
          var active = all.filter(function (e) { return !e.dropped; }).length;
          var discovered = active + (counts[p] !== undefined ? counts[p] : all.length - active);
          var items = all.filter(function (e) {
            if ((mode === 'active' && e.dropped) || (mode === 'dropped' && !e.dropped)) { return false; }
            return !q || (labelText(e.discovered) + ' ' + (e.target ? labelText(e.target) : '')).toLowerCase().indexOf(q) >= 0;
          });
          if (items.length === 0 && (q || mode !== 'all')) { return; }
          list.appendChild(poolSection(p, '(' + active + ' / ' + discovered + ' active targets)', false, items, header, row, total <= 1000 || !!q || mode !== 'all'));
        });
        if (list.childNodes.length === 0) { list.appendChild(el('div', { className: 'empty', text: 'No targets.' })); }
        tb.summary.textContent = pools.length + ' pools';
      }
      tb.search.addEventListener('input', render);
      show.addEventListener('change', render);
      content.textContent = '';
      content.appendChild(tb.bar);
      content.appendChild(list);
      render();
    }).catch(showError);
  }

  function configPage() {
    api('/api/v1/status/config').then(function (data) {
      content.textContent = '';
      content.appendChild(el('pre', { className: 'yaml', id: 'config-yaml', text: data.yaml }));
    }).catch(showError);
  }

  var pages = { 'targets': targetsPage, 'service-discovery': serviceDiscoveryPage, 'config': configPage };
  (pages[document.body.getAttribute('data-page')] || function () {})();
}());
