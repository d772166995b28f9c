// One video call: the signalling WebSocket (API.md), a peer connection per other
// participant (a mesh), and a data channel per peer for photos and the pointer.
//
// Who offers: the peer that joins later offers to everyone its "joined" lists. After a
// network drop this side keeps its peer connections and rejoins within the grace period;
// then the impolite side of each pair (the higher peer id is polite) offers again with an
// ICE restart, when it is back itself or hears the other is ("peer-joined"). When the other side reloaded its page, its offer
// carries a new DTLS fingerprint: the old peer connection is replaced by a new one.
//
// Through the SFU (API.md "Media through the SFU", v1.1): when "joined" says media "sfu",
// or a {"type":"media","mode":"sfu"} arrives, this side publishes its stream to the peer
// "sfu" and subscribes to each other participant (recvonly, "subscribe": <peerId>); the
// peer-to-peer connections carry the picture until the SFU path is connected, so it does
// not break; "p2p" goes back to a mesh, and "media-server-restarted" publishes and
// subscribes again. Photos and the pointer always go peer to peer on the data channel:
// through the SFU each pair keeps a data-only peer connection (API.md, "clients may keep
// data-only peer connections in sfu mode"). A subscription is shown once its first video
// frames are decoded; then this side says {"type":"sfu-receiving"} on the data channel to
// that participant, who stops sending media on the pair's peer-to-peer connection
// (replaceTrack(null), no renegotiation): each picture moves over only when its new path
// shows it, and without that word the peer-to-peer media goes on (bandwidth, not a break).
// The connection sends media again if the consult goes back to peer to peer (or while a
// restarted media server is rebuilt); a participant who joins a consult already in sfu
// mode offers each other one a connection with only the data channel, through the usual
// peer-addressed offer.
(function () {
  "use strict";
  const CHUNK = 16 * 1024;
  // ?trace=1 logs every signalling message (types and peers only, never SDP contents).
  const TRACE = new URLSearchParams(location.search).get("trace") === "1";
  const trace = (...args) => { if (TRACE) { console.info("[call]", ...args); } };
  const HIGH_WATER = 1024 * 1024;

  function fingerprint(sdp) {
    const match = /a=fingerprint:(\S+ \S+)/.exec(sdp || "");
    return match ? match[1] : null;
  }

  // The most a photo over the data channel may weigh: a 4K still is well under it.
  const MAX_PHOTO = 20 * 1024 * 1024;

  // What the bytes are, from their first bytes, whatever the sender claims: JPEG, PNG or
  // WebP, else null. Only these become a picture on this page.
  function imageTypeOf(bytes) {
    const at = (i, values) => values.every((v, k) => bytes[i + k] === v);
    if (bytes.length > 3 && at(0, [0xff, 0xd8, 0xff])) { return "image/jpeg"; }
    if (bytes.length > 8 && at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) { return "image/png"; }
    if (bytes.length > 12 && at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) { return "image/webp"; }
    return null;
  }

  async function sha256(buffer) {
    const digest = await crypto.subtle.digest("SHA-256", buffer);
    return Array.from(new Uint8Array(digest)).map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  class Call extends EventTarget {
    /**
     * @param {object} options consultId, join ({token, signallingUrl, iceServers}), stream
     *   (the local MediaStream), iceTransportPolicy ("all" or "relay"), maxVideoKbps
     */
    constructor(options) {
      super();
      this.consultId = options.consultId;
      this.join = options.join;
      this.stream = options.stream;
      this.policy = options.iceTransportPolicy || "all";
      this.maxVideoKbps = options.maxVideoKbps || 0;
      this.iceServers = options.join.iceServers || [];
      this.peers = new Map();
      this.peerId = null;
      this.closed = false;
      this.attempt = 0;
      this.reconnectIn = null;
      this.lastLoss = new Map();
      this.inbox = Promise.resolve();
      // Media truth (API.md "Media state", v1.1): what was last reported, and the byte and
      // packet counters of the last stats report, for rates over the interval.
      this.mediaSent = null;
      this.mediaBase = null;
      // Where media flows: "p2p" (a mesh of peer connections) or "sfu" (one published
      // stream, one subscription per other participant).
      this.mode = "p2p";
      this.sfu = null;
      this.subs = new Map();
      // What the SFU path did, in order (for tests and ?trace=1; never SDP contents).
      this.mediaLog = [];
    }

    log(what) {
      this.mediaLog.push(what);
      trace("media", what);
    }

    start() {
      this.connect();
      this.watchTimer = setInterval(() => this.watch(), 2000);
      this.pingTimer = setInterval(() => this.send({ type: "ping" }), 20000);
      return this;
    }

    emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }

    send(message) {
      trace("out", message.type, message.to || "");
      if (this.ws && this.ws.readyState === WebSocket.OPEN) { this.ws.send(JSON.stringify(message)); }
    }

    connect() {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      const ws = new WebSocket(scheme + location.host + this.join.signallingUrl);
      this.ws = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: "join", token: this.join.token }));
      // One message at a time, in order: an answer or a candidate must never overtake the
      // offer it belongs to while that offer is still being applied.
      ws.onmessage = (event) => {
        const message = JSON.parse(event.data);
        if (message.type === "reconnect") {
          // The node shuts down (restart, rolling deploy): go to another one now, not
          // after the back-off; the seat and the peer id wait for us within the grace.
          trace("in", message.type, message.reason || "");
          this.reconnectIn = Math.max(0, Number(message.retryAfterMs) || 0);
          this.attempt = 0;
          ws.close();
          return;
        }
        this.inbox = this.inbox.then(() => this.onSignal(message)).catch((e) => this.emit("problem", { message: String(e) }));
      };
      ws.onclose = () => {
        if (this.ws !== ws || this.closed) { return; }
        this.emit("signalling", { state: "reconnecting" });
        const delay = this.reconnectIn != null ? this.reconnectIn : Math.min(500 * Math.pow(2, this.attempt++), 3000);
        this.reconnectIn = null;
        setTimeout(() => { if (!this.closed) { this.connect(); } }, delay);
      };
    }

    async onSignal(message) {
      trace("in", message.type, message.from || "", message.code || "");
      switch (message.type) {
        case "joined": {
          this.peerId = message.peerId;
          this.attempt = 0;
          this.mediaSent = null;
          if (message.iceServers && message.iceServers.length) { this.iceServers = message.iceServers; }
          this.emit("signalling", { state: "open", peers: message.peers });
          this.reportMedia();
          if (message.media === "sfu") {
            // Through the SFU from the start (or again after a rejoin): publish and
            // subscribe; peer connections kept from before stay for the data channel and
            // stop their media once the other side shows us through the SFU.
            const dataOnly = [];
            for (const info of message.peers) {
              const known = this.peers.get(info.peerId);
              if (known) { known.info = info; } else { this.peers.set(info.peerId, { info, pc: null, pending: [] }); }
              if (!known || !known.pc || known.pc.connectionState === "closed") { dataOnly.push(info); }
              this.emit("peer", info);
            }
            this.mode = "sfu";
            this.log("joined sfu");
            await this.startSfu();
            // Photos and the pointer: a data-only peer connection to each other participant.
            for (const info of dataOnly) {
              await this.offer(this.createPeer(info, true, true), false);
              this.log("data-only offer " + info.peerId);
            }
            break;
          }
          if (this.mode === "sfu") { this.stopSfu(); this.mode = "p2p"; this.log("joined p2p"); }
          for (const info of message.peers) {
            const known = this.peers.get(info.peerId);
            if (known && known.pc && known.pc.connectionState !== "closed") {
              known.info = info;
              // Back after a rejoin: only the impolite side restarts ICE, here or when the
              // other side is back (its "peer-joined"); the polite side never does. Two
              // restarts crossing (glare, one rolled back) stalled the video for a second
              // when both sides moved at once; the media path itself never moved.
              if (!this.polite(info.peerId)) { await this.offer(known, true); }
            } else {
              await this.offer(this.createPeer(info, true), false);
            }
            this.emit("peer", info);
          }
          break;
        }
        case "peer-joined": {
          const known = this.peers.get(message.peer.peerId);
          if (known) {
            known.info = message.peer;
            // The other side is back on some node (it moved, or both did): the impolite side
            // restarts ICE through the signalling as it is now, once; an offer sent while the
            // other was away was lost. Not at once: a page that reloaded offers anew (a new
            // DTLS fingerprint replaces the peer connection), and that offer goes first.
            const pc = known.pc;
            const peerId = message.peer.peerId;
            if (pc && this.mode !== "sfu" && !this.polite(peerId)) {
              const offers = known.remoteOffers || 0;
              setTimeout(() => {
                if (this.peers.get(peerId) === known && known.pc === pc && !this.closed && pc.connectionState !== "closed"
                    && (known.remoteOffers || 0) === offers && this.mode !== "sfu") {
                  this.inbox = this.inbox.then(() => this.offer(known, true)).catch(() => {});
                }
              }, 500);
            }
          } else { this.peers.set(message.peer.peerId, { info: message.peer, pc: null, pending: [] }); }
          this.emit("peer", message.peer);
          this.log("peer-joined " + message.peer.peerId);
          // Through the SFU, a newcomer publishes; receive it.
          if (this.mode === "sfu" && this.sfu) { await this.subscribe(message.peer.peerId); }
          break;
        }
        case "media": {
          this.log("media " + message.mode + (message.reason ? " " + message.reason : ""));
          if (message.mode === "sfu" && (this.mode !== "sfu" || message.reason === "media-server-restarted" || !this.sfu)) {
            // While a restarted media server is rebuilt, connections that carried media
            // carry it again; they stop once the SFU path is connected anew.
            if (message.reason === "media-server-restarted") { this.resumeMeshMedia(); }
            this.mode = "sfu";
            await this.startSfu();
          } else if (message.mode === "p2p" && this.mode !== "p2p") {
            this.mode = "p2p";
            this.stopSfu();
            await this.backToPeerToPeer();
          }
          break;
        }
        case "peer-left": {
          this.closeSubscription(message.peerId);
          this.closePeer(message.peerId);
          this.emit("peer-left", { peerId: message.peerId });
          break;
        }
        case "offer": {
          if (message.from === "sfu") { return; }
          await this.onOffer(message.from, message.sdp);
          break;
        }
        case "answer": {
          if (message.from === "sfu") { await this.onSfuAnswer(message); break; }
          const entry = this.peers.get(message.from);
          if (!entry || !entry.pc || entry.pc.signalingState !== "have-local-offer") { return; }
          await entry.pc.setRemoteDescription({ type: "answer", sdp: message.sdp });
          entry.remoteFingerprint = fingerprint(message.sdp);
          await this.flush(entry);
          this.capBitrate(entry.pc);
          break;
        }
        case "ice": {
          if (message.from === "sfu") {
            const sfu = message.subscribe ? this.subs.get(message.subscribe) : this.sfu;
            if (!sfu) { return; }
            if (sfu.pc.remoteDescription) { await sfu.pc.addIceCandidate(message.candidate).catch(() => {}); } else { sfu.pending.push(message.candidate); }
            break;
          }
          const entry = this.peers.get(message.from);
          if (!entry) { return; }
          if (entry.pc && entry.pc.remoteDescription) {
            await entry.pc.addIceCandidate(message.candidate).catch(() => {});
          } else {
            entry.pending.push(message.candidate);
          }
          break;
        }
        case "recording": {
          // The server tells every peer when a recording starts and stops (API.md v1.1).
          this.recording = message.state === "started" ? message.recordingId : null;
          this.emit("recording", { state: message.state, recordingId: message.recordingId });
          break;
        }
        case "ended": this.close(false); this.emit("ended", {}); break;
        case "error": this.emit("problem", message); break;
        default: break;
      }
    }

    // dataOnly: only the data channel (photos, the pointer), for a consult in sfu mode.
    createPeer(info, offerer, dataOnly) {
      const previous = this.peers.get(info.peerId);
      if (previous && previous.pc) { previous.pc.close(); }
      const pc = new RTCPeerConnection({ iceServers: this.iceServers, iceTransportPolicy: this.policy });
      const entry = { info, pc, pending: [], channel: null, incoming: null, remoteStream: new MediaStream(), attached: false, makingOffer: false, mediaStopped: false };
      this.peers.set(info.peerId, entry);
      pc.onicecandidate = (event) => {
        if (event.candidate && entry.pc === pc) { this.send({ type: "ice", to: info.peerId, candidate: event.candidate.toJSON() }); }
      };
      pc.ontrack = (event) => {
        if (entry.pc !== pc) { return; }
        entry.remoteStream = event.streams[0] || entry.remoteStream;
        if (!event.streams[0]) { entry.remoteStream.addTrack(event.track); }
        this.emit("track", { peerId: info.peerId, stream: entry.remoteStream });
      };
      pc.onconnectionstatechange = () => {
        if (entry.pc !== pc) { return; }
        trace("state", info.peerId, pc.connectionState);
        this.emit("state", { peerId: info.peerId, state: pc.connectionState });
        this.reportMedia();
        // A path that died (Wi-Fi handover): the impolite side restarts ICE.
        if (pc.connectionState === "failed" && !this.polite(info.peerId) && this.ws.readyState === WebSocket.OPEN) {
          this.offer(entry, true);
        }
      };
      pc.ondatachannel = (event) => this.useChannel(entry, event.channel);
      // No connection after 20 s (a firewall, a TURN server refusing us): say so rather
      // than "connecting" for ever. A later success still shows as connected.
      setTimeout(() => {
        if (entry.pc === pc && !this.closed && pc.connectionState !== "connected") {
          this.emit("state", { peerId: info.peerId, state: "failed" });
          this.reportMedia("failed");
        }
      }, 20000);
      if (offerer) {
        if (!dataOnly) { this.attach(entry, true); }
        this.useChannel(entry, pc.createDataChannel("beeldzorg", { ordered: true }));
      }
      return entry;
    }

    // Publishes the own stream to the SFU and subscribes to every other participant.
    async startSfu() {
      this.stopSfu();
      const publisher = this.createSfuPeer(null);
      this.sfu = publisher;
      const tracks = this.stream ? this.stream.getTracks() : [];
      ["audio", "video"].forEach((kind) => {
        const track = tracks.find((candidate) => candidate.kind === kind);
        const init = { direction: "sendonly", streams: this.stream ? [this.stream] : [] };
        if (kind === "video" && this.maxVideoKbps) { init.sendEncodings = [{ maxBitrate: this.maxVideoKbps * 1000 }]; }
        publisher.pc.addTransceiver(track || kind, init);
      });
      await this.offerSfu(publisher);
      for (const peerId of Array.from(this.peers.keys())) { await this.subscribe(peerId); }
    }

    async subscribe(peerId) {
      this.closeSubscription(peerId);
      const entry = this.createSfuPeer(peerId);
      this.subs.set(peerId, entry);
      if (this.sfu) { this.sfu.complete = false; }
      entry.pc.addTransceiver("audio", { direction: "recvonly" });
      entry.pc.addTransceiver("video", { direction: "recvonly" });
      await this.offerSfu(entry);
    }

    createSfuPeer(subscribe) {
      const pc = new RTCPeerConnection({ iceServers: this.iceServers, iceTransportPolicy: this.policy });
      const entry = { subscribe, pc, pending: [], remoteStream: new MediaStream(), shown: false };
      const current = () => (subscribe ? this.subs.get(subscribe) === entry : this.sfu === entry);
      pc.onicecandidate = (event) => {
        if (!event.candidate || !current()) { return; }
        const message = { type: "ice", to: "sfu", candidate: event.candidate.toJSON() };
        if (subscribe) { message.subscribe = subscribe; }
        this.send(message);
      };
      pc.ontrack = (event) => {
        if (!current()) { return; }
        entry.remoteStream = event.streams[0] || entry.remoteStream;
        if (!event.streams[0]) { entry.remoteStream.addTrack(event.track); }
        if (entry.shown) { this.emit("track", { peerId: subscribe, stream: entry.remoteStream }); }
      };
      pc.onconnectionstatechange = () => {
        if (!current()) { return; }
        const state = pc.connectionState;
        trace("state", subscribe ? "sfu:" + subscribe : "sfu", state);
        this.log((subscribe ? "subscription " + subscribe : "publish") + " " + state);
        if (subscribe) {
          // The picture moves over once the subscription shows frames, not before.
          if (state === "connected" && !entry.shown && !entry.awaiting) { this.showOnceDecoding(entry); }
          if (entry.shown) { this.emit("state", { peerId: subscribe, state }); }
        }
        this.reportMedia();
        this.closeMeshOnceSfuConnected();
      };
      return entry;
    }

    // A connected subscription is shown once it decoded video; the participant is told so
    // on the data channel. Without frames it is shown all the same after 5 s when no
    // peer-to-peer picture of the participant is there to keep (no camera), else after 30 s.
    async showOnceDecoding(entry) {
      entry.awaiting = true;
      const started = performance.now();
      const mesh = this.peers.get(entry.subscribe);
      const until = () => started + (mesh && this.carriesMedia(mesh) && !mesh.mediaStopped ? 30000 : 5000);
      const decoded = async () => {
        let frames = 0;
        (await entry.pc.getStats()).forEach((s) => { if (s.type === "inbound-rtp" && s.kind === "video") { frames += s.framesDecoded || 0; } });
        return frames > 0;
      };
      while (!this.closed && this.subs.get(entry.subscribe) === entry && performance.now() < until() && !(await decoded())) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      entry.awaiting = false;
      if (this.closed || this.subs.get(entry.subscribe) !== entry || entry.pc.connectionState !== "connected") { return; }
      entry.shown = true;
      this.log("subscription shown " + entry.subscribe);
      this.emit("track", { peerId: entry.subscribe, stream: entry.remoteStream });
      this.emit("state", { peerId: entry.subscribe, state: "connected" });
      const peer = this.peers.get(entry.subscribe);
      if (peer && peer.channel && peer.channel.readyState === "open") { peer.channel.send(JSON.stringify({ type: "sfu-receiving" })); }
      this.closeMeshOnceSfuConnected();
    }

    // The participant shows this side through the SFU: the pair's peer-to-peer connection
    // stops sending media (it stays for the data channel).
    stopPeerMedia(entry) {
      if (this.mode !== "sfu" || !entry.pc) { return; }
      const sending = entry.pc.getSenders().filter((sender) => sender.track);
      sending.forEach((sender) => sender.replaceTrack(null).catch(() => {}));
      entry.mediaStopped = true;
      if (sending.length) { this.log("p2p media stopped " + entry.info.peerId); }
    }

    async offerSfu(entry) {
      const offer = await entry.pc.createOffer();
      await entry.pc.setLocalDescription(offer);
      const message = { type: "offer", to: "sfu", sdp: entry.pc.localDescription.sdp };
      if (entry.subscribe) { message.subscribe = entry.subscribe; }
      this.send(message);
      this.log("offer sfu" + (entry.subscribe ? " subscribe " + entry.subscribe : ""));
    }

    async onSfuAnswer(message) {
      const entry = message.subscribe ? this.subs.get(message.subscribe) : this.sfu;
      const which = message.subscribe ? " subscribe " + message.subscribe : "";
      if (!entry || entry.pc.signalingState !== "have-local-offer") { this.log("answer sfu ignored" + which); return; }
      this.log("answer sfu" + which);
      try {
        await entry.pc.setRemoteDescription({ type: "answer", sdp: message.sdp });
      } catch (e) {
        // The mesh stays while the SFU path does not connect: nothing breaks for the user.
        this.log("answer sfu refused" + which + " " + e.name);
        return;
      }
      const pending = entry.pending.splice(0);
      for (const candidate of pending) { await entry.pc.addIceCandidate(candidate).catch(() => {}); }
      if (!message.subscribe) { this.capBitrate(entry.pc); }
    }

    // Once the own stream is published and every other participant's is shown through
    // the SFU: "sfu connected" (once per SFU path). The peer-to-peer media stops per pair,
    // on the other side's "sfu-receiving".
    closeMeshOnceSfuConnected() {
      if (this.mode !== "sfu" || !this.sfu || this.sfu.pc.connectionState !== "connected" || this.sfu.complete) { return; }
      for (const peerId of this.peers.keys()) {
        const sub = this.subs.get(peerId);
        if (!sub || !sub.shown || sub.pc.connectionState !== "connected") { return; }
      }
      this.sfu.complete = true;
      this.log("sfu connected");
    }

    // Peer-to-peer connections that stopped sending media for the SFU send it again, on
    // the transceivers they kept (no renegotiation), and show the peer's picture again.
    resumeMeshMedia() {
      const tracks = this.stream ? this.stream.getTracks() : [];
      this.peers.forEach((entry) => {
        if (!entry.pc || !entry.mediaStopped || entry.pc.connectionState === "closed" || !this.carriesMedia(entry)) { return; }
        entry.mediaStopped = false;
        entry.pc.getTransceivers().forEach((transceiver) => {
          const track = tracks.find((candidate) => candidate.kind === transceiver.receiver.track.kind);
          if (track && !transceiver.sender.track && transceiver.direction !== "recvonly") { transceiver.sender.replaceTrack(track).catch(() => {}); }
        });
        this.emit("track", { peerId: entry.info.peerId, stream: entry.remoteStream });
        this.log("p2p media resumed " + entry.info.peerId);
      });
    }

    closeSubscription(peerId) {
      const sub = this.subs.get(peerId);
      if (sub) { sub.pc.close(); this.subs.delete(peerId); }
    }

    stopSfu() {
      if (this.sfu) { this.sfu.pc.close(); this.sfu = null; }
      Array.from(this.subs.keys()).forEach((peerId) => this.closeSubscription(peerId));
    }

    // Whether a peer connection was negotiated with media (a data-only one has no
    // transceivers, on the offering and on the answering side).
    carriesMedia(entry) { return !!entry.pc && entry.pc.getTransceivers().length > 0; }

    // Back to a mesh (no media server reachable): a peer connection that still works and
    // carried media sends it again; otherwise (none, or data only) the side the glare rule
    // makes impolite offers anew.
    async backToPeerToPeer() {
      this.resumeMeshMedia();
      for (const [peerId, entry] of this.peers) {
        if (entry.pc && entry.pc.connectionState === "connected" && this.carriesMedia(entry)) { continue; }
        if (!this.polite(peerId)) { await this.offer(this.createPeer(entry.info, true), false); }
      }
    }

    // Sends the local tracks: as new transceivers when offering, on the transceivers the
    // remote offer created when answering.
    attach(entry, offering) {
      const tracks = this.stream ? this.stream.getTracks() : [];
      ["audio", "video"].forEach((kind) => {
        const track = tracks.find((candidate) => candidate.kind === kind);
        if (offering) {
          const init = { direction: track ? "sendrecv" : "recvonly", streams: this.stream ? [this.stream] : [] };
          if (kind === "video" && this.maxVideoKbps) { init.sendEncodings = [{ maxBitrate: this.maxVideoKbps * 1000 }]; }
          entry.pc.addTransceiver(track || kind, init);
        } else if (track) {
          const transceiver = entry.pc.getTransceivers().find((t) => t.receiver.track.kind === kind && !t.sender.track);
          if (transceiver) {
            transceiver.sender.replaceTrack(track);
            transceiver.sender.setStreams(this.stream);
            transceiver.direction = "sendrecv";
          }
        }
      });
      entry.attached = true;
    }

    async offer(entry, iceRestart) {
      entry.makingOffer = true;
      try {
        const offer = await entry.pc.createOffer({ iceRestart });
        if (iceRestart) { this.iceRestarts = (this.iceRestarts || 0) + 1; }
        await entry.pc.setLocalDescription(offer);
        this.send({ type: "offer", to: entry.info.peerId, sdp: entry.pc.localDescription.sdp });
      } finally {
        entry.makingOffer = false;
      }
    }

    async onOffer(from, sdp) {
      let entry = this.peers.get(from);
      const remote = fingerprint(sdp);
      if (!entry || !entry.pc || (entry.remoteFingerprint && remote !== entry.remoteFingerprint)) {
        entry = this.createPeer(entry ? entry.info : { peerId: from }, false);
      }
      const pc = entry.pc;
      if (entry.makingOffer || pc.signalingState !== "stable") {
        if (!this.polite(from)) { return; }
        await pc.setLocalDescription({ type: "rollback" });
      }
      await pc.setRemoteDescription({ type: "offer", sdp });
      entry.remoteOffers = (entry.remoteOffers || 0) + 1;
      entry.remoteFingerprint = remote;
      if (!entry.attached) { this.attach(entry, false); }
      await this.flush(entry);
      await pc.setLocalDescription(await pc.createAnswer());
      this.send({ type: "answer", to: from, sdp: pc.localDescription.sdp });
      this.capBitrate(pc);
    }

    polite(other) { return this.peerId !== null && this.peerId > other; }

    async flush(entry) {
      const pending = entry.pending.splice(0);
      for (const candidate of pending) { await entry.pc.addIceCandidate(candidate).catch(() => {}); }
    }

    capBitrate(pc) {
      if (!this.maxVideoKbps) { return; }
      pc.getSenders().filter((s) => s.track && s.track.kind === "video").forEach((sender) => {
        const parameters = sender.getParameters();
        if (!parameters.encodings || !parameters.encodings.length) { return; }
        parameters.encodings.forEach((encoding) => { encoding.maxBitrate = this.maxVideoKbps * 1000; });
        sender.setParameters(parameters).catch(() => {});
      });
    }

    useChannel(entry, channel) {
      entry.channel = channel;
      channel.binaryType = "arraybuffer";
      channel.bufferedAmountLowThreshold = CHUNK * 16;
      channel.onopen = () => this.emit("channel", { peerId: entry.info.peerId, open: true });
      channel.onmessage = (event) => this.onData(entry, event.data).catch((e) => this.emit("problem", { message: String(e) }));
    }

    async onData(entry, data) {
      if (typeof data === "string") {
        const message = JSON.parse(data);
        if (message.type === "sfu-receiving") {
          this.stopPeerMedia(entry);
        } else if (message.type === "pointer") {
          this.emit("pointer", { peerId: entry.info.peerId, x: message.x, y: message.y });
        } else if (message.type === "photo") {
          const size = Number(message.size);
          if (!Number.isInteger(size) || size <= 0 || size > MAX_PHOTO) {
            entry.incoming = null;
            this.emit("photo-refused", { peerId: entry.info.peerId, reason: "size", claimed: String(message.mime || "") });
          } else {
            entry.incoming = { meta: message, bytes: new Uint8Array(size), received: 0 };
          }
        }
        return;
      }
      const incoming = entry.incoming;
      if (!incoming) { return; }
      const chunk = new Uint8Array(data);
      if (incoming.received + chunk.byteLength > incoming.bytes.byteLength) {
        entry.incoming = null;
        this.emit("photo-refused", { peerId: entry.info.peerId, reason: "size", claimed: String(incoming.meta.mime || "") });
        return;
      }
      incoming.bytes.set(chunk, incoming.received);
      incoming.received += chunk.byteLength;
      if (incoming.received === incoming.bytes.byteLength) {
        entry.incoming = null;
        // The type comes from the bytes, never from the sender's word: anything that is
        // not a JPEG, PNG or WebP is refused and never becomes a blob (nor a blob URL).
        const type = imageTypeOf(incoming.bytes);
        if (!type) {
          this.emit("photo-refused", { peerId: entry.info.peerId, reason: "not-an-image", claimed: String(incoming.meta.mime || "") });
          return;
        }
        const hash = await sha256(incoming.bytes);
        const blob = new Blob([incoming.bytes], { type });
        const meta = Object.assign({}, incoming.meta, { mime: type });
        this.emit("photo", { peerId: entry.info.peerId, blob, meta, sha256: hash, intact: hash === incoming.meta.sha256 });
      }
    }

    openChannels() {
      return Array.from(this.peers.values()).map((e) => e.channel).filter((c) => c && c.readyState === "open");
    }

    sendPointer(x, y) {
      const message = JSON.stringify({ type: "pointer", x, y });
      this.openChannels().forEach((channel) => channel.send(message));
    }

    // A still to every peer: a header with size and SHA-256, then 16 KiB chunks, paced by
    // the channel's buffer so a large photo never overruns it.
    async sendPhoto(blob, width, height) {
      const bytes = await blob.arrayBuffer();
      const header = { type: "photo", id: crypto.randomUUID(), mime: blob.type || "image/jpeg", size: bytes.byteLength, sha256: await sha256(bytes), width, height, takenAt: new Date().toISOString() };
      const channels = this.openChannels();
      for (const channel of channels) {
        channel.send(JSON.stringify(header));
        for (let offset = 0; offset < bytes.byteLength; offset += CHUNK) {
          if (channel.bufferedAmount > HIGH_WATER) {
            await new Promise((resolve) => channel.addEventListener("bufferedamountlow", resolve, { once: true }));
          }
          channel.send(bytes.slice(offset, offset + CHUNK));
        }
      }
      return Object.assign(header, { peers: channels.length });
    }

    setMuted(muted) { (this.stream ? this.stream.getAudioTracks() : []).forEach((t) => { t.enabled = !muted; }); }

    setCamera(on) { (this.stream ? this.stream.getVideoTracks() : []).forEach((t) => { t.enabled = on; }); }

    // Per peer: connection state, bytes received and sent per kind, candidate type in use.
    async stats() {
      const result = {};
      const connections = new Map();
      for (const [peerId, entry] of this.peers) { if (entry.pc) { connections.set(peerId, entry.pc); } }
      // Through the SFU a subscription stands for its participant once it shows.
      for (const [peerId, sub] of this.subs) { if (sub.shown || !connections.has(peerId)) { connections.set(peerId, sub.pc); } }
      for (const [peerId, pc] of connections) {
        const entry = { pc };
        const summary = { state: entry.pc.connectionState, audioIn: 0, videoIn: 0, audioOut: 0, videoOut: 0, packetsLost: 0, packetsReceived: 0, rtt: null, localCandidate: null, remoteCandidate: null };
        const report = await entry.pc.getStats();
        let pair = null;
        report.forEach((s) => {
          if (s.type === "inbound-rtp") {
            summary[s.kind + "In"] += s.bytesReceived || 0;
            summary.packetsLost += Math.max(0, s.packetsLost || 0);
            summary.packetsReceived += s.packetsReceived || 0;
          }
          if (s.type === "inbound-rtp" && s.kind === "video" && s.frameWidth) { summary.width = s.frameWidth; summary.height = s.frameHeight; }
          if (s.type === "outbound-rtp") { summary[s.kind + "Out"] += s.bytesSent || 0; }
          if (s.type === "transport" && s.selectedCandidatePairId) { pair = report.get(s.selectedCandidatePairId); }
        });
        if (pair) {
          summary.rtt = pair.currentRoundTripTime === undefined ? null : pair.currentRoundTripTime;
          const local = report.get(pair.localCandidateId);
          const remote = report.get(pair.remoteCandidateId);
          summary.localCandidate = local ? local.candidateType : null;
          summary.remoteCandidate = remote ? remote.candidateType : null;
        }
        result[peerId] = summary;
      }
      // What this side sends to the SFU goes with the first participant's figures.
      const first = Object.keys(result).find((peerId) => this.subs.has(peerId));
      if (this.sfu && first) {
        const report = await this.sfu.pc.getStats();
        report.forEach((s) => { if (s.type === "outbound-rtp") { result[first][s.kind + "Out"] += s.bytesSent || 0; } });
      }
      return result;
    }

    // Poor network in a doctor's words: over 5 % of packets lost in the last interval,
    // or a round trip above half a second.
    async watch() {
      if (this.closed) { return; }
      const all = await this.stats();
      let poor = false;
      Object.entries(all).forEach(([peerId, s]) => {
        const last = this.lastLoss.get(peerId) || { lost: 0, received: 0 };
        const lost = s.packetsLost - last.lost;
        const received = s.packetsReceived - last.received;
        this.lastLoss.set(peerId, { lost: s.packetsLost, received: s.packetsReceived });
        if (s.state === "connected" && ((lost + received > 50 && lost / (lost + received) > 0.05) || (s.rtt !== null && s.rtt > 0.5))) { poor = true; }
      });
      this.emit("quality", { poor, stats: all });
      this.reportStats(all);
    }

    // The media state of this client as a whole (one peer connection per other party):
    // connected while any is; sent to the server on every change (API.md v1.1).
    reportMedia(override) {
      const states = Array.from(this.peers.values()).filter((e) => e.pc).map((e) => e.pc.connectionState)
        .concat(Array.from(this.subs.values()).map((e) => e.pc.connectionState));
      let state = states.includes("connected") ? "connected"
        : states.some((s) => s === "connecting" || s === "new") ? "connecting"
          : states.includes("disconnected") ? "disconnected" : states.includes("failed") ? "failed" : null;
      if (override && state !== "connected") { state = override; }
      if (!state || state === this.mediaSent || !this.ws || this.ws.readyState !== WebSocket.OPEN) { return; }
      this.mediaSent = state;
      this.send({ type: "media-state", state });
    }

    // Every 10 s while connected: RTT, loss, rates, received resolution and relay use of
    // the connected peer connections (the worst RTT, summed rates and packets).
    reportStats(all) {
      const now = performance.now();
      const live = Object.values(all).filter((s) => s.state === "connected");
      if (this.mediaSent !== "connected" || !live.length || (this.mediaBase && now - this.mediaBase.sentAt < 10000)) { return; }
      const total = { at: now, bytesIn: 0, bytesOut: 0, lost: 0, received: 0 };
      let rtt = null; let width = null; let height = null; let relay = false;
      live.forEach((s) => {
        total.bytesIn += s.audioIn + s.videoIn;
        total.bytesOut += s.audioOut + s.videoOut;
        total.lost += s.packetsLost;
        total.received += s.packetsReceived;
        if (s.rtt !== null) { rtt = Math.max(rtt || 0, s.rtt * 1000); }
        if (s.width) { width = s.width; height = s.height; }
        if (s.localCandidate === "relay") { relay = true; }
      });
      if (!this.mediaBase) {
        // The first counters are the baseline: the first report follows one watch later,
        // with rates over that real interval.
        this.mediaBase = Object.assign(total, { sentAt: now - 8000 });
        return;
      }
      const base = this.mediaBase;
      const ms = Math.max(1, now - base.at);
      const lost = Math.max(0, total.lost - base.lost);
      const expected = lost + Math.max(0, total.received - base.received);
      const round = (v, places) => Math.round(v * Math.pow(10, places)) / Math.pow(10, places);
      const stats = {
        rttMs: rtt === null ? null : round(rtt, 1),
        lossPct: expected ? round(100 * lost / expected, 2) : 0,
        kbpsIn: round(Math.max(0, total.bytesIn - base.bytesIn) * 8 / ms, 1),
        kbpsOut: round(Math.max(0, total.bytesOut - base.bytesOut) * 8 / ms, 1),
        width, height, relay,
      };
      this.mediaBase = Object.assign(total, { sentAt: now });
      this.send({ type: "media-state", state: "connected", stats });
    }

    closePeer(peerId) {
      const entry = this.peers.get(peerId);
      if (entry && entry.pc) { entry.pc.close(); }
      this.peers.delete(peerId);
    }

    close(leave) {
      if (this.closed) { return; }
      if (leave) { this.send({ type: "leave" }); }
      this.closed = true;
      clearInterval(this.watchTimer);
      clearInterval(this.pingTimer);
      this.stopSfu();
      Array.from(this.peers.keys()).forEach((peerId) => this.closePeer(peerId));
      if (this.ws) { this.ws.close(); }
    }
  }

  // One <audio> per other participant (a three-way consult hears both others); video
  // elements stay muted so no voice plays twice.
  function hear(container, peerId, stream) {
    let audio = container.querySelector("audio[data-peer='" + peerId + "']");
    if (!audio) {
      audio = document.createElement("audio");
      audio.autoplay = true;
      audio.dataset.peer = peerId;
      container.appendChild(audio);
    }
    if (audio.srcObject !== stream) { audio.srcObject = stream; }
  }

  function forget(container, peerId) {
    container.querySelectorAll("[data-peer='" + peerId + "']").forEach((el) => el.remove());
  }

  // The recording badge of a call screen (OPNAME LOOPT) shown or hidden, and the change
  // said once in the screen's live region. Not a button: on the glasses it is no voice
  // command.
  function showRecording(badge, said, started, t) {
    const was = !badge.hidden;
    badge.hidden = !started;
    badge.dataset.recording = started ? "started" : "stopped";
    if (said && was !== started) { said.textContent = t(started ? "recording.liveAnnounce" : "recording.stoppedAnnounce"); }
  }

  // The connection state of a whole call in words for the doctor or the nurse.
  function describe(states, signalling, poor) {
    const values = Object.values(states);
    if (signalling === "reconnecting" || values.includes("disconnected")) { return "call.reconnecting"; }
    if (values.includes("failed")) { return "call.failed"; }
    if (values.length && values.every((s) => s === "connected")) { return poor ? "call.poor" : "call.connected"; }
    if (!values.length && signalling === "open") { return "call.waiting"; }
    return "call.connecting";
  }

  // How much a video element scales its picture: object-fit contain shows all of it,
  // cover (the app's phone call screen) fills the element and crops the rest.
  function scaleOf(video, box) {
    const fit = getComputedStyle(video).objectFit === "cover" ? Math.max : Math.min;
    return fit(box.width / video.videoWidth, box.height / video.videoHeight);
  }

  // Where, in 0..1 of the picture, a point in an element showing a video with
  // object-fit contain or cover falls (null outside the picture).
  function normalise(video, clientX, clientY) {
    const box = video.getBoundingClientRect();
    const scale = scaleOf(video, box);
    const width = video.videoWidth * scale;
    const height = video.videoHeight * scale;
    const x = (clientX - box.left - (box.width - width) / 2) / width;
    const y = (clientY - box.top - (box.height - height) / 2) / height;
    return x < 0 || x > 1 || y < 0 || y > 1 ? null : { x, y };
  }

  // The inverse: where a normalised point lies inside the element, in CSS pixels.
  function place(video, x, y) {
    const box = video.getBoundingClientRect();
    const scale = scaleOf(video, box);
    const width = video.videoWidth * scale;
    const height = video.videoHeight * scale;
    return { left: (box.width - width) / 2 + x * width, top: (box.height - height) / 2 + y * height };
  }

  window.Beeldzorg = window.Beeldzorg || {};
  window.Beeldzorg.Call = Call;
  window.Beeldzorg.calls = { describe, normalise, place, sha256, hear, forget, imageTypeOf, showRecording };
})();
