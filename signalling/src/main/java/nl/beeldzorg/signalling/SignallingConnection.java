package nl.beeldzorg.signalling;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import java.util.concurrent.TimeUnit;

import nl.beeldzorg.signalling.protocol.SignalCodec;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One client socket as the engine sees it. The transport feeds it every inbound text
 * frame with {@link #receive(String)}, sends every frame of {@link #outbound()}, closes
 * the socket when that completes, and calls {@link #closed()} when the socket is gone.
 */
public final class SignallingConnection {

	private static final Logger logger = LoggerFactory.getLogger(SignallingConnection.class);

	private static final Duration AUTHORIZATION_TIMEOUT = Duration.ofSeconds(10);

	private enum State {

		NEW, JOINING, JOINED, CLOSED

	}

	private final SignallingEngine engine;

	private final Sinks.Many<String> outbound;

	private volatile State state = State.NEW;

	private @Nullable Room room;

	private Room.@Nullable Peer peer;

	private double tokens;

	private long lastRefill;

	private long lastRateError;

	private final Disposable joinDeadline;

	private volatile boolean joinDeadlinePassed;

	SignallingConnection(SignallingEngine engine) {
		this.engine = engine;
		this.outbound = Sinks.many()
			.unicast()
			.onBackpressureBuffer(new OutboundQueue(engine.settings().outboundBuffer()));
		this.tokens = engine.settings().messageBurst();
		this.lastRefill = engine.nanoTime();
		this.lastRateError = this.lastRefill - 2_000_000_000L;
		this.joinDeadline = engine.timers()
			.schedule(this::joinDeadlinePassed, engine.settings().joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The frames to send to the client. Completes when the server closes the connection.
	 * @return the outbound text frames; subscribe once
	 */
	public Flux<String> outbound() {
		return this.outbound.asFlux();
	}

	/**
	 * Handles one inbound text frame. Never throws: whatever is wrong is answered with an
	 * {@code error} frame.
	 * @param frame the frame's text
	 */
	public void receive(String frame) {
		if (this.state == State.CLOSED) {
			return;
		}
		if (!takeToken()) {
			return;
		}
		if (tooLarge(frame)) {
			error(SignallingError.FRAME_TOO_LARGE,
					"Frames may be at most " + this.engine.settings().maxFrameBytes() + " bytes");
			return;
		}
		SignalCodec.Decoded decoded = this.engine.codec().decode(frame);
		SignalMessage message = decoded.message();
		if (message == null) {
			SignallingError error = (decoded.error() != null) ? decoded.error() : SignallingError.MALFORMED;
			error(error, (decoded.detail() != null) ? decoded.detail() : error.message());
			return;
		}
		try {
			handle(message);
		}
		catch (RuntimeException ex) {
			logger.warn("Failed to handle a {} message", message.getClass().getSimpleName(), ex);
			error(SignallingError.INTERNAL, SignallingError.INTERNAL.message());
		}
	}

	/**
	 * The socket is gone. A joined peer keeps its place for the grace period.
	 */
	public void closed() {
		State previous = this.state;
		this.state = State.CLOSED;
		this.joinDeadline.dispose();
		this.outbound.tryEmitComplete();
		if (previous == State.JOINED && this.room != null && this.peer != null) {
			this.engine.dropped(this.room, this.peer, this);
		}
	}

	private void handle(SignalMessage message) {
		if (message instanceof SignalMessage.Ping) {
			send(new SignalMessage.Pong());
		}
		else if (message instanceof SignalMessage.Join join) {
			join(join);
		}
		else if (this.state != State.JOINED || this.room == null || this.peer == null) {
			error(SignallingError.NOT_JOINED, SignallingError.NOT_JOINED.message());
		}
		else if (message instanceof SignalMessage.Negotiation negotiation) {
			String problem = missingField(negotiation);
			if (problem != null) {
				error(SignallingError.INVALID_MESSAGE, problem);
			}
			else {
				this.engine.relay(this.room, this.peer, negotiation);
			}
		}
		else if (message instanceof SignalMessage.MediaState mediaState) {
			this.engine.mediaState(this.peer, mediaState);
		}
		else if (message instanceof SignalMessage.Leave) {
			this.engine.leave(this.room, this.peer, this);
			this.state = State.CLOSED;
			this.outbound.tryEmitComplete();
		}
		else {
			error(SignallingError.NOT_ALLOWED, "Clients may not send '" + typeOf(message) + "'");
		}
	}

	private void join(SignalMessage.Join join) {
		String token = join.token();
		if (!startJoining()) {
			return;
		}
		if (token == null || token.isBlank()) {
			fail(SignallingError.INVALID_TOKEN, "join needs a token");
			return;
		}
		// With shared seats admission completes later, still JOINING when the token's
		// check completes: only a check that granted nothing refuses the token.
		boolean[] granted = { false };
		this.engine.authorize(token).timeout(AUTHORIZATION_TIMEOUT).subscribe((admission) -> {
			granted[0] = true;
			if (this.state == State.JOINING) {
				this.engine.admit(this, admission);
			}
		}, (ex) -> {
			if (ex instanceof JoinRejectedException rejected) {
				fail(rejected.error(), rejected.getMessage());
			}
			else {
				logger.warn("Join authorization failed", ex);
				backToNew();
			}
		}, () -> {
			if (!granted[0] && this.state == State.JOINING) {
				fail(SignallingError.INVALID_TOKEN, SignallingError.INVALID_TOKEN.message());
			}
		});
	}

	/**
	 * Moves from {@code NEW} to {@code JOINING}, under the monitor the join deadline
	 * takes, so that a join and the deadline cannot both win.
	 */
	private synchronized boolean startJoining() {
		if (this.state == State.CLOSED) {
			return false;
		}
		if (this.state != State.NEW) {
			error(SignallingError.ALREADY_JOINED, SignallingError.ALREADY_JOINED.message());
			return false;
		}
		this.state = State.JOINING;
		return true;
	}

	/** The token could not be checked: the client may try again, unless time is up. */
	private synchronized void backToNew() {
		if (this.state != State.JOINING) {
			return;
		}
		this.state = State.NEW;
		if (this.joinDeadlinePassed) {
			joinTimedOut();
		}
		else {
			error(SignallingError.INTERNAL, "Could not check the token; try again");
		}
	}

	/**
	 * Runs on the engine's timers when the join timeout is up. A socket still checking
	 * its token is left to that check (which ends in admission, a refusal, or back to
	 * {@code NEW}, where the passed deadline closes it).
	 */
	private synchronized void joinDeadlinePassed() {
		this.joinDeadlinePassed = true;
		if (this.state == State.NEW) {
			joinTimedOut();
		}
	}

	private void joinTimedOut() {
		fail(SignallingError.JOIN_TIMEOUT, "No valid join within " + this.engine.settings().joinTimeout().toSeconds()
				+ " s of connecting; connect again and send join first");
	}

	void joined(Room room, Room.Peer peer) {
		this.room = room;
		this.peer = peer;
		if (this.state == State.JOINING) {
			this.state = State.JOINED;
		}
		this.joinDeadline.dispose();
	}

	void send(SignalMessage message) {
		send(this.engine.codec().encode(message));
	}

	synchronized void send(String frame) {
		Sinks.EmitResult result = this.outbound.tryEmitNext(frame);
		if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
			logger.info("Client too slow; closing its signalling connection");
			this.outbound.tryEmitComplete();
		}
	}

	void error(SignallingError error, String detail) {
		send(new SignalMessage.Error(error.code(), detail));
	}

	/** Sends an error that ends the connection, and closes it. */
	synchronized void fail(SignallingError error, String detail) {
		send(new SignalMessage.Error(error.code(), detail));
		if (this.state != State.JOINED || error == SignallingError.REPLACED) {
			this.state = State.CLOSED;
		}
		this.outbound.tryEmitComplete();
	}

	/**
	 * Sends {@code reconnect} and lets the socket go. A joined peer keeps its seat for
	 * the grace, as after any dropped socket.
	 */
	synchronized void reconnect(String frame) {
		send(frame);
		this.outbound.tryEmitComplete();
	}

	boolean isJoined() {
		return this.state == State.JOINED;
	}

	/** Sends {@code ended} and closes. */
	synchronized void end(SignalMessage ended) {
		send(this.engine.codec().encode(ended));
		this.state = State.CLOSED;
		this.outbound.tryEmitComplete();
	}

	private boolean takeToken() {
		SignallingSettings settings = this.engine.settings();
		long now = this.engine.nanoTime();
		this.tokens = Math.min(settings.messageBurst(),
				this.tokens + (now - this.lastRefill) * settings.messagesPerSecond() / 1e9);
		this.lastRefill = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return true;
		}
		// One error per second at most, so a flood is not answered with a flood.
		if (now - this.lastRateError > 1_000_000_000L) {
			this.lastRateError = now;
			error(SignallingError.RATE_LIMITED,
					"At most " + settings.messagesPerSecond() + " messages per second; this one was dropped");
		}
		return false;
	}

	private boolean tooLarge(String frame) {
		int limit = this.engine.settings().maxFrameBytes();
		if (frame.length() > limit) {
			return true;
		}
		return (frame.length() * 3L > limit) && frame.getBytes(StandardCharsets.UTF_8).length > limit;
	}

	private static @Nullable String missingField(SignalMessage.Negotiation message) {
		if (message.to() == null || message.to().isBlank()) {
			return "'to' is required";
		}
		if (message instanceof SignalMessage.Offer offer && offer.sdp() == null) {
			return "'sdp' is required";
		}
		if (message instanceof SignalMessage.Answer answer && answer.sdp() == null) {
			return "'sdp' is required";
		}
		if (message instanceof SignalMessage.Ice ice && ice.candidate() == null) {
			return "'candidate' is required";
		}
		return null;
	}

	private static String typeOf(SignalMessage message) {
		String name = message.getClass().getSimpleName();
		return name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
	}

}
