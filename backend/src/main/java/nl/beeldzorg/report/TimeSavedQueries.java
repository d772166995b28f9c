package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.r2dbc.spi.Readable;
import nl.beeldzorg.ledger.ValuationRule;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;

/**
 * The SQL aggregates behind the time-saved report, over the report cells (the ledger and
 * the ended consults summed per day, institution, discipline, kind and consultant):
 * figures per base cell (institution, discipline, kind, month), and each base cell's
 * distinct consultants for suppression. Groupings are summed from the base cells in Java.
 */
@Component
class TimeSavedQueries {

	private final DatabaseClient db;

	TimeSavedQueries(DatabaseClient db) {
		this.db = db;
	}

	/** A month as {@code yyyymm}, from {@code consult_day}. */
	static final String MONTH_SQL = GroupKey.MONTH.cellSql;

	/**
	 * The report cells summed per base cell (institution, discipline, kind, month):
	 * consults, video, minutes by kind, outcomes. Every grouping is summed from these.
	 */
	Flux<Cell> cells(LocalDate from, LocalDate to, ReportScope scope) {
		String sql = "SELECT institution_id, discipline, consult_kind, " + MONTH_SQL + " AS m"
				+ ", SUM(consults) AS consults, SUM(video_seconds) AS video_seconds, SUM(travel) AS travel"
				+ ", SUM(handover) AS handover, SUM(lost) AS lost, SUM(outcomes) AS outcomes FROM report_cell"
				+ " WHERE consult_day BETWEEN :from AND :to" + scopeClause(scope)
				+ " GROUP BY institution_id, discipline, consult_kind, " + MONTH_SQL;
		return bind(this.db.sql(sql), from, to, scope).map((row) -> {
			Cell cell = new Cell(base(row));
			cell.consults = number(row, "consults");
			cell.videoSeconds = number(row, "video_seconds");
			cell.travel = number(row, "travel");
			cell.handover = number(row, "handover");
			cell.lost = number(row, "lost");
			cell.outcomes = number(row, "outcomes");
			return cell;
		}).all();
	}

	/**
	 * The distinct consultants of each base cell: what suppression rests on. Distinct
	 * (base cell, consultant) pairs, hashed by the database; a programme year of
	 * 1,000,000 consults has some tens of thousands.
	 */
	Mono<Map<BaseCell, Set<String>>> consultants(LocalDate from, LocalDate to, ReportScope scope) {
		String sql = "SELECT institution_id, discipline, consult_kind, " + MONTH_SQL + " AS m, consultant_key"
				+ " FROM report_cell WHERE consults > 0 AND consultant_key <> '' AND consult_day BETWEEN :from AND :to"
				+ scopeClause(scope) + " GROUP BY institution_id, discipline, consult_kind, " + MONTH_SQL
				+ ", consultant_key";
		return bind(this.db.sql(sql), from, to, scope)
			.map((row) -> Map.entry(base(row),
					java.util.Objects.requireNonNull(row.get("consultant_key", String.class))))
			.all()
			.collect(HashMap::new,
					(map, pair) -> map.computeIfAbsent(pair.getKey(), (k) -> new HashSet<>()).add(pair.getValue()));
	}

	/** A row's base cell from its {@code institution_id, discipline, consult_kind, m}. */
	static BaseCell base(Readable row) {
		return new BaseCell(java.util.Objects.requireNonNull(row.get("institution_id", String.class)),
				java.util.Objects.requireNonNull(row.get("discipline", String.class)),
				java.util.Objects.requireNonNull(row.get("consult_kind", String.class)), (int) number(row, "m"));
	}

	/**
	 * Each institution's valuation rule in force on a day; the default where none is set.
	 */
	Mono<Map<String, ValuationRule>> rulesOn(LocalDate day) {
		return this.db.sql("SELECT * FROM valuation_rule WHERE valid_from <= :day ORDER BY institution_id, valid_from")
			.bind("day", day)
			.map(TimeSavedQueries::rule)
			.all()
			.collectList()
			.map((rules) -> {
				Map<String, ValuationRule> latest = new HashMap<>();
				rules.forEach((rule) -> latest.put(rule.institutionId(), rule));
				return latest;
			});
	}

	Mono<Map<String, String>> institutionNames() {
		return this.db.sql("SELECT id, name FROM institution")
			.map((row) -> Map.entry(row.get("id", String.class), row.get("name", String.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	private static ValuationRule rule(Readable row) {
		return new ValuationRule(row.get("id", java.util.UUID.class), row.get("institution_id", String.class),
				row.get("valid_from", LocalDate.class), row.get("version", Integer.class),
				row.get("hours_per_fte_per_year", Integer.class), row.get("handover_bedside", Integer.class),
				row.get("handover_anw", Integer.class), row.get("handover_imoz", Integer.class),
				row.get("handover_expert", Integer.class), row.get("handover_cap", Integer.class));
	}

	private static String scopeClause(ReportScope scope) {
		return (scope.institutionId() != null) ? " AND institution_id = :institution" : "";
	}

	static GenericExecuteSpec bind(GenericExecuteSpec spec, LocalDate from, LocalDate to, ReportScope scope) {
		spec = spec.bind("from", from).bind("to", to);
		return (scope.institutionId() != null) ? spec.bind("institution", scope.institutionId()) : spec;
	}

	static long number(Readable row, String column) {
		Object value = row.get(column);
		return (value instanceof Number number) ? number.longValue() : 0L;
	}

	/** Figures of one base cell. */
	static final class Cell {

		final BaseCell base;

		long consults;

		long videoSeconds;

		long travel;

		long handover;

		long lost;

		long outcomes;

		Cell(BaseCell base) {
			this.base = base;
		}

	}

}
