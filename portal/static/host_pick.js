// A search box above each <select data-search>: typing hides the options whose text does not
// contain what was typed (lowercase, Vietnamese diacritics optional). Without JavaScript the
// select still lists the whole register.
(function () {
  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function attach(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.placeholder = select.getAttribute("data-search");
    box.setAttribute("aria-label", select.getAttribute("data-search"));
    box.className = "host-search";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var needle = fold(box.value.trim());
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && option.value !== "" && !option.selected &&
          fold(option.text).indexOf(needle) === -1;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-search]").forEach(attach);
  });
})();
