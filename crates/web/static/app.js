// Small enhancements only; every page works without this file.
(function () {
  "use strict";
  // Unsaved changes: typing into a form that saves (method=post) marks the page dirty; leaving
  // it then asks first. Submitting the form is not leaving.
  var dirty = false;
  function saves(form) {
    return form && (form.getAttribute("method") || "").toLowerCase() === "post" &&
      !form.hasAttribute("data-no-dirty");
  }
  document.addEventListener("input", function (e) {
    if (e.target.form && saves(e.target.form)) { dirty = true; }
  });
  document.addEventListener("change", function (e) {
    if (e.target.form && saves(e.target.form)) { dirty = true; }
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); return; }
    dirty = false;
  });
  document.addEventListener("change", function (e) {
    var t = e.target;
    var name = t.getAttribute && t.getAttribute("data-check-all");
    if (name) {
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (c) { c.checked = t.checked; });
    }
  });
  // A refused form: the summary at the top takes the focus (where autofocus on a non-control is
  // not honoured); its links put the cursor in the field they name.
  var summary = document.getElementById("error-summary");
  if (summary) {
    // After the load, so that a fragment in the URL (#notes) does not take the focus back.
    var take = function () { if (document.activeElement !== summary) { summary.focus(); } };
    take();
    window.addEventListener("load", function () { setTimeout(take, 0); });
    summary.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[href^='#']");
      var field = a && document.getElementById(a.getAttribute("href").slice(1));
      if (field) {
        e.preventDefault();
        var d = field.closest("details");
        if (d) { d.open = true; }
        field.scrollIntoView({ block: "center" });
        field.focus();
      }
    });
  }
  // Typing keeps the session alive (it ends after 30 minutes without a request, and writing an
  // assessment sends none); once it has ended anyway, say so before the text is sent — a form
  // sent then is kept by the server and offered again after signing in.
  var lastPing = 0;
  var ended = false;
  function sessionEnded() {
    if (ended) { return; }
    ended = true;
    var main = document.querySelector("main");
    if (!main) { return; }
    var note = document.createElement("div");
    note.className = "alert";
    note.id = "session-ended";
    note.setAttribute("role", "alert");
    note.textContent = "ログインの有効期限が切れました。入力はそのままで大丈夫です。「保存」を押すと内容は保管され、もう一度サインインした後に保存できます。";
    main.insertBefore(note, main.firstChild);
  }
  document.addEventListener("input", function (e) {
    if (!e.target.form || !saves(e.target.form) || ended) { return; }
    if (Date.now() - lastPing < 60000) { return; }
    lastPing = Date.now();
    fetch("/session/alive", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (r.status === 401) { sessionEnded(); } })
      .catch(function () {});
  });
  // Row grids: 「行を追加」 copies the grid's last row with its values cleared (the page keeps
  // working without it: the server already offers blank rows). A new family row gets a fresh
  // key, and the lines below can name it at once.
  function freshKey(form) {
    var max = 0;
    form.querySelectorAll('input[name="member_key"]').forEach(function (k) {
      var n = parseInt(k.value, 10);
      if (n > max) { max = n; }
    });
    return String(max + 1);
  }
  function clearRow(row) {
    row.classList.remove("invalid");
    row.querySelectorAll("input, textarea").forEach(function (c) {
      if (c.type === "checkbox" || c.type === "radio") { c.checked = false; } else { c.value = ""; }
      c.defaultValue = "";
    });
    row.querySelectorAll("select").forEach(function (s) {
      Array.prototype.forEach.call(s.options, function (o) { o.selected = false; o.defaultSelected = false; });
      s.selectedIndex = 0;
    });
    row.querySelectorAll(".error").forEach(function (p) { p.remove(); });
  }
  // The label a family row has on the lines' selects (as the server writes it).
  function personLabel(row, index) {
    var rel = row.querySelector('[name="member_relation"]');
    var name = row.querySelector('[name="member_name"]');
    rel = rel ? rel.value.trim() : "";
    name = name ? name.value.trim() : "";
    if (!rel && !name) { return index + "行目の人（新しく入力）"; }
    if (!name) { return rel; }
    if (!rel) { return name; }
    return rel + "（" + name + "）";
  }
  function dataRows(grid) {
    return grid.querySelectorAll("tbody > tr:not(.row-error), .row-card");
  }
  function labelPeople(form) {
    var people = form.querySelector('[data-grows="family"]');
    if (!people) { return; }
    var selects = form.querySelectorAll('select[name="link_from"], select[name="link_to"]');
    Array.prototype.forEach.call(dataRows(people), function (row, i) {
      var key = row.querySelector('input[name="member_key"]');
      if (!key || !key.value) { return; }
      var label = personLabel(row, i + 1);
      selects.forEach(function (s) {
        var o = s.querySelector('option[value="' + key.value + '"]');
        if (!o) {
          o = document.createElement("option");
          o.value = key.value;
          s.appendChild(o);
        }
        o.textContent = label;
      });
    });
  }
  document.querySelectorAll("[data-add-row]").forEach(function (b) {
    b.parentNode.hidden = false;
    b.addEventListener("click", function () {
      var grid = b.closest("[data-grows]");
      var rows = dataRows(grid);
      var last = rows[rows.length - 1];
      if (!last) { return; }
      var row = last.cloneNode(true);
      clearRow(row);
      var section = grid.getAttribute("data-grows");
      row.id = "f-" + section + "-" + rows.length;
      var key = row.querySelector('input[name="member_key"]');
      if (key) { key.value = freshKey(b.form); }
      // After the last row (and the error line that may follow it).
      var after = last.nextElementSibling && last.nextElementSibling.classList.contains("row-error") ?
        last.nextElementSibling : last;
      after.parentNode.insertBefore(row, after.nextSibling);
      if (key) { labelPeople(b.form); }
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  });
  document.addEventListener("input", function (e) {
    var n = e.target.name;
    if ((n === "member_relation" || n === "member_name") && e.target.form) { labelPeople(e.target.form); }
  });
  document.querySelectorAll("[data-back]").forEach(function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); history.back(); });
  });
})();

// A button that prints the page (inline handlers are not allowed by the CSP).
document.addEventListener('click', (e) => {
  const b = e.target.closest && e.target.closest('[data-print]');
  if (b) { e.preventDefault(); window.print(); }
});
