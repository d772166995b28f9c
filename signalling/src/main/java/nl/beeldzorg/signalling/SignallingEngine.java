package nl.beeldzorg.signalling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import nl.beeldzorg.signalling.RoomObserver.LeaveReason;
import nl.beeldzorg.signalling.protocol.SignalCodec;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The signalling engine: one room per consult, admission through a
 * {@link JoinAuthorizer}, relay of negotiation within a room through a
 * {@link MediaBroker}, and reconnect grace. A transport (the backend's WebSocket handler,
 * a test) opens one {@link SignallingConnection} per socket and feeds it frames.
 */
public final class SignallingEngine {

	private static final Logger logger = LoggerFactory.getLogger(SignallingEngine.class);

	/**
	 * Stats pass at most this often per peer: API.md says every 10 s; a second of slack
	 * keeps a browser timer that fires a little early from losing every other report.
	 */
	static final long STATS_INTERVAL_NANOS = 9_000_000_000L;

	/** A socket that reaches a node that shuts down tries again after this long. */
	static final Duration RETRY_ELSEWHERE = Duration.ofSeconds(1);

	private final JoinAuthorizer authorizer;

	private final MediaBroker broker;

	private final RelayBus bus;

	private final RoomObserver observer;

	private final SignallingSettings settings;

	private final SignalCodec codec;

	private final Scheduler timers;

	private final LongSupplier nanoTime;

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	/** With seats shared between nodes; {@code null} on a single node. */
	private final @Nullable SharedRooms shared;

	/**
	 * What the engine and the broker publish through: the bus itself on a single node,
	 * local first with shared seats.
	 */
	private final RelayBus relay;

	private volatile boolean draining;

	private SignallingEngine(Builder builder) {
		this.authorizer = builder.authorizer;
		this.broker = builder.broker;
		this.bus = builder.bus;
		this.observer = builder.observer;
		this.settings = builder.settings;
		this.codec = builder.codec;
		this.timers = builder.timers;
		this.nanoTime = builder.nanoTime;
		this.shared = (builder.seats != null) ? new SharedRooms(this, builder.bus, builder.seats) : null;
		this.relay = (this.shared != null) ? this.shared : this.bus;
		this.broker.attach(new MediaBroker.Rooms() {

			@Override
			public void announce(String roomId, SignalMessage message) {
				SignallingEngine.this.announce(roomId, message);
				if (message instanceof SignalMessage.Media media
						&& (SignalMessage.Media.MEDIA_SERVER_RESTARTED.equals(media.reason())
								|| SignalMessage.Media.MEDIA_SERVER_UNREACHABLE.equals(media.reason()))) {
					SignallingEngine.this.observer.mediaLost(roomId, media);
				}
			}

			@Override
			public RelayBus relay() {
				return SignallingEngine.this.relay;
			}

			@Override
			public java.util.Set<String> peers(String roomId) {
				return SignallingEngine.this.peersOf(roomId);
			}

		});
	}

	/**
	 * Starts building an engine.
	 * @param authorizer who may join which room
	 * @return a builder with in-process relay, peer-to-peer media and default settings
	 */
	public static Builder builder(JoinAuthorizer authorizer) {
		return new Builder(authorizer);
	}

	/**
	 * Opens a connection for a new socket. Its first frame must be {@code join}.
	 * @return the connection
	 */
	public SignallingConnection open() {
		SignallingConnection connection = new SignallingConnection(this);
		if (this.draining) {
			connection.reconnect(this.codec
				.encode(new SignalMessage.Reconnect(SignalMessage.Reconnect.SHUTDOWN, RETRY_ELSEWHERE.toMillis())));
		}
		return connection;
	}

	/**
	 * Lets every peer of this node go because the node shuts down: each gets
	 * {@code reconnect} and its socket is closed, so it comes back on another node within
	 * its grace; a socket opened from now on gets {@code reconnect} at once.
	 * @param within how long to wait for the sockets to go
	 * @return done when no peer is connected here any more and the shared seats know, or
	 * when the time is up
	 */
	public Mono<Void> drain(Duration within) {
		this.draining = true;
		String reconnect = this.codec.encode(new SignalMessage.Reconnect(SignalMessage.Reconnect.SHUTDOWN, 0));
		for (Room room : this.rooms.values()) {
			List<SignallingConnection> connections = new ArrayList<>(2);
			synchronized (room) {
				for (Room.Peer peer : room.peers.values()) {
					if (peer.connection != null) {
						connections.add(peer.connection);
					}
				}
			}
			for (SignallingConnection connection : connections) {
				connection.reconnect(reconnect);
			}
		}
		return Flux.interval(Duration.ofMillis(20), this.timers)
			.filter((tick) -> connectedPeerCount() == 0 && (this.shared == null || this.shared.pendingWrites() == 0))
			.next()
			.then()
			.timeout(within, Mono.empty())
			.doFinally((signal) -> close());
	}

	/**
	 * Stops taking part in shared rooms (no more sweeping of seats); for a node that goes
	 * away. Does nothing on a single node.
	 */
	public void close() {
		if (this.shared != null) {
			this.shared.stop();
		}
	}

	/**
	 * @return whether {@link #drain(Duration)} began
	 */
	public boolean draining() {
		return this.draining;
	}

	/**
	 * Closes a room because its consult ended: every peer gets {@code ended} and is
	 * disconnected, on every node.
	 * @param roomId the consult id
	 */
	public void closeRoom(String roomId) {
		if (this.shared != null) {
			this.shared.closeRoom(roomId);
			Room room = this.rooms.get(roomId);
			if (room != null) {
				closeLocally(room);
			}
			return;
		}
		this.bus.publish(Envelope.broadcast(roomId, null, new SignalMessage.Ended(roomId)));
		// Peers in grace on this node have no connection to deliver to; drop the room
		// here
		// too, in case no local connection received the broadcast.
		Room room = this.rooms.get(roomId);
		if (room != null) {
			closeLocally(room);
		}
	}

	/**
	 * Tells every peer of a room, on every node, something the server decided (for
	 * example that a recording started).
	 * @param roomId the consult id
	 * @param message the message
	 */
	public void announce(String roomId, SignalMessage message) {
		this.relay.publish(Envelope.broadcast(roomId, null, message));
	}

	private java.util.Set<String> peersOf(String roomId) {
		Room room = this.rooms.get(roomId);
		if (room == null) {
			return java.util.Set.of();
		}
		synchronized (room) {
			java.util.Set<String> peers = new java.util.LinkedHashSet<>(room.peers.keySet());
			if (room.remote != null) {
				peers.addAll(room.remote.keySet());
			}
			return peers;
		}
	}

	/**
	 * @return rooms with at least one peer on this node
	 */
	public int roomCount() {
		return this.rooms.size();
	}

	/**
	 * @return the peers held on this node, connected or within their grace period
	 */
	public int peerCount() {
		int count = 0;
		for (Room room : this.rooms.values()) {
			synchronized (room) {
				count += room.peers.size();
			}
		}
		return count;
	}

	private int connectedPeerCount() {
		int count = 0;
		for (Room room : this.rooms.values()) {
			synchronized (room) {
				for (Room.Peer peer : room.peers.values()) {
					if (peer.connection != null) {
						count++;
					}
				}
			}
		}
		return count;
	}

	SignallingSettings settings() {
		return this.settings;
	}

	SignalCodec codec() {
		return this.codec;
	}

	Scheduler timers() {
		return this.timers;
	}

	long nanoTime() {
		return this.nanoTime.getAsLong();
	}

	Mono<Admission> authorize(String token) {
		return this.authorizer.authorize(token);
	}

	void admit(SignallingConnection connection, Admission admission) {
		if (this.draining) {
			connection.reconnect(this.codec
				.encode(new SignalMessage.Reconnect(SignalMessage.Reconnect.SHUTDOWN, RETRY_ELSEWHERE.toMillis())));
			return;
		}
		if (this.shared != null) {
			this.shared.admit(connection, admission);
			return;
		}
		while (true) {
			Room room = this.rooms.computeIfAbsent(admission.roomId(), this::newRoom);
			Room.Peer admitted;
			boolean rejoin;
			int users;
			SignalMessage.Media moved;
			synchronized (room) {
				if (room.removed) {
					continue;
				}
				Room.Peer peer = room.peerOfUser(admission.userId());
				rejoin = peer != null;
				if (peer != null) {
					SignallingConnection previous = peer.connection;
					cancelGrace(peer);
					peer.connection = connection;
					if (previous != null && previous != connection) {
						previous.fail(SignallingError.REPLACED, SignallingError.REPLACED.message());
					}
				}
				else if (room.peers.size() >= this.settings.maxPeersPerRoom()) {
					removeIfEmpty(room);
					connection.fail(SignallingError.ROOM_FULL, SignallingError.ROOM_FULL.message());
					return;
				}
				else {
					peer = new Room.Peer(newPeerId(), admission, connection);
					room.peers.put(peer.id, peer);
				}
				admitted = peer;
				users = room.peers.size();
				moved = decideMedia(room, peer.id, users);
				connection.joined(room, peer);
				// Sent under the room's monitor so nothing relayed to this peer overtakes
				// it.
				connection.send(new SignalMessage.Joined(room.id, peer.id, room.othersThan(peer.id),
						admission.iceServers(), room.media));
			}
			this.bus.publish(Envelope.broadcast(room.id, admitted.id, new SignalMessage.PeerJoined(admitted.info())));
			if (moved != null) {
				this.relay.publish(Envelope.broadcast(room.id, admitted.id, moved));
			}
			this.observer.joined(admission, users, rejoin);
			return;
		}
	}

	void relay(Room room, Room.Peer from, SignalMessage.Negotiation message) {
		String to = message.to();
		if (SignalMessage.SFU.equals(to)) {
			toSfu(room, from, message);
			return;
		}
		boolean present;
		synchronized (room) {
			present = to != null && !to.equals(from.id) && room.has(to);
		}
		SignallingConnection connection = from.connection;
		if (!present) {
			if (connection != null) {
				connection.error(SignallingError.NOT_IN_ROOM, "No peer '" + to + "' in this consult");
			}
			return;
		}
		if (message.subscribe() != null) {
			if (connection != null) {
				connection.error(SignallingError.INVALID_MESSAGE, "'subscribe' goes only with \"to\":\"sfu\"");
			}
			return;
		}
		negotiate(room, connection, message.route(from.id, to));
	}

	/**
	 * An offer or candidate for the SFU: only while the room's media goes through it, and
	 * a subscription only to another peer of the room.
	 */
	private void toSfu(Room room, Room.Peer from, SignalMessage.Negotiation message) {
		String subscribe = message.subscribe();
		SignallingError refused = null;
		String detail = null;
		synchronized (room) {
			if (!SignalMessage.Media.SFU.equals(room.media)) {
				refused = SignallingError.NOT_ALLOWED;
				detail = "This consult's media goes peer to peer; there is no peer 'sfu' now";
			}
			else if (message instanceof SignalMessage.Answer) {
				refused = SignallingError.INVALID_MESSAGE;
				detail = "The SFU takes offers and candidates, not answers";
			}
			else if (subscribe != null && (subscribe.equals(from.id) || !room.has(subscribe))) {
				refused = SignallingError.NOT_IN_ROOM;
				detail = "No other peer '" + subscribe + "' in this consult to subscribe to";
			}
		}
		SignallingConnection connection = from.connection;
		if (refused != null) {
			if (connection != null) {
				connection.error(refused, detail);
			}
			return;
		}
		negotiate(room, connection, message.route(from.id, SignalMessage.SFU));
	}

	private void negotiate(Room room, @Nullable SignallingConnection connection, SignalMessage.Negotiation routed) {
		this.broker.negotiate(room.id, routed, this.relay).subscribe(null, (ex) -> {
			logger.warn("Media broker failed for consult {}", room.id, ex);
			if (connection != null) {
				connection.error(SignallingError.INTERNAL, "The media server could not handle the message");
			}
		});
	}

	/**
	 * Asks the broker where the room's media flows now that a peer was admitted. Must
	 * hold the room's monitor.
	 * @return the {@code media} message for the other peers when the mode changed
	 */
	SignalMessage.@Nullable Media decideMedia(Room room, String peerId, int peers) {
		SignalMessage.Media decided;
		try {
			decided = this.broker.admitted(room.id, peerId, peers);
		}
		catch (RuntimeException ex) {
			logger.warn("Media broker failed to place a peer of consult {}", room.id, ex);
			return null;
		}
		if (decided.mode().equals(room.media)) {
			return null;
		}
		room.media = decided.mode();
		return decided;
	}

	/**
	 * Passes a peer's media state to the observer: stats at most once per
	 * {@link #STATS_INTERVAL_NANOS} (earlier ones are dropped silently, not answered with
	 * an error), and a state without stats only when it changed.
	 */
	void mediaState(Room.Peer peer, SignalMessage.MediaState report) {
		long now = this.nanoTime.getAsLong();
		SignalMessage.MediaState passed;
		synchronized (peer) {
			passed = report;
			if (report.stats() != null) {
				if (peer.statsSeen && now - peer.statsAt < STATS_INTERVAL_NANOS) {
					passed = report.withoutStats();
				}
				else {
					peer.statsSeen = true;
					peer.statsAt = now;
				}
			}
			if (passed.stats() == null && java.util.Objects.equals(passed.state(), peer.mediaState)) {
				return;
			}
			peer.mediaState = passed.state();
		}
		try {
			this.observer.mediaState(peer.admission, passed);
		}
		catch (RuntimeException ex) {
			logger.warn("Room observer failed on a media state of {}", peer.admission.roomId(), ex);
		}
	}

	void leave(Room room, Room.Peer peer, SignallingConnection connection) {
		synchronized (room) {
			if (peer.connection != connection || room.peers.get(peer.id) != peer) {
				return;
			}
			room.peers.remove(peer.id);
		}
		departed(room, peer, LeaveReason.LEFT);
	}

	void dropped(Room room, Room.Peer peer, SignallingConnection connection) {
		synchronized (room) {
			if (peer.connection != connection || room.peers.get(peer.id) != peer) {
				return;
			}
			peer.connection = null;
			if (this.shared != null) {
				// The seat, not this node, keeps the place: the peer may come back
				// anywhere.
				room.peers.remove(peer.id);
				room.heldElsewhere(peer.id, peer.take);
				removeIfEmpty(room);
			}
		}
		if (this.shared != null) {
			this.shared.away(room, peer);
			return;
		}
		synchronized (room) {
			peer.graceTimer = this.timers.schedule(() -> graceExpired(room, peer),
					this.settings.reconnectGrace().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void graceExpired(Room room, Room.Peer peer) {
		synchronized (room) {
			if (peer.connection != null || room.peers.get(peer.id) != peer) {
				return;
			}
			room.peers.remove(peer.id);
		}
		departed(room, peer, LeaveReason.GRACE_EXPIRED);
	}

	private void departed(Room room, Room.Peer peer, LeaveReason reason) {
		this.relay.publish(Envelope.broadcast(room.id, peer.id, new SignalMessage.PeerLeft(peer.id)));
		synchronized (room) {
			removeIfEmpty(room);
		}
		if (this.shared != null) {
			this.shared.released(room, peer);
		}
		released(room.id, peer.id, peer.admission, reason);
	}

	/** A peer left its room for good, on this node or (seats shared) on any. */
	void released(String roomId, String peerId, Admission admission, LeaveReason reason) {
		this.broker.peerLeft(roomId, peerId)
			.subscribe(null, (ex) -> logger.warn("Media broker failed to release a peer of {}", roomId, ex));
		this.observer.left(admission, reason);
	}

	RoomObserver observer() {
		return this.observer;
	}

	@Nullable Room localRoom(String roomId) {
		return this.rooms.get(roomId);
	}

	Room roomFor(String roomId) {
		return this.rooms.computeIfAbsent(roomId, this::newRoom);
	}

	private Room newRoom(String roomId) {
		Room room = new Room(roomId);
		SharedRooms sharedRooms = this.shared;
		room.subscription = this.bus.subscribe(roomId, (sharedRooms != null)
				? (envelope) -> sharedRooms.fromAfar(room, envelope) : (envelope) -> deliver(room, envelope));
		return room;
	}

	/**
	 * Delivers an envelope to the peers of the room connected to this node.
	 * @return whether a peer here took it
	 */
	boolean deliver(Room room, Envelope envelope) {
		List<SignallingConnection> targets = new ArrayList<>(2);
		synchronized (room) {
			if (envelope.message() instanceof SignalMessage.Media media) {
				room.media = media.mode();
			}
			if (envelope.toPeerId() != null) {
				Room.Peer peer = room.peers.get(envelope.toPeerId());
				if (peer != null && peer.connection != null) {
					targets.add(peer.connection);
				}
			}
			else {
				for (Room.Peer peer : room.peers.values()) {
					if (peer.connection != null && !peer.id.equals(envelope.exceptPeerId())) {
						targets.add(peer.connection);
					}
				}
			}
		}
		if (envelope.message() instanceof SignalMessage.Ended) {
			closeLocally(room);
			for (SignallingConnection target : targets) {
				target.end(envelope.message());
			}
			return true;
		}
		if (targets.isEmpty()) {
			return false;
		}
		String frame = (envelope.frame() != null) ? envelope.frame() : this.codec.encode(envelope.message());
		for (SignallingConnection target : targets) {
			target.send(frame);
		}
		return true;
	}

	private void closeLocally(Room room) {
		List<Room.Peer> peers;
		synchronized (room) {
			if (room.removed) {
				return;
			}
			peers = new ArrayList<>(room.peers.values());
			for (Room.Peer peer : peers) {
				cancelGrace(peer);
			}
			room.peers.clear();
			removeIfEmpty(room);
		}
		this.broker.roomClosed(room.id)
			.subscribe(null, (ex) -> logger.warn("Media broker failed to release consult {}", room.id, ex));
		for (Room.Peer peer : peers) {
			this.observer.left(peer.admission, LeaveReason.ROOM_CLOSED);
		}
	}

	/** Must hold the room's monitor. */
	void removeIfEmpty(Room room) {
		if (room.peers.isEmpty() && !room.removed) {
			room.removed = true;
			this.rooms.remove(room.id, room);
			if (room.subscription != null) {
				room.subscription.dispose();
			}
		}
	}

	private static void cancelGrace(Room.Peer peer) {
		if (peer.graceTimer != null) {
			peer.graceTimer.dispose();
			peer.graceTimer = null;
		}
	}

	static String newPeerId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return Long.toHexString(random.nextLong() | Long.MIN_VALUE);
	}

	/** Helps to build a {@link SignallingEngine}. */
	public static final class Builder {

		private final JoinAuthorizer authorizer;

		private MediaBroker broker = new PeerToPeerBroker();

		private RelayBus bus = new InProcessRelayBus();

		private RoomObserver observer = RoomObserver.NONE;

		private SignallingSettings settings = SignallingSettings.DEFAULTS;

		private SignalCodec codec = new SignalCodec();

		private Scheduler timers = Schedulers.parallel();

		private LongSupplier nanoTime = System::nanoTime;

		private @Nullable SharedSeats seats;

		private Builder(JoinAuthorizer authorizer) {
			this.authorizer = authorizer;
		}

		/**
		 * @param broker where media flows
		 * @return this builder
		 */
		public Builder broker(MediaBroker broker) {
			this.broker = broker;
			return this;
		}

		/**
		 * @param bus how messages reach other nodes
		 * @return this builder
		 */
		public Builder relayBus(RelayBus bus) {
			this.bus = bus;
			return this;
		}

		/**
		 * Shares the rooms with other nodes: seats in a shared store, messages through a
		 * bus that reaches the other nodes.
		 * @param bus how messages reach other nodes
		 * @param seats where the seats of rooms live
		 * @return this builder
		 */
		public Builder shared(RelayBus bus, SharedSeats seats) {
			this.bus = bus;
			this.seats = seats;
			return this;
		}

		/**
		 * @param observer told about joins and departures
		 * @return this builder
		 */
		public Builder observer(RoomObserver observer) {
			this.observer = observer;
			return this;
		}

		/**
		 * @param settings limits and timings
		 * @return this builder
		 */
		public Builder settings(SignallingSettings settings) {
			this.settings = settings;
			return this;
		}

		/**
		 * @param codec the JSON codec
		 * @return this builder
		 */
		public Builder codec(SignalCodec codec) {
			this.codec = codec;
			return this;
		}

		/**
		 * @param timers runs grace-period timers; a virtual-time scheduler in tests
		 * @param nanoTime the clock of the rate limiter
		 * @return this builder
		 */
		public Builder time(Scheduler timers, LongSupplier nanoTime) {
			this.timers = timers;
			this.nanoTime = nanoTime;
			return this;
		}

		/**
		 * @return the engine
		 */
		public SignallingEngine build() {
			return new SignallingEngine(this);
		}

	}

}
