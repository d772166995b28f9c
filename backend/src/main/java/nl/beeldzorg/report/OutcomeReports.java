package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Service;

/**
 * How consults ended: the latest recorded outcome of each, counted by resolution and by
 * what would have happened without video. Programme-wide, over whole months, with
 * complementary suppression ({@link Suppression}) within each month.
 */
@Service
class OutcomeReports {

	private final DatabaseClient db;

	private final DatabaseScheduler scheduler;

	OutcomeReports(DatabaseClient db, DatabaseScheduler scheduler) {
		this.db = db;
		this.scheduler = scheduler;
	}

	Mono<Map<String, Object>> report(ReportScope scope, LocalDate from, LocalDate to) {
		LocalDate first = scope.programme() ? from.withDayOfMonth(1) : from;
		LocalDate last = scope.programme() ? to.withDayOfMonth(to.lengthOfMonth()) : to;
		String sql = "SELECT EXTRACT(YEAR FROM c.consult_day) * 100 + EXTRACT(MONTH FROM c.consult_day) AS m,"
				+ " o.resolution, o.without_video, c.consultant_id, COUNT(*) AS consults FROM consult_outcome o"
				+ " JOIN consult c ON c.id = o.consult_id"
				+ " WHERE o.version = (SELECT MAX(l.version) FROM consult_outcome l WHERE l.consult_id = o.consult_id)"
				+ " AND c.consult_day BETWEEN :from AND :to"
				+ ((scope.institutionId() != null) ? " AND c.institution_id = :institution" : "")
				+ " GROUP BY EXTRACT(YEAR FROM c.consult_day) * 100 + EXTRACT(MONTH FROM c.consult_day),"
				+ " o.resolution, o.without_video, c.consultant_id";
		GenericExecuteSpec spec = this.db.sql(sql).bind("from", first).bind("to", last);
		if (scope.institutionId() != null) {
			spec = spec.bind("institution", scope.institutionId());
		}
		return this.scheduler.run(spec.map((row) -> {
			Cell base = new Cell((int) TimeSavedQueries.number(row, "m"), row.get("resolution", String.class),
					row.get("without_video", String.class));
			return new Object[] { base, row.get("consultant_id", String.class),
					TimeSavedQueries.number(row, "consults") };
		}).all().collectList().map((parts) -> {
			Map<Cell, Long> sizes = new HashMap<>();
			Map<Cell, Set<String>> consultants = new HashMap<>();
			for (Object[] part : parts) {
				Cell base = (Cell) part[0];
				sizes.merge(base, (Long) part[2], Long::sum);
				Set<String> who = consultants.computeIfAbsent(base, (k) -> new HashSet<>());
				if (part[1] != null) {
					who.add((String) part[1]);
				}
			}
			Set<List<String>> suppressed = scope.programme() ? Suppression
				.of(sizes.keySet(), consultants, (b) -> sizes.getOrDefault(b, 0L), Cell.ORDER, List.of(Cell::month))
				.suppressedRows(Cell::row) : Set.of();
			Map<List<String>, Long> counts = new TreeMap<>(
					Comparator.comparing((List<String> k) -> k.get(0)).thenComparing((k) -> k.get(1)));
			Map<List<String>, Set<String>> rowConsultants = new HashMap<>();
			sizes.forEach((base, n) -> {
				counts.merge(base.row(), n, Long::sum);
				rowConsultants.computeIfAbsent(base.row(), (k) -> new HashSet<>()).addAll(consultants.get(base));
			});
			List<Map<String, Object>> rows = new ArrayList<>();
			counts.forEach((key, n) -> {
				boolean hidden = suppressed.contains(key);
				Map<String, Object> out = new LinkedHashMap<>();
				out.put("resolution", key.get(0).isEmpty() ? null : key.get(0));
				out.put("withoutVideo", key.get(1).isEmpty() ? null : key.get(1));
				out.put("consults", hidden ? null : n);
				out.put("suppressed", hidden);
				out.put("suppressedBecause", hidden ? TimeSavedReports.reason(rowConsultants.get(key).size()) : null);
				rows.add(out);
			});
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("from", first.toString());
			report.put("to", last.toString());
			report.put("rows", rows);
			return report;
		}));
	}

	/**
	 * The finest outcome cell: a month's consults with one resolution and one answer to
	 * "without video".
	 *
	 * @param month {@code yyyymm}
	 * @param resolution the resolution
	 * @param withoutVideo what would have happened without video
	 */
	record Cell(int month, @Nullable String resolution, @Nullable String withoutVideo) {

		static final Comparator<Cell> ORDER = Comparator.comparingInt(Cell::month)
			.thenComparing((Cell c) -> Objects.toString(c.resolution, ""))
			.thenComparing((Cell c) -> Objects.toString(c.withoutVideo, ""));

		List<String> row() {
			return List.of(Objects.toString(this.resolution, ""), Objects.toString(this.withoutVideo, ""));
		}

	}

	static final List<String> COLUMNS = List.of("resolution", "withoutVideo", "consults", "suppressed");

}
