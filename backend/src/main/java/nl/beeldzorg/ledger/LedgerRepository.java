package nl.beeldzorg.ledger;

import java.time.LocalDate;
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
 * Outcomes, valuation rules and ledger entries. The ledger is only ever inserted into.
 */
@Repository
class LedgerRepository {

	private final DatabaseClient db;

	private final ReportCells cells;

	LedgerRepository(DatabaseClient db, ReportCells cells) {
		this.db = db;
		this.cells = cells;
	}

	Mono<Void> insert(LedgerEntry e) {
		GenericExecuteSpec spec = this.db.sql("""
				INSERT INTO ledger_entry (id, consult_id, outcome_version, entry_kind, minutes, institution_id,
				  consult_day, consult_kind, discipline, consultant_id, rule_id, rule_version, travel_time_id,
				  estimated, basis, supersedes, recorded_at)
				VALUES (:id, :consult, :version, :kind, :minutes, :institution, :day, :consultKind, :discipline,
				  :consultant, :rule, :ruleVersion, :travel, :estimated, :basis, :supersedes, :at)
				""")
			.bind("id", e.id())
			.bind("consult", e.consultId())
			.bind("version", e.outcomeVersion())
			.bind("kind", e.kind().name())
			.bind("minutes", e.minutes())
			.bind("institution", e.institutionId())
			.bind("day", e.consultDay())
			.bind("consultKind", e.consultKind())
			.bind("discipline", e.discipline())
			.bind("ruleVersion", e.ruleVersion())
			.bind("estimated", e.estimated())
			.bind("basis", e.basis())
			.bind("at", OffsetDateTime.ofInstant(e.recordedAt(), ZoneOffset.UTC));
		spec = bind(spec, "consultant", e.consultantId(), String.class);
		spec = bind(spec, "rule", e.ruleId(), UUID.class);
		spec = bind(spec, "travel", e.travelTimeId(), UUID.class);
		spec = bind(spec, "supersedes", e.supersedes(), UUID.class);
		return spec.then()
			.then(this.cells.add(new ReportCells.Cell(e.consultDay(), e.institutionId(), e.discipline(),
					e.consultKind(), e.consultantId()), ReportCells.Delta.of(e)));
	}

	Flux<LedgerEntry> entries(UUID consultId) {
		return this.db
			.sql("SELECT * FROM ledger_entry WHERE consult_id = :id ORDER BY recorded_at, outcome_version, id")
			.bind("id", consultId)
			.map(LedgerRepository::read)
			.all();
	}

	/** The entries of one outcome version that later versions must reverse. */
	Flux<LedgerEntry> savingsOf(UUID consultId, int version) {
		return this.db
			.sql("SELECT * FROM ledger_entry WHERE consult_id = :id AND outcome_version = :version"
					+ " AND supersedes IS NULL AND entry_kind <> 'LOST'")
			.bind("id", consultId)
			.bind("version", version)
			.map(LedgerRepository::read)
			.all();
	}

	Mono<Boolean> hasLoss(UUID consultId) {
		return this.db.sql("SELECT COUNT(*) AS n FROM ledger_entry WHERE consult_id = :id AND entry_kind = 'LOST'")
			.bind("id", consultId)
			.map((row) -> row.get("n", Long.class))
			.one()
			.map((n) -> n > 0);
	}

	Mono<StoredOutcome> latestOutcome(UUID consultId) {
		return this.db.sql("SELECT * FROM consult_outcome WHERE consult_id = :id ORDER BY version DESC LIMIT 1")
			.bind("id", consultId)
			.map((row) -> new StoredOutcome(row.get("version", Integer.class),
					new Valuation.Outcome(Resolution.valueOf(row.get("resolution", String.class)),
							WithoutVideo.valueOf(row.get("without_video", String.class)),
							row.get("handover_minutes", Integer.class)),
					row.get("recorded_at", OffsetDateTime.class).toInstant()))
			.one();
	}

	Mono<java.time.Instant> firstOutcomeAt(UUID consultId) {
		return this.db.sql("SELECT recorded_at FROM consult_outcome WHERE consult_id = :id AND version = 1")
			.bind("id", consultId)
			.map((row) -> row.get("recorded_at", OffsetDateTime.class).toInstant())
			.one();
	}

	Mono<Void> insertOutcome(UUID consultId, int version, Valuation.Outcome outcome, String recordedBy,
			java.time.Instant at) {
		return bind(
				this.db.sql("""
						INSERT INTO consult_outcome (consult_id, version, resolution, without_video, handover_minutes,
						  recorded_by, recorded_at)
						VALUES (:consult, :version, :resolution, :withoutVideo, :handover, :by, :at)
						""")
					.bind("consult", consultId)
					.bind("version", version)
					.bind("resolution", outcome.resolution().name())
					.bind("withoutVideo", outcome.withoutVideo().name())
					.bind("by", recordedBy)
					.bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC)),
				"handover", outcome.handoverMinutes(), Integer.class)
			.then();
	}

	/** The rule of an institution that applied on a day, or the built-in default. */
	Mono<ValuationRule> ruleOn(String institutionId, LocalDate day) {
		return this.db
			.sql("SELECT * FROM valuation_rule WHERE institution_id = :institution AND valid_from <= :day"
					+ " ORDER BY valid_from DESC LIMIT 1")
			.bind("institution", institutionId)
			.bind("day", day)
			.map(LedgerRepository::rule)
			.one()
			.defaultIfEmpty(ValuationRule.defaults(institutionId));
	}

	static ValuationRule rule(Readable row) {
		return new ValuationRule(row.get("id", UUID.class), row.get("institution_id", String.class),
				row.get("valid_from", LocalDate.class), row.get("version", Integer.class),
				row.get("hours_per_fte_per_year", Integer.class), row.get("handover_bedside", Integer.class),
				row.get("handover_anw", Integer.class), row.get("handover_imoz", Integer.class),
				row.get("handover_expert", Integer.class), row.get("handover_cap", Integer.class));
	}

	private static LedgerEntry read(Readable row) {
		return new LedgerEntry(row.get("id", UUID.class), row.get("consult_id", UUID.class),
				row.get("outcome_version", Integer.class), EntryKind.valueOf(row.get("entry_kind", String.class)),
				row.get("minutes", Integer.class), row.get("institution_id", String.class),
				row.get("consult_day", LocalDate.class), row.get("consult_kind", String.class),
				row.get("discipline", String.class), row.get("consultant_id", String.class),
				row.get("rule_id", UUID.class), row.get("rule_version", Integer.class),
				row.get("travel_time_id", UUID.class), Boolean.TRUE.equals(row.get("estimated", Boolean.class)),
				row.get("basis", String.class), row.get("supersedes", UUID.class),
				row.get("recorded_at", OffsetDateTime.class).toInstant());
	}

	private static <T> GenericExecuteSpec bind(GenericExecuteSpec spec, String name, @Nullable T value, Class<T> type) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, type);
	}

	/**
	 * @param version its version
	 * @param outcome what was recorded
	 * @param recordedAt when
	 */
	record StoredOutcome(int version, Valuation.Outcome outcome, java.time.Instant recordedAt) {
	}

}
