/* Bylines: drag (or arrow keys on the handle) to reorder; the hidden position inputs follow the order on
   save. A new author is created in place and added as a byline. */
"use strict";
(function () {
  let dragged = null;

  function rows(group) {
    return Array.from(group.querySelectorAll(".byline-row:not(.empty-form)"));
  }

  function renumber(group) {
    // Only rows with an author: an untouched empty row must stay unchanged, or it would not validate.
    let position = 0;
    rows(group).forEach((row) => {
      const author = row.querySelector("select[name$='-author']");
      const input = row.querySelector("input.byline-position");
      if (input && author && author.value) input.value = position++;
    });
  }

  function setUp(group) {
    group.addEventListener("dragstart", (event) => {
      const handle = event.target.closest && event.target.closest(".byline-handle");
      if (!handle) return;
      dragged = handle.closest(".byline-row");
      dragged.classList.add("byline-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.id);
      event.dataTransfer.setDragImage(dragged, 10, 10);
    });
    group.addEventListener("dragover", (event) => {
      if (!dragged) return;
      const over = event.target.closest(".byline-row:not(.empty-form)");
      if (!over || over === dragged) return;
      event.preventDefault();
      const box = over.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
    });
    group.addEventListener("drop", (event) => {
      if (dragged) event.preventDefault();
    });
    group.addEventListener("dragend", () => {
      if (dragged) dragged.classList.remove("byline-dragging");
      dragged = null;
      renumber(group);
    });
    group.addEventListener("keydown", (event) => {
      const handle = event.target.closest(".byline-handle");
      if (!handle || !["ArrowUp", "ArrowDown"].includes(event.key)) return;
      event.preventDefault();
      const row = handle.closest(".byline-row");
      const all = rows(group);
      const i = all.indexOf(row);
      if (event.key === "ArrowUp" && i > 0) all[i - 1].before(row);
      if (event.key === "ArrowDown" && i < all.length - 1) all[i + 1].after(row);
      handle.focus();
      renumber(group);
    });
    const form = group.closest("form");
    if (form) form.addEventListener("submit", () => renumber(group));
    newAuthor(group);
  }

  function newAuthor(group) {
    const box = group.querySelector(".desk-new-author");
    if (!box) return;
    const input = box.querySelector("#desk-new-author-name");
    const status = box.querySelector(".desk-new-author-status");
    const add = async () => {
      const name = input.value.trim();
      if (!name) {
        status.textContent = "Type the new author's name.";
        return;
      }
      status.textContent = "Adding…";
      try {
        const response = await window.desk.post(group.dataset.newAuthorUrl, { name });
        const author = await response.json();
        if (!response.ok) throw new Error(author.error || response.statusText);
        let row = rows(group).find((r) => !r.querySelector("select[name$='-author']").value);
        if (!row) {
          group.querySelector(".add-row a").click();
          row = rows(group).pop();
        }
        const select = row.querySelector("select[name$='-author']");
        select.append(new Option(author.text, author.id, true, true));
        select.dispatchEvent(new Event("change", { bubbles: true }));
        if (window.django && django.jQuery) django.jQuery(select).trigger("change");
        input.value = "";
        status.textContent = `${author.text} added to the byline.`;
        renumber(group);
      } catch (error) {
        status.textContent = `The author was not added: ${error.message}.`;
      }
    };
    box.querySelector(".desk-new-author-add").addEventListener("click", add);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();  // Enter here adds the author, it does not submit the story
        add();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const group = document.getElementById("bylines-group");
    if (group) setUp(group);
  });
})();
