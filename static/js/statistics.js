// Charts of the statistics page (Chart.js, vendored). Data comes from the "statistics-charts" json_script.
(function () {
  var source = document.getElementById("statistics-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var red = "#c62828", blue = "#1565c0";

  function bar(id, chart, color, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas || !chart) { return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ label: chart.title, data: chart.values, backgroundColor: color }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        plugins: { legend: { display: false } },
        scales: horizontal ? { x: { beginAtZero: true } } : { y: { beginAtZero: true } }
      }
    });
  }

  var pyramid = document.getElementById("chart-pyramid");
  if (pyramid && data.pyramid) {
    new Chart(pyramid, {
      type: "bar",
      data: {
        labels: data.pyramid.labels,
        datasets: [
          { label: data.pyramid.women_label, data: data.pyramid.women, backgroundColor: red },
          { label: data.pyramid.men_label, data: data.pyramid.men, backgroundColor: blue }
        ]
      },
      options: {
        indexAxis: "y",
        animation: false,
        scales: {
          x: { stacked: true, ticks: { callback: function (v) { return Math.abs(v); } } },
          y: { stacked: true, reverse: true }
        },
        plugins: {
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + Math.abs(c.raw); } } }
        }
      }
    });
  }
  bar("chart-education", data.education, blue, false);
  bar("chart-women", data.women, red, true);
  bar("chart-first-round", data.first_round, blue, true);
})();
