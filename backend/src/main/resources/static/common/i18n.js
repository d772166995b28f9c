// The texts of the consultant's app and the glasses page: one dictionary per language.
// Dutch is the default (the users are Dutch nurses and doctors); English is selectable.
(function () {
  "use strict";
  const texts = {
    nl: {
      "app.title": "Beeldzorg · consulent",
      "glasses.title": "Beeldzorg · bril",
      "language": "Taal",
      "signin.title": "Aanmelden",
      "signin.user": "Demo-gebruiker",
      "signin.button": "Aanmelden",
      "signin.oidc": "Aanmelden bij uw organisatie",
      "signin.demoHint": "Demomodus: kies een gebruiker.",
      "signout": "Afmelden",
      "inbox.title": "Binnenkomende consulten",
      "inbox.empty": "Geen consulten die op u wachten.",
      "inbox.live": "Live verbonden",
      "inbox.reconnecting": "Verbinding met de server herstellen…",
      "inbox.accept": "Aannemen",
      "inbox.decline": "Weigeren",
      "inbox.from": "Van",
      "inbox.location": "Locatie",
      "inbox.client": "Cliënt",
      "inbox.question": "Vraag",
      "inbox.alreadyTaken": "Een collega heeft dit consult al aangenomen.",
      "urgency.ROUTINE": "Vandaag",
      "urgency.URGENT": "Binnen het uur",
      "urgency.EMERGENCY": "Spoed",
      "call.connecting": "Verbinden…",
      "call.waiting": "Wachten tot de ander in beeld is…",
      "call.connected": "Verbonden",
      "call.reconnecting": "Verbinding even weg, opnieuw verbinden…",
      "call.poor": "Zwak netwerk: beeld kan haperen",
      "call.failed": "Verbinding mislukt. Controleer het netwerk.",
      "call.ended": "Consult beëindigd",
      "call.mute": "Dempen",
      "call.unmute": "Dempen uit",
      "call.cameraOff": "Camera uit",
      "call.cameraOn": "Camera aan",
      "call.end": "Beëindig consult",
      "call.tapHint": "Tik op het beeld om een plek aan te wijzen.",
      "call.photos": "Foto's van de bril",
      "call.photoArrived": "Foto ontvangen",
      "call.photoDownload": "Download foto",
      "call.photoBroken": "Foto kwam beschadigd aan; vraag opnieuw.",
      "outcome.title": "Uitkomst van het consult",
      "outcome.resolution": "Resultaat",
      "outcome.RESOLVED_REMOTELY": "Op afstand opgelost",
      "outcome.VISIT_STILL_NEEDED": "Bezoek toch nodig",
      "outcome.REFERRED": "Doorverwezen",
      "outcome.withoutVideo": "Wat was er gebeurd zonder beeldbellen?",
      "outcome.PHYSICAL_VISIT": "Ik was erheen gereden",
      "outcome.PHONE_CALL": "Telefonisch overleg",
      "outcome.NEXT_REGULAR_VISIT": "Bij de volgende visite",
      "outcome.NOTHING": "Niets",
      "outcome.handover": "Overdrachtstijd bespaard (minuten, leeg = norm)",
      "outcome.save": "Opslaan",
      "outcome.saved": "Opgeslagen: {minutes} minuten bespaard.",
      "outcome.skip": "Later invullen",
      "glasses.location": "Locatie",
      "glasses.client": "Cliënt",
      "glasses.scan": "Scan cliënt",
      "glasses.scanning": "Houd de QR-code van de cliënt voor de camera…",
      "glasses.scanned": "Cliënt gescand",
      "glasses.typeClient": "Of typ de cliëntcode",
      "glasses.urgency": "Urgentie",
      "glasses.question": "Vraag (optioneel)",
      "glasses.start": "Start consult",
      "glasses.cancel": "Annuleer consult",
      "glasses.ringing": "Gaat over bij: {names}",
      "glasses.accepted": "Aangenomen door {name}",
      "glasses.missed": "Niemand nam op. Bel de achterwacht: {fallback}",
      "glasses.missedNoNumber": "Niemand nam op. Bel de achterwacht volgens uw afspraken.",
      "glasses.cancelled": "Consult geannuleerd.",
      "glasses.photo": "Maak foto",
      "glasses.photoSent": "Foto verstuurd",
      "glasses.needLocation": "Kies eerst een locatie.",
      "glasses.needClient": "Scan of typ eerst de cliënt.",
      "glasses.newConsult": "Nieuw consult",
      "error.generic": "Er ging iets mis: {detail}",
      "error.camera": "Geen toegang tot camera of microfoon."
    },
    en: {
      "app.title": "Beeldzorg · consultant",
      "glasses.title": "Beeldzorg · glasses",
      "language": "Language",
      "signin.title": "Sign in",
      "signin.user": "Demo user",
      "signin.button": "Sign in",
      "signin.oidc": "Sign in with your organisation",
      "signin.demoHint": "Demo mode: pick a user.",
      "signout": "Sign out",
      "inbox.title": "Incoming consults",
      "inbox.empty": "No consults waiting for you.",
      "inbox.live": "Live",
      "inbox.reconnecting": "Reconnecting to the server…",
      "inbox.accept": "Accept",
      "inbox.decline": "Decline",
      "inbox.from": "From",
      "inbox.location": "Location",
      "inbox.client": "Client",
      "inbox.question": "Question",
      "inbox.alreadyTaken": "A colleague already accepted this consult.",
      "urgency.ROUTINE": "Today",
      "urgency.URGENT": "Within the hour",
      "urgency.EMERGENCY": "Emergency",
      "call.connecting": "Connecting…",
      "call.waiting": "Waiting for the other side…",
      "call.connected": "Connected",
      "call.reconnecting": "Connection lost for a moment, reconnecting…",
      "call.poor": "Poor network: the picture may stutter",
      "call.failed": "Could not connect. Check the network.",
      "call.ended": "Consult ended",
      "call.mute": "Mute",
      "call.unmute": "Unmute",
      "call.cameraOff": "Camera off",
      "call.cameraOn": "Camera on",
      "call.end": "End consult",
      "call.tapHint": "Tap the picture to point at a spot.",
      "call.photos": "Photos from the glasses",
      "call.photoArrived": "Photo received",
      "call.photoDownload": "Download photo",
      "call.photoBroken": "The photo arrived damaged; ask again.",
      "outcome.title": "Outcome of the consult",
      "outcome.resolution": "Result",
      "outcome.RESOLVED_REMOTELY": "Resolved remotely",
      "outcome.VISIT_STILL_NEEDED": "A visit is still needed",
      "outcome.REFERRED": "Referred",
      "outcome.withoutVideo": "What would have happened without video?",
      "outcome.PHYSICAL_VISIT": "I would have driven there",
      "outcome.PHONE_CALL": "A phone call",
      "outcome.NEXT_REGULAR_VISIT": "At the next regular visit",
      "outcome.NOTHING": "Nothing",
      "outcome.handover": "Handover time saved (minutes, empty = norm)",
      "outcome.save": "Save",
      "outcome.saved": "Saved: {minutes} minutes saved.",
      "outcome.skip": "Fill in later",
      "glasses.location": "Location",
      "glasses.client": "Client",
      "glasses.scan": "Scan client",
      "glasses.scanning": "Hold the client's QR code in front of the camera…",
      "glasses.scanned": "Client scanned",
      "glasses.typeClient": "Or type the client code",
      "glasses.urgency": "Urgency",
      "glasses.question": "Question (optional)",
      "glasses.start": "Start consult",
      "glasses.cancel": "Cancel consult",
      "glasses.ringing": "Ringing: {names}",
      "glasses.accepted": "Accepted by {name}",
      "glasses.missed": "Nobody answered. Call the backup: {fallback}",
      "glasses.missedNoNumber": "Nobody answered. Call the backup as agreed.",
      "glasses.cancelled": "Consult cancelled.",
      "glasses.photo": "Take photo",
      "glasses.photoSent": "Photo sent",
      "glasses.needLocation": "Choose a location first.",
      "glasses.needClient": "Scan or type the client first.",
      "glasses.newConsult": "New consult",
      "error.generic": "Something went wrong: {detail}",
      "error.camera": "No access to camera or microphone."
    }
  };

  const params = new URLSearchParams(location.search);
  let language = params.get("lang") || localStorage.getItem("beeldzorg.lang") || "nl";
  if (!texts[language]) { language = "nl"; }

  function t(key, vars) {
    let text = (texts[language] && texts[language][key]) || texts.nl[key] || key;
    Object.entries(vars || {}).forEach(([name, value]) => { text = text.split("{" + name + "}").join(String(value)); });
    return text;
  }

  // Elements carry data-text (content), data-label (aria-label and title) or data-placeholder.
  function apply(root) {
    document.documentElement.lang = language;
    (root || document).querySelectorAll("[data-text]").forEach((el) => { el.textContent = t(el.dataset.text); });
    (root || document).querySelectorAll("[data-label]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.label)); });
    (root || document).querySelectorAll("[data-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.placeholder); });
  }

  function use(next) {
    if (texts[next]) { language = next; localStorage.setItem("beeldzorg.lang", next); apply(); }
  }

  window.Beeldzorg = window.Beeldzorg || {};
  window.Beeldzorg.i18n = { t, apply, use, get language() { return language; }, languages: Object.keys(texts) };
})();
