package nl.beeldzorg.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The append-only audit trail. Each record carries the hash of the previous one, so a
 * changed or removed record breaks the chain at that point. Appends take the chain head's
 * row lock, so they are serial across nodes; there is no update or delete.
 */
@Component
public class AuditTrail {

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	AuditTrail(DatabaseClient db, TransactionalOperator tx, DatabaseScheduler scheduler, Clock clock) {
		this.db = db;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	/**
	 * Appends a record within the caller's transaction (join it with the state change it
	 * records, so neither exists without the other).
	 * @param entry what to record
	 * @return the record as chained
	 */
	public Mono<AuditRecord> append(Entry entry) {
		Instant at = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		return this.db.sql("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
			.map((row) -> new Head(row.get("seq", Long.class), row.get("hash", String.class).trim()))
			.one()
			.flatMap((head) -> {
				long seq = head.seq() + 1;
				String hash = hash(seq, at, entry, head.hash());
				AuditRecord record = new AuditRecord(seq, at, entry.actorId(), entry.onBehalfOf(),
						entry.institutionId(), entry.consultId(), entry.action(), entry.detail(), head.hash(), hash,
						entry.remoteAddr(), entry.subjects());
				return insert(record).then(indexSubjects(record))
					.then(this.db.sql("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1")
						.bind("seq", seq)
						.bind("hash", hash)
						.fetch()
						.rowsUpdated())
					.thenReturn(record);
			});
	}

	/**
	 * Appends a record in a transaction of its own.
	 * @param entry what to record
	 * @return the record as chained
	 */
	public Mono<AuditRecord> appendNow(Entry entry) {
		return this.scheduler.run(this.tx.transactional(append(entry)));
	}

	/**
	 * What was done to one consult, oldest first: its changes, not who read it (ask
	 * {@link #accessesToClient} for that).
	 * @param consultId the consult
	 * @return its records
	 */
	public Flux<AuditRecord> ofConsult(UUID consultId) {
		return this.scheduler
			.run(this.db.sql("SELECT * FROM audit_event WHERE consult_id = :id AND action <> 'READ' ORDER BY seq")
				.bind("id", consultId)
				.map(AuditTrail::read)
				.all());
	}

	/**
	 * Every record about one client's consults and written IMOZ questions of an
	 * institution: its reads (one consult, or a list that showed it) and its changes,
	 * oldest first, at most {@value #MAX_ACCESSES}.
	 * @param institutionId the institution whose consults (and answered or taken
	 * questions) count
	 * @param clientRef the pseudonymous client reference
	 * @return the records
	 */
	public Flux<AuditRecord> accessesToClient(String institutionId, String clientRef) {
		String subjects = "SELECT id FROM consult WHERE institution_id = :institution AND client_ref = :ref"
				+ " UNION SELECT id FROM imoz_question WHERE client_ref = :ref AND (answered_by_institution ="
				+ " :institution OR claimed_by IN (SELECT user_id FROM practitioner WHERE institution_id ="
				+ " :institution))";
		return this.scheduler.run(this.db
			.sql("SELECT * FROM audit_event WHERE seq IN (SELECT seq FROM audit_event" + " WHERE consult_id IN ("
					+ subjects + ") UNION SELECT seq FROM audit_subject WHERE subject_id IN (" + subjects
					+ ")) ORDER BY seq LIMIT " + MAX_ACCESSES)
			.bind("institution", institutionId)
			.bind("ref", clientRef)
			.map(AuditTrail::read)
			.all());
	}

	/** The most records {@link #accessesToClient} answers with. */
	public static final int MAX_ACCESSES = 5000;

	/**
	 * Recomputes the whole chain.
	 * @return the result: how many records, and the first one that does not match
	 */
	public Mono<Verification> verify() {
		Flux<AuditRecord> all = this.db.sql("SELECT * FROM audit_event ORDER BY seq").map(AuditTrail::read).all();
		return this.scheduler.run(all.reduce(new Verification(0, null, ZERO), (state, record) -> {
			if (state.firstBrokenSeq() != null) {
				return state;
			}
			Entry entry = new Entry(record.actorId(), record.onBehalfOf(), record.institutionId(), record.consultId(),
					record.action(), record.detail(), record.remoteAddr(), record.subjects());
			boolean linked = record.prevHash().equals(state.lastHash()) && record.seq() == state.records() + 1;
			boolean intact = hash(record.seq(), record.at(), entry, record.prevHash()).equals(record.hash());
			return new Verification(state.records() + 1, (linked && intact) ? null : record.seq(), record.hash());
		}));
	}

	private Mono<Long> insert(AuditRecord record) {
		DatabaseClient.GenericExecuteSpec spec = this.db
			.sql("INSERT INTO audit_event (seq, at, actor_id, on_behalf_of, institution_id, consult_id, action, detail,"
					+ " prev_hash, hash, remote_addr, subjects) VALUES (:seq, :at, :actor, :behalf, :institution, :consult,"
					+ " :action, :detail, :prev, :hash, :remote, :subjects)")
			.bind("seq", record.seq())
			.bind("at", OffsetDateTime.ofInstant(record.at(), ZoneOffset.UTC))
			.bind("actor", record.actorId())
			.bind("action", record.action().name())
			.bind("prev", record.prevHash())
			.bind("hash", record.hash());
		spec = bindNullable(spec, "behalf", record.onBehalfOf(), String.class);
		spec = bindNullable(spec, "institution", record.institutionId(), String.class);
		spec = bindNullable(spec, "consult", record.consultId(), UUID.class);
		spec = bindNullable(spec, "detail", record.detail(), String.class);
		spec = bindNullable(spec, "remote", record.remoteAddr(), String.class);
		spec = bindNullable(spec, "subjects", record.subjects(), String.class);
		return spec.fetch().rowsUpdated();
	}

	/** A list's subjects, so a client's records are found without reading every list. */
	private Mono<Void> indexSubjects(AuditRecord record) {
		if (record.subjects() == null || record.subjects().isBlank()) {
			return Mono.empty();
		}
		return Flux.fromArray(record.subjects().trim().split(" "))
			.distinct()
			.concatMap((id) -> this.db.sql("INSERT INTO audit_subject (subject_id, seq) VALUES (:id, :seq)")
				.bind("id", UUID.fromString(id))
				.bind("seq", record.seq())
				.fetch()
				.rowsUpdated())
			.then();
	}

	private static <T> DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec,
			String name, @Nullable T value, Class<T> type) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, type);
	}

	private static AuditRecord read(Readable row) {
		return new AuditRecord(row.get("seq", Long.class), row.get("at", OffsetDateTime.class).toInstant(),
				row.get("actor_id", String.class), row.get("on_behalf_of", String.class),
				row.get("institution_id", String.class), row.get("consult_id", UUID.class),
				AuditAction.valueOf(row.get("action", String.class)), row.get("detail", String.class),
				row.get("prev_hash", String.class).trim(), row.get("hash", String.class).trim(),
				row.get("remote_addr", String.class), row.get("subjects", String.class));
	}

	static String hash(long seq, Instant at, Entry entry, String prevHash) {
		String canonical = String.join("|", Long.toString(seq), at.truncatedTo(ChronoUnit.MICROS).toString(),
				entry.actorId(), String.valueOf(entry.onBehalfOf()), String.valueOf(entry.institutionId()),
				String.valueOf(entry.consultId()), entry.action().name(), String.valueOf(entry.detail()), prevHash);
		if (entry.remoteAddr() != null || entry.subjects() != null) {
			// Fields added later (V13) join the hash only when present, so older records
			// keep verifying.
			canonical = canonical + "|" + entry.remoteAddr() + "|" + entry.subjects();
		}
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static final String ZERO = "0".repeat(64);

	private record Head(long seq, String hash) {
	}

	/**
	 * What to record.
	 *
	 * @param actorId who did it
	 * @param onBehalfOf for whom, if for someone else
	 * @param institutionId whose consult
	 * @param consultId the consult
	 * @param action what
	 * @param detail extra facts, never patient data
	 * @param remoteAddr where the request came from (reads)
	 * @param subjects for a read of a list: the ids it showed, space-separated
	 */
	public record Entry(String actorId, @Nullable String onBehalfOf, @Nullable String institutionId,
			@Nullable UUID consultId, AuditAction action, @Nullable String detail, @Nullable String remoteAddr,
			@Nullable String subjects) {

		/**
		 * A change, as recorded before reads were audited.
		 * @param actorId who did it
		 * @param onBehalfOf for whom, if for someone else
		 * @param institutionId whose consult
		 * @param consultId the consult
		 * @param action what
		 * @param detail extra facts, never patient data
		 */
		public Entry(String actorId, @Nullable String onBehalfOf, @Nullable String institutionId,
				@Nullable UUID consultId, AuditAction action, @Nullable String detail) {
			this(actorId, onBehalfOf, institutionId, consultId, action, detail, null, null);
		}

	}

	/**
	 * The result of recomputing the chain.
	 *
	 * @param records how many records were read
	 * @param firstBrokenSeq the first record whose hash or link does not match, if any
	 * @param lastHash the hash at the end of the chain
	 */
	public record Verification(long records, @Nullable Long firstBrokenSeq, String lastHash) {

		/**
		 * @return whether the whole chain is intact
		 */
		public boolean intact() {
			return this.firstBrokenSeq == null;
		}

	}

}
