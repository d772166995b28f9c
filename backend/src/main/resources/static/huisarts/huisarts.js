// The huisarts's page (IMOZ): ask an SO in writing with photos, follow the answers,
// start or book a video consult with an SO. The video call itself opens in /app/.
(function () {
  "use strict";
  const { i18n, session, ui } = window.Beeldzorg;
  const { when } = ui;
  const field = ui.fact;
  const t = i18n.t;
  const $ = (id) => document.getElementById(id);
  const state = { questions: [], bookings: [], waiting: null, askKey: null };
  window.beeldzorgHuisarts = state;

  function show(section) { ["signin", "work"].forEach((id) => { $(id).hidden = id !== section; }); }

  function message(text) { $("message").textContent = text || ""; $("message").hidden = !text; }

  function failed(e) { ui.showProblem($("work"), e, $("message")); }

  // A long text (question, answer) takes the card's full width on a phone.
  function wide(dd) { dd.classList.add("long"); dd.previousElementSibling.classList.add("long"); return dd; }

  function renderQuestions() {
    const list = $("questions");
    list.innerHTML = "";
    $("questions-empty").hidden = state.questions.length > 0;
    state.questions.forEach((q) => {
      const item = document.createElement("li");
      item.className = "card question state-" + q.state;
      item.dataset.questionId = q.id;
      const title = document.createElement("p");
      title.className = "urgency";
      title.textContent = t("imoz.state." + q.state) + (q.overdue ? " · " + t("imoz.overdue") : "");
      const facts = document.createElement("dl");
      field(facts, t("ha.client"), q.clientRef + " · " + q.homeArea);
      wide(field(facts, t("ha.question"), q.question));
      if (q.state === "OPEN" || q.state === "CLAIMED") { field(facts, t("imoz.due"), when(q.dueAt)); }
      // Who took it and who answered, and when: the huisarts knows whom to call.
      if (q.state === "CLAIMED" && q.claimant) {
        field(facts, t("imozlive.claimedBy"), t("imozlive.byAt", { name: q.claimant.name || q.claimant.userId, at: when(q.claimedAt) })).className = "claimant";
      }
      if (q.answer) {
        const by = q.answerer || q.claimant;
        if (by) { field(facts, t("imozlive.answeredBy"), t("imozlive.byAt", { name: by.name || by.userId, at: when(q.answeredAt) })).className = "answerer"; }
        wide(field(facts, t("imoz.answer"), q.answer)).classList.add("answer");
        field(facts, t("imoz.billingCode"), q.billingCode || "");
      }
      item.append(title, facts);
      if (q.photos && q.photos.length) {
        const photos = document.createElement("div");
        photos.className = "thumbs";
        q.photos.forEach((photo) => {
          const image = document.createElement("img");
          image.alt = t("imoz.photo");
          image.dataset.sha256 = photo.sha256;
          ui.pictureUrl(photo.href).then((url) => { image.src = url; }).catch(() => { image.alt = t("imoz.photoMissing"); });
          photos.appendChild(image);
        });
        item.appendChild(photos);
      }
      if (q.state === "OPEN" || q.state === "CLAIMED") {
        const withdraw = document.createElement("button");
        withdraw.type = "button";
        withdraw.textContent = t("ha.withdraw");
        withdraw.onclick = () => session.api("/api/v1/imoz/questions/" + q.id + "/withdraw", { method: "POST" })
          .then(loadQuestions).catch(failed);
        const controls = document.createElement("div");
        controls.className = "controls";
        controls.appendChild(withdraw);
        item.appendChild(controls);
      }
      list.appendChild(item);
    });
  }

  async function loadQuestions() {
    state.questions = await session.api("/api/v1/imoz/questions");
    renderQuestions();
  }

  async function upload(questionId, file) {
    const response = await fetch("/api/v1/imoz/questions/" + questionId + "/photos", {
      method: "POST", headers: { Authorization: "Bearer " + session.token, "Content-Type": file.type }, body: file
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new session.Problem(response.status, problem);
    }
  }

  // A retried send (a dropped network at the wrong moment) asks the same question once:
  // the key stays until the question and all its photos are in.
  async function ask(event) {
    event.preventDefault();
    message("");
    const form = new FormData($("ask-form"));
    state.askKey = state.askKey || crypto.randomUUID();
    const result = $("ask-result");
    result.hidden = false;
    result.textContent = t("ha.ask.sending");
    try {
      const question = await session.api("/api/v1/imoz/questions", {
        method: "POST", headers: { "Idempotency-Key": state.askKey },
        body: { clientRef: form.get("clientRef"), homeArea: form.get("homeArea"), question: form.get("question") }
      });
      const files = Array.from($("ask-photos").files);
      for (const file of files) { await upload(question.id, file); }
      state.askKey = null;
      $("ask-form").reset();
      result.textContent = t("ha.ask.sent", { photos: files.length, due: when(question.dueAt) });
      await loadQuestions();
    } catch (e) {
      result.textContent = t("ha.ask.failed");
      ui.showProblem($("ask-form"), e, $("message"));
    }
  }

  async function loadConsultants() {
    const sos = await session.api("/api/v1/consultants?discipline=SO");
    const select = $("video-so");
    select.innerHTML = "";
    const any = document.createElement("option");
    any.value = "";
    any.textContent = t("ha.video.anySo");
    select.appendChild(any);
    sos.forEach((so) => {
      const option = document.createElement("option");
      option.value = so.userId;
      option.textContent = so.name + (so.present ? " · " + t("ha.video.present") : "");
      select.appendChild(option);
    });
  }

  function renderBookings() {
    const list = $("bookings");
    list.innerHTML = "";
    $("bookings-empty").hidden = state.bookings.length > 0;
    state.bookings.forEach((consult) => {
      const item = document.createElement("li");
      item.className = "card booking";
      item.dataset.consultId = consult.id;
      const facts = document.createElement("dl");
      field(facts, t("ha.video.at"), when(consult.scheduledAt));
      field(facts, t("imozlive.so"), consult.bookedWith ? (consult.bookedWith.name || consult.bookedWith.userId) : t("ha.video.anySo")).className = "so";
      field(facts, t("ha.client"), consult.clientRef);
      wide(field(facts, t("ha.question"), consult.question || "–"));
      const cancel = document.createElement("button");
      cancel.type = "button";
      cancel.textContent = t("ha.cancel");
      cancel.onclick = () => session.api("/api/v1/consults/" + consult.id + "/cancel", { method: "POST" })
        .then(loadBookings).catch(failed);
      const controls = document.createElement("div");
      controls.className = "controls";
      controls.appendChild(cancel);
      item.append(facts, controls);
      list.appendChild(item);
    });
  }

  async function loadBookings() {
    state.bookings = await session.api("/api/v1/consults?state=SCHEDULED");
    renderBookings();
  }

  function videoStatus(text) { $("video-result").hidden = !text; $("video-result").textContent = text; }

  async function startVideo(event) {
    event.preventDefault();
    message("");
    const form = new FormData($("video-form"));
    const body = { kind: "IMOZ", clientRef: form.get("clientRef"), homeArea: form.get("homeArea"), urgency: "URGENT" };
    if (form.get("question")) { body.question = form.get("question"); }
    if (form.get("consultantId")) { body.consultantId = form.get("consultantId"); }
    if (form.get("scheduledAt")) {
      body.scheduledAt = new Date(form.get("scheduledAt")).toISOString();
      body.urgency = "ROUTINE";
    }
    try {
      const consult = await session.api("/api/v1/consults", { method: "POST", headers: { "Idempotency-Key": crypto.randomUUID() }, body });
      $("video-form").reset();
      if (consult.state === "SCHEDULED") {
        videoStatus(t("ha.video.booked", { at: when(consult.scheduledAt) }));
        await loadBookings();
      } else {
        waitFor(consult);
      }
    } catch (e) {
      videoStatus("");
      ui.showProblem($("video-form"), e, $("video-result"));
    }
  }

  function waitFor(consult) {
    state.waiting = consult.id;
    const names = (consult.ringing || []).map((p) => p.name || p.userId).join(", ");
    videoStatus(t("ha.video.ringing", { names }));
  }

  async function openCall(id) {
    state.waiting = null;
    location.assign("/app/?consult=" + encodeURIComponent(id));
  }

  // The practice's questions live: taken, answered or withdrawn shows at once.
  function onQuestionEvent(name, q) {
    const at = state.questions.findIndex((other) => other.id === q.id);
    if (at >= 0) { state.questions[at] = q; } else { state.questions.unshift(q); }
    renderQuestions();
  }

  function onEvent(name, consult) {
    if (name.startsWith("imoz.question.")) { onQuestionEvent(name, consult); return; }
    if (name === "consult.started") { waitFor(consult); loadBookings().catch(() => {}); return; }
    if (consult.id !== state.waiting) { return; }
    if (name === "consult.accepted") { videoStatus(t("ha.video.accepted", { name: (consult.consultant || {}).name || "" })); openCall(consult.id); }
    if (name === "consult.escalated") { waitFor(consult); }
    if (name === "consult.missed") { videoStatus(t("ha.video.missed")); state.waiting = null; }
  }

  async function signedIn() {
    const me = session.me();
    i18n.live($("who"), () => ui.person(me, true));
    $("signout").hidden = false;
    show("work");
    state.stopEvents = session.events(onEvent, () => {
      i18n.set($("live"), "inbox.live");
      loadQuestions().catch(failed);
      loadBookings().catch(failed);
    }, () => { i18n.set($("live"), "inbox.reconnecting"); });
    await loadConsultants().catch(failed);
    // Claims and answers arrive live (imoz.question.*); the list is read again after
    // every reconnect and when the page comes back to the front.
    document.addEventListener("visibilitychange", () => { if (!document.hidden) { loadQuestions().catch(() => {}); } });
  }

  async function showSignIn() {
    show("signin");
    await window.Beeldzorg.ui.offerSignIn((u) => u.discipline === "HUISARTS");
  }


  async function main() {
    i18n.apply();
    $("language").value = i18n.language;
    $("language").onchange = (e) => i18n.use(e.target.value);
    i18n.onChange(() => { renderQuestions(); renderBookings(); loadConsultants().catch(() => {}); });
    $("signin-button").onclick = () => session.signInDemo($("demo-user").value).then(signedIn);
    $("signin-oidc").onclick = () => session.signInOidc();
    $("signout").onclick = () => session.signOut();
    $("ask-form").addEventListener("submit", ask);
    $("video-form").addEventListener("submit", startVideo);
    await session.init();
    if (session.token) { await signedIn(); } else { await showSignIn(); }
  }

  main().catch((e) => failed(e));
})();
