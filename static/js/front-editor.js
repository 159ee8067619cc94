// The front editor (admin): drag placed stories, or move them with their arrow buttons, into the order
// readers will see; each row's position is numbered from the order of the rows before the form is sent.
(function () {
  "use strict";

  function rows(body) {
    return Array.prototype.filter.call(body.querySelectorAll("tr.form-row"), function (row) {
      return !row.classList.contains("empty-form");
    });
  }

  function renumber(body) {
    rows(body).forEach(function (row, index) {
      var position = row.querySelector("input[name$='-position']");
      if (position) {
        position.value = index;
      }
    });
  }

  function button(label, text, move) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "front-move";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", move);
    return b;
  }

  function prepare(body, row) {
    if (row.dataset.frontReady || row.classList.contains("empty-form")) {
      return;
    }
    row.dataset.frontReady = "1";
    row.draggable = true;
    row.classList.add("front-draggable");
    var cell = row.querySelector("td.field-position");
    if (cell) {
      cell.appendChild(button("Move up", "↑", function () {
        var before = row.previousElementSibling;
        if (before && !before.classList.contains("empty-form")) {
          body.insertBefore(row, before);
          renumber(body);
        }
      }));
      cell.appendChild(button("Move down", "↓", function () {
        var after = row.nextElementSibling;
        if (after && !after.classList.contains("empty-form")) {
          body.insertBefore(after, row);
          renumber(body);
        }
      }));
    }
  }

  function setUp(group) {
    var body = group.querySelector("tbody");
    if (!body) {
      return;
    }
    var dragged = null;
    rows(body).forEach(function (row) { prepare(body, row); });
    // Rows added with "Add another" join in.
    new MutationObserver(function () {
      rows(body).forEach(function (row) { prepare(body, row); });
    }).observe(body, { childList: true });

    body.addEventListener("dragstart", function (event) {
      var row = event.target.closest && event.target.closest("tr.form-row");
      // Typing or choosing in a field must not start a drag.
      if (!row || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) {
        return;
      }
      dragged = row;
      row.classList.add("front-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
    });
    body.addEventListener("dragover", function (event) {
      var row = event.target.closest && event.target.closest("tr.form-row");
      if (!dragged || !row || row === dragged || row.classList.contains("empty-form")) {
        return;
      }
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      body.insertBefore(dragged, after ? row.nextElementSibling : row);
    });
    body.addEventListener("drop", function (event) {
      event.preventDefault();
    });
    body.addEventListener("dragend", function () {
      if (dragged) {
        dragged.classList.remove("front-dragging");
        dragged = null;
        renumber(body);
      }
    });
    var form = group.closest("form");
    if (form) {
      form.addEventListener("submit", function () { renumber(body); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".front-placements, #placements-group").forEach(function (group) {
      if (!group.dataset.frontSetUp) {
        group.dataset.frontSetUp = "1";
        setUp(group);
      }
    });
  });
})();
