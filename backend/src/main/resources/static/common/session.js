// Sign-in and API access for the pages. Demo mode: pick a demo user. Production: the
// OIDC authorization-code flow with PKCE through oidc-client-ts (served from /vendor/).
(function () {
  "use strict";
  const TOKEN = "beeldzorg.token";
  let config = null;
  let manager = null;
  let token = sessionStorage.getItem(TOKEN);

  async function init() {
    config = await fetch("/api/v1/client-config").then((r) => r.json());
    if (config.signIn.kind === "oidc") {
      manager = new window.oidc.UserManager({
        authority: config.signIn.authority,
        client_id: config.signIn.clientId,
        redirect_uri: location.origin + location.pathname,
        post_logout_redirect_uri: location.origin + location.pathname,
        response_type: "code",
        scope: config.signIn.scope,
        userStore: new window.oidc.WebStorageStateStore({ store: window.sessionStorage }),
        automaticSilentRenew: true
      });
      const query = new URLSearchParams(location.search);
      if (query.has("code") && query.has("state")) {
        await manager.signinRedirectCallback();
        history.replaceState(null, "", location.pathname);
      }
      const user = await manager.getUser();
      token = user && !user.expired ? user.access_token : null;
      manager.events.addUserLoaded((loaded) => { token = loaded.access_token; });
    } else if (!token && new URLSearchParams(location.search).get("as")) {
      await signInDemo(new URLSearchParams(location.search).get("as"));
    }
    return config;
  }

  async function demoUsers() {
    const response = await fetch("/demo/users");
    return response.ok ? response.json() : [];
  }

  async function signInDemo(username) {
    const response = await fetch("/demo/token", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username })
    });
    if (!response.ok) { throw new Error("sign-in failed"); }
    token = (await response.json()).accessToken;
    sessionStorage.setItem(TOKEN, token);
  }

  function signInOidc() { return manager.signinRedirect(); }

  async function signOut() {
    token = null;
    sessionStorage.clear();
    if (manager) { await manager.signoutRedirect(); } else { location.reload(); }
  }

  // The signed-in user as the access token says (display only; the server checks).
  function me() {
    if (!token) { return null; }
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(decodeURIComponent(escape(atob(payload))));
    return { userId: claims.sub, name: claims.name, discipline: claims.discipline, institution: claims.institution };
  }

  // A refusal from the API (RFC 9457): its stable code, the fields it names (each with
  // its own code) and the rest of its properties (kind, fallbackPhone, …). Pages word it
  // themselves per code (ui.showProblem); the English detail is for logs.
  class Problem extends Error {
    constructor(status, body) {
      super(body.detail || body.title || ("HTTP " + status));
      this.status = status;
      this.code = body.code || "http." + status;
      this.body = body;
      this.errors = Array.isArray(body.errors) ? body.errors : [];
      this.properties = body;
    }
  }

  async function api(path, options) {
    const opts = options || {};
    const headers = Object.assign({ Authorization: "Bearer " + token, Accept: "application/json" }, opts.headers || {});
    if (opts.body !== undefined) { headers["Content-Type"] = "application/json"; }
    const response = await fetch(path, {
      method: opts.method || "GET", headers, body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined
    });
    if (response.status === 401) { sessionStorage.removeItem(TOKEN); token = null; }
    if (!response.ok) { throw new Problem(response.status, await response.json().catch(() => ({}))); }
    return response.status === 204 ? null : response.json();
  }

  // The caller's live events (SSE). EventSource cannot send a bearer token, so the stream
  // is read with fetch; after a drop it reconnects and calls onOpen again (re-sync there).
  function events(onEvent, onOpen, onDrop) {
    let stopped = false;
    let controller = null;
    async function run() {
      while (!stopped && token) {
        controller = new AbortController();
        try {
          const response = await fetch("/api/v1/events", {
            headers: { Authorization: "Bearer " + token, Accept: "text/event-stream" }, signal: controller.signal
          });
          if (!response.ok) { throw new Error("events " + response.status); }
          onOpen();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) { break; }
            buffer += value.replace(/\r\n/g, "\n");
            let end;
            while ((end = buffer.indexOf("\n\n")) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              let name = "message";
              const data = [];
              block.split("\n").forEach((line) => {
                if (line.startsWith("event:")) { name = line.slice(6).trim(); }
                if (line.startsWith("data:")) { data.push(line.slice(5).replace(/^ /, "")); }
              });
              if (data.length && name === "stream.closed") { superseded(JSON.parse(data.join("\n"))); return; }
              if (data.length) { onEvent(name, JSON.parse(data.join("\n"))); }
            }
          }
        } catch (e) {
          if (stopped) { return; }
        }
        if (!stopped) { onDrop(); await new Promise((resolve) => setTimeout(resolve, 2000)); }
      }
    }
    // The server closed this, the user's oldest stream, for a newer one (another tab):
    // reconnecting would close that one in turn, so this tab stops and says so, and
    // takes the stream back only when asked.
    function superseded(body) {
      stopped = true;
      const { i18n } = window.Beeldzorg;
      const banner = document.createElement("p");
      banner.className = "notice events-closed";
      banner.setAttribute("role", "alert");
      banner.dataset.code = body.code || "events.too-many-streams";
      const text = document.createElement("span");
      i18n.set(text, "problem." + banner.dataset.code);
      const again = document.createElement("button");
      again.type = "button";
      i18n.set(again, "events.continueHere");
      again.addEventListener("click", () => { banner.remove(); stopped = false; run(); });
      banner.append(text, " ", again);
      document.body.prepend(banner);
    }
    run();
    return () => { stopped = true; if (controller) { controller.abort(); } };
  }

  window.Beeldzorg = window.Beeldzorg || {};
  window.Beeldzorg.session = {
    init, demoUsers, signInDemo, signInOidc, signOut, me, api, events, Problem,
    get config() { return config; },
    get token() { return token; }
  };
})();
