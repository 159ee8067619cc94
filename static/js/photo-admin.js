/* The photo library in the admin: drag-and-drop upload with progress, captions edited in place, the focal
   point picker and the story form's photo chooser. No inline script or style: the strict CSP holds. */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Upload: each file is its own POST, so one bad file fails alone and each has its own progress bar.
  function uploadOne(url, file, row) {
    return new Promise(function (resolve) {
      var progress = row.querySelector("progress");
      var state = row.querySelector(".photo-upload-state");
      var request = new XMLHttpRequest();
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", csrfToken());
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
      });
      request.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
        progress.value = 100;
        if (request.status === 201 || answer.duplicate) {
          row.classList.add(answer.duplicate ? "photo-upload-duplicate" : "photo-upload-done");
          state.textContent = answer.message + " ";
          var link = element("a", "", answer.duplicate ? "Open it" : "Edit");
          link.href = answer.url;
          state.appendChild(link);
          resolve(answer);
        } else {
          row.classList.add("photo-upload-failed");
          state.textContent = answer.error || "The upload failed (" + request.status + ").";
          resolve(null);
        }
      });
      request.addEventListener("error", function () {
        row.classList.add("photo-upload-failed");
        state.textContent = "The connection failed; try again.";
        resolve(null);
      });
      var data = new FormData();
      data.append("image", file);
      request.send(data);
    });
  }

  function addCard(answer) {
    var grid = document.querySelector(".photo-grid");
    if (!grid || answer.duplicate) return;
    var empty = document.querySelector(".photo-grid-empty");
    if (empty) empty.remove();
    var card = element("li", "photo-card photo-card-new");
    var link = element("a", "photo-card-image");
    link.href = answer.url;
    link.setAttribute("aria-label", "Edit " + (answer.name || "the new photo"));
    var image = element("img");
    image.src = answer.thumb;
    image.alt = "";
    link.appendChild(image);
    card.appendChild(link);
    var body = element("div", "photo-card-body");
    var edit = element("a", "", "Add caption, credit and alt text");
    edit.href = answer.url;
    body.appendChild(edit);
    card.appendChild(body);
    grid.insertBefore(card, grid.firstChild);
  }

  function setUpDropZone(zone) {
    var url = zone.dataset.uploadUrl;
    var list = zone.querySelector(".photo-uploads");
    var input = zone.querySelector(".photo-drop-input");

    function send(files) {
      var queue = Array.prototype.slice.call(files);
      var rows = queue.map(function (file) {
        var row = element("li", "photo-upload");
        row.appendChild(element("span", "photo-upload-name", file.name));
        var progress = element("progress");
        progress.max = 100;
        progress.value = 0;
        progress.setAttribute("aria-label", "Uploading " + file.name);
        row.appendChild(progress);
        row.appendChild(element("span", "photo-upload-state", "Waiting…"));
        list.appendChild(row);
        return row;
      });
      // one after another: the order is kept and a small server is not flooded
      queue.reduce(function (previous, file, index) {
        return previous.then(function () {
          rows[index].querySelector(".photo-upload-state").textContent = "Uploading…";
          return uploadOne(url, file, rows[index]).then(function (answer) { if (answer) addCard(answer); });
        });
      }, Promise.resolve());
    }

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("photo-drop-active");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("photo-drop-active"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) send(event.dataTransfer.files);
    });
    input.addEventListener("change", function () {
      if (input.files.length) send(input.files);
      input.value = "";
    });
  }

  // Caption, credit and alt text saved where they are typed, on leaving the field or pressing Enter.
  function setUpInPlaceEditing(card) {
    var url = card.dataset.textUrl;
    var state = card.querySelector(".photo-card-state");
    card.querySelectorAll("[data-field]").forEach(function (field) {
      var saved = field.value;
      function save() {
        if (field.value === saved) return;
        state.textContent = "Saving…";
        var data = new FormData();
        data.append("field", field.dataset.field);
        data.append("value", field.value);
        fetch(url, { method: "POST", body: data, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" })
          .then(function (response) { return response.json().then(function (answer) { return [response.ok, answer]; }); })
          .then(function (result) {
            if (result[0]) {
              saved = result[1].value;
              state.textContent = "Saved";
              state.classList.remove("photo-card-error");
            } else {
              state.textContent = result[1].error;
              state.classList.add("photo-card-error");
            }
          })
          .catch(function () { state.textContent = "Not saved: the connection failed."; });
      }
      field.addEventListener("change", save);
      field.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && field.tagName === "INPUT") {
          event.preventDefault(); // not the changelist form's submit
          save();
        }
      });
    });
  }

  // The focal point: a click on the photo, or the arrow keys, set the two fields the form saves.
  function setUpFocalPicker(picker) {
    var form = picker.closest("form");
    var inputX = form.querySelector("[data-focal=x]");
    var inputY = form.querySelector("[data-focal=y]");
    var marker = picker.querySelector(".focal-marker");
    var status = form.querySelector(".focal-status");
    var x = parseFloat(picker.dataset.x);
    var y = parseFloat(picker.dataset.y);

    function show() {
      marker.style.left = (x * 100).toFixed(2) + "%";
      marker.style.top = (y * 100).toFixed(2) + "%";
    }
    function set(newX, newY) {
      x = Math.min(1, Math.max(0, newX));
      y = Math.min(1, Math.max(0, newY));
      inputX.value = x.toFixed(3);
      inputY.value = y.toFixed(3);
      show();
      if (status) {
        status.textContent = "Focal point " + Math.round(x * 100) + "% across, " + Math.round(y * 100) +
          "% down. Save to make the crops again.";
      }
    }
    picker.addEventListener("click", function (event) {
      var box = picker.querySelector("img").getBoundingClientRect();
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    });
    picker.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 0.1 : 0.02;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (!moves[event.key]) return;
      event.preventDefault();
      set(x + moves[event.key][0], y + moves[event.key][1]);
    });
    [inputX, inputY].forEach(function (input) {
      input.addEventListener("input", function () {
        var newX = parseFloat(inputX.value);
        var newY = parseFloat(inputY.value);
        if (newX >= 0 && newX <= 1 && newY >= 0 && newY <= 1) {
          x = newX;
          y = newY;
          show();
        }
      });
    });
    show();
  }

  // The story form's photo: a dialog searching the library, a click on a photo chooses it.
  function setUpChooser(chooser) {
    var input = chooser.querySelector("input[type=hidden]");
    var dialog = chooser.querySelector("dialog");
    var search = chooser.querySelector(".photo-chooser-search");
    var results = chooser.querySelector(".photo-chooser-results");
    var preview = chooser.querySelector(".photo-chooser-preview");
    var clear = chooser.querySelector(".photo-chooser-clear");
    var timer = null;

    function choose(photo) {
      input.value = photo ? photo.id : "";
      preview.textContent = "";
      if (photo) {
        var image = element("img");
        image.src = photo.thumb;
        image.alt = photo.alt_text;
        preview.appendChild(image);
      }
      preview.appendChild(element("span", "photo-chooser-label", photo ? photo.label : "No photo chosen"));
      clear.hidden = !photo;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function load() {
      var url = chooser.dataset.chooseUrl + "?q=" + encodeURIComponent(search.value);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          results.textContent = "";
          if (!answer.results.length) results.appendChild(element("li", "", "No photos found."));
          answer.results.forEach(function (photo) {
            var item = element("li");
            var button = element("button", "photo-chooser-pick");
            button.type = "button";
            var image = element("img");
            image.src = photo.thumb;
            image.alt = "";
            button.appendChild(image);
            button.appendChild(element("span", "", photo.label + (photo.alt_text ? "" : " (needs alt text)")));
            button.addEventListener("click", function () {
              choose(photo);
              dialog.close();
            });
            item.appendChild(button);
            results.appendChild(item);
          });
        });
    }
    chooser.querySelector(".photo-chooser-open").addEventListener("click", function () {
      dialog.showModal();
      search.focus();
      load();
    });
    chooser.querySelector(".photo-chooser-close").addEventListener("click", function () { dialog.close(); });
    clear.addEventListener("click", function () { choose(null); });
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(load, 250);
    });
  }

  function start() {
    document.querySelectorAll(".photo-drop").forEach(setUpDropZone);
    document.querySelectorAll(".photo-card[data-text-url]").forEach(setUpInPlaceEditing);
    document.querySelectorAll(".focal-picker").forEach(setUpFocalPicker);
    document.querySelectorAll(".photo-chooser").forEach(setUpChooser);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
