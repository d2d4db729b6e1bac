// Import page: the upload's progress in the <progress> element (htmx reports it while sending the file).
document.addEventListener("htmx:xhr:progress", (event) => {
  const bar = document.getElementById("import-progress");
  const detail = event.detail || {};
  if (!bar || !detail.lengthComputable) return;
  bar.max = detail.total;
  bar.value = detail.loaded;
});
