package nl.beeldzorg.cluster;

import java.time.Duration;
import java.util.List;

import nl.beeldzorg.signalling.MediaOwners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * Who owns a consult's media, in Redis: {@code media:owner:<consult>} holds the owner's
 * node id for the lease (renewed by the owner), {@code media:last:<consult>} the node
 * that took it last (kept longer, so that the node that takes a lapsed lease knows it
 * takes over). Calls to a node go over its channel {@code media:node:<node>}.
 */
public class RedisMediaOwners implements MediaOwners {

	private static final Logger logger = LoggerFactory.getLogger(RedisMediaOwners.class);

	/** Renews the lease when this node holds it, takes it when nobody does. */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> CLAIM = RedisScript.of("""
			local current = redis.call('GET', KEYS[1])
			if current == ARGV[1] then
			  redis.call('PEXPIRE', KEYS[1], ARGV[2])
			  redis.call('PEXPIRE', KEYS[2], ARGV[3])
			  return {current, current}
			end
			if current then
			  return {current, current}
			end
			redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
			local last = redis.call('GET', KEYS[2])
			redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
			return {ARGV[1], last or ''}
			""", List.class);

	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  redis.call('DEL', KEYS[1], KEYS[2])
			  return 1
			end
			return 0
			""", Long.class);

	/** How long the last owner is remembered: longer than any consult. */
	private static final Duration LAST_OWNER = Duration.ofHours(12);

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveRedisMessageListenerContainer listeners;

	private final String node;

	private final String prefix;

	private final Duration lease;

	/**
	 * @param redis the installation's Redis
	 * @param listeners its channels
	 * @param node this node
	 * @param properties the key prefix
	 * @param lease how long a lease lasts without renewal
	 */
	public RedisMediaOwners(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer listeners,
			NodeId node, RedisProperties properties, Duration lease) {
		this.redis = redis;
		this.listeners = listeners;
		this.node = node.value();
		this.prefix = properties.keyPrefix() + "media:";
		this.lease = lease;
	}

	@Override
	public String node() {
		return this.node;
	}

	@Override
	@SuppressWarnings("unchecked")
	public Mono<Claim> claim(String roomId) {
		return this.redis
			.execute(CLAIM, List.of(ownerKey(roomId), last(roomId)),
					List.of(this.node, Long.toString(this.lease.toMillis()), Long.toString(LAST_OWNER.toMillis())))
			.next()
			.map((result) -> {
				List<Object> values = (List<Object>) result;
				String owner = String.valueOf(values.get(0));
				String previous = String.valueOf(values.get(1));
				return new Claim(owner, previous.isEmpty() ? null : previous);
			});
	}

	@Override
	public Mono<String> owner(String roomId) {
		return this.redis.opsForValue().get(ownerKey(roomId));
	}

	@Override
	public Mono<Void> release(String roomId) {
		return this.redis.execute(RELEASE, List.of(ownerKey(roomId), last(roomId)), List.of(this.node)).then();
	}

	@Override
	public Mono<Void> send(String node, String payload) {
		return this.redis.convertAndSend(channel(node), payload).then();
	}

	@Override
	public Flux<String> received() {
		String channel = channel(this.node);
		return this.listeners.receive(ChannelTopic.of(channel))
			.doOnError(
					(ex) -> logger.warn("Media calls to this node interrupted; subscribing again: {}", ex.toString()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)))
			.map((message) -> message.getMessage());
	}

	private String ownerKey(String roomId) {
		return this.prefix + "owner:" + roomId;
	}

	private String last(String roomId) {
		return this.prefix + "last:" + roomId;
	}

	private String channel(String node) {
		return this.prefix + "node:" + node;
	}

}
