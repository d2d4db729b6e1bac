// R17 daily summary: "another item" adds a blank row in place (without script the button asks the server
// for one), and print buttons print the page.
document.addEventListener("click", (event) => {
  const add = event.target.closest("[data-testid=add-not-done]");
  if (add) {
    const rows = add.closest("fieldset").querySelector(".not-done-rows");
    const last = rows.querySelector(".not-done-row:last-child");
    if (!last) return;
    event.preventDefault();
    const row = last.cloneNode(true);
    row.querySelectorAll("input").forEach((input) => { input.value = ""; });
    rows.appendChild(row);
    row.querySelector("input").focus();
    return;
  }
  if (event.target.closest("[data-print]")) window.print();
});
