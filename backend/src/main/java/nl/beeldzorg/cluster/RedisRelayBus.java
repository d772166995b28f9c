package nl.beeldzorg.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import nl.beeldzorg.signalling.Envelope;
import nl.beeldzorg.signalling.RelayBus;
import nl.beeldzorg.signalling.protocol.SignalCodec;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Signalling across nodes: one Redis channel per room, to which every node with a peer of
 * the room subscribes. A message is {@code node \n to \n except \n frame}; a node skips
 * what it published itself (it delivered that locally already). One connection publishes
 * in the order the engine hands messages over, and one connection receives them in the
 * order Redis took them, so a sender's messages reach every node in the order sent.
 */
@Component
@ConditionalOnExpression("!'${beeldzorg.redis.url:}'.isBlank()")
public class RedisRelayBus implements RelayBus {

	private static final Logger logger = LoggerFactory.getLogger(RedisRelayBus.class);

	/** A node that cannot subscribe within this long refuses the join (it may retry). */
	private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(8);

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveRedisMessageListenerContainer listeners;

	private final String node;

	private final String prefix;

	private final SignalCodec codec = new SignalCodec();

	private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

	RedisRelayBus(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer listeners, NodeId node,
			RedisProperties properties) {
		this.redis = redis;
		this.listeners = listeners;
		this.node = node.value();
		this.prefix = properties.keyPrefix() + "signalling:room:";
	}

	@Override
	public void publish(Envelope envelope) {
		String payload = this.node + '\n' + orEmpty(envelope.toPeerId()) + '\n' + orEmpty(envelope.exceptPeerId())
				+ '\n' + this.codec.encode(envelope.message());
		this.redis.convertAndSend(channel(envelope.roomId()), payload)
			.subscribe(null, (ex) -> logger.warn("Could not relay to consult {} through Redis: {}", envelope.roomId(),
					ex.toString()));
	}

	@Override
	public Disposable subscribe(String roomId, Consumer<Envelope> delivery) {
		Sinks.One<Void> ready = Sinks.one();
		Disposable receiving = this.listeners.receiveLater(ChannelTopic.of(channel(roomId)))
			.doOnNext((messages) -> ready.tryEmitEmpty())
			.flatMapMany((messages) -> messages)
			.subscribe((message) -> receive(roomId, message.getMessage(), delivery), (ex) -> {
				ready.tryEmitError(ex);
				logger.warn("Lost the Redis channel of consult {}: {}", roomId, ex.toString());
			});
		Subscription subscription = new Subscription(receiving, ready.asMono());
		this.subscriptions.put(roomId, subscription);
		return () -> {
			receiving.dispose();
			this.subscriptions.remove(roomId, subscription);
		};
	}

	@Override
	public Mono<Void> subscribed(String roomId) {
		Subscription subscription = this.subscriptions.get(roomId);
		return (subscription != null) ? subscription.ready().timeout(SUBSCRIBE_TIMEOUT) : Mono.empty();
	}

	private void receive(String roomId, String payload, Consumer<Envelope> delivery) {
		int first = payload.indexOf('\n');
		int second = payload.indexOf('\n', first + 1);
		int third = payload.indexOf('\n', second + 1);
		if (first < 0 || second < 0 || third < 0
				|| payload.regionMatches(0, this.node, 0, first) && first == this.node.length()) {
			return;
		}
		SignalMessage message = this.codec.decode(payload.substring(third + 1)).message();
		if (message == null) {
			logger.warn("Skipped an unreadable relayed message in consult {}", roomId);
			return;
		}
		String to = payload.substring(first + 1, second);
		String except = payload.substring(second + 1, third);
		delivery.accept(new Envelope(roomId, to.isEmpty() ? null : to, except.isEmpty() ? null : except, message));
	}

	private String channel(String roomId) {
		return this.prefix + roomId;
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private record Subscription(Disposable receiving, Mono<Void> ready) {
	}

}
