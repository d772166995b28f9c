package nl.beeldzorg.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * The Redis connection, only when {@code beeldzorg.redis.url} is set. Spring Boot's own
 * Redis auto-configuration is switched off, so a node without Redis neither connects nor
 * reports a Redis health; with it, {@link RedisLink} is the {@code redis} health.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${beeldzorg.redis.url:}'.isBlank()")
class RedisConfiguration {

	/** How long a Redis command (and a connect) may take before it counts as failed. */
	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/** The longest pause between two attempts to reconnect. */
	static final Duration RECONNECT_AT_MOST = Duration.ofSeconds(2);

	/**
	 * Lettuce's threads and timers. After an outage it reconnects at most
	 * {@link #RECONNECT_AT_MOST} apart (its default waits up to 30 s), so presence and
	 * events come back within seconds of Redis.
	 * @return the client resources, shut down with the context
	 */
	@Bean(destroyMethod = "shutdown")
	ClientResources redisClientResources() {
		return ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(100), RECONNECT_AT_MOST, 2, TimeUnit.MILLISECONDS))
			.build();
	}

	@Bean
	LettuceConnectionFactory redisConnectionFactory(RedisProperties properties, ClientResources resources) {
		URI uri = URI.create(Objects.requireNonNull(properties.url()));
		if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
			throw new IllegalStateException("beeldzorg.redis.url must be redis://host:6379 or rediss://host:6379");
		}
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(uri.getHost(),
				(uri.getPort() > 0) ? uri.getPort() : 6379);
		String path = (uri.getPath() != null) ? uri.getPath().replace("/", "") : "";
		if (!path.isEmpty()) {
			server.setDatabase(Integer.parseInt(path));
		}
		String userInfo = uri.getUserInfo();
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			String user = (colon >= 0) ? userInfo.substring(0, colon) : "";
			String password = (colon >= 0) ? userInfo.substring(colon + 1) : userInfo;
			if (!user.isEmpty()) {
				server.setUsername(user);
			}
			server.setPassword(RedisPassword.of(password));
		}
		// Redis away: commands fail within a second or two instead of queueing for a
		// minute (routing then counts this node's own streams, events stay local); the
		// connection, and its pub/sub subscriptions, come back by themselves.
		ClientOptions options = ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
			.socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
			.build();
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
			.clientResources(resources)
			.clientOptions(options)
			.commandTimeout(COMMAND_TIMEOUT);
		if ("rediss".equals(uri.getScheme())) {
			client.useSsl();
		}
		return new LettuceConnectionFactory(server, client.build());
	}

	@Bean
	ReactiveStringRedisTemplate redisTemplate(LettuceConnectionFactory connections) {
		return new ReactiveStringRedisTemplate(connections);
	}

	@Bean(destroyMethod = "destroy")
	ReactiveRedisMessageListenerContainer redisListeners(LettuceConnectionFactory connections) {
		return new ReactiveRedisMessageListenerContainer(connections);
	}

	@Bean
	NodeId nodeId() {
		return new NodeId(UUID.randomUUID().toString());
	}

}
