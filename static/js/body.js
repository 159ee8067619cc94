// Story bodies: galleries move with buttons, arrow keys and swipes; embeds load only when the reader asks.
// Without this script a gallery is a list of figures and an embed is a link to the provider.
(function () {
  "use strict";

  function setUpGallery(gallery) {
    var list = gallery.querySelector(".gallery-items");
    var items = list ? list.querySelectorAll(".gallery-item") : [];
    if (items.length < 2) return;
    gallery.classList.add("gallery-js");
    var current = 0;
    var controls = document.createElement("div");
    controls.className = "gallery-controls";
    var previous = document.createElement("button");
    previous.type = "button";
    previous.textContent = "‹ Previous";
    var next = document.createElement("button");
    next.type = "button";
    next.textContent = "Next ›";
    var status = document.createElement("p");
    status.className = "gallery-status";
    status.setAttribute("aria-live", "polite");
    controls.append(previous, status, next);
    gallery.append(controls);

    function show(index, moveFocus) {
      current = Math.max(0, Math.min(items.length - 1, index));
      var motion = window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
      list.scrollTo({ left: current * list.clientWidth, behavior: motion }); // each item is as wide as the strip
      status.textContent = "Photo " + (current + 1) + " of " + items.length;
      previous.disabled = current === 0;
      next.disabled = current === items.length - 1;
      if (moveFocus) list.focus();
    }
    previous.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    list.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
      else if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
      else if (event.key === "Home") { show(0); event.preventDefault(); }
      else if (event.key === "End") { show(items.length - 1); event.preventDefault(); }
    });
    var settle;
    list.addEventListener("scroll", function () {  // a swipe: follow where the reader stopped
      clearTimeout(settle);
      settle = setTimeout(function () {
        var index = Math.round(list.scrollLeft / Math.max(1, list.clientWidth));
        if (index !== current) {
          current = Math.max(0, Math.min(items.length - 1, index));
          status.textContent = "Photo " + (current + 1) + " of " + items.length;
          previous.disabled = current === 0;
          next.disabled = current === items.length - 1;
        }
      }, 120);
    });
    status.textContent = "Photo 1 of " + items.length;
    previous.disabled = true;
    if (window.ResizeObserver) {  // a wider or narrower strip: keep the current photo in place
      new ResizeObserver(function () { list.scrollTo({ left: current * list.clientWidth }); }).observe(list);
    }
  }

  function setUpEmbed(embed) {
    var frame = embed.dataset.frame;
    var button = embed.querySelector(".embed-load");
    if (!frame || !button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var iframe = document.createElement("iframe");
      iframe.src = frame;
      iframe.title = (embed.querySelector(".embed-title") || embed.querySelector(".embed-provider")).textContent;
      iframe.setAttribute("allow", "encrypted-media; fullscreen; picture-in-picture");
      iframe.setAttribute("allowfullscreen", "");
      iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      iframe.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation");
      var box = document.createElement("div");
      box.className = "embed-frame";
      var ratio = parseFloat(embed.dataset.ratio);
      if (ratio > 0) box.style.paddingTop = ratio + "%";
      box.append(iframe);
      embed.querySelector(".embed-placeholder").replaceWith(box);
      embed.classList.add("embed-loaded");
      iframe.focus();
    });
  }

  document.querySelectorAll("[data-gallery-view]").forEach(setUpGallery);
  document.querySelectorAll("[data-embed-view]").forEach(setUpEmbed);
})();
