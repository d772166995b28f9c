package nl.beeldzorg.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether this node reaches Redis, watched with a {@code PING} every second. It is the
 * {@code redis} component of {@code /actuator/health}: {@code UP}, or {@code DEGRADED}
 * while Redis is away (answered 200, and not part of readiness: the node keeps serving
 * its own users, and calls whose peers are both on it keep signalling). When Redis comes
 * back it says so ({@link #reconnections()}), so presence is vouched for again at once
 * instead of at the next renewal. It says so too whenever Lettuce connects a connection
 * again: Redis may restart (empty) between two pings, quicker than a ping notices, and
 * then no ping ever failed.
 */
@Component("redis")
@ConditionalOnExpression("!'${beeldzorg.redis.url:}'.isBlank()")
public class RedisLink implements ReactiveHealthIndicator {

	/** Redis away: the node works alone; presence and events of other nodes wait. */
	public static final Status DEGRADED = new Status("DEGRADED",
			"Redis unreachable: this node serves alone; presence and events across nodes resume when it returns");

	static final Duration PING_INTERVAL = Duration.ofSeconds(1);

	static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

	private static final Logger logger = LoggerFactory.getLogger(RedisLink.class);

	private final ReactiveStringRedisTemplate redis;

	private final AtomicReference<State> state = new AtomicReference<>(new State(true, null, Instant.now()));

	private final Sinks.Many<Instant> reconnected = Sinks.many().multicast().directBestEffort();

	private final ClientResources resources;

	private Disposable watching = () -> {
	};

	private Disposable activations = () -> {
	};

	RedisLink(ReactiveStringRedisTemplate redis, ClientResources resources) {
		this.redis = redis;
		this.resources = resources;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.watching = Flux.interval(Duration.ZERO, PING_INTERVAL, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> ping().then(Mono.just(Optional.<Throwable>empty()))
				.onErrorResume((ex) -> Mono.just(Optional.of(ex))), 1)
			.subscribe((failure) -> observed(failure.orElse(null)));
		// A connection (re)connected: perhaps to a Redis that restarted between two
		// pings and lost what this node wrote. (The first connects, at start, are
		// announced too: vouching again then is harmless.)
		this.activations = this.resources.eventBus()
			.get()
			.filter(ConnectionActivatedEvent.class::isInstance)
			.subscribe((event) -> announceReconnection(Instant.now()));
	}

	/** Stops watching before the connection factory stops with the context. */
	@EventListener(ContextClosedEvent.class)
	@jakarta.annotation.PreDestroy
	void stop() {
		this.watching.dispose();
		this.activations.dispose();
	}

	private Mono<String> ping() {
		return this.redis.execute((connection) -> connection.ping()).next().timeout(PING_TIMEOUT);
	}

	private void observed(@Nullable Throwable failure) {
		boolean up = failure == null;
		State before = this.state.get();
		State now = (before.up() == up) ? new State(up, (failure != null) ? failure.toString() : null, before.since())
				: new State(up, (failure != null) ? failure.toString() : null, Instant.now());
		this.state.set(now);
		if (before.up() && !up) {
			logger.warn("Redis unreachable; this node serves alone until it returns: {}", now.error());
		}
		else if (!before.up() && up) {
			logger.info("Redis reachable again; presence and events across nodes resume");
			announceReconnection(now.since());
		}
	}

	private void announceReconnection(Instant at) {
		synchronized (this.reconnected) {
			this.reconnected.tryEmitNext(at);
		}
	}

	/**
	 * @return whether the last {@code PING} was answered
	 */
	public boolean up() {
		return this.state.get().up();
	}

	/**
	 * @return a signal each time Redis answers again after it was away
	 */
	public Flux<Instant> reconnections() {
		return this.reconnected.asFlux();
	}

	@Override
	public Mono<Health> health() {
		State current = this.state.get();
		if (current.up()) {
			return Mono.just(Health.up().build());
		}
		Health.Builder health = Health.status(DEGRADED).withDetail("since", current.since().toString());
		if (current.error() != null) {
			health.withDetail("error", current.error());
		}
		return Mono.just(health.build());
	}

	private record State(boolean up, @Nullable String error, Instant since) {
	}

}
