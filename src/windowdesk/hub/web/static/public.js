// The public pages' only script: the guide's print button (no inline scripts: the pages' CSP forbids them).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
// A form with files says how large a file may be (data-most-bytes): a file too large is named at once, before
// anything is sent (the hub refuses it anyway; this only spares the wait).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var most = Number(form.getAttribute("data-most-bytes") || 0);
  if (!most) { return; }
  var inputs = form.querySelectorAll("input[type=file]");
  for (var i = 0; i < inputs.length; i++) {
    for (var j = 0; j < inputs[i].files.length; j++) {
      var file = inputs[i].files[j];
      if (file.size > most) {
        event.preventDefault();
        var shown = form.parentNode.querySelector(".flash.error.js-size") || document.createElement("p");
        shown.className = "flash error js-size";
        shown.setAttribute("role", "alert");
        shown.textContent = form.getAttribute("data-too-large").replace("{name}", file.name);
        form.parentNode.insertBefore(shown, form);
        return;
      }
    }
  }
});
