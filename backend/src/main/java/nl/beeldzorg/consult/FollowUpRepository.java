package nl.beeldzorg.consult;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * What a consultant still has to follow up: ended consults without an outcome, and the
 * consults that rang for them but went elsewhere (missed, withdrawn, answered by a
 * colleague). Every query is scoped to the one consultant.
 */
@Repository
class FollowUpRepository {

	/** The most a list shows: a follow-up list of hundreds helps nobody. */
	static final int LIMIT = 50;

	private final DatabaseClient db;

	FollowUpRepository(DatabaseClient db) {
		this.db = db;
	}

	/** Ended consults the user took whose outcome nobody recorded yet, newest first. */
	Flux<Consult> pendingOutcomes(String consultantId) {
		return this.db.sql("""
				SELECT c.* FROM consult c
				WHERE c.consultant_id = :user AND c.state = 'ENDED'
				  AND NOT EXISTS (SELECT 1 FROM consult_outcome o WHERE o.consult_id = c.id)
				ORDER BY c.ended_at DESC
				LIMIT %d
				""".formatted(LIMIT)).bind("user", consultantId).map(ConsultRepository::read).all();
	}

	/**
	 * Consults that rang for the user since {@code since} and stopped ringing for them
	 * without their answer: nobody answered, the requester withdrew, or a colleague took
	 * it. A declined ring is the user's own choice, not a missed call.
	 */
	Flux<Missed> missedCalls(String userId, Instant since) {
		return this.db.sql("""
				SELECT c.*, r.rung_at AS my_rung_at FROM consult c JOIN consult_ring r ON r.consult_id = c.id
				WHERE r.user_id = :user AND r.rung_at >= :since AND r.state IN ('TIMED_OUT', 'WITHDRAWN')
				  AND c.state IN ('MISSED', 'CANCELLED', 'ACTIVE', 'ENDED')
				  AND (c.consultant_id IS NULL OR c.consultant_id <> :user)
				ORDER BY r.rung_at DESC
				LIMIT %d
				""".formatted(LIMIT))
			.bind("user", userId)
			.bind("since", ConsultRepository.time(since))
			.map((row) -> new Missed(ConsultRepository.read(row),
					row.get("my_rung_at", OffsetDateTime.class).toInstant()))
			.all();
	}

	/**
	 * Ended consults, ended between {@code oldest} and {@code due}, whose consultant has
	 * not recorded an outcome nor been reminded yet.
	 */
	Flux<Consult> dueForReminder(Instant due, Instant oldest) {
		return this.db.sql("""
				SELECT c.* FROM consult c
				WHERE c.state = 'ENDED' AND c.ended_at <= :due AND c.ended_at > :oldest
				  AND c.outcome_reminded_at IS NULL AND c.consultant_id IS NOT NULL
				  AND NOT EXISTS (SELECT 1 FROM consult_outcome o WHERE o.consult_id = c.id)
				ORDER BY c.ended_at
				LIMIT 500
				""")
			.bind("due", ConsultRepository.time(due))
			.bind("oldest", ConsultRepository.time(oldest))
			.map(ConsultRepository::read)
			.all();
	}

	/** Claims the reminder of one consult; true for the one node that claimed it. */
	Mono<Boolean> markReminded(UUID consultId, Instant at) {
		return this.db
			.sql("UPDATE consult SET outcome_reminded_at = :at WHERE id = :id AND outcome_reminded_at IS NULL")
			.bind("at", ConsultRepository.time(at))
			.bind("id", consultId)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	/**
	 * @param consult the consult
	 * @param rungAt when it started ringing for the user
	 */
	record Missed(Consult consult, Instant rungAt) {
	}

}
