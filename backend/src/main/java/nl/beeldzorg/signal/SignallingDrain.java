package nl.beeldzorg.signal;

import java.time.Duration;

import nl.beeldzorg.signalling.SignallingEngine;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Graceful shutdown of signalling (SIGTERM, a rolling deploy): before the web server's
 * own graceful phase, which would wait for every WebSocket to end by itself, the engine
 * tells each peer of this node to {@code reconnect} and lets its socket go; the peer
 * comes back on another node within its grace, under the same peer id, and the others see
 * no {@code peer-left}. A socket that still arrives meanwhile is sent on at once.
 */
@Component
class SignallingDrain implements SmartLifecycle {

	/** The longest a node waits for its peers to go. */
	static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

	private final SignallingEngine engine;

	private volatile boolean running;

	SignallingDrain(SignallingEngine engine) {
		this.engine = engine;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		// Spring stops a SmartLifecycle through stop(Runnable); called directly, the
		// drain still runs, nobody waits for it.
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		this.engine.drain(DRAIN_TIMEOUT).doFinally((signal) -> {
			this.running = false;
			callback.run();
		}).subscribe();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Before the web server stops taking requests and waits for those under way. */
	@Override
	public int getPhase() {
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
	}

}
