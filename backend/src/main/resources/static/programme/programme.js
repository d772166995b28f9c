// Programme dashboard: time saved per institution and period, read from the reports API.
(function () {
  "use strict";
  const texts = window.BEELDZORG_TEXTS;
  const params = new URLSearchParams(location.search);
  let language = params.get("lang") || localStorage.getItem("beeldzorg.lang") || "nl";
  let token = sessionStorage.getItem("beeldzorg.token");
  const charts = {};
  const palette = ["#005b96", "#e07b00", "#2e8540", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d"];

  const t = (key) => (texts[language] && texts[language][key]) || texts.nl[key] || key;
  const $ = (id) => document.getElementById(id);

  function translate() {
    document.documentElement.lang = language;
    document.querySelectorAll("[data-text]").forEach((el) => { el.textContent = t(el.dataset.text); });
    document.title = t("title");
    $("language").value = language;
  }

  async function api(path, accept) {
    const response = await fetch(path, { headers: { Authorization: "Bearer " + token, Accept: accept || "application/json" } });
    if (response.status === 401) { sessionStorage.removeItem("beeldzorg.token"); token = null; start(); throw new Error("401"); }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw Object.assign(new Error(problem.detail || response.statusText), { status: response.status, code: problem.code, errors: problem.errors, properties: problem });
    }
    return accept && accept !== "application/json" ? response.blob() : response.json();
  }

  async function signIn(username) {
    const response = await fetch("/demo/token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username }) });
    if (!response.ok) { throw new Error("sign-in failed"); }
    token = (await response.json()).accessToken;
    sessionStorage.setItem("beeldzorg.token", token);
    sessionStorage.setItem("beeldzorg.user", username);
  }

  async function start() {
    translate();
    if (!token && params.get("as")) {
      await signIn(params.get("as"));
    }
    if (!token) {
      const users = await fetch("/demo/users").then((r) => (r.ok ? r.json() : []));
      const select = $("demo-user");
      select.innerHTML = "";
      users.filter((u) => u.roles.includes("PROGRAMME") || u.roles.includes("ADMIN")).forEach((u) => {
        const option = document.createElement("option");
        option.value = u.username;
        option.textContent = window.Beeldzorg.ui.person({ name: u.name, roles: u.roles });
        select.appendChild(option);
      });
      $("signin").hidden = false;
      $("dashboard").hidden = true;
      return;
    }
    $("signin").hidden = true;
    $("dashboard").hidden = false;
    window.Beeldzorg.i18n.live($("who"), () => window.Beeldzorg.ui.person(window.Beeldzorg.ui.claims(token)));
    const today = new Date();
    const from = new Date(today.getFullYear(), today.getMonth() - 11, 1);
    if (!$("from").value) { $("from").value = iso(from); $("to").value = iso(today); }
    await load();
  }

  const iso = (d) => d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  const query = (groupBy) => "from=" + $("from").value + "&to=" + $("to").value + (groupBy ? "&groupBy=" + groupBy : "");
  const number = (v, digits) => (v === null || v === undefined ? "–" : Number(v).toLocaleString(language === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: digits || 0 }));

  async function load() {
    $("status").textContent = t("loading");
    try {
      const [byMonth, byDiscipline, outcomes, quality] = await Promise.all([
        api("/api/v1/reports/time-saved?" + query("institution,month")),
        api("/api/v1/reports/time-saved?" + query($("institution").value ? "institution,discipline" : "discipline")),
        api("/api/v1/reports/outcomes?" + query()),
        api("/api/v1/reports/connection-quality?" + query("institution"))
      ]);
      const only = $("institution").value;
      const keep = (row) => !only || row.institutionId === only;
      fillInstitutions(byMonth.rows);
      totals(byMonth.rows.filter(keep));
      table(byMonth.rows.filter(keep), byMonth.assumptions);
      minutesChart(byMonth.rows.filter(keep));
      fteChart(byDiscipline.rows.filter((row) => !row.institutionId || keep(row)));
      outcomesChart(outcomes.rows);
      connectionChart(quality.rows.filter(keep));
      $("status").textContent = t("loaded") + " " + new Date().toLocaleTimeString(language);
      document.body.dataset.loaded = "true";
    } catch (e) {
      window.Beeldzorg.ui.showProblem($("filters"), e, $("status"));
    }
  }

  function fillInstitutions(rows) {
    const select = $("institution");
    const known = new Set(Array.from(select.options).map((o) => o.value));
    [...new Set(rows.map((r) => r.institutionId))].sort().forEach((id) => {
      if (!known.has(id)) {
        const option = document.createElement("option");
        option.value = id;
        option.textContent = id;
        select.appendChild(option);
      }
    });
  }

  function totals(rows) {
    const sum = (field) => rows.reduce((a, r) => a + (r[field] || 0), 0);
    $("total-consults").textContent = number(sum("consults"));
    $("total-minutes").textContent = number(sum("minutesSaved"));
    $("total-fte").textContent = number(rows.reduce((a, r) => a + (r.fteEquivalent || 0), 0) / Math.max(1, new Set(rows.map((r) => r.month)).size), 3);
    $("total-lost").textContent = number(sum("minutesLost"));
  }

  function table(rows, assumptions) {
    const body = $("table").querySelector("tbody");
    body.innerHTML = "";
    rows.forEach((r) => {
      const tr = document.createElement("tr");
      tr.dataset.institution = r.institutionId;
      const cells = [r.institutionId, r.month, r.consults, r.videoMinutes, r.travelMinutesSaved, r.handoverMinutesSaved, r.minutesSaved, r.minutesLost, r.fteEquivalent];
      cells.forEach((value, i) => {
        const td = document.createElement("td");
        if (r.suppressed && i > 1) { td.className = "suppressed"; td.textContent = i === 2 ? t("suppressed") : ""; }
        else { td.textContent = i < 2 ? value : number(value, i === 8 ? 3 : 0); }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    $("assumptions").textContent = t("assumptions") + ": " + (assumptions.hoursPerFtePerYear || "–") + " " + t("hoursPerFte")
      + "; " + t("assumptions.travel") + (assumptions.suppression.startsWith("none") ? "" : "; " + t("assumptions.suppression")) + ".";
  }

  function draw(id, config) {
    if (charts[id]) { charts[id].destroy(); }
    config.options = Object.assign({ responsive: true, animation: false, plugins: { legend: { position: "bottom" } } }, config.options || {});
    charts[id] = new Chart($(id), config);
  }

  function minutesChart(rows) {
    const months = [...new Set(rows.map((r) => r.month))].sort();
    const institutions = [...new Set(rows.map((r) => r.institutionId))].sort();
    draw("chart-minutes", {
      type: "bar",
      data: {
        labels: months,
        datasets: institutions.map((id, i) => ({
          label: id, backgroundColor: palette[i % palette.length],
          data: months.map((m) => { const r = rows.find((x) => x.institutionId === id && x.month === m); return r ? r.minutesSaved : 0; })
        }))
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
    });
  }

  function fteChart(rows) {
    const disciplines = ["SO", "BA", "VS", "PA", "GZP"];
    draw("chart-fte", {
      type: "bar",
      data: { labels: disciplines, datasets: [{ label: t("totals.fte"), backgroundColor: palette[0],
        data: disciplines.map((d) => rows.filter((r) => r.discipline === d).reduce((a, r) => a + (r.fteEquivalent || 0), 0)) }] },
      options: { scales: { y: { beginAtZero: true } } }
    });
  }

  function outcomesChart(rows) {
    const resolutions = ["RESOLVED_REMOTELY", "VISIT_STILL_NEEDED", "REFERRED"];
    draw("chart-outcomes", {
      type: "doughnut",
      data: { labels: resolutions.map((r) => t("resolution." + r)), datasets: [{ backgroundColor: palette,
        data: resolutions.map((res) => rows.filter((r) => r.resolution === res).reduce((a, r) => a + (r.consults || 0), 0)) }] }
    });
  }

  function connectionChart(rows) {
    draw("chart-connection", {
      type: "bar",
      data: { labels: rows.map((r) => r.institutionId), datasets: [{ label: "%", backgroundColor: palette[2],
        data: rows.map((r) => (r.connectedShare === null ? 0 : Math.round(r.connectedShare * 1000) / 10)) }] },
      options: { scales: { y: { beginAtZero: true, max: 100 } } }
    });
  }

  async function download(type, extension) {
    const blob = await api("/api/v1/reports/time-saved?" + query("institution,month"), type);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "beeldzorg-tijdsbesparing-" + $("from").value + "-" + $("to").value + "." + extension;
    link.click();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("language").addEventListener("change", (e) => { language = e.target.value; window.Beeldzorg.i18n.use(language); translate(); if (token) { load(); } });
    $("signin-button").addEventListener("click", async () => { await signIn($("demo-user").value); start(); });
    $("filters").addEventListener("submit", (e) => { e.preventDefault(); load(); });
    $("download-csv").addEventListener("click", () => download("text/csv", "csv"));
    $("download-xlsx").addEventListener("click", () => download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"));
    start().catch((e) => { window.Beeldzorg.ui.showProblem(document.body, e, $("status")); });
  });
})();
