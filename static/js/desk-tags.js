/* Tags: the admin's select2 autocomplete in tags mode. Type a tag that does not exist and press Enter:
   it is sent as "new:Name" and the form creates it on save (articles/admin.py TagsField). */
"use strict";
(function () {
  function tagsMode(element) {
    const $ = django.jQuery;
    const $element = $(element);
    if ($element.data("select2")) $element.select2("destroy");
    element.removeAttribute("data-allow-clear");
    $element.removeData("allowClear");
    $element.select2({
      tags: true,
      allowClear: false,  // its "×" sits inside select2's list, which axe rightly refuses
      tokenSeparators: [","],
      ajax: {
        data: (params) => ({
          term: params.term,
          page: params.page,
          app_label: element.dataset.appLabel,
          model_name: element.dataset.modelName,
          field_name: element.dataset.fieldName,
        }),
      },
      createTag: (params) => {
        const name = params.term.trim();
        return name ? { id: `new:${name}`, text: name, newTag: true } : null;
      },
      templateResult: (item) => (item.newTag ? `Create tag “${item.text}” (Enter)` : item.text),
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    // After the admin's own autocomplete.js has set the widget up: its jQuery ready handler was registered
    // first, so it runs first (the page's scripts are deferred: jQuery may be ready before this event).
    django.jQuery(() =>
      setTimeout(() => {
        document.querySelectorAll("select.desk-tags").forEach(tagsMode);
        window.desk.nameSelect2();
      }, 0),
    );
  });
})();
