package nl.beeldzorg.signalling;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

	private final JoinAuthorizer authorizer;

	private final MediaBroker broker;

	private final RelayBus bus;

	private final RoomObserver observer;

	private final SignallingSettings settings;

	private final SignalCodec codec;

	private final Scheduler timers;

	private final LongSupplier nanoTime;

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	private SignallingEngine(Builder builder) {
		this.authorizer = builder.authorizer;
		this.broker = builder.broker;
		this.bus = builder.bus;
		this.observer = builder.observer;
		this.settings = builder.settings;
		this.codec = builder.codec;
		this.timers = builder.timers;
		this.nanoTime = builder.nanoTime;
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
		return new SignallingConnection(this);
	}

	/**
	 * Closes a room because its consult ended: every peer gets {@code ended} and is
	 * disconnected, on every node.
	 * @param roomId the consult id
	 */
	public void closeRoom(String roomId) {
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
		while (true) {
			Room room = this.rooms.computeIfAbsent(admission.roomId(), this::newRoom);
			Room.Peer admitted;
			boolean rejoin;
			int users;
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
				connection.joined(room, peer);
				// Sent under the room's monitor so nothing relayed to this peer overtakes
				// it.
				connection
					.send(new SignalMessage.Joined(room.id, peer.id, room.othersThan(peer.id), admission.iceServers()));
			}
			this.bus.publish(Envelope.broadcast(room.id, admitted.id, new SignalMessage.PeerJoined(admitted.info())));
			this.observer.joined(admission, users, rejoin);
			return;
		}
	}

	void relay(Room room, Room.Peer from, SignalMessage.Negotiation message) {
		String to = message.to();
		boolean present;
		synchronized (room) {
			present = to != null && !to.equals(from.id) && room.peers.containsKey(to);
		}
		SignallingConnection connection = from.connection;
		if (!present) {
			if (connection != null) {
				connection.error(SignallingError.NOT_IN_ROOM, "No peer '" + to + "' in this consult");
			}
			return;
		}
		this.broker.negotiate(room.id, message.route(from.id, to), this.bus).subscribe(null, (ex) -> {
			logger.warn("Media broker failed for consult {}", room.id, ex);
			if (connection != null) {
				connection.error(SignallingError.INTERNAL, "The media server could not handle the message");
			}
		});
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
		this.bus.publish(Envelope.broadcast(room.id, peer.id, new SignalMessage.PeerLeft(peer.id)));
		synchronized (room) {
			removeIfEmpty(room);
		}
		this.broker.peerLeft(room.id, peer.id)
			.subscribe(null, (ex) -> logger.warn("Media broker failed to release a peer of {}", room.id, ex));
		this.observer.left(peer.admission, reason);
	}

	private Room newRoom(String roomId) {
		Room room = new Room(roomId);
		room.subscription = this.bus.subscribe(roomId, (envelope) -> deliver(room, envelope));
		return room;
	}

	/** Delivers an envelope to the peers of the room connected to this node. */
	private void deliver(Room room, Envelope envelope) {
		List<SignallingConnection> targets = new ArrayList<>(2);
		synchronized (room) {
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
			return;
		}
		if (targets.isEmpty()) {
			return;
		}
		String frame = this.codec.encode(envelope.message());
		for (SignallingConnection target : targets) {
			target.send(frame);
		}
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
	private void removeIfEmpty(Room room) {
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

	private static String newPeerId() {
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
