package nl.beeldzorg.signalling.kurento;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.kurento.client.KurentoClient;
import org.kurento.client.KurentoConnectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One Kurento Media Server: its connection, its state and its load (pipelines and
 * endpoints this node made on it). A server that cannot be reached at start is probed
 * every {@code probeInterval}; one that drops is reconnected by the Kurento client
 * itself. When the client reconnects with a new session the server restarted and lost
 * every object: its {@link #generation()} moves on and the broker is told.
 * <p>
 * The Kurento client does not always keep trying: a close frame from the server (seen
 * when the stand-in stops), or a session handshake that fails on reconnect, closes it for
 * good ("a client closed explicitly can't be reused"), and it stays silent from then on.
 * So a server still down {@link #REPLACE_AFTER} (or a probe interval, when longer) after
 * it dropped gets a new client, probed like one unreachable at start; the old client's
 * objects count as lost.
 */
public final class MediaServer {

	private static final Logger logger = LoggerFactory.getLogger(MediaServer.class);

	/**
	 * How long a dropped connection is left to the Kurento client's own reconnects (it
	 * tries every 2 s) before a new client replaces it.
	 */
	static final Duration REPLACE_AFTER = Duration.ofSeconds(6);

	/** Whether the server can take media now. */
	public enum State {

		/** First connection under way. */
		CONNECTING,

		/** Connected. */
		UP,

		/** Not reachable; probed or reconnecting. */
		DOWN

	}

	/** What the broker hears of a server. */
	interface Events {

		/** The server became reachable (first time, or again with its objects kept). */
		void up(MediaServer server);

		/** The server went away; the client tries to reconnect. */
		void down(MediaServer server);

		/** The server is back but lost every object (restarted). */
		void lost(MediaServer server);

	}

	private final String url;

	private final Duration probeInterval;

	private final Events events;

	private final AtomicInteger pipelines = new AtomicInteger();

	private final AtomicInteger endpoints = new AtomicInteger();

	private final AtomicLong generation = new AtomicLong();

	private volatile State state = State.CONNECTING;

	private volatile Instant since = Instant.now();

	private volatile @Nullable String error;

	private volatile @Nullable KurentoClient client;

	/** The current client's listener; the events of a replaced client are ignored. */
	private volatile @Nullable Listener listener;

	private volatile boolean closed;

	private volatile @Nullable Disposable probe;

	private volatile @Nullable Disposable replacement;

	/** Set when a new client replaced one whose objects are gone with it. */
	private volatile boolean replaced;

	MediaServer(String url, Duration probeInterval, Events events) {
		this.url = url;
		this.probeInterval = probeInterval;
		this.events = events;
	}

	/** Connects, on {@code boundedElastic} (the Kurento client connects blocking). */
	void start() {
		Listener listener = new Listener();
		Mono.fromCallable(() -> KurentoClient.create(this.url, listener))
			.subscribeOn(Schedulers.boundedElastic())
			.subscribe((created) -> {
				if (this.closed) {
					destroy(created);
					return;
				}
				this.client = created;
				this.listener = listener;
				up();
				if (this.replaced) {
					this.replaced = false;
					this.events.lost(this);
				}
			}, (ex) -> {
				down(ex.getMessage());
				if (!this.closed) {
					this.probe = Schedulers.parallel()
						.schedule(this::start, this.probeInterval.toMillis(), TimeUnit.MILLISECONDS);
				}
			});
	}

	/**
	 * Gives the Kurento client {@link #REPLACE_AFTER} to reconnect on its own; a server
	 * still down then gets a new client.
	 */
	private void replaceUnlessBackSoon(Listener dropped) {
		Disposable pending = this.replacement;
		if (pending != null) {
			pending.dispose();
		}
		long after = Math.max(REPLACE_AFTER.toMillis(), this.probeInterval.toMillis());
		this.replacement = Schedulers.parallel().schedule(() -> {
			KurentoClient stale = this.client;
			if (this.closed || this.state != State.DOWN || this.listener != dropped || stale == null) {
				return;
			}
			logger.warn("Media server {} still unreachable after {} ms; connecting with a new client", this.url, after);
			this.listener = null;
			this.client = null;
			forgetObjects();
			this.replaced = true;
			destroyLater(stale);
			start();
		}, after, TimeUnit.MILLISECONDS);
	}

	void close() {
		this.closed = true;
		Disposable pending = this.probe;
		if (pending != null) {
			pending.dispose();
		}
		Disposable replacing = this.replacement;
		if (replacing != null) {
			replacing.dispose();
		}
		KurentoClient current = this.client;
		this.client = null;
		if (current != null) {
			destroyLater(current);
		}
	}

	/** Closes a client on {@code boundedElastic} (closing blocks). */
	private static void destroyLater(KurentoClient client) {
		Mono.fromRunnable(() -> destroy(client)).subscribeOn(Schedulers.boundedElastic()).subscribe();
	}

	private static void destroy(KurentoClient client) {
		try {
			client.destroy();
		}
		catch (RuntimeException ex) {
			logger.debug("Closing a Kurento client failed: {}", ex.toString());
		}
	}

	private void up() {
		if (this.state != State.UP) {
			this.state = State.UP;
			this.since = Instant.now();
			this.error = null;
			logger.info("Media server {} is up", this.url);
			this.events.up(this);
		}
	}

	private void down(@Nullable String why) {
		this.error = why;
		if (this.state != State.DOWN) {
			this.state = State.DOWN;
			this.since = Instant.now();
			logger.warn("Media server {} is unreachable: {}", this.url, why);
			this.events.down(this);
		}
	}

	/** Every object this node made on the server is gone: a new generation, no load. */
	private void forgetObjects() {
		this.generation.incrementAndGet();
		this.pipelines.set(0);
		this.endpoints.set(0);
	}

	/** Objects on this server are gone though the server answered. */
	void lostObjects() {
		forgetObjects();
		this.events.lost(this);
	}

	/**
	 * @return the client, when connected
	 */
	@Nullable KurentoClient client() {
		return (this.state == State.UP) ? this.client : null;
	}

	/**
	 * @return the server's URL
	 */
	public String url() {
		return this.url;
	}

	/**
	 * @return whether it takes media now
	 */
	public State state() {
		return this.state;
	}

	/**
	 * @return since when it is in its state
	 */
	public Instant since() {
		return this.since;
	}

	/**
	 * @return why it is down, when known
	 */
	public @Nullable String error() {
		return this.error;
	}

	/**
	 * @return pipelines this node holds on it
	 */
	public int pipelines() {
		return this.pipelines.get();
	}

	/**
	 * @return endpoints (WebRTC and recorder) this node holds on it
	 */
	public int endpoints() {
		return this.endpoints.get();
	}

	/**
	 * @return how often the server lost its objects; objects of an older generation are
	 * gone
	 */
	long generation() {
		return this.generation.get();
	}

	void pipelineMade(long generation, int delta) {
		if (generation == this.generation.get()) {
			this.pipelines.addAndGet(delta);
		}
	}

	void endpointMade(long generation, int delta) {
		if (generation == this.generation.get()) {
			this.endpoints.addAndGet(delta);
		}
	}

	/** Load for the least-loaded choice: endpoints, then pipelines. */
	long load() {
		return ((long) this.endpoints.get() << 20) + this.pipelines.get();
	}

	@Override
	public String toString() {
		return this.url + " " + this.state;
	}

	/** Runs on the Kurento client's threads. */
	private final class Listener implements KurentoConnectionListener {

		/**
		 * Whether this listener's client is the one in use (not replaced, not closed).
		 */
		private boolean current() {
			return MediaServer.this.listener == this && !MediaServer.this.closed;
		}

		@Override
		public void connected() {
			if (current()) {
				up();
			}
		}

		@Override
		public void connectionFailed() {
			if (current()) {
				down("connection failed");
				replaceUnlessBackSoon(this);
			}
		}

		@Override
		public void disconnected() {
			if (current()) {
				down("disconnected; reconnecting");
				replaceUnlessBackSoon(this);
			}
		}

		@Override
		public void reconnected(boolean sameServer) {
			if (!current()) {
				return;
			}
			if (!sameServer) {
				logger.warn("Media server {} restarted: its pipelines are gone", MediaServer.this.url);
				forgetObjects();
			}
			MediaServer.this.state = State.DOWN;
			up();
			if (!sameServer) {
				MediaServer.this.events.lost(MediaServer.this);
			}
		}

	}

}
