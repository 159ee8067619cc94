// The front editor (admin): drag placed stories, or move them with their arrow buttons, into the order
// readers will see; each one's position is numbered from that order before the form is sent.
(function () {
  "use strict";

  function items(group) {
    return Array.prototype.filter.call(group.querySelectorAll(".inline-related"), function (item) {
      return !item.classList.contains("empty-form");
    });
  }

  function renumber(group) {
    // Only forms with a story: an empty one given a position would count as filled in, and be refused.
    items(group).filter(function (item) {
      var story = item.querySelector("select[name$='-article']");
      return story && story.value;
    }).forEach(function (item, index) {
      item.querySelector("input[name$='-position']").value = index;
    });
  }

  function button(label, text, move) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "front-move";
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", move);
    return b;
  }

  function prepare(group, item) {
    if (item.dataset.frontReady || item.classList.contains("empty-form")) {
      return;
    }
    item.dataset.frontReady = "1";
    item.classList.add("front-draggable");
    // A placement that changes anything on this front shows it: its overrides are not folded away.
    var overrides = item.querySelector("fieldset.front-overrides details");
    if (overrides && Array.prototype.some.call(overrides.querySelectorAll("input, select, textarea"), function (field) {
      return field.type !== "hidden" && field.value;
    })) {
      overrides.open = true;
    }
    var heading = item.querySelector("h3");
    if (!heading) {
      return;
    }
    heading.draggable = true;  // the heading is the handle: fields stay free for typing and choosing
    heading.title = "Drag to move";
    var place = heading.querySelector(".delete");
    heading.insertBefore(button("Move up", "↑", function () {
      var all = items(group), i = all.indexOf(item);
      if (i > 0) {
        all[i - 1].parentNode.insertBefore(item, all[i - 1]);
        renumber(group);
      }
    }), place);
    heading.insertBefore(button("Move down", "↓", function () {
      var all = items(group), i = all.indexOf(item);
      if (i >= 0 && i < all.length - 1) {
        item.parentNode.insertBefore(all[i + 1], item);
        renumber(group);
      }
    }), place);
  }

  function setUp(group) {
    var dragged = null;
    items(group).forEach(function (item) { prepare(group, item); });
    // Stories added with "Add another" join in.
    new MutationObserver(function () {
      items(group).forEach(function (item) { prepare(group, item); });
    }).observe(group, { childList: true, subtree: true });

    group.addEventListener("dragstart", function (event) {
      var item = event.target.closest && event.target.closest(".inline-related");
      if (!item || item.classList.contains("empty-form")) {
        return;
      }
      dragged = item;
      item.classList.add("front-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.id);
    });
    group.addEventListener("dragover", function (event) {
      var item = event.target.closest && event.target.closest(".inline-related");
      if (!dragged || !item || item === dragged || item.classList.contains("empty-form")) {
        return;
      }
      event.preventDefault();
      var box = item.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      item.parentNode.insertBefore(dragged, after ? item.nextElementSibling : item);
    });
    group.addEventListener("drop", function (event) {
      event.preventDefault();
    });
    group.addEventListener("dragend", function () {
      if (dragged) {
        dragged.classList.remove("front-dragging");
        dragged = null;
        renumber(group);
      }
    });
    var form = group.closest("form");
    if (form) {
      form.addEventListener("submit", function () { renumber(group); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var group = document.getElementById("placements-group");
    if (group) {
      setUp(group);
    }
  });
})();
