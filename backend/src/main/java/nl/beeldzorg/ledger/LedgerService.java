package nl.beeldzorg.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import nl.beeldzorg.audit.AuditAction;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.consult.ConsultKind;
import nl.beeldzorg.consult.ConsultState;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Records outcomes and writes the ledger: savings once a consultant records the outcome,
 * corrections as reversals plus new entries, and lost time when a consult fails.
 */
@Service
public class LedgerService {

	/**
	 * How long after the end of a consult its consultant may still correct the outcome.
	 */
	static final Duration CORRECTION_WINDOW = Duration.ofDays(7);

	/** Periods (days, months, quarters) are Dutch calendar periods. */
	static final ZoneId PERIOD_ZONE = ZoneId.of("Europe/Amsterdam");

	private final DatabaseClient db;

	private final LedgerRepository ledger;

	private final TravelTimes travelTimes;

	private final ReportCells cells;

	private final AuditTrail audit;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final nl.beeldzorg.audit.AccessLog access;

	LedgerService(DatabaseClient db, LedgerRepository ledger, TravelTimes travelTimes, ReportCells cells,
			AuditTrail audit, TransactionalOperator tx, DatabaseScheduler scheduler, Clock clock,
			nl.beeldzorg.audit.AccessLog access) {
		this.access = access;
		this.cells = cells;
		this.db = db;
		this.ledger = ledger;
		this.travelTimes = travelTimes;
		this.audit = audit;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	/**
	 * Records (or corrects) a consult's outcome and values it. Posting the same outcome
	 * again changes nothing and returns the same entries.
	 * @param user the consultant
	 * @param consultId the consult
	 * @param request the outcome
	 * @return the consult's ledger
	 */
	Mono<TimeSaved> recordOutcome(CurrentUser user, UUID consultId, OutcomeRequest request) {
		Valuation.Outcome outcome = request.toOutcome();
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		Mono<TimeSaved> work = facts(consultId, true).flatMap((facts) -> {
			if (!user.userId().equals(facts.consultantId())) {
				return facts.visibleTo(user)
						? Mono.error(new ApiException(ErrorCode.OUTCOME_NOT_THE_CONSULTANT,
								"Only the consultant who took this consult records its outcome"))
						: Mono.error(notFound(consultId));
			}
			if (facts.state() != ConsultState.ENDED) {
				return Mono.error(new ApiException(ErrorCode.CONSULT_INVALID_STATE,
						"The outcome is recorded after the consult has ended; it is " + facts.state()));
			}
			return this.ledger.latestOutcome(consultId)
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((latest) -> {
					if (latest.isPresent() && latest.get().outcome().equals(outcome)) {
						return Mono.empty();
					}
					if (latest.isPresent() && facts.endedAt() != null
							&& now.isAfter(facts.endedAt().plus(CORRECTION_WINDOW))) {
						return Mono.error(new ApiException(ErrorCode.OUTCOME_CORRECTION_CLOSED,
								"Outcomes can be corrected up to 7 days after the consult ended"));
					}
					int version = latest.map((stored) -> stored.version() + 1).orElse(1);
					return write(user, facts, outcome, version, now);
				})
				.then(timeSaved(consultId));
		});
		return this.scheduler.run(this.tx.transactional(work));
	}

	/**
	 * Records the outcome of a consult of the demo's seeded history, exactly as its
	 * consultant would have: the same valuation, ledger entries and report cells.
	 * @param consultant the consult's consultant
	 * @param consultId an ended consult
	 * @param resolution how it was resolved
	 * @param withoutVideo what would have happened without video
	 * @param handoverMinutes the consultant's own handover estimate, if any
	 * @return completion
	 */
	public Mono<Void> recordSeededOutcome(CurrentUser consultant, UUID consultId, Resolution resolution,
			WithoutVideo withoutVideo, @Nullable Integer handoverMinutes) {
		return recordOutcome(consultant, consultId, new OutcomeRequest(resolution, withoutVideo, handoverMinutes))
			.then();
	}

	/**
	 * The ledger of one consult, for its parties and the institution's administrators.
	 * @param user the caller
	 * @param consultId the consult
	 * @return its entries and totals
	 */
	Mono<TimeSaved> timeSaved(CurrentUser user, UUID consultId) {
		return this.scheduler
			.run(facts(consultId, false).filter((facts) -> facts.isParty(user.userId())
					|| (user.hasRole(CurrentUser.ADMIN) && Objects.equals(user.institutionId(), facts.institutionId())))
				.switchIfEmpty(Mono.error(() -> notFound(consultId))))
			.flatMap((facts) -> this.access.read(user, facts.institutionId(), consultId, "consult.time-saved"))
			.then(this.scheduler.run(timeSaved(consultId)));
	}

	/**
	 * Records the time a failed consult cost its requester. Joins the caller's
	 * transaction (the state change that made it fail).
	 * @param consultId a consult that was missed, cancelled, or ended without connecting
	 * @param until when the requester stopped waiting
	 * @return completion
	 */
	public Mono<Void> recordLoss(UUID consultId, Instant until) {
		// A huisarts's IMOZ consult nobody accepted belongs to no institution yet: no
		// institution's ledger carries its waiting time.
		return institutionFacts(consultId)
			.flatMap((facts) -> this.ledger.hasLoss(consultId)
				.flatMap((present) -> present ? Mono.empty() : this.ledger.ruleOn(facts.institutionId(), facts.day())
					.flatMapMany((rule) -> Flux.fromIterable(Valuation.lost(facts.valuationFacts(), rule, until))
						.concatMap((valued) -> this.ledger.insert(entry(facts, 0, valued, rule, until))))
					.then()));
	}

	/**
	 * Counts an ended consult and its video time in the report cells. Joins the caller's
	 * transaction, after its audit record.
	 * @param consultId a consult that just ended
	 * @return completion
	 */
	public Mono<Void> recordEnd(UUID consultId) {
		return facts(consultId, false).flatMap(
				(facts) -> this.cells.add(
						new ReportCells.Cell(facts.day(), facts.institutionId(), facts.discipline(),
								facts.kind().name(), facts.consultantId()),
						new ReportCells.Delta(1, facts.videoSeconds(), 0, 0, 0)));
	}

	private Mono<Void> write(CurrentUser user, ConsultFacts facts, Valuation.Outcome outcome, int version,
			Instant now) {
		// A correction first cancels what the previous version saved, then adds its own.
		Flux<LedgerEntry> reversals = (version > 1)
				? this.ledger.savingsOf(facts.id(), version - 1).map((e) -> e.reversal(now, version)) : Flux.empty();
		// The audit record first (it takes the end of the consult's audit chain, after
		// the consult row), then the ledger entries and their report cells.
		return this.audit
			.append(new AuditTrail.Entry(user.userId(), null, facts.institutionId(), facts.id(),
					(version == 1) ? AuditAction.OUTCOME_RECORDED : AuditAction.OUTCOME_CORRECTED,
					"v" + version + " " + outcome.resolution() + "/" + outcome.withoutVideo()))
			.then(this.ledger.insertOutcome(facts.id(), version, outcome, user.userId(), now))
			.then((version == 1) ? this.cells.addOutcome(new ReportCells.Cell(facts.day(), facts.institutionId(),
					facts.discipline(), facts.kind().name(), facts.consultantId())) : Mono.empty())
			.thenMany(reversals.concatMap(this.ledger::insert))
			.then(this.ledger.ruleOn(facts.institutionId(), facts.day()))
			.flatMapMany((rule) -> savings(facts, outcome, rule).flatMapMany(Flux::fromIterable)
				.concatMap((valued) -> this.ledger.insert(entry(facts, version, valued, rule, now))))
			.then();
	}

	private Mono<List<Valuation.Valued>> savings(ConsultFacts facts, Valuation.Outcome outcome, ValuationRule rule) {
		if (facts.connectedAt() == null) {
			// It never connected: it saved nothing (its lost time was recorded at the
			// end).
			return Mono.just(List.of());
		}
		// A care location is the destination; for a patient at home (IMOZ) their postcode
		// area.
		Mono<Valuation.Travel> oneWay = (facts.consultantId() == null) ? Mono.empty()
				: (facts.locationId() != null)
						? this.travelTimes.oneWay(facts.consultantId(), facts.locationId(), facts.day())
						: (facts.homeArea() != null)
								? this.travelTimes.toHomeArea(facts.consultantId(), facts.homeArea(), facts.day())
								: Mono.empty();
		Mono<Optional<Valuation.Travel>> travel = oneWay.map(Optional::of).defaultIfEmpty(Optional.empty());
		return travel.map((t) -> Valuation.saved(facts.valuationFacts(), outcome, rule, t.orElse(null)));
	}

	private Mono<TimeSaved> timeSaved(UUID consultId) {
		return this.ledger.latestOutcome(consultId)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.zipWith(this.ledger.entries(consultId).collectList())
			.map((t) -> TimeSaved.of(consultId, t.getT1().orElse(null), t.getT2()));
	}

	private static LedgerEntry entry(ConsultFacts facts, int version, Valuation.Valued valued, ValuationRule rule,
			Instant at) {
		return new LedgerEntry(UUID.randomUUID(), facts.id(), version, valued.kind(), valued.minutes(),
				facts.institutionId(), facts.day(), facts.kind().name(), facts.discipline(), facts.consultantId(),
				rule.id(), rule.version(), valued.travelTimeId(), valued.estimated(), valued.basis(), null, at);
	}

	private Mono<ConsultFacts> facts(UUID consultId, boolean lock) {
		return institutionFacts(consultId, lock).switchIfEmpty(Mono.error(() -> notFound(consultId)));
	}

	private Mono<ConsultFacts> institutionFacts(UUID consultId) {
		return institutionFacts(consultId, false);
	}

	private Mono<ConsultFacts> institutionFacts(UUID consultId, boolean lock) {
		return this.db.sql("SELECT id, kind, state, institution_id, location_id, requested_by, requested_discipline,"
				+ " consultant_id, consultant_discipline, created_at, connected_at, ended_at, video_seconds, home_area"
				+ " FROM consult" + " WHERE id = :id" + (lock ? " FOR UPDATE" : ""))
			.bind("id", consultId)
			.map(LedgerService::readFacts)
			.one()
			.filter((facts) -> facts.institutionId() != null);
	}

	private static ConsultFacts readFacts(Readable row) {
		String consultantDiscipline = row.get("consultant_discipline", String.class);
		return new ConsultFacts(row.get("id", UUID.class), ConsultKind.valueOf(row.get("kind", String.class)),
				ConsultState.valueOf(row.get("state", String.class)), row.get("institution_id", String.class),
				row.get("location_id", String.class), row.get("requested_by", String.class),
				(consultantDiscipline != null) ? consultantDiscipline : row.get("requested_discipline", String.class),
				row.get("consultant_id", String.class), instant(row, "created_at"), instant(row, "connected_at"),
				instant(row, "ended_at"), number(row.get("video_seconds")), row.get("home_area", String.class));
	}

	private static long number(@Nullable Object value) {
		return (value instanceof Number n) ? n.longValue() : 0L;
	}

	private static @Nullable Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static ApiException notFound(UUID consultId) {
		return new ApiException(ErrorCode.CONSULT_NOT_FOUND, "No consult " + consultId + " that you can see");
	}

	/** What the ledger reads of a consult. */
	record ConsultFacts(UUID id, ConsultKind kind, ConsultState state, String institutionId,
			@Nullable String locationId, String requestedBy, String discipline, @Nullable String consultantId,
			Instant createdAt, @Nullable Instant connectedAt, @Nullable Instant endedAt, long videoSeconds,
			@Nullable String homeArea) {

		LocalDate day() {
			return LocalDate.ofInstant(this.createdAt, PERIOD_ZONE);
		}

		boolean isParty(String userId) {
			return this.requestedBy.equals(userId) || userId.equals(this.consultantId);
		}

		boolean visibleTo(CurrentUser user) {
			return isParty(user.userId()) || Objects.equals(user.institutionId(), this.institutionId);
		}

		Valuation.Facts valuationFacts() {
			return new Valuation.Facts(this.kind, this.state, this.createdAt);
		}

	}

}
