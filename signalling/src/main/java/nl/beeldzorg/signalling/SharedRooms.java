package nl.beeldzorg.signalling;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import nl.beeldzorg.signalling.RoomObserver.LeaveReason;
import nl.beeldzorg.signalling.protocol.PeerInfo;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The engine's rooms when several nodes share them: seats in {@link SharedSeats},
 * messages through a cross-node {@link RelayBus}. Relaying is local first: a message for
 * a peer on this node is handed over directly, as on a single node, and only a message
 * for a peer held elsewhere (or for the whole room) crosses to the other nodes. Order per
 * sender holds because a sender's messages leave this node in the order it sent them, on
 * one channel per room.
 */
final class SharedRooms implements RelayBus {

	private static final Logger logger = LoggerFactory.getLogger(SharedRooms.class);

	private final SignallingEngine engine;

	private final RelayBus bus;

	private final SharedSeats seats;

	private final AtomicInteger writes = new AtomicInteger();

	private final Disposable vacating;

	SharedRooms(SignallingEngine engine, RelayBus bus, SharedSeats seats) {
		this.engine = engine;
		this.bus = bus;
		this.seats = seats;
		this.vacating = seats.vacated().subscribe(this::vacated, (ex) -> logger.error("Vacating seats stopped", ex));
	}

	@Override
	public void publish(Envelope envelope) {
		Room room = this.engine.localRoom(envelope.roomId());
		if (envelope.toPeerId() != null) {
			if (room == null || !this.engine.deliver(room, envelope)) {
				this.bus.publish(envelope);
			}
			return;
		}
		if (room != null) {
			note(room, envelope.message());
			this.engine.deliver(room, envelope);
		}
		this.bus.publish(envelope);
	}

	@Override
	public Disposable subscribe(String roomId, java.util.function.Predicate<Envelope> delivery) {
		return this.bus.subscribe(roomId, delivery);
	}

	/**
	 * What another node published to a room with a peer here.
	 * @return whether it was dealt with here: a peer here took it, or it was dropped as
	 * overtaken
	 */
	boolean fromAfar(Room room, Envelope envelope) {
		SignallingConnection replaced = null;
		if (envelope.message() instanceof SignalMessage.PeerJoined joined) {
			// The peer took its seat on another node: a connection of it here is stale.
			String peerId = joined.peer().peerId();
			synchronized (room) {
				if (envelope.take() > 0 && room.takeOf(peerId) >= envelope.take()) {
					// An announcement overtaken by what this node knows already: the
					// seat's list when a peer here took its own seat (the announcement
					// was on its way meanwhile), or a later taking. Passing it on would
					// tell the peers here of the same join twice, or cut a live
					// connection.
					return true;
				}
				Room.Peer local = room.peers.get(peerId);
				if (local != null) {
					room.peers.remove(peerId);
					replaced = local.connection;
					local.connection = null;
				}
				room.heldElsewhere(peerId, envelope.take());
				this.engine.removeIfEmpty(room);
			}
		}
		else if (envelope.message() instanceof SignalMessage.PeerLeft left && reseated(room, left.peerId())) {
			// The store lost a seat whose peer is connected here (its renewals failed
			// while
			// Redis was away): the peer stays, and the peers here never hear otherwise.
			return true;
		}
		else {
			note(room, envelope.message());
		}
		if (replaced != null) {
			replaced.fail(SignallingError.REPLACED, SignallingError.REPLACED.message());
		}
		return this.engine.deliver(room, envelope);
	}

	private static void note(Room room, SignalMessage message) {
		if (message instanceof SignalMessage.PeerLeft left) {
			synchronized (room) {
				room.gone(left.peerId());
			}
		}
	}

	void admit(SignallingConnection connection, Admission admission) {
		Room room = this.engine.roomFor(admission.roomId());
		String candidate = SignallingEngine.newPeerId();
		this.bus.subscribed(room.id)
			.then(this.seats.take(admission, candidate, this.engine.settings().maxPeersPerRoom()))
			.subscribe((seating) -> seated(connection, admission, seating), (ex) -> {
				synchronized (room) {
					this.engine.removeIfEmpty(room);
				}
				if (ex instanceof JoinRejectedException rejected) {
					connection.fail(rejected.error(), rejected.getMessage());
				}
				else {
					logger.warn("Could not seat a peer in consult {}: {}", admission.roomId(), ex.toString());
					connection.fail(SignallingError.INTERNAL, "Could not take a seat in the room; join again");
				}
			});
	}

	private void seated(SignallingConnection connection, Admission admission, SharedSeats.Seating seating) {
		while (true) {
			Room room = this.engine.roomFor(admission.roomId());
			Room.Peer peer;
			SignallingConnection previous = null;
			SignalMessage.Media moved;
			synchronized (room) {
				if (room.removed) {
					continue;
				}
				peer = room.peers.get(seating.peerId());
				if (peer == null) {
					peer = new Room.Peer(seating.peerId(), admission, connection);
					room.peers.put(peer.id, peer);
				}
				else {
					previous = peer.connection;
					peer.connection = connection;
				}
				peer.take = seating.take();
				room.gone(peer.id);
				for (PeerInfo other : seating.others()) {
					if (!room.peers.containsKey(other.peerId())) {
						room.heldElsewhere(other.peerId(), seating.takes().getOrDefault(other.peerId(), 0L));
					}
				}
				moved = this.engine.decideMedia(room, peer.id, seating.others().size() + 1);
				connection.joined(room, peer);
				// Under the room's monitor, so nothing relayed to this peer overtakes it.
				connection.send(new SignalMessage.Joined(room.id, peer.id, seating.others(), admission.iceServers(),
						room.media));
			}
			if (previous != null && previous != connection) {
				previous.fail(SignallingError.REPLACED, SignallingError.REPLACED.message());
			}
			if (!connection.isJoined()) {
				// The socket went while its seat was being taken.
				this.engine.dropped(room, peer, connection);
				return;
			}
			publish(new Envelope(room.id, null, peer.id, new SignalMessage.PeerJoined(peer.info()), seating.take()));
			if (moved != null) {
				publish(Envelope.broadcast(room.id, peer.id, moved));
			}
			this.engine.observer().joined(admission, seating.others().size() + 1, seating.rejoin());
			return;
		}
	}

	/** Must not hold the room's monitor. The peer is gone from this node already. */
	void away(Room room, Room.Peer peer) {
		track(this.seats.away(room.id, peer.id));
	}

	void released(Room room, Room.Peer peer) {
		track(this.seats.release(room.id, peer.id));
	}

	void closeRoom(String roomId) {
		publish(Envelope.broadcast(roomId, null, new SignalMessage.Ended(roomId)));
		track(this.seats.closeRoom(roomId));
	}

	private void vacated(SharedSeats.Vacated vacated) {
		PeerInfo peer = vacated.peer();
		Room local = this.engine.localRoom(vacated.roomId());
		if (local != null && reseated(local, peer.peerId())) {
			return;
		}
		publish(Envelope.broadcast(vacated.roomId(), peer.peerId(), new SignalMessage.PeerLeft(peer.peerId())));
		this.engine.released(vacated.roomId(), peer.peerId(),
				new Admission(vacated.roomId(), peer.userId(), peer.name(), peer.discipline(), List.of()),
				LeaveReason.GRACE_EXPIRED);
	}

	/**
	 * Takes the seat again, under the same peer id, when its peer is connected here.
	 * @return whether the peer is connected here
	 */
	private boolean reseated(Room room, String peerId) {
		Room.Peer live;
		synchronized (room) {
			live = room.peers.get(peerId);
			if (live == null || live.connection == null) {
				return false;
			}
		}
		track(this.seats.take(live.admission, live.id, Integer.MAX_VALUE).then());
		return true;
	}

	/** Writes to the store not yet done; a node that shuts down waits for them. */
	int pendingWrites() {
		return this.writes.get();
	}

	void stop() {
		this.vacating.dispose();
	}

	private void track(Mono<Void> write) {
		this.writes.incrementAndGet();
		write.doFinally((signal) -> this.writes.decrementAndGet())
			.subscribe(null, (ex) -> logger.warn("Could not update the shared seats: {}", ex.toString()));
	}

}
