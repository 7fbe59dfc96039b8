// The view page's downloads: the same view as GraphML or GEXF (the server writes them) and
// the canvas as a PNG (drawn on white, as the page shows it).
(function () {
  "use strict";
  function withFormat(format) {
    var url = new URL(window.location.href);
    url.searchParams.set("format", format);
    return url.toString();
  }
  function png() {
    var canvas = document.querySelector("#mynetwork canvas");
    var out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    return out.toDataURL("image/png");
  }
  document.addEventListener("DOMContentLoaded", function () {
    ["graphml", "gexf"].forEach(function (format) {
      var link = document.getElementById("export-" + format);
      if (link) { link.href = withFormat(format); }
    });
    var image = document.getElementById("export-png");
    if (image) {
      image.addEventListener("click", function () { image.href = png(); });
    }
    var table = document.getElementById("export-table");
    if (table) {
      var url = new URL(window.location.href);
      var path = url.pathname.replace("/view/query/", "/table/query/");
      table.href = path.replace("/view/cypher", "/table/cypher") + url.search;
    }
  });
})();
