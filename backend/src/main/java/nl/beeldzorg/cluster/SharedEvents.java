package nl.beeldzorg.cluster;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
		return this.redis.convertAndSend(this.channel, this.node + "\n" + payload).then();
	}

	/**
	 * @return the events the other nodes publish, from the moment of subscribing
	 */
	public Flux<String> fromOtherNodes() {
		String mine = this.node + "\n";
		return this.listeners.receive(ChannelTopic.of(this.channel))
			.map((message) -> message.getMessage())
			.filter((message) -> !message.startsWith(mine))
			.map((message) -> message.substring(message.indexOf('\n') + 1));
	}

}
