package nl.beeldzorg.routing;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * A consultant's own "available / not available". Someone who never said is available.
 */
@Component
public class Availability {

	private final DatabaseClient db;

	Availability(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * @param userId the consultant
	 * @param available what they say
	 * @param at when
	 * @return done
	 */
	public Mono<Void> set(String userId, boolean available, Instant at) {
		return this.db.sql("UPDATE consultant_availability SET available = :a, updated_at = :t WHERE user_id = :u")
			.bind("a", available)
			.bind("t", at)
			.bind("u", userId)
			.fetch()
			.rowsUpdated()
			.flatMap((updated) -> (updated > 0) ? Mono.empty()
					: this.db
						.sql("INSERT INTO consultant_availability (user_id, available, updated_at) VALUES (:u, :a, :t)")
						.bind("u", userId)
						.bind("a", available)
						.bind("t", at)
						.then());
	}

	/**
	 * @param userId the consultant
	 * @return whether they are available
	 */
	public Mono<Boolean> isAvailable(String userId) {
		return this.db.sql("SELECT available FROM consultant_availability WHERE user_id = :u")
			.bind("u", userId)
			.map((row) -> Boolean.TRUE.equals(row.get("available", Boolean.class)))
			.one()
			.defaultIfEmpty(true);
	}

	/**
	 * @param userIds some consultants
	 * @return those who did not mark themselves unavailable
	 */
	public Mono<Set<String>> available(Collection<String> userIds) {
		if (userIds.isEmpty()) {
			return Mono.just(Set.of());
		}
		Flux<String> unavailable = this.db
			.sql("SELECT user_id FROM consultant_availability WHERE available = FALSE AND user_id IN (:users)")
			.bind("users", userIds)
			.map((row) -> row.get("user_id", String.class))
			.all();
		return unavailable.collectList().map((off) -> {
			Set<String> on = new HashSet<>(userIds);
			off.forEach(on::remove);
			return on;
		});
	}

}
