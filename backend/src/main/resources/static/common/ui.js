// Small pieces the pages share: dates in the user's language, a term and its value in a
// card, pictures the API serves only with the bearer token, people and their roles as
// words, the server's refusals in the page's own words next to the field concerned, and
// a QR code read through the camera.
(function () {
  "use strict";
  const { i18n } = window.Beeldzorg;
  const pictures = new Map();

  function when(instant) {
    return new Date(instant).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  }

  // Appends <dt>label</dt><dd>value</dd> to a <dl>; returns the <dd>.
  function fact(list, label, value) {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
    return dd;
  }

  // An object URL for a protected picture, fetched once per page.
  async function pictureUrl(href) {
    if (!pictures.has(href)) {
      const response = await fetch(href, { headers: { Authorization: "Bearer " + window.Beeldzorg.session.token } });
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      pictures.set(href, URL.createObjectURL(await response.blob()));
    }
    return pictures.get(href);
  }

  // The sign-in panel every page has: the organisation's sign-in in production, a list
  // of the demo users the page is for in demo mode, shown as people with their role
  // ("Anna de Vries (verpleegkundige)") unless the page labels them otherwise.
  async function offerSignIn(forUser, label) {
    const $ = (id) => document.getElementById(id);
    const session = window.Beeldzorg.session;
    if (session.config.signIn.kind === "oidc") { $("signin-oidc").hidden = false; return; }
    const users = (await session.demoUsers()).filter(forUser);
    $("demo-user").innerHTML = "";
    users.forEach((u) => {
      const option = document.createElement("option");
      option.value = u.username;
      i18n.live(option, () => (label || person)(u));
      $("demo-user").appendChild(option);
    });
    $("signin-demo").hidden = false;
  }

  // A discipline (NURSE, SO, …) or a role (PROGRAMME, ADMIN) as a word; short where a
  // header or a card has little room ("SO" rather than "specialist ouderengeneeskunde").
  function role(code, short) {
    if (!code) { return ""; }
    for (const key of [short ? "discipline.short." + code : null, "discipline." + code, "role." + code]) {
      if (key && i18n.has(key)) { return i18n.t(key); }
    }
    return code;
  }

  // "Pim de Wit (programmabureau)": a user as the sign-in menus and headers show them.
  function person(user, short) {
    const words = [user.discipline].concat(user.roles || []).filter(Boolean).map((code) => role(code, short));
    return (user.name || user.username || user.userId || "") + (words.length ? " (" + words.join(", ") + ")" : "");
  }

  // The claims of an access token (display only; the server checks).
  function claims(token) {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(decodeURIComponent(escape(atob(payload))));
  }

  // A refusal in the page's own words, per stable code: next to each field the problem
  // names (aria-invalid, aria-describedby) and in the notice for the rest, drawn again
  // when the language changes. Takes the API's problem (code, errors, …) or any error.
  function showProblem(scope, error, notice) {
    clearProblem(scope);
    const problem = error || {};
    const items = Array.isArray(problem.errors) ? problem.errors.filter((item) => item && item.field) : [];
    const elsewhere = items.filter((item) => {
      const control = fieldOf(scope, item.field);
      if (control) { markField(control, () => fieldText(item)); }
      return !control;
    });
    const placed = items.length > 0 && elsewhere.length === 0;
    let target = notice || scope.querySelector(".notice");
    if (placed) {
      if (target) { target.textContent = ""; if (target.classList.contains("notice")) { target.hidden = true; } }
      return "";
    }
    if (!target) {
      target = document.createElement("p");
      target.className = "notice";
      target.setAttribute("role", "alert");
      scope.appendChild(target);
    }
    target.hidden = false;
    return i18n.live(target, () => (elsewhere.length ? elsewhere.map(fieldText).join(" ") : problemText(problem)));
  }

  function problemText(problem) {
    const body = problem.properties || problem;
    const code = problem.code;
    if (!code) {
      return problem instanceof TypeError ? i18n.t("problem.network") : i18n.t("error.generic", { detail: problem.message || "" });
    }
    const base = "problem." + code;
    const phone = body.fallbackPhone;
    const keys = [body.kind && phone ? base + "." + body.kind + ".phone" : null, body.kind ? base + "." + body.kind : null,
      phone ? base + ".phone" : null, base];
    const key = keys.find((k) => k && i18n.has(k));
    return key ? i18n.t(key, { fallbackPhone: phone || "" }) : i18n.t("problem.unknown", { status: problem.status || code });
  }

  function fieldText(item) {
    const key = ["problem." + item.code + "." + item.field, "problem." + item.code].find((k) => i18n.has(k));
    return i18n.t(key || "problem.request.field-invalid");
  }

  // The control a problem's field names: by name, by data-field, or by the id the pages
  // use for it (clientRef → #client-ref).
  function fieldOf(scope, field) {
    const id = field.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
    return scope.querySelector("[name='" + CSS.escape(field) + "']") || scope.querySelector("[data-field='" + CSS.escape(field) + "']")
      || scope.querySelector("#" + CSS.escape(id));
  }

  let notes = 0;

  function markField(control, render) {
    const note = document.createElement("span");
    note.className = "field-problem";
    note.id = (control.id || "field-" + (++notes)) + "-problem";
    note.setAttribute("role", "alert");
    control.insertAdjacentElement("afterend", note);
    i18n.live(note, render);
    // On a small screen (glasses, a phone) the note may land below the fold: bring it in.
    if (note.scrollIntoView) { note.scrollIntoView({ block: "nearest" }); }
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", ((control.getAttribute("aria-describedby") || "") + " " + note.id).trim());
    const clear = () => unmark(control, note);
    control.addEventListener("input", clear, { once: true });
    control.addEventListener("change", clear, { once: true });
  }

  function unmark(control, note) {
    note.remove();
    control.removeAttribute("aria-invalid");
    const rest = (control.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== note.id);
    if (rest.length) { control.setAttribute("aria-describedby", rest.join(" ")); } else { control.removeAttribute("aria-describedby"); }
  }

  // Takes away what showProblem marked in a scope (on a new attempt).
  function clearProblem(scope) {
    scope.querySelectorAll(".field-problem").forEach((note) => {
      const control = scope.querySelector("[aria-describedby~='" + CSS.escape(note.id) + "']");
      if (control) { unmark(control, note); } else { note.remove(); }
    });
  }

  // Reads the first QR code the camera sees into a <video>: the browser's BarcodeDetector
  // where it has one, jsQR (loaded by the page) otherwise. Resolves with the code's text,
  // or null after 30 s or once scanning.stopped is set (a "Stop scannen" button). The
  // camera is released in every case; a camera that cannot be opened rejects.
  async function readQrCode(video, scanning) {
    let stream = null;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } } });
      video.srcObject = stream;
      await video.play().catch(() => {});
      const detector = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      const deadline = Date.now() + 30000;
      while (Date.now() < deadline && !scanning.stopped) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        if (!video.videoWidth || scanning.stopped) { continue; }
        let text = null;
        if (detector) {
          const codes = await detector.detect(video).catch(() => []);
          text = codes.length ? codes[0].rawValue : null;
        } else if (window.jsQR) {
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0);
          const code = window.jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
          text = code ? code.data : null;
        }
        if (text) { return text.trim(); }
      }
      return null;
    } finally {
      if (stream) { stream.getTracks().forEach((track) => track.stop()); }
      video.srcObject = null;
    }
  }

  window.Beeldzorg.ui = { when, fact, pictureUrl, offerSignIn, role, person, claims, showProblem, clearProblem, readQrCode };
})();
