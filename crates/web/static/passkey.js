// Passkeys (WebAuthn): the server puts the challenge's options on a form as JSON; a press of the
// form's button asks the browser (create or get), writes the answer into the form's hidden
// `credential` field as JSON with base64url bytes, and sends the form. Without this file, or
// without WebAuthn, the form says so and the other ways stay.
(function () {
  "use strict";
  function fromB64u(s) {
    var b = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
    var a = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) { a[i] = b.charCodeAt(i); }
    return a.buffer;
  }
  function toB64u(buf) {
    var a = new Uint8Array(buf), s = "";
    for (var i = 0; i < a.length; i++) { s += String.fromCharCode(a[i]); }
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function creationOptions(o) {
    var pk = o.publicKey;
    pk.challenge = fromB64u(pk.challenge);
    pk.user.id = fromB64u(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = fromB64u(c.id); });
    return { publicKey: pk };
  }
  function requestOptions(o) {
    var pk = o.publicKey;
    pk.challenge = fromB64u(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = fromB64u(c.id); });
    return { publicKey: pk };
  }
  function created(c) {
    return {
      id: c.id, rawId: toB64u(c.rawId), type: c.type,
      response: {
        attestationObject: toB64u(c.response.attestationObject),
        clientDataJSON: toB64u(c.response.clientDataJSON),
        transports: c.response.getTransports ? c.response.getTransports() : []
      },
      extensions: c.getClientExtensionResults ? c.getClientExtensionResults() : {}
    };
  }
  function asserted(c) {
    var r = c.response;
    return {
      id: c.id, rawId: toB64u(c.rawId), type: c.type,
      response: {
        authenticatorData: toB64u(r.authenticatorData),
        clientDataJSON: toB64u(r.clientDataJSON),
        signature: toB64u(r.signature),
        userHandle: r.userHandle ? toB64u(r.userHandle) : null
      },
      extensions: c.getClientExtensionResults ? c.getClientExtensionResults() : {}
    };
  }
  function say(form, text) {
    var out = form.querySelector("[data-passkey-status]");
    if (out) { out.textContent = text; out.hidden = false; }
  }
  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    var button = form.querySelector("button");
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say(form, "このブラウザはパスキーに対応していません。ほかの方法を使ってください。");
      if (button) { button.disabled = true; }
      return;
    }
    if (button) { button.disabled = false; }
    form.addEventListener("submit", function (e) {
      var field = form.querySelector("input[name=credential]");
      if (field.value) { return; }
      e.preventDefault();
      var options = JSON.parse(form.getAttribute("data-options"));
      var create = form.getAttribute("data-passkey") === "create";
      say(form, "デバイスの画面に従って、指紋・顔・PIN などで確認してください…");
      if (button) { button.disabled = true; }
      var asked = create
        ? navigator.credentials.create(creationOptions(options))
        : navigator.credentials.get(requestOptions(options));
      asked.then(function (c) {
        field.value = JSON.stringify(create ? created(c) : asserted(c));
        say(form, "確認しました。送信しています…");
        form.submit();
      }, function (err) {
        if (button) { button.disabled = false; }
        var why = err && err.name === "InvalidStateError"
          ? "このデバイスのパスキーはすでに登録されています。"
          : err && err.name === "NotAllowedError"
            ? "確認が取り消されたか、時間切れになりました。もう一度押してください。"
            : "パスキーで確認できませんでした（" + (err && err.name || "不明") + "）。もう一度押すか、ほかの方法を使ってください。";
        say(form, why);
      });
    });
  });
})();
