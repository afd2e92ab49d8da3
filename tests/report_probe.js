// Injected by tests/report_browser.rs into a copy of the report: records errors while the page
// loads, then measures every chart and writes the findings into <pre id="probe"> for --dump-dom.
window.__errs = [];
window.addEventListener('error', function (e) {
  __errs.push('error: ' + (e.message || (e.target && (e.target.src || e.target.href)) || '?'));
}, true);
window.addEventListener('unhandledrejection', function (e) { __errs.push('rejection: ' + e.reason); });
console.error = function () { __errs.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); };
console.warn = function () { __errs.push('console.warn: ' + Array.prototype.join.call(arguments, ' ')); };
document.addEventListener('securitypolicyviolation', function (e) { __errs.push('blocked: ' + e.blockedURI); });
window.addEventListener('load', function () {
  var charts = [], over = [];
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var b = svg.getBoundingClientRect();
    charts.push({ id: svg.id, w: b.width, h: b.height, texts: svg.querySelectorAll('text').length });
    // Each label and legend entry within the width the layout measured for it.
    svg.querySelectorAll('text.label, text.legend').forEach(function (t) {
      var room = parseFloat(t.getAttribute('data-max-width'));
      var used = t.getComputedTextLength();
      if (used > room + 0.5) over.push(svg.id + ': "' + t.textContent + '" ' + used.toFixed(1) + ' > ' + room);
    });
    // Legend entries on one line do not overlap.
    var legend = Array.prototype.slice.call(svg.querySelectorAll('text.legend')).map(function (t) { return t.getBBox(); });
    for (var i = 1; i < legend.length; i++) {
      var a = legend[i - 1], c = legend[i];
      if (Math.abs(a.y - c.y) < 1 && a.x + a.width > c.x) over.push(svg.id + ': legend entries ' + (i - 1) + ' and ' + i + ' overlap');
    }
  });
  var out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({
    errs: __errs, charts: charts, over: over,
    resources: performance.getEntriesByType('resource').map(function (r) { return r.name; })
  });
  document.body.appendChild(out);
});
