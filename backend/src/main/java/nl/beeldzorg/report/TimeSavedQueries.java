package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
 * figures, and distinct consultants for suppression. Always grouped by institution too,
 * because FTE depends on the institution's hours per FTE.
 */
@Component
class TimeSavedQueries {

	private final DatabaseClient db;

	TimeSavedQueries(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * The report cells summed per institution and keys: consults, video, minutes by kind.
	 */
	Flux<Cell> cells(List<GroupKey> keys, LocalDate from, LocalDate to, ReportScope scope) {
		String sql = "SELECT institution_id AS g_institution" + keyColumns(keys)
				+ ", SUM(consults) AS consults, SUM(video_seconds) AS video_seconds, SUM(travel) AS travel"
				+ ", SUM(handover) AS handover, SUM(lost) AS lost, SUM(outcomes) AS outcomes FROM report_cell"
				+ " WHERE consult_day BETWEEN :from AND :to" + scopeClause(scope) + " GROUP BY institution_id"
				+ groupColumns(keys);
		return bind(this.db.sql(sql), from, to, scope).map((row) -> {
			Cell cell = new Cell(row.get("g_institution", String.class), keyValues(row, keys));
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
	 * Distinct consultants per keys (not per institution): the suppression test. Distinct
	 * (keys, consultant) pairs first, then a count per keys: hashing the few pairs, where
	 * {@code COUNT(DISTINCT …)} sorted every cell of the period (at a programme year of
	 * 1,000,000 consults ~140,000 rows, spilled to disk: 400 ms of a 450 ms report).
	 */
	Mono<Map<List<Object>, Long>> consultants(List<GroupKey> keys, LocalDate from, LocalDate to, ReportScope scope) {
		String pairs = "SELECT consultant_key" + keyColumns(keys) + " FROM report_cell"
				+ " WHERE consults > 0 AND consultant_key <> '' AND consult_day BETWEEN :from AND :to"
				+ scopeClause(scope) + " GROUP BY consultant_key" + groupColumns(keys);
		String aliases = IntStream.range(0, keys.size()).mapToObj((i) -> "g" + i).collect(Collectors.joining(", "));
		String sql = "SELECT COUNT(*) AS n" + (aliases.isEmpty() ? "" : ", " + aliases) + " FROM (" + pairs + ") pairs"
				+ (aliases.isEmpty() ? "" : " GROUP BY " + aliases);
		return bind(this.db.sql(sql), from, to, scope).map((row) -> Map.entry(keyValues(row, keys), number(row, "n")))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
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

	private static String keyColumns(List<GroupKey> keys) {
		StringBuilder sql = new StringBuilder();
		for (int i = 0; i < keys.size(); i++) {
			GroupKey key = keys.get(i);
			sql.append(", ").append(key.cellSql).append(" AS g").append(i);
		}
		return sql.toString();
	}

	private static String groupColumns(List<GroupKey> keys) {
		return keys.stream().map((key) -> ", " + key.cellSql).collect(Collectors.joining());
	}

	private static String scopeClause(ReportScope scope) {
		return (scope.institutionId() != null) ? " AND institution_id = :institution" : "";
	}

	static GenericExecuteSpec bind(GenericExecuteSpec spec, LocalDate from, LocalDate to, ReportScope scope) {
		spec = spec.bind("from", from).bind("to", to);
		return (scope.institutionId() != null) ? spec.bind("institution", scope.institutionId()) : spec;
	}

	static List<Object> keyValues(Readable row, List<GroupKey> keys) {
		List<Object> values = new ArrayList<>(keys.size());
		for (int i = 0; i < keys.size(); i++) {
			Object value = row.get("g" + i);
			values.add((value != null) ? keys.get(i).render(value) : "");
		}
		return values;
	}

	static long number(Readable row, String column) {
		Object value = row.get(column);
		return (value instanceof Number number) ? number.longValue() : 0L;
	}

	/** Figures of one institution within one group. */
	static final class Cell {

		final String institutionId;

		final List<Object> keys;

		long consults;

		long videoSeconds;

		long travel;

		long handover;

		long lost;

		long outcomes;

		Cell(String institutionId, List<Object> keys) {
			this.institutionId = institutionId;
			this.keys = keys;
		}

	}

}
