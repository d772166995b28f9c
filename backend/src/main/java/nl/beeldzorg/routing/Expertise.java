package nl.beeldzorg.routing;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Consultants' expertise tags (wounds, psychiatry, palliative care, …), for EXPERT
 * consults across the region.
 */
@Component
public class Expertise {

	private final DatabaseClient db;

	Expertise(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Replaces a consultant's tags.
	 * @param userId the consultant
	 * @param tags the tags
	 * @return done
	 */
	public Mono<Void> set(String userId, List<String> tags) {
		return this.db.sql("DELETE FROM consultant_expertise WHERE user_id = :u")
			.bind("u", userId)
			.then()
			.thenMany(Flux.fromIterable(tags)
				.concatMap((tag) -> this.db.sql("INSERT INTO consultant_expertise (user_id, tag) VALUES (:u, :t)")
					.bind("u", userId)
					.bind("t", tag)
					.then()))
			.then();
	}

	/**
	 * @param userId the consultant
	 * @return their tags
	 */
	public Flux<String> of(String userId) {
		return this.db.sql("SELECT tag FROM consultant_expertise WHERE user_id = :u ORDER BY tag")
			.bind("u", userId)
			.map((row) -> row.get("tag", String.class))
			.all();
	}

	/**
	 * @param tag a tag
	 * @return the consultants carrying it
	 */
	public Flux<String> carriedBy(String tag) {
		return this.db.sql("SELECT user_id FROM consultant_expertise WHERE tag = :t ORDER BY user_id")
			.bind("t", tag)
			.map((row) -> row.get("user_id", String.class))
			.all();
	}

}
