package nl.beeldzorg.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import nl.beeldzorg.signalling.Envelope;
import nl.beeldzorg.signalling.RelayBus;
import nl.beeldzorg.signalling.protocol.SignalCodec;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Signalling across nodes: one Redis channel per room, to which every node with a peer of
 * the room subscribes. A message is {@code node \n to \n except \n take \n frame} (take:
 * see {@link Envelope#take()}); a node skips what it published itself (it delivered that
 * locally already).
 * <p>
 * Two connections of its own on the installation's Redis client: one publishes, in the
 * order the engine hands messages over (a sender's messages leave in the order sent), one
 * subscribes, and hands each message to its room through one map lookup, however many
 * rooms the node holds (a listener per room would test every message against every room).
 * Lettuce subscribes the channels again by itself after a reconnect.
 */
@Component
@ConditionalOnExpression("!'${beeldzorg.redis.url:}'.isBlank()")
public class RedisRelayBus implements RelayBus, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(RedisRelayBus.class);

	/** A node that cannot subscribe within this long refuses the join (it may retry). */
	private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(8);

	private final String node;

	private final String prefix;

	private final SignalCodec codec = new SignalCodec();

	private final Map<String, Consumer<String>> channels = new ConcurrentHashMap<>();

	private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

	private final Mono<StatefulRedisConnection<String, String>> publisher;

	private final Mono<StatefulRedisPubSubConnection<String, String>> subscriber;

	RedisRelayBus(LettuceConnectionFactory connections, NodeId node, RedisProperties properties) {
		this.node = node.value();
		this.prefix = properties.keyPrefix() + "signalling:room:";
		RedisURI uri = RedisURI.create(Objects.requireNonNull(properties.url()));
		this.publisher = cached(
				Mono.defer(() -> Mono.fromCompletionStage(client(connections).connectAsync(StringCodec.UTF8, uri))));
		this.subscriber = cached(Mono
			.defer(() -> Mono.fromCompletionStage(client(connections).connectPubSubAsync(StringCodec.UTF8, uri)))
			.doOnNext((connection) -> connection.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String message) {
					Consumer<String> room = RedisRelayBus.this.channels.get(channel);
					if (room != null) {
						room.accept(message);
					}
				}
			})));
	}

	@Override
	public void publish(Envelope envelope) {
		String payload = this.node + '\n' + orEmpty(envelope.toPeerId()) + '\n' + orEmpty(envelope.exceptPeerId())
				+ '\n' + envelope.take() + '\n' + this.codec.encode(envelope.message());
		String channel = channel(envelope.roomId());
		// The connection's own asynchronous call: a relayed message costs a command
		// written, not a reactive publisher built and subscribed. Messages leave in the
		// order handed over: the connection, once made, is handed to each at once.
		this.publisher
			.subscribe((connection) -> connection.async().publish(channel, payload).whenComplete((receivers, ex) -> {
				if (ex != null) {
					relayFailed(envelope, ex);
				}
			}), (ex) -> relayFailed(envelope, ex));
	}

	private static void relayFailed(Envelope envelope, Throwable ex) {
		logger.warn("Could not relay to consult {} through Redis: {}", envelope.roomId(), ex.toString());
	}

	@Override
	public Disposable subscribe(String roomId, Consumer<Envelope> delivery) {
		String channel = channel(roomId);
		Consumer<String> handler = (payload) -> receive(roomId, payload, delivery);
		this.channels.put(channel, handler);
		Mono<Void> ready = this.subscriber.flatMap((connection) -> connection.reactive().subscribe(channel)).cache();
		ready.subscribe(null, (ex) -> logger.warn("Could not subscribe to the Redis channel of consult {}: {}", roomId,
				ex.toString()));
		Subscription subscription = new Subscription(ready);
		this.subscriptions.put(roomId, subscription);
		return () -> {
			this.subscriptions.remove(roomId, subscription);
			if (this.channels.remove(channel, handler)) {
				this.subscriber.flatMap((connection) -> connection.reactive().unsubscribe(channel))
					.subscribe(null, (ex) -> logger.debug("Could not unsubscribe from {}: {}", channel, ex.toString()));
			}
		};
	}

	@Override
	public Mono<Void> subscribed(String roomId) {
		Subscription subscription = this.subscriptions.get(roomId);
		return (subscription != null) ? subscription.ready().timeout(SUBSCRIBE_TIMEOUT) : Mono.empty();
	}

	@Override
	public void destroy() {
		this.publisher.subscribe(StatefulRedisConnection::closeAsync, (ex) -> {
		});
		this.subscriber.subscribe(StatefulRedisPubSubConnection::closeAsync, (ex) -> {
		});
	}

	private void receive(String roomId, String payload, Consumer<Envelope> delivery) {
		int first = payload.indexOf('\n');
		int second = payload.indexOf('\n', first + 1);
		int third = payload.indexOf('\n', second + 1);
		int fourth = payload.indexOf('\n', third + 1);
		if (first < 0 || second < 0 || third < 0 || fourth < 0
				|| (first == this.node.length() && payload.regionMatches(0, this.node, 0, first))) {
			return;
		}
		SignalMessage message = this.codec.decode(payload.substring(fourth + 1)).message();
		if (message == null) {
			logger.warn("Skipped an unreadable relayed message in consult {}", roomId);
			return;
		}
		String to = payload.substring(first + 1, second);
		String except = payload.substring(second + 1, third);
		long take;
		try {
			take = Long.parseLong(payload, third + 1, fourth, 10);
		}
		catch (NumberFormatException ex) {
			logger.warn("Skipped a relayed message with an unreadable seat in consult {}", roomId);
			return;
		}
		delivery
			.accept(new Envelope(roomId, to.isEmpty() ? null : to, except.isEmpty() ? null : except, message, take));
	}

	private String channel(String roomId) {
		return this.prefix + roomId;
	}

	private static RedisClient client(LettuceConnectionFactory connections) {
		AbstractRedisClient client = connections.getRequiredNativeClient();
		if (!(client instanceof RedisClient redis)) {
			throw new IllegalStateException("Signalling across nodes needs a standalone Redis client");
		}
		return redis;
	}

	/** Connects once; a failed attempt is not kept, so the next use tries again. */
	private static <T> Mono<T> cached(Mono<T> connect) {
		return connect.cache((connection) -> Duration.ofDays(36_500), (ex) -> Duration.ZERO, () -> Duration.ZERO);
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private record Subscription(Mono<Void> ready) {
	}

}
