// Page behaviour for the shell. Alpine's CSP build runs only registered components (no inline code).
document.addEventListener("alpine:init", () => {
  window.Alpine.data("navmenu", () => ({
    open: false,
    get expanded() { return this.open ? "true" : "false"; },
    get navClass() { return this.open ? "nav open" : "nav"; },
    toggle() { this.open = !this.open; },
  }));
  // The follow-up form (R11): check-in and photos only for a visit; a quick-date button fills the next date.
  window.Alpine.data("followupForm", () => ({
    channel: "",
    init() {
      const checked = this.$root.querySelector("input[name=channel]:checked");
      this.channel = checked ? checked.value : "";
    },
    get isVisit() { return this.channel === "visit"; },
    pickChannel(event) {
      if (event.target.name === "channel") this.channel = event.target.value;
    },
    pickDate(event) {
      const input = this.$root.querySelector("input[name=next_followup_at]");
      input.value = event.currentTarget.dataset.date;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    },
  }));
});

// Charts: any element with data-chart holds the id of a <script type="application/json"> option block.
function renderCharts(root) {
  if (!window.echarts) return;
  root.querySelectorAll("[data-chart]").forEach((el) => {
    if (el.dataset.chartReady) return;
    const source = document.getElementById(el.dataset.chart);
    if (!source) return;
    const chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(JSON.parse(source.textContent));
    el.dataset.chartReady = "1";
    window.addEventListener("resize", () => chart.resize());
  });
}
document.addEventListener("DOMContentLoaded", () => renderCharts(document));
document.addEventListener("htmx:afterSettle", (event) => renderCharts(event.target));
