// The glasses page: a nurse at the bedside starts a consult hands free and shows the
// consultant what she sees through the glasses' world camera. One screen at a time, each
// fitting the glasses' view: the location, then the client (with urgency and question)
// and "Start consult", then the call, then what happened.
(function () {
  "use strict";
  const { i18n, session, ui, Call, calls, glassesDevice } = window.Beeldzorg;
  const t = i18n.t;
  const $ = (id) => document.getElementById(id);
  const ACTIVE = "beeldzorg.glasses.activeConsult";
  const LOCATIONS_PER_SCREEN = 6;
  const state = {
    location: null, locations: [], locationPage: 0, urgency: "URGENT", clientRef: "", consult: null, call: null, stream: null,
    peerStates: {}, signalling: "connecting", poor: false, lastPointer: null, lastPhoto: null, stopEvents: null,
    scanning: null, declined: null, noAnswer: false, muted: false, incoming: null, zoom: null
  };
  window.beeldzorgGlasses = state;

  // Shows one screen; the view starts at its top (nothing is ever scrolled to).
  function show(section) {
    ["signin", "home", "client-step", "call", "done", "incoming"].forEach((id) => { $(id).hidden = id !== section; });
    document.body.classList.toggle("in-call", section === "call");
    window.scrollTo(0, 0);
    if (document.scrollingElement) { document.scrollingElement.scrollTop = 0; }
  }

  function message(id, text, kind) {
    $(id).textContent = text || "";
    $(id).hidden = !text;
    $(id).classList.toggle("problem", kind === "problem");
  }

  function select(container, attribute, value) {
    container.querySelectorAll("button").forEach((b) => b.setAttribute("aria-checked", String(b.dataset[attribute] === value)));
  }

  function locationName(id) {
    const found = state.locations.find((l) => l.id === id);
    return found ? found.name : "";
  }

  async function loadLocations() {
    // In the glasses app: glasses an ADMIN paired with a ward offer only its locations.
    const app = window.BeeldzorgApp;
    const device = app && app.deviceId ? app.deviceId() : null;
    state.locations = await session.api("/api/v1/locations" + (device ? "?glasses=" + encodeURIComponent(device) : ""));
    state.locationPage = 0;
    renderLocations();
    await showPairing(device);
    if (state.locations.length === 1) { state.location = state.locations[0].id; }
  }

  // Glasses the institution has not paired say so, with their id as text and QR code, for
  // an ADMIN to pair them in the app; paired glasses show nothing of it.
  async function showPairing(device) {
    state.pairing = device ? await session.api("/api/v1/glasses/pairing?deviceId=" + encodeURIComponent(device)).catch(() => null) : null;
    const unpaired = !!(state.pairing && !state.pairing.paired);
    $("unpaired").hidden = !unpaired;
    if (unpaired) {
      $("device-id").textContent = device;
      drawQr($("device-id-qr"), device);
    }
  }

  // A screen of locations at a time; "Meer locaties" shows the next ones.
  function renderLocations() {
    const box = $("locations");
    box.innerHTML = "";
    const first = state.locationPage * LOCATIONS_PER_SCREEN;
    state.locations.slice(first, first + LOCATIONS_PER_SCREEN).forEach((l) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "g-button";
      button.setAttribute("role", "radio");
      button.dataset.location = l.id;
      button.textContent = l.name;
      button.onclick = () => chooseLocation(l.id);
      box.appendChild(button);
    });
    select(box, "location", state.location);
    $("more-locations").hidden = state.locations.length <= LOCATIONS_PER_SCREEN;
    $("scan-location").hidden = !glassesDevice.barcode.available();
  }

  // "SCANNEN": the glasses' own barcode app reads the ward's or room's label, which holds
  // a location id; only these glasses' locations count.
  async function scanLocation() {
    message("location-message", "");
    const result = await glassesDevice.barcode.scan();
    if (result.cancelled) { return; }
    const text = typeof result.text === "string" ? result.text.trim() : "";
    if (!text) {
      message("location-message", t("glasses.scanUnreadable"), "problem");
      return;
    }
    const found = state.locations.find((l) => l.id.toLowerCase() === text.toLowerCase());
    if (!found) {
      message("location-message", t("glasses.scanNotALocation"), "problem");
      return;
    }
    chooseLocation(found.id);
  }

  function chooseLocation(id) {
    state.location = id;
    select($("locations"), "location", id);
    showClientStep();
  }

  function showClientStep() {
    $("location-shown").textContent = locationName(state.location);
    $("other-location").hidden = state.locations.length <= 1;
    show("client-step");
  }

  function showStart() {
    if (state.location && state.locations.length === 1) { showClientStep(); } else { show("home"); }
  }

  // The client's QR code through the camera: the browser's BarcodeDetector where it has
  // one, jsQR otherwise. Stops at the first code, after 30 s, or on "Stop scannen".
  async function scan() {
    if (state.scanning) { return; }
    const scanning = { stopped: false };
    state.scanning = scanning;
    $("scanner").hidden = false;
    $("scan").hidden = true;
    $("stop-scan").hidden = false;
    message("home-message", "");
    try {
      const text = await ui.readQrCode($("scan-video"), scanning);
      if (text) { setClient(text, true); }
    } catch (e) {
      message("home-message", t("error.camera"), "problem");
    } finally {
      stopScanning();
    }
  }

  function stopScanning() {
    if (state.scanning) { state.scanning.stopped = true; }
    state.scanning = null;
    $("scanner").hidden = true;
    $("scan").hidden = false;
    $("stop-scan").hidden = true;
  }

  function setClient(value, scanned) {
    state.clientRef = value;
    if (scanned || $("client-ref").value.trim() !== value) { $("client-ref").value = value; }
    $("client-shown").textContent = value && scanned ? t("glasses.scanned") + ": " + value : "";
  }

  async function openCamera() {
    const video = session.config.video;
    return navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { facingMode: { ideal: "environment" }, width: { ideal: video.width }, height: { ideal: video.height } }
    });
  }

  // What to do when nobody can be rung: guidance with the fallback number, not an error.
  function nobodyAvailable(problem) {
    const body = problem.body || {};
    return body.fallbackPhone ? t("glasses.noConsultant", { fallback: body.fallbackPhone }) : t("glasses.noConsultantNoNumber");
  }

  async function startConsult() {
    stopScanning();
    const input = $("client-ref");
    const clientRef = (input.value || state.clientRef).trim();
    if (!state.location) { show("home"); return; }
    if (!clientRef) { message("home-message", t("glasses.needClient"), "problem"); return; }
    if (!input.checkValidity()) { message("home-message", t("glasses.clientInvalid"), "problem"); return; }
    message("home-message", "");
    try {
      state.stream = await openCamera();
    } catch (e) {
      message("home-message", t("error.camera"), "problem");
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
      if (e.code === "consult.no-consultant-available") {
        message("home-message", nobodyAvailable(e));
      } else {
        window.Beeldzorg.ui.showProblem($("client-step"), e, $("home-message"));
      }
    }
  }

  function who(party) {
    return party.discipline ? (party.name || "") + " (" + window.Beeldzorg.ui.role(party.discipline, true) + ")" : party.name || "";
  }

  function renderCallState() {
    const consult = state.consult;
    if (!consult) { return; }
    if (consult.state === "RINGING") {
      const names = consult.ringing.map(who).join(", ");
      const ringing = t("glasses.ringing", { names });
      if (state.declined) {
        $("call-state").textContent = t("glasses.declined", { name: who(state.declined.declinedBy) }) + " " + ringing;
      } else {
        $("call-state").textContent = state.noAnswer ? t("glasses.noAnswerNext", { names }) : ringing;
      }
    } else {
      const words = t(calls.describe(state.peerStates, state.signalling, state.poor));
      $("call-state").textContent = consult.consultant ? t("glasses.accepted", { name: consult.consultant.name || "" }) + " · " + words : words;
    }
    $("cancel").hidden = consult.state !== "RINGING";
    $("end").hidden = consult.state !== "ACTIVE";
    $("photo").dataset.ready = String(connected());
  }

  // Someone is there to receive a photo: a consultant whose data channel is open.
  function connected() {
    return Boolean(state.call && state.consult && state.consult.state === "ACTIVE" && state.call.openChannels().length > 0);
  }

  function setMuted(muted) {
    state.muted = muted;
    if (state.call) { state.call.setMuted(muted); }
    $("mute").dataset.text = muted ? "glasses.micOn" : "glasses.micOff";
    $("mute").setAttribute("aria-pressed", String(muted));
    $("mute").textContent = t($("mute").dataset.text);
  }

  // The nurse joins the room at once; the consultant joins on accepting and offers.
  // Nothing of the previous consult's screen carries over.
  function enterCall(consult) {
    state.consult = consult;
    state.peerStates = {};
    state.declined = null;
    state.noAnswer = false;
    state.lastPointer = null;
    $("photo-state").textContent = "";
    $("marker").hidden = true;
    $("remote-video").srcObject = null;
    calls.showRecording($("recording-badge"), null, false, t);
    $("recording-said").textContent = "";
    sessionStorage.setItem(ACTIVE, consult.id);
    show("call");
    $("local-video").srcObject = state.stream;
    setUpZoom();
    const config = session.config;
    const call = new Call({ consultId: consult.id, join: consult.join, stream: state.stream, iceTransportPolicy: config.iceTransportPolicy, maxVideoKbps: config.video.maxKbps });
    state.call = call;
    setMuted(false);
    call.addEventListener("signalling", (e) => { state.signalling = e.detail.state; renderCallState(); });
    call.addEventListener("state", (e) => { state.peerStates[e.detail.peerId] = e.detail.state; renderCallState(); });
    call.addEventListener("peer", (e) => { state.peerStates[e.detail.peerId] = state.peerStates[e.detail.peerId] || "new"; renderCallState(); });
    call.addEventListener("peer-left", (e) => { delete state.peerStates[e.detail.peerId]; calls.forget($("remote-audio"), e.detail.peerId); renderCallState(); });
    call.addEventListener("channel", () => renderCallState());
    call.addEventListener("quality", (e) => { state.poor = e.detail.poor; renderCallState(); });
    call.addEventListener("track", (e) => {
      calls.hear($("remote-audio"), e.detail.peerId, e.detail.stream);
      if ($("remote-video").srcObject !== e.detail.stream) { $("remote-video").srcObject = e.detail.stream; }
    });
    call.addEventListener("pointer", (e) => showPointer(e.detail.x, e.detail.y));
    call.addEventListener("recording", (e) => calls.showRecording($("recording-badge"), $("recording-said"), e.detail.state === "started", t));
    // The room closes for a cancelled or missed consult too: ask what happened rather
    // than say "ended" of a call that never began.
    call.addEventListener("ended", () => {
      if (state.consult && state.consult.state === "RINGING") { resync(); } else { finish(t("call.ended")); }
    });
    call.start();
    renderCallState();
  }

  // "INZOOMEN"/"UITZOOMEN" zoom the camera track the consultant sees (a new consult
  // starts wide); offered only where the track zooms.
  function setUpZoom() {
    const track = state.stream ? state.stream.getVideoTracks()[0] : null;
    state.zoom = glassesDevice.zoom(track);
    $("zoom").hidden = !state.zoom;
    if (state.zoom && state.zoom.level !== state.zoom.min) { state.zoom.to(state.zoom.min).then(renderZoom, renderZoom); }
    renderZoom();
  }

  function renderZoom() {
    $("zoom-level").textContent = state.zoom ? t("glasses.zoomLevel", { level: String(state.zoom.level).replace(".", i18n.language === "nl" ? "," : ".") }) : "";
  }

  function zoom(direction) {
    if (!state.zoom) { return; }
    (direction > 0 ? state.zoom.in() : state.zoom.out()).catch(() => {}).then(renderZoom);
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

  // "Foto verstuurd" only when a consultant received the offer of it; while it still
  // rings there is nobody to send it to, and the nurse hears so.
  async function takePhoto() {
    if (!connected()) {
      $("photo-state").textContent = t("glasses.photoNobody");
      return;
    }
    const photo = await capture();
    const sent = await state.call.sendPhoto(photo.blob, photo.width, photo.height);
    if (!sent.peers) {
      $("photo-state").textContent = t("glasses.photoNobody");
      return;
    }
    state.lastPhoto = { blob: photo.blob, sha256: sent.sha256, size: sent.size, peers: sent.peers };
    $("photo-state").textContent = t("glasses.photoSent") + " (" + photo.width + "×" + photo.height + ")";
  }

  function finish(text) {
    if (state.call) { state.call.close(true); }
    if (state.stream) { state.stream.getTracks().forEach((track) => track.stop()); }
    state.call = null;
    state.consult = null;
    state.zoom = null;
    state.peerStates = {};
    state.declined = null;
    state.noAnswer = false;
    $("photo-state").textContent = "";
    $("remote-video").srcObject = null;
    $("local-video").srcObject = null;
    sessionStorage.removeItem(ACTIVE);
    $("done-message").textContent = text;
    show("done");
  }

  function missedText(consult) {
    const fallback = consult.fallback || {};
    const declined = state.declined;
    let text;
    if (declined) {
      text = fallback.phone ? t("glasses.declinedNobodyLeft", { name: who(declined.declinedBy), fallback: fallback.phone })
        : t("glasses.declinedNobodyLeftNoNumber", { name: who(declined.declinedBy) });
    } else {
      text = fallback.phone ? t("glasses.missed", { fallback: fallback.phone }) : t("glasses.missedNoNumber");
    }
    return fallback.instructions ? text.replace(/\.?$/, ". ") + fallback.instructions : text;
  }

  // The SO calls the ward's glasses back (only on a stream opened with ?glasses=): the
  // call fills the view until the nurse answers or declines, a colleague answers on other
  // glasses, or the SO hangs up.
  function onCallBack(name, consult) {
    if (name === "consult.ringing") {
      if (state.consult || state.incoming) { return; }
      state.incoming = consult;
      $("incoming-who").textContent = t("glasses.incoming", { name: consult.consultant ? who(consult.consultant) : "", location: locationName(consult.locationId) || consult.locationId || "" });
      show("incoming");
      $("answer").focus();
    } else if (state.incoming && consult.id === state.incoming.id && (name === "consult.accepted" || name === "consult.ended")) {
      state.incoming = null;
      message("home-message", t(name === "consult.ended" ? "call.ended" : "glasses.answeredElsewhere"));
      showStart();
    }
  }

  async function answerCallBack() {
    const incoming = state.incoming;
    if (!incoming) { return; }
    try {
      state.stream = await openCamera();
    } catch (e) {
      message("incoming-who", t("error.camera"), "problem");
      return;
    }
    try {
      const consult = await session.api("/api/v1/consults/" + incoming.id + "/accept", { method: "POST" });
      state.incoming = null;
      enterCall(consult);
    } catch (e) {
      state.stream.getTracks().forEach((track) => track.stop());
      state.incoming = null;
      showStart();
      window.Beeldzorg.ui.showProblem($("home"), e, $("home-message"));
    }
  }

  // The glasses app brings the page up for a call-back its service heard (the page's
  // own stream may have slept with the screen): ring it if it still waits for a nurse.
  async function ringCallBack(id) {
    if (state.consult || state.incoming || !/^[0-9a-f-]{36}$/i.test(id || "")) { return; }
    const consult = await session.api("/api/v1/consults/" + id).catch(() => null);
    if (consult && consult.state === "ACTIVE") { onCallBack("consult.ringing", consult); }
  }
  state.ring = ringCallBack;

  // "WEIGEREN": the SO who called back hears it; the ward's other glasses keep ringing.
  function rejectCallBack() {
    if (state.incoming) { session.api("/api/v1/consults/" + state.incoming.id + "/decline", { method: "POST" }).catch(() => {}); }
    state.incoming = null;
    message("home-message", t("glasses.rejected"));
    showStart();
  }

  function onEvent(name, consult) {
    if (consult.callBackOf && !(state.consult && consult.id === state.consult.id)) { onCallBack(name, consult); return; }
    if (!state.consult || consult.id !== state.consult.id) { return; }
    if (name === "consult.declined") {
      state.declined = { declinedBy: consult.declinedBy, next: consult.next };
      state.noAnswer = false;
    } else if (name === "consult.escalated" && !(state.declined && state.declined.next === "NEXT_STAGE_RINGS")) {
      state.declined = null;
      state.noAnswer = true;
    }
    state.consult = Object.assign(consult, { join: state.consult.join });
    if (consult.state === "MISSED") {
      finish(missedText(consult));
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
    await loadLocations();
    showStart();
    const app = window.BeeldzorgApp;
    const device = app && app.deviceId ? app.deviceId() : null;
    state.stopEvents = session.events(onEvent, () => { state.eventsOpen = true; resync(); }, () => { state.eventsOpen = false; }, device ? "?glasses=" + encodeURIComponent(device) : "");
    const callBack = new URLSearchParams(location.search).get("callBack");
    if (callBack) { await ringCallBack(callBack); }
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
    $("signin-button").hidden = $("signin-demo").hidden;
    const signIn = session.config.signIn;
    if (signIn.device && signIn.kind === "oidc") {
      // Production: the code at once; signing in here with a keyboard stays possible.
      $("signin-oidc").hidden = false;
      $("signin-oidc").classList.remove("primary");
      deviceSignIn();
    } else if (signIn.device) {
      $("device-start").hidden = false;
    }
  }

  // The Device Authorization Grant: the code large, its QR code beside it (the phone's
  // camera opens the approval page with the code filled in), and waiting until approved.
  let deviceStop = null;
  async function deviceSignIn() {
    if (deviceStop) { deviceStop.abort(); }
    const stop = new AbortController();
    deviceStop = stop;
    $("signin-demo").hidden = true;
    $("signin-button").hidden = true;
    $("device-start").hidden = true;
    $("device-new").hidden = false;
    $("signin-device").hidden = false;
    $("device-code").textContent = "";
    i18n.set($("device-state"), "device.waiting");
    try {
      await session.signInDevice((code) => {
        $("device-code").textContent = code.userCode;
        i18n.set($("device-instructions"), "device.instructions", { uri: code.verificationUri });
        drawQr($("device-qr"), code.verificationUriComplete);
      }, stop.signal);
      deviceStop = null;
      $("signin-device").hidden = true;
      $("device-new").hidden = true;
      await signedIn();
    } catch (e) {
      if (e.name === "AbortError") { return; }
      const key = { expired_token: "device.expired", access_denied: "device.denied" }[e.code] || "device.failed";
      i18n.set($("device-state"), key);
    }
  }

  function drawQr(canvas, text) {
    const qr = window.qrcode(0, "M");
    qr.addData(text);
    qr.make();
    const modules = qr.getModuleCount();
    const cell = Math.floor(canvas.width / (modules + 8));
    const offset = Math.floor((canvas.width - cell * modules) / 2);
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = "#000000";
    for (let row = 0; row < modules; row++) {
      for (let col = 0; col < modules; col++) {
        if (qr.isDark(row, col)) { context.fillRect(offset + col * cell, offset + row * cell, cell, cell); }
      }
    }
    canvas.dataset.text = text;
  }

  // Languages as buttons whose names are their voice commands ("Nederlands", "English").
  function useLanguage(language) {
    i18n.use(language);
    document.querySelectorAll(".g-languages button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === i18n.language)));
    $("mute").textContent = t($("mute").dataset.text);
    if (state.clientRef && $("client-shown").textContent) { setClient(state.clientRef, true); }
    renderCallState();
  }

  async function main() {
    i18n.apply();
    document.querySelectorAll(".g-languages button").forEach((b) => { b.onclick = () => useLanguage(b.dataset.lang); });
    useLanguage(i18n.language);
    $("signin-button").onclick = () => session.signInDemo($("demo-user").value).then(signedIn);
    $("signin-oidc").onclick = () => { if (deviceStop) { deviceStop.abort(); } session.signInOidc(); };
    $("device-start").onclick = () => deviceSignIn();
    $("device-new").onclick = () => deviceSignIn();
    $("scan-location").onclick = () => scanLocation();
    $("zoom-in").onclick = () => zoom(1);
    $("zoom-out").onclick = () => zoom(-1);
    $("more-locations").onclick = () => {
      state.locationPage = (state.locationPage + 1) * LOCATIONS_PER_SCREEN < state.locations.length ? state.locationPage + 1 : 0;
      renderLocations();
    };
    $("other-location").onclick = () => { stopScanning(); message("home-message", ""); message("location-message", ""); show("home"); };
    $("scan").onclick = () => scan();
    $("stop-scan").onclick = () => stopScanning();
    $("client-ref").oninput = (e) => setClient(e.target.value.trim(), false);
    $("urgencies").querySelectorAll("button").forEach((b) => {
      b.setAttribute("role", "radio");
      b.onclick = () => { state.urgency = b.dataset.urgency; select($("urgencies"), "urgency", state.urgency); };
    });
    select($("urgencies"), "urgency", state.urgency);
    $("start").onclick = () => startConsult();
    $("cancel").onclick = () => session.api("/api/v1/consults/" + state.consult.id + "/cancel", { method: "POST" }).then(() => finish(t("glasses.cancelled"))).catch(() => {});
    $("end").onclick = () => session.api("/api/v1/consults/" + state.consult.id + "/end", { method: "POST" }).catch(() => {}).then(() => finish(t("call.ended")));
    $("mute").onclick = () => setMuted(!state.muted);
    $("answer").onclick = () => answerCallBack();
    $("reject").onclick = () => rejectCallBack();
    $("photo").onclick = () => takePhoto().catch((e) => { window.Beeldzorg.ui.showProblem($("call"), e, $("photo-state")); });
    $("again").onclick = () => {
      setClient("", false);
      $("question").value = "";
      message("home-message", "");
      state.urgency = "URGENT";
      select($("urgencies"), "urgency", state.urgency);
      showStart();
    };
    await session.init();
    if (session.token) { await signedIn(); } else { await showSignIn(); }
  }

  main().catch((e) => { document.body.insertAdjacentHTML("beforeend", "<p class='g-message problem' role='alert'></p>"); window.Beeldzorg.ui.showProblem(document.body, e, document.body.lastChild); });
})();
