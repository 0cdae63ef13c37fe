// The report page's interactive six-factor profile: plotly.js (served by the app) draws the
// figure the server put in the JSON data block; the table below it holds the same numbers.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var data = document.getElementById("profile-chart-data");
  var target = document.getElementById("profile-chart");
  if (!data || !target || !window.Plotly) {
    return;
  }
  var figure = JSON.parse(data.textContent);
  // No tool bar: the drawing is hidden from assistive technology (the table says the same),
  // so nothing in it may take the keyboard's focus.
  window.Plotly.newPlot(target, figure.data, figure.layout, {
    responsive: true,
    displaylogo: false,
    displayModeBar: false,
  });
});
