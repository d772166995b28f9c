package nl.beeldzorg.notify;

import java.net.URI;
import java.time.Instant;
import java.util.Collection;

import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.BeeldzorgProperties;
import nl.beeldzorg.system.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Consultants' push subscriptions. Only endpoints on allow-listed push services are
 * accepted: the server will POST to them, so an arbitrary URL would make it a proxy.
 */
@Component
class PushSubscriptions {

	private final DatabaseClient db;

	private final BeeldzorgProperties.Push settings;

	PushSubscriptions(DatabaseClient db, BeeldzorgProperties properties) {
		this.db = db;
		this.settings = properties.push();
	}

	Mono<Void> subscribe(String userId, Subscription subscription, Instant at) {
		if (!allowed(subscription.endpoint())) {
			return Mono.error(new ApiException(ErrorCode.PUSH_ENDPOINT_NOT_ALLOWED,
					"Push endpoint must be https on one of " + this.settings.allowedHosts()));
		}
		return this.db.sql("DELETE FROM push_subscription WHERE endpoint = :e")
			.bind("e", subscription.endpoint())
			.then()
			.then(this.db.sql("""
					INSERT INTO push_subscription (endpoint, user_id, p256dh, auth, created_at)
					VALUES (:e, :u, :p, :a, :t)""")
				.bind("e", subscription.endpoint())
				.bind("u", userId)
				.bind("p", subscription.p256dh())
				.bind("a", subscription.auth())
				.bind("t", at)
				.then());
	}

	Mono<Boolean> unsubscribe(String userId, String endpoint) {
		return this.db.sql("DELETE FROM push_subscription WHERE endpoint = :e AND user_id = :u")
			.bind("e", endpoint)
			.bind("u", userId)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows > 0);
	}

	Mono<Void> remove(String endpoint) {
		return this.db.sql("DELETE FROM push_subscription WHERE endpoint = :e").bind("e", endpoint).then();
	}

	Flux<Subscription> of(Collection<String> userIds) {
		if (userIds.isEmpty()) {
			return Flux.empty();
		}
		return this.db.sql("SELECT endpoint, p256dh, auth FROM push_subscription WHERE user_id IN (:u)")
			.bind("u", userIds)
			.map((row) -> new Subscription(row.get("endpoint", String.class), row.get("p256dh", String.class),
					row.get("auth", String.class)))
			.all();
	}

	private boolean allowed(String endpoint) {
		URI uri;
		try {
			uri = URI.create(endpoint);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		String host = uri.getHost();
		if (host == null) {
			return false;
		}
		// An entry with a scheme ("http://127.0.0.1:") is a prefix: a push service on a
		// private network, or a test's receiver. A plain host needs https.
		return this.settings.allowedHosts()
			.stream()
			.anyMatch((allowed) -> allowed.contains("://") ? endpoint.startsWith(allowed)
					: "https".equals(uri.getScheme()) && (host.equals(allowed) || host.endsWith("." + allowed)));
	}

	/**
	 * A browser's push subscription.
	 *
	 * @param endpoint the push service URL
	 * @param p256dh the browser's public key (Base64url)
	 * @param auth the authentication secret (Base64url)
	 */
	record Subscription(String endpoint, String p256dh, String auth) {
	}

}
