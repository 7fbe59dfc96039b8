// Starts Swagger UI on the app's OpenAPI document, from the app's own copy of its files.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("swagger-ui");
    window.ui = SwaggerUIBundle({
      url: root.getAttribute("data-openapi"),
      dom_id: "#swagger-ui",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
      layout: "BaseLayout",
      deepLinking: true,
      showExtensions: true,
      showCommonExtensions: true,
      onComplete: function () { window.mkgDocsReady = true; }
    });
  });
})();
