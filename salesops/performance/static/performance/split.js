// A split of a team's targets (R4 daily targets, the month grid): in a table marked data-split, each
// additive metric's members' inputs (data-share="metric") are added up and compared with the team's input
// (data-team="metric"); the cell data-sum="metric" shows the sum and the difference, marked when off.
(function () {
  function number(input) {
    const value = parseFloat((input.value || "").replace(/,/g, ""));
    return Number.isFinite(value) ? value : 0;
  }
  function check(table) {
    table.querySelectorAll("[data-sum]").forEach((cell) => {
      const metric = cell.dataset.sum;
      const team = table.querySelector(`[data-team="${metric}"]`);
      let sum = 0;
      table.querySelectorAll(`[data-share="${metric}"]`).forEach((input) => { sum += number(input); });
      const cents = Math.round(sum * 100) / 100;
      const difference = Math.round((cents - (team ? number(team) : 0)) * 100) / 100;
      cell.textContent = difference === 0 ? `${cents} ✓` : `${cents} (${difference > 0 ? "+" : ""}${difference})`;
      cell.classList.toggle("bad", difference !== 0);
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("table[data-split]").forEach((table) => {
      table.addEventListener("input", () => check(table));
      check(table);
    });
  });
})();
