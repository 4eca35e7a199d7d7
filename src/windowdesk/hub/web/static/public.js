// The public pages' only script: the guide's print button (no inline scripts: the pages' CSP forbids them).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
