package nl.beeldzorg.cluster;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Live events for apps open on other nodes: every node publishes what it tells its own
 * streams on one Redis channel, and hands on what the other nodes published. Best effort,
 * like the streams themselves: an app re-reads its state after every reconnect.
 */
@Component
@ConditionalOnExpression("!'${beeldzorg.redis.url:}'.isBlank()")
public class SharedEvents {

	private static final Logger logger = LoggerFactory.getLogger(SharedEvents.class);

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveRedisMessageListenerContainer listeners;

	private final String node;

	private final String channel;

	SharedEvents(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer listeners, NodeId node,
			RedisProperties properties) {
		this.redis = redis;
		this.listeners = listeners;
		this.node = node.value();
		this.channel = properties.keyPrefix() + "events";
	}

	/**
	 * @param payload an event as JSON
	 * @return done when Redis took it
	 */
	public Mono<Void> publish(String payload) {
		return publishOn(this.channel, payload);
	}

	/**
	 * @param topic a kind of events with its own channel (e.g. {@code imoz}), so its
	 * payloads never reach the readers of another kind
	 * @param payload an event as JSON
	 * @return done when Redis took it
	 */
	public Mono<Void> publish(String topic, String payload) {
		return publishOn(this.channel + ":" + topic, payload);
	}

	private Mono<Void> publishOn(String channel, String payload) {
		return this.redis.convertAndSend(channel, this.node + "\n" + payload).then();
	}

	/**
	 * @return the events the other nodes publish, from the moment of subscribing
	 */
	public Flux<String> fromOtherNodes() {
		return fromOtherNodesOn(this.channel);
	}

	/**
	 * @param topic a kind of events, as published with {@link #publish(String, String)}
	 * @return the events of that kind the other nodes publish, from the moment of
	 * subscribing
	 */
	public Flux<String> fromOtherNodes(String topic) {
		return fromOtherNodesOn(this.channel + ":" + topic);
	}

	private Flux<String> fromOtherNodesOn(String channel) {
		String mine = this.node + "\n";
		return this.listeners.receive(ChannelTopic.of(channel))
			// Redis away: subscribe again until it is back (never handing the failure on,
			// so a reader's subscription lasts), at most a second apart.
			.doOnError((ex) -> logger.warn("Events from other nodes on {} interrupted; subscribing again: {}", channel,
					ex.toString()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)))
			.map((message) -> message.getMessage())
			.filter((message) -> !message.startsWith(mine))
			.map((message) -> message.substring(message.indexOf('\n') + 1));
	}

}
