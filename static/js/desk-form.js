/* The story desk: headline character count, conflict choices after a stale save, internal notes. */
"use strict";
(function () {
  window.desk = window.desk || {};
  const editors = {};  // textarea id -> Tiptap editor (django-prose-editor announces each one)
  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    editors[textarea.id] = editor;
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    editor.view.dom.setAttribute("aria-label", label ? label.textContent.replace(/:$/, "") : textarea.name);
  });

  // select2 leaves its combobox and search box without a name: give them their field's label.
  function nameSelect2() {
    document.querySelectorAll("select.select2-hidden-accessible").forEach((select) => {
      const label = document.querySelector(`label[for="${select.id}"]`);
      const name = label ? label.textContent.replace(/:$/, "").trim() : select.name;
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      container.querySelectorAll(".select2-selection, .select2-search__field, [role=textbox]").forEach((element) => {
        element.setAttribute("aria-label", name);
      });
    });
  }
  window.desk.nameSelect2 = nameSelect2;
  document.addEventListener("DOMContentLoaded", () => {
    if (window.django && django.jQuery) {
      django.jQuery(() => setTimeout(nameSelect2, 10));  // once the admin's select2 widgets exist
      django.jQuery(document).on("select2:select select2:unselect select2:open select2:close", () =>
        setTimeout(nameSelect2, 0),
      );
      document.addEventListener("formset:added", () => setTimeout(nameSelect2, 0));
    }
  });

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  window.desk.post = function (url, fields) {
    const body = new FormData();
    Object.entries(fields).forEach(([name, value]) => body.append(name, value));
    body.append("csrfmiddlewaretoken", csrfToken());
    return fetch(url, { method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } });
  };
  window.desk.csrfToken = csrfToken;

  function headlineCount() {
    const input = document.getElementById("id_headline");
    if (!input) return;
    const count = document.createElement("span");
    count.id = "headline-count";
    count.className = "desk-count";
    input.insertAdjacentElement("afterend", count);
    const update = () => {
      const n = input.value.length;
      count.textContent = `${n} character${n === 1 ? "" : "s"}` + (n > 70 ? " — long for search results (about 70 show)" : "");
      count.classList.toggle("desk-count-long", n > 70);
    };
    input.addEventListener("input", update);
    update();
  }

  function setField(name, value) {
    const field = document.getElementById(`id_${name}`);
    if (!field) return;
    if (editors[field.id]) {
      editors[field.id].commands.setContent(value);
      field.value = value;
    } else {
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // Where each of the story's other fields sits in the form, dimmed while "Take theirs" is chosen for it.
  const OTHER_ROWS = {
    section: ".field-section",
    tags: ".field-tags",
    lead_photo: ".field-lead_photo",
    bylines: "#bylines-group",
    status: ".field-published_at, .field-embargo_until",
  };

  function conflictChoices() {
    document.querySelectorAll(".desk-conflict-field").forEach((box) => {
      const name = box.dataset.field;
      const keep = box.querySelector(".desk-keep-mine");
      const take = box.querySelector(".desk-take-theirs");
      const choose = (theirs) => {
        keep.setAttribute("aria-pressed", String(!theirs));
        take.setAttribute("aria-pressed", String(theirs));
      };
      const choice = box.querySelector(".desk-theirs-choice");
      if (choice) {
        // the save keeps the saved value (the server knows it): the form's own widgets are left as they are
        const note = box.querySelector(".desk-conflict-note");
        const rows = document.querySelectorAll(OTHER_ROWS[name] || "none");
        const set = (theirs) => {
          choice.checked = theirs;
          note.hidden = !theirs;
          rows.forEach((row) => row.classList.toggle("desk-overridden", theirs));
          choose(theirs);
        };
        keep.addEventListener("click", () => set(false));
        take.addEventListener("click", () => set(true));
        set(choice.checked);
        return;
      }
      const field = document.getElementById(`id_${name}`);
      const mine = field ? field.value : "";
      const theirs = box.querySelector(".desk-theirs").value;
      keep.addEventListener("click", () => {
        setField(name, mine);
        choose(false);
      });
      take.addEventListener("click", () => {
        setField(name, theirs);
        choose(true);
      });
    });
  }

  function notes() {
    const box = document.querySelector(".desk-notes");
    if (!box) return;
    const text = box.querySelector("#desk-note-text");
    const status = box.querySelector(".desk-note-status");
    box.querySelector(".desk-note-add").addEventListener("click", async () => {
      if (!text.value.trim()) {
        status.textContent = "Write the note first.";
        return;
      }
      status.textContent = "Saving the note…";
      try {
        const response = await window.desk.post(box.dataset.url, { text: text.value });
        const answer = await response.json();
        if (!response.ok) throw new Error(answer.error || response.statusText);
        const empty = box.querySelector(".desk-note-empty");
        if (empty) empty.remove();
        box.querySelector(".desk-note-list").insertAdjacentHTML("beforeend", answer.html);
        text.value = "";
        status.textContent = answer.mentioned.length ? `Note added; emailed ${answer.mentioned.join(", ")}.` : "Note added.";
      } catch (error) {
        status.textContent = `The note was not saved: ${error.message}. Your text is still in the box.`;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    headlineCount();
    conflictChoices();
    notes();
  });
})();
