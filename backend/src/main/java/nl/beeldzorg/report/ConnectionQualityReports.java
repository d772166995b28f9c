package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
		LocalDate first = scope.programme() ? TimeSavedReports.wholeQuartersFrom(from) : from;
		LocalDate last = scope.programme() ? TimeSavedReports.wholeQuartersTo(to) : to;
		StringBuilder sql = new StringBuilder("SELECT institution_id, discipline, consult_kind, ")
			.append(TimeSavedQueries.MONTH_SQL)
			.append(" AS m, SUM(accepted) AS accepted, SUM(connected) AS connected")
			.append(", SUM(relayed) AS relayed, SUM(reconnections) AS reconnections");
		for (MediaBuckets histogram : HISTOGRAMS) {
			for (String column : histogram.columns()) {
				sql.append(", SUM(").append(column).append(") AS ").append(column);
			}
		}
		sql.append(" FROM media_cell WHERE consult_day BETWEEN :from AND :to");
		if (scope.institutionId() != null) {
			sql.append(" AND institution_id = :institution");
		}
		sql.append(" GROUP BY institution_id, discipline, consult_kind, ").append(TimeSavedQueries.MONTH_SQL);
		Mono<List<Figures>> figures = TimeSavedQueries.bind(this.db.sql(sql.toString()), first, last, scope)
			.map(ConnectionQualityReports::figures)
			.all()
			.filter((f) -> f.accepted() != 0 || f.connected() != 0)
			.collectList();
		Mono<Map<BaseCell, Set<String>>> consultants = scope.programme() ? this.queries.consultants(first, last, scope)
				: Mono.just(Map.of());
		return this.scheduler.run(Mono.zip(figures, consultants).map((t) -> {
			List<Figures> bases = t.getT1();
			Set<List<Object>> suppressed = Set.of();
			if (scope.programme()) {
				Map<BaseCell, Long> sizes = new HashMap<>();
				bases.forEach((f) -> sizes.put(f.base(), f.accepted()));
				suppressed = Suppression
					.of(sizes.keySet(), t.getT2(), (b) -> sizes.getOrDefault(b, 0L), BaseCell.ORDER, BaseCell.LEVELS)
					.suppressedRows((b) -> b.row(keys));
			}
			Map<List<Object>, Figures> sums = new TreeMap<>(TimeSavedReports::compareKeys);
			for (Figures f : bases) {
				sums.merge(f.base().row(keys), f, Figures::plus);
			}
			Map<List<Object>, Set<String>> rowConsultants = new HashMap<>();
			for (Map.Entry<BaseCell, Set<String>> entry : t.getT2().entrySet()) {
				List<Object> row = entry.getKey().row(keys);
				if (suppressed.contains(row)) {
					rowConsultants.computeIfAbsent(row, (k) -> new HashSet<>()).addAll(entry.getValue());
				}
			}
			List<Map<String, Object>> rows = new ArrayList<>();
			for (Map.Entry<List<Object>, Figures> entry : sums.entrySet()) {
				boolean hidden = suppressed.contains(entry.getKey());
				Map<String, Object> row = row(entry.getKey(), entry.getValue(), keys, hidden);
				row.put("suppressedBecause", hidden
						? TimeSavedReports.reason(rowConsultants.getOrDefault(entry.getKey(), Set.of()).size()) : null);
				rows.add(row);
			}
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("from", first.toString());
			report.put("to", last.toString());
			report.put("groupBy", keys.stream().map((k) -> k.name().toLowerCase(java.util.Locale.ROOT)).toList());
			report.put("rows", rows);
			return report;
		}));
	}

	private static Map<String, Object> row(List<Object> rowKeys, Figures f, List<GroupKey> keys, boolean suppressed) {
		Map<String, Object> out = new LinkedHashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			out.put(keys.get(i).field, rowKeys.get(i));
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

	private static Figures figures(Readable row) {
		List<long[]> histograms = new ArrayList<>(HISTOGRAMS.size());
		for (MediaBuckets histogram : HISTOGRAMS) {
			List<String> columns = histogram.columns();
			long[] counts = new long[columns.size()];
			for (int i = 0; i < counts.length; i++) {
				counts[i] = TimeSavedQueries.number(row, columns.get(i));
			}
			histograms.add(counts);
		}
		return new Figures(TimeSavedQueries.base(row), TimeSavedQueries.number(row, "accepted"),
				TimeSavedQueries.number(row, "connected"), TimeSavedQueries.number(row, "relayed"),
				TimeSavedQueries.number(row, "reconnections"), histograms);
	}

	private record Figures(BaseCell base, long accepted, long connected, long relayed, long reconnections,
			List<long[]> histograms) {

		Figures plus(Figures other) {
			List<long[]> sums = new ArrayList<>(this.histograms.size());
			for (int h = 0; h < this.histograms.size(); h++) {
				long[] sum = this.histograms.get(h).clone();
				long[] add = other.histograms.get(h);
				for (int i = 0; i < sum.length; i++) {
					sum[i] += add[i];
				}
				sums.add(sum);
			}
			return new Figures(this.base, this.accepted + other.accepted, this.connected + other.connected,
					this.relayed + other.relayed, this.reconnections + other.reconnections, sums);
		}

	}

}
