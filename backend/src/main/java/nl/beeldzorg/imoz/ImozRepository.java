package nl.beeldzorg.imoz;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

/**
 * IMOZ questions in the database; every state change is conditional on state and version,
 * so two SOs taking one question at once give one winner.
 */
@Repository
class ImozRepository {

	private final DatabaseClient db;

	ImozRepository(DatabaseClient db) {
		this.db = db;
	}

	Mono<Void> insert(ImozQuestion q, @Nullable String idempotencyKey) {
		GenericExecuteSpec spec = this.db
			.sql("""
					INSERT INTO imoz_question (id, state, version, practice_id, asked_by, client_ref, home_area, question,
					  due_at, idempotency_key, created_at)
					VALUES (:id, :state, 0, :practice, :askedBy, :clientRef, :homeArea, :question, :dueAt, :key, :createdAt)""")
			.bind("id", q.id())
			.bind("state", q.state().name())
			.bind("practice", q.practiceId())
			.bind("askedBy", q.askedBy())
			.bind("clientRef", q.clientRef())
			.bind("homeArea", q.homeArea())
			.bind("question", q.question())
			.bind("dueAt", time(q.dueAt()))
			.bind("createdAt", time(q.createdAt()));
		spec = (idempotencyKey != null) ? spec.bind("key", idempotencyKey) : spec.bindNull("key", String.class);
		return spec.then();
	}

	Mono<ImozQuestion> find(UUID id) {
		return this.db.sql("SELECT * FROM imoz_question WHERE id = :id").bind("id", id).map(ImozRepository::read).one();
	}

	Mono<ImozQuestion> findByIdempotencyKey(String askedBy, String key) {
		return this.db.sql("SELECT * FROM imoz_question WHERE asked_by = :u AND idempotency_key = :k")
			.bind("u", askedBy)
			.bind("k", key)
			.map(ImozRepository::read)
			.one();
	}

	Flux<ImozQuestion> ofPractice(String practiceId) {
		return this.db.sql("SELECT * FROM imoz_question WHERE practice_id = :p ORDER BY created_at DESC")
			.bind("p", practiceId)
			.map(ImozRepository::read)
			.all();
	}

	/** Open questions (any SO may take them) and those the SO claimed or answered. */
	Flux<ImozQuestion> forSo(String userId) {
		return this.db.sql("""
				SELECT * FROM imoz_question WHERE state = 'OPEN' OR claimed_by = :u ORDER BY due_at""")
			.bind("u", userId)
			.map(ImozRepository::read)
			.all();
	}

	Flux<ImozQuestion> answeredBetween(Instant from, Instant to, @Nullable String institutionId) {
		String sql = "SELECT * FROM imoz_question WHERE state = 'ANSWERED' AND answered_at >= :from"
				+ " AND answered_at < :to" + ((institutionId != null) ? " AND answered_by_institution = :i" : "")
				+ " ORDER BY answered_at, id";
		GenericExecuteSpec spec = this.db.sql(sql).bind("from", time(from)).bind("to", time(to));
		if (institutionId != null) {
			spec = spec.bind("i", institutionId);
		}
		return spec.map(ImozRepository::read).all();
	}

	Mono<Boolean> claim(ImozQuestion q, String so, Instant at) {
		return this.db.sql("""
				UPDATE imoz_question SET state = 'CLAIMED', claimed_by = :so, claimed_at = :at, version = version + 1
				WHERE id = :id AND state = 'OPEN' AND version = :version""")
			.bind("so", so)
			.bind("at", time(at))
			.bind("id", q.id())
			.bind("version", q.version())
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	Mono<Boolean> answer(ImozQuestion q, String so, String institutionId, String answer, String billingCode,
			Instant at) {
		return this.db.sql("""
				UPDATE imoz_question SET state = 'ANSWERED', answer = :answer, answered_at = :at,
				  answered_by_institution = :institution, billing_code = :code, version = version + 1
				WHERE id = :id AND state = 'CLAIMED' AND claimed_by = :so AND version = :version""")
			.bind("answer", answer)
			.bind("at", time(at))
			.bind("institution", institutionId)
			.bind("code", billingCode)
			.bind("id", q.id())
			.bind("so", so)
			.bind("version", q.version())
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	Mono<Boolean> withdraw(ImozQuestion q, Instant at) {
		return this.db.sql("""
				UPDATE imoz_question SET state = 'WITHDRAWN', withdrawn_at = :at, version = version + 1
				WHERE id = :id AND state IN ('OPEN', 'CLAIMED') AND version = :version""")
			.bind("at", time(at))
			.bind("id", q.id())
			.bind("version", q.version())
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	Mono<Void> homeArea(String code, double latitude, double longitude) {
		return this.db.sql("DELETE FROM home_area WHERE code = :c")
			.bind("c", code)
			.then()
			.then(this.db.sql("INSERT INTO home_area (code, latitude, longitude) VALUES (:c, :lat, :lon)")
				.bind("c", code)
				.bind("lat", latitude)
				.bind("lon", longitude)
				.then());
	}

	Mono<Boolean> billVideoConsult(UUID consultId, String consultantId, String billingCode) {
		return this.db.sql("""
				UPDATE consult SET billing_code = :code
				WHERE id = :id AND kind = 'IMOZ' AND state = 'ENDED' AND consultant_id = :so""")
			.bind("code", billingCode)
			.bind("id", consultId)
			.bind("so", consultantId)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	Mono<Void> insertPhoto(ImozPhoto photo, byte[] bytes) {
		return this.db
			.sql("""
					INSERT INTO imoz_photo (id, question_id, content_type, size_bytes, sha256, bytes, uploaded_by, created_at)
					VALUES (:id, :question, :type, :size, :sha, :bytes, :by, :at)""")
			.bind("id", photo.id())
			.bind("question", photo.questionId())
			.bind("type", photo.contentType())
			.bind("size", photo.size())
			.bind("sha", photo.sha256())
			.bind("bytes", bytes)
			.bind("by", photo.uploadedBy())
			.bind("at", time(photo.createdAt()))
			.then();
	}

	/**
	 * Locks the question's row for the rest of the transaction (two uploads at once count
	 * each other's photos) and tells its state and how many photos it has.
	 */
	Mono<PhotoSlot> lockForPhoto(UUID questionId) {
		return this.db.sql("SELECT state FROM imoz_question WHERE id = :id FOR UPDATE")
			.bind("id", questionId)
			.map((row) -> ImozQuestion.State.valueOf(row.get("state", String.class)))
			.one()
			.flatMap((state) -> this.db.sql("SELECT COUNT(*) AS n FROM imoz_photo WHERE question_id = :id")
				.bind("id", questionId)
				.map((row) -> ((Number) java.util.Objects.requireNonNull(row.get("n"))).intValue())
				.one()
				.map((n) -> new PhotoSlot(state, n)));
	}

	/**
	 * @param state the question's state
	 * @param photos how many photos it has
	 */
	record PhotoSlot(ImozQuestion.State state, int photos) {
	}

	/** The photos of these questions, without their bytes, oldest first. */
	Flux<ImozPhoto> photosOf(java.util.Collection<UUID> questionIds) {
		if (questionIds.isEmpty()) {
			return Flux.empty();
		}
		return this.db.sql("""
				SELECT id, question_id, content_type, size_bytes, sha256, uploaded_by, created_at FROM imoz_photo
				WHERE question_id IN (:ids) ORDER BY created_at, id""")
			.bind("ids", questionIds)
			.map(ImozRepository::readPhoto)
			.all();
	}

	Mono<ImozPhoto> photoBySha(UUID questionId, String sha256) {
		return this.db.sql("""
				SELECT id, question_id, content_type, size_bytes, sha256, uploaded_by, created_at FROM imoz_photo
				WHERE question_id = :q AND sha256 = :sha""")
			.bind("q", questionId)
			.bind("sha", sha256)
			.map(ImozRepository::readPhoto)
			.one();
	}

	/** A photo's type and bytes. */
	Mono<Photo> photoBytes(UUID questionId, UUID photoId) {
		return this.db.sql("SELECT content_type, sha256, bytes FROM imoz_photo WHERE question_id = :q AND id = :id")
			.bind("q", questionId)
			.bind("id", photoId)
			.map((row) -> new Photo(java.util.Objects.requireNonNull(row.get("content_type", String.class)),
					java.util.Objects.requireNonNull(row.get("sha256", String.class)), bytes(row.get("bytes"))))
			.one();
	}

	/**
	 * A stored photo.
	 *
	 * @param contentType image/jpeg or image/png
	 * @param sha256 hex SHA-256
	 * @param bytes the image
	 */
	record Photo(String contentType, String sha256, byte[] bytes) {
	}

	private static byte[] bytes(@Nullable Object value) {
		if (value instanceof byte[] array) {
			return array;
		}
		if (value instanceof java.nio.ByteBuffer buffer) {
			byte[] array = new byte[buffer.remaining()];
			buffer.get(array);
			return array;
		}
		throw new IllegalStateException("A photo column read as " + ((value != null) ? value.getClass() : null));
	}

	private static ImozPhoto readPhoto(Readable row) {
		return new ImozPhoto(java.util.Objects.requireNonNull(row.get("id", UUID.class)),
				java.util.Objects.requireNonNull(row.get("question_id", UUID.class)),
				java.util.Objects.requireNonNull(row.get("content_type", String.class)),
				java.util.Objects.requireNonNull(row.get("size_bytes", Integer.class)),
				java.util.Objects.requireNonNull(row.get("sha256", String.class)),
				java.util.Objects.requireNonNull(row.get("uploaded_by", String.class)),
				java.util.Objects.requireNonNull(instant(row, "created_at")));
	}

	/** Ended video IMOZ consults with a billing code, as declaration lines. */
	Flux<Declaration> videoDeclarations(Instant from, Instant to, @Nullable String institutionId) {
		String sql = """
				SELECT c.id, c.ended_at, p.practice_id, c.requested_by, c.consultant_id, c.institution_id, c.billing_code
				FROM consult c LEFT JOIN practitioner p ON p.user_id = c.requested_by
				WHERE c.kind = 'IMOZ' AND c.state = 'ENDED' AND c.billing_code IS NOT NULL
				  AND c.ended_at >= :from AND c.ended_at < :to"""
				+ ((institutionId != null) ? " AND c.institution_id = :i" : "") + " ORDER BY c.ended_at, c.id";
		GenericExecuteSpec spec = this.db.sql(sql).bind("from", time(from)).bind("to", time(to));
		if (institutionId != null) {
			spec = spec.bind("i", institutionId);
		}
		return spec
			.map((row) -> new Declaration(java.util.Objects.requireNonNull(row.get("id", UUID.class)),
					java.util.Objects.requireNonNull(instant(row, "ended_at")), row.get("practice_id", String.class),
					java.util.Objects.requireNonNull(row.get("requested_by", String.class)),
					row.get("consultant_id", String.class), row.get("institution_id", String.class),
					row.get("billing_code", String.class), "VIDEO"))
			.all();
	}

	/**
	 * One line of the declaration export.
	 *
	 * @param id question or consult id
	 * @param at answered or ended at
	 * @param practiceId the asking huisarts's practice
	 * @param askedBy the huisarts
	 * @param answeredBy the SO
	 * @param institutionId the SO's institution
	 * @param billingCode the code
	 * @param mode WRITTEN or VIDEO
	 */
	record Declaration(UUID id, Instant at, @Nullable String practiceId, String askedBy, @Nullable String answeredBy,
			@Nullable String institutionId, @Nullable String billingCode, String mode) {

		static Declaration of(ImozQuestion q) {
			return new Declaration(q.id(), java.util.Objects.requireNonNull(q.answeredAt()), q.practiceId(),
					q.askedBy(), q.claimedBy(), q.answeredByInstitution(), q.billingCode(), "WRITTEN");
		}

	}

	private static ImozQuestion read(Readable row) {
		return new ImozQuestion(row.get("id", UUID.class), ImozQuestion.State.valueOf(row.get("state", String.class)),
				row.get("version", Integer.class), row.get("practice_id", String.class),
				row.get("asked_by", String.class), row.get("client_ref", String.class),
				row.get("home_area", String.class), row.get("question", String.class),
				java.util.Objects.requireNonNull(instant(row, "due_at")), row.get("claimed_by", String.class),
				instant(row, "claimed_at"), row.get("answer", String.class), instant(row, "answered_at"),
				row.get("answered_by_institution", String.class), row.get("billing_code", String.class),
				java.util.Objects.requireNonNull(instant(row, "created_at")), instant(row, "withdrawn_at"));
	}

	private static OffsetDateTime time(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static @Nullable Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
