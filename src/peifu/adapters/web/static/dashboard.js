// Platform dashboard: Apache ECharts charts from the JSON embedded in the page (the tables beside
// them carry the same numbers). No network access: echarts is the vendored file.
(function () {
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    const node = document.getElementById("dashboard-data");
    if (!node || !window.echarts) return;
    const payload = JSON.parse(node.textContent);
    const data = payload.data, w = payload.words;
    const brand = "#ff5000", blue = "#1a73e8", red = "#d93025", green = "#188038";
    const charts = [];
    const pct = (v) => (v === null || v === undefined ? null : Math.round(v * 10000) / 100);
    const hrs = (v) => (v === null || v === undefined ? null : Math.round(v / 36) / 100);
    const yuan = (f) => Math.round(f) / 100;
    function draw(id, option, empty) {
      const el = document.getElementById(id);
      if (!el) return;
      if (empty) { el.hidden = true; return; }  // the table beside it says there is nothing
      const chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(Object.assign({ aria: { enabled: true }, animation: false, grid: { left: 48, right: 48, top: 40, bottom: 40, containLabel: true }, tooltip: { trigger: "axis" } }, option));
      charts.push(chart);
    }
    const days = data.daily.map((d) => d.day.slice(5));
    draw("chart-rates", {
      legend: { top: 0 },
      xAxis: { type: "category", data: days },
      yAxis: [{ type: "value", name: "%", axisLabel: { formatter: "{value}%" } }, { type: "value", name: w.paid_orders, minInterval: 1 }],
      series: [
        { name: w.paid_orders, type: "bar", yAxisIndex: 1, data: data.daily.map((d) => d.paid_orders), itemStyle: { color: "#d7dde5" } },
        { name: w.refund_rate, type: "line", connectNulls: true, data: data.daily.map((d) => pct(d.refund_rate)), itemStyle: { color: brand } },
        { name: w.dispute_rate, type: "line", connectNulls: true, data: data.daily.map((d) => pct(d.dispute_rate)), itemStyle: { color: red } },
      ],
    }, !data.daily.some((d) => d.paid_orders));
    draw("chart-resolution", {
      legend: { top: 0 },
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", name: w.hours },
      series: [
        { name: w.median, type: "line", connectNulls: true, data: data.daily.map((d) => hrs(d.resolution_time_median)), itemStyle: { color: blue } },
        { name: w.p90, type: "line", connectNulls: true, lineStyle: { type: "dashed" }, data: data.daily.map((d) => hrs(d.resolution_time_p90)), itemStyle: { color: "#9aa0a6" } },
      ],
    }, !data.daily.some((d) => d.resolved));
    draw("chart-categories", {
      legend: { top: 0 },
      xAxis: { type: "category", data: data.categories.map((c) => c.category) },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [
        { name: w.refund_rate, type: "bar", data: data.categories.map((c) => pct(c.refund_rate)), itemStyle: { color: brand } },
        { name: w.dispute_rate, type: "bar", data: data.categories.map((c) => pct(c.dispute_rate)), itemStyle: { color: red } },
      ],
    }, !data.categories.length);
    const rules = [...new Set(data.compensation.map((r) => r.rule))];
    const methods = [...new Set(data.compensation.map((r) => r.payout_method))];
    draw("chart-compensation", {
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: rules.map((r) => w.rules[r] || r) },
      yAxis: { type: "value", name: w.amount },
      series: methods.map((m) => ({
        name: w.methods[m] || m, type: "bar", stack: "paid",
        data: rules.map((r) => yuan(data.compensation.filter((x) => x.rule === r && x.payout_method === m).reduce((s, x) => s + x.amount_fen, 0))),
      })),
    }, !data.compensation.length);
    const shops = data.holdings.shops.slice(0, 15);
    draw("chart-deposits", {
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", name: w.amount, nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "category", inverse: true, data: shops.map((s) => s.name) },
      series: [
        { name: w.deposit, type: "bar", data: shops.map((s) => yuan(s.deposit_fen)), itemStyle: { color: green } },
        { name: w.debt, type: "bar", data: shops.map((s) => yuan(s.debt_fen)), itemStyle: { color: red } },
      ],
    }, !shops.length);
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
    document.body.dataset.chartsReady = "true";
    document.body.dataset.charts = String(charts.length);
  });
})();
