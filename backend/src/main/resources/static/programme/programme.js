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

  // Production: the organisation's sign-in (session.js, renewed tokens); demo: a demo user.
  const session = window.Beeldzorg.session;
  const oidc = () => Boolean(session.config && session.config.signIn.kind === "oidc");

  async function api(path, accept) {
    if (oidc()) { token = session.token; }
    const response = await fetch(path, { headers: { Authorization: "Bearer " + token, Accept: accept || "application/json" } });
    if (response.status === 401) {
      sessionStorage.removeItem("beeldzorg.token");
      token = null;
      if (oidc()) { $("signin-demo").hidden = true; $("signin-oidc").hidden = false; $("signin").hidden = false; $("dashboard").hidden = true; } else { start(); }
      throw new Error("401");
    }
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
    const users = await fetch("/demo/users").then((r) => (r.ok ? r.json() : [])).catch(() => []);
    const user = users.find((u) => u.username === username);
    sessionStorage.setItem("beeldzorg.userName", user ? user.name : username);
  }

  async function start() {
    translate();
    if (!session.config) { await session.init(); }
    if (oidc()) {
      token = session.token;
      if (!token) {
        $("signin-demo").hidden = true;
        $("signin-oidc").hidden = false;
        $("signin").hidden = false;
        $("dashboard").hidden = true;
        return;
      }
    }
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
    // Reports count days in the Netherlands (the server books a consult on its Amsterdam
    // day), so "today" is the Dutch date whatever the device's zone: between 23:00 and 0:00
    // UTC a UTC device would otherwise leave out today's consults.
    const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit" })
      .format(new Date()).split("-").map(Number);
    const today = new Date(y, m - 1, d);
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
      let [byMonth, byInstitution, byDiscipline, outcomes, quality] = await Promise.all([
        api("/api/v1/reports/time-saved?" + query("institution,month")),
        api("/api/v1/reports/time-saved?" + query("institution")),
        api("/api/v1/reports/time-saved?" + query($("institution").value ? "institution,discipline" : "discipline")),
        api("/api/v1/reports/outcomes?" + query()),
        api("/api/v1/reports/connection-quality?" + query("institution"))
      ]);
      // Programme-wide, small cells are protected per quarter: when no single month can be
      // shown, the table and the chart go by quarter.
      const byQuarter = byMonth.rows.length > 0 && byMonth.rows.every((r) => r.suppressed);
      if (byQuarter) { byMonth = await api("/api/v1/reports/time-saved?" + query("institution,quarter")); }
      byMonth.rows.forEach((r) => { r.period = r.month || r.quarter; });
      ["chart-minutes-title", "table-title", "col-period"].forEach((id) => {
        $(id).dataset.text = $(id).dataset.text.replace(byQuarter ? "month" : "quarter", byQuarter ? "quarter" : "month");
        $(id).textContent = t($(id).dataset.text);
      });
      const only = $("institution").value;
      const keep = (row) => !only || row.institutionId === only;
      byInstitution.rows.forEach((r) => { names[r.institutionId] = r.institutionName; });
      fillInstitutions(byInstitution.rows);
      // The totals come from the figures per institution, which are shown whole.
      totals(only ? byInstitution.rows.filter(keep)[0] || {} : byInstitution.totals);
      table(byMonth.rows.filter(keep), byMonth.assumptions);
      completeness(byInstitution.rows.filter(keep));
      minutesChart(byMonth.rows.filter(keep));
      fteChart(byDiscipline.rows.filter((row) => !row.institutionId || keep(row)));
      outcomesChart(outcomes.rows);
      connectionChart(quality.rows.filter(keep));
      fillPeriods();
      await matrix();
      $("status").textContent = t("loaded") + " " + new Date().toLocaleTimeString(language);
      document.body.dataset.loaded = "true";
    } catch (e) {
      window.Beeldzorg.ui.showProblem($("filters"), e, $("status"));
    }
  }

  const names = {};
  const nameOf = (id) => names[id] || id;

  function fillInstitutions(rows) {
    const select = $("institution");
    const known = new Set(Array.from(select.options).map((o) => o.value));
    rows.slice().sort((a, b) => nameOf(a.institutionId).localeCompare(nameOf(b.institutionId), "nl")).forEach((r) => {
      if (!known.has(r.institutionId)) {
        const option = document.createElement("option");
        option.value = r.institutionId;
        option.textContent = nameOf(r.institutionId);
        select.appendChild(option);
      }
    });
  }

  // Why a chart or table is empty, and what to do: nothing in the period, or every
  // figure suppressed because it rests on too few consultants.
  // "rows" are the figures that carry data or were suppressed; shown when any is not.
  function explain(element, rows) {
    const hasData = rows.some((r) => !r.suppressed);
    // Complementary suppression: the figures rest on enough consultants, but showing them
    // would let a small cell elsewhere be worked out by subtraction.
    const complementary = rows.some((r) => r.suppressedBecause === "complementary");
    const message = hasData ? "" : (rows.length === 0 ? t("empty.none") : t(complementary ? "empty.complementary" : "empty.suppressed"));
    element.textContent = message;
    element.hidden = !message;
    return !message;
  }

  function totals(figures) {
    $("total-consults").textContent = number(figures.consults);
    $("total-minutes").textContent = number(figures.minutesSaved);
    $("total-fte").textContent = number(figures.fteEquivalent, 3);
    $("total-lost").textContent = number(figures.minutesLost);
  }

  function suppressedCell(td, first) {
    td.className = "suppressed";
    td.textContent = first ? t("suppressed") : "";
    td.title = t("suppressed.why");
  }

  function table(rows, assumptions) {
    const body = $("table").querySelector("tbody");
    body.innerHTML = "";
    rows.forEach((r) => {
      const tr = document.createElement("tr");
      tr.dataset.institution = r.institutionId;
      const cells = [nameOf(r.institutionId), r.period, r.consults, r.videoMinutes, r.travelMinutesSaved, r.handoverMinutesSaved, r.minutesSaved, r.minutesLost, r.fteEquivalent, r.outcomeCompleteness];
      cells.forEach((value, i) => {
        const td = document.createElement("td");
        if (r.suppressed && i > 1) { suppressedCell(td, i === 2); }
        else { td.textContent = i < 2 ? value : i === 9 ? percent(value) : number(value, i === 8 ? 3 : 0); }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    $("table").parentElement.hidden = !explain($("table-empty"), rows.filter((r) => r.suppressed || r.consults > 0));
    $("assumptions").textContent = t("assumptions") + ": " + (assumptions.hoursPerFtePerYear || "–") + " " + t("hoursPerFte")
      + "; " + t("assumptions.travel") + (assumptions.suppression.startsWith("none") ? "" : "; " + t("assumptions.suppression")) + ".";
  }

  const percent = (share) => (share === null || share === undefined ? "–" : number(share * 100, 0) + " %");

  // Outcome completeness beside the savings: consults without an outcome saved nothing
  // in the figures, so a low share means the savings are undercounted.
  function completeness(rows) {
    const body = $("completeness").querySelector("tbody");
    body.innerHTML = "";
    rows.slice().sort((a, b) => nameOf(a.institutionId).localeCompare(nameOf(b.institutionId), "nl")).forEach((r) => {
      const tr = document.createElement("tr");
      tr.dataset.institution = r.institutionId;
      const name = document.createElement("td");
      name.textContent = nameOf(r.institutionId);
      tr.appendChild(name);
      [r.consults, r.consultsWithOutcome, r.outcomeCompleteness, r.minutesSaved, r.fteEquivalent].forEach((value, i) => {
        const td = document.createElement("td");
        if (r.suppressed) { suppressedCell(td, i === 0); }
        else if (i === 2) {
          td.textContent = percent(value);
          if (value !== null && value < 0.8) {
            td.className = "low";
            td.title = t("completeness.low").replace("{n}", r.consults - r.consultsWithOutcome);
            td.textContent += " ⚠";
          }
        } else { td.textContent = number(value, i === 4 ? 3 : 0); }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    $("completeness").parentElement.hidden = !explain($("completeness-empty"), rows.filter((r) => r.suppressed || r.consults > 0));
  }

  // The quarters the chosen dates cover; the latest complete one first chosen.
  function fillPeriods() {
    const select = $("period");
    const previous = select.value;
    const from = new Date($("from").value);
    const to = new Date($("to").value);
    const periods = [];
    for (let y = from.getFullYear(), q = Math.floor(from.getMonth() / 3); y < to.getFullYear() || (y === to.getFullYear() && q <= Math.floor(to.getMonth() / 3)); q = (q + 1) % 4, y += q === 0 ? 1 : 0) {
      periods.push({ label: y + "-Q" + (q + 1), complete: new Date(y, q * 3 + 3, 0) <= to });
    }
    select.innerHTML = "";
    periods.reverse().forEach((p) => {
      const option = document.createElement("option");
      option.value = p.label;
      option.textContent = p.label + (p.complete ? "" : " (" + t("matrix.incomplete") + ")");
      select.appendChild(option);
    });
    const complete = periods.find((p) => p.complete);
    select.value = periods.some((p) => p.label === previous) ? previous : (complete || periods[0] || {}).label || "";
  }

  // The capacity matrix as the cafetaria plan draws it: institutions x the SO function
  // family, each cell "# fte | % groei".
  async function matrix() {
    if (!$("period").value) { return; }
    const m = await api("/api/v1/reports/capacity-matrix?period=" + $("period").value);
    const only = $("institution").value;
    const rows = m.rows.filter((r) => !only || r.institutionId === only);
    const pairs = $("matrix").querySelector("tr.pairs");
    pairs.innerHTML = "";
    m.disciplines.forEach(() => {
      ["matrix.fte", "matrix.change"].forEach((key) => { const th = document.createElement("th"); th.textContent = t(key); pairs.appendChild(th); });
    });
    const body = $("matrix").querySelector("tbody");
    body.innerHTML = "";
    let suppressed = 0;
    rows.forEach((r) => {
      const tr = document.createElement("tr");
      tr.dataset.institution = r.institutionId;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = r.institutionName;
      tr.appendChild(th);
      m.disciplines.forEach((d) => {
        const cell = r.cells[d];
        const fte = document.createElement("td");
        const change = document.createElement("td");
        fte.dataset.discipline = d;
        if (cell.suppressed) {
          suppressed++;
          suppressedCell(fte, true);
          fte.textContent = t("matrix.suppressed");
          suppressedCell(change, false);
        } else {
          fte.textContent = number(cell.fteEquivalent, 3);
          change.textContent = cell.changePercent === null ? (cell.fteEquivalent > 0 ? t("matrix.new") : "–")
            : (cell.changePercent > 0 ? "+" : "") + number(cell.changePercent, 1) + " %";
          change.className = cell.changePercent > 0 ? "up" : cell.changePercent < 0 ? "down" : "";
        }
        tr.appendChild(fte);
        tr.appendChild(change);
      });
      body.appendChild(tr);
    });
    $("matrix-legend").textContent = t("matrix.legend").replace("{period}", m.period).replace("{previous}", m.previousPeriod);
    $("matrix-suppressed").textContent = t("suppressed.why");
    $("matrix-suppressed").hidden = suppressed === 0;
    const cells = rows.flatMap((r) => m.disciplines.map((d) => r.cells[d])).filter((c) => c.suppressed || c.fteEquivalent > 0);
    const shown = explain($("matrix-empty"), cells);
    $("matrix").parentElement.hidden = !shown;
    $("matrix-legend").hidden = !shown;
  }

  function draw(id, config, rows) {
    if (charts[id]) { charts[id].destroy(); delete charts[id]; }
    const shown = explain($(id).parentElement.querySelector(".empty"), rows);
    $(id).hidden = !shown;
    if (!shown) { return; }
    // Squarer charts on a phone, so a legend does not squeeze the bars flat.
    const narrow = window.innerWidth < 600;
    config.options = Object.assign({ responsive: true, animation: false, plugins: { legend: { position: "bottom" } } }, config.options || {},
      narrow ? { aspectRatio: 1 } : {});
    charts[id] = new Chart($(id), config);
  }

  function minutesChart(rows) {
    const months = [...new Set(rows.map((r) => r.period))].sort();
    const institutions = [...new Set(rows.map((r) => r.institutionId))].sort();
    draw("chart-minutes", {
      type: "bar",
      data: {
        labels: months,
        datasets: institutions.map((id, i) => ({
          label: nameOf(id), backgroundColor: palette[i % palette.length],
          data: months.map((m) => { const r = rows.find((x) => x.institutionId === id && x.period === m); return r ? r.minutesSaved : 0; })
        }))
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
    }, rows.filter((r) => r.suppressed || r.minutesSaved > 0));
  }

  function fteChart(rows) {
    const disciplines = ["SO", "BA", "VS", "PA", "GZP"];
    draw("chart-fte", {
      type: "bar",
      data: { labels: disciplines, datasets: [{ label: t("totals.fte"), backgroundColor: palette[0],
        data: disciplines.map((d) => rows.filter((r) => r.discipline === d).reduce((a, r) => a + (r.fteEquivalent || 0), 0)) }] },
      options: { scales: { y: { beginAtZero: true } } }
    }, rows.filter((r) => r.suppressed || r.fteEquivalent > 0));
  }

  function outcomesChart(rows) {
    const resolutions = ["RESOLVED_REMOTELY", "VISIT_STILL_NEEDED", "REFERRED"];
    draw("chart-outcomes", {
      type: "doughnut",
      data: { labels: resolutions.map((r) => t("resolution." + r)), datasets: [{ backgroundColor: palette,
        data: resolutions.map((res) => rows.filter((r) => r.resolution === res).reduce((a, r) => a + (r.consults || 0), 0)) }] },
      options: { aspectRatio: 2 }
    }, rows.filter((r) => r.suppressed || r.consults > 0));
  }

  function connectionChart(rows) {
    draw("chart-connection", {
      type: "bar",
      data: { labels: rows.map((r) => nameOf(r.institutionId)), datasets: [{ label: "%", backgroundColor: palette[2],
        data: rows.map((r) => (r.connectedShare === null ? 0 : Math.round(r.connectedShare * 1000) / 10)) }] },
      options: { scales: { y: { beginAtZero: true, max: 100 } } }
    }, rows.filter((r) => r.suppressed || r.connectedShare !== null));
  }

  // Downloads carry Dutch headers, English ones when the page is in English.
  async function download(path, name, type, extension) {
    const blob = await api(path + "&lang=" + language, type);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name + "." + extension;
    link.click();
  }

  const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const savings = (type, extension) => download("/api/v1/reports/time-saved?" + query("institution,month"),
    "beeldzorg-tijdsbesparing-" + $("from").value + "-" + $("to").value, type, extension);
  const capacity = (type, extension) => download("/api/v1/reports/capacity-matrix?period=" + $("period").value,
    "beeldzorg-capaciteitsmatrix-" + $("period").value, type, extension);

  document.addEventListener("DOMContentLoaded", () => {
    $("language").addEventListener("change", (e) => { language = e.target.value; window.Beeldzorg.i18n.use(language); translate(); if (token) { load(); } });
    $("signin-button").addEventListener("click", async () => { await signIn($("demo-user").value); start(); });
    $("signin-oidc").addEventListener("click", () => session.signInOidc());
    $("filters").addEventListener("submit", (e) => { e.preventDefault(); load(); });
    $("download-csv").addEventListener("click", () => savings("text/csv", "csv"));
    $("download-xlsx").addEventListener("click", () => savings(XLSX, "xlsx"));
    $("matrix-csv").addEventListener("click", () => capacity("text/csv", "csv"));
    $("matrix-xlsx").addEventListener("click", () => capacity(XLSX, "xlsx"));
    $("period").addEventListener("change", () => matrix().catch((e) => { window.Beeldzorg.ui.showProblem(document.body, e, $("status")); }));
    start().catch((e) => { window.Beeldzorg.ui.showProblem(document.body, e, $("status")); });
  });
})();
