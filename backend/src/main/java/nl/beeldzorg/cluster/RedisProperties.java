package nl.beeldzorg.cluster;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Redis, shared by the nodes of one installation.
 *
 * @param url {@code redis://[user:password@]host:6379[/db]} or {@code rediss://…}; empty:
 * one node, nothing shared
 * @param keyPrefix what every key and channel of this installation starts with
 * @param presenceTtl how long a node's word that a user's app is open holds without being
 * renewed (a node that dies stops renewing); renewed at a third of it
 */
@ConfigurationProperties("beeldzorg.redis")
@Validated
public record RedisProperties(@Nullable String url, @NotBlank String keyPrefix, @NotNull Duration presenceTtl) {

	/**
	 * @return whether the nodes share presence and events through Redis
	 */
	public boolean enabled() {
		return this.url != null && !this.url.isBlank();
	}

}
