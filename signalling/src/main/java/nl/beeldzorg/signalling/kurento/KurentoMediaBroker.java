package nl.beeldzorg.signalling.kurento;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import nl.beeldzorg.signalling.Envelope;
import nl.beeldzorg.signalling.MediaBroker;
import nl.beeldzorg.signalling.RecordingUnavailableException;
import nl.beeldzorg.signalling.RelayBus;
import nl.beeldzorg.signalling.protocol.IceCandidate;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import org.kurento.client.IceCandidateFoundEvent;
import org.kurento.client.KurentoClient;
import org.kurento.client.ListenerSubscription;
import org.kurento.client.MediaElement;
import org.kurento.client.MediaPipeline;
import org.kurento.client.MediaProfileSpecType;
import org.kurento.client.RecorderEndpoint;
import org.kurento.client.WebRtcEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Media through Kurento Media Server. One {@link MediaPipeline} per consult, on the least
 * loaded media server that is up; per peer a {@link WebRtcEndpoint} that receives what it
 * publishes, and per subscription (a peer receiving another's media) a
 * {@link WebRtcEndpoint} fed from the publisher's. The browser always offers; Kurento
 * answers ({@code answer from:"sfu"}) and trickles its candidates
 * ({@code ice from:"sfu"}); a peer's candidates are held until its offer was processed.
 * <p>
 * Mode {@code sfu}: every consult goes through Kurento. Mode {@code auto}: a consult
 * moves to Kurento when a third participant joins or a recording starts, and stays there.
 * With no media server up, consults stay (or go back) peer to peer and recording is
 * refused.
 * <p>
 * A recording ({@link RecorderEndpoint}, WEBM, no transcoding, so the pages publish VP8
 * and Opus) is made only in {@link #startRecording}. It records one stream: the media of
 * the room's first publisher (in a consult that is the glasses or the party that called
 * first), or, when nobody published yet, of the first peer that does.
 * <p>
 * A media server that drops is reconnected by the Kurento client; after
 * {@link KurentoSettings#failoverAfter()} still away, or as soon as it is back with a new
 * session (restarted: every object gone), its consults are rebuilt lazily on a live
 * server and their peers get {@code media} with reason {@code media-server-restarted}
 * (publish and subscribe again), or, with no server up, {@code media} mode {@code p2p}
 * with reason {@code media-server-unreachable}. A running recording on a lost server ends
 * ({@code recording stopped}).
 * <p>
 * Across nodes ({@link SharedMediaBroker}): one node owns a consult's media and holds its
 * Kurento objects in this broker; the others decide the mode of their peers' joins here
 * and hand everything else to the owner.
 */
public final class KurentoMediaBroker implements MediaBroker, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KurentoMediaBroker.class);

	private final KurentoSettings settings;

	private final List<MediaServer> servers;

	private final Map<String, SfuRoom> rooms = new ConcurrentHashMap<>();

	private final Scheduler timers;

	private volatile MediaBroker.Rooms announcer = (roomId, message) -> {
	};

	private volatile @Nullable RelayBus relay;

	/**
	 * A broker over the given media servers; {@link #start()} connects them.
	 * @param settings mode, servers, bitrate cap, failover timings
	 */
	public KurentoMediaBroker(KurentoSettings settings) {
		this.settings = settings;
		this.timers = Schedulers.parallel();
		List<MediaServer> list = new ArrayList<>();
		for (String url : settings.urls()) {
			list.add(new MediaServer(url, settings.probeInterval(), new ServerEvents()));
		}
		this.servers = List.copyOf(list);
	}

	/** Connects to every media server, in the background. */
	public void start() {
		this.servers.forEach(MediaServer::start);
	}

	@Override
	public void close() {
		this.servers.forEach(MediaServer::close);
	}

	/**
	 * @return the media servers, in configured order
	 */
	public List<MediaServer> servers() {
		return this.servers;
	}

	/**
	 * @return the mode
	 */
	public MediaMode mode() {
		return this.settings.mode();
	}

	@Override
	public void attach(MediaBroker.Rooms rooms) {
		this.announcer = rooms;
	}

	@Override
	public SignalMessage.Media admitted(String roomId, String peerId, int peers) {
		SfuRoom room = this.rooms.computeIfAbsent(roomId, SfuRoom::new);
		List<Leg> stale;
		SignalMessage.Media decided;
		synchronized (room) {
			room.peers.add(peerId);
			if (room.sfu) {
				// A peer that comes back (network switch) publishes and subscribes anew.
				stale = room.legsOf(peerId, false);
				decided = new SignalMessage.Media(SignalMessage.Media.SFU, null);
			}
			else {
				stale = List.of();
				boolean wanted = this.settings.mode() == MediaMode.SFU || peers >= 3;
				if (wanted && leastLoaded() != null) {
					room.sfu = true;
					decided = new SignalMessage.Media(SignalMessage.Media.SFU,
							(this.settings.mode() == MediaMode.SFU) ? null : SignalMessage.Media.THIRD_PARTICIPANT);
				}
				else {
					decided = wanted ? new SignalMessage.Media(SignalMessage.Media.P2P,
							SignalMessage.Media.MEDIA_SERVER_UNREACHABLE) : SignalMessage.Media.PEER_TO_PEER;
				}
			}
		}
		stale.forEach(this::release);
		return decided;
	}

	@Override
	public Mono<Void> negotiate(String roomId, SignalMessage.Negotiation message, RelayBus relay) {
		if (!SignalMessage.SFU.equals(message.to())) {
			relay.publish(Envelope.to(roomId, Objects.requireNonNull(message.to()), message));
			return Mono.empty();
		}
		this.relay = relay;
		SfuRoom room = this.rooms.get(roomId);
		String from = Objects.requireNonNull(message.from());
		if (room == null) {
			return Mono.error(new IllegalStateException("No SFU room " + roomId));
		}
		Mono<Void> handled;
		if (message instanceof SignalMessage.Offer offer) {
			try {
				handled = offer(room, from, offer.subscribe(), Objects.requireNonNull(offer.sdp()));
			}
			catch (RecordingUnavailableException ex) {
				handled = Mono.error(ex);
			}
		}
		else if (message instanceof SignalMessage.Ice ice) {
			handled = candidate(room, from, ice.subscribe(), Objects.requireNonNull(ice.candidate()));
		}
		else {
			handled = Mono.error(new IllegalArgumentException("The SFU takes offers and candidates"));
		}
		return handled.onErrorResume(Kurento::lostObjects, (ex) -> {
			MediaServer server = room.server;
			if (server != null) {
				logger.warn("Media server {} lost the objects of consult {}", server.url(), roomId);
				server.lostObjects();
			}
			return Mono.empty();
		});
	}

	@Override
	public Mono<Void> peerLeft(String roomId, String peerId) {
		SfuRoom room = this.rooms.get(roomId);
		if (room == null) {
			return Mono.empty();
		}
		List<Leg> gone;
		boolean empty;
		synchronized (room) {
			room.peers.remove(peerId);
			gone = room.legsOf(peerId, true);
			empty = room.peers.isEmpty();
		}
		gone.forEach(this::release);
		if (empty) {
			return roomClosed(roomId);
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> roomClosed(String roomId) {
		SfuRoom room = this.rooms.remove(roomId);
		if (room == null) {
			return Mono.empty();
		}
		Recording recording;
		synchronized (room) {
			recording = room.recording;
			room.recording = null;
		}
		Mono<Void> stopped = (recording != null) ? stop(room, recording) : Mono.empty();
		return stopped.onErrorResume((ex) -> Mono.empty()).then(Mono.defer(() -> releasePipeline(room)));
	}

	@Override
	public Mono<Void> startRecording(String roomId, String recordingId, String uri) {
		SfuRoom room = this.rooms.get(roomId);
		if (room == null) {
			return Mono.error(new RecordingUnavailableException("Nobody is in this consult's media"));
		}
		SignalMessage.Media moved = null;
		Recording recording;
		Mono<MediaPipeline> pipeline;
		Leg source;
		synchronized (room) {
			if (room.recording != null) {
				return room.recording.id.equals(recordingId) ? Mono.empty()
						: Mono.error(new IllegalStateException("This consult is being recorded already"));
			}
			if (leastLoaded() == null && room.pipeline == null) {
				return Mono.error(new RecordingUnavailableException("No media server is reachable to record"));
			}
			if (!room.sfu) {
				room.sfu = true;
				moved = new SignalMessage.Media(SignalMessage.Media.SFU, SignalMessage.Media.RECORDING);
			}
			pipeline = pipelineOf(room);
			recording = new Recording(recordingId);
			source = (room.firstPublisher != null) ? room.legs.get(Leg.key(room.firstPublisher, null)) : null;
			if (source != null) {
				recording.peerId = source.peerId;
			}
			long generation = room.generation;
			MediaServer server = room.server;
			if (server == null) {
				return Mono.error(new RecordingUnavailableException("No media server is reachable to record"));
			}
			recording.recorder = pipeline.flatMap((made) -> Kurento.<RecorderEndpoint>call(
					(c) -> new RecorderEndpoint.Builder(made, uri).withMediaProfile(MediaProfileSpecType.WEBM)
						.buildAsync(c)))
				.doOnNext((recorder) -> server.endpointMade(generation, 1))
				.cache();
			room.recording = recording;
		}
		if (moved != null) {
			this.announcer.announce(roomId, moved);
		}
		Mono<RecorderEndpoint> recorder = Objects.requireNonNull(recording.recorder);
		Mono<Void> fed = (source != null)
				? Mono.zip(source.endpoint, recorder).flatMap((both) -> connect(both.getT1(), both.getT2()))
				: Mono.empty();
		return fed.then(recorder)
			.flatMap((made) -> Kurento.<Void>call(made::record))
			.then()
			.onErrorMap((ex) -> !(ex instanceof RecordingUnavailableException),
					(ex) -> new RecordingUnavailableException("The media server could not record: " + ex.getMessage()))
			.doOnError((ex) -> {
				synchronized (room) {
					if (room.recording == recording) {
						room.recording = null;
					}
				}
			});
	}

	@Override
	public Mono<Void> stopRecording(String roomId, String recordingId) {
		SfuRoom room = this.rooms.get(roomId);
		if (room == null) {
			return Mono.empty();
		}
		Recording recording;
		synchronized (room) {
			recording = room.recording;
			if (recording == null || !recording.id.equals(recordingId)) {
				return Mono.empty();
			}
			room.recording = null;
		}
		return stop(room, recording);
	}

	/**
	 * Makes sure this broker knows a consult whose peers (some or all) are on other
	 * nodes, because this node owns its media.
	 * @param roomId the consult
	 * @param peers peers of the consult, on any node
	 * @param sfu whether its media goes through the SFU (a peer sent something to it)
	 */
	public void adopt(String roomId, Collection<String> peers, boolean sfu) {
		SfuRoom room = this.rooms.computeIfAbsent(roomId, SfuRoom::new);
		synchronized (room) {
			room.peers.addAll(peers);
			if (sfu) {
				room.sfu = true;
			}
		}
	}

	/**
	 * @param roomId a consult
	 * @return whether this broker holds anything of it
	 */
	public boolean holds(String roomId) {
		return this.rooms.containsKey(roomId);
	}

	/**
	 * @param roomId a consult
	 * @return whether its media goes through the SFU
	 */
	public boolean sfu(String roomId) {
		SfuRoom room = this.rooms.get(roomId);
		if (room == null) {
			return false;
		}
		synchronized (room) {
			return room.sfu;
		}
	}

	private Mono<Void> stop(SfuRoom room, Recording recording) {
		Mono<RecorderEndpoint> recorder = recording.recorder;
		if (recorder == null) {
			return Mono.empty();
		}
		MediaServer server = room.server;
		long generation = room.generation;
		return recorder.flatMap((made) -> Kurento.<Void>call(made::stopAndWait)
			.then(Kurento.<Void>call(made::release))
			.doOnSuccess((done) -> {
				if (server != null) {
					server.endpointMade(generation, -1);
				}
			})).onErrorResume(Kurento::lostObjects, (ex) -> Mono.empty()).then();
	}

	private Mono<Void> offer(SfuRoom room, String peerId, @Nullable String publisher, String sdp) {
		Leg leg;
		List<Leg> replaced = new ArrayList<>(1);
		List<Leg> subscribers = List.of();
		List<IceCandidate> held;
		Mono<WebRtcEndpoint> ready;
		Recording recording;
		synchronized (room) {
			if (!room.sfu) {
				return Mono.error(new IllegalStateException("The consult's media goes peer to peer"));
			}
			String key = Leg.key(peerId, publisher);
			Leg existing = room.legs.get(key);
			if (existing != null && !existing.offered) {
				leg = existing;
			}
			else {
				if (existing != null) {
					replaced.add(existing);
					room.legs.remove(key);
				}
				leg = newLeg(room, peerId, publisher);
				if (publisher == null) {
					// Subscriptions made before (to the replaced or released stream)
					// follow.
					subscribers = room.subscriptionsTo(peerId);
				}
			}
			leg.offered = true;
			if (publisher == null) {
				ready = leg.endpoint;
				if (room.firstPublisher == null) {
					room.firstPublisher = peerId;
				}
			}
			else {
				Leg source = room.legs.get(Leg.key(publisher, null));
				if (source == null) {
					source = newLeg(room, publisher, null);
				}
				Leg from = source;
				ready = Mono.zip(from.endpoint, leg.endpoint)
					.flatMap((both) -> connect(both.getT1(), both.getT2()).thenReturn(both.getT2()));
			}
			Leg answering = leg;
			leg.negotiated = ready
				.flatMap((endpoint) -> Kurento.<String>call((c) -> endpoint.processOffer(sdp, c)).flatMap((answer) -> {
					send(room.id, answering.peerId,
							new SignalMessage.Answer(answering.peerId, SignalMessage.SFU, answer, answering.publisher));
					return Kurento.<Void>call(endpoint::gatherCandidates).thenReturn(endpoint);
				}))
				.cache();
			held = room.pendingIce.remove(key);
			recording = null;
			if (room.recording != null && publisher == null) {
				if (room.recording.peerId == null) {
					room.recording.peerId = peerId;
				}
				if (peerId.equals(room.recording.peerId)) {
					recording = room.recording;
				}
			}
		}
		replaced.forEach(this::release);
		for (Leg subscriber : subscribers) {
			Mono.zip(leg.endpoint, subscriber.endpoint)
				.flatMap((both) -> connect(both.getT1(), both.getT2()))
				.subscribe(null, (ex) -> logger.warn("Could not feed a subscription again: {}", ex.toString()));
		}
		if (recording != null && recording.recorder != null) {
			Mono.zip(leg.endpoint, recording.recorder)
				.flatMap((both) -> connect(both.getT1(), both.getT2()))
				.subscribe(null, (ex) -> logger.warn("Could not feed the recorder: {}", ex.toString()));
		}
		Mono<WebRtcEndpoint> negotiated = Objects.requireNonNull(leg.negotiated);
		if (held != null) {
			for (IceCandidate candidate : held) {
				negotiated.flatMap((endpoint) -> addCandidate(endpoint, candidate))
					.subscribe(null, (ex) -> logger.debug("A held candidate was refused: {}", ex.toString()));
			}
		}
		return negotiated.then();
	}

	private Mono<Void> candidate(SfuRoom room, String peerId, @Nullable String publisher, IceCandidate candidate) {
		if (candidate.candidate() == null || candidate.candidate().isEmpty()) {
			return Mono.empty();
		}
		Mono<WebRtcEndpoint> negotiated;
		synchronized (room) {
			String key = Leg.key(peerId, publisher);
			Leg leg = room.legs.get(key);
			negotiated = (leg != null) ? leg.negotiated : null;
			if (negotiated == null) {
				room.pendingIce.computeIfAbsent(key, (k) -> new ArrayList<>(4)).add(candidate);
				return Mono.empty();
			}
		}
		return negotiated.flatMap((endpoint) -> addCandidate(endpoint, candidate));
	}

	private static Mono<Void> addCandidate(WebRtcEndpoint endpoint, IceCandidate candidate) {
		org.kurento.client.IceCandidate kurento = new org.kurento.client.IceCandidate(
				Objects.requireNonNull(candidate.candidate()), candidate.sdpMid(),
				(candidate.sdpMLineIndex() != null) ? candidate.sdpMLineIndex() : 0);
		return Kurento.<Void>call((c) -> endpoint.addIceCandidate(kurento, c));
	}

	private static Mono<Void> connect(MediaElement source, MediaElement sink) {
		return Kurento.<Void>call((c) -> source.connect(sink, c));
	}

	/**
	 * A new leg, its endpoint made (lazily, once) on the room's pipeline. Under the
	 * room's monitor.
	 */
	private Leg newLeg(SfuRoom room, String peerId, @Nullable String publisher) {
		Mono<MediaPipeline> pipeline = pipelineOf(room);
		MediaServer server = room.server;
		if (server == null) {
			throw new RecordingUnavailableException("No media server is reachable");
		}
		long generation = room.generation;
		int kbps = this.settings.maxVideoKbps();
		Leg leg = new Leg(room, peerId, publisher, server, generation);
		leg.endpoint = pipeline
			.flatMap((made) -> Kurento.<WebRtcEndpoint>call((c) -> new WebRtcEndpoint.Builder(made).buildAsync(c)))
			.doOnNext((endpoint) -> {
				server.endpointMade(generation, 1);
				synchronized (room) {
					room.counted.add(leg);
				}
			})
			.flatMap((endpoint) -> Mono
				.when(Kurento.<ListenerSubscription>call(
						(c) -> endpoint.addIceCandidateFoundListener((event) -> found(room.id, leg, event), c)),
						(publisher == null) ? Kurento.<Void>call((c) -> endpoint.setMaxVideoRecvBandwidth(kbps, c))
								: Kurento.<Void>call((c) -> endpoint.setMaxVideoSendBandwidth(kbps, c)))
				.thenReturn(endpoint))
			.cache();
		room.legs.put(Leg.key(peerId, publisher), leg);
		return leg;
	}

	/** Kurento found a candidate of one of its endpoints: the peer gets it. */
	private void found(String roomId, Leg leg, IceCandidateFoundEvent event) {
		org.kurento.client.IceCandidate found = event.getCandidate();
		send(roomId, leg.peerId,
				new SignalMessage.Ice(leg.peerId, SignalMessage.SFU,
						new IceCandidate(found.getCandidate(), found.getSdpMid(), found.getSdpMLineIndex(), null),
						leg.publisher));
	}

	private void send(String roomId, String peerId, SignalMessage message) {
		RelayBus bus = this.relay;
		if (bus != null) {
			bus.publish(Envelope.to(roomId, peerId, message));
		}
	}

	/**
	 * The room's pipeline, made on the least loaded server when it has none. Under the
	 * room's monitor.
	 */
	private Mono<MediaPipeline> pipelineOf(SfuRoom room) {
		MediaServer current = room.server;
		Mono<MediaPipeline> pipeline = room.pipeline;
		if (pipeline != null && current != null && current.generation() == room.generation) {
			return pipeline;
		}
		MediaServer server = leastLoaded();
		KurentoClient client = (server != null) ? server.client() : null;
		if (server == null || client == null) {
			return Mono.error(new RecordingUnavailableException("No media server is reachable"));
		}
		long generation = server.generation();
		room.server = server;
		room.generation = generation;
		room.counted.clear();
		Mono<MediaPipeline> made = Kurento.<MediaPipeline>call(client::createMediaPipeline)
			.doOnNext((created) -> server.pipelineMade(generation, 1))
			.cache();
		room.pipeline = made;
		return made;
	}

	private Mono<Void> releasePipeline(SfuRoom room) {
		Mono<MediaPipeline> pipeline;
		MediaServer server;
		long generation;
		synchronized (room) {
			pipeline = room.pipeline;
			server = room.server;
			generation = room.generation;
			room.pipeline = null;
			room.server = null;
			room.legs.clear();
			room.pendingIce.clear();
		}
		if (pipeline == null || server == null) {
			return Mono.empty();
		}
		// Releasing the pipeline releases every element in it.
		return pipeline.flatMap((made) -> Kurento.<Void>call(made::release)).doFinally((signal) -> {
			int endpoints;
			synchronized (room) {
				endpoints = room.counted.size();
				room.counted.clear();
			}
			server.pipelineMade(generation, -1);
			server.endpointMade(generation, -endpoints);
		}).onErrorResume((ex) -> {
			logger.debug("Releasing the pipeline of {} failed: {}", room.id, ex.toString());
			return Mono.empty();
		});
	}

	private void release(Leg leg) {
		leg.endpoint.flatMap((endpoint) -> Kurento.<Void>call(endpoint::release)).doOnSuccess((done) -> {
			boolean counted;
			synchronized (leg.room) {
				counted = leg.room.counted.remove(leg);
			}
			if (counted) {
				leg.server.endpointMade(leg.generation, -1);
			}
		}).subscribe(null, (ex) -> logger.debug("Releasing an endpoint failed: {}", ex.toString()));
	}

	private @Nullable MediaServer leastLoaded() {
		return this.servers.stream()
			.filter((server) -> server.client() != null)
			.min(Comparator.comparingLong(MediaServer::load))
			.orElse(null);
	}

	/**
	 * The consults on a server that went away or lost its objects: rebuilt on a live
	 * server when the peers publish again, or back to peer to peer.
	 */
	private void moveFrom(MediaServer server, boolean lost) {
		for (SfuRoom room : this.rooms.values()) {
			SignalMessage.Media media;
			Recording recording;
			synchronized (room) {
				if (room.server != server || (lost && room.generation == server.generation())) {
					continue;
				}
				if (!lost) {
					server.pipelineMade(room.generation, -1);
					server.endpointMade(room.generation, -room.counted.size());
				}
				room.counted.clear();
				room.server = null;
				room.pipeline = null;
				room.legs.clear();
				room.pendingIce.clear();
				room.firstPublisher = null;
				recording = room.recording;
				room.recording = null;
				if (leastLoaded() != null) {
					media = new SignalMessage.Media(SignalMessage.Media.SFU,
							SignalMessage.Media.MEDIA_SERVER_RESTARTED);
				}
				else {
					room.sfu = false;
					media = new SignalMessage.Media(SignalMessage.Media.P2P,
							SignalMessage.Media.MEDIA_SERVER_UNREACHABLE);
				}
			}
			if (recording != null) {
				this.announcer.announce(room.id,
						new SignalMessage.Recording(SignalMessage.Recording.STOPPED, recording.id));
			}
			this.announcer.announce(room.id, media);
		}
	}

	/** What the media servers tell the broker, on the Kurento client's threads. */
	private final class ServerEvents implements MediaServer.Events {

		@Override
		public void up(MediaServer server) {
		}

		@Override
		public void down(MediaServer server) {
			KurentoMediaBroker.this.timers.schedule(() -> {
				if (server.state() != MediaServer.State.UP) {
					moveFrom(server, false);
				}
			}, KurentoMediaBroker.this.settings.failoverAfter().toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public void lost(MediaServer server) {
			moveFrom(server, true);
		}

	}

	/** A consult as the broker sees it; every field under its monitor. */
	private static final class SfuRoom {

		final String id;

		final Set<String> peers = new LinkedHashSet<>(4);

		boolean sfu;

		@Nullable MediaServer server;

		long generation;

		@Nullable Mono<MediaPipeline> pipeline;

		/**
		 * The legs whose endpoint counts in its server's load. A leg leaves it once: when
		 * its own release succeeds, or when the pipeline's release (which takes every
		 * endpoint in it) finishes first; the two race, their answers come on different
		 * threads.
		 */
		final Set<Leg> counted = new HashSet<>(8);

		final Map<String, Leg> legs = new HashMap<>(8);

		final Map<String, List<IceCandidate>> pendingIce = new HashMap<>(4);

		@Nullable String firstPublisher;

		@Nullable Recording recording;

		SfuRoom(String id) {
			this.id = id;
		}

		/**
		 * Removes and returns a peer's legs: its publishing one and its subscriptions,
		 * and with {@code asPublisher} the subscriptions of others to it.
		 */
		List<Leg> legsOf(String peerId, boolean asPublisher) {
			List<Leg> found = new ArrayList<>();
			for (var it = this.legs.values().iterator(); it.hasNext();) {
				Leg leg = it.next();
				if (leg.peerId.equals(peerId) || (asPublisher && peerId.equals(leg.publisher))) {
					found.add(leg);
					it.remove();
				}
			}
			this.pendingIce.keySet().removeIf((key) -> key.startsWith(peerId + "|"));
			if (asPublisher && peerId.equals(this.firstPublisher)) {
				this.firstPublisher = null;
			}
			return found;
		}

		List<Leg> subscriptionsTo(String publisher) {
			List<Leg> found = new ArrayList<>();
			for (Leg leg : this.legs.values()) {
				if (publisher.equals(leg.publisher)) {
					found.add(leg);
				}
			}
			return found;
		}

	}

	/** One endpoint: a peer's published media, or its subscription to a publisher. */
	private static final class Leg {

		final SfuRoom room;

		final String peerId;

		final @Nullable String publisher;

		final MediaServer server;

		final long generation;

		Mono<WebRtcEndpoint> endpoint = Mono.empty();

		@Nullable Mono<WebRtcEndpoint> negotiated;

		boolean offered;

		Leg(SfuRoom room, String peerId, @Nullable String publisher, MediaServer server, long generation) {
			this.room = room;
			this.peerId = peerId;
			this.publisher = publisher;
			this.server = server;
			this.generation = generation;
		}

		static String key(String peerId, @Nullable String publisher) {
			return peerId + "|" + ((publisher != null) ? publisher : "");
		}

	}

	/** A running recording. */
	private static final class Recording {

		final String id;

		@Nullable Mono<RecorderEndpoint> recorder;

		/** Whose media it records, once known. */
		@Nullable String peerId;

		Recording(String id) {
			this.id = id;
		}

	}

}
