// The seller's metrics page: each metric's category percentile as a bar chart (Apache ECharts,
// vendored), from the figures the page carries in data-chart. A file, not an inline script: the
// pages' Content Security Policy runs scripts from this origin only.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("metric-chart");
  if (!window.echarts || !el) return;
  const data = JSON.parse(el.dataset.chart);
  const chart = echarts.init(el);
  chart.setOption({
    title: { text: data.title, textStyle: { fontSize: 13 } },
    grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "value", min: 0, max: 100 },
    yAxis: { type: "category", data: data.labels, inverse: true },
    series: [{ type: "bar", data: data.percentiles.map(v => ({ value: v, itemStyle: { color: v !== null && v >= data.flag ? "#d93025" : "#ff5000" } })),
               markLine: { symbol: "none", data: [{ xAxis: data.flag }], lineStyle: { color: "#d93025", type: "dashed" } } }],
  });
  window.addEventListener("resize", () => chart.resize());
});
