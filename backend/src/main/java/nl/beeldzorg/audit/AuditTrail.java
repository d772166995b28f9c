package nl.beeldzorg.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * The append-only audit trail. Each record carries the hash of the previous record of its
 * chain, so a changed or removed record breaks the chain at that point. There is one
 * chain per consult (or written IMOZ question; records about no single one chain per
 * institution, or in one chain of the region): an append takes its chain's end row lock
 * only, so appends to one consult are serial across nodes while a storm of joins to
 * different consults does not queue on one lock. Each chain's end is kept in
 * {@code audit_chain}, so a chain cut short or removed whole is found too. Records from
 * before per-consult chains (V15) form one chain of their own, ended by
 * {@code audit_head}. There is no update or delete of records.
 */
@Component
public class AuditTrail {

	/** The chain of records about no consult, question or institution. */
	static final String REGION_CHAIN = "region";

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	/** Reads the chains and their ends as of one moment, while appends go on. */
	private final TransactionalOperator snapshot;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	AuditTrail(DatabaseClient db, ReactiveTransactionManager transactions, DatabaseScheduler scheduler, Clock clock) {
		this.db = db;
		this.tx = TransactionalOperator.create(transactions);
		DefaultTransactionDefinition snapshot = new DefaultTransactionDefinition();
		snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		snapshot.setReadOnly(true);
		this.snapshot = TransactionalOperator.create(transactions, snapshot);
		this.scheduler = scheduler;
		this.clock = clock;
	}

	/**
	 * Which chain a record joins: its consult's (or question's), else its institution's,
	 * else the region's.
	 * @param entry the record
	 * @return the chain key
	 */
	static String chainOf(Entry entry) {
		if (entry.consultId() != null) {
			return entry.consultId().toString();
		}
		if (entry.institutionId() != null) {
			return "institution:" + entry.institutionId();
		}
		return REGION_CHAIN;
	}

	/**
	 * Appends a record within the caller's transaction (join it with the state change it
	 * records, so neither exists without the other). Locks the end of the record's chain
	 * until the transaction ends; a transaction that changes a consult locks the consult
	 * row first.
	 * @param entry what to record
	 * @return the record as chained
	 */
	public Mono<AuditRecord> append(Entry entry) {
		Instant at = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		String chain = chainOf(entry);
		// The chain's end exists once its first record is appended: created (by whichever
		// append comes first, the other waits and finds it) only when missing.
		Mono<Head> head = lockHead(chain).switchIfEmpty(Mono.defer(() -> this.db
			.sql("INSERT INTO audit_chain (chain, chain_seq, event_seq, hash) VALUES (:chain, 0, 0, :zero)"
					+ " ON CONFLICT DO NOTHING")
			.bind("chain", chain)
			.bind("zero", ZERO)
			.fetch()
			.rowsUpdated()
			.then(lockHead(chain))));
		return head.flatMap((end) -> nextSeq().flatMap((seq) -> {
			long chainSeq = end.chainSeq() + 1;
			String hash = hash(seq, at, entry, end.hash(), chain, chainSeq);
			AuditRecord record = new AuditRecord(seq, at, entry.actorId(), entry.onBehalfOf(), entry.institutionId(),
					entry.consultId(), entry.action(), entry.detail(), end.hash(), hash, entry.remoteAddr(),
					entry.subjects(), chain, chainSeq);
			return insert(record).then(indexSubjects(record))
				.then(this.db
					.sql("UPDATE audit_chain SET chain_seq = :chainSeq, event_seq = :seq, hash = :hash"
							+ " WHERE chain = :chain")
					.bind("chainSeq", chainSeq)
					.bind("seq", seq)
					.bind("hash", hash)
					.bind("chain", chain)
					.fetch()
					.rowsUpdated())
				.thenReturn(record);
		}));
	}

	private Mono<Head> lockHead(String chain) {
		return this.db.sql("SELECT chain_seq, hash FROM audit_chain WHERE chain = :chain FOR UPDATE")
			.bind("chain", chain)
			.map((row) -> new Head(row.get("chain_seq", Long.class), row.get("hash", String.class).trim()))
			.one();
	}

	/** A number from the sequence: takes no lock that outlives the statement. */
	private Mono<Long> nextSeq() {
		return this.db.sql("SELECT nextval('audit_event_seq') AS seq").map((row) -> row.get("seq", Long.class)).one();
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
	 * Recomputes every chain: each record's hash, its link to the one before it in its
	 * chain, its position, and that each chain ends where {@code audit_chain} (for the
	 * records from before per-consult chains, {@code audit_head}) says it ends.
	 * @return the result: how many records and chains, and the first record (by
	 * {@code seq}) that does not match, with its chain
	 */
	public Mono<Verification> verify() {
		Flux<AuditRecord> records = this.db.sql("SELECT * FROM audit_event ORDER BY chain NULLS FIRST, chain_seq, seq")
			.map(AuditTrail::read)
			.all();
		// The ends and the records as of one moment (a repeatable-read snapshot): a
		// record
		// past its chain's end, or a chain without an end, is then a forgery, not an
		// append that committed in between.
		Mono<Map<String, Head>> ends = this.db.sql("SELECT chain, chain_seq, event_seq, hash FROM audit_chain")
			.map((row) -> Map.entry(row.get("chain", String.class),
					new Head(row.get("chain_seq", Long.class), row.get("hash", String.class).trim(),
							row.get("event_seq", Long.class))))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
		Mono<Head> legacyEnd = this.db.sql("SELECT seq, hash FROM audit_head WHERE id = 1")
			.map((row) -> new Head(row.get("seq", Long.class), row.get("hash", String.class).trim(),
					row.get("seq", Long.class)))
			.one()
			.defaultIfEmpty(new Head(0, ZERO, 0));
		Mono<Walk> walked = this.snapshot.transactional(Mono.zip(ends, legacyEnd)
			.flatMap((t) -> records.collect(() -> new Walk(t.getT1(), t.getT2()), Walk::accept))
			.doOnNext(Walk::finish));
		// Where the database's snapshot lets new records in (phantoms), records past
		// their
		// chain's end are settled against the ends as they are now: appends only move an
		// end forward, so an end now short of them means they were slipped in.
		Mono<Verification> work = walked.flatMap((walk) -> walk.past.isEmpty() ? Mono.just(walk.result())
				: ends.map((now) -> walk.settle(now).result()));
		return this.scheduler.run(work);
	}

	/**
	 * Walks the records chain by chain, each in its order; keeps only the chain at hand
	 * (and the ends), so millions of records need no more memory than a few.
	 */
	private static final class Walk {

		private final Map<String, Head> ends;

		private final Head legacyEnd;

		private final Set<String> seen = new HashSet<>();

		private long records;

		private long chains;

		private boolean started;

		private @Nullable String chain;

		private long position;

		private String lastInChain = ZERO;

		private long lastSeq;

		private String lastHash = ZERO;

		private @Nullable Long firstBroken;

		private @Nullable String brokenChain;

		/** The first record of the chain at hand past the end read before the walk. */
		private @Nullable Long firstPast;

		/** Chains that went past their end, to settle after the walk. */
		final Map<String, Past> past = new java.util.HashMap<>();

		private boolean chainBroken;

		private long maxSeq;

		Walk(Map<String, Head> ends, Head legacyEnd) {
			this.ends = ends;
			this.legacyEnd = legacyEnd;
		}

		void accept(AuditRecord record) {
			if (!this.started || !Objects.equals(record.chain(), this.chain)) {
				endChain();
				this.started = true;
				this.chain = record.chain();
				this.chains++;
				this.position = 0;
				this.lastInChain = ZERO;
				this.chainBroken = false;
				this.firstPast = null;
				if (this.chain != null) {
					this.seen.add(this.chain);
				}
			}
			this.records++;
			this.position++;
			Entry entry = new Entry(record.actorId(), record.onBehalfOf(), record.institutionId(), record.consultId(),
					record.action(), record.detail(), record.remoteAddr(), record.subjects());
			boolean linked;
			boolean intact;
			if (record.chain() == null) {
				// Before per-consult chains: one chain in seq order.
				linked = record.prevHash().equals(this.lastInChain) && record.seq() == this.position;
				intact = hash(record.seq(), record.at(), entry, record.prevHash()).equals(record.hash());
			}
			else {
				Head end = this.ends.get(record.chain());
				linked = record.prevHash().equals(this.lastInChain) && record.chainSeq() != null
						&& record.chainSeq() == this.position;
				intact = record.chainSeq() != null
						&& hash(record.seq(), record.at(), entry, record.prevHash(), record.chain(), record.chainSeq())
							.equals(record.hash());
				if (linked && intact && (end == null || this.position > end.chainSeq()) && this.firstPast == null) {
					// Past the end read before: settled after the walk.
					this.firstPast = record.seq();
				}
			}
			if (!(linked && intact)) {
				broken(record.seq(), record.chain());
			}
			this.lastInChain = record.hash();
			this.lastSeq = record.seq();
			if (record.seq() >= this.maxSeq) {
				this.maxSeq = record.seq();
				this.lastHash = record.hash();
			}
		}

		/** The chain at hand ends where its end row says: nothing cut off its tail. */
		private void endChain() {
			if (!this.started) {
				return;
			}
			if (this.chain != null && this.firstPast != null) {
				if (!this.chainBroken) {
					this.past.put(this.chain, new Past(this.position, this.lastInChain, this.firstPast, this.lastSeq));
				}
				return;
			}
			Head end = (this.chain != null) ? this.ends.get(this.chain) : this.legacyEnd;
			if (end == null) {
				return;
			}
			if (end.chainSeq() > this.position
					|| (end.chainSeq() == this.position && !end.hash().equals(this.lastInChain))) {
				broken((end.chainSeq() > this.position) ? end.eventSeq() : this.lastSeq, this.chain);
			}
		}

		private void broken(long seq, @Nullable String chain) {
			if (this.chainBroken) {
				return;
			}
			this.chainBroken = true;
			if (this.firstBroken == null || seq < this.firstBroken) {
				this.firstBroken = seq;
				this.brokenChain = (chain != null) ? chain : LEGACY_CHAIN;
			}
		}

		/**
		 * Settles the chains whose records went past the ends read before the walk.
		 * @param now the chains' ends as they are now
		 * @return this walk
		 */
		Walk settle(Map<String, Head> now) {
			this.past.forEach((chain, walked) -> {
				Head end = now.get(chain);
				this.chainBroken = false;
				if (end == null || end.chainSeq() < walked.position()) {
					broken(walked.firstPast(), chain);
				}
				else if (end.chainSeq() == walked.position() && !end.hash().equals(walked.lastHash())) {
					broken(walked.lastSeq(), chain);
				}
			});
			return this;
		}

		Verification result() {
			return new Verification(this.records, this.firstBroken, this.lastHash, this.chains, this.brokenChain);
		}

		void finish() {
			endChain();
			if (!this.started && this.legacyEnd.chainSeq() > 0) {
				// Every record from before the chains is gone.
				this.chain = null;
				this.started = true;
				this.position = 0;
				endChain();
			}
			// Chains whose every record is gone: their end names a record that is not
			// there.
			this.ends.forEach((key, end) -> {
				if (end.chainSeq() > 0 && !this.seen.contains(key)) {
					this.chainBroken = false;
					broken(end.eventSeq(), key);
				}
			});
		}

	}

	/** A chain walked past the end read before the walk. */
	private record Past(long position, String lastHash, long firstPast, long lastSeq) {
	}

	/** How the records from before per-consult chains are named in a verification. */
	public static final String LEGACY_CHAIN = "legacy";

	private Mono<Long> insert(AuditRecord record) {
		DatabaseClient.GenericExecuteSpec spec = this.db
			.sql("INSERT INTO audit_event (seq, at, actor_id, on_behalf_of, institution_id, consult_id, action, detail,"
					+ " prev_hash, hash, remote_addr, subjects, chain, chain_seq) VALUES (:seq, :at, :actor, :behalf,"
					+ " :institution, :consult, :action, :detail, :prev, :hash, :remote, :subjects, :chain, :chainSeq)")
			.bind("seq", record.seq())
			.bind("at", OffsetDateTime.ofInstant(record.at(), ZoneOffset.UTC))
			.bind("actor", record.actorId())
			.bind("action", record.action().name())
			.bind("prev", record.prevHash())
			.bind("hash", record.hash())
			.bind("chain", Objects.requireNonNull(record.chain()))
			.bind("chainSeq", Objects.requireNonNull(record.chainSeq()));
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
				row.get("remote_addr", String.class), row.get("subjects", String.class), row.get("chain", String.class),
				row.get("chain_seq", Long.class));
	}

	/**
	 * The hash of a record of a chain (V15 on): as before, and its chain and position, so
	 * no record can be moved into another chain or place.
	 */
	static String hash(long seq, Instant at, Entry entry, String prevHash, String chain, long chainSeq) {
		return sha256(canonical(seq, at, entry, prevHash) + "|" + entry.remoteAddr() + "|" + entry.subjects() + "|"
				+ chain + "|" + chainSeq);
	}

	/** The hash of a record from before per-consult chains. */
	static String hash(long seq, Instant at, Entry entry, String prevHash) {
		String canonical = canonical(seq, at, entry, prevHash);
		if (entry.remoteAddr() != null || entry.subjects() != null) {
			// Fields added later (V13) join the hash only when present, so older records
			// keep verifying.
			canonical = canonical + "|" + entry.remoteAddr() + "|" + entry.subjects();
		}
		return sha256(canonical);
	}

	private static String canonical(long seq, Instant at, Entry entry, String prevHash) {
		return String.join("|", Long.toString(seq), at.truncatedTo(ChronoUnit.MICROS).toString(), entry.actorId(),
				String.valueOf(entry.onBehalfOf()), String.valueOf(entry.institutionId()),
				String.valueOf(entry.consultId()), entry.action().name(), String.valueOf(entry.detail()), prevHash);
	}

	private static String sha256(String canonical) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static final String ZERO = "0".repeat(64);

	private record Head(long chainSeq, String hash, long eventSeq) {

		Head(long chainSeq, String hash) {
			this(chainSeq, hash, 0);
		}

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
	 * @param lastHash the hash of the latest record (highest {@code seq})
	 * @param chains how many chains were walked (one per consult or question, per
	 * institution, the region's, and the one of records from before per-consult chains)
	 * @param brokenChain the chain of {@code firstBrokenSeq}: a consult or question id,
	 * {@code institution:<id>}, {@code region}, or {@code legacy}
	 */
	public record Verification(long records, @Nullable Long firstBrokenSeq, String lastHash, long chains,
			@Nullable String brokenChain) {

		/**
		 * @return whether the whole chain is intact
		 */
		public boolean intact() {
			return this.firstBrokenSeq == null;
		}

	}

}
