// Transfer forms: ask before moving (the message names the chosen owner), and on the list page "every
// customer matching" stands for the rows, which are then left alone.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const owner = form.querySelector("select[name=to_user]");
      const name = owner && owner.selectedIndex > 0 ? owner.options[owner.selectedIndex].text : "";
      if (name && !window.confirm(form.dataset.confirm.replace("{owner}", name))) event.preventDefault();
    });
  });
  const all = document.querySelector("input[name=all]");
  if (!all) return;
  const rows = document.querySelectorAll("input[name=customers]");
  const sync = () => rows.forEach((row) => { row.disabled = all.checked; });
  all.addEventListener("change", sync);
  sync();
});
