// Small pieces the pages share: dates in the user's language, a term and its value in a
// card, and pictures the API serves only with the bearer token.
(function () {
  "use strict";
  const { i18n, session } = window.Beeldzorg;
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
      const response = await fetch(href, { headers: { Authorization: "Bearer " + session.token } });
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      pictures.set(href, URL.createObjectURL(await response.blob()));
    }
    return pictures.get(href);
  }

  // The sign-in panel every page has: the organisation's sign-in in production, a list
  // of the demo users the page is for in demo mode.
  async function offerSignIn(forUser, label) {
    const $ = (id) => document.getElementById(id);
    if (session.config.signIn.kind === "oidc") { $("signin-oidc").hidden = false; return; }
    const users = (await session.demoUsers()).filter(forUser);
    $("demo-user").innerHTML = "";
    users.forEach((u) => {
      const option = document.createElement("option");
      option.value = u.username;
      option.textContent = label(u);
      $("demo-user").appendChild(option);
    });
    $("signin-demo").hidden = false;
  }

  window.Beeldzorg.ui = { when, fact, pictureUrl, offerSignIn };
})();
