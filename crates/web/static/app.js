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
  document.querySelectorAll("[data-back]").forEach(function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); history.back(); });
  });
})();
