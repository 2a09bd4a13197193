// yearwise report pages: the index search box and the review page's jump to a fact. No network, no libraries.
(function () {
  "use strict";

  function norm(s) { return (s || "").toLowerCase().replace(/\s+/g, ""); }

  function setupSearch() {
    var box = document.getElementById("search");
    var data = document.getElementById("search-data");
    var list = document.getElementById("search-results");
    if (!box || !data || !list) return;
    var items = JSON.parse(data.textContent);
    function show() {
      var q = norm(box.value);
      list.innerHTML = "";
      if (!q) return;
      var shown = 0;
      for (var i = 0; i < items.length && shown < 200; i++) {
        var it = items[i];
        if (norm(it.text).indexOf(q) < 0) continue;
        var li = document.createElement("li");
        li.className = "hit " + it.type;
        var a = document.createElement("a");
        a.href = it.href;
        a.textContent = it.label;
        li.appendChild(a);
        var what = document.createElement("span");
        what.className = "what";
        what.textContent = it.what;
        li.appendChild(what);
        list.appendChild(li);
        shown++;
      }
    }
    box.addEventListener("input", show);
    show();
  }

  function markTarget() {
    var old = document.querySelectorAll(".targeted");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("targeted");
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    if (!el) return;
    el.classList.add("targeted");
    var box = document.getElementById("b" + id.slice(1));
    if (box) { box.classList.add("targeted"); box.scrollIntoView({block: "center"}); }
    el.scrollIntoView({block: "center"});
  }

  // a click on a highlight makes it the page's target: its box on the page image lights up too
  function followClicks() {
    document.addEventListener("click", function (e) {
      var mark = e.target.closest && e.target.closest("mark.fact");
      if (mark && mark.id) location.hash = mark.id;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupSearch();
    followClicks();
    markTarget();
    window.addEventListener("hashchange", markTarget);
  });
})();
