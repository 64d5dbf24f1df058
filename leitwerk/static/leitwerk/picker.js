/* Search box for long checkbox lists (core.forms.Picker): typing hides the choices that do not
   match and the groups left empty; a live region says how many remain. Without JavaScript the
   grouped list works as it is. No inline script (CSP). */
(function () {
  "use strict";
  var pickers = document.querySelectorAll("[data-picker]");
  Array.prototype.forEach.call(pickers, function (picker, n) {
    var choices = picker.querySelectorAll(".choice");
    if (choices.length < 8) { return; }
    var box = document.createElement("div");
    box.className = "picker__search";
    var id = "picker-search-" + n;
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = "Liste durchsuchen";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    var status = document.createElement("p");
    status.className = "meta";
    status.setAttribute("role", "status");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    picker.parentNode.insertBefore(box, picker);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(choices, function (choice) {
        var text = choice.textContent.toLowerCase();
        var group = choice.parentNode.querySelector("legend");
        var context = group ? group.textContent.toLowerCase() + " " : "";
        var match = words.every(function (w) { return (context + text).indexOf(w) !== -1; });
        var checked = choice.querySelector("input:checked");
        choice.hidden = !(match || checked);
        if (!choice.hidden) { shown += 1; }
      });
      Array.prototype.forEach.call(picker.querySelectorAll(".picker__group"), function (group) {
        group.hidden = !group.querySelector(".choice:not([hidden])");
      });
      status.textContent = words.length ? shown + " von " + choices.length + " angezeigt (Angekreuztes bleibt sichtbar)" : "";
    });
  });
}());
