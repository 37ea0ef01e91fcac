// Small behaviours shared by every page (no inline scripts: the Content-Security-Policy forbids them).
(function () {
  "use strict";
  // Forms rendered field by field get Bootstrap's classes: <form data-bootstrapify>.
  document.querySelectorAll("form[data-bootstrapify]").forEach(function (form) {
    form.querySelectorAll("input:not([type=checkbox]):not([type=hidden]):not([type=radio]), select, textarea")
      .forEach(function (el) {
        el.classList.add(el.tagName === "SELECT" ? "form-select" : "form-control", "form-control-sm");
      });
  });
  // Buttons that ask before acting: <button data-confirm="确定……？">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
