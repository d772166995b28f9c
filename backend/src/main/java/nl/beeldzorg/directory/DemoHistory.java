package nl.beeldzorg.directory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nl.beeldzorg.audit.AuditAction;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.directory.DemoHistoryPlan.HistoryConsult;
import nl.beeldzorg.directory.DemoHistoryPlan.Staffing;
import nl.beeldzorg.ledger.LedgerService;
import nl.beeldzorg.media.MediaCells;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Seeds demo mode with a programme year of history ({@link DemoHistoryPlan}) once the
 * demo directory is in place, through the same code live consults take: each consult ends
 * with its audit record and report cells ({@link LedgerService#recordEnd}), its outcome
 * is valued and booked by {@link LedgerService#recordSeededOutcome}, and a missed or
 * never-connected one books its lost time. Runs once per database: {@code demo_seed}
 * remembers the anchor day and whether it completed.
 */
@Component
@ConditionalOnBooleanProperty("beeldzorg.demo.history")
class DemoHistory {

	private static final Logger log = LoggerFactory.getLogger(DemoHistory.class);

	private static final String NAME = "history";

	private static final int CHUNK = 50;

	private final DatabaseClient db;

	private final Directory directory;

	private final LedgerService ledger;

	private final AuditTrail audit;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final MediaCells media;

	DemoHistory(DatabaseClient db, Directory directory, LedgerService ledger, AuditTrail audit,
			TransactionalOperator tx, DatabaseScheduler scheduler, Clock clock, MediaCells media) {
		this.media = media;
		this.db = db;
		this.directory = directory;
		this.ledger = ledger;
		this.audit = audit;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	/** After the demo directory's runners: its institutions and home areas exist. */
	@EventListener(ApplicationReadyEvent.class)
	void onReady() {
		long start = System.nanoTime();
		Integer seeded = seed().block(Duration.ofMinutes(5));
		if (seeded != null && seeded > 0) {
			log.info("Demo history: seeded {} consults in {} ms", seeded, (System.nanoTime() - start) / 1_000_000);
		}
	}

	/**
	 * @return how many consults were seeded now (0 when the history was complete)
	 */
	Mono<Integer> seed() {
		return this.scheduler.run(this.db.sql("SELECT anchor_day, completed_at FROM demo_seed WHERE name = :name")
			.bind("name", NAME)
			.map((row) -> new Object[] { row.get("anchor_day", LocalDate.class),
					row.get("completed_at", OffsetDateTime.class) })
			.one()
			.map((row) -> (row[1] != null) ? Mono.just(0) : resume((LocalDate) row[0]))
			.switchIfEmpty(Mono.fromSupplier(this::begin))
			.flatMap((work) -> work));
	}

	private Mono<Integer> begin() {
		LocalDate anchor = LocalDate.ofInstant(this.clock.instant(), DemoHistoryPlan.ZONE);
		return this.db.sql("INSERT INTO demo_seed (name, anchor_day) VALUES (:name, :anchor)")
			.bind("name", NAME)
			.bind("anchor", anchor)
			.then()
			.then(institutions())
			.then(Mono.defer(() -> write(anchor, false)));
	}

	private Mono<Integer> resume(LocalDate anchor) {
		return institutions().then(Mono.defer(() -> write(anchor, true)));
	}

	/** The institutions demo mode does not know yet, with two locations each. */
	private Mono<Void> institutions() {
		return Flux.fromIterable(DemoHistoryPlan.STAFFING)
			.filter((staffing) -> staffing.coordinates() != null)
			.concatMap((staffing) -> this.directory.hasInstitution(staffing.id())
				.flatMap((present) -> present ? Mono.empty() : insertInstitution(staffing)))
			.then();
	}

	private Mono<Void> insertInstitution(Staffing staffing) {
		double[] c = staffing.coordinates();
		return this.directory
			.insertInstitution(new DemoDirectory.Institution(staffing.id(), staffing.name(), "055 000 00 09"))
			.then(this.directory.insertLocation(new Location(staffing.id() + "-noord", staffing.name() + " Noord",
					staffing.id(), staffing.id(), c[0], c[1])))
			.then(this.directory.insertLocation(new Location(staffing.id() + "-zuid", staffing.name() + " Zuid",
					staffing.id(), staffing.id(), c[2], c[3])));
	}

	private Mono<Integer> write(LocalDate anchor, boolean resuming) {
		return locations().flatMap((locations) -> {
			List<HistoryConsult> plan = DemoHistoryPlan.consults(anchor, locations);
			Mono<Void> bases = Flux.fromIterable(DemoHistoryPlan.STAFFING)
				.flatMapIterable((staffing) -> DemoHistoryPlan.consultants(staffing, locations))
				.concatMap((consultant) -> this.db
					.sql("SELECT COUNT(*) AS n FROM consultant_base WHERE user_id = :user")
					.bind("user", consultant.userId())
					.map((row) -> row.get("n", Long.class))
					.one()
					.flatMap((n) -> (n > 0) ? Mono.empty()
							: this.directory.insertBase(consultant.userId(), consultant.base(), anchor.minusYears(2))))
				.then();
			// A few dozen consults per transaction: one commit each, not one per consult.
			return bases.thenMany(Flux.fromIterable(plan).buffer(CHUNK))
				.concatMap(
						(chunk) -> this.tx.transactional(Flux.fromIterable(chunk)
							.concatMap((consult) -> resuming ? exists(consult).flatMap(
									(present) -> present ? outcome(consult) : consult(consult).then(outcome(consult)))
									: consult(consult).then(outcome(consult)))
							.then()))
				.then(this.db.sql("UPDATE demo_seed SET completed_at = :at WHERE name = :name")
					.bind("at", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
					.bind("name", NAME)
					.then())
				.thenReturn(plan.size());
		});
	}

	private Mono<Map<String, List<String>>> locations() {
		return this.db.sql("SELECT id, institution_id FROM location ORDER BY id")
			.map((row) -> Map.entry(row.get("institution_id", String.class), row.get("id", String.class)))
			.all()
			.collectList()
			.map((rows) -> {
				Map<String, List<String>> byInstitution = new LinkedHashMap<>();
				rows.forEach(
						(e) -> byInstitution.computeIfAbsent(e.getKey(), (k) -> new ArrayList<>()).add(e.getValue()));
				return byInstitution;
			});
	}

	private Mono<Boolean> exists(HistoryConsult consult) {
		return this.db.sql("SELECT COUNT(*) AS n FROM consult WHERE id = :id")
			.bind("id", consult.id())
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((n) -> n > 0);
	}

	/** The consult as it ended, its audit record, report cells and any lost time. */
	private Mono<Void> consult(HistoryConsult c) {
		String consultant = c.missed() ? null : c.consultant().userId();
		Mono<Void> work = this.audit
			.append(new AuditTrail.Entry((consultant != null) ? consultant : c.requestedBy(), null, c.institutionId(),
					c.id(), c.missed() ? AuditAction.MISSED : AuditAction.ENDED, "demo history"))
			.then(insert(c, consultant))
			.then(c.missed() ? Mono.empty() : media(c))
			.then(c.missed() ? Mono.empty() : this.ledger.recordEnd(c.id()))
			.then((c.connectedAt() == null) ? this.ledger.recordLoss(c.id(), c.endedAt()) : Mono.empty());
		return work;
	}

	/**
	 * The connection-quality rollup as the parties' media reports would have filled it;
	 * the figures are made up but steady per consult (from its id), like the rest of the
	 * plan.
	 */
	private Mono<Void> media(HistoryConsult c) {
		int spread = Math.floorMod(c.id().hashCode(), 1000);
		Long millisToMedia = (c.connectedAt() != null && c.acceptedAt() != null)
				? Duration.between(c.acceptedAt(), c.connectedAt()).toMillis() : null;
		return this.media.seeded(c.id(), millisToMedia, 25 + spread % 140, (spread % 25) / 10.0, spread % 10 == 0);
	}

	private Mono<Void> outcome(HistoryConsult c) {
		DemoHistoryPlan.Outcome outcome = c.outcome();
		if (outcome == null) {
			return Mono.empty();
		}
		CurrentUser consultant = new CurrentUser(c.consultant().userId(), "", c.consultant().discipline(),
				c.institutionId(), null, Set.of());
		return this.ledger.recordSeededOutcome(consultant, c.id(), outcome.resolution(), outcome.withoutVideo(),
				outcome.handoverMinutes());
	}

	private Mono<Void> insert(HistoryConsult c, @Nullable String consultant) {
		GenericExecuteSpec spec = this.db
			.sql("""
					INSERT INTO consult (id, kind, state, version, institution_id, location_id, client_ref, urgency,
					  requested_discipline, requested_by, requested_by_discipline, consultant_id, consultant_discipline,
					  created_at, accepted_at, connected_at, ended_at, consult_day, video_seconds, connect_millis, home_area)
					VALUES (:id, :kind, :state, 4, :institution, :location, :clientRef, 'ROUTINE', :discipline,
					  :requestedBy, :requestedByDiscipline, :consultant, :consultantDiscipline, :createdAt, :acceptedAt,
					  :connectedAt, :endedAt, :day, :video, :connectMillis, :homeArea)
					""")
			.bind("id", c.id())
			.bind("kind", c.kind().name())
			.bind("state", c.missed() ? "MISSED" : "ENDED")
			.bind("institution", c.institutionId())
			.bind("clientRef", c.clientRef())
			.bind("discipline", c.consultant().discipline().name())
			.bind("requestedBy", c.requestedBy())
			.bind("requestedByDiscipline", c.requestedByDiscipline().name())
			.bind("createdAt", time(c.createdAt()))
			.bind("endedAt", time(c.endedAt()))
			.bind("day", LocalDate.ofInstant(c.createdAt(), DemoHistoryPlan.ZONE))
			.bind("video",
					(c.connectedAt() != null) ? (int) Duration.between(c.connectedAt(), c.endedAt()).toSeconds() : 0);
		spec = bind(spec, "location", c.locationId(), String.class);
		spec = bind(spec, "homeArea", c.homeArea(), String.class);
		spec = bind(spec, "consultant", consultant, String.class);
		spec = bind(spec, "consultantDiscipline", (consultant != null) ? c.consultant().discipline().name() : null,
				String.class);
		spec = bind(spec, "acceptedAt", time(c.acceptedAt()), OffsetDateTime.class);
		spec = bind(spec, "connectedAt", time(c.connectedAt()), OffsetDateTime.class);
		spec = bind(spec, "connectMillis", (c.connectedAt() != null && c.acceptedAt() != null)
				? (int) Duration.between(c.acceptedAt(), c.connectedAt()).toMillis() : null, Integer.class);
		return spec.then();
	}

	private static <T> GenericExecuteSpec bind(GenericExecuteSpec spec, String name, @Nullable T value, Class<T> type) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, type);
	}

	private static @Nullable OffsetDateTime time(@Nullable Instant instant) {
		return (instant != null) ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : null;
	}

}
