// The timeline page: items of the timeline view (mineralkg.views.timeline_model) on a time
// axis drawn in SVG, on lanes per kind or per actor; a click shows the item's sources and
// evidence in the side panel. Loaded from a file (no inline script), so a strict
// Content-Security-Policy (script-src 'self') allows it.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("timeline-data").textContent);
  var CONF = JSON.parse(document.getElementById("timeline-conf").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var DAY = 86400000, AXIS = 26, ROW = 22, PAD = 10, LABEL_CHARS = 46, CHAR_PX = 6.4;
  var byId = {}, undatedById = {}, kindColor = {};
  DATA.items.forEach(function (it) { byId[it.id] = it; });
  DATA.undated.forEach(function (it) { undatedById[it.id] = it; });
  DATA.lanes.kind.forEach(function (l) { kindColor[l.id] = l.color; });
  var lanesBy = DATA.lanes_by;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function day(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / DAY; }
  function short(text) { return text.length > LABEL_CHARS ? text.slice(0, LABEL_CHARS - 1) + "\u2026" : text; }

  // the axis: the range asked for, or the items' own span, padded to whole months
  function domain() {
    var lo = DATA.range.start, hi = DATA.range.end;
    if (!lo || !hi) return null;
    var a = new Date(day(lo) * DAY), b = new Date(day(hi) * DAY);
    return [Date.UTC(a.getUTCFullYear(), a.getUTCMonth() - 1, 1) / DAY,
            Date.UTC(b.getUTCFullYear(), b.getUTCMonth() + 2, 1) / DAY];
  }

  function laneItems(lanes) {
    var out = {};
    lanes.forEach(function (l) { out[l.id] = []; });
    DATA.items.forEach(function (it) {
      var keys = lanesBy === "kind" ? [it.kind_lane] : it.actor_lanes;
      keys.forEach(function (k) { if (out[k]) out[k].push(it); });
    });
    return out;
  }

  function pack(items, x) {
    // greedy rows: an item and its label never overlap another on the same lane
    var ends = [];
    return items.map(function (it) {
      var x0 = x(day(it.start)), x1 = Math.max(x0 + 8, x(day(it.end) + 1));
      var right = x1 + 6 + short(it.label).length * CHAR_PX;
      var row = 0;
      while (row < ends.length && ends[row] > x0 - 4) row++;
      ends[row] = right;
      return {item: it, x0: x0, x1: x1, row: row, right: right};
    });
  }

  function ticks(lo, hi, x) {
    var out = [], perMonth = x(lo + 30.4) - x(lo);
    var d = new Date(lo * DAY);
    if (d.getUTCMonth() !== 0) out.push({t: lo, label: String(d.getUTCFullYear()), major: false});
    for (var y = d.getUTCFullYear(), m = d.getUTCMonth(); ; m++) {
      if (m > 11) { m = 0; y++; }
      var t = Date.UTC(y, m, 1) / DAY;
      if (t > hi) break;
      if (t < lo || (t === lo && out.length)) continue;
      if (m === 0) out.push({t: t, label: String(y), major: true});
      else if (perMonth > 26) out.push({t: t, label: perMonth > 40 ? "JFMAMJJASOND".charAt(m) : "", major: false});
    }
    return out;
  }

  var chart = document.getElementById("chart"), labels = document.getElementById("lane-labels");
  var opened = false;
  function draw() {
    while (chart.firstChild) chart.removeChild(chart.firstChild);
    while (labels.firstChild) labels.removeChild(labels.firstChild);
    var dom = domain();
    if (!dom) { chart.appendChild(el("p", {"class": "muted empty"}, ["No dated item in this range."])); return; }
    var years = (dom[1] - dom[0]) / 365.25;
    var span = Math.max(chart.clientWidth - 2, Math.round(years * 300)), width = span;
    var x = function (t) { return PAD + (t - dom[0]) / (dom[1] - dom[0]) * (span - 2 * PAD); };
    var lanes = DATA.lanes[lanesBy], per = laneItems(lanes), top = 0, layout = [];
    lanes.forEach(function (lane) {
      var placed = pack(per[lane.id], x);
      var rows = placed.reduce(function (m, p) { return Math.max(m, p.row + 1); }, 1);
      layout.push({lane: lane, placed: placed, y: top, h: rows * ROW + 12});
      top += rows * ROW + 12;
    });
    // the labels of the latest items run past the axis' end: the drawing makes room for them
    layout.forEach(function (L) {
      L.placed.forEach(function (p) { width = Math.max(width, Math.ceil(p.right) + PAD); });
    });
    // the axis stays in view (sticky) while the lanes scroll under it
    var axis = svg("svg", {width: width, height: AXIS, id: "timeline-axis"});
    var s = svg("svg", {width: width, height: top + 4, id: "timeline-svg"});
    layout.forEach(function (L, i) {
      s.appendChild(svg("rect", {x: 0, y: L.y, width: width, height: L.h, "class": i % 2 ? "lane odd" : "lane"}));
    });
    ticks(dom[0], dom[1], x).forEach(function (t) {
      s.appendChild(svg("line", {x1: x(t.t), x2: x(t.t), y1: 0, y2: top, "class": t.major ? "grid major" : "grid"}));
      axis.appendChild(svg("line", {x1: x(t.t), x2: x(t.t), y1: t.major ? 4 : 18, y2: AXIS, "class": t.major ? "grid major" : "grid"}));
      if (t.label) {
        var text = svg("text", {x: x(t.t) + 3, y: 16, "class": t.major ? "tick major" : "tick"});
        text.textContent = t.label; axis.appendChild(text);
      }
    });
    layout.forEach(function (L) {
      labels.appendChild(el("div", {"class": "lane-label", style: "top:" + (L.y + AXIS) + "px;height:" + L.h + "px",
        title: L.lane.label + " (" + L.lane.count + ")"}, [L.lane.label, el("span", {"class": "count"}, [String(L.lane.count)])]));
      L.placed.forEach(function (p) { s.appendChild(itemShape(p, L)); });
    });
    chart.appendChild(axis);
    chart.appendChild(s);
    labels.style.height = (top + AXIS + 4) + "px";
    if (!opened) {  // open on the latest items: an axis wider than the window starts at its end
      opened = true;
      var scroller = document.getElementById("timeline");
      scroller.scrollLeft = scroller.scrollWidth;
    }
  }

  function itemShape(p, L) {
    var it = p.item, color = kindColor[it.kind_lane] || "#7b8794";
    var cy = L.y + 6 + p.row * ROW + ROW / 2;
    var g = svg("g", {"class": "item" + (it.status ? " step" : "") + (selected === it.id ? " selected" : ""),
      "data-id": it.id, "data-lane": L.lane.id, tabindex: "0"});
    var title = svg("title"); title.textContent = it.label + " \u00b7 " + it.date;
    g.appendChild(title);
    if (it.precision === "day") {
      g.appendChild(it.status
        ? svg("polygon", {points: [p.x0, cy - 6, p.x0 + 6, cy, p.x0, cy + 6, p.x0 - 6, cy].join(","), fill: color})
        : svg("circle", {cx: p.x0, cy: cy, r: 5, fill: color}));
    } else {
      g.appendChild(svg("rect", {x: p.x0, y: cy - 5, width: Math.max(4, p.x1 - p.x0), height: 10, rx: 2,
        fill: color, "fill-opacity": it.status ? 0.35 : 0.55, stroke: color}));
    }
    var text = svg("text", {x: Math.max(p.x1, p.x0 + 6) + 4, y: cy + 4, "class": "item-label"});
    text.textContent = short(it.label);
    g.appendChild(text);
    g.addEventListener("click", function () { showItem(it.id); });
    g.addEventListener("keydown", function (e) { if (e.key === "Enter") showItem(it.id); });
    return g;
  }

  // the side panel, as in the graph views
  var body = document.getElementById("panel-body"), selected = null;
  function clear() { while (body.firstChild) body.removeChild(body.firstChild); return body; }
  function section(title, cls, child) {
    body.appendChild(el("h3", {}, [title]));
    if (cls) child.setAttribute("class", cls);
    body.appendChild(child);
  }
  function pairs(list) {
    var dl = el("dl");
    list.forEach(function (kv) {
      if (kv[1] === null || kv[1] === undefined || kv[1] === "") return;
      dl.appendChild(el("dt", {}, [kv[0]])); dl.appendChild(el("dd", {}, [String(kv[1])]));
    });
    return dl;
  }
  function link(text, href) {
    return /^https?:\/\//.test(href || "") ? el("a", {href: href, rel: "noopener noreferrer"}, [text]) : el("span", {}, [text]);
  }
  function evidenceAndSources(item) {
    var ids = (item.sources || []).slice();
    (item.evidence || []).forEach(function (ev) { if (ev.source && ids.indexOf(ev.source) < 0) ids.push(ev.source); });
    if (ids.length) {
      var ul = el("ul");
      ids.forEach(function (id) {
        var s = DATA.sources[id] || {id: id};
        var meta = [s.publisher, s.publishedOn, id].filter(Boolean).join(" \u00b7 ");
        ul.appendChild(el("li", {"data-source": id}, [
          s.url ? link(s.name || s.title || id, s.url) : (s.name || s.title || id),
          el("div", {"class": "meta"}, [meta])]));
      });
      section("Sources (" + ids.length + ")", "sources", ul);
    }
    var quoted = (item.evidence || []).filter(function (ev) { return ev.quote || ev.note; });
    if (!quoted.length) quoted = (item.quotes || []).map(function (q) { return {quote: q}; });
    if (quoted.length) {
      var box = el("div");
      quoted.forEach(function (ev) {
        var cite = [ev.attributedTo ? "attributed to " + ev.attributedTo : null,
                    ev.source ? "source: " + ev.source : null, ev.note || null];
        box.appendChild(el("blockquote", {"data-source": ev.source || ""}, [
          ev.quote ? "\u201c" + ev.quote + "\u201d" : "",
          el("span", {"class": "cite"}, [cite.filter(Boolean).join(" \u00b7 ")])]));
      });
      section("Evidence (" + quoted.length + ")", "quotes", box);
    }
  }
  function actions(ids) {
    if (CONF.offline) return;
    var box = el("div", {"class": "actions"});
    ids.forEach(function (id) {
      box.appendChild(el("a", {href: CONF.base + "/view/timeline?entity=" + encodeURIComponent(id)}, ["Timeline of " + id]));
      box.appendChild(el("a", {href: CONF.base + "/view/entity/" + encodeURIComponent(id)}, ["ego network"]));
    });
    body.appendChild(box);
  }
  function mark(id) {
    selected = id;
    document.querySelectorAll("g.item").forEach(function (g) {
      g.classList.toggle("selected", g.getAttribute("data-id") === id);
    });
  }
  function showItem(id) {
    var it = byId[id];
    if (!it) return;
    mark(id); clear();
    body.setAttribute("data-showing", "item:" + id);
    body.appendChild(el("div", {"class": "kind"}, [it.relation ? "relationship \u00b7 " + it.relation : it["class"] + (it["class"] === it.group ? "" : " \u00b7 " + it.group)]));
    body.appendChild(el("h2", {}, [it.label]));
    if (it.status) body.appendChild(el("span", {"class": "badge status"}, [it.status]));
    section("Date", "dates", pairs([["date", it.date], ["precision", it.precision], ["first day", it.start],
      ["last day", it.end], ["what", it.what], ["subject", it.name], ["object", it.object_name]]));
    actions([it.subject].concat(it.object ? [it.object] : []));
    evidenceAndSources(it);
  }
  function showUndated(id) {
    var it = undatedById[id];
    if (!it) return;
    mark(null); clear();
    body.setAttribute("data-showing", "undated:" + id);
    body.appendChild(el("div", {"class": "kind"}, [it["class"] + " \u00b7 no date of what happened"]));
    body.appendChild(el("h2", {}, [it.name]));
    actions([it.id]);
    evidenceAndSources(it);
  }
  function showOverview() {
    mark(null); clear();
    body.setAttribute("data-showing", "");
    body.appendChild(el("h2", {}, [DATA.title]));
    body.appendChild(el("p", {"class": "muted"}, [DATA.counts.items + " dated items, " + DATA.counts.undated + " undated."]));
    if (DATA.message) body.appendChild(el("p", {}, [DATA.message]));
    body.appendChild(el("p", {}, ["A dot is a day, a bar the month or year a source gives; a diamond or a pale bar a status change. Click an item for its sources and evidence quotes."]));
  }

  var undatedList = document.getElementById("undated-list");
  DATA.undated.forEach(function (it) {
    var a = el("a", {href: "#", "data-id": it.id}, [it.name]);
    a.addEventListener("click", function (e) { e.preventDefault(); showUndated(it.id); });
    undatedList.appendChild(el("li", {}, [a, el("span", {"class": "muted"}, [" " + it["class"]])]));
  });
  document.getElementById("undated-count").textContent = String(DATA.undated.length);

  function setLanes(by) {
    lanesBy = by;
    document.querySelectorAll("button[data-lanes]").forEach(function (b) {
      b.classList.toggle("on", b.getAttribute("data-lanes") === by);
    });
    draw();
  }
  document.querySelectorAll("button[data-lanes]").forEach(function (b) {
    b.addEventListener("click", function () { setLanes(b.getAttribute("data-lanes")); });
  });
  setLanes(lanesBy);
  showOverview();
  var resizing = null;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(draw, 150); });
  window.mkgTimeline = {data: DATA, showItem: showItem, showUndated: showUndated, setLanes: setLanes};
  window.mkgReady = true;
  document.body.setAttribute("data-ready", "true");
})();
