package nl.beeldzorg.signalling.kurento;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import nl.beeldzorg.signalling.Envelope;
import nl.beeldzorg.signalling.MediaBroker;
import nl.beeldzorg.signalling.MediaOwners;
import nl.beeldzorg.signalling.RecordingUnavailableException;
import nl.beeldzorg.signalling.RelayBus;
import nl.beeldzorg.signalling.SignallingError;
import nl.beeldzorg.signalling.protocol.SignalCodec;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Media through Kurento when the peers of one consult may be on different nodes (a
 * balancer without stickiness). One node owns a consult's media: it holds a lease in the
 * shared store ({@link MediaOwners}), renews it while its {@link KurentoMediaBroker}
 * holds the consult, and alone makes the consult's Kurento objects. The first node that
 * needs the SFU for a consult (an offer or candidate {@code to:"sfu"}, a recording) takes
 * the lease when nobody holds it.
 * <p>
 * Every node decides the media mode of its own peers' joins (no I/O under the room's
 * lock) and tells the owner of the join; the owner releases a returning peer's old
 * endpoints and, when the joining node decided {@code p2p} for a consult already on the
 * SFU, tells that peer {@code media sfu}. What a peer sends to the SFU, the departures of
 * peers, the end of the consult and recording start and stop go to the owner over the
 * owner's channel; the owner's answers and candidates reach the peers through the
 * engine's relay, on whichever node they are.
 * <p>
 * Each node with peers in a consult whose media another node owns checks the lease as
 * often as the owner renews it; when the owner stopped renewing (it died, or lost the
 * store), the first node to notice takes the lease, and tells every peer {@code media}
 * mode {@code sfu} reason {@code media-server-restarted}: the pages publish and subscribe
 * again, and the new owner builds the consult anew. A recording that was running on the
 * dead owner ends there (its file as far as written).
 */
public final class SharedMediaBroker implements MediaBroker, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SharedMediaBroker.class);

	/** How long a recording start or stop waits for the owner's answer. */
	static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

	private static final String NEGOTIATE = "N";

	private static final String JOINED = "J";

	private static final String LEFT = "L";

	private static final String CLOSED = "C";

	private static final String START_RECORDING = "RS";

	private static final String STOP_RECORDING = "RT";

	private static final String REPLY = "R";

	private final KurentoMediaBroker kurento;

	private final MediaOwners owners;

	private final String node;

	private final SignalCodec codec = new SignalCodec();

	private final Scheduler timers = Schedulers.parallel();

	/**
	 * Consults whose media this node owns, or sent something to another node for, with
	 * the owner it knows.
	 */
	private final Map<String, String> known = new ConcurrentHashMap<>();

	private final Map<String, Sinks.One<Void>> pending = new ConcurrentHashMap<>();

	private final AtomicLong calls = new AtomicLong();

	private volatile MediaBroker.Rooms rooms = (roomId, message) -> {
	};

	private final Disposable receiving;

	private final Disposable renewing;

	/**
	 * @param kurento the media servers of this node, for the consults it owns
	 * @param owners the leases and channels shared between nodes
	 * @param renewEvery how often the owner renews its leases and the other nodes check
	 * them: a fraction (a third) of the lease
	 */
	public SharedMediaBroker(KurentoMediaBroker kurento, MediaOwners owners, Duration renewEvery) {
		this.kurento = kurento;
		this.owners = owners;
		this.node = owners.node();
		this.receiving = owners.received()
			.subscribe(this::received, (ex) -> logger.error("Calls for this node's media stopped", ex));
		this.renewing = Flux.interval(renewEvery, renewEvery, this.timers)
			.onBackpressureDrop()
			.concatMap((tick) -> renew().onErrorResume((ex) -> {
				logger.warn("Could not renew the media leases: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	/**
	 * @return the media servers of this node
	 */
	public KurentoMediaBroker kurento() {
		return this.kurento;
	}

	@Override
	public void attach(MediaBroker.Rooms rooms) {
		this.rooms = rooms;
		this.kurento.attach(rooms);
	}

	@Override
	public SignalMessage.Media admitted(String roomId, String peerId, int peers) {
		SignalMessage.Media decided = this.kurento.admitted(roomId, peerId, peers);
		String mode = decided.mode();
		// Under the room's lock: tell the owner afterwards.
		this.timers.schedule(() -> joined(roomId, peerId, peers, mode));
		return decided;
	}

	private void joined(String roomId, String peerId, int peers, String mode) {
		this.owners.owner(roomId).flatMap((owner) -> {
			if (owner.equals(this.node)) {
				return Mono.empty();
			}
			this.known.put(roomId, owner);
			return this.owners.send(owner,
					call(JOINED, roomId, "", peerId, peers + "," + mode, csv(this.rooms.peers(roomId))));
		})
			.subscribe(null, (ex) -> logger.warn("Could not tell the media owner of consult {} of a join: {}", roomId,
					ex.toString()));
	}

	@Override
	public Mono<Void> negotiate(String roomId, SignalMessage.Negotiation message, RelayBus relay) {
		if (!SignalMessage.SFU.equals(message.to())) {
			return this.kurento.negotiate(roomId, message, relay);
		}
		Set<String> peers = this.rooms.peers(roomId);
		return ownerFor(roomId).flatMap((owner) -> {
			if (owner.equals(this.node)) {
				this.kurento.adopt(roomId, peers, true);
				return this.kurento.negotiate(roomId, message, relay);
			}
			return this.owners.send(owner, call(NEGOTIATE, roomId, "", csv(peers), "", this.codec.encode(message)));
		});
	}

	@Override
	public Mono<Void> peerLeft(String roomId, String peerId) {
		return this.kurento.peerLeft(roomId, peerId)
			.then(this.owners.owner(roomId)
				.flatMap((owner) -> owner.equals(this.node) ? releaseWhenDone(roomId)
						: this.owners.send(owner, call(LEFT, roomId, "", peerId, "", ""))));
	}

	@Override
	public Mono<Void> roomClosed(String roomId) {
		this.known.remove(roomId);
		return this.kurento.roomClosed(roomId)
			.then(this.owners.owner(roomId)
				.flatMap((owner) -> owner.equals(this.node) ? this.owners.release(roomId)
						: this.owners.send(owner, call(CLOSED, roomId, "", "", "", ""))));
	}

	@Override
	public Mono<Void> startRecording(String roomId, String recordingId, String uri) {
		Set<String> peers = this.rooms.peers(roomId);
		return ownerFor(roomId).flatMap((owner) -> owner.equals(this.node) ? startHere(roomId, recordingId, uri, peers)
				: request(owner, START_RECORDING, roomId, recordingId, uri, csv(peers)));
	}

	@Override
	public Mono<Void> stopRecording(String roomId, String recordingId) {
		return this.owners.owner(roomId)
			.flatMap((owner) -> owner.equals(this.node) ? this.kurento.stopRecording(roomId, recordingId)
					: request(owner, STOP_RECORDING, roomId, recordingId, "", ""));
	}

	@Override
	public void close() {
		this.renewing.dispose();
		this.receiving.dispose();
		this.kurento.close();
	}

	private Mono<Void> startHere(String roomId, String recordingId, String uri, Collection<String> peers) {
		this.kurento.adopt(roomId, peers, false);
		return this.kurento.startRecording(roomId, recordingId, uri);
	}

	/** The owner: this node or another; taken when nobody holds the lease. */
	private Mono<String> ownerFor(String roomId) {
		return this.owners.owner(roomId)
			.doOnNext((owner) -> this.known.put(roomId, owner))
			.switchIfEmpty(claim(roomId));
	}

	private Mono<String> claim(String roomId) {
		return this.owners.claim(roomId).map((claim) -> {
			this.known.put(roomId, claim.owner());
			if (claim.takenOverBy(this.node)) {
				takeOver(roomId, claim.previous());
			}
			return claim.owner();
		});
	}

	/**
	 * The owner stopped renewing: its consult is built anew here, as the pages publish.
	 */
	private void takeOver(String roomId, @Nullable String previous) {
		logger.warn("Node {} stopped renewing the media of consult {}: this node takes it over", previous, roomId);
		this.kurento.roomClosed(roomId).subscribe(null, (ex) -> logger.debug("Nothing to drop: {}", ex.toString()));
		this.kurento.adopt(roomId, this.rooms.peers(roomId), true);
		this.rooms.announce(roomId,
				new SignalMessage.Media(SignalMessage.Media.SFU, SignalMessage.Media.MEDIA_SERVER_RESTARTED));
	}

	private Mono<Void> releaseWhenDone(String roomId) {
		if (this.kurento.holds(roomId)) {
			return Mono.empty();
		}
		this.known.remove(roomId, this.node);
		return this.owners.release(roomId);
	}

	/** The owner renews its leases; the others see whether their owners still do. */
	private Mono<Void> renew() {
		return Flux.fromIterable(List.copyOf(this.known.entrySet()))
			.concatMap((entry) -> renew(entry.getKey(), entry.getValue()).onErrorResume((ex) -> {
				logger.debug("Could not renew the media lease of {}: {}", entry.getKey(), ex.toString());
				return Mono.empty();
			}))
			.then();
	}

	private Mono<Void> renew(String roomId, String owner) {
		if (owner.equals(this.node)) {
			if (!this.kurento.holds(roomId)) {
				this.known.remove(roomId, owner);
				return this.owners.release(roomId);
			}
			return this.owners.claim(roomId).flatMap((claim) -> {
				if (claim.owner().equals(this.node)) {
					return Mono.empty();
				}
				// Another node took the lease while this one could not renew it: it
				// rebuilds the consult; what this node made goes.
				logger.warn("Node {} took over the media of consult {}", claim.owner(), roomId);
				this.known.put(roomId, claim.owner());
				return this.kurento.roomClosed(roomId);
			});
		}
		if (this.rooms.peers(roomId).isEmpty()) {
			this.known.remove(roomId, owner);
			return Mono.empty();
		}
		return claim(roomId).then();
	}

	private Mono<Void> request(String owner, String kind, String roomId, String a, String b, String body) {
		String id = this.node + "/" + this.calls.incrementAndGet();
		Sinks.One<Void> reply = Sinks.one();
		this.pending.put(id, reply);
		return this.owners.send(owner, call(kind, roomId, id, a, b, body))
			.then(reply.asMono())
			.timeout(CALL_TIMEOUT)
			.onErrorMap(TimeoutException.class,
					(ex) -> new RecordingUnavailableException(
							"The node that holds this consult's media did not answer"))
			.doFinally((signal) -> this.pending.remove(id));
	}

	/** A call from another node. */
	private void received(String payload) {
		String[] call = payload.split("\n", 7);
		if (call.length != 7) {
			logger.warn("Skipped an unreadable media call");
			return;
		}
		String kind = call[0];
		String roomId = call[1];
		String from = call[2];
		String id = call[3];
		String a = call[4];
		String b = call[5];
		String body = call[6];
		try {
			switch (kind) {
				case NEGOTIATE -> negotiateHere(roomId, a, body);
				case JOINED -> joinedHere(roomId, a, b, body);
				case LEFT -> this.kurento.peerLeft(roomId, a)
					.then(Mono.defer(() -> releaseWhenDone(roomId)))
					.subscribe(null, (ex) -> logger.warn("Could not release a peer of {}: {}", roomId, ex.toString()));
				case CLOSED -> {
					this.known.remove(roomId);
					this.kurento.roomClosed(roomId)
						.then(this.owners.release(roomId))
						.subscribe(null, (ex) -> logger.warn("Could not close {}: {}", roomId, ex.toString()));
				}
				case START_RECORDING -> {
					this.known.put(roomId, this.node);
					reply(from, roomId, id, startHere(roomId, a, b, split(body)));
				}
				case STOP_RECORDING -> reply(from, roomId, id, this.kurento.stopRecording(roomId, a));
				case REPLY -> replied(id, a, b);
				default -> logger.warn("Skipped a media call of unknown kind {}", kind);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("A media call for consult {} failed", roomId, ex);
		}
	}

	private void negotiateHere(String roomId, String peers, String frame) {
		SignalMessage decoded = this.codec.decode(frame).message();
		RelayBus relay = this.rooms.relay();
		if (!(decoded instanceof SignalMessage.Negotiation message) || relay == null) {
			logger.warn("Skipped an unreadable negotiation for consult {}", roomId);
			return;
		}
		this.known.put(roomId, this.node);
		this.kurento.adopt(roomId, split(peers), true);
		this.kurento.negotiate(roomId, message, relay).subscribe(null, (ex) -> {
			logger.warn("Media broker failed for consult {}", roomId, ex);
			String sender = message.from();
			if (sender != null) {
				relay.publish(Envelope.to(roomId, sender, new SignalMessage.Error(SignallingError.INTERNAL.code(),
						"The media server could not handle the message")));
			}
		});
	}

	private void joinedHere(String roomId, String peerId, String countAndMode, String peers) {
		int comma = countAndMode.indexOf(',');
		int count = Integer.parseInt(countAndMode, 0, comma, 10);
		String mode = countAndMode.substring(comma + 1);
		this.kurento.adopt(roomId, split(peers), false);
		this.kurento.admitted(roomId, peerId, count);
		RelayBus relay = this.rooms.relay();
		if (this.kurento.sfu(roomId) && !SignalMessage.Media.SFU.equals(mode) && relay != null) {
			// Its node did not know the consult is on the SFU.
			relay.publish(Envelope.to(roomId, peerId, new SignalMessage.Media(SignalMessage.Media.SFU,
					(count >= 3) ? SignalMessage.Media.THIRD_PARTICIPANT : SignalMessage.Media.RECORDING)));
		}
	}

	private void reply(String to, String roomId, String id, Mono<Void> outcome) {
		outcome.then(Mono.fromSupplier(() -> call(REPLY, roomId, id, "", "", "")))
			.onErrorResume((ex) -> Mono
				.just(call(REPLY, roomId, id, (ex instanceof RecordingUnavailableException) ? "unavailable" : "failed",
						String.valueOf(ex.getMessage()).replace('\n', ' '), "")))
			.flatMap((answer) -> this.owners.send(to, answer))
			.subscribe(null, (ex) -> logger.warn("Could not answer node {}: {}", to, ex.toString()));
	}

	private void replied(String id, String outcome, String message) {
		Sinks.One<Void> reply = this.pending.remove(id);
		if (reply == null) {
			return;
		}
		if (outcome.isEmpty()) {
			reply.tryEmitEmpty();
		}
		else if (outcome.equals("unavailable")) {
			reply.tryEmitError(new RecordingUnavailableException(message));
		}
		else {
			reply.tryEmitError(new IllegalStateException(message));
		}
	}

	/** {@code kind \n room \n from \n id \n a \n b \n body}. */
	private String call(String kind, String roomId, String id, String a, String b, String body) {
		return kind + '\n' + roomId + '\n' + this.node + '\n' + id + '\n' + a + '\n' + b + '\n' + body;
	}

	private static String csv(Collection<String> peers) {
		return String.join(",", peers);
	}

	private static List<String> split(String csv) {
		return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
	}

}
