// Draw every plotly figure on the page: an element with data-plotly-figure="ID" gets the
// figure from the JSON in <script type="application/json" id="ID"> (no inline scripts: CSP).
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-plotly-figure]").forEach(function (el) {
      var source = document.getElementById(el.dataset.plotlyFigure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(el, figure.data, figure.layout || {}, {
        displaylogo: false, displayModeBar: false, responsive: true, locale: document.documentElement.lang || "nb"
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
