package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;

/**
 * Connection quality beside the savings: of the accepted consults, how many got media
 * connected, how long that took (median), and how often a party had to rejoin. Pilots
 * elsewhere showed no gain because the technology failed too often; this makes it
 * visible.
 */
@Service
class ConnectionQualityReports {

	/** The figure columns of a row, in order. */
	static final List<String> FIGURES = List.of("accepted", "connected", "connectedShare", "medianSecondsToConnect",
			"reconnects", "suppressed");

	private final DatabaseClient db;

	private final TimeSavedQueries queries;

	private final DatabaseScheduler scheduler;

	ConnectionQualityReports(DatabaseClient db, TimeSavedQueries queries, DatabaseScheduler scheduler) {
		this.db = db;
		this.queries = queries;
		this.scheduler = scheduler;
	}

	Mono<Map<String, Object>> report(ReportScope scope, LocalDate from, LocalDate to, List<GroupKey> keys) {
		String keySelect = select(keys, "c.");
		String group = group(keys, "c.");
		String scopeClause = (scope.institutionId() != null) ? " AND c.institution_id = :institution" : "";
		String figuresSql = "SELECT COUNT(*) AS accepted" + keySelect
				+ ", SUM(CASE WHEN c.connected_at IS NOT NULL THEN 1 ELSE 0 END) AS connected"
				+ ", PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY c.connect_millis) AS median_millis"
				+ " FROM consult c WHERE c.accepted_at IS NOT NULL AND c.consult_day BETWEEN :from AND :to"
				+ scopeClause + group;
		String rejoins = "SELECT SUM(p.joins - 1) AS reconnects" + keySelect
				+ " FROM consult c JOIN consult_participant p ON p.consult_id = c.id"
				+ " WHERE c.consult_day BETWEEN :from AND :to" + scopeClause + group;
		Mono<List<Figures>> main = rows(figuresSql, keys, from, to, scope);
		Mono<Map<List<Object>, Long>> reconnects = TimeSavedQueries.bind(this.db.sql(rejoins), from, to, scope)
			.map((row) -> Map.entry(TimeSavedQueries.keyValues(row, keys), TimeSavedQueries.number(row, "reconnects")))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
		Mono<Map<List<Object>, Long>> consultants = scope.programme() ? this.queries.consultants(keys, from, to, scope)
				: Mono.just(Map.of());
		return this.scheduler.run(Mono.zip(main, reconnects, consultants).map((t) -> {
			Map<List<Object>, Map<String, Object>> rows = new TreeMap<>(TimeSavedReports::compareKeys);
			for (Figures figures : t.getT1()) {
				long accepted = figures.accepted();
				long connected = figures.connected();
				Double median = figures.medianMillis();
				boolean suppressed = scope.programme()
						&& t.getT3().getOrDefault(figures.keys(), 0L) < ReportScope.MIN_CONSULTANTS;
				Map<String, Object> out = new LinkedHashMap<>();
				for (int i = 0; i < keys.size(); i++) {
					out.put(keys.get(i).field, figures.keys().get(i));
				}
				out.put("accepted", suppressed ? null : accepted);
				out.put("connected", suppressed ? null : connected);
				out.put("connectedShare", (suppressed || accepted == 0) ? null
						: TimeSavedReports.round((double) connected / accepted, 3));
				out.put("medianSecondsToConnect",
						(suppressed || median == null) ? null : TimeSavedReports.round(median / 1000, 1));
				out.put("reconnects", suppressed ? null : t.getT2().getOrDefault(figures.keys(), 0L));
				out.put("suppressed", suppressed);
				rows.put(figures.keys(), out);
			}
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("from", from.toString());
			report.put("to", to.toString());
			report.put("groupBy", keys.stream().map((k) -> k.name().toLowerCase(java.util.Locale.ROOT)).toList());
			report.put("rows", new ArrayList<>(rows.values()));
			return report;
		}));
	}

	private Mono<List<Figures>> rows(String sql, List<GroupKey> keys, LocalDate from, LocalDate to, ReportScope scope) {
		return TimeSavedQueries.bind(this.db.sql(sql), from, to, scope).map((row) -> {
			Object median = row.get("median_millis");
			return new Figures(TimeSavedQueries.keyValues(row, keys), TimeSavedQueries.number(row, "accepted"),
					TimeSavedQueries.number(row, "connected"),
					(median instanceof Number number) ? number.doubleValue() : null);
		}).all().collectList();
	}

	private record Figures(List<Object> keys, long accepted, long connected, @Nullable Double medianMillis) {
	}

	private static String select(List<GroupKey> keys, String alias) {
		StringBuilder sql = new StringBuilder();
		for (int i = 0; i < keys.size(); i++) {
			sql.append(", ").append(qualified(keys.get(i), alias)).append(" AS g").append(i);
		}
		return sql.toString();
	}

	private static String group(List<GroupKey> keys, String alias) {
		if (keys.isEmpty()) {
			return "";
		}
		List<String> parts = keys.stream().map((key) -> qualified(key, alias)).toList();
		return " GROUP BY " + String.join(", ", parts);
	}

	private static String qualified(GroupKey key, String alias) {
		return key.consultSql.replace("consult_day", alias + "consult_day")
			.replace("institution_id", alias + "institution_id")
			.replace("consultant_discipline", alias + "consultant_discipline")
			.replace("requested_discipline", alias + "requested_discipline")
			.replaceAll("^kind$", alias + "kind");
	}

}
