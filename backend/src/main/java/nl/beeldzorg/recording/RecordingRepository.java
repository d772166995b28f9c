package nl.beeldzorg.recording;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The {@code recording} table, and the little of a consult that recording needs.
 */
@Component
class RecordingRepository {

	private final DatabaseClient db;

	RecordingRepository(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * What recording needs to know of a consult.
	 *
	 * @param id the consult
	 * @param kind its kind
	 * @param state its state
	 * @param institutionId its institution
	 * @param requestedBy who started it
	 * @param consultantId who took it
	 */
	record ConsultFacts(UUID id, String kind, String state, @Nullable String institutionId, String requestedBy,
			@Nullable String consultantId) {

		boolean isParty(String userId) {
			return this.requestedBy.equals(userId) || userId.equals(this.consultantId);
		}

	}

	/**
	 * Reads a consult and locks its row until the transaction ends (as every consult
	 * change does).
	 */
	Mono<ConsultFacts> lockConsult(UUID id) {
		return this.db
			.sql("SELECT id, kind, state, institution_id, requested_by, consultant_id FROM consult WHERE id = :id"
					+ " FOR UPDATE")
			.bind("id", id)
			.map(RecordingRepository::facts)
			.one();
	}

	Mono<ConsultFacts> consult(UUID id) {
		return this.db
			.sql("SELECT id, kind, state, institution_id, requested_by, consultant_id FROM consult WHERE id = :id")
			.bind("id", id)
			.map(RecordingRepository::facts)
			.one();
	}

	Mono<Boolean> isInvited(UUID consultId, String userId) {
		return this.db.sql("SELECT COUNT(*) AS n FROM consult_invitee WHERE consult_id = :c AND user_id = :u")
			.bind("c", consultId)
			.bind("u", userId)
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((n) -> n > 0);
	}

	Mono<Void> insert(Recording recording) {
		DatabaseClient.GenericExecuteSpec spec = this.db.sql("""
				INSERT INTO recording (id, consult_id, institution_id, state, consent_given_by, consent_note,
				    consent_at, recorded_by, idempotency_key, request_hash, file_path)
				VALUES (:id, :consult, :institution, :state, :givenBy, :note, :at, :by, :key, :hash, :path)""")
			.bind("id", recording.id())
			.bind("consult", recording.consultId())
			.bind("state", recording.state().name())
			.bind("givenBy", recording.givenBy().name())
			.bind("at", time(recording.consentAt()))
			.bind("by", recording.recordedBy())
			.bind("path", recording.filePath());
		spec = bindOrNull(spec, "institution", recording.institutionId());
		spec = bindOrNull(spec, "note", recording.note());
		spec = bindOrNull(spec, "key", recording.idempotencyKey());
		spec = bindOrNull(spec, "hash", recording.requestHash());
		return spec.then();
	}

	private static DatabaseClient.GenericExecuteSpec bindOrNull(DatabaseClient.GenericExecuteSpec spec, String name,
			@Nullable String value) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, String.class);
	}

	Mono<Recording> findById(UUID id) {
		return this.db.sql("SELECT * FROM recording WHERE id = :id")
			.bind("id", id)
			.map(RecordingRepository::read)
			.one();
	}

	Mono<Recording> findByIdempotencyKey(String recordedBy, String key) {
		return this.db.sql("SELECT * FROM recording WHERE recorded_by = :by AND idempotency_key = :key")
			.bind("by", recordedBy)
			.bind("key", key)
			.map(RecordingRepository::read)
			.one();
	}

	Flux<Recording> ofConsult(UUID consultId) {
		return this.db.sql("SELECT * FROM recording WHERE consult_id = :c ORDER BY consent_at, id")
			.bind("c", consultId)
			.map(RecordingRepository::read)
			.all();
	}

	/** The consult's recordings that run or are being started. */
	Flux<Recording> running(UUID consultId) {
		return this.db
			.sql("SELECT * FROM recording WHERE consult_id = :c AND state IN ('STARTING', 'RECORDING') ORDER BY id")
			.bind("c", consultId)
			.map(RecordingRepository::read)
			.all();
	}

	/**
	 * @return whether the recording was still being started (nobody stopped it meanwhile)
	 */
	Mono<Boolean> started(UUID id, Instant at) {
		return this.db
			.sql("UPDATE recording SET state = 'RECORDING', started_at = :at WHERE id = :id"
					+ " AND state = 'STARTING'")
			.bind("id", id)
			.bind("at", time(at))
			.fetch()
			.rowsUpdated()
			.map((n) -> n > 0);
	}

	/**
	 * A recording the media server could not start: no file, and its key free for a
	 * retry.
	 */
	Mono<Void> failed(UUID id, Instant at) {
		return this.db
			.sql("UPDATE recording SET state = 'FAILED', stopped_at = :at, idempotency_key = NULL"
					+ " WHERE id = :id AND state IN ('STARTING', 'STOPPING')")
			.bind("id", id)
			.bind("at", time(at))
			.then();
	}

	/**
	 * @return whether this call moved it to STOPPING (from STARTING or RECORDING)
	 */
	Mono<Boolean> stopping(UUID id, String by) {
		return this.db
			.sql("UPDATE recording SET state = 'STOPPING', stopped_by = :by WHERE id = :id"
					+ " AND state IN ('STARTING', 'RECORDING')")
			.bind("id", id)
			.bind("by", by)
			.fetch()
			.rowsUpdated()
			.map((n) -> n > 0);
	}

	Mono<Boolean> stopped(UUID id, Instant at, long size, Instant expiresAt) {
		return this.db
			.sql("UPDATE recording SET state = 'STOPPED', stopped_at = :at, size_bytes = :size,"
					+ " expires_at = :expires WHERE id = :id AND state = 'STOPPING'")
			.bind("id", id)
			.bind("at", time(at))
			.bind("size", size)
			.bind("expires", time(expiresAt))
			.fetch()
			.rowsUpdated()
			.map((n) -> n > 0);
	}

	Flux<Recording> expired(Instant now, int limit) {
		return this.db
			.sql("SELECT * FROM recording WHERE state = 'STOPPED' AND expires_at <= :now ORDER BY expires_at"
					+ " LIMIT " + limit)
			.bind("now", time(now))
			.map(RecordingRepository::read)
			.all();
	}

	Mono<Boolean> deleted(UUID id, Instant at) {
		return this.db
			.sql("UPDATE recording SET state = 'DELETED', deleted_at = :at WHERE id = :id" + " AND state = 'STOPPED'")
			.bind("id", id)
			.bind("at", time(at))
			.fetch()
			.rowsUpdated()
			.map((n) -> n > 0);
	}

	private static ConsultFacts facts(Readable row) {
		return new ConsultFacts(row.get("id", UUID.class), row.get("kind", String.class),
				row.get("state", String.class), row.get("institution_id", String.class),
				row.get("requested_by", String.class), row.get("consultant_id", String.class));
	}

	private static Recording read(Readable row) {
		return new Recording(row.get("id", UUID.class), row.get("consult_id", UUID.class),
				row.get("institution_id", String.class), Recording.State.valueOf(row.get("state", String.class)),
				Recording.GivenBy.valueOf(row.get("consent_given_by", String.class)),
				row.get("consent_note", String.class), instant(row, "consent_at"), row.get("recorded_by", String.class),
				row.get("idempotency_key", String.class), row.get("request_hash", String.class),
				row.get("file_path", String.class), nullableInstant(row, "started_at"),
				nullableInstant(row, "stopped_at"), row.get("stopped_by", String.class),
				row.get("size_bytes", Long.class), nullableInstant(row, "expires_at"),
				nullableInstant(row, "deleted_at"));
	}

	static OffsetDateTime time(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static Instant instant(Readable row, String column) {
		Instant value = nullableInstant(row, column);
		if (value == null) {
			throw new IllegalStateException(column + " is null");
		}
		return value;
	}

	private static @Nullable Instant nullableInstant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
