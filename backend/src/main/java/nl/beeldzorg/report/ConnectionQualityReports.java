package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import nl.beeldzorg.media.MediaBuckets;
import nl.beeldzorg.system.DatabaseScheduler;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;

/**
 * Connection quality beside the savings, from what the media reported (API.md "Media
 * state", v1.1): of the accepted consults, how many got media connected, how long that
 * took, RTT and loss while connected, how often media went through a TURN relay, and how
 * often it came back after a drop. Pilots elsewhere showed no gain because the technology
 * failed too often; this makes it visible. Reads the {@code media_cell} rollup (medians
 * from its histograms, see {@link MediaBuckets}), never every consult.
 */
@Service
class ConnectionQualityReports {

	/** The figure columns of a row, in order. */
	static final List<String> FIGURES = List.of("accepted", "connected", "connectedShare", "medianSecondsToConnect",
			"medianRttMs", "medianLossPct", "relayShare", "reconnects", "suppressed");

	private static final List<MediaBuckets> HISTOGRAMS = List.of(MediaBuckets.TIME_TO_MEDIA, MediaBuckets.RTT,
			MediaBuckets.LOSS);

	private final DatabaseClient db;

	private final TimeSavedQueries queries;

	private final DatabaseScheduler scheduler;

	ConnectionQualityReports(DatabaseClient db, TimeSavedQueries queries, DatabaseScheduler scheduler) {
		this.db = db;
		this.queries = queries;
		this.scheduler = scheduler;
	}

	Mono<Map<String, Object>> report(ReportScope scope, LocalDate from, LocalDate to, List<GroupKey> keys) {
		StringBuilder sql = new StringBuilder("SELECT SUM(accepted) AS accepted, SUM(connected) AS connected")
			.append(", SUM(relayed) AS relayed, SUM(reconnections) AS reconnections");
		for (MediaBuckets histogram : HISTOGRAMS) {
			for (String column : histogram.columns()) {
				sql.append(", SUM(").append(column).append(") AS ").append(column);
			}
		}
		for (int i = 0; i < keys.size(); i++) {
			sql.append(", ").append(keys.get(i).cellSql).append(" AS g").append(i);
		}
		sql.append(" FROM media_cell WHERE consult_day BETWEEN :from AND :to");
		if (scope.institutionId() != null) {
			sql.append(" AND institution_id = :institution");
		}
		if (!keys.isEmpty()) {
			sql.append(" GROUP BY ").append(keys.stream().map((k) -> k.cellSql).collect(Collectors.joining(", ")));
		}
		Mono<List<Figures>> figures = TimeSavedQueries.bind(this.db.sql(sql.toString()), from, to, scope)
			.map((row) -> figures(row, keys))
			.all()
			.collectList();
		Mono<Map<List<Object>, Long>> consultants = scope.programme() ? this.queries.consultants(keys, from, to, scope)
				: Mono.just(Map.of());
		return this.scheduler.run(Mono.zip(figures, consultants).map((t) -> {
			Map<List<Object>, Map<String, Object>> rows = new TreeMap<>(TimeSavedReports::compareKeys);
			for (Figures f : t.getT1()) {
				if (f.accepted() == 0 && f.connected() == 0) {
					continue;
				}
				boolean suppressed = scope.programme()
						&& t.getT2().getOrDefault(f.keys(), 0L) < ReportScope.MIN_CONSULTANTS;
				rows.put(f.keys(), row(f, keys, suppressed));
			}
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("from", from.toString());
			report.put("to", to.toString());
			report.put("groupBy", keys.stream().map((k) -> k.name().toLowerCase(java.util.Locale.ROOT)).toList());
			report.put("rows", new ArrayList<>(rows.values()));
			return report;
		}));
	}

	private static Map<String, Object> row(Figures f, List<GroupKey> keys, boolean suppressed) {
		Map<String, Object> out = new LinkedHashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			out.put(keys.get(i).field, f.keys().get(i));
		}
		out.put("accepted", suppressed ? null : f.accepted());
		out.put("connected", suppressed ? null : f.connected());
		out.put("connectedShare", (suppressed || f.accepted() == 0) ? null
				: TimeSavedReports.round((double) f.connected() / f.accepted(), 3));
		Double ttm = MediaBuckets.TIME_TO_MEDIA.median(f.histograms().get(0));
		out.put("medianSecondsToConnect", (suppressed || ttm == null) ? null : TimeSavedReports.round(ttm / 1000, 1));
		Double rtt = MediaBuckets.RTT.median(f.histograms().get(1));
		out.put("medianRttMs", (suppressed || rtt == null) ? null : TimeSavedReports.round(rtt, 0));
		Double loss = MediaBuckets.LOSS.median(f.histograms().get(2));
		out.put("medianLossPct", (suppressed || loss == null) ? null : TimeSavedReports.round(loss, 2));
		out.put("relayShare", (suppressed || f.connected() == 0) ? null
				: TimeSavedReports.round((double) f.relayed() / f.connected(), 3));
		out.put("reconnects", suppressed ? null : f.reconnections());
		out.put("suppressed", suppressed);
		return out;
	}

	private static Figures figures(Readable row, List<GroupKey> keys) {
		List<long[]> histograms = new ArrayList<>(HISTOGRAMS.size());
		for (MediaBuckets histogram : HISTOGRAMS) {
			List<String> columns = histogram.columns();
			long[] counts = new long[columns.size()];
			for (int i = 0; i < counts.length; i++) {
				counts[i] = TimeSavedQueries.number(row, columns.get(i));
			}
			histograms.add(counts);
		}
		return new Figures(TimeSavedQueries.keyValues(row, keys), TimeSavedQueries.number(row, "accepted"),
				TimeSavedQueries.number(row, "connected"), TimeSavedQueries.number(row, "relayed"),
				TimeSavedQueries.number(row, "reconnections"), histograms);
	}

	private record Figures(List<Object> keys, long accepted, long connected, long relayed, long reconnections,
			List<long[]> histograms) {
	}

}
