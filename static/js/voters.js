/* Keyboard-first voter entry: Enter moves to the next field, Enter on the last field (or Ctrl+Enter
   anywhere) saves. Event delegation, so fields swapped in by htmx (birth date, gender) keep working.
   A static file because the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  function fields(form) {
    return Array.prototype.filter.call(form.querySelectorAll("[data-entry-field]"), function (el) {
      return !el.disabled && el.offsetParent !== null;
    });
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var form = target.closest && target.closest("form[data-enter-moves]");
    if (!form || event.key !== "Enter" || target.tagName === "TEXTAREA" || target.tagName === "BUTTON") {
      return;
    }
    event.preventDefault();
    if (event.ctrlKey || event.metaKey) {
      form.requestSubmit ? form.requestSubmit() : form.submit();
      return;
    }
    var list = fields(form);
    var index = list.indexOf(target);
    if (index === -1 || index === list.length - 1) {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    } else {
      list[index + 1].focus();
      if (list[index + 1].select) { list[index + 1].select(); }
    }
  });
})();
