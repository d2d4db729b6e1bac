/* The pipeline board: drag a card onto another stage's column to move it (htmx posts the stage change and
   swaps the board in); the same move is a "Move" button on every card for the keyboard, which opens a dialog to pick the stage. Dropping a
   card on "won" or "lost", or its "Won" and "Lost" buttons, open dialogs whose forms post the win or the
   loss. */
(function () {
  "use strict";

  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".deal-card");
    if (!card) { return; }
    event.dataTransfer.setData("text/plain", card.dataset.deal);
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", function (event) {
    var card = event.target.closest && event.target.closest(".deal-card");
    if (card) { card.classList.remove("dragging"); }
  });

  function target(event) {
    return event.target.closest && event.target.closest(".column, .outcome-zone");
  }

  document.addEventListener("dragover", function (event) {
    var zone = target(event);
    if (zone) { event.preventDefault(); zone.classList.add("drop-target"); }
  });

  document.addEventListener("dragleave", function (event) {
    var zone = target(event);
    if (zone && !zone.contains(event.relatedTarget)) { zone.classList.remove("drop-target"); }
  });

  document.addEventListener("drop", function (event) {
    var column = target(event);
    if (!column) { return; }
    event.preventDefault();
    column.classList.remove("drop-target");
    var id = event.dataTransfer.getData("text/plain");
    var card = document.querySelector('.deal-card[data-deal="' + id + '"]');
    if (!card) { return; }
    if (column.dataset.outcome) {
      // won or lost: the same dialog as the card's button, which asks for the signed date or the reason
      card.querySelector('.open-dialog[data-dialog="' + column.dataset.outcome + '-dialog"]').click();
      return;
    }
    if (card.closest(".column") === column) { return; }
    window.htmx.ajax("POST", card.dataset.stageUrl, {
      target: "#board", swap: "outerHTML",
      values: { stage: column.dataset.stage, version: card.dataset.version },
      headers: { "X-CSRFToken": token() }
    });
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest(".open-dialog");
    if (opener) {
      var dialog = document.getElementById(opener.dataset.dialog);
      var form = dialog.querySelector("form");
      form.action = opener.dataset.action;
      dialog.querySelector(".dialog-deal").textContent = opener.dataset.title || "";
      var amount = form.querySelector("input[name=amount]");
      if (amount && opener.dataset.amount) { amount.value = opener.dataset.amount; }
      var stage = form.querySelector("select[name=stage]");
      if (stage && opener.dataset.stage) { stage.value = opener.dataset.stage; }
      var version = form.querySelector("input[name=version]");
      if (version && opener.dataset.version) { version.value = opener.dataset.version; }
      dialog.showModal();
      var first = form.querySelector("input:not([type=hidden]), select");
      if (first) { first.focus(); }
      return;
    }
    var closer = event.target.closest && event.target.closest(".close-dialog");
    if (closer) { closer.closest("dialog").close(); }
  });
})();
