// Sign-in and API access for the pages. Demo mode: pick a demo user. Production: the
// OIDC authorization-code flow with PKCE through oidc-client-ts (served from /vendor/),
// renewed with the refresh token before the access token expires. The glasses also sign
// in with a code approved on a phone (Device Authorization Grant), in both modes.
(function () {
  "use strict";
  const TOKEN = "beeldzorg.token";
  let config = null;
  let manager = null;
  let token = sessionStorage.getItem(TOKEN);

  // Inside the Beeldzorg glasses app (android-client) the app signs in (a code approved on
  // a phone), keeps the tokens in the Android Keystore and refreshes them: the page asks
  // its bridge for a valid access token before each call and signs out through it. The
  // bridge answers only pages of the backend the app is configured for.
  const app = window.BeeldzorgApp || null;
  function fromApp() {
    if (app) { token = app.accessToken() || null; }
  }
  function freshToken() {
    fromApp();
    return token;
  }

  // The OIDC client this tab signed in with: the pages' web client, or the glasses'
  // device client (RFC 8628), whose refresh tokens only that client may use.
  const CLIENT = "beeldzorg.client";
  const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  function userManager(clientId) {
    const created = new window.oidc.UserManager({
      authority: config.signIn.authority,
      client_id: clientId,
      redirect_uri: location.origin + location.pathname,
      post_logout_redirect_uri: location.origin + location.pathname,
      response_type: "code",
      scope: config.signIn.scope,
      userStore: new window.oidc.WebStorageStateStore({ store: window.sessionStorage }),
      // Renewed with the refresh token a minute before the access token expires.
      automaticSilentRenew: true
    });
    created.events.addUserLoaded((loaded) => { token = loaded.access_token; });
    created.events.addUserUnloaded(() => { token = null; });
    return created;
  }

  async function init() {
    config = await fetch("/api/v1/client-config").then((r) => r.json());
    if (app) {
      fromApp();
      return config;
    }
    if (config.signIn.kind === "oidc") {
      manager = userManager(sessionStorage.getItem(CLIENT) || config.signIn.clientId);
      const query = new URLSearchParams(location.search);
      if (query.has("code") && query.has("state")) {
        await manager.signinRedirectCallback();
        history.replaceState(null, "", location.pathname);
      }
      const user = await manager.getUser();
      token = user && !user.expired ? user.access_token : null;
    } else if (!token && new URLSearchParams(location.search).get("as")) {
      await signInDemo(new URLSearchParams(location.search).get("as"));
    }
    return config;
  }

  function claimsOf(jwt) {
    const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(decodeURIComponent(escape(atob(payload))));
  }

  function wait(ms, signal) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      if (signal) { signal.addEventListener("abort", () => { clearTimeout(timer); reject(new DOMException("stopped", "AbortError")); }, { once: true }); }
    });
  }

  function form(fields) {
    return { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) };
  }

  // Sign-in without a keyboard (OAuth 2.0 Device Authorization Grant, RFC 8628): asks the
  // issuer for a code, hands it to onCode ({userCode, verificationUri,
  // verificationUriComplete, expiresIn}) to show, and polls until someone approved it on
  // a phone. Rejects with an Error whose code is the RFC's error (expired_token,
  // access_denied) or "device.failed"; stops when signal aborts.
  async function signInDevice(onCode, signal) {
    const device = config.signIn.device;
    const authority = new URL(device.authority, location.href).href.replace(/\/$/, "");
    const metadata = await fetch(authority + "/.well-known/openid-configuration", { signal }).then((r) => {
      if (!r.ok) { throw Object.assign(new Error("discovery " + r.status), { code: "device.failed" }); }
      return r.json();
    });
    const request = { client_id: device.clientId };
    if (config.signIn.scope) { request.scope = config.signIn.scope; }
    const started = await fetch(metadata.device_authorization_endpoint, Object.assign(form(request), { signal })).then((r) => {
      if (!r.ok) { throw Object.assign(new Error("device authorization " + r.status), { code: "device.failed" }); }
      return r.json();
    });
    onCode({
      userCode: started.user_code, verificationUri: started.verification_uri,
      verificationUriComplete: started.verification_uri_complete || started.verification_uri, expiresIn: started.expires_in
    });
    let interval = Math.max(1, started.interval || 5) * 1000;
    for (;;) {
      await wait(interval, signal);
      const response = await fetch(metadata.token_endpoint,
        Object.assign(form({ grant_type: DEVICE_GRANT, device_code: started.device_code, client_id: device.clientId }), { signal }));
      const body = await response.json().catch(() => ({}));
      if (response.ok && body.access_token) { await signedInAsDevice(body, device.clientId); return; }
      if (body.error === "authorization_pending") { continue; }
      if (body.error === "slow_down") { interval += 5000; continue; }
      throw Object.assign(new Error(body.error || "HTTP " + response.status), { code: body.error || "device.failed" });
    }
  }

  async function signedInAsDevice(body, clientId) {
    token = body.access_token;
    if (config.signIn.kind !== "oidc") { sessionStorage.setItem(TOKEN, token); return; }
    // The tokens become oidc-client-ts's user of the device client, so the same renewal
    // (refresh token) keeps the glasses signed in.
    sessionStorage.setItem(CLIENT, clientId);
    manager = userManager(clientId);
    await manager.storeUser(new window.oidc.User({
      access_token: body.access_token, refresh_token: body.refresh_token, id_token: body.id_token,
      token_type: body.token_type || "Bearer", scope: body.scope,
      profile: claimsOf(body.id_token || body.access_token),
      expires_at: Math.floor(Date.now() / 1000) + Number(body.expires_in || 300)
    }));
    await manager.getUser();
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
    if (app) { app.signOut(); return; }
    if (!manager) { sessionStorage.clear(); location.reload(); return; }
    // The page's own keys go now; oidc-client-ts removes its user itself, after reading
    // the ID token that tells the issuer whose session ends (no confirmation page).
    Object.keys(sessionStorage).filter((key) => !key.startsWith("oidc.")).forEach((key) => sessionStorage.removeItem(key));
    await manager.signoutRedirect();
  }

  // The signed-in user as the access token says (display only; the server checks).
  function me() {
    if (!token) { return null; }
    const claims = claimsOf(token);
    return { userId: claims.sub, name: claims.name, discipline: claims.discipline, roles: Array.isArray(claims.roles) ? claims.roles : [], institution: claims.institution };
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

  // The database away (503 service.database-unavailable): a read, a PUT or a request with
  // an Idempotency-Key is sent again after Retry-After, for at most about 15 s, before the
  // page says so; other requests say so at once (the user decides to try again).
  const RETRY_WITHIN_MS = 15000;

  async function api(path, options) {
    fromApp();
    const opts = options || {};
    const headers = Object.assign({ Authorization: "Bearer " + token, Accept: "application/json" }, opts.headers || {});
    if (opts.body !== undefined) { headers["Content-Type"] = "application/json"; }
    const method = opts.method || "GET";
    const retriable = method === "GET" || method === "PUT" || headers["Idempotency-Key"] !== undefined;
    const started = Date.now();
    let response;
    for (;;) {
      response = await fetch(path, {
        method, headers, body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined
      });
      const wait = 1000 * (parseInt(response.headers.get("Retry-After"), 10) || 0);
      if (response.status !== 503 || !retriable || wait <= 0 || Date.now() - started + wait > RETRY_WITHIN_MS) { break; }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (response.status === 401) { sessionStorage.removeItem(TOKEN); token = null; }
    if (!response.ok) { throw new Problem(response.status, await response.json().catch(() => ({}))); }
    return response.status === 204 ? null : response.json();
  }

  // The caller's live events (SSE). EventSource cannot send a bearer token, so the stream
  // is read with fetch; after a drop it reconnects and calls onOpen again (re-sync there).
  // query: e.g. "?glasses=<deviceId>", so the ward's glasses hear the SO call them back.
  function events(onEvent, onOpen, onDrop, query) {
    let stopped = false;
    let controller = null;
    async function run() {
      while (!stopped && freshToken()) {
        controller = new AbortController();
        try {
          const response = await fetch("/api/v1/events" + (query || ""), {
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
    init, demoUsers, signInDemo, signInOidc, signInDevice, signOut, me, api, events, Problem,
    get config() { return config; },
    get token() { fromApp(); return token; }
  };
})();
