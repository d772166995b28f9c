// The consultant's app: sign in, an inbox that rings live, the call, the outcome form.
(function () {
  "use strict";
  const { i18n, session, Call, calls, ui } = window.Beeldzorg;
  const { when, fact } = ui;
  const t = i18n.t;
  const $ = (id) => document.getElementById(id);
  const ACTIVE = "beeldzorg.app.activeConsult";
  const CONSULTANTS = ["SO", "BA", "VS", "PA", "GZP"];
  const state = { inbox: new Map(), locations: new Map(), call: null, stream: null, consult: null, peerStates: {}, signalling: "connecting", poor: false, photos: [], stopEvents: null, ringer: null };
  window.beeldzorgApp = state;

  function show(section) {
    ["signin", "inbox", "call", "outcome"].forEach((id) => { $(id).hidden = id !== section; });
  }

  // Ringtone and vibration while anything rings for this consultant.
  function ring(on) {
    if (on && !state.ringer) {
      let audio = null;
      try { audio = new AudioContext(); } catch (e) { audio = null; }
      const beep = () => {
        if (navigator.vibrate) { navigator.vibrate([400, 200, 400]); }
        if (!audio || audio.state !== "running") { if (audio) { audio.resume().catch(() => {}); } return; }
        [0, 0.5].forEach((offset) => {
          const tone = audio.createOscillator();
          const gain = audio.createGain();
          tone.frequency.value = 880;
          gain.gain.value = 0.2;
          tone.connect(gain).connect(audio.destination);
          tone.start(audio.currentTime + offset);
          tone.stop(audio.currentTime + offset + 0.3);
        });
      };
      beep();
      state.ringer = { timer: setInterval(beep, 2500), audio };
    } else if (!on && state.ringer) {
      clearInterval(state.ringer.timer);
      if (state.ringer.audio) { state.ringer.audio.close().catch(() => {}); }
      if (navigator.vibrate) { navigator.vibrate(0); }
      state.ringer = null;
    }
  }

  function renderInbox() {
    const list = $("ringing");
    list.innerHTML = "";
    const items = Array.from(state.inbox.values()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    $("inbox-empty").hidden = items.length > 0;
    items.forEach((consult) => {
      const item = document.createElement("li");
      item.className = "card urgency-" + consult.urgency;
      item.dataset.consultId = consult.id;
      const location = state.locations.get(consult.locationId) || consult.locationId || "";
      item.innerHTML = "<p class='urgency'></p><dl>" +
        "<dt>" + t("inbox.from") + "</dt><dd class='from'></dd>" +
        "<dt>" + t("inbox.location") + "</dt><dd class='location'></dd>" +
        "<dt>" + t("inbox.client") + "</dt><dd class='client'></dd>" +
        "<dt>" + t("inbox.question") + "</dt><dd class='question'></dd></dl>" +
        "<div class='controls'><button type='button' class='big primary accept'></button>" +
        "<button type='button' class='big decline'></button></div>";
      item.querySelector(".urgency").textContent = t("urgency." + consult.urgency);
      item.querySelector(".from").textContent = ui.person(consult.requestedBy);
      item.querySelector(".location").textContent = location;
      item.querySelector(".client").textContent = consult.clientRef;
      item.querySelector(".question").textContent = consult.question || "–";
      const accept = item.querySelector(".accept");
      accept.textContent = t("inbox.accept");
      accept.setAttribute("aria-label", t("inbox.accept") + ": " + location);
      accept.onclick = () => acceptConsult(consult.id);
      const decline = item.querySelector(".decline");
      decline.textContent = t("inbox.decline");
      decline.onclick = () => declineConsult(consult.id);
      list.appendChild(item);
    });
    ring(items.length > 0 && !state.call);
  }

  async function syncInbox() {
    const ringing = await session.api("/api/v1/consults?state=RINGING");
    state.inbox = new Map(ringing.map((c) => [c.id, c]));
    renderInbox();
  }

  function onEvent(name, consult) {
    if (name === "consult.accepted" && state.askedExpert === consult.id) { expertAnswered(consult).catch(() => {}); return; }
    if (name === "consult.missed" && state.askedExpert === consult.id) { $("expert-result").textContent = t("expert.missed"); state.askedExpert = null; return; }
    if (name === "consult.scheduled" || name === "consult.cancelled") { loadBookings().catch(() => {}); }
    if (name === "consult.ringing" && consult.state === "RINGING") {
      state.inbox.set(consult.id, consult);
    } else {
      state.inbox.delete(consult.id);
    }
    if (name === "consult.ended" && state.consult && state.consult.id === consult.id) { finishCall(); }
    renderInbox();
  }

  // Written IMOZ questions for an SO: open ones any SO may take, and those taken by them.
  function renderQuestions() {
    const list = $("imoz-questions");
    list.innerHTML = "";
    const me = session.me() || {};
    const questions = (state.questions || []).filter((q) => q.state === "OPEN" || q.state === "CLAIMED");
    $("imoz-empty").hidden = questions.length > 0;
    questions.forEach((q) => {
      const item = document.createElement("li");
      item.className = "card question";
      item.dataset.questionId = q.id;
      const title = document.createElement("p");
      title.className = "urgency";
      title.textContent = t("imoz.state." + q.state) + (q.overdue ? " · " + t("imoz.overdue") : "");
      const facts = document.createElement("dl");
      fact(facts, t("ha.client"), q.clientRef + " · " + q.homeArea);
      fact(facts, t("ha.question"), q.question);
      fact(facts, t("imoz.due"), when(q.dueAt));
      item.append(title, facts);
      if (q.photos.length) {
        const thumbs = document.createElement("div");
        thumbs.className = "thumbs";
        q.photos.forEach((photo) => {
          const link = document.createElement("a");
          link.target = "_blank";
          const image = document.createElement("img");
          image.alt = t("imoz.photo");
          image.dataset.sha256 = photo.sha256;
          ui.pictureUrl(photo.href).then((url) => { image.src = url; link.href = url; }).catch(() => { image.alt = t("imoz.photoMissing"); });
          link.appendChild(image);
          thumbs.appendChild(link);
        });
        item.appendChild(thumbs);
      }
      const controls = document.createElement("div");
      controls.className = "controls";
      if (q.state === "OPEN") {
        const claim = document.createElement("button");
        claim.type = "button";
        claim.className = "big primary claim";
        claim.textContent = t("imoz.claim");
        claim.onclick = () => session.api("/api/v1/imoz/questions/" + q.id + "/claim", { method: "POST" })
          .then(loadQuestions).catch((e) => { if (e.code === "consult.already-accepted") { notice(t("imoz.taken")); } else { ui.showProblem($("inbox"), e, $("inbox-message")); } loadQuestions(); });
        controls.appendChild(claim);
      } else if (q.claimedBy === me.userId || q.answeredBy === me.userId || q.state === "CLAIMED") {
        const form = document.createElement("form");
        form.className = "answer-form";
        form.innerHTML = "<label></label><textarea name='answer' required maxlength='8000' rows='4'></textarea>" +
          "<label></label><select name='billingCode' required></select>" +
          "<div class='controls'><button type='submit' class='big primary'></button></div>";
        const labels = form.querySelectorAll("label");
        labels[0].textContent = t("imoz.answer");
        labels[1].textContent = t("imoz.billingCode");
        Object.entries(state.billingCodes || {}).forEach(([code, description]) => {
          const option = document.createElement("option");
          option.value = code;
          option.textContent = code + " · " + description;
          form.querySelector("select").appendChild(option);
        });
        form.querySelector("button").textContent = t("imoz.send");
        form.onsubmit = (event) => {
          event.preventDefault();
          const data = new FormData(form);
          session.api("/api/v1/imoz/questions/" + q.id + "/answer", { method: "POST", body: { answer: data.get("answer"), billingCode: data.get("billingCode") } })
            .then(() => { notice(t("imoz.answered")); return loadQuestions(); })
            .catch((e) => ui.showProblem(form, e, $("inbox-message")));
        };
        item.appendChild(form);
      }
      item.appendChild(controls);
      list.appendChild(item);
    });
  }

  async function loadQuestions() {
    state.questions = await session.api("/api/v1/imoz/questions");
    renderQuestions();
  }

  function renderBookings() {
    const list = $("bookings");
    list.innerHTML = "";
    const bookings = state.bookings || [];
    $("bookings-empty").hidden = bookings.length > 0;
    bookings.forEach((consult) => {
      const item = document.createElement("li");
      item.className = "card booking";
      item.dataset.consultId = consult.id;
      const facts = document.createElement("dl");
      fact(facts, t("bookings.at"), when(consult.scheduledAt));
      fact(facts, t("inbox.from"), consult.requestedBy.name || consult.requestedBy.userId);
      fact(facts, t("ha.client"), consult.clientRef);
      fact(facts, t("ha.question"), consult.question || "–");
      item.appendChild(facts);
      list.appendChild(item);
    });
  }

  async function loadBookings() {
    state.bookings = await session.api("/api/v1/consults?state=SCHEDULED");
    renderBookings();
  }

  // A consultant asks a colleague with an expertise; the call opens when one accepts.
  async function askExpert(event) {
    event.preventDefault();
    const form = new FormData($("expert-form"));
    const body = { kind: "EXPERT", expertise: form.get("expertise"), clientRef: form.get("clientRef"), urgency: "URGENT" };
    if (form.get("question")) { body.question = form.get("question"); }
    const result = $("expert-result");
    result.hidden = false;
    try {
      const consult = await session.api("/api/v1/consults", { method: "POST", headers: { "Idempotency-Key": crypto.randomUUID() }, body });
      state.askedExpert = consult.id;
      result.textContent = t("expert.ringing", { names: (consult.ringing || []).map((p) => p.name || p.userId).join(", ") });
    } catch (e) {
      ui.showProblem($("expert-form"), e, result);
    }
  }

  async function expertAnswered(consult) {
    state.askedExpert = null;
    $("expert-result").hidden = true;
    $("expert-form").reset();
    const mine = await session.api("/api/v1/consults/" + consult.id);
    if (mine.join) { await startCall(mine); }
  }

  function notice(text) {
    $("inbox-message").textContent = text;
    $("inbox-message").hidden = !text;
  }

  async function acceptConsult(id) {
    notice("");
    ring(false);
    try {
      const consult = await session.api("/api/v1/consults/" + id + "/accept", { method: "POST" });
      state.inbox.delete(id);
      await startCall(consult);
    } catch (e) {
      state.inbox.delete(id);
      renderInbox();
      if (e.code === "consult.already-accepted") { notice(t("inbox.alreadyTaken")); } else { ui.showProblem($("inbox"), e, $("inbox-message")); }
    }
  }

  async function declineConsult(id) {
    await session.api("/api/v1/consults/" + id + "/decline", { method: "POST" }).catch(() => {});
    state.inbox.delete(id);
    renderInbox();
  }

  function renderCallState() {
    $("call-state").textContent = t(calls.describe(state.peerStates, state.signalling, state.poor));
  }

  async function startCall(consult) {
    state.consult = consult;
    sessionStorage.setItem(ACTIVE, consult.id);
    show("call");
    renderCallState();
    try {
      state.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 360 } } });
    } catch (e) {
      state.stream = null;
      $("call-state").textContent = t("error.camera");
    }
    $("local-video").srcObject = state.stream;
    const config = session.config;
    const call = new Call({ consultId: consult.id, join: consult.join, stream: state.stream, iceTransportPolicy: config.iceTransportPolicy, maxVideoKbps: config.video.maxKbps });
    state.call = call;
    call.addEventListener("signalling", (e) => { state.signalling = e.detail.state; renderCallState(); });
    call.addEventListener("state", (e) => { state.peerStates[e.detail.peerId] = e.detail.state; renderCallState(); });
    call.addEventListener("peer", (e) => { state.peerStates[e.detail.peerId] = state.peerStates[e.detail.peerId] || "new"; renderCallState(); });
    call.addEventListener("peer-left", (e) => {
      delete state.peerStates[e.detail.peerId];
      calls.forget($("remote-audio"), e.detail.peerId);
      calls.forget($("remote-tiles"), e.detail.peerId);
      renderCallState();
    });
    call.addEventListener("quality", (e) => { state.poor = e.detail.poor; renderCallState(); });
    // The first other participant fills the picture (in a bedside consult: the glasses);
    // any further one gets a tile, and a tap on a tile swaps it into the picture.
    call.addEventListener("track", (e) => {
      const { peerId, stream } = e.detail;
      calls.hear($("remote-audio"), peerId, stream);
      const main = $("remote-video");
      if (!main.dataset.peer || main.dataset.peer === peerId) {
        main.dataset.peer = peerId;
        if (main.srcObject !== stream) { main.srcObject = stream; }
        return;
      }
      let tile = $("remote-tiles").querySelector("video[data-peer='" + peerId + "']");
      if (!tile) {
        tile = document.createElement("video");
        tile.autoplay = true;
        tile.playsInline = true;
        tile.muted = true;
        tile.dataset.peer = peerId;
        tile.onclick = () => {
          const previous = { peer: main.dataset.peer, stream: main.srcObject };
          main.dataset.peer = tile.dataset.peer;
          main.srcObject = tile.srcObject;
          tile.dataset.peer = previous.peer;
          tile.srcObject = previous.stream;
        };
        $("remote-tiles").appendChild(tile);
      }
      if (tile.srcObject !== stream) { tile.srcObject = stream; }
    });
    call.addEventListener("photo", (e) => addPhoto(e.detail));
    // Stepped care: the VS or PA who took the consult can bring in the SO.
    const me = session.me() || {};
    $("escalate").hidden = !(["VS", "PA"].includes(me.discipline) && consult.consultant && consult.consultant.userId === me.userId);
    call.addEventListener("ended", () => finishCall());
    call.start();
  }

  function addPhoto(photo) {
    state.photos.push({ sha256: photo.sha256, size: photo.blob.size, intact: photo.intact, blob: photo.blob, width: photo.meta.width, height: photo.meta.height });
    $("photos").hidden = false;
    const item = document.createElement("li");
    if (!photo.intact) {
      item.textContent = t("call.photoBroken");
    } else {
      const url = URL.createObjectURL(photo.blob);
      const image = document.createElement("img");
      image.src = url;
      image.alt = t("call.photoArrived") + " " + new Date(photo.meta.takenAt).toLocaleTimeString(i18n.language);
      const link = document.createElement("a");
      link.href = url;
      link.download = "beeldzorg-foto-" + photo.meta.takenAt.replace(/[:.]/g, "-") + ".jpg";
      link.textContent = t("call.downloadPhoto") + " (" + photo.meta.width + "×" + photo.meta.height + ")";
      item.append(image, link);
    }
    $("photo-list").prepend(item);
  }

  function finishCall() {
    if (!state.consult) { return; }
    if (state.call) { state.call.close(true); }
    if (state.stream) { state.stream.getTracks().forEach((track) => track.stop()); }
    state.call = null;
    state.peerStates = {};
    sessionStorage.removeItem(ACTIVE);
    $("remote-tiles").innerHTML = "";
    $("remote-audio").innerHTML = "";
    delete $("remote-video").dataset.peer;
    if ((session.me() || {}).discipline === "HUISARTS") {
      location.assign("/huisarts/");
      return;
    }
    if (!CONSULTANTS.includes((session.me() || {}).discipline)) {
      // Only the consultant records the outcome.
      backToInbox();
      return;
    }
    $("outcome-form").reset();
    $("outcome-form").hidden = false;
    $("outcome-result").hidden = true;
    show("outcome");
  }

  async function endCall() {
    const consult = state.consult;
    await session.api("/api/v1/consults/" + consult.id + "/end", { method: "POST" }).catch(() => {});
    finishCall();
  }

  async function saveOutcome(event) {
    event.preventDefault();
    const form = new FormData($("outcome-form"));
    const body = { resolution: form.get("resolution"), withoutVideo: form.get("withoutVideo") };
    if (form.get("handoverMinutes")) { body.handoverMinutes = Number(form.get("handoverMinutes")); }
    try {
      const saved = await session.api("/api/v1/consults/" + state.consult.id + "/outcome", { method: "PUT", body });
      $("outcome-result").textContent = t("outcome.saved", { minutes: saved.totals.minutesSaved });
      state.lastOutcome = saved;
    } catch (e) {
      ui.showProblem($("outcome-form"), e, $("outcome-result"));
    }
    $("outcome-result").hidden = false;
    $("outcome-form").hidden = true;
    setTimeout(backToInbox, 2500);
  }

  function backToInbox() {
    state.consult = null;
    show("inbox");
    syncInbox().catch(() => {});
  }

  // Available or not, and whether routing can reach this consultant (open app or push).
  async function showPresence(view) {
    const presence = view || await session.api("/api/v1/me/availability");
    $("available").checked = presence.available;
    i18n.set($("presence"), !presence.available ? "availability.away" : presence.present ? "availability.present" : "availability.unreachable");
    return presence;
  }

  function base64url(text) {
    const raw = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  // Web Push: a locked phone rings too. The key is the server's VAPID public key.
  async function enablePush() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) { return; }
    if (await Notification.requestPermission() !== "granted") { $("presence").textContent = t("push.denied"); return; }
    const registration = await navigator.serviceWorker.ready;
    const key = (await session.api("/api/v1/push/public-key")).publicKey;
    const subscription = await registration.pushManager.getSubscription()
      || await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64url(key) });
    await session.api("/api/v1/push/subscriptions", { method: "POST", body: subscription.toJSON() });
    $("notifications").dataset.text = "push.enabled";
    i18n.apply($("notifications").parentNode);
    await showPresence();
  }

  async function signedIn() {
    const me = session.me();
    i18n.live($("who"), () => ui.person(me, true));
    $("signout").hidden = false;
    const consultant = CONSULTANTS.includes(me.discipline);
    $("availability").hidden = !consultant;
    $("notifications").hidden = !consultant || !("PushManager" in window);
    show("inbox");
    $("imoz").hidden = me.discipline !== "SO";
    $("expert").hidden = !consultant;
    if (me.discipline === "SO") {
      state.billingCodes = await session.api("/api/v1/imoz/billing-codes").catch(() => ({}));
    }
    if (consultant) {
      const tags = await session.api("/api/v1/expertise-tags").catch(() => []);
      $("expert-tag").innerHTML = "";
      tags.forEach((tag) => {
        const option = document.createElement("option");
        option.value = tag;
        option.textContent = t("expertise." + tag) === "expertise." + tag ? tag : t("expertise." + tag);
        $("expert-tag").appendChild(option);
      });
    }
    // New written questions carry no live event: look again every half minute and when
    // the app comes back to the front.
    if (me.discipline === "SO") {
      setInterval(() => { if (!document.hidden && !state.call) { loadQuestions().catch(() => {}); } }, 30000);
      document.addEventListener("visibilitychange", () => { if (!document.hidden) { loadQuestions().catch(() => {}); } });
    }
    const locations = await session.api("/api/v1/locations").catch(() => []);
    locations.forEach((l) => state.locations.set(l.id, l.name));
    state.stopEvents = session.events(onEvent, () => {
      i18n.set($("live"), "inbox.live");
      if (consultant) {
        syncInbox().catch(() => {});
        showPresence().catch(() => {});
        loadBookings().catch(() => {});
      }
      if (me.discipline === "SO") { loadQuestions().catch(() => {}); }
    }, () => { i18n.set($("live"), "inbox.reconnecting"); });
    // Opened from a push notification's "Accept".
    const opened = new URLSearchParams(location.search);
    if (opened.get("consult") && opened.get("accept") === "1" && !sessionStorage.getItem(ACTIVE)) {
      history.replaceState(null, "", location.pathname);
      await acceptConsult(opened.get("consult"));
      return;
    }
    // A consult's link (a huisarts's IMOZ call, an invited district nurse): a party joins it.
    if (opened.get("consult") && !sessionStorage.getItem(ACTIVE)) {
      history.replaceState(null, "", location.pathname);
      const linked = await session.api("/api/v1/consults/" + opened.get("consult")).catch(() => null);
      if (linked && (linked.state === "ACTIVE" || linked.state === "RINGING") && linked.join) {
        await startCall(linked);
        return;
      }
    }
    // A reload in the middle of a call rejoins it (within the grace period the other
    // side keeps our place and renegotiates).
    const active = sessionStorage.getItem(ACTIVE);
    if (active) {
      const consult = await session.api("/api/v1/consults/" + active).catch(() => null);
      if (consult && consult.state === "ACTIVE" && consult.join) { await startCall(consult); } else { sessionStorage.removeItem(ACTIVE); }
    }
  }

  async function showSignIn() {
    show("signin");
    await window.Beeldzorg.ui.offerSignIn((u) => CONSULTANTS.includes(u.discipline));
  }


  // The service worker speaks the app's language in notifications.
  function rememberLanguage() {
    if (!("caches" in window)) { return; }
    caches.open("beeldzorg-settings").then((cache) => cache.put("/app/settings/language", new Response(i18n.language))).catch(() => {});
  }

  async function main() {
    i18n.apply();
    rememberLanguage();
    $("language").value = i18n.language;
    $("language").onchange = (e) => i18n.use(e.target.value);
    i18n.onChange(() => { rememberLanguage(); renderInbox(); renderCallState(); renderQuestions(); renderBookings(); });
    $("signin-button").onclick = () => session.signInDemo($("demo-user").value).then(signedIn);
    $("signin-oidc").onclick = () => session.signInOidc();
    $("signout").onclick = () => session.signOut();
    $("available").onchange = (e) => session.api("/api/v1/me/availability", { method: "PUT", body: { available: e.target.checked } })
      .then(showPresence).catch((err) => ui.showProblem($("inbox"), err, $("inbox-message")));
    $("notifications").onclick = () => enablePush().catch((err) => ui.showProblem($("inbox"), err, $("inbox-message")));
    $("end").onclick = () => endCall();
    $("escalate").onclick = () => session.api("/api/v1/consults/" + state.consult.id + "/escalate", { method: "POST" })
      .then(() => { $("call-state").textContent = t("call.escalated"); $("escalate").hidden = true; })
      .catch((err) => { ui.showProblem($("call"), err, $("call-state")); });
    $("mute").onclick = () => {
      const muted = $("mute").dataset.text === "call.mute";
      state.call.setMuted(muted);
      $("mute").dataset.text = muted ? "call.unmute" : "call.mute";
      $("mute").setAttribute("aria-pressed", String(muted));
      i18n.apply($("call"));
    };
    $("camera").onclick = () => {
      const off = $("camera").dataset.text === "call.cameraOff";
      state.call.setCamera(!off);
      $("camera").dataset.text = off ? "call.cameraOn" : "call.cameraOff";
      $("camera").setAttribute("aria-pressed", String(off));
      i18n.apply($("call"));
    };
    // The pointer: a tap on the nurse's picture marks that spot on her glasses.
    $("remote-video").addEventListener("click", (event) => {
      const point = calls.normalise($("remote-video"), event.clientX, event.clientY);
      if (!point || !state.call) { return; }
      state.call.sendPointer(point.x, point.y);
      state.lastPointer = point;
      const tap = $("tap");
      tap.style.left = (event.clientX - $("remote-video").getBoundingClientRect().left) + "px";
      tap.style.top = (event.clientY - $("remote-video").getBoundingClientRect().top) + "px";
      tap.hidden = false;
      setTimeout(() => { tap.hidden = true; }, 1500);
    });
    $("outcome-form").addEventListener("submit", saveOutcome);
    $("expert-form").addEventListener("submit", askExpert);
    $("outcome-skip").onclick = backToInbox;
    if ("serviceWorker" in navigator) { navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch(() => {}); }
    await session.init();
    if (session.token) { await signedIn(); } else { await showSignIn(); }
  }

  main().catch((e) => { document.body.insertAdjacentHTML("beforeend", "<p class='notice' role='alert'></p>"); ui.showProblem(document.body, e, document.body.lastChild); });
})();
