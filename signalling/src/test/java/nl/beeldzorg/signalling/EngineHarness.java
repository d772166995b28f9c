package nl.beeldzorg.signalling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import nl.beeldzorg.signalling.protocol.SignalMessage;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An engine on virtual time with a token table for admission, and clients that collect
 * what the engine sends them.
 */
final class EngineHarness {

	static final JsonMapper json = JsonMapper.builder().build();

	final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	final Map<String, Admission> tokens = new ConcurrentHashMap<>();

	final List<String> events = new CopyOnWriteArrayList<>();

	final SignallingEngine engine;

	EngineHarness(SignallingSettings settings, MediaBroker broker) {
		JoinAuthorizer authorizer = (token) -> {
			Admission admission = this.tokens.get(token);
			return (admission != null) ? Mono.just(admission)
					: Mono.error(new JoinRejectedException(SignallingError.INVALID_TOKEN, "unknown token"));
		};
		RoomObserver observer = new RoomObserver() {
			@Override
			public void joined(Admission admission, int distinctUsers, boolean rejoin) {
				EngineHarness.this.events.add("joined " + admission.userId() + " " + distinctUsers + " " + rejoin);
			}

			@Override
			public void left(Admission admission, LeaveReason reason) {
				EngineHarness.this.events.add("left " + admission.userId() + " " + reason);
			}

			@Override
			public void mediaState(Admission admission, SignalMessage.MediaState report) {
				SignalMessage.MediaStats stats = report.stats();
				EngineHarness.this.events.add("media " + admission.userId() + " " + report.state()
						+ ((stats != null) ? " rtt=" + stats.rttMs() : ""));
			}
		};
		this.engine = SignallingEngine.builder(authorizer)
			.settings(settings)
			.broker(broker)
			.observer(observer)
			.time(this.time, this.nanos::get)
			.build();
	}

	EngineHarness() {
		this(SignallingSettings.DEFAULTS, new PeerToPeerBroker());
	}

	/** Registers a token for a user in a room. */
	String token(String room, String user) {
		String token = room + ":" + user;
		this.tokens.put(token, new Admission(room, user, "Name " + user, "SO", List.of()));
		return token;
	}

	Client client() {
		return new Client(this.engine.open());
	}

	void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
		this.time.advanceTimeBy(duration);
	}

	/** One socket's view: frames received, and whether the server closed it. */
	static final class Client {

		final SignallingConnection connection;

		final List<String> frames = new CopyOnWriteArrayList<>();

		volatile boolean closed;

		private int read;

		Client(SignallingConnection connection) {
			this.connection = connection;
			connection.outbound().subscribe(this.frames::add, (ex) -> this.closed = true, () -> this.closed = true);
		}

		Client send(String frame) {
			this.connection.receive(frame);
			return this;
		}

		JsonNode join(String token) {
			send("{\"type\":\"join\",\"token\":\"" + token + "\"}");
			return next();
		}

		/** The next unread frame; fails when there is none. */
		JsonNode next() {
			if (this.read >= this.frames.size()) {
				throw new AssertionError("no frame; received so far: " + this.frames);
			}
			return json.readTree(this.frames.get(this.read++));
		}

		boolean hasUnread() {
			return this.read < this.frames.size();
		}

		/** Frames not read yet. */
		List<JsonNode> unread() {
			List<JsonNode> rest = new ArrayList<>();
			while (this.read < this.frames.size()) {
				rest.add(next());
			}
			return rest;
		}

		String error() {
			JsonNode frame = next();
			if (!frame.get("type").asString().equals("error")) {
				throw new AssertionError("expected an error, got " + frame);
			}
			return frame.get("code").asString();
		}

	}

}
