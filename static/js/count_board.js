// Live count board (唱票): keyboard-only entry. The first field has the focus, Enter saves the ballot
// (the form's own submit), a second Enter while saving does nothing; Alt+B / Alt+U tick blank or
// unreadable, Alt+Z takes back the last ballot (after the usual confirmation of app.js).
(function () {
  var form = document.getElementById("ballot-form");
  if (!form) { return; }
  var first = form.querySelector(".board-marks");
  var errored = form.querySelector(".is-invalid, [data-testid=field-error]");
  if (first && !errored) { first.focus(); }
  var saving = false;
  form.addEventListener("submit", function (event) {
    if (saving) { event.preventDefault(); return; }
    saving = true;
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
  });
  function toggle(name) {
    var box = form.querySelector("input[name=" + name + "]");
    if (box) { box.checked = !box.checked; }  // the focus stays in the text field: Enter still saves
  }
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = (event.key || "").toLowerCase();
    if (key === "b") { event.preventDefault(); toggle("is_blank"); }
    else if (key === "u") { event.preventDefault(); toggle("is_unreadable"); }
    else if (key === "z") {
      var undo = document.querySelector(".board-undo button");
      if (undo) { event.preventDefault(); undo.click(); }
    }
  });
})();
