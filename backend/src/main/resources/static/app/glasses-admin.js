// The ADMIN's part of the app: pairing the ward's glasses (the device id the glasses show
// while unpaired) with the institution's locations they offer, and unpairing them.
(function () {
  "use strict";
  const { i18n, session, ui } = window.Beeldzorg;
  const t = i18n.t;
  const $ = (id) => document.getElementById(id);
  const state = { pairings: [], locations: [], scanning: null };

  function locationName(id) {
    const found = state.locations.find((l) => l.id === id);
    return found ? found.name : id;
  }

  async function load() {
    const [pairings, locations] = await Promise.all([session.api("/api/v1/admin/glasses"), session.api("/api/v1/locations")]);
    state.pairings = pairings;
    state.locations = locations;
    renderLocations();
    render();
  }

  function renderLocations() {
    const box = $("glasses-locations");
    const chosen = new Set(checked());
    box.querySelectorAll("label").forEach((label) => label.remove());
    state.locations.forEach((l) => {
      const label = document.createElement("label");
      const box2 = document.createElement("input");
      box2.type = "checkbox";
      box2.name = "locationIds";
      box2.value = l.id;
      box2.checked = chosen.has(l.id);
      label.appendChild(box2);
      label.appendChild(document.createTextNode(l.name));
      box.appendChild(label);
    });
  }

  function checked() {
    return Array.from($("glasses-locations").querySelectorAll("input:checked")).map((box) => box.value);
  }

  function render() {
    const list = $("glasses-list");
    list.innerHTML = "";
    $("glasses-empty").hidden = state.pairings.length > 0;
    state.pairings.forEach((pairing) => {
      const card = document.createElement("li");
      card.className = "card";
      card.dataset.device = pairing.deviceId;
      const name = document.createElement("h3");
      name.textContent = pairing.name;
      card.appendChild(name);
      const facts = document.createElement("dl");
      ui.fact(facts, t("admin.glassesDeviceShort"), pairing.deviceId);
      ui.fact(facts, t("admin.glassesLocationsShort"), pairing.locationIds.map(locationName).join(", "));
      card.appendChild(facts);
      const controls = document.createElement("div");
      controls.className = "controls";
      const edit = document.createElement("button");
      edit.type = "button";
      edit.className = "edit";
      edit.textContent = t("admin.glassesEdit");
      edit.onclick = () => fill(pairing);
      const unpair = document.createElement("button");
      unpair.type = "button";
      unpair.className = "danger unpair";
      unpair.textContent = t("admin.glassesUnpair");
      unpair.onclick = () => confirmThen(unpair, pairing);
      controls.append(edit, unpair);
      card.appendChild(controls);
      list.appendChild(card);
    });
  }

  function say(text, ok) {
    const notice = $("glasses-message");
    notice.textContent = text;
    notice.hidden = !text;
    notice.classList.toggle("ok", !!ok);
  }

  function fill(pairing) {
    ui.clearProblem($("glasses-form"));
    say("");
    $("glasses-device").value = pairing.deviceId;
    $("glasses-name").value = pairing.name;
    $("glasses-locations").querySelectorAll("input").forEach((box) => { box.checked = pairing.locationIds.includes(box.value); });
    $("glasses-device").focus();
  }

  function clear() {
    stopScanning();
    ui.clearProblem($("glasses-form"));
    $("glasses-form").reset();
    say("");
  }

  async function save(event) {
    event.preventDefault();
    ui.clearProblem($("glasses-form"));
    say("");
    const deviceId = $("glasses-device").value.trim();
    const name = $("glasses-name").value.trim();
    const locationIds = checked();
    if (!deviceId || !$("glasses-device").checkValidity()) { say(t("admin.glassesDeviceInvalid")); $("glasses-device").focus(); return; }
    if (!name) { say(t("admin.glassesNameMissing")); $("glasses-name").focus(); return; }
    if (!locationIds.length) { say(t("admin.glassesLocationsMissing")); return; }
    try {
      await session.api("/api/v1/admin/glasses/" + encodeURIComponent(deviceId), { method: "PUT", body: { name, locationIds } });
      await load();
      $("glasses-form").reset();
      say(t("admin.glassesSaved", { name }), true);
    } catch (e) {
      ui.showProblem($("glasses-form"), e, $("glasses-message"));
    }
  }

  // Unpairing takes the glasses off the ward at once (they show their code again), so
  // the first tap only asks: the button says "Echt ontkoppelen?" for 5 s, and a second
  // tap unpairs. Nothing modal, so a phone's scroll position and the list stay as they are.
  function confirmThen(button, pairing) {
    if (button.dataset.confirming) {
      clearTimeout(Number(button.dataset.confirming));
      remove(pairing);
      return;
    }
    button.textContent = t("admin.glassesUnpairConfirm", { name: pairing.name });
    button.classList.add("confirming");
    button.dataset.confirming = String(setTimeout(() => {
      delete button.dataset.confirming;
      button.classList.remove("confirming");
      button.textContent = t("admin.glassesUnpair");
    }, 5000));
  }

  async function remove(pairing) {
    try {
      await session.api("/api/v1/admin/glasses/" + encodeURIComponent(pairing.deviceId), { method: "DELETE" });
      await load();
      say(t("admin.glassesUnpaired", { name: pairing.name }), true);
    } catch (e) {
      ui.showProblem($("glasses-form"), e, $("glasses-message"));
    }
  }

  // The QR code on unpaired glasses, through the phone's or laptop's camera: the
  // browser's BarcodeDetector where it has one, jsQR otherwise. Stops at the first code,
  // after 30 s, or on "Stop scannen".
  async function scan() {
    if (state.scanning) { return; }
    const scanning = { stopped: false };
    state.scanning = scanning;
    $("glasses-scanner").hidden = false;
    $("glasses-scan").hidden = true;
    $("glasses-scan-stop").hidden = false;
    try {
      const text = await ui.readQrCode($("glasses-scan-video"), scanning);
      if (text) {
        $("glasses-device").value = text;
        const known = state.pairings.find((p) => p.deviceId === text);
        if (known) { fill(known); }
        $("glasses-name").focus();
      }
    } catch (e) {
      say(t("error.camera"));
    } finally {
      stopScanning();
    }
  }

  function stopScanning() {
    if (state.scanning) { state.scanning.stopped = true; }
    state.scanning = null;
    $("glasses-scanner").hidden = true;
    $("glasses-scan").hidden = false;
    $("glasses-scan-stop").hidden = true;
  }

  // Shown to an ADMIN only (the server refuses everyone else anyway).
  async function start() {
    $("glasses-admin").hidden = false;
    $("glasses-form").addEventListener("submit", save);
    $("glasses-clear").onclick = clear;
    $("glasses-scan").onclick = () => scan();
    $("glasses-scan-stop").onclick = stopScanning;
    i18n.onChange(() => { render(); });
    try {
      await load();
    } catch (e) {
      ui.showProblem($("glasses-form"), e, $("glasses-message"));
    }
  }

  window.Beeldzorg.glassesAdmin = { start, state };
})();
