// The browser script of the HTML report, as text to inline: it reads the page's embedded data
// (html-report-data.ts views) and draws every chart with chart.js (inlined beside it). Plain
// JavaScript for any browser of the last years; no network, no animation (the charts are drawn
// at once, for print and screenshots), and redrawn to the paper's width before printing.
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
  var CLASS_COLOURS = { ok: '#2ca02c', client: '#ff7f0e', server: '#d62728', none: '#7f7f7f' };
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var charts = [];
  var multi = data.runs.length > 1;
  function name(run, what) { return multi ? run.label + ': ' + what : what; }
  function colour(k) { return COLOURS[k % COLOURS.length]; }
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    config.options = config.options || {};
    config.options.plugins = config.options.plugins || {};
    charts.push(new Chart(canvas, config));
  }
  function ninesLabel(v) {
    if (v === 0) return '0%';
    return String(Number((100 * (1 - Math.pow(10, -v))).toFixed(v + 1))) + '%';
  }
  function lineSet(label, points, k, extra) {
    var set = { label: label, data: points, borderColor: colour(k), backgroundColor: colour(k), pointRadius: 0, borderWidth: 2, spanGaps: false };
    for (var key in extra || {}) set[key] = extra[key];
    return set;
  }
  function tidy(v) { return String(Number(Number(v).toPrecision(3))); }
  function logTicks(v) {
    var lead = Number(v) / Math.pow(10, Math.floor(Math.log10(Number(v)) + 1e-9));
    return [1, 2, 5].some(function (d) { return Math.abs(lead - d) < 1e-6; }) ? tidy(v) : '';
  }
  function linear(title, extra) {
    var axis = { type: 'linear', title: { display: true, text: title } };
    for (var key in extra || {}) axis[key] = extra[key];
    return axis;
  }

  if (data.kind === 'bench') {
    draw('chart-curve', {
      type: 'line',
      data: { datasets: data.runs.map(function (run, k) {
        return lineSet(name(run, 'latency of 2xx'), run.curve, k, { stepped: 'after' });
      }) },
      options: { parsing: false, scales: {
        x: linear('percentile', { min: 0, ticks: { stepSize: 1, callback: function (v) { return ninesLabel(Number(v)); } } }),
        y: linear('latency (ms)', { min: 0 })
      } }
    });
    var rateSets = [];
    var latencySets = [];
    data.runs.forEach(function (run, k) {
      function series(field) { return run.timeline.map(function (s) { return { x: s.t, y: s[field] }; }); }
      rateSets.push(lineSet(name(run, '2xx per second'), series('ok'), multi ? k : 2));
      if (!multi) rateSets.push(lineSet('failed per second', series('failed'), 1));
      latencySets.push(lineSet(name(run, 'p50'), series('p50'), multi ? k : 0, { borderDash: [] }));
      latencySets.push(lineSet(name(run, 'p99'), series('p99'), multi ? k : 1, { borderDash: multi ? [6, 4] : [] }));
    });
    draw('chart-throughput', { type: 'line', data: { datasets: rateSets }, options: { parsing: false, scales: {
      x: linear('seconds since start', { min: 0 }), y: linear('per second', { beginAtZero: true }) } } });
    draw('chart-latency-time', { type: 'line', data: { datasets: latencySets }, options: { parsing: false, scales: {
      x: linear('seconds since start', { min: 0 }), y: linear('latency (ms)', { beginAtZero: true }) } } });
    if (!multi) {
      var run0 = data.runs[0];
      var top = run0.replicas.slice(0, COLOURS.length).map(function (r) { return r.name; });
      draw('chart-replicas-time', { type: 'line', data: { datasets: top.map(function (replica, k) {
        return lineSet(replica, run0.timeline.map(function (s) { return { x: s.t, y: s.servedBy[replica] || 0 }; }), k);
      }) }, options: { parsing: false, scales: {
        x: linear('seconds since start', { min: 0 }), y: linear('responses per second', { beginAtZero: true }) } } });
    }
    var replicaNames = [];
    var outcomeNames = [];
    data.runs.forEach(function (run) {
      run.replicas.forEach(function (r) { if (replicaNames.indexOf(r.name) < 0) replicaNames.push(r.name); });
      run.outcomes.forEach(function (o) { if (outcomeNames.indexOf(o.name) < 0) outcomeNames.push(o.name); });
    });
    draw('chart-replicas', { type: 'bar', data: { labels: replicaNames, datasets: data.runs.map(function (run, k) {
      var counts = {};
      run.replicas.forEach(function (r) { counts[r.name] = r.count; });
      return { label: name(run, 'responses'), data: replicaNames.map(function (n) { return counts[n] || 0; }), backgroundColor: colour(k) };
    }) }, options: { plugins: { legend: { display: multi } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'responses' } } } } });
    var anyFailure = data.runs.some(function (run) { return run.outcomes.some(function (o) { return o.class !== 'ok'; }); });
    draw('chart-outcomes', { type: 'bar', data: { labels: outcomeNames, datasets: data.runs.map(function (run, k) {
      var byName = {};
      run.outcomes.forEach(function (o) { byName[o.name] = o; });
      return {
        label: name(run, 'requests'),
        data: outcomeNames.map(function (n) { return byName[n] ? byName[n].count : 0; }),
        backgroundColor: multi ? colour(k) : outcomeNames.map(function (n) { return CLASS_COLOURS[byName[n].class]; })
      };
    }) }, options: { plugins: { legend: { display: multi } }, scales: { y: anyFailure
      ? { type: 'logarithmic', min: 0.5, title: { display: true, text: 'requests (log scale)' } }
      : { beginAtZero: true, title: { display: true, text: 'requests' } } } } });
  } else {
    var latency = [];
    var achieved = [];
    var top = 1;
    var bottom = Infinity;
    var maxRate = 1;
    data.runs.forEach(function (run) {
      run.steps.forEach(function (s) {
        top = Math.max(top, s.p999);
        if (s.p50 > 0) bottom = Math.min(bottom, s.p50);
        maxRate = Math.max(maxRate, s.offered, s.achieved);
      });
    });
    data.runs[0].objectives.forEach(function (o) { top = Math.max(top, o.ms); });
    bottom = bottom === Infinity ? 0.1 : Math.pow(10, Math.floor(Math.log10(bottom)));
    top = top * 1.5;
    var rateTop = maxRate * 1.1;
    data.runs.forEach(function (run, k) {
      var sorted = run.steps.slice().sort(function (a, b) { return a.offered - b.offered; });
      var percentiles = multi ? [['p99', 'p99']] : [['p50', 'p50'], ['p90', 'p90'], ['p99', 'p99'], ['p999', 'p99.9']];
      percentiles.forEach(function (p, j) {
        latency.push(lineSet(name(run, p[1]), sorted.map(function (s) { return { x: s.offered, y: Math.max(s[p[0]], bottom) }; }), multi ? k : j, { pointRadius: 3 }));
      });
      achieved.push(lineSet(name(run, 'achieved 2xx/s'), sorted.map(function (s) { return { x: s.offered, y: s.achieved }; }), multi ? k : 0, {
        pointRadius: 4, pointBackgroundColor: sorted.map(function (s) { return s.pass ? '#2ca02c' : '#d62728'; })
      }));
      if (run.sustainedRate !== null) {
        var knee = { borderDash: [4, 4], borderWidth: 1.5, pointRadius: 0 };
        latency.push(lineSet(name(run, 'answer ' + run.sustainedRate + ' req/s'), [{ x: run.sustainedRate, y: bottom }, { x: run.sustainedRate, y: top }], multi ? k : 4, knee));
        achieved.push(lineSet(name(run, 'answer ' + run.sustainedRate + ' req/s'), [{ x: run.sustainedRate, y: 0 }, { x: run.sustainedRate, y: rateTop }], multi ? k : 4, knee));
      }
    });
    data.runs[0].objectives.forEach(function (o, j) {
      latency.push(lineSet('objective ' + o.percentile + ' ' + o.ms + ' ms', [{ x: 0, y: o.ms }, { x: rateTop, y: o.ms }], 5 + j, { borderDash: [8, 4], borderWidth: 1 }));
    });
    achieved.push(lineSet('achieved = offered', [{ x: 0, y: 0 }, { x: rateTop, y: rateTop }], 5, { borderDash: [2, 3], borderWidth: 1 }));
    var rateAxis = linear('offered rate (req/s)', { min: 0, max: rateTop, ticks: { callback: tidy } });
    draw('chart-capacity-latency', { type: 'line', data: { datasets: latency }, options: { parsing: false, scales: {
      x: rateAxis,
      y: { type: 'logarithmic', min: bottom, max: top, ticks: { callback: logTicks }, title: { display: true, text: 'latency of 2xx from due time (ms, log)' } } } } });
    draw('chart-capacity-achieved', { type: 'line', data: { datasets: achieved }, options: { parsing: false, scales: {
      x: rateAxis, y: linear('achieved 2xx/s', { min: 0, max: rateTop, ticks: { callback: tidy } }) } } });
  }
  document.documentElement.dataset.chartsDrawn = String(charts.length);
  window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener('afterprint', function () { charts.forEach(function (c) { c.resize(); }); });
})();
`;
