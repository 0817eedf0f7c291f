// Starts Swagger UI (the UMD globals of swagger-ui-dist) over the documents listed in #ui's data-urls.
const ui = document.getElementById("ui");
window.SwaggerUIBundle({
  dom_id: "#ui",
  urls: JSON.parse(ui.dataset.urls),
  presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
  persistAuthorization: false,
  validatorUrl: null,
});
