// The glasses page: a nurse at the bedside starts a consult hands free and shows the
// consultant what she sees through the glasses' world camera.
(function () {
  "use strict";
  const { i18n, session, Call, calls } = window.Beeldzorg;
  const t = i18n.t;
  const $ = (id) => document.getElementById(id);
  const ACTIVE = "beeldzorg.glasses.activeConsult";
  const state = { location: null, urgency: "URGENT", clientRef: "", consult: null, call: null, stream: null, peerStates: {}, signalling: "connecting", poor: false, lastPointer: null, lastPhoto: null, stopEvents: null };
  window.beeldzorgGlasses = state;

  function show(section) {
    ["signin", "home", "call", "done"].forEach((id) => { $(id).hidden = id !== section; });
  }

  function message(id, text) { $(id).textContent = text || ""; $(id).hidden = !text; }

  function select(container, attribute, value) {
    container.querySelectorAll("button").forEach((b) => b.setAttribute("aria-checked", String(b.dataset[attribute] === value)));
  }

  async function loadLocations() {
    const locations = await session.api("/api/v1/locations");
    const box = $("locations");
    box.innerHTML = "";
    locations.forEach((l) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "huge";
      button.setAttribute("role", "radio");
      button.dataset.location = l.id;
      button.textContent = l.name;
      button.onclick = () => { state.location = l.id; select(box, "location", l.id); };
      box.appendChild(button);
    });
    if (locations.length === 1) { state.location = locations[0].id; select(box, "location", state.location); }
  }

  // The client's QR code through the camera: the browser's BarcodeDetector where it has
  // one, jsQR otherwise. Stops at the first code, or after 30 s.
  async function scan() {
    $("scanner").hidden = false;
    let stream = null;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } } });
      const video = $("scan-video");
      video.srcObject = stream;
      await video.play().catch(() => {});
      const detector = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      const deadline = Date.now() + 30000;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        if (!video.videoWidth) { continue; }
        let text = null;
        if (detector) {
          const codes = await detector.detect(video).catch(() => []);
          text = codes.length ? codes[0].rawValue : null;
        } else {
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0);
          const code = window.jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
          text = code ? code.data : null;
        }
        if (text) {
          setClient(text.trim());
          break;
        }
      }
    } catch (e) {
      message("home-message", t("error.camera"));
    } finally {
      if (stream) { stream.getTracks().forEach((track) => track.stop()); }
      $("scanner").hidden = true;
    }
  }

  function setClient(value) {
    state.clientRef = value;
    $("client-ref").value = value;
    i18n.live($("client-shown"), () => (value ? t("glasses.scanned") + ": " + value : ""));
  }

  async function openCamera() {
    const video = session.config.video;
    return navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { facingMode: { ideal: "environment" }, width: { ideal: video.width }, height: { ideal: video.height } }
    });
  }

  async function startConsult() {
    const clientRef = ($("client-ref").value || state.clientRef).trim();
    if (!state.location) { message("home-message", t("glasses.needLocation")); return; }
    if (!clientRef) { message("home-message", t("glasses.needClient")); return; }
    message("home-message", "");
    try {
      state.stream = await openCamera();
    } catch (e) {
      message("home-message", t("error.camera"));
      return;
    }
    try {
      const consult = await session.api("/api/v1/consults", {
        method: "POST",
        headers: { "Idempotency-Key": crypto.randomUUID() },
        body: { kind: "BEDSIDE", locationId: state.location, clientRef, question: $("question").value || null, urgency: state.urgency, requestedDiscipline: "SO" }
      });
      enterCall(consult);
    } catch (e) {
      state.stream.getTracks().forEach((track) => track.stop());
      window.Beeldzorg.ui.showProblem($("home"), e, $("home-message"));
    }
  }

  function renderCallState() {
    const consult = state.consult;
    if (consult && consult.state === "RINGING") {
      const names = consult.ringing.map((p) => p.name || window.Beeldzorg.ui.role(p.discipline)).join(", ");
      $("call-state").textContent = t("glasses.ringing", { names });
    } else {
      const words = t(calls.describe(state.peerStates, state.signalling, state.poor));
      $("call-state").textContent = consult && consult.consultant ? t("glasses.accepted", { name: consult.consultant.name || "" }) + " · " + words : words;
    }
    $("cancel").hidden = !(consult && consult.state === "RINGING");
    $("end").hidden = !(consult && consult.state === "ACTIVE");
  }

  // The nurse joins the room at once; the consultant joins on accepting and offers.
  function enterCall(consult) {
    state.consult = consult;
    sessionStorage.setItem(ACTIVE, consult.id);
    show("call");
    $("local-video").srcObject = state.stream;
    const config = session.config;
    const call = new Call({ consultId: consult.id, join: consult.join, stream: state.stream, iceTransportPolicy: config.iceTransportPolicy, maxVideoKbps: config.video.maxKbps });
    state.call = call;
    call.addEventListener("signalling", (e) => { state.signalling = e.detail.state; renderCallState(); });
    call.addEventListener("state", (e) => { state.peerStates[e.detail.peerId] = e.detail.state; renderCallState(); });
    call.addEventListener("peer", (e) => { state.peerStates[e.detail.peerId] = state.peerStates[e.detail.peerId] || "new"; renderCallState(); });
    call.addEventListener("peer-left", (e) => { delete state.peerStates[e.detail.peerId]; calls.forget($("remote-audio"), e.detail.peerId); renderCallState(); });
    call.addEventListener("quality", (e) => { state.poor = e.detail.poor; renderCallState(); });
    call.addEventListener("track", (e) => {
      calls.hear($("remote-audio"), e.detail.peerId, e.detail.stream);
      if ($("remote-video").srcObject !== e.detail.stream) { $("remote-video").srcObject = e.detail.stream; }
    });
    call.addEventListener("pointer", (e) => showPointer(e.detail.x, e.detail.y));
    call.addEventListener("ended", () => finish(t("call.ended")));
    call.start();
    renderCallState();
  }

  function showPointer(x, y) {
    state.lastPointer = { x, y, at: Date.now() };
    const spot = calls.place($("local-video"), x, y);
    const marker = $("marker");
    marker.style.left = spot.left + "px";
    marker.style.top = spot.top + "px";
    marker.hidden = false;
    clearTimeout(state.markerTimer);
    state.markerTimer = setTimeout(() => { marker.hidden = true; }, 5000);
  }

  // A full-resolution still: ImageCapture where the browser has it, else the camera's
  // current frame at its native size.
  async function capture() {
    const track = state.stream.getVideoTracks()[0];
    if ("ImageCapture" in window) {
      try {
        const blob = await new window.ImageCapture(track).takePhoto();
        const bitmap = await createImageBitmap(blob);
        return { blob, width: bitmap.width, height: bitmap.height };
      } catch (e) { /* fall back to a frame */ }
    }
    const video = $("local-video");
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.92));
    return { blob, width: canvas.width, height: canvas.height };
  }

  async function takePhoto() {
    const photo = await capture();
    const sent = await state.call.sendPhoto(photo.blob, photo.width, photo.height);
    state.lastPhoto = { blob: photo.blob, sha256: sent.sha256, size: sent.size, peers: sent.peers };
    $("photo-state").textContent = t("glasses.photoSent") + " (" + photo.width + "×" + photo.height + ")";
  }

  function finish(text) {
    if (state.call) { state.call.close(true); }
    if (state.stream) { state.stream.getTracks().forEach((track) => track.stop()); }
    state.call = null;
    state.consult = null;
    state.peerStates = {};
    sessionStorage.removeItem(ACTIVE);
    $("done-message").textContent = text;
    show("done");
  }

  function onEvent(name, consult) {
    if (!state.consult || consult.id !== state.consult.id) { return; }
    state.consult = Object.assign(consult, { join: state.consult.join });
    if (name === "consult.missed") {
      const fallback = consult.fallback || {};
      const text = fallback.phone ? t("glasses.missed", { fallback: fallback.phone }) : t("glasses.missedNoNumber");
      finish(fallback.instructions ? text + " " + fallback.instructions : text);
    } else if (name === "consult.cancelled") {
      finish(t("glasses.cancelled"));
    } else if (name === "consult.ended") {
      finish(t("call.ended"));
    } else {
      renderCallState();
    }
  }

  async function resync() {
    if (!state.consult) { return; }
    const consult = await session.api("/api/v1/consults/" + state.consult.id).catch(() => null);
    if (consult) { onEvent("consult." + consult.state.toLowerCase(), consult); }
  }

  async function signedIn() {
    const me = session.me();
    $("who").textContent = me.name;
    show("home");
    await loadLocations();
    state.stopEvents = session.events(onEvent, () => { resync(); }, () => {});
    const active = sessionStorage.getItem(ACTIVE);
    if (active) {
      const consult = await session.api("/api/v1/consults/" + active).catch(() => null);
      if (consult && (consult.state === "RINGING" || consult.state === "ACTIVE") && consult.join) {
        state.stream = await openCamera();
        enterCall(consult);
      } else {
        sessionStorage.removeItem(ACTIVE);
      }
    }
  }

  async function showSignIn() {
    show("signin");
    await window.Beeldzorg.ui.offerSignIn((u) => u.discipline === "NURSE");
  }


  async function main() {
    i18n.apply();
    $("language").value = i18n.language;
    $("language").onchange = (e) => i18n.use(e.target.value);
    i18n.onChange(() => renderCallState());
    $("signin-button").onclick = () => session.signInDemo($("demo-user").value).then(signedIn);
    $("signin-oidc").onclick = () => session.signInOidc();
    $("scan").onclick = () => scan();
    $("client-ref").oninput = (e) => setClient(e.target.value.trim());
    $("urgencies").querySelectorAll("button").forEach((b) => {
      b.setAttribute("role", "radio");
      b.onclick = () => { state.urgency = b.dataset.urgency; select($("urgencies"), "urgency", state.urgency); };
    });
    select($("urgencies"), "urgency", state.urgency);
    $("start").onclick = () => startConsult();
    $("cancel").onclick = () => session.api("/api/v1/consults/" + state.consult.id + "/cancel", { method: "POST" }).then(() => finish(t("glasses.cancelled"))).catch(() => {});
    $("end").onclick = () => session.api("/api/v1/consults/" + state.consult.id + "/end", { method: "POST" }).catch(() => {}).then(() => finish(t("call.ended")));
    $("mute").onclick = () => {
      const muted = $("mute").dataset.text === "call.mute";
      state.call.setMuted(muted);
      $("mute").dataset.text = muted ? "call.unmute" : "call.mute";
      $("mute").setAttribute("aria-pressed", String(muted));
      i18n.apply($("call"));
    };
    $("photo").onclick = () => takePhoto().catch((e) => { window.Beeldzorg.ui.showProblem($("call"), e, $("photo-state")); });
    $("again").onclick = () => { setClient(""); $("question").value = ""; show("home"); };
    await session.init();
    if (session.token) { await signedIn(); } else { await showSignIn(); }
  }

  main().catch((e) => { document.body.insertAdjacentHTML("beforeend", "<p class='notice' role='alert'></p>"); window.Beeldzorg.ui.showProblem(document.body, e, document.body.lastChild); });
})();
