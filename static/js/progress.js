// Stage funnel of the progress page (Chart.js, vendored). Data comes from a json_script block.
(function () {
  var source = document.getElementById("funnel-data");
  var canvas = document.getElementById("funnel");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: data.title, data: data.values, backgroundColor: "#c62828" }] },
    options: {
      indexAxis: "y",
      animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();
