package nl.beeldzorg.cluster;

import java.net.URI;
import java.util.Objects;
import java.util.UUID;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.data.redis.health.DataRedisReactiveHealthIndicator;
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
 * reports a Redis health.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${beeldzorg.redis.url:}'.isBlank()")
class RedisConfiguration {

	@Bean
	LettuceConnectionFactory redisConnectionFactory(RedisProperties properties) {
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
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
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
	DataRedisReactiveHealthIndicator redisHealthIndicator(LettuceConnectionFactory connections) {
		return new DataRedisReactiveHealthIndicator(connections);
	}

	@Bean
	NodeId nodeId() {
		return new NodeId(UUID.randomUUID().toString());
	}

}
