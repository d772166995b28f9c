package nl.beeldzorg.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Builds the capacity matrix from two time-saved reports (this period and the previous
 * one) grouped by institution and discipline.
 */
@Service
class CapacityMatrixReports {

	private final TimeSavedReports reports;

	private final TimeSavedQueries queries;

	CapacityMatrixReports(TimeSavedReports reports, TimeSavedQueries queries) {
		this.reports = reports;
		this.queries = queries;
	}

	Mono<CapacityMatrix> matrix(ReportScope scope, Period period) {
		List<GroupKey> keys = List.of(GroupKey.INSTITUTION, GroupKey.DISCIPLINE);
		Period previous = period.previous();
		return Mono
			.zip(this.reports.report(scope, period.from(), period.to(), keys),
					this.reports.report(scope, previous.from(), previous.to(), keys), this.queries.institutionNames())
			.map((t) -> {
				Map<String, Map<String, Object>> now = index(t.getT1().rows());
				Map<String, Map<String, Object>> before = index(t.getT2().rows());
				Map<String, String> names = new TreeMap<>(t.getT3());
				if (scope.institutionId() != null) {
					names.keySet().retainAll(List.of(scope.institutionId()));
				}
				List<CapacityMatrix.Row> rows = new ArrayList<>();
				names.forEach((id, name) -> {
					Map<String, CapacityMatrix.Cell> cells = new LinkedHashMap<>();
					for (String discipline : CapacityMatrix.DISCIPLINES) {
						cells.put(discipline, cell(now.get(id + "|" + discipline), before.get(id + "|" + discipline)));
					}
					rows.add(new CapacityMatrix.Row(id, name, cells));
				});
				return new CapacityMatrix(period.label(), previous.label(), CapacityMatrix.DISCIPLINES, rows,
						t.getT1().assumptions());
			});
	}

	private static CapacityMatrix.Cell cell(Map<String, Object> now, Map<String, Object> before) {
		boolean suppressed = (now != null && Boolean.TRUE.equals(now.get("suppressed")))
				|| (before != null && Boolean.TRUE.equals(before.get("suppressed")));
		if (suppressed) {
			boolean few = TimeSavedReports.FEW_CONSULTANTS.equals((now != null) ? now.get("suppressedBecause") : null)
					|| TimeSavedReports.FEW_CONSULTANTS
						.equals((before != null) ? before.get("suppressedBecause") : null);
			return new CapacityMatrix.Cell(null, null, null, true,
					few ? TimeSavedReports.FEW_CONSULTANTS : TimeSavedReports.COMPLEMENTARY);
		}
		double current = fte(now);
		double previous = fte(before);
		Double change = (previous > 0) ? TimeSavedReports.round((current - previous) / previous * 100, 1) : null;
		return new CapacityMatrix.Cell(current, previous, change, false, null);
	}

	private static double fte(Map<String, Object> row) {
		if (row == null || !(row.get("fteEquivalent") instanceof Number number)) {
			return 0.0;
		}
		return number.doubleValue();
	}

	private static Map<String, Map<String, Object>> index(List<Map<String, Object>> rows) {
		Map<String, Map<String, Object>> index = new HashMap<>();
		rows.forEach((row) -> index.put(row.get("institutionId") + "|" + row.get("discipline"), row));
		return index;
	}

}
