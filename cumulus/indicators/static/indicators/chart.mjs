// Render each indicator chart from its Vega-Lite spec, passed in a json_script element.
// vega, vega-lite and vega-embed are served from node_modules as static files (no CDN).
for (const holder of document.querySelectorAll("[data-chart-spec]")) {
  const spec = JSON.parse(document.getElementById(holder.dataset.chartSpec).textContent);
  window.vegaEmbed(holder, spec, { actions: false, renderer: "svg", defaultStyle: false }).catch(() => {
    holder.textContent = "The chart could not be drawn; the table below has the same figures.";
  });
}
