// The meeting view (R3): one section per screen; arrow keys, PageUp/PageDown and space (what a
// presentation clicker sends) page through them; the counter says where the meeting is.
(function () {
  "use strict";
  const NEXT = new Set(["ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar"]);
  const PREVIOUS = new Set(["ArrowLeft", "ArrowUp", "PageUp"]);

  function chartOf(slide) {
    slide.querySelectorAll("[data-chart]").forEach((el) => {
      if (!window.echarts) return;
      let chart = window.echarts.getInstanceByDom(el);
      if (!chart) {
        const source = document.getElementById(el.dataset.chart);
        if (!source) return;
        chart = window.echarts.init(el, null, { renderer: "svg" });
        chart.setOption(JSON.parse(source.textContent));
      }
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const slides = Array.from(document.querySelectorAll("[data-slide]"));
    const counter = document.querySelector("[data-meeting-current]");
    let current = 0;
    const show = (index) => {
      current = Math.max(0, Math.min(slides.length - 1, index));
      slides.forEach((slide, position) => { slide.hidden = position !== current; });
      if (counter) counter.textContent = String(current + 1);
      chartOf(slides[current]);
      window.scrollTo(0, 0);
    };
    document.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (NEXT.has(event.key)) { event.preventDefault(); show(current + 1); }
      else if (PREVIOUS.has(event.key)) { event.preventDefault(); show(current - 1); }
      else if (event.key === "Home") { event.preventDefault(); show(0); }
      else if (event.key === "End") { event.preventDefault(); show(slides.length - 1); }
    });
    const next = document.querySelector("[data-meeting-next]");
    const previous = document.querySelector("[data-meeting-previous]");
    if (next) next.addEventListener("click", () => show(current + 1));
    if (previous) previous.addEventListener("click", () => show(current - 1));
    window.addEventListener("resize", () => chartOf(slides[current]));
    show(0);
  });
})();
