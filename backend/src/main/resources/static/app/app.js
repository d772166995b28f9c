// The consultant's app: sign in, an inbox that rings live, the call, the outcome form.
(function () {
  "use strict";
  const { i18n, session, Call, calls, ui } = window.Beeldzorg;
  const { when, fact } = ui;
  const t = i18n.t;
  const $ = (id) => document.getElementById(id);
  const ACTIVE = "beeldzorg.app.activeConsult";
  const CONSULTANTS = ["SO", "BA", "VS", "PA", "GZP"];
  const state = { inbox: new Map(), locations: new Map(), call: null, stream: null, consult: null, peerStates: {}, signalling: "connecting", poor: false, photos: [], refusedPhotos: [], stopEvents: null, ringer: null };
  window.beeldzorgApp = state;

  function show(section) {
    ["signin", "inbox", "call", "outcome"].forEach((id) => { $(id).hidden = id !== section; });
    // An ADMIN's glasses pairing sits under the inbox (alone for an ADMIN who takes no calls).
    $("glasses-admin").hidden = !(state.admin && section === "inbox");
    // In a call the header folds away: the picture gets the screen.
    document.body.classList.toggle("in-call", section === "call");
    window.scrollTo(0, 0);
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
      // A huisarts's IMOZ consult is about a patient at home: the postcode area, not a location.
      if (consult.kind === "IMOZ") {
        item.querySelector(".location").previousElementSibling.textContent = t("imozlive.homeArea");
        item.querySelector(".location").textContent = consult.homeArea || "–";
      }
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
    if (name.startsWith("imoz.question.")) { onQuestionEvent(name, consult); return; }
    if (name === "consult.accepted" && state.askedExpert === consult.id) { expertAnswered(consult).catch(() => {}); return; }
    if (name === "consult.missed" && state.askedExpert === consult.id) { $("expert-result").textContent = t("expert.missed"); state.askedExpert = null; return; }
    if (name === "consult.scheduled" || name === "consult.cancelled") { loadBookings().catch(() => {}); }
    if (name === "consult.ringing" && consult.state === "RINGING") {
      state.inbox.set(consult.id, consult);
    } else {
      state.inbox.delete(consult.id);
    }
    if (name === "consult.ended" && state.consult && state.consult.id === consult.id) { finishCall(); }
    // A nurse said "WEIGEREN" on the ward's glasses we call back (others may still answer).
    if (name === "consult.declined" && state.consult && state.consult.id === consult.id && consult.declinedBy) {
      $("call-state").textContent = t("app.callBackDeclined", { name: ui.person(consult.declinedBy) });
    }
    if (name === "consult.outcome-pending") { loadFollowUps().then(() => notice(t("callview.pendingReminder", { count: state.pending.length }))).catch(() => {}); }
    if (["consult.missed", "consult.cancelled", "consult.accepted", "consult.escalated"].includes(name)) { loadFollowUps().catch(() => {}); }
    renderInbox();
  }

  // A long text (question, answer) takes the card's full width on a phone.
  function wide(dd) { dd.classList.add("long"); dd.previousElementSibling.classList.add("long"); return dd; }

  // Written IMOZ questions for an SO: open ones any SO may take, and those taken by them.
  function renderQuestions() {
    const list = $("imoz-questions");
    // Questions now arrive while the SO writes an answer: keep what she typed. Drafts are
    // kept as she types (input events), not read back from the forms at a re-render: a
    // keystroke that lands in a form just replaced would otherwise be lost at the next one.
    const drafts = state.answerDrafts = state.answerDrafts || {};
    let focused = null;
    list.querySelectorAll("form.answer-form").forEach((f) => {
      const id = f.closest("li").dataset.questionId;
      if (f.contains(document.activeElement)) { focused = { id, name: document.activeElement.name }; }
    });
    // A card whose question did not change is kept as it is, not drawn again: the same
    // question often comes twice (the list read after a tap and the live event), and a
    // card replaced between her finger going down and up swallows the SO's tap on "Send".
    const existing = new Map();
    Array.from(list.children).forEach((card) => existing.set(card.dataset.questionId, card));
    const cards = [];
    const me = session.me() || {};
    const questions = (state.questions || []).filter((q) => q.state === "OPEN" || q.state === "CLAIMED");
    $("imoz-empty").hidden = questions.length > 0;
    renderHistory(me);
    questions.forEach((q) => {
      const fresh = Boolean(state.freshQuestions && state.freshQuestions.has(q.id));
      const signature = JSON.stringify([q, me.userId, document.documentElement.lang, Object.keys(state.billingCodes || {})]);
      const kept = existing.get(q.id);
      if (kept && kept.dataset.signature === signature) {
        kept.classList.toggle("fresh", fresh);
        cards.push(kept);
        return;
      }
      const item = document.createElement("li");
      item.className = "card question" + (fresh ? " fresh" : "");
      item.dataset.questionId = q.id;
      item.dataset.signature = signature;
      const title = document.createElement("p");
      title.className = "urgency";
      title.textContent = t("imoz.state." + q.state) + (q.overdue ? " · " + t("imoz.overdue") : "");
      const facts = document.createElement("dl");
      fact(facts, t("inbox.from"), q.askedByName || q.askedBy);
      fact(facts, t("ha.client"), q.clientRef + " · " + q.homeArea);
      wide(fact(facts, t("ha.question"), q.question));
      fact(facts, t("imoz.due"), when(q.dueAt));
      if (q.state === "CLAIMED" && q.claimedAt) { fact(facts, t("imozlive.claimedAt"), when(q.claimedAt)); }
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
        if (drafts[q.id]) {
          form.elements.answer.value = drafts[q.id].answer;
          if (drafts[q.id].billingCode) { form.elements.billingCode.value = drafts[q.id].billingCode; }
        }
        form.addEventListener("input", () => {
          drafts[q.id] = { answer: form.elements.answer.value, billingCode: form.elements.billingCode.value };
        });
        if (focused && focused.id === q.id && form.elements[focused.name]) { setTimeout(() => form.elements[focused.name].focus(), 0); }
        form.onsubmit = (event) => {
          event.preventDefault();
          const data = new FormData(form);
          session.api("/api/v1/imoz/questions/" + q.id + "/answer", { method: "POST", body: { answer: data.get("answer"), billingCode: data.get("billingCode") } })
            .then(() => { delete drafts[q.id]; notice(t("imoz.answered")); return loadQuestions(); })
            .catch((e) => ui.showProblem(form, e, $("inbox-message")));
        };
        item.appendChild(form);
      }
      item.appendChild(controls);
      cards.push(item);
    });
    // Cards already in their place are not touched (moving one would take its focus).
    cards.forEach((card, index) => {
      if (list.children[index] !== card) { list.insertBefore(card, list.children[index] || null); }
    });
    while (list.children.length > cards.length) { list.lastElementChild.remove(); }
  }

  async function loadQuestions() {
    state.questions = await session.api("/api/v1/imoz/questions");
    renderQuestions();
  }

  // The SO's own answered questions, newest first: what she wrote, to whom, when.
  function renderHistory(me) {
    const list = $("imoz-history");
    list.innerHTML = "";
    const answered = (state.questions || [])
      .filter((q) => q.state === "ANSWERED" && (q.answerer ? q.answerer.userId : q.answeredBy) === me.userId)
      .sort((a, b) => (b.answeredAt || "").localeCompare(a.answeredAt || ""))
      .slice(0, 10);
    $("imoz-history-title").hidden = answered.length === 0;
    answered.forEach((q) => {
      const item = document.createElement("li");
      item.className = "card question answered";
      item.dataset.questionId = q.id;
      const title = document.createElement("p");
      title.className = "urgency";
      title.textContent = t("imoz.state.ANSWERED") + " · " + when(q.answeredAt);
      const facts = document.createElement("dl");
      fact(facts, t("inbox.from"), q.askedByName || q.askedBy);
      fact(facts, t("ha.client"), q.clientRef + " · " + q.homeArea);
      wide(fact(facts, t("ha.question"), q.question));
      wide(fact(facts, t("imoz.answer"), q.answer || "")).classList.add("answer");
      fact(facts, t("imoz.billingCode"), q.billingCode || "");
      item.append(title, facts);
      list.appendChild(item);
    });
  }

  // Live: a new question appears at once; one a colleague took or the huisarts withdrew
  // leaves the list (such an event carries only its id and state).
  function onQuestionEvent(name, q) {
    const me = session.me() || {};
    if (me.discipline !== "SO") { return; }
    const questions = (state.questions || []).filter((other) => other.id !== q.id);
    const mine = q.claimant && q.claimant.userId === me.userId;
    if (q.clientRef && (q.state === "OPEN" || mine)) { questions.push(q); }
    questions.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    state.questions = questions;
    if (name === "imoz.question.created") {
      state.freshQuestions = state.freshQuestions || new Set();
      state.freshQuestions.add(q.id);
      setTimeout(() => {
        state.freshQuestions.delete(q.id);
        const card = document.querySelector("#imoz-questions [data-question-id='" + q.id + "']");
        if (card) { card.classList.remove("fresh"); }
      }, 8000);
      if (navigator.vibrate) { navigator.vibrate(200); }
    }
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
      if (consult.bookedWith) { fact(facts, t("imozlive.so"), consult.bookedWith.name || consult.bookedWith.userId).className = "so"; }
      fact(facts, t("inbox.from"), consult.requestedBy.name || consult.requestedBy.userId);
      fact(facts, t("ha.client"), consult.clientRef);
      wide(fact(facts, t("ha.question"), consult.question || "–"));
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

  // "Bel de bril terug": a new consult, ours at once, rings the ward's paired glasses;
  // we wait in the call for the nurse who answers on them.
  async function callBack() {
    const consult = state.consult;
    if (!consult) { return; }
    $("call-back-message").hidden = true;
    try {
      const view = await session.api("/api/v1/consults/" + consult.id + "/call-back", { method: "POST" });
      await startCall(view);
      $("call-state").textContent = t("app.callingBack", { location: state.locations.get(view.locationId) || view.locationId });
    } catch (e) {
      ui.showProblem($("outcome"), e, $("call-back-message"));
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

  // Who is on this screen shapes it: the huisarts sees a GP's call (no pointer, the
  // district-nurse invite), a consultant points at the nurse's picture.
  function prepareCallScreen(consult) {
    const me = session.me() || {};
    const gp = me.discipline === "HUISARTS";
    state.gp = gp;
    document.title = t(gp ? "callview.gpTitle" : (state.titleKey || "app.title"));
    $("tap-hint").hidden = gp;
    $("invite-open").hidden = !(gp && consult.kind === "IMOZ");
    $("invite-form").hidden = true;
    $("invite-result").hidden = true;
    state.photos = [];
    state.refusedPhotos = [];
    state.endingMyself = false;
    $("photo-list").innerHTML = "";
    $("photo-refused").hidden = true;
    $("photos").hidden = true;
    $("photos-open").hidden = true;
    $("call").classList.remove("drawer-open");
    $("recording-form").hidden = true;
    $("recording-said").textContent = "";
    showRecording(false, true);
    // Tap-hint fades once read; it is still the picture's description for screen readers.
    clearTimeout(state.hintTimer);
    if (!gp) { state.hintTimer = setTimeout(() => { $("tap-hint").hidden = true; }, 8000); }
  }

  async function startCall(consult) {
    state.consult = consult;
    sessionStorage.setItem(ACTIVE, consult.id);
    prepareCallScreen(consult);
    state.inCall = true;
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
    call.addEventListener("recording", (e) => showRecording(e.detail.state === "started"));
    call.addEventListener("photo", (e) => addPhoto(e.detail));
    call.addEventListener("photo-refused", (e) => refusePhoto(e.detail));
    // Stepped care: the VS or PA who took the consult can bring in the SO.
    const me = session.me() || {};
    $("escalate").hidden = !(["VS", "PA"].includes(me.discipline) && consult.consultant && consult.consultant.userId === me.userId);
    call.addEventListener("ended", () => finishCall());
    call.start();
  }

  // What came in was no picture (its bytes are not a JPEG, PNG or WebP, whatever the
  // sender said) or was too large: say so where the photos are, show nothing of it.
  function refusePhoto(refusal) {
    state.refusedPhotos.push(refusal);
    $("photos").hidden = false;
    const item = document.createElement("li");
    item.className = "refused";
    item.setAttribute("role", "alert");
    item.textContent = t(refusal.reason === "size" ? "call.photoTooLarge" : "call.photoNotAnImage");
    $("photo-list").prepend(item);
    // Over the picture too: on a phone the photo list is behind a button.
    $("photo-refused").textContent = item.textContent;
    $("photo-refused").hidden = false;
    // It stays in the photo list; over the picture it gives way after a while.
    clearTimeout(state.photoRefusedTimer);
    state.photoRefusedTimer = setTimeout(() => { $("photo-refused").hidden = true; }, 15000);
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
      const extension = { "image/png": ".png", "image/webp": ".webp" }[photo.blob.type] || ".jpg";
      link.download = "beeldzorg-foto-" + String(photo.meta.takenAt).replace(/[^0-9A-Za-z]/g, "-") + extension;
      link.textContent = t("call.downloadPhoto") + " (" + photo.meta.width + "×" + photo.meta.height + ")";
      item.append(image, link);
    }
    $("photo-list").prepend(item);
    $("photos-open").textContent = t("callview.photos", { count: state.photos.length });
    $("photos-open").hidden = false;
  }

  // While a recording runs: the badge, and "Opname stoppen" instead of "Opname starten".
  function showRecording(started, quietly) {
    calls.showRecording($("recording-badge"), quietly ? null : $("recording-said"), started, t);
    $("recording-start").hidden = started;
    $("recording-stop").hidden = !started;
    if (started) { $("recording-form").hidden = true; }
  }

  // Recording starts only once the consultant records who consented (the client or a
  // representative), with an optional note; one Idempotency-Key per opened form, so a
  // resent request never starts a second recording.
  function openRecordingForm() {
    const form = $("recording-form");
    form.reset();
    ui.clearProblem(form);
    $("recording-result").hidden = true;
    form.dataset.key = crypto.randomUUID();
    form.hidden = false;
    form.querySelector("input[name=givenBy]").focus();
  }

  function submitRecording(event) {
    event.preventDefault();
    const form = $("recording-form");
    const chosen = form.querySelector("input[name=givenBy]:checked");
    if (!chosen) { form.querySelector("input[name=givenBy]").focus(); return; }
    const note = $("recording-note").value.trim();
    const consent = note ? { givenBy: chosen.value, note } : { givenBy: chosen.value };
    $("recording-confirm").disabled = true;
    session.api("/api/v1/consults/" + state.consult.id + "/recording", { method: "POST", body: { consent }, headers: { "Idempotency-Key": form.dataset.key } })
      .then(() => { form.hidden = true; })
      .catch((err) => { $("recording-result").hidden = false; ui.showProblem(form, err, $("recording-result")); })
      .finally(() => { $("recording-confirm").disabled = false; });
  }

  function stopRecording() {
    session.api("/api/v1/consults/" + state.consult.id + "/recording", { method: "DELETE" })
      .catch((err) => ui.showProblem($("call"), err, $("call-state")));
  }

  function finishCall() {
    // The end arrives several ways (own click, the event, signalling): act once.
    if (!state.consult || !state.inCall) { return; }
    state.inCall = false;
    const endedByOther = !state.endingMyself;
    state.endingMyself = false;
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
    openOutcome(state.consult, endedByOther ? (state.consult.requestedBy || {}).discipline || "other" : null);
  }

  // The outcome form, right after a call or later from "Nog in te vullen". An IMOZ
  // consult is declared too: its billing code stands above the outcome.
  function openOutcome(consult, endedBy) {
    state.consult = consult;
    const imoz = consult.kind === "IMOZ";
    $("outcome-form").reset();
    $("outcome-form").hidden = false;
    $("outcome-result").hidden = true;
    $("outcome-ended-by").hidden = !endedBy;
    $("outcome-ended-by").textContent = endedBy ? t(["NURSE", "HUISARTS"].includes(endedBy) ? "callview.endedBy." + endedBy : "callview.endedBy.other") : "";
    $("outcome-title").dataset.text = imoz ? "callview.imozTitle" : "outcome.title";
    $("outcome-title").textContent = t($("outcome-title").dataset.text);
    $("outcome-about").textContent = about(consult);
    // A consult at a ward: the SO may call its glasses back (the server says when none
    // are paired with the location).
    $("call-back").hidden = !(consult.locationId && consult.kind !== "IMOZ" && consult.state === "ENDED");
    $("call-back-message").hidden = true;
    $("billing").hidden = !imoz;
    $("billing-code").required = imoz;
    $("billing-code").innerHTML = "";
    Object.entries(state.billingCodes || {}).forEach(([code, description]) => {
      const option = document.createElement("option");
      option.value = code;
      option.textContent = code + " · " + description;
      $("billing-code").appendChild(option);
    });
    document.title = t(state.titleKey || "app.title");
    show("outcome");
  }

  // One line on what a consult was: kind, who asked, where, when it ended.
  function about(consult) {
    const from = consult.requestedBy ? (consult.requestedBy.name || "") : "";
    const where = consult.locationId ? (state.locations.get(consult.locationId) || consult.locationId) : t("callview.atHome");
    return t("callview.about", { kind: t("callview.kind." + consult.kind), from, where, when: when(consult.endedAt || consult.createdAt) });
  }

  // The district nurses the huisarts may invite: the nurses of the institution of the SO
  // who took the consult (the server refuses anyone outside the care team).
  async function openInvite() {
    if (!$("invite-form").hidden) { $("invite-form").hidden = true; return; }
    // Read afresh: the institution is the one of the SO who took it, which the call
    // screen may have opened before she did.
    const consult = await session.api("/api/v1/consults/" + state.consult.id);
    const institution = consult.institutionId;
    const nurses = (await session.api("/api/v1/consultants?discipline=NURSE"))
      .filter((nurse) => institution && nurse.institutionId === institution);
    $("invite-user").innerHTML = "";
    nurses.forEach((nurse) => {
      const option = document.createElement("option");
      option.value = nurse.userId;
      option.textContent = nurse.name;
      $("invite-user").appendChild(option);
    });
    if (!nurses.length) { showInviteResult(t("callview.noNurses")); return; }
    $("invite-result").hidden = true;
    $("invite-form").hidden = false;
    $("invite-user").focus();
  }

  function showInviteResult(text) {
    $("invite-result").textContent = text;
    $("invite-result").hidden = false;
  }

  async function endCall() {
    const consult = state.consult;
    state.endingMyself = true;
    await session.api("/api/v1/consults/" + consult.id + "/end", { method: "POST" }).catch(() => {});
    finishCall();
  }

  async function saveOutcome(event) {
    event.preventDefault();
    const form = new FormData($("outcome-form"));
    const body = { resolution: form.get("resolution"), withoutVideo: form.get("withoutVideo") };
    if (form.get("handoverMinutes")) { body.handoverMinutes = Number(form.get("handoverMinutes")); }
    const consult = state.consult;
    $("outcome-split").hidden = true;
    try {
      if (consult.kind === "IMOZ") {
        await session.api("/api/v1/imoz/consults/" + consult.id + "/billing", { method: "PUT", body: { billingCode: form.get("billingCode") } });
      }
      const saved = await session.api("/api/v1/consults/" + consult.id + "/outcome", { method: "PUT", body });
      state.lastOutcome = saved;
      showSplit(saved, consult.kind === "IMOZ" ? form.get("billingCode") : null);
      $("outcome-form").hidden = true;
      state.pending = (state.pending || []).filter((c) => c.id !== consult.id);
      renderFollowUps();
    } catch (e) {
      ui.showProblem($("outcome-form"), e, $("outcome-message"));
    }
    $("outcome-result").hidden = false;
    $("outcome-done").focus();
  }

  // The time-saved entries of PUT …/outcome as the consultant reads them: travel and
  // handover apart, then together.
  function showSplit(saved, billingCode) {
    const totals = saved.totals;
    const travel = saved.entries.filter((e) => e.kind === "TRAVEL").reduce((sum, e) => sum + e.minutes, 0);
    const handover = saved.entries.filter((e) => e.kind === "HANDOVER").reduce((sum, e) => sum + e.minutes, 0);
    $("outcome-message").textContent = billingCode ? t("callview.savedBilling", { code: billingCode }) : t("callview.saved");
    if (!totals.minutesSaved && totals.minutesLost) {
      $("outcome-message").textContent += " " + t("callview.notConnected");
    }
    $("split-travel").textContent = t("callview.minutes", { minutes: travel });
    $("split-handover").textContent = t("callview.minutes", { minutes: handover });
    $("split-total").textContent = t("callview.minutes", { minutes: totals.minutesSaved });
    $("outcome-split").hidden = false;
  }

  // Outcomes still to record and calls that rang and went elsewhere, for the inbox.
  async function loadFollowUps() {
    if (!CONSULTANTS.includes((session.me() || {}).discipline)) { return; }
    const [pending, missed] = await Promise.all([
      session.api("/api/v1/me/pending-outcomes"),
      session.api("/api/v1/me/missed-calls?hours=24")
    ]);
    state.pending = pending;
    state.missed = missed;
    renderFollowUps();
  }

  function renderFollowUps() {
    const pending = state.pending || [];
    $("pending").hidden = pending.length === 0;
    $("pending-list").innerHTML = "";
    pending.forEach((consult) => {
      const item = document.createElement("li");
      item.className = "card pending";
      item.dataset.consultId = consult.id;
      const title = document.createElement("p");
      title.className = "urgency";
      title.textContent = t("callview.kind." + consult.kind) + " · " + t("callview.ended") + " " + when(consult.endedAt);
      const facts = document.createElement("dl");
      fact(facts, t("inbox.from"), partyName(consult.requestedBy));
      fact(facts, t("inbox.location"), consult.locationId ? (state.locations.get(consult.locationId) || consult.locationId) : t("callview.atHome"));
      fact(facts, t("inbox.client"), consult.clientRef);
      if (consult.question) { fact(facts, t("inbox.question"), consult.question); }
      const controls = document.createElement("div");
      controls.className = "controls";
      const open = document.createElement("button");
      open.type = "button";
      open.className = "big primary open-outcome";
      open.textContent = t("callview.pendingOpen");
      open.onclick = () => openOutcome(consult, null);
      controls.appendChild(open);
      item.append(title, facts, controls);
      $("pending-list").appendChild(item);
    });
    const missed = state.missed || [];
    $("missed").hidden = missed.length === 0;
    $("missed-list").innerHTML = "";
    missed.forEach((call) => {
      const consult = call.consult;
      const item = document.createElement("li");
      item.className = "card missed";
      item.dataset.consultId = consult.id;
      item.dataset.reason = call.reason;
      const title = document.createElement("p");
      title.className = "urgency";
      title.textContent = t("callview.missed." + call.reason, { name: partyName(consult.consultant) });
      const facts = document.createElement("dl");
      fact(facts, t("inbox.from"), partyName(consult.requestedBy));
      fact(facts, t("inbox.location"), consult.locationId ? (state.locations.get(consult.locationId) || consult.locationId) : t("callview.atHome"));
      fact(facts, t("callview.when"), when(call.rungAt));
      item.append(title, facts);
      $("missed-list").appendChild(item);
    });
  }

  function partyName(party) {
    if (!party) { return "–"; }
    return (party.name || party.userId) + (party.discipline ? " (" + (t("discipline." + party.discipline) === "discipline." + party.discipline ? party.discipline : t("discipline." + party.discipline)) + ")" : "");
  }

  function backToInbox() {
    state.consult = null;
    show("inbox");
    syncInbox().catch(() => {});
    loadFollowUps().catch(() => {});
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
    state.admin = me.roles.includes("ADMIN");
    // An ADMIN who takes no calls (a nurse who manages the ward's glasses) is no
    // consultant: the title says what this screen is for her.
    state.titleKey = consultant ? "app.title" : "app.titleAdmin";
    $("title").dataset.text = state.titleKey;
    i18n.apply($("title").parentNode);
    document.title = t(state.titleKey);
    $("availability").hidden = !consultant;
    $("notifications").hidden = !consultant || !("PushManager" in window);
    show("inbox");
    if (state.admin) {
      $("inbox").hidden = !consultant;
      window.Beeldzorg.glassesAdmin.start();
    }
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
    // Written questions arrive live on the event stream (imoz.question.*); the list is
    // read again after every reconnect and when the app comes back to the front.
    if (me.discipline === "SO") {
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
        loadFollowUps().then(() => {
          // On sign-in, remind once of outcomes still to record.
          if (!state.remindedAtSignIn && (state.pending || []).length) { notice(t("callview.pendingReminder", { count: state.pending.length })); }
          state.remindedAtSignIn = true;
        }).catch(() => {});
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
    // A reminder's link: the outcome form of that consult.
    if (opened.get("outcome") && consultant) {
      history.replaceState(null, "", location.pathname);
      const ended = await session.api("/api/v1/consults/" + opened.get("outcome")).catch(() => null);
      if (ended && ended.state === "ENDED" && ended.consultant && ended.consultant.userId === me.userId) {
        openOutcome(ended, null);
        return;
      }
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
    await window.Beeldzorg.ui.offerSignIn((u) => CONSULTANTS.includes(u.discipline) || (u.roles || []).includes("ADMIN"));
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
    i18n.onChange(() => { rememberLanguage(); renderInbox(); renderCallState(); renderQuestions(); renderBookings(); renderFollowUps(); });
    $("signin-button").onclick = () => session.signInDemo($("demo-user").value).then(signedIn);
    $("signin-oidc").onclick = () => session.signInOidc();
    $("signout").onclick = () => session.signOut();
    $("available").onchange = (e) => session.api("/api/v1/me/availability", { method: "PUT", body: { available: e.target.checked } })
      .then(showPresence).catch((err) => ui.showProblem($("inbox"), err, $("inbox-message")));
    $("notifications").onclick = () => enablePush().catch((err) => ui.showProblem($("inbox"), err, $("inbox-message")));
    $("end").onclick = () => endCall();
    $("recording-start").onclick = () => openRecordingForm();
    $("recording-cancel").onclick = () => { $("recording-form").hidden = true; };
    $("recording-stop").onclick = () => stopRecording();
    $("recording-form").addEventListener("submit", submitRecording);
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
      if (state.gp) { return; }
      const point = calls.normalise($("remote-video"), event.clientX, event.clientY);
      if (!point || !state.call) { return; }
      $("tap-hint").hidden = true;
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
    $("call-back").onclick = () => callBack();
    $("outcome-done").onclick = backToInbox;
    // On a portrait phone the picture fills the screen (cropped at the sides); "Heel
    // beeld" shows all of it.
    $("fit").onclick = () => {
      const whole = $("stage").classList.toggle("whole");
      $("fit").dataset.text = whole ? "callview.fill" : "callview.whole";
      $("fit").setAttribute("aria-pressed", String(whole));
      $("fit").textContent = t($("fit").dataset.text);
    };
    $("photos-open").onclick = () => { $("call").classList.add("drawer-open"); $("photos-close").focus(); };
    $("photos-close").onclick = () => { $("call").classList.remove("drawer-open"); $("photos-open").focus(); };
    // The huisarts brings in the district nurse at the patient's home.
    $("invite-open").onclick = () => openInvite().catch((err) => showInviteResult(t("error.generic", { detail: err.message })));
    $("invite-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const select = $("invite-user");
      const name = select.options[select.selectedIndex] ? select.options[select.selectedIndex].textContent : "";
      const reason = $("invite-reason").value.trim();
      if (!reason) { $("invite-reason").focus(); return; }
      session.api("/api/v1/consults/" + state.consult.id + "/invite", { method: "POST", body: { userId: select.value, reason } })
        .then(() => { $("invite-form").hidden = true; $("invite-reason").value = ""; showInviteResult(t("callview.invited", { name })); })
        .catch((err) => showInviteResult(t("error.generic", { detail: err.message })));
    });
    if ("serviceWorker" in navigator) { navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch(() => {}); }
    await session.init();
    if (session.token) { await signedIn(); } else { await showSignIn(); }
  }

  main().catch((e) => { document.body.insertAdjacentHTML("beforeend", "<p class='notice' role='alert'></p>"); ui.showProblem(document.body, e, document.body.lastChild); });
})();
