package nl.beeldzorg.directory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import nl.beeldzorg.system.DatabaseScheduler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The region's ANW subregions. The programme office keeps the list; an institution's
 * locations are each in one of them, and its ADMIN keeps the on-call roster of those.
 */
@Component
public class Subregions {

	private final DatabaseClient db;

	private final DatabaseScheduler scheduler;

	Subregions(DatabaseClient db, DatabaseScheduler scheduler) {
		this.db = db;
		this.scheduler = scheduler;
	}

	/**
	 * @return every subregion, by id
	 */
	public Flux<Subregion> all() {
		return this.scheduler.run(this.db.sql("SELECT id, name FROM subregion ORDER BY id")
			.map((row) -> new Subregion(row.get("id", String.class), row.get("name", String.class)))
			.all());
	}

	/**
	 * Not offloaded: for use inside a caller's transaction.
	 * @param id a subregion id
	 * @return whether the programme office listed it
	 */
	public Mono<Boolean> exists(String id) {
		return this.db.sql("SELECT COUNT(*) AS n FROM subregion WHERE id = :id")
			.bind("id", id)
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((n) -> n > 0);
	}

	/**
	 * Adds a subregion or renames it.
	 * @param subregion the subregion
	 * @param by who
	 * @param at when
	 * @return completion
	 */
	public Mono<Void> put(Subregion subregion, String by, Instant at) {
		OffsetDateTime when = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
		return this.scheduler
			.run(this.db.sql("UPDATE subregion SET name = :name, updated_by = :by, updated_at = :at WHERE id = :id")
				.bind("id", subregion.id())
				.bind("name", subregion.name())
				.bind("by", by)
				.bind("at", when)
				.fetch()
				.rowsUpdated()
				.flatMap((rows) -> (rows > 0) ? Mono.empty() : this.db
					.sql("INSERT INTO subregion (id, name, updated_by, updated_at) VALUES (:id, :name, :by, :at)")
					.bind("id", subregion.id())
					.bind("name", subregion.name())
					.bind("by", by)
					.bind("at", when)
					.then())
				// Two first puts at once: the loser's row exists now; rename it.
				.onErrorResume(org.springframework.dao.DataIntegrityViolationException.class,
						(ex) -> this.db
							.sql("UPDATE subregion SET name = :name, updated_by = :by, updated_at = :at WHERE id = :id")
							.bind("id", subregion.id())
							.bind("name", subregion.name())
							.bind("by", by)
							.bind("at", when)
							.then())
				.then());
	}

	/**
	 * An ANW subregion.
	 *
	 * @param id stable id, e.g. {@code apeldoorn-noord}
	 * @param name as people know it
	 */
	public record Subregion(String id, String name) {
	}

}
