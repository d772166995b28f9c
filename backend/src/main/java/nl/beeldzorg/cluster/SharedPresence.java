package nl.beeldzorg.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Which users have an app open on any node. Per user one Redis hash, field = node, value
 * = until when that node vouches for an open app (epoch milliseconds); the node renews
 * its fields at a third of the TTL, removes its field when the user's last stream on it
 * closes, and the hash itself expires with the TTL. A node that dies stops renewing: its
 * word runs out after the TTL, and other nodes stop counting on it.
 */
@Component
@ConditionalOnExpression("!'${beeldzorg.redis.url:}'.isBlank()")
public class SharedPresence {

	private static final Logger logger = LoggerFactory.getLogger(SharedPresence.class);

	private final ReactiveStringRedisTemplate redis;

	private final String node;

	private final String prefix;

	private final Duration ttl;

	private final Clock clock;

	/** The first pause before a failed restore is tried again. */
	private static final Duration RESTORE_RETRY = Duration.ofMillis(200);

	private final Set<String> local = ConcurrentHashMap.newKeySet();

	private final RedisLink link;

	private Disposable renewing = () -> {
	};

	private Disposable restoring = () -> {
	};

	SharedPresence(ReactiveStringRedisTemplate redis, NodeId node, RedisProperties properties, RedisLink link) {
		this.redis = redis;
		this.link = link;
		this.node = node.value();
		this.prefix = properties.keyPrefix() + "presence:";
		this.ttl = properties.presenceTtl();
		// Wall-clock time: the nodes compare each other's deadlines.
		this.clock = Clock.systemUTC();
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.renewing = Flux.interval(this.ttl.dividedBy(3), Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap(
					(tick) -> Flux.fromIterable(Set.copyOf(this.local)).flatMap(this::vouch, 8).onErrorResume((ex) -> {
						logger.warn("Renewing presence in Redis failed; the next round retries: {}", ex.toString());
						return Mono.empty();
					}).then(), 1)
			.subscribe();
	}

	@EventListener(ApplicationReadyEvent.class)
	void restoreOnReconnect() {
		// Redis came back (perhaps empty, after a restart): vouch again at
		// once for every open app, so other nodes ring this node's users
		// without waiting for the renewal.
		// A connection announced as connected again may take a moment to accept
		// commands (and Redis may still be loading): a failed round is tried again a few
		// times, soon, rather than left to the renewal a third of the TTL later.
		this.restoring = this.link.reconnections()
			.onBackpressureLatest()
			.concatMap((back) -> Flux.defer(() -> Flux.fromIterable(Set.copyOf(this.local)))
				.flatMap(this::vouch, 8)
				.then()
				.retryWhen(Retry.backoff(5, RESTORE_RETRY).maxBackoff(RESTORE_RETRY.multipliedBy(8)))
				.onErrorResume((ex) -> {
					logger.warn("Restoring presence in Redis failed; the renewal retries: {}", ex.toString());
					return Mono.empty();
				}), 1)
			.subscribe();
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		this.renewing.dispose();
		this.restoring.dispose();
	}

	/**
	 * The user's first stream on this node opened.
	 * @param userId the user
	 * @return done when Redis knows
	 */
	public Mono<Void> opened(String userId) {
		this.local.add(userId);
		return vouch(userId);
	}

	/**
	 * The user's last stream on this node closed.
	 * @param userId the user
	 * @return done when Redis knows
	 */
	public Mono<Void> closed(String userId) {
		this.local.remove(userId);
		return this.redis.opsForHash().remove(key(userId), this.node).then();
	}

	/**
	 * @param userIds some users
	 * @return those with an app open on some node whose word still holds
	 */
	public Mono<Set<String>> open(Collection<String> userIds) {
		long now = this.clock.millis();
		return Flux.fromIterable(userIds)
			.flatMap((user) -> this.redis.<String, String>opsForHash()
				.entries(key(user))
				.any((field) -> Long.parseLong(field.getValue()) > now)
				.filter((open) -> open)
				.map((open) -> user), 16)
			.collect(Collectors.toSet());
	}

	private Mono<Void> vouch(String userId) {
		String key = key(userId);
		String until = Long.toString(this.clock.millis() + this.ttl.toMillis());
		return this.redis.opsForHash()
			.putAll(key, Map.of(this.node, until))
			.then(this.redis.expire(key, this.ttl))
			.then();
	}

	private String key(String userId) {
		return this.prefix + userId;
	}

}
