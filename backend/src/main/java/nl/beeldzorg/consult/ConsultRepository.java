package nl.beeldzorg.consult;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import nl.beeldzorg.security.Discipline;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

/**
 * Consults, who they ring, and who joined. Every state change is conditional on the state
 * (and version) it starts from, so concurrent callers resolve to exactly one winner.
 */
@Repository
class ConsultRepository {

	/** Reporting periods are Dutch calendar days. */
	static final ZoneId PERIOD_ZONE = ZoneId.of("Europe/Amsterdam");

	private final DatabaseClient db;

	ConsultRepository(DatabaseClient db) {
		this.db = db;
	}

	Mono<Void> insert(Consult c) {
		GenericExecuteSpec spec = this.db.sql("""
				INSERT INTO consult (id, kind, state, version, institution_id, location_id, client_ref, question,
				  urgency, requested_discipline, requested_by, requested_by_discipline, idempotency_key, request_hash,
				  created_at, consult_day, ring_stage, ring_deadline, expertise, scheduled_at)
				VALUES (:id, :kind, :state, :version, :institution, :location, :clientRef, :question, :urgency,
				  :requestedDiscipline, :requestedBy, :requestedByDiscipline, :idempotencyKey, :requestHash, :createdAt,
				  :consultDay, :ringStage, :ringDeadline, :expertise, :scheduledAt)
				""")
			.bind("id", c.id())
			.bind("kind", c.kind().name())
			.bind("state", c.state().name())
			.bind("version", c.version())
			.bind("clientRef", c.clientRef())
			.bind("urgency", c.urgency().name())
			.bind("requestedDiscipline", c.requestedDiscipline().name())
			.bind("requestedBy", c.requestedBy())
			.bind("requestedByDiscipline", c.requestedByDiscipline().name())
			.bind("createdAt", time(c.createdAt()))
			.bind("consultDay", LocalDate.ofInstant(c.createdAt(), PERIOD_ZONE))
			.bind("ringStage", c.ringStage());
		Instant deadline = c.ringDeadline();
		spec = (deadline != null) ? spec.bind("ringDeadline", time(deadline))
				: spec.bindNull("ringDeadline", OffsetDateTime.class);
		Instant scheduledAt = c.scheduledAt();
		spec = (scheduledAt != null) ? spec.bind("scheduledAt", time(scheduledAt))
				: spec.bindNull("scheduledAt", OffsetDateTime.class);
		spec = bind(spec, "expertise", c.expertise());
		spec = bind(spec, "institution", c.institutionId());
		spec = bind(spec, "location", c.locationId());
		spec = bind(spec, "question", c.question());
		spec = bind(spec, "idempotencyKey", c.idempotencyKey());
		spec = bind(spec, "requestHash", c.requestHash());
		return spec.fetch().rowsUpdated().then();
	}

	Mono<Void> insertRing(UUID consultId, String userId, Discipline discipline, Instant at) {
		return this.db
			.sql("INSERT INTO consult_ring (consult_id, user_id, discipline, state, rung_at)"
					+ " VALUES (:consult, :user, :discipline, 'RINGING', :at)")
			.bind("consult", consultId)
			.bind("user", userId)
			.bind("discipline", discipline.name())
			.bind("at", time(at))
			.fetch()
			.rowsUpdated()
			.then();
	}

	Mono<Consult> findById(UUID id) {
		return this.db.sql("SELECT * FROM consult WHERE id = :id").bind("id", id).map(ConsultRepository::read).one();
	}

	/**
	 * Reads a consult and locks its row until the transaction ends. Every transaction
	 * that changes a consult starts here, so they queue on the consult row and always
	 * take the ring rows and the end of the consult's audit chain after it: no lock-order
	 * deadlocks.
	 */
	Mono<Consult> lock(UUID id) {
		return this.db.sql("SELECT * FROM consult WHERE id = :id FOR UPDATE")
			.bind("id", id)
			.map(ConsultRepository::read)
			.one();
	}

	Mono<Consult> findByIdempotencyKey(String requestedBy, String key) {
		return this.db.sql("SELECT * FROM consult WHERE requested_by = :user AND idempotency_key = :key")
			.bind("user", requestedBy)
			.bind("key", key)
			.map(ConsultRepository::read)
			.one();
	}

	Flux<Ring> rings(UUID consultId) {
		return this.db
			.sql("SELECT user_id, discipline, state FROM consult_ring WHERE consult_id = :id ORDER BY rung_at, user_id")
			.bind("id", consultId)
			.map((row) -> new Ring(row.get("user_id", String.class),
					Discipline.valueOf(row.get("discipline", String.class)),
					Ring.RingState.valueOf(row.get("state", String.class))))
			.all();
	}

	Flux<Consult> ringingFor(String userId) {
		return this.db.sql("""
				SELECT c.* FROM consult c JOIN consult_ring r ON r.consult_id = c.id
				WHERE r.user_id = :user AND r.state = 'RINGING' AND c.state IN ('RINGING', 'ACTIVE')
				ORDER BY c.created_at
				""").bind("user", userId).map(ConsultRepository::read).all();
	}

	/** Scheduled consults the user asked for or was booked for, soonest first. */
	Flux<Consult> scheduledFor(String userId) {
		return this.db.sql("""
				SELECT c.* FROM consult c WHERE c.state = 'SCHEDULED'
				  AND (c.requested_by = :user OR EXISTS (SELECT 1 FROM consult_invitee i
				    WHERE i.consult_id = c.id AND i.user_id = :user))
				ORDER BY c.scheduled_at
				""").bind("user", userId).map(ConsultRepository::read).all();
	}

	/**
	 * SCHEDULED → RINGING at stage 0 with its first deadline; false when another node (or
	 * a cancel) moved it first.
	 */
	Mono<Boolean> startScheduled(Consult consult, Instant deadline) {
		return this.db.sql("""
				UPDATE consult SET state = 'RINGING', ring_stage = 0, ring_deadline = :deadline, version = version + 1
				WHERE id = :id AND state = 'SCHEDULED' AND version = :version
				""")
			.bind("deadline", time(deadline))
			.bind("id", consult.id())
			.bind("version", consult.version())
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	/** RINGING → ACTIVE with the caller as consultant; false when someone else won. */
	Mono<Boolean> accept(Consult consult, String consultantId, Discipline discipline, @Nullable String institutionId,
			Instant at) {
		// An IMOZ consult (asked by a huisarts, who has no institution) becomes the
		// accepting SO's institution's: its time saved is theirs.
		return this.db.sql("""
				UPDATE consult SET state = 'ACTIVE', version = version + 1, consultant_id = :consultant,
				  consultant_discipline = :discipline, accepted_at = :at,
				  institution_id = COALESCE(institution_id, :institution)
				WHERE id = :id AND state = 'RINGING' AND version = :version
				""")
			.bind("institution", io.r2dbc.spi.Parameters.in(io.r2dbc.spi.R2dbcType.VARCHAR, institutionId))
			.bind("consultant", consultantId)
			.bind("discipline", discipline.name())
			.bind("at", time(at))
			.bind("id", consult.id())
			.bind("version", consult.version())
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	/**
	 * {@code from} → {@code to}, stamping {@code ended_at} (and how long video ran);
	 * false when the state moved on.
	 */
	Mono<Boolean> finish(Consult consult, ConsultState from, ConsultState to, Instant at) {
		Instant connected = consult.connectedAt();
		int videoSeconds = (connected != null) ? (int) Math.max(0, Duration.between(connected, at).toSeconds()) : 0;
		return this.db.sql("""
				UPDATE consult SET state = :to, version = version + 1, ended_at = :at, video_seconds = :video
				WHERE id = :id AND state = :from AND version = :version
				""")
			.bind("video", videoSeconds)
			.bind("to", to.name())
			.bind("at", time(at))
			.bind("id", consult.id())
			.bind("from", from.name())
			.bind("version", consult.version())
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	Mono<Boolean> respondToRing(UUID consultId, String userId, Ring.RingState to, Instant at) {
		return this.db.sql("""
				UPDATE consult_ring SET state = :to, responded_at = :at
				WHERE consult_id = :consult AND user_id = :user AND state = 'RINGING'
				""")
			.bind("to", to.name())
			.bind("at", time(at))
			.bind("consult", consultId)
			.bind("user", userId)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	Mono<Void> setHomeArea(UUID consultId, String homeArea) {
		return this.db.sql("UPDATE consult SET home_area = :area WHERE id = :id")
			.bind("area", homeArea)
			.bind("id", consultId)
			.then();
	}

	/** An IMOZ consult's postcode area, if it has one. */
	Mono<String> homeArea(UUID consultId) {
		return this.db.sql("SELECT home_area FROM consult WHERE id = :id AND home_area IS NOT NULL")
			.bind("id", consultId)
			.map((row) -> java.util.Objects.requireNonNull(row.get("home_area", String.class)))
			.one();
	}

	Mono<Boolean> invite(UUID consultId, String userId, String by, Instant at, String reason) {
		return isInvited(consultId, userId).flatMap((already) -> already ? Mono.just(false)
				: this.db.sql("""
						INSERT INTO consult_invitee (consult_id, user_id, invited_by, invited_at, reason)
						VALUES (:c, :u, :by, :at, :reason)""")
					.bind("c", consultId)
					.bind("u", userId)
					.bind("by", by)
					.bind("at", time(at))
					.bind("reason", reason)
					.then()
					.thenReturn(true));
	}

	/**
	 * @param a a user
	 * @param b another
	 * @return whether both are known huisartsen of the same practice
	 */
	Mono<Boolean> samePractice(String a, String b) {
		return this.db
			.sql("SELECT COUNT(*) AS n FROM practitioner p JOIN practitioner q ON q.practice_id ="
					+ " p.practice_id WHERE p.user_id = :a AND q.user_id = :b AND p.practice_id IS NOT NULL")
			.bind("a", a)
			.bind("b", b)
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((n) -> n != null && n > 0);
	}

	Mono<Boolean> isInvited(UUID consultId, String userId) {
		return this.db.sql("SELECT COUNT(*) AS n FROM consult_invitee WHERE consult_id = :c AND user_id = :u")
			.bind("c", consultId)
			.bind("u", userId)
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((n) -> n != null && n > 0);
	}

	Flux<String> invitees(UUID consultId) {
		return this.db.sql("SELECT user_id FROM consult_invitee WHERE consult_id = :c ORDER BY invited_at")
			.bind("c", consultId)
			.map((row) -> row.get("user_id", String.class))
			.all();
	}

	Mono<Void> insertPlan(UUID consultId, int stage, String userId, Discipline discipline) {
		return this.db
			.sql("INSERT INTO consult_ring_plan (consult_id, stage, user_id, discipline) VALUES (:c, :s, :u, :d)")
			.bind("c", consultId)
			.bind("s", stage)
			.bind("u", userId)
			.bind("d", discipline.name())
			.then();
	}

	Flux<Ring> plannedStage(UUID consultId, int stage) {
		return this.db.sql(
				"SELECT user_id, discipline FROM consult_ring_plan WHERE consult_id = :c AND stage = :s ORDER BY user_id")
			.bind("c", consultId)
			.bind("s", stage)
			.map((row) -> new Ring(row.get("user_id", String.class),
					Discipline.valueOf(row.get("discipline", String.class)), Ring.RingState.RINGING))
			.all();
	}

	/**
	 * Moves a ringing consult to the next stage of its plan; false when another node (or
	 * an answer) moved it first.
	 */
	Mono<Boolean> moveToStage(Consult consult, int stage, Instant deadline) {
		return this.db.sql("""
				UPDATE consult SET ring_stage = :stage, ring_deadline = :deadline, version = version + 1
				WHERE id = :id AND state = 'RINGING' AND version = :version AND ring_stage = :current
				""")
			.bind("stage", stage)
			.bind("deadline", time(deadline))
			.bind("id", consult.id())
			.bind("version", consult.version())
			.bind("current", consult.ringStage())
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	/** Ringing consults whose current stage timed out, oldest deadline first. */
	Flux<UUID> dueForEscalation(Instant now) {
		return this.db.sql("""
				SELECT id FROM consult WHERE state IN ('RINGING', 'SCHEDULED') AND ring_deadline <= :now
				ORDER BY ring_deadline
				""").bind("now", time(now)).map((row) -> row.get("id", UUID.class)).all();
	}

	Mono<Long> timeOutRings(UUID consultId, Instant at) {
		return this.db.sql("""
				UPDATE consult_ring SET state = 'TIMED_OUT', responded_at = :at
				WHERE consult_id = :consult AND state = 'RINGING'
				""").bind("at", time(at)).bind("consult", consultId).fetch().rowsUpdated();
	}

	Mono<Long> withdrawRings(UUID consultId, Instant at) {
		return this.db.sql("""
				UPDATE consult_ring SET state = 'WITHDRAWN', responded_at = :at
				WHERE consult_id = :consult AND state = 'RINGING'
				""").bind("at", time(at)).bind("consult", consultId).fetch().rowsUpdated();
	}

	Mono<Void> recordJoin(UUID consultId, String userId, Instant at) {
		Mono<Long> update = this.db
			.sql("UPDATE consult_participant SET joins = joins + 1 WHERE consult_id = :consult AND user_id = :user")
			.bind("consult", consultId)
			.bind("user", userId)
			.fetch()
			.rowsUpdated();
		Mono<Long> insert = this.db
			.sql("INSERT INTO consult_participant (consult_id, user_id, first_joined_at, joins)"
					+ " VALUES (:consult, :user, :at, 1)")
			.bind("consult", consultId)
			.bind("user", userId)
			.bind("at", time(at))
			.fetch()
			.rowsUpdated();
		return update.flatMap((rows) -> (rows == 0) ? insert : Mono.just(rows)).then();
	}

	Mono<Boolean> hasJoined(UUID consultId, String userId) {
		return this.db
			.sql("SELECT COUNT(*) AS n FROM consult_participant WHERE consult_id = :consult AND user_id = :user")
			.bind("consult", consultId)
			.bind("user", userId)
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((count) -> count > 0);
	}

	static Consult read(Readable row) {
		String consultantDiscipline = row.get("consultant_discipline", String.class);
		return new Consult(row.get("id", UUID.class), ConsultKind.valueOf(row.get("kind", String.class)),
				ConsultState.valueOf(row.get("state", String.class)), row.get("version", Integer.class),
				row.get("institution_id", String.class), row.get("location_id", String.class),
				row.get("client_ref", String.class), row.get("question", String.class),
				Urgency.valueOf(row.get("urgency", String.class)),
				Discipline.valueOf(row.get("requested_discipline", String.class)),
				row.get("requested_by", String.class),
				Discipline.valueOf(row.get("requested_by_discipline", String.class)),
				row.get("consultant_id", String.class),
				(consultantDiscipline != null) ? Discipline.valueOf(consultantDiscipline) : null,
				row.get("idempotency_key", String.class), row.get("request_hash", String.class),
				instant(row, "created_at"), instant(row, "accepted_at"), instant(row, "connected_at"),
				instant(row, "ended_at"), row.get("ring_stage", Integer.class), instant(row, "ring_deadline"),
				row.get("expertise", String.class), instant(row, "scheduled_at"));
	}

	/**
	 * @return whether the institution paired glasses with the location
	 */
	Mono<Boolean> hasPairedGlasses(String institutionId, String locationId) {
		return this.db.sql("""
				SELECT COUNT(*) AS n FROM glasses_pairing_location pl
				JOIN glasses_pairing p ON p.device_id = pl.device_id
				WHERE pl.location_id = :l AND p.institution_id = :i""")
			.bind("l", locationId)
			.bind("i", institutionId)
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((n) -> n != null && n > 0);
	}

	Mono<Void> insertCallBack(UUID consultId, UUID originId, String calledBy, Instant at) {
		return this.db
			.sql("INSERT INTO consult_call_back (consult_id, origin_id, called_by, called_at)"
					+ " VALUES (:c, :o, :by, :at)")
			.bind("c", consultId)
			.bind("o", originId)
			.bind("by", calledBy)
			.bind("at", time(at))
			.then();
	}

	/**
	 * @return the call-back's row: the consult it follows, who called and who answered
	 * (empty string while nobody did); empty when the consult is no call-back
	 */
	Mono<CallBack> callBack(UUID consultId) {
		return this.db.sql("SELECT origin_id, called_by, answered_by FROM consult_call_back WHERE consult_id = :c")
			.bind("c", consultId)
			.map((row) -> new CallBack(java.util.Objects.requireNonNull(row.get("origin_id", UUID.class)),
					java.util.Objects.requireNonNull(row.get("called_by", String.class)),
					java.util.Objects.requireNonNullElse(row.get("answered_by", String.class), "")))
			.one();
	}

	/**
	 * @return whether the user answered first
	 */
	Mono<Boolean> answerCallBack(UUID consultId, String userId, Instant at) {
		return this.db
			.sql("UPDATE consult_call_back SET answered_by = :u, answered_at = :at"
					+ " WHERE consult_id = :c AND answered_by IS NULL")
			.bind("u", userId)
			.bind("at", time(at))
			.bind("c", consultId)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	/**
	 * @param originId the consult the call-back follows
	 * @param calledBy the SO who called
	 * @param answeredBy the nurse who answered on the glasses; empty while nobody did
	 */
	record CallBack(UUID originId, String calledBy, String answeredBy) {
	}

	static OffsetDateTime time(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static @Nullable Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static GenericExecuteSpec bind(GenericExecuteSpec spec, String name, @Nullable String value) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, String.class);
	}

}
