// What the glasses app adds to the glasses page through its bridge (window.BeeldzorgApp,
// which answers only this backend's pages): the glasses' own barcode reader, and how far
// the world camera zooms. In a browser tab there is no bridge and nothing here is offered.
(function () {
  "use strict";
  const app = () => window.BeeldzorgApp || null;
  const ask = (method) => {
    const bridge = app();
    try { return bridge && typeof bridge[method] === "function" ? bridge[method]() : null; } catch (e) { return null; }
  };

  // The barcode app runs in front of the page and answers with a window event:
  // {text}, {cancelled: true} or {error}. One scan at a time.
  let pending = null;
  window.addEventListener("beeldzorg-barcode", (e) => {
    const done = pending;
    pending = null;
    if (done) { done(e.detail && typeof e.detail === "object" ? e.detail : { error: "unreadable" }); }
  });
  const barcode = {
    available: () => ask("hasBarcodeReader") === true,
    scan: () => new Promise((resolve) => {
      if (ask("scanBarcode") !== true) { resolve({ error: "unavailable" }); return; }
      if (pending) { pending({ cancelled: true }); }
      pending = resolve;
    })
  };

  // Zoom steps a nurse can tell apart by voice, within what the camera does.
  const LEVELS = [1, 1.5, 2, 3, 4, 6, 8, 10];

  function deviceRange() {
    const text = ask("cameraZoom");
    try { return text ? JSON.parse(text) : null; } catch (e) { return null; }
  }

  // The outgoing camera track's zoom, where the browser can zoom it
  // (getCapabilities().zoom); capped by the device camera's own limit when the app
  // reports one. Null when the track does not zoom: the page then offers no zoom command.
  function zoom(track) {
    const capabilities = track && typeof track.getCapabilities === "function" ? track.getCapabilities() : {};
    const range = capabilities && capabilities.zoom;
    if (!range || !(range.max > range.min)) { return null; }
    const device = deviceRange();
    const max = device && device.max > range.min ? Math.min(range.max, device.max) : range.max;
    const step = range.step > 0 ? range.step : 0;
    const snap = (value) => {
      const snapped = step ? range.min + Math.round((value - range.min) / step) * step : value;
      return Math.min(max, Math.max(range.min, Math.round(snapped * 100) / 100));
    };
    const levels = [range.min].concat(LEVELS.filter((l) => l > range.min && l < max)).concat([max]).map(snap)
      .filter((l, i, all) => all.indexOf(l) === i);
    const settings = typeof track.getSettings === "function" ? track.getSettings() : {};
    const control = {
      min: range.min,
      max,
      level: typeof settings.zoom === "number" ? snap(settings.zoom) : range.min,
      async to(level) {
        await track.applyConstraints({ advanced: [{ zoom: level }] });
        control.level = level;
        return level;
      },
      in() {
        const next = levels.find((l) => l > control.level + 1e-6);
        return next === undefined ? Promise.resolve(control.level) : control.to(next);
      },
      out() {
        const lower = levels.filter((l) => l < control.level - 1e-6);
        return lower.length ? control.to(lower[lower.length - 1]) : Promise.resolve(control.level);
      }
    };
    return control;
  }

  window.Beeldzorg = window.Beeldzorg || {};
  window.Beeldzorg.glassesDevice = { barcode, zoom };
})();
